-- a partitioned table; partitions take their columns from the parent
CREATE TABLE measurement (
    id BIGINT NOT NULL,
    taken DATE NOT NULL,
    value NUMERIC CHECK (value >= 0)
) PARTITION BY RANGE (taken);
CREATE TABLE measurement_2023 PARTITION OF measurement
    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurement_2024 PARTITION OF measurement
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- an index on the parent creates one on each partition, with a generated name
CREATE INDEX ON measurement (taken);
CREATE INDEX measurement_id_idx ON measurement (id);
