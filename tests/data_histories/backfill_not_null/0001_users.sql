CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE
);
INSERT INTO users (email) VALUES ('Ann@example.org'), ('bob@example.org'), ('cy@example.org');
