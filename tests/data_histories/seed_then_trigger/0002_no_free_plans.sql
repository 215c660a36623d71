-- a later rule the seed rows break: a restore loads rows before triggers exist, and so must we
CREATE FUNCTION reject_free() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.price <= 0 THEN
        RAISE EXCEPTION 'plan % is free', NEW.code;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER plans_reject_free BEFORE INSERT ON plans
    FOR EACH ROW EXECUTE FUNCTION reject_free();
