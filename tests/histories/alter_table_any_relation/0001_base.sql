-- ALTER TABLE reaches any relation, as pg_dump and Rails write it
CREATE ROLE relation_keeper;
CREATE SCHEMA archive;
CREATE TABLE ticket (id int PRIMARY KEY, code text, CONSTRAINT ticket_code_key UNIQUE (code));
CREATE SEQUENCE ticket_no;
CREATE VIEW open_ticket AS SELECT id, code FROM ticket;
CREATE MATERIALIZED VIEW ticket_codes AS SELECT code FROM ticket;
CREATE INDEX ticket_codes_code ON ticket_codes (code);
