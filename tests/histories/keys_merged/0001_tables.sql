-- a UNIQUE equal to the primary key is merged into it in one CREATE TABLE
CREATE TABLE account (id int PRIMARY KEY UNIQUE, email text UNIQUE, UNIQUE (email));
CREATE TABLE member (id int PRIMARY KEY, CONSTRAINT member_id_unique UNIQUE (id), code text);
CREATE TABLE pair (a int, b int, UNIQUE (a, b), PRIMARY KEY (a, b), UNIQUE (b, a));
CREATE TABLE slot (id int PRIMARY KEY, UNIQUE (id) DEFERRABLE INITIALLY DEFERRED);
