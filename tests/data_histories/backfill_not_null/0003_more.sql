INSERT INTO users (email, handle) VALUES ('dee@example.org', 'dee');
UPDATE users SET handle = 'bobby' WHERE email = 'bob@example.org';
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;
UPDATE users SET active = false WHERE handle IN ('cy', 'nobody');
DELETE FROM users WHERE handle = 'dee' AND active;
