-- the kept DROP COLUMNs leave the types unused: their DROP TYPE must be kept after them
ALTER TABLE run DROP COLUMN status, DROP COLUMN flags, ADD COLUMN locked_at timestamptz;
DROP TYPE run_status;
DROP TYPE run_flag;
CREATE TYPE run_status AS ENUM ('queued', 'executing');
