-- a side-effecting call is never dropped
SELECT set_config('app.tenant', 'acme', false);
SELECT pg_catalog.setval('invoice_no', 2000, false);
INSERT INTO invoices (total) VALUES (99);
SELECT setval('invoice_no', (SELECT max(no) FROM invoices) + 10);
