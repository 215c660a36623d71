DO $$
DECLARE
  i int;
  label text;
BEGIN
  FOR i IN SELECT g.n FROM generate_series(10, 30, 10) AS g(n) LOOP
    INSERT INTO buckets (n) VALUES (i);
  END LOOP;
  FOR label IN SELECT x FROM unnest(ARRAY['low', 'high']) AS x ORDER BY x LOOP
    EXECUTE format('CREATE INDEX %I ON buckets (n) WHERE label = %L', 'buckets_' || label, label);
  END LOOP;
END
$$;
