ALTER TABLE customer RENAME COLUMN country TO region;
-- the view still shows it as country
CREATE VIEW region_spend AS SELECT country, sum(spent) AS spent FROM customer_spend GROUP BY country;
