UPDATE orders SET user_id = 1 WHERE id IN (1, 2);
-- a jsonb concatenation stays one: the value keeps its column's type; citext compares without case
UPDATE users SET meta = meta || '{"vip": true}' WHERE email = 'a@X.ORG';
UPDATE users SET meta = meta || '{"n": 2}' WHERE id = 2;
INSERT INTO orders (status, amount) VALUES ('shipped', 9.99);
UPDATE orders SET amount = amount * 2 WHERE status = 'shipped' AND amount > 2.5;
ALTER TABLE orders RENAME COLUMN note TO remark;
ALTER TABLE orders ALTER COLUMN amount TYPE integer USING round(amount)::integer;
ALTER TABLE users ALTER COLUMN email TYPE text;
-- not evaluated (@>), and its ON DELETE SET NULL needs the foreign key: kept after it, as a
-- barrier; what it touches is kept verbatim after it
DELETE FROM users WHERE meta @> '{"vip": true}';
UPDATE orders SET remark = 'orphan' WHERE user_id IS NULL;
