CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $body$
BEGIN
    NEW.updated := clock_timestamp();
    RETURN NEW;
END;
$body$ LANGUAGE plpgsql;
CREATE TABLE IF NOT EXISTS note (id INT);
ALTER TABLE note ADD COLUMN IF NOT EXISTS body TEXT;
DROP TABLE IF EXISTS never_existed;
CREATE INDEX IF NOT EXISTS note_body_idx ON note (body);
