DO $$
DECLARE
  names text[] := ARRAY['free', 'team', 'enterprise'];
  n int := 0;
  plan_name text;
BEGIN
  FOREACH plan_name IN ARRAY names LOOP
    n := n + 1;
    INSERT INTO plans (id, name, seats) VALUES (n, plan_name, n * 10);
  END LOOP;
END
$$;
