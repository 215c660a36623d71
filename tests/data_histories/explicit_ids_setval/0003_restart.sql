ALTER SEQUENCE countries_id_seq RESTART WITH 50;
INSERT INTO countries (code, name) VALUES ('PT', 'Portugal');
INSERT INTO currencies (code) VALUES ('CHF');
