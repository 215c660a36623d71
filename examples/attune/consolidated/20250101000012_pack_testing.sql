SET check_function_bodies = false;

CREATE TABLE pack_test_execution (
    id BIGSERIAL NOT NULL,
    pack_id BIGINT NOT NULL,
    pack_version VARCHAR(50) NOT NULL,
    execution_time TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    trigger_reason VARCHAR(50) NOT NULL,
    total_tests INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    pass_rate DECIMAL(5,4) NOT NULL,
    duration_ms BIGINT NOT NULL,
    result JSONB NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    CONSTRAINT valid_test_counts CHECK (total_tests >= 0 AND passed >= 0 AND failed >= 0 AND skipped >= 0),
    CONSTRAINT valid_pass_rate CHECK (pass_rate >= 0.0 AND pass_rate <= 1.0),
    CONSTRAINT valid_trigger_reason CHECK (trigger_reason IN ('install', 'update', 'manual', 'validation'))
);

CREATE VIEW pack_test_summary AS
SELECT
    p.id AS pack_id,
    p.ref AS pack_ref,
    p.label AS pack_label,
    pte.id AS test_execution_id,
    pte.pack_version,
    pte.execution_time AS test_time,
    pte.trigger_reason,
    pte.total_tests,
    pte.passed,
    pte.failed,
    pte.skipped,
    pte.pass_rate,
    pte.duration_ms,
    ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY pte.execution_time DESC) AS rn
FROM pack p
LEFT JOIN pack_test_execution pte ON pte.pack_id = p.id
WHERE pte.id IS NOT NULL;

CREATE VIEW pack_latest_test AS
SELECT pack_id, pack_ref, pack_label, test_execution_id, pack_version, test_time, trigger_reason, total_tests, passed, failed, skipped, pass_rate, duration_ms, rn FROM pack_test_summary WHERE rn = 1;

CREATE OR REPLACE FUNCTION get_pack_test_stats(p_pack_id BIGINT)
RETURNS TABLE (
    total_executions BIGINT,
    successful_executions BIGINT,
    failed_executions BIGINT,
    avg_pass_rate DECIMAL,
    avg_duration_ms NUMERIC,
    last_test_time TIMESTAMPTZ,
    last_test_passed BOOLEAN
) AS $$
BEGIN
    RETURN QUERY
    SELECT
        COUNT(*)::BIGINT,
        COUNT(*) FILTER (WHERE pte.passed = pte.total_tests)::BIGINT,
        COUNT(*) FILTER (WHERE pte.failed > 0)::BIGINT,
        AVG(pte.pass_rate),
        AVG(pte.duration_ms),
        MAX(pte.execution_time),
        (SELECT last.failed = 0
           FROM pack_test_execution last
          WHERE last.pack_id = p_pack_id
          ORDER BY last.execution_time DESC
          LIMIT 1)
    FROM pack_test_execution pte
    WHERE pte.pack_id = p_pack_id;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION pack_has_passing_tests(
    p_pack_id BIGINT,
    p_hours_ago INTEGER DEFAULT 24
)
RETURNS BOOLEAN AS $$
DECLARE
    latest_failed INTEGER;
BEGIN
    SELECT failed INTO latest_failed
      FROM pack_test_execution
     WHERE pack_id = p_pack_id
       AND execution_time > now() - (p_hours_ago || ' hours')::INTERVAL
     ORDER BY execution_time DESC
     LIMIT 1;
    RETURN COALESCE(latest_failed = 0, FALSE);
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION update_pack_test_metadata()
RETURNS TRIGGER AS $$
BEGIN
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

ALTER TABLE ONLY pack_test_execution ADD CONSTRAINT pack_test_execution_pkey PRIMARY KEY (id);

CREATE INDEX idx_pack_test_execution_pack_id ON pack_test_execution (pack_id);

CREATE INDEX idx_pack_test_execution_time ON pack_test_execution (execution_time DESC);

CREATE INDEX idx_pack_test_execution_pass_rate ON pack_test_execution (pass_rate);

CREATE INDEX idx_pack_test_execution_trigger ON pack_test_execution (trigger_reason);

ALTER TABLE ONLY pack_test_execution ADD CONSTRAINT pack_test_execution_pack_id_fkey FOREIGN KEY (pack_id) REFERENCES pack (id) ON DELETE CASCADE;

CREATE TRIGGER trigger_update_pack_test_metadata AFTER INSERT ON pack_test_execution FOR EACH ROW EXECUTE FUNCTION update_pack_test_metadata();

COMMENT ON TABLE pack_test_execution IS 'One run of a pack''s test suite';

COMMENT ON COLUMN pack_test_execution.trigger_reason IS 'Why the tests ran: install, update, manual or validation';

COMMENT ON COLUMN pack_test_execution.pass_rate IS 'passed / total_tests, between 0 and 1';

COMMENT ON COLUMN pack_test_execution.result IS 'Full test report';

COMMENT ON VIEW pack_test_summary IS 'Test runs per pack, newest first (rn = 1 is the latest)';

COMMENT ON VIEW pack_latest_test IS 'The latest test run of each pack';

COMMENT ON FUNCTION get_pack_test_stats(bigint) IS 'Test statistics of one pack';

COMMENT ON FUNCTION pack_has_passing_tests(bigint, integer) IS 'Whether the latest test run in the window passed';

COMMENT ON FUNCTION update_pack_test_metadata() IS 'Placeholder trigger function for test metadata';
