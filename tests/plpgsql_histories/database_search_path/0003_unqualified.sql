CREATE TABLE orders (id int PRIMARY KEY, setting text REFERENCES settings (k));
CREATE VIEW order_ids AS SELECT id FROM orders;
