CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE status AS ENUM ('new', 'sent');
CREATE TABLE orders_old (
    id serial PRIMARY KEY,
    status status NOT NULL DEFAULT 'new',
    note text,
    amount numeric(10,2)
);
INSERT INTO orders_old (status, note, amount) VALUES ('new', 'a', 1.5), ('sent', 'b', 2), ('sent', NULL, 3.25);
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email citext,
    meta jsonb DEFAULT '{}'
);
INSERT INTO users (email) VALUES ('A@x.org'), ('b@x.org');
