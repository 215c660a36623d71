CREATE MATERIALIZED VIEW sale_eu_totals AS
    SELECT region, count(*) AS n FROM sale GROUP BY region;
CREATE INDEX sale_eu_totals_total ON sale_eu_totals (n);
