CREATE TABLE registry (uuid text PRIMARY KEY, url text NOT NULL);
INSERT INTO registry VALUES ('r1', 'https://a.example');
-- procedural SQL the fold cannot follow: registry becomes a barrier
DO $$
DECLARE
    n int;
BEGIN
    SELECT count(*) INTO n FROM registry;
    IF n > 0 THEN
        EXECUTE 'UPDATE registry SET url = lower(url)';
    END IF;
END
$$;
