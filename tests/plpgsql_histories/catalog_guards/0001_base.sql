CREATE TABLE accounts (id int PRIMARY KEY, email text);
CREATE TYPE status AS ENUM ('active');
