CREATE TABLE users (id serial PRIMARY KEY, email text);
DO $$
BEGIN
    IF (SELECT count(*) FROM users) = 0 THEN
        INSERT INTO users (email) VALUES ('root@example.org');
    END IF;
END
$$;
