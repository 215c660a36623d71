-- no-transaction
-- CONCURRENTLY cannot run inside a transaction; the consolidation does not need it
CREATE INDEX CONCURRENTLY person_name_idx ON person (name);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS person_lower_name ON person (lower(name));
DROP INDEX CONCURRENTLY IF EXISTS person_nothing_idx;
ALTER TYPE mood ADD VALUE 'ecstatic';
ALTER TABLE person ALTER COLUMN mood SET DEFAULT 'ecstatic';
