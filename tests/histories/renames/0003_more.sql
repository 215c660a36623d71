ALTER TABLE product ADD COLUMN sku TEXT;
COMMENT ON COLUMN product.cost IS 'in euros';
COMMENT ON TABLE product IS 'what we sell';
