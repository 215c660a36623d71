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
-- The parent's NOT NULL comes after sticker's own: on 18 sticker keeps its name (its own and
-- inherited), badge takes the parent's.
ALTER TABLE labelled ALTER COLUMN tag SET NOT NULL;
INSERT INTO sticker (tag, size) VALUES ('round', 3);
-- A parent dropped with its children (CASCADE), and one dropped in the same statement as its child.
CREATE TABLE bin (id int);
CREATE TABLE small_bin (id int);
ALTER TABLE small_bin INHERIT bin;
CREATE TABLE crate_bin () INHERITS (bin);
DROP TABLE bin CASCADE;
CREATE TABLE shelf (id int);
CREATE TABLE top_shelf () INHERITS (shelf);
DROP TABLE shelf, top_shelf;
