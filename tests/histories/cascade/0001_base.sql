CREATE TABLE parent (id INT PRIMARY KEY, a INT, b INT, c TEXT);
CREATE TABLE child (id INT PRIMARY KEY, parent_id INT REFERENCES parent(id), note TEXT);
CREATE INDEX parent_ab_idx ON parent (a, b);
CREATE INDEX parent_c_idx ON parent (c);
ALTER TABLE parent ADD CONSTRAINT parent_ab_check CHECK (a < b);
CREATE VIEW parent_c AS SELECT id, c FROM parent;
