SET check_function_bodies = false;

CREATE TABLE sensor (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    pack BIGINT,
    pack_ref TEXT,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    entrypoint TEXT NOT NULL,
    runtime BIGINT NOT NULL,
    runtime_ref TEXT NOT NULL,
    trigger BIGINT NOT NULL,
    trigger_ref TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    param_schema JSONB,
    config JSONB,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    CONSTRAINT sensor_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT sensor_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

CREATE TABLE action (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    pack BIGINT NOT NULL,
    pack_ref TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    entrypoint TEXT NOT NULL,
    runtime BIGINT,
    param_schema JSONB,
    out_schema JSONB,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    is_workflow BOOLEAN DEFAULT FALSE NOT NULL,
    workflow_def BIGINT,
    is_adhoc BOOLEAN DEFAULT FALSE NOT NULL,
    CONSTRAINT action_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT action_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

ALTER TABLE ONLY sensor ADD CONSTRAINT sensor_pkey PRIMARY KEY (id);

ALTER TABLE ONLY sensor ADD CONSTRAINT sensor_ref_key UNIQUE (ref);

ALTER TABLE ONLY action ADD CONSTRAINT action_pkey PRIMARY KEY (id);

ALTER TABLE ONLY action ADD CONSTRAINT action_ref_key UNIQUE (ref);

CREATE INDEX idx_sensor_ref ON sensor (ref);

CREATE INDEX idx_sensor_pack ON sensor (pack);

CREATE INDEX idx_sensor_runtime ON sensor (runtime);

CREATE INDEX idx_sensor_trigger ON sensor (trigger);

CREATE INDEX idx_sensor_enabled ON sensor (enabled) WHERE (enabled = TRUE);

CREATE INDEX idx_sensor_created ON sensor (created DESC);

CREATE INDEX idx_sensor_trigger_enabled ON sensor (trigger, enabled);

CREATE INDEX idx_sensor_pack_enabled ON sensor (pack, enabled);

CREATE INDEX idx_sensor_runtime_enabled ON sensor (runtime, enabled);

CREATE INDEX idx_sensor_config ON sensor USING gin (config);

CREATE INDEX idx_action_ref ON action (ref);

CREATE INDEX idx_action_pack ON action (pack);

CREATE INDEX idx_action_runtime ON action (runtime);

CREATE INDEX idx_action_created ON action (created DESC);

CREATE INDEX idx_action_pack_runtime ON action (pack, runtime);

CREATE INDEX idx_action_pack_created ON action (pack, created DESC);

CREATE INDEX idx_action_is_workflow ON action (is_workflow) WHERE (is_workflow = TRUE);

CREATE INDEX idx_action_workflow_def ON action (workflow_def);

CREATE INDEX idx_action_is_adhoc ON action (is_adhoc) WHERE (is_adhoc = TRUE);

ALTER TABLE ONLY key ADD CONSTRAINT key_owner_sensor_fkey FOREIGN KEY (owner_sensor) REFERENCES sensor (id) ON DELETE CASCADE;

ALTER TABLE ONLY key ADD CONSTRAINT key_owner_action_fkey FOREIGN KEY (owner_action) REFERENCES action (id) ON DELETE CASCADE;

ALTER TABLE ONLY sensor ADD CONSTRAINT sensor_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY sensor ADD CONSTRAINT sensor_runtime_fkey FOREIGN KEY (runtime) REFERENCES runtime (id) ON DELETE CASCADE;

ALTER TABLE ONLY action ADD CONSTRAINT action_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY action ADD CONSTRAINT action_runtime_fkey FOREIGN KEY (runtime) REFERENCES runtime (id);

CREATE TRIGGER update_sensor_updated BEFORE UPDATE ON sensor FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_action_updated BEFORE UPDATE ON action FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE sensor IS 'Long-running watchers that emit events for a trigger';

COMMENT ON COLUMN sensor.entrypoint IS 'Script or binary the runtime starts';

COMMENT ON COLUMN sensor.runtime IS 'Runtime the sensor runs in';

COMMENT ON COLUMN sensor.trigger IS 'Trigger whose events the sensor emits';

COMMENT ON TABLE action IS 'Units of work a pack provides, run by a runtime';

COMMENT ON COLUMN action.entrypoint IS 'Script or binary the runtime runs';

COMMENT ON COLUMN action.param_schema IS 'JSON Schema of the action parameters';

COMMENT ON COLUMN action.out_schema IS 'JSON Schema of the action result';

COMMENT ON COLUMN action.is_workflow IS 'True when the action runs a workflow';

COMMENT ON COLUMN action.workflow_def IS 'The workflow this action runs';

COMMENT ON COLUMN action.is_adhoc IS 'Created by a user, not installed by a pack';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE sensor TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE sensor_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE action TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE action_id_seq TO svc_attune;
