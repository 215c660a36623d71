CREATE ROLE privileges_reader NOLOGIN;
CREATE ROLE privileges_writer NOLOGIN;
CREATE ROLE privileges_owner NOLOGIN;
CREATE SCHEMA reporting AUTHORIZATION privileges_owner;
CREATE TABLE account (id SERIAL PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE entry (id BIGSERIAL PRIMARY KEY, account_id INT REFERENCES account (id), amount NUMERIC);
-- ON ALL TABLES: the tables that exist now, and only those
GRANT SELECT ON ALL TABLES IN SCHEMA public TO privileges_reader;
-- default privileges: the objects created from now on, by the role that ran them
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO privileges_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO privileges_writer;
