-- a column added later is not in the views that said *
ALTER TABLE product ADD COLUMN sku TEXT;
-- OR REPLACE may add columns at the end; the star is expanded again, now with sku
CREATE OR REPLACE VIEW product_all AS SELECT *, price * 2 AS double_price FROM product;
ALTER TABLE product RENAME COLUMN name TO title;
-- ALTER TABLE renames a view's column too
ALTER TABLE product_cheap RENAME COLUMN price TO cost;
