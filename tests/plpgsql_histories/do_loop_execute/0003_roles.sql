DO $$
DECLARE
  r record;
  kinds text[] := ARRAY['audit', 'Log Entries'];
  k text;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'shards' ORDER BY tablename LOOP
    EXECUTE format('ALTER TABLE shards.%I ADD COLUMN created_at timestamptz', r.tablename);
  END LOOP;
  FOREACH k IN ARRAY kinds LOOP
    EXECUTE format('CREATE TABLE %I (id int)', k);
  END LOOP;
  WHILE NOT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'extra_3') LOOP
    EXECUTE format('CREATE TABLE extra_%s (id int)',
                   (SELECT count(*) + 1 FROM pg_class WHERE relname LIKE 'extra\_%' AND relkind = 'r'));
  END LOOP;
END
$$;
