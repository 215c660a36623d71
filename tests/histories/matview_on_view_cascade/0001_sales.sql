CREATE TABLE sale (id int PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL);
CREATE VIEW sale_eu AS SELECT id, region, amount FROM sale WHERE region LIKE 'eu-%';
CREATE MATERIALIZED VIEW sale_eu_totals AS
    SELECT region, sum(amount) AS total FROM sale_eu GROUP BY region;
CREATE UNIQUE INDEX sale_eu_totals_region ON sale_eu_totals (region);
CREATE INDEX sale_eu_totals_total ON sale_eu_totals (total);
