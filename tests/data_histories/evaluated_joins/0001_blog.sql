CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL, active boolean);
CREATE TABLE posts (
    id integer PRIMARY KEY,
    author_id integer REFERENCES authors,
    title varchar(40),
    score integer,
    meta jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now()
);
INSERT INTO authors VALUES (1, 'ann', true), (2, 'bob', NULL), (3, 'cy', false);
INSERT INTO posts VALUES (10, 1, 'a', 5), (11, 1, 'b', NULL), (12, 3, 'c', 2), (13, 2, 'd', 7);
UPDATE posts SET meta = '{"tag":"x", "n":1}' WHERE id = 10;
