-- a queue table with a trigger, a policy and comments, later renamed and moved
CREATE SCHEMA internals;
CREATE TABLE jobs (id serial PRIMARY KEY, queue text NOT NULL, attempts int NOT NULL DEFAULT 0);
CREATE FUNCTION jobs_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.attempts := NEW.attempts + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER touch BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_touch();
CREATE TRIGGER touch_again BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_touch();
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_queue ON jobs USING (queue <> 'secret');
CREATE POLICY everything ON jobs USING (true);
COMMENT ON TRIGGER touch ON jobs IS 'counts attempts';
