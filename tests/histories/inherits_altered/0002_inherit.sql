-- The tables become children: their columns and CHECKs stay their own and are inherited too.
ALTER TABLE parcel_post INHERIT shipment;
ALTER TABLE freight INHERIT shipment;
ALTER TABLE courier INHERIT shipment, INHERIT tracked;
ALTER TABLE tote INHERIT shipment;
-- INHERIT runs after the statement's other actions: envelope has "origin" and the CHECK then.
ALTER TABLE envelope INHERIT shipment, ADD COLUMN origin text,
    ADD CONSTRAINT shipment_weight_check CHECK (weight >= 0);
-- Renames on the parent reach the children.
ALTER TABLE shipment RENAME COLUMN origin TO source;
ALTER TABLE shipment RENAME TO consignment;
ALTER TABLE parcel_post RENAME COLUMN ref TO reference;
INSERT INTO freight (id, weight, axles) VALUES (2, 40, 3);
INSERT INTO courier (id, code, rider) VALUES (3, 'C-3', 'Ana');
-- pallet leaves its parent: its columns and its CHECK are its own from now on.
ALTER TABLE pallet NO INHERIT consignment;
-- sticker's own NOT NULL on a column it only inherits (on 18: sticker_tag_not_null).
ALTER TABLE ONLY sticker ALTER COLUMN tag SET NOT NULL;
