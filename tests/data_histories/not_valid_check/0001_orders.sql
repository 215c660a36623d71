CREATE TABLE orders (
    id integer PRIMARY KEY,
    qty integer
);
INSERT INTO orders VALUES (1, 0), (2, 5), (3, -1);
