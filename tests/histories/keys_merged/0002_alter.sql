-- ALTER TABLE ADD UNIQUE on the key's columns is its own constraint
ALTER TABLE member ADD UNIQUE (id);
-- the primary key took the UNIQUE's name
ALTER TABLE member DROP CONSTRAINT member_id_unique;
ALTER TABLE member ADD PRIMARY KEY (id, code);
