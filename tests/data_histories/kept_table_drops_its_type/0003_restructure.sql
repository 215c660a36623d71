-- the kept DROP COLUMNs leave the types unused: their DROP TYPE must be kept after them
ALTER TABLE run DROP COLUMN status, DROP COLUMN flags, ADD COLUMN locked_at timestamptz;
DROP TYPE run_status;
DROP TYPE run_flag;
CREATE TYPE run_status AS ENUM ('queued', 'executing');
-- a new table of the re-created type is kept after it too
CREATE TABLE snapshot (id int PRIMARY KEY, status run_status NOT NULL, label text);
CREATE INDEX snapshot_status ON snapshot (status);
INSERT INTO snapshot VALUES (1, 'queued', 'first');
