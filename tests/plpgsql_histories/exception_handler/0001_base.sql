CREATE TABLE items (id int PRIMARY KEY);
CREATE TYPE color AS ENUM ('red');
