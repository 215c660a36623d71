DROP TABLE legacy_jobs;
ALTER TABLE jobs RENAME TO private_jobs;
