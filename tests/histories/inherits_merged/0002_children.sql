-- Columns declared again are merged with the inherited ones (attislocal and inherited):
-- the local DEFAULT wins, NOT NULL is either's, the column keeps the parent's position.
CREATE TABLE crate (x int DEFAULT 3, weight text, id integer NOT NULL,
    code text COLLATE pg_catalog."C") INHERITS (parcel);
CREATE TABLE box (x int NOT NULL) INHERITS (crate);
-- "id" and "x" come from both parents ("merging multiple inherited definitions").
CREATE TABLE bundle (z int, label varchar(10)) INHERITS (tagged, parcel);
CREATE TABLE sack (extra text DEFAULT 'none') INHERITS (bag);
