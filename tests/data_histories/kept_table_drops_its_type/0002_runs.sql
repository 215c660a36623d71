CREATE TYPE run_status AS ENUM ('pending', 'running', 'done');
CREATE TYPE run_flag AS ENUM ('slow', 'retried');
CREATE TABLE run (
    id text PRIMARY KEY,
    environment_id text NOT NULL,
    status run_status NOT NULL DEFAULT 'pending',
    flags run_flag[] NOT NULL DEFAULT '{}'
);
-- a foreign key to the barrier: this and every later statement on run is kept verbatim
ALTER TABLE run ADD CONSTRAINT run_environment_fkey FOREIGN KEY (environment_id) REFERENCES environment (id);
INSERT INTO run VALUES ('r1', 'e1', 'running', '{slow}');
