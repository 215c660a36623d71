DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relname = 'accounts' AND n.nspname = current_schema()) THEN
    CREATE TABLE accounts (id int);
  ELSIF NOT EXISTS (SELECT 1 FROM information_schema.columns
                    WHERE table_name = 'accounts' AND column_name = 'plan') THEN
    ALTER TABLE accounts ADD COLUMN plan text;
    ALTER TABLE accounts ADD COLUMN seats int;
  END IF;
  IF to_regclass('public.audit_log') IS NULL THEN
    CREATE TABLE audit_log (id bigint, account int REFERENCES accounts (id));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
                 WHERE t.typname = 'status' AND e.enumlabel = 'closed') THEN
    ALTER TYPE status ADD VALUE 'closed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'accounts_email_key') THEN
    ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
  END IF;
END
$$;
