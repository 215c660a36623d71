-- without RESTART IDENTITY the sequence keeps its position: the next run gets id 3
TRUNCATE runs;
INSERT INTO runs (job_id, note) VALUES (1, 'z');
-- with it (and CASCADE) both tables empty and both sequences start again
TRUNCATE jobs RESTART IDENTITY CASCADE;
INSERT INTO jobs (name) VALUES ('c');
INSERT INTO runs (job_id, note) VALUES (1, 'w');
