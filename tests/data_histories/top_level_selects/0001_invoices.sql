CREATE SEQUENCE invoice_no START WITH 1000;
CREATE TABLE invoices (
    no integer PRIMARY KEY DEFAULT nextval('invoice_no'),
    total numeric
);
SELECT setval('invoice_no', 1041);
INSERT INTO invoices (total) VALUES (10.50);
