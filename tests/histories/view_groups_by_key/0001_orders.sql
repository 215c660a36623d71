CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL, country text);
CREATE TABLE purchase (id int PRIMARY KEY, customer_id int REFERENCES customer, total numeric);
-- name and country are not grouped by: PostgreSQL accepts them through customer's primary key
CREATE VIEW customer_spend AS
    SELECT c.id, c.name, c.country, sum(p.total) AS spent
    FROM customer c JOIN purchase p ON p.customer_id = c.id
    GROUP BY c.id;
