-- a serial column's type change leaves its sequence AS integer
ALTER TABLE orders ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE invoice_no RESTART WITH 5000;
SELECT setval('ticket', 42);
ALTER SEQUENCE invoice_no OWNED BY orders.number;
ALTER TABLE orders ALTER COLUMN number SET DEFAULT nextval('invoice_no');
CREATE SEQUENCE scratch_seq OWNED BY line.qty;
