SET check_function_bodies = false;

CREATE TABLE notification (
    id BIGSERIAL NOT NULL,
    channel TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity TEXT NOT NULL,
    activity TEXT NOT NULL,
    state notification_status_enum DEFAULT 'created' NOT NULL,
    content JSONB,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

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

CREATE TABLE worker (
    id BIGSERIAL NOT NULL,
    name TEXT NOT NULL,
    worker_type worker_type_enum NOT NULL,
    runtime BIGINT,
    host TEXT,
    port INTEGER,
    status worker_status_enum DEFAULT 'inactive',
    capabilities JSONB,
    meta JSONB,
    last_heartbeat TIMESTAMPTZ,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    worker_role worker_role_enum DEFAULT 'action' NOT NULL,
    CONSTRAINT worker_port_range CHECK (port IS NULL OR (port > 0 AND port <= 65535))
);

ALTER TABLE ONLY notification ADD CONSTRAINT notification_pkey PRIMARY KEY (id);

ALTER TABLE ONLY worker ADD CONSTRAINT worker_pkey PRIMARY KEY (id);

CREATE INDEX idx_notification_channel ON notification (channel);

CREATE INDEX idx_notification_entity_type ON notification (entity_type);

CREATE INDEX idx_notification_entity ON notification (entity);

CREATE INDEX idx_notification_state ON notification (state);

CREATE INDEX idx_notification_created ON notification (created DESC);

CREATE INDEX idx_notification_channel_state ON notification (channel, state);

CREATE INDEX idx_notification_entity_type_entity ON notification (entity_type, entity);

CREATE INDEX idx_notification_state_created ON notification (state, created DESC);

CREATE INDEX idx_notification_content_gin ON notification USING gin (content);

CREATE INDEX idx_worker_name ON worker (name);

CREATE INDEX idx_worker_type ON worker (worker_type);

CREATE INDEX idx_worker_runtime ON worker (runtime);

CREATE INDEX idx_worker_status ON worker (status);

CREATE INDEX idx_worker_last_heartbeat ON worker (last_heartbeat DESC);

CREATE INDEX idx_worker_status_runtime ON worker (status, runtime);

CREATE INDEX idx_worker_type_status ON worker (worker_type, status);

CREATE INDEX idx_worker_role ON worker (worker_role);

CREATE INDEX idx_worker_role_status ON worker (worker_role, status);

ALTER TABLE ONLY worker ADD CONSTRAINT worker_runtime_fkey FOREIGN KEY (runtime) REFERENCES runtime (id);

CREATE TRIGGER update_notification_updated BEFORE UPDATE ON notification FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER notify_on_notification_insert AFTER INSERT ON notification FOR EACH ROW EXECUTE FUNCTION notify_on_insert();

CREATE TRIGGER update_worker_updated BEFORE UPDATE ON worker FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE notification IS 'Notifications for users and services, also sent with pg_notify';

COMMENT ON COLUMN notification.channel IS 'pg_notify channel the notification is sent on';

COMMENT ON COLUMN notification.activity IS 'What happened to the entity (created, updated, ...)';

COMMENT ON FUNCTION notify_on_insert() IS 'Sends a new notification on its channel with pg_notify';

COMMENT ON TABLE worker IS 'Processes that run actions and sensors';

COMMENT ON COLUMN worker.name IS 'Worker name (not required to be unique)';

COMMENT ON COLUMN worker.last_heartbeat IS 'Time of the last heartbeat received';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE notification TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE notification_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE worker TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE worker_id_seq TO svc_attune;
