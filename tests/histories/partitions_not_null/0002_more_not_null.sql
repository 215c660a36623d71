-- SET NOT NULL and a new NOT NULL column on a parent reach every partition: a partition that
-- had no NOT NULL takes the parent's name, one that had its own keeps it
ALTER TABLE reading ALTER COLUMN celsius SET NOT NULL;
ALTER TABLE reading ADD COLUMN source text NOT NULL DEFAULT 'manual';
ALTER TABLE tally ADD PRIMARY KEY (code);
-- a NOT NULL of a partition's (or a child's) own is named for it
ALTER TABLE reading_2025 ALTER COLUMN note SET NOT NULL;
ALTER TABLE sensor ALTER COLUMN label SET NOT NULL;
