CREATE TABLE accounts (
    id serial PRIMARY KEY,
    email text NOT NULL,
    plan text
);
CREATE TABLE grants (
    account_id integer NOT NULL REFERENCES accounts,
    scope text NOT NULL,
    granted_at timestamptz
);
CREATE TABLE notes (id serial PRIMARY KEY, body text);
INSERT INTO notes (body) VALUES ('kept'), ('stale');
CREATE SEQUENCE ticket_no;
