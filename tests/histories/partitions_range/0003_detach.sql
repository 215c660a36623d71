-- a detached partition keeps its columns and its indexes, as a table of its own
ALTER TABLE measurement DETACH PARTITION measurement_2023;
ALTER TABLE measurement_2023 RENAME TO measurement_archive;
ALTER TABLE measurement DROP COLUMN unit;
COMMENT ON TABLE measurement_archive IS 'detached in 2025';
