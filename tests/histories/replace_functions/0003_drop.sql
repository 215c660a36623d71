DROP FUNCTION IF EXISTS price_with_tax(INT);
CREATE FUNCTION scratch() RETURNS INT LANGUAGE sql AS $$ SELECT 1 $$;
-- without arguments: allowed because the name is unique
DROP FUNCTION scratch;
ALTER FUNCTION stamp_row() OWNER TO replace_functions_user;
COMMENT ON FUNCTION stamp_row() IS 'renamed from audit_stamp';
CREATE OR REPLACE PROCEDURE archive_invoices(before DATE) LANGUAGE sql AS $$ DELETE FROM invoice WHERE stamped < before $$;
CREATE OR REPLACE PROCEDURE archive_invoices(before DATE) LANGUAGE sql AS $$ DELETE FROM invoice WHERE stamped < before AND net = 0 $$;
