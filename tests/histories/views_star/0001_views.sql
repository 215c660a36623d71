CREATE TABLE product (id INT PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10, 2));
-- SELECT * means the columns product has now
CREATE VIEW product_all AS SELECT * FROM product;
CREATE VIEW product_cheap AS SELECT * FROM product_all WHERE price < 10;
CREATE MATERIALIZED VIEW product_stats AS SELECT count(*) AS n, max(price) AS top FROM product;
CREATE UNIQUE INDEX product_stats_n ON product_stats (n);
CREATE TABLE tag (product_id INT REFERENCES product (id), label TEXT);
CREATE VIEW tagged AS SELECT * FROM tag;
