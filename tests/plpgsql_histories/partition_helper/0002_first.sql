SELECT create_partitions('measurement', 3);
CREATE INDEX measurement_taken_idx ON measurement (taken);
