CREATE TABLE settings (
    key text NOT NULL,
    value text,
    updated integer DEFAULT 0
);
CREATE UNIQUE INDEX settings_key_idx ON settings (key);
INSERT INTO settings (key, value) VALUES ('theme', 'light'), ('lang', 'en');
