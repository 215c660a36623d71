-- from here on every new account is audited by a trigger the fold does not run
CREATE FUNCTION audit_account() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (account_id, action) VALUES (NEW.id, 'created');
    RETURN NEW;
END
$$;
CREATE TRIGGER accounts_audit AFTER INSERT ON accounts
    FOR EACH ROW EXECUTE FUNCTION audit_account();
-- the trigger fires: kept after it (a barrier on accounts and audit_log), where it fires again
INSERT INTO accounts (name) VALUES ('first'), ('second');
