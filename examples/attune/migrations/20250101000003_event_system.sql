-- Migration: Event System
-- Description: Triggers, sensors, events and enforcements.
-- Version: 20250101000003

-- ============================================================================
-- TRIGGER TABLE
-- ============================================================================

CREATE TABLE trigger (
    id BIGSERIAL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pack BIGINT REFERENCES pack(id) ON DELETE CASCADE,
    pack_ref TEXT,
    label TEXT NOT NULL,
    description TEXT,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    param_schema JSONB,
    out_schema JSONB,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT trigger_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT trigger_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

CREATE INDEX idx_trigger_ref ON trigger(ref);
CREATE INDEX idx_trigger_pack ON trigger(pack);
CREATE INDEX idx_trigger_enabled ON trigger(enabled) WHERE enabled = TRUE;
CREATE INDEX idx_trigger_created ON trigger(created DESC);
CREATE INDEX idx_trigger_pack_enabled ON trigger(pack, enabled);
CREATE INDEX idx_trigger_enabled_created ON trigger(enabled, created DESC) WHERE enabled = TRUE;

CREATE TRIGGER update_trigger_updated
    BEFORE UPDATE ON trigger
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE trigger IS 'Kinds of event that can start automation (webhook, timer, ...)';
COMMENT ON COLUMN trigger.ref IS 'Reference in the form pack.name';
COMMENT ON COLUMN trigger.param_schema IS 'JSON Schema of the trigger parameters';
COMMENT ON COLUMN trigger.out_schema IS 'JSON Schema of the payload events of this trigger carry';

GRANT SELECT, INSERT, UPDATE, DELETE ON trigger TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE trigger_id_seq TO svc_attune;

-- ============================================================================
-- SENSOR TABLE
-- ============================================================================

CREATE TABLE sensor (
    id BIGSERIAL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pack BIGINT REFERENCES pack(id) ON DELETE CASCADE,
    pack_ref TEXT,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    entrypoint TEXT NOT NULL,
    runtime BIGINT NOT NULL REFERENCES runtime(id) ON DELETE CASCADE,
    runtime_ref TEXT NOT NULL,
    trigger BIGINT NOT NULL REFERENCES trigger(id) ON DELETE CASCADE,
    trigger_ref TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    param_schema JSONB,
    config JSONB,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT sensor_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT sensor_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

CREATE INDEX idx_sensor_ref ON sensor(ref);
CREATE INDEX idx_sensor_pack ON sensor(pack);
CREATE INDEX idx_sensor_runtime ON sensor(runtime);
CREATE INDEX idx_sensor_trigger ON sensor(trigger);
CREATE INDEX idx_sensor_enabled ON sensor(enabled) WHERE enabled = TRUE;
CREATE INDEX idx_sensor_created ON sensor(created DESC);
CREATE INDEX idx_sensor_trigger_enabled ON sensor(trigger, enabled);
CREATE INDEX idx_sensor_pack_enabled ON sensor(pack, enabled);
CREATE INDEX idx_sensor_runtime_enabled ON sensor(runtime, enabled);
CREATE INDEX idx_sensor_config ON sensor USING GIN (config);

CREATE TRIGGER update_sensor_updated
    BEFORE UPDATE ON sensor
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE sensor IS 'Long-running watchers that emit events for a trigger';
COMMENT ON COLUMN sensor.entrypoint IS 'Script or binary the runtime starts';
COMMENT ON COLUMN sensor.runtime IS 'Runtime the sensor runs in';
COMMENT ON COLUMN sensor.trigger IS 'Trigger whose events the sensor emits';

GRANT SELECT, INSERT, UPDATE, DELETE ON sensor TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE sensor_id_seq TO svc_attune;

-- The key table was created before sensor; its sensor owner gets its foreign key now.
ALTER TABLE key
    ADD CONSTRAINT key_owner_sensor_fkey
    FOREIGN KEY (owner_sensor) REFERENCES sensor(id) ON DELETE CASCADE;

-- ============================================================================
-- EVENT TABLE
-- ============================================================================

CREATE TABLE event (
    id BIGSERIAL PRIMARY KEY,
    trigger BIGINT REFERENCES trigger(id) ON DELETE SET NULL,
    trigger_ref TEXT NOT NULL,
    config JSONB,
    payload JSONB,
    source BIGINT REFERENCES sensor(id),
    source_ref TEXT,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_event_trigger ON event(trigger);
CREATE INDEX idx_event_trigger_ref ON event(trigger_ref);
CREATE INDEX idx_event_source ON event(source);
CREATE INDEX idx_event_created ON event(created DESC);
CREATE INDEX idx_event_trigger_created ON event(trigger, created DESC);
CREATE INDEX idx_event_trigger_ref_created ON event(trigger_ref, created DESC);
CREATE INDEX idx_event_source_created ON event(source, created DESC);
CREATE INDEX idx_event_payload_gin ON event USING GIN (payload);

CREATE TRIGGER update_event_updated
    BEFORE UPDATE ON event
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE event IS 'Occurrences of a trigger, as emitted by a sensor or a webhook';
COMMENT ON COLUMN event.trigger_ref IS 'Trigger reference, kept when the trigger is deleted';
COMMENT ON COLUMN event.payload IS 'Data carried by the event';
COMMENT ON COLUMN event.source IS 'Sensor that emitted the event, if any';

GRANT SELECT, INSERT, UPDATE, DELETE ON event TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE event_id_seq TO svc_attune;

-- ============================================================================
-- ENFORCEMENT TABLE
-- ============================================================================

CREATE TABLE enforcement (
    id BIGSERIAL PRIMARY KEY,
    rule BIGINT, -- foreign key added in 20250101000004, once the rule table exists
    rule_ref TEXT NOT NULL,
    trigger_ref TEXT NOT NULL,
    config JSONB,
    event BIGINT REFERENCES event(id) ON DELETE SET NULL,
    status enforcement_status_enum NOT NULL DEFAULT 'created',
    payload JSONB NOT NULL,
    condition enforcement_condition_enum NOT NULL DEFAULT 'all',
    conditions JSONB NOT NULL DEFAULT '[]'::jsonb,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT enforcement_condition_check CHECK (condition IN ('any', 'all'))
);

CREATE INDEX idx_enforcement_rule ON enforcement(rule);
CREATE INDEX idx_enforcement_rule_ref ON enforcement(rule_ref);
CREATE INDEX idx_enforcement_trigger_ref ON enforcement(trigger_ref);
CREATE INDEX idx_enforcement_event ON enforcement(event);
CREATE INDEX idx_enforcement_status ON enforcement(status);
CREATE INDEX idx_enforcement_created ON enforcement(created DESC);
CREATE INDEX idx_enforcement_status_created ON enforcement(status, created DESC);
CREATE INDEX idx_enforcement_rule_status ON enforcement(rule, status);
CREATE INDEX idx_enforcement_event_status ON enforcement(event, status);
CREATE INDEX idx_enforcement_payload_gin ON enforcement USING GIN (payload);
CREATE INDEX idx_enforcement_conditions_gin ON enforcement USING GIN (conditions);

CREATE TRIGGER update_enforcement_updated
    BEFORE UPDATE ON enforcement
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE enforcement IS 'A rule matched an event: the decision to run its action';
COMMENT ON COLUMN enforcement.rule_ref IS 'Rule reference, kept when the rule is deleted';
COMMENT ON COLUMN enforcement.condition IS 'How conditions combine (any or all)';
COMMENT ON COLUMN enforcement.conditions IS 'Conditions evaluated against the event payload';

GRANT SELECT, INSERT, UPDATE, DELETE ON enforcement TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE enforcement_id_seq TO svc_attune;
