-- copies nothing (the old table is empty), though a statement-level trigger fires
INSERT INTO jobs (task) SELECT task FROM legacy_jobs ORDER BY id;
INSERT INTO jobs (task) VALUES ('first'), ('second');
UPDATE jobs SET task = upper(task) WHERE id = 2;
