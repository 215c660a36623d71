-- Migration: Add rule to event
-- Description: Timer sensors emit one event per rule, so an event may name the rule it was
--              produced for.
-- Version: 20260130000001

ALTER TABLE event ADD COLUMN IF NOT EXISTS rule BIGINT;
ALTER TABLE event ADD COLUMN IF NOT EXISTS rule_ref TEXT;

ALTER TABLE event
    ADD CONSTRAINT event_rule_fkey
    FOREIGN KEY (rule) REFERENCES rule(id) ON DELETE SET NULL;

CREATE INDEX IF NOT EXISTS idx_event_rule ON event(rule);
CREATE INDEX IF NOT EXISTS idx_event_rule_ref ON event(rule_ref);
CREATE INDEX IF NOT EXISTS idx_event_rule_created ON event(rule, created DESC);
CREATE INDEX IF NOT EXISTS idx_event_trigger_rule ON event(trigger, rule);

COMMENT ON COLUMN event.rule IS 'Rule the event was emitted for (timer sensors emit per rule)';
COMMENT ON COLUMN event.rule_ref IS 'Rule reference, kept when the rule is deleted';

-- The notification now carries the rule as well.
CREATE OR REPLACE FUNCTION notify_event_created()
RETURNS TRIGGER AS $$
DECLARE
    message JSONB;
BEGIN
    message := jsonb_build_object(
        'entity_type', 'event',
        'entity_id', NEW.id,
        'timestamp', now(),
        'data', jsonb_build_object(
            'id', NEW.id,
            'trigger', NEW.trigger,
            'trigger_ref', NEW.trigger_ref,
            'rule', NEW.rule,
            'rule_ref', NEW.rule_ref,
            'source', NEW.source,
            'source_ref', NEW.source_ref,
            'payload', NEW.payload,
            'created', NEW.created
        )
    );

    PERFORM pg_notify('event_created', message::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
