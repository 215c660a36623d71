DO $$
BEGIN
  PERFORM create_partitions(parent => 'measurement', months => 5);
END
$$;
SELECT create_partitions('measurement', 2, date '2025-01-01');
