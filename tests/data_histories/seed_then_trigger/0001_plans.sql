CREATE TABLE plans (
    code text PRIMARY KEY,
    price integer NOT NULL
);
INSERT INTO plans VALUES ('free', 0), ('pro', 10);
