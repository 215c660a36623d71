-- Two parents; both give "id" and "x".
CREATE TABLE parcel (id int NOT NULL, label varchar(10), code text COLLATE "C", x int DEFAULT 1);
CREATE TABLE tagged (x integer, id int4 NOT NULL, note text);
CREATE TABLE bag (id int);
