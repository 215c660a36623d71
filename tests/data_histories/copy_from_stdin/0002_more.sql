UPDATE country SET note = 'updated' WHERE id = 1;
INSERT INTO country (code, name) VALUES ('be', 'Belgium');
CREATE TABLE city (id int PRIMARY KEY, name text);
-- procedural SQL the fold cannot follow: city becomes a barrier
DO $$
DECLARE
    n int := 0;
BEGIN
    SELECT count(*) INTO n FROM city;
    IF n = 0 THEN
        EXECUTE 'INSERT INTO city VALUES (100, ''seed'')';
    END IF;
END
$$;
