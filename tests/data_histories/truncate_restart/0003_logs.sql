CREATE TABLE logs (id serial, msg text);
INSERT INTO logs (msg) VALUES ('one'), ('two');
TRUNCATE TABLE logs;
