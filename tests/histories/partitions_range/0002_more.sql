-- a partition created later gets the parent's indexes too, and its new columns
ALTER TABLE measurement ADD COLUMN unit TEXT DEFAULT 'kg';
CREATE TABLE measurement_2025 PARTITION OF measurement
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_other PARTITION OF measurement DEFAULT;
ALTER TABLE measurement_2024 RENAME TO measurement_last_year;
CREATE INDEX ON measurement (value) WHERE value > 100;
