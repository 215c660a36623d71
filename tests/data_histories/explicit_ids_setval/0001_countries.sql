CREATE TABLE countries (
    id serial PRIMARY KEY,
    code char(2) UNIQUE,
    name text
);
-- seed rows with explicit ids, then move the sequence past them
INSERT INTO countries (id, code, name) VALUES (1, 'FR', 'France'), (2, 'DE', 'Germany'), (5, 'IT', 'Italy');
SELECT setval('countries_id_seq', (SELECT max(id) FROM countries));
