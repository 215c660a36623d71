CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE person (id INT PRIMARY KEY, name TEXT NOT NULL, mood mood);
