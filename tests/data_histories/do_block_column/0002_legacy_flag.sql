-- procedural SQL the fold cannot run (it reads the table's rows): a barrier. What it may change
-- (accounts) is kept verbatim, in order, after it.
DO $$
DECLARE
    col text := 'legacy_flag';
BEGIN
    IF (SELECT count(*) FROM accounts) > 1 THEN
        EXECUTE format('ALTER TABLE accounts ADD COLUMN %I boolean DEFAULT false', col);
        EXECUTE 'UPDATE accounts SET legacy_flag = true WHERE id = 1';
    END IF;
END
$$;
ALTER TABLE accounts ADD COLUMN region text DEFAULT 'eu';
