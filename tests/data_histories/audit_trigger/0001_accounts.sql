CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, account_id integer, action text);
INSERT INTO accounts (name) VALUES ('seed');
