CREATE TABLE legacy_jobs (id int, task text);
CREATE TABLE jobs (id serial PRIMARY KEY, task text NOT NULL);
CREATE FUNCTION jobs_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('jobs:insert', '');
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER jobs_inserted AFTER INSERT ON jobs FOR EACH STATEMENT EXECUTE PROCEDURE jobs_notify();
CREATE FUNCTION jobs_row_notice() RETURNS trigger AS $$
BEGIN
  RAISE NOTICE 'job %', NEW.task;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER jobs_row BEFORE INSERT OR UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_row_notice();
