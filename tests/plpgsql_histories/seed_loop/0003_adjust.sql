DO $$
DECLARE
  r record;
  retired text := 'team';
BEGIN
  FOR r IN SELECT relname FROM pg_class WHERE relname = 'plans' LOOP
    UPDATE plans SET active = false WHERE name = retired;
    EXECUTE format('COMMENT ON TABLE %I IS %L', r.relname, 'seeded');
  END LOOP;
END
$$;
