DO $$
DECLARE
  m date;
BEGIN
  FOR m IN SELECT generate_series(date '2024-01-01', date '2024-04-01', interval '1 month')::date LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF readings FOR VALUES FROM (%L) TO (%L)',
                   'readings_' || to_char(m, 'YYYYMM'), m, (m + interval '1 month')::date);
  END LOOP;
END
$$;
