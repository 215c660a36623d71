DO $$
DECLARE
  n int;
BEGIN
  FOR n IN 1..4 LOOP
    EXECUTE format('CREATE TABLE shards.%I (id bigint PRIMARY KEY, tenant int REFERENCES tenants (id), body text)',
                   'events_' || n);
    EXECUTE format('CREATE INDEX %I ON shards.%I (tenant)', 'events_' || n || '_tenant', 'events_' || n);
  END LOOP;
  FOR n IN REVERSE 4..1 BY 2 LOOP
    EXECUTE 'COMMENT ON TABLE shards.events_' || n || ' IS ' || quote_literal('shard ' || n);
  END LOOP;
END
$$;
