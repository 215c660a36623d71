-- a renamed type is still the columns' type; DROP TYPE ... CASCADE takes its columns
ALTER TYPE priority RENAME TO severity;
DROP TYPE channel CASCADE;
ALTER TABLE ticket ADD COLUMN escalated severity;
DROP TYPE IF EXISTS channel;
