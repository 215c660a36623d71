-- the table goes, and CASCADE takes the view that read it
DROP TABLE tag CASCADE;
CREATE INDEX product_stats_top ON product_stats (top);
ALTER MATERIALIZED VIEW product_stats RENAME TO product_summary;
COMMENT ON MATERIALIZED VIEW product_summary IS 'refreshed nightly';
COMMENT ON COLUMN product_cheap.cost IS 'renamed from price';
