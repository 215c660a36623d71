-- Parents, and tables that later become their children by ALTER TABLE ... INHERIT.
CREATE TABLE shipment (id int NOT NULL, weight numeric(8, 2) DEFAULT 0, origin text,
    CONSTRAINT shipment_weight_check CHECK (weight >= 0));
CREATE TABLE tracked (code varchar(12) NOT NULL, seen timestamptz);
-- Its columns in another order than INHERITS would give (its own "ref" first).
CREATE TABLE parcel_post (ref text, origin text, weight numeric(8,2), id int NOT NULL,
    CONSTRAINT shipment_weight_check CHECK (weight>=0));
-- In the order INHERITS gives, with no default of its own for "weight".
CREATE TABLE freight (id int NOT NULL, weight numeric(8, 2), origin text, axles int,
    CONSTRAINT shipment_weight_check CHECK ((weight >= 0)));
CREATE TABLE courier (id int NOT NULL, weight numeric(8, 2) DEFAULT 1, origin text,
    code varchar(12) NOT NULL, seen timestamptz, rider text,
    CONSTRAINT shipment_weight_check CHECK (weight >= 0));
-- A child as CREATE TABLE ... INHERITS makes it: its columns inherited only.
CREATE TABLE pallet (slots int) INHERITS (shipment);
INSERT INTO parcel_post (ref, origin, weight, id) VALUES ('p-1', 'Oslo', 1.5, 1);
-- In the order INHERITS gives, and stays a child: its "weight" has no default of its own.
CREATE TABLE tote (id int NOT NULL, weight numeric(8, 2), origin text,
    CONSTRAINT shipment_weight_check CHECK (weight >= 0));
-- Children by INHERITS of a parent whose "tag" is not yet NOT NULL.
CREATE TABLE labelled (tag text, note text);
CREATE TABLE sticker (size int) INHERITS (labelled);
CREATE TABLE badge () INHERITS (labelled);
CREATE TABLE envelope (id int NOT NULL, weight numeric(8, 2));
