CREATE TABLE code (id serial PRIMARY KEY, label text NOT NULL, weight int);
CREATE UNIQUE INDEX code_label ON code (label);
INSERT INTO code (label, weight) VALUES ('a', 1);
