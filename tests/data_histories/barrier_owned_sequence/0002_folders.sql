CREATE TABLE folders (id serial PRIMARY KEY, user_id integer, name text);
-- names users, which the DO block may change: kept verbatim after it, and so is what follows
-- on folders, down to the sequence its serial column owned
ALTER TABLE folders ADD CONSTRAINT folders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE folders ALTER COLUMN id DROP DEFAULT, ALTER COLUMN id SET DATA TYPE text;
DROP SEQUENCE folders_id_seq;
