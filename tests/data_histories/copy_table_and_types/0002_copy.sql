-- the table-copy idiom: a new table filled from the old one, which is then dropped
CREATE TABLE orders (
    id serial PRIMARY KEY,
    status status NOT NULL DEFAULT 'new',
    note text NOT NULL DEFAULT '',
    amount numeric(10,2),
    user_id bigint REFERENCES users ON DELETE SET NULL
);
INSERT INTO orders (id, status, note, amount)
SELECT id, status, coalesce(note, ''), amount FROM orders_old;
SELECT setval('orders_id_seq', (SELECT max(id) FROM orders));
DROP TABLE orders_old;
-- rows follow a renamed enum label
ALTER TYPE status RENAME VALUE 'sent' TO 'shipped';
