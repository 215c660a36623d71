CREATE TABLE item (id SERIAL PRIMARY KEY, price NUMERIC(10,2) NOT NULL CHECK (price > 0), name TEXT);
CREATE INDEX item_price_idx ON item (price) WHERE price > 10;
CREATE VIEW cheap AS SELECT id, price FROM item WHERE price < 5;
