-- a new file is a new session: search_path is back to the default
CREATE TABLE account (id INT PRIMARY KEY, legacy BOOLEAN NOT NULL DEFAULT true);
SET search_path TO audit, app;
CREATE TABLE log (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    account_id INT REFERENCES account (id) ON DELETE CASCADE,
    role app_role,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ON log (account_id);
CREATE VIEW recent AS SELECT l.id, a.email FROM log l JOIN account a ON a.id = l.account_id;
CREATE FUNCTION log_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;
CREATE TRIGGER log_touch BEFORE UPDATE ON log FOR EACH ROW EXECUTE FUNCTION log_touch();
