SET check_function_bodies = false;

CREATE TABLE trigger (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    pack BIGINT,
    pack_ref TEXT,
    label TEXT NOT NULL,
    description TEXT,
    enabled BOOLEAN DEFAULT TRUE NOT NULL,
    param_schema JSONB,
    out_schema JSONB,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    webhook_enabled BOOLEAN DEFAULT FALSE NOT NULL,
    webhook_key VARCHAR(64),
    webhook_config JSONB DEFAULT '{}'::jsonb,
    is_adhoc BOOLEAN DEFAULT FALSE NOT NULL,
    CONSTRAINT trigger_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT trigger_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

ALTER TABLE ONLY trigger ADD CONSTRAINT trigger_pkey PRIMARY KEY (id);

CREATE TABLE event (
    id BIGSERIAL NOT NULL,
    trigger BIGINT,
    trigger_ref TEXT NOT NULL,
    config JSONB,
    payload JSONB,
    source BIGINT,
    source_ref TEXT,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    rule BIGINT,
    rule_ref TEXT
);

ALTER TABLE ONLY event ADD CONSTRAINT event_pkey PRIMARY KEY (id);

CREATE TABLE rule (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    pack BIGINT NOT NULL,
    pack_ref TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    action BIGINT NOT NULL,
    action_ref TEXT NOT NULL,
    trigger BIGINT NOT NULL,
    trigger_ref TEXT NOT NULL,
    conditions JSONB DEFAULT '[]'::jsonb NOT NULL,
    action_params JSONB DEFAULT '{}'::jsonb,
    trigger_params JSONB DEFAULT '{}'::jsonb,
    enabled BOOLEAN NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    is_adhoc BOOLEAN DEFAULT FALSE NOT NULL,
    CONSTRAINT rule_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT rule_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

ALTER TABLE ONLY trigger ADD CONSTRAINT trigger_ref_key UNIQUE (ref);

ALTER TABLE ONLY trigger ADD CONSTRAINT trigger_webhook_key_key UNIQUE (webhook_key);

ALTER TABLE ONLY rule ADD CONSTRAINT rule_pkey PRIMARY KEY (id);

ALTER TABLE ONLY rule ADD CONSTRAINT rule_ref_key UNIQUE (ref);

CREATE INDEX idx_trigger_ref ON trigger (ref);

CREATE INDEX idx_trigger_pack ON trigger (pack);

CREATE INDEX idx_trigger_enabled ON trigger (enabled) WHERE (enabled = TRUE);

CREATE INDEX idx_trigger_created ON trigger (created DESC);

CREATE INDEX idx_trigger_pack_enabled ON trigger (pack, enabled);

CREATE INDEX idx_trigger_enabled_created ON trigger (enabled, created DESC) WHERE (enabled = TRUE);

CREATE INDEX idx_event_trigger ON event (trigger);

CREATE INDEX idx_event_trigger_ref ON event (trigger_ref);

CREATE INDEX idx_event_source ON event (source);

CREATE INDEX idx_event_created ON event (created DESC);

CREATE INDEX idx_event_trigger_created ON event (trigger, created DESC);

CREATE INDEX idx_event_trigger_ref_created ON event (trigger_ref, created DESC);

CREATE INDEX idx_event_source_created ON event (source, created DESC);

CREATE INDEX idx_event_payload_gin ON event USING gin (payload);

CREATE INDEX idx_rule_ref ON rule (ref);

CREATE INDEX idx_rule_pack ON rule (pack);

CREATE INDEX idx_rule_action ON rule (action);

CREATE INDEX idx_rule_trigger ON rule (trigger);

CREATE INDEX idx_rule_enabled ON rule (enabled) WHERE (enabled = TRUE);

CREATE INDEX idx_rule_created ON rule (created DESC);

CREATE INDEX idx_rule_trigger_enabled ON rule (trigger, enabled);

CREATE INDEX idx_rule_action_enabled ON rule (action, enabled);

CREATE INDEX idx_rule_pack_enabled ON rule (pack, enabled);

CREATE INDEX idx_rule_action_params_gin ON rule USING gin (action_params);

CREATE INDEX idx_rule_trigger_params_gin ON rule USING gin (trigger_params);

CREATE INDEX idx_trigger_webhook_key ON trigger (webhook_key) WHERE (webhook_key IS NOT NULL);

CREATE INDEX idx_event_webhook_source ON event ((config->>'source')) WHERE (config->>'source' = 'webhook');

CREATE INDEX idx_event_webhook_key ON event ((config->>'webhook_key')) WHERE (config->>'webhook_key' IS NOT NULL);

CREATE INDEX idx_trigger_webhook_enabled ON trigger (webhook_enabled) WHERE (webhook_enabled = TRUE);

CREATE INDEX idx_trigger_webhook_config ON trigger USING gin (webhook_config) WHERE (webhook_config IS NOT NULL AND webhook_config <> '{}'::jsonb);

CREATE INDEX idx_rule_is_adhoc ON rule (is_adhoc) WHERE (is_adhoc = TRUE);

CREATE INDEX idx_trigger_is_adhoc ON trigger (is_adhoc) WHERE (is_adhoc = TRUE);

CREATE INDEX idx_event_rule ON event (rule);

CREATE INDEX idx_event_rule_ref ON event (rule_ref);

CREATE INDEX idx_event_rule_created ON event (rule, created DESC);

CREATE INDEX idx_event_trigger_rule ON event (trigger, rule);

ALTER TABLE ONLY trigger ADD CONSTRAINT trigger_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY sensor ADD CONSTRAINT sensor_trigger_fkey FOREIGN KEY (trigger) REFERENCES trigger (id) ON DELETE CASCADE;

ALTER TABLE ONLY event ADD CONSTRAINT event_trigger_fkey FOREIGN KEY (trigger) REFERENCES trigger (id) ON DELETE SET NULL;

ALTER TABLE ONLY event ADD CONSTRAINT event_source_fkey FOREIGN KEY (source) REFERENCES sensor (id);

ALTER TABLE ONLY event ADD CONSTRAINT event_rule_fkey FOREIGN KEY (rule) REFERENCES rule (id) ON DELETE SET NULL;

ALTER TABLE ONLY rule ADD CONSTRAINT rule_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY rule ADD CONSTRAINT rule_action_fkey FOREIGN KEY (action) REFERENCES action (id);

ALTER TABLE ONLY rule ADD CONSTRAINT rule_trigger_fkey FOREIGN KEY (trigger) REFERENCES trigger (id);

CREATE TRIGGER update_trigger_updated BEFORE UPDATE ON trigger FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_event_updated BEFORE UPDATE ON event FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_rule_updated BEFORE UPDATE ON rule FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE trigger IS 'Kinds of event that can start automation (webhook, timer, ...)';

COMMENT ON COLUMN trigger.ref IS 'Reference in the form pack.name';

COMMENT ON COLUMN trigger.param_schema IS 'JSON Schema of the trigger parameters';

COMMENT ON COLUMN trigger.out_schema IS 'JSON Schema of the payload events of this trigger carry';

COMMENT ON COLUMN trigger.webhook_enabled IS 'Whether the trigger accepts events over HTTP';

COMMENT ON COLUMN trigger.webhook_key IS 'Secret path component of the webhook URL';

COMMENT ON COLUMN trigger.webhook_config IS 'Webhook settings: secret, hmac, rate_limit, ip_whitelist, payload_size_limit_kb';

COMMENT ON COLUMN trigger.is_adhoc IS 'Created by a user, not installed by a pack';

COMMENT ON TABLE event IS 'Occurrences of a trigger, as emitted by a sensor or a webhook';

COMMENT ON COLUMN event.trigger_ref IS 'Trigger reference, kept when the trigger is deleted';

COMMENT ON COLUMN event.payload IS 'Data carried by the event';

COMMENT ON COLUMN event.source IS 'Sensor that emitted the event, if any';

COMMENT ON COLUMN event.rule IS 'Rule the event was emitted for (timer sensors emit per rule)';

COMMENT ON COLUMN event.rule_ref IS 'Rule reference, kept when the rule is deleted';

COMMENT ON TABLE rule IS 'Links a trigger to an action, under conditions';

COMMENT ON COLUMN rule.conditions IS 'Conditions on the event payload';

COMMENT ON COLUMN rule.action_params IS 'Parameters passed to the action (may use templates)';

COMMENT ON COLUMN rule.trigger_params IS 'Parameters that select matching trigger events';

COMMENT ON COLUMN rule.is_adhoc IS 'Created by a user, not installed by a pack';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE trigger TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE trigger_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE event TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE event_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE rule TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE rule_id_seq TO svc_attune;
