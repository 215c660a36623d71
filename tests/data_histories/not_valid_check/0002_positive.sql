-- old rows violate it; NOT VALID leaves them alone and checks only new rows
ALTER TABLE orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0) NOT VALID;
INSERT INTO orders VALUES (4, 7);
UPDATE orders SET qty = qty * 2 WHERE id IN (2, 4);
