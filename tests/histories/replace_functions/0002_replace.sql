-- OR REPLACE keeps the object (its grants, its dependants), with the new definition
CREATE OR REPLACE FUNCTION price_with_tax(p NUMERIC) RETURNS NUMERIC
    LANGUAGE sql IMMUTABLE AS $body$ SELECT round(p * 1.25, 2) $body$;
-- triggers call the function, whatever its name
ALTER FUNCTION audit_stamp() RENAME TO stamp_row;
CREATE OR REPLACE TRIGGER invoice_stamp BEFORE INSERT OR UPDATE ON invoice
    FOR EACH ROW EXECUTE FUNCTION stamp_row();
CREATE OR REPLACE VIEW invoice_gross AS SELECT id, price_with_tax(net) AS gross, net FROM invoice;
CREATE ROLE replace_functions_user NOLOGIN;
REVOKE EXECUTE ON FUNCTION price_with_tax(NUMERIC, NUMERIC) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION price_with_tax(numeric, numeric) TO replace_functions_user;
