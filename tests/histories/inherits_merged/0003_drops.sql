-- crate declared "x": it keeps it; bundle keeps "x" as long as tagged still gives it.
ALTER TABLE parcel DROP COLUMN x;
ALTER TABLE tagged DROP COLUMN note;
INSERT INTO crate (id, label, weight) VALUES (1, 'a', 'heavy');
INSERT INTO box (id, label, weight) VALUES (2, 'b', 'light');
INSERT INTO bundle (id, x, z) VALUES (3, 4, 5);
-- sack's own "extra" merges with the parent's new column ("merging definition of column"):
-- it keeps its default and stays local.
ALTER TABLE bag ADD COLUMN extra text;
INSERT INTO sack (id) VALUES (6);
