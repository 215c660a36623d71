-- renames keep sequence names; a dropped column takes the sequence it owns
ALTER TABLE orders RENAME TO purchase;
ALTER TABLE purchase RENAME COLUMN id TO purchase_id;
ALTER TABLE line DROP COLUMN qty;
ALTER SEQUENCE ticket INCREMENT BY 3;
CREATE TABLE gadget (id SMALLSERIAL, label TEXT);
ALTER TABLE gadget ALTER COLUMN id DROP DEFAULT;
