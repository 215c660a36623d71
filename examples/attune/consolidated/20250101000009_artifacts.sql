SET check_function_bodies = false;

CREATE TABLE artifact (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    scope owner_type_enum DEFAULT 'system' NOT NULL,
    owner TEXT DEFAULT '' NOT NULL,
    type artifact_type_enum NOT NULL,
    retention_policy artifact_retention_enum DEFAULT 'versions' NOT NULL,
    retention_limit INTEGER DEFAULT 1 NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

CREATE TABLE queue_stats (
    action_id BIGINT NOT NULL,
    queue_length INTEGER DEFAULT 0 NOT NULL,
    active_count INTEGER DEFAULT 0 NOT NULL,
    max_concurrent INTEGER DEFAULT 1 NOT NULL,
    oldest_enqueued_at TIMESTAMPTZ,
    total_enqueued BIGINT DEFAULT 0 NOT NULL,
    total_completed BIGINT DEFAULT 0 NOT NULL,
    last_updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

ALTER TABLE ONLY artifact ADD CONSTRAINT artifact_pkey PRIMARY KEY (id);

ALTER TABLE ONLY queue_stats ADD CONSTRAINT queue_stats_pkey PRIMARY KEY (action_id);

CREATE INDEX idx_artifact_ref ON artifact (ref);

CREATE INDEX idx_artifact_scope ON artifact (scope);

CREATE INDEX idx_artifact_owner ON artifact (owner);

CREATE INDEX idx_artifact_type ON artifact (type);

CREATE INDEX idx_artifact_created ON artifact (created DESC);

CREATE INDEX idx_artifact_scope_owner ON artifact (scope, owner);

CREATE INDEX idx_artifact_type_created ON artifact (type, created DESC);

CREATE INDEX idx_queue_stats_last_updated ON queue_stats (last_updated);

ALTER TABLE ONLY queue_stats ADD CONSTRAINT queue_stats_action_id_fkey FOREIGN KEY (action_id) REFERENCES action (id) ON DELETE CASCADE;

CREATE TRIGGER update_artifact_updated BEFORE UPDATE ON artifact FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE artifact IS 'Files and values produced by executions';

COMMENT ON COLUMN artifact.ref IS 'Artifact reference; several versions may share it';

COMMENT ON COLUMN artifact.retention_limit IS 'How many versions (or time units) to keep';

COMMENT ON TABLE queue_stats IS 'Per-action execution queue counters, kept by the executor';

COMMENT ON COLUMN queue_stats.max_concurrent IS 'Concurrency limit in force for the action';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE artifact TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE artifact_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE queue_stats TO svc_attune;
