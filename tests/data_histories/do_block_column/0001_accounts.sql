CREATE TABLE accounts (
    id integer PRIMARY KEY,
    name text
);
INSERT INTO accounts VALUES (1, 'a'), (2, 'b');
