-- courier leaves one parent of two; freight leaves its only one.
ALTER TABLE courier NO INHERIT tracked;
ALTER TABLE ONLY freight NO INHERIT consignment;
-- The parent's DROP COLUMN no longer reaches freight or pallet; parcel_post declared "source"
-- (it was its own column before INHERIT) and keeps it.
ALTER TABLE consignment DROP COLUMN source;
ALTER TABLE tracked DROP COLUMN seen;
INSERT INTO pallet (id, slots) VALUES (4, 12);
-- The parent's CHECK dropped: the children keep the one they had before INHERIT.
ALTER TABLE consignment DROP CONSTRAINT shipment_weight_check;
INSERT INTO tote (id) VALUES (5);
