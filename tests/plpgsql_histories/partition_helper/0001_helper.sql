CREATE TABLE measurement (id bigint NOT NULL, taken date NOT NULL, value int) PARTITION BY RANGE (taken);

-- a helper later migrations call to add monthly partitions
CREATE FUNCTION create_partitions(parent text, months int, first_month date DEFAULT date '2024-01-01')
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  i int;
  lower_bound date;
  made int := 0;
  part text;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    lower_bound := first_month + (i || ' months')::interval;
    part := format('%s_%s', parent, to_char(lower_bound, 'YYYY_MM'));
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                     part, parent, lower_bound, lower_bound + interval '1 month');
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END
$$;

