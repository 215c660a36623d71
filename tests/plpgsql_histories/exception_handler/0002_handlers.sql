DO $$
DECLARE
  done int := 0;
BEGIN
  BEGIN
    CREATE TYPE color AS ENUM ('blue');
    done := done + 1;
  EXCEPTION WHEN duplicate_object THEN
    RAISE NOTICE 'color exists';
  END;
  BEGIN
    -- the first statement takes effect, the second fails: both are undone
    CREATE TABLE half (id int);
    CREATE TABLE items (id int);
  EXCEPTION WHEN duplicate_table THEN
    CREATE TABLE recovered (done int DEFAULT 0);
  END;
  BEGIN
    ALTER TABLE missing ADD COLUMN x int;
  EXCEPTION WHEN SQLSTATE '42P01' THEN
    NULL;
  END;
  BEGIN
    RAISE EXCEPTION 'custom' USING ERRCODE = 'P0001';
  EXCEPTION WHEN raise_exception THEN
    EXECUTE format('COMMENT ON TABLE recovered IS %L', 'done ' || done);
  END;
END
$$;
