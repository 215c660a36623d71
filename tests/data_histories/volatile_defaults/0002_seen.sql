ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
INSERT INTO events (kind, created_at) VALUES ('import', '2020-01-01 00:00:00+00');
DELETE FROM events WHERE kind = 'login';
