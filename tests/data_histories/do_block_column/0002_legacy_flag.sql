-- procedural SQL the fold cannot read: a barrier. What it may change (accounts) is kept verbatim,
-- in order, after it.
DO $$
DECLARE
    col text := 'legacy_flag';
BEGIN
    EXECUTE format('ALTER TABLE accounts ADD COLUMN %I boolean DEFAULT false', col);
    EXECUTE 'UPDATE accounts SET legacy_flag = true WHERE id = 1';
END
$$;
ALTER TABLE accounts ADD COLUMN region text DEFAULT 'eu';
