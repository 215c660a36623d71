-- the same guards again: everything exists now, nothing changes
DO $$
BEGIN
  IF to_regclass('audit_log') IS NULL THEN
    CREATE TABLE audit_log (id bigint);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'accounts_email_key') THEN
    ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
  END IF;
  CASE (SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'seats')
    WHEN 1 THEN ALTER TABLE accounts ALTER COLUMN seats SET DEFAULT 1;
    ELSE RAISE EXCEPTION 'no seats column';
  END CASE;
END
$$;
