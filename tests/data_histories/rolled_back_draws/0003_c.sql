INSERT INTO t (name) VALUES ('f');
