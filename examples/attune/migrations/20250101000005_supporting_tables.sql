-- Migration: Supporting Tables
-- Description: Notifications (with LISTEN/NOTIFY), artifacts and action queue statistics.
-- Version: 20250101000005

-- ============================================================================
-- NOTIFICATION TABLE
-- ============================================================================

CREATE TABLE notification (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity TEXT NOT NULL,
    activity TEXT NOT NULL,
    state notification_status_enum NOT NULL DEFAULT 'created',
    content JSONB,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_notification_channel ON notification(channel);
CREATE INDEX idx_notification_entity_type ON notification(entity_type);
CREATE INDEX idx_notification_entity ON notification(entity);
CREATE INDEX idx_notification_state ON notification(state);
CREATE INDEX idx_notification_created ON notification(created DESC);
CREATE INDEX idx_notification_channel_state ON notification(channel, state);
CREATE INDEX idx_notification_entity_type_entity ON notification(entity_type, entity);
CREATE INDEX idx_notification_state_created ON notification(state, created DESC);
CREATE INDEX idx_notification_content_gin ON notification USING GIN (content);

CREATE TRIGGER update_notification_updated
    BEFORE UPDATE ON notification
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

-- Every stored notification is also pushed to listeners of its own channel.
CREATE OR REPLACE FUNCTION notify_on_insert()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pg_notify(
        NEW.channel,
        json_build_object(
            'id', NEW.id,
            'entity_type', NEW.entity_type,
            'entity', NEW.entity,
            'activity', NEW.activity
        )::text
    );
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notify_on_notification_insert
    AFTER INSERT ON notification
    FOR EACH ROW
    EXECUTE FUNCTION notify_on_insert();

COMMENT ON TABLE notification IS 'Notifications for users and services, also sent with pg_notify';
COMMENT ON COLUMN notification.channel IS 'pg_notify channel the notification is sent on';
COMMENT ON COLUMN notification.activity IS 'What happened to the entity (created, updated, ...)';
COMMENT ON FUNCTION notify_on_insert() IS 'Sends a new notification on its channel with pg_notify';

GRANT SELECT, INSERT, UPDATE, DELETE ON notification TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE notification_id_seq TO svc_attune;

-- ============================================================================
-- ARTIFACT TABLE
-- ============================================================================

CREATE TABLE artifact (
    id BIGSERIAL PRIMARY KEY,
    ref TEXT NOT NULL,
    scope owner_type_enum NOT NULL DEFAULT 'system',
    owner TEXT NOT NULL DEFAULT '',
    type artifact_type_enum NOT NULL,
    retention_policy artifact_retention_enum NOT NULL DEFAULT 'versions',
    retention_limit INTEGER NOT NULL DEFAULT 1,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_artifact_ref ON artifact(ref);
CREATE INDEX idx_artifact_scope ON artifact(scope);
CREATE INDEX idx_artifact_owner ON artifact(owner);
CREATE INDEX idx_artifact_type ON artifact(type);
CREATE INDEX idx_artifact_created ON artifact(created DESC);
CREATE INDEX idx_artifact_scope_owner ON artifact(scope, owner);
CREATE INDEX idx_artifact_type_created ON artifact(type, created DESC);

CREATE TRIGGER update_artifact_updated
    BEFORE UPDATE ON artifact
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE artifact IS 'Files and values produced by executions';
COMMENT ON COLUMN artifact.ref IS 'Artifact reference; several versions may share it';
COMMENT ON COLUMN artifact.retention_limit IS 'How many versions (or time units) to keep';

GRANT SELECT, INSERT, UPDATE, DELETE ON artifact TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE artifact_id_seq TO svc_attune;

-- ============================================================================
-- QUEUE_STATS TABLE
-- ============================================================================

CREATE TABLE queue_stats (
    action_id BIGINT PRIMARY KEY REFERENCES action(id) ON DELETE CASCADE,
    queue_length INTEGER NOT NULL DEFAULT 0,
    active_count INTEGER NOT NULL DEFAULT 0,
    max_concurrent INTEGER NOT NULL DEFAULT 1,
    oldest_enqueued_at TIMESTAMPTZ,
    total_enqueued BIGINT NOT NULL DEFAULT 0,
    total_completed BIGINT NOT NULL DEFAULT 0,
    last_updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_queue_stats_last_updated ON queue_stats(last_updated);

COMMENT ON TABLE queue_stats IS 'Per-action execution queue counters, kept by the executor';
COMMENT ON COLUMN queue_stats.max_concurrent IS 'Concurrency limit in force for the action';

-- No sequence grant: queue_stats is keyed by action_id and has no serial column.
GRANT SELECT, INSERT, UPDATE, DELETE ON queue_stats TO svc_attune;
