INSERT INTO countries (code, name) VALUES ('ES', 'Spain');
CREATE TABLE currencies (
    id integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 10) PRIMARY KEY,
    code text NOT NULL
);
INSERT INTO currencies (code) VALUES ('EUR'), ('USD');
INSERT INTO currencies (id, code) OVERRIDING SYSTEM VALUE VALUES (100, 'GBP');
SELECT setval(pg_get_serial_sequence('currencies', 'id'), 100);
