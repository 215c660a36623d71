-- the cascade reaches the materialized view and takes its indexes with it
DROP VIEW sale_eu CASCADE;
CREATE INDEX sale_eu_totals_region ON sale (region);
