ALTER TABLE accounts DROP COLUMN legacy_flag;
INSERT INTO accounts (id, name) VALUES (3, 'c');
CREATE TABLE notes (id integer PRIMARY KEY, body text);
INSERT INTO notes VALUES (1, 'folded as usual');
