CREATE TABLE invoice (id INT PRIMARY KEY, net NUMERIC NOT NULL, stamped TIMESTAMPTZ);
CREATE FUNCTION price_with_tax(p NUMERIC) RETURNS NUMERIC LANGUAGE sql IMMUTABLE AS $$ SELECT p * 1.2 $$;
CREATE FUNCTION price_with_tax(p NUMERIC, rate NUMERIC) RETURNS NUMERIC
    LANGUAGE sql IMMUTABLE AS $$ SELECT p * (1 + rate) $$;
CREATE FUNCTION audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.stamped := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER invoice_stamp BEFORE INSERT ON invoice FOR EACH ROW EXECUTE FUNCTION audit_stamp();
CREATE TRIGGER invoice_restamp BEFORE UPDATE OF net ON invoice FOR EACH ROW EXECUTE FUNCTION audit_stamp();
CREATE VIEW invoice_gross AS SELECT id, price_with_tax(net) AS gross FROM invoice;
