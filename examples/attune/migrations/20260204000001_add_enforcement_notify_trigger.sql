-- Migration: Add enforcement NOTIFY trigger
-- Description: Announces new and updated enforcements on attune_notifications, like executions.
-- Version: 20260204000001

CREATE OR REPLACE FUNCTION notify_enforcement_change()
RETURNS TRIGGER AS $$
DECLARE
    message JSONB;
    operation TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        operation := 'created';
    ELSE
        operation := 'updated';
    END IF;

    message := jsonb_build_object(
        'entity_type', 'enforcement',
        'entity_id', NEW.id,
        'operation', operation,
        'timestamp', now(),
        'data', jsonb_build_object(
            'id', NEW.id,
            'rule', NEW.rule,
            'rule_ref', NEW.rule_ref,
            'trigger_ref', NEW.trigger_ref,
            'event', NEW.event,
            'status', NEW.status,
            'condition', NEW.condition,
            'conditions', NEW.conditions,
            'config', NEW.config,
            'payload', NEW.payload,
            'created', NEW.created,
            'updated', NEW.updated
        )
    );

    PERFORM pg_notify('attune_notifications', message::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notify_enforcement_change
    AFTER INSERT OR UPDATE ON enforcement
    FOR EACH ROW
    EXECUTE FUNCTION notify_enforcement_change();

COMMENT ON FUNCTION notify_enforcement_change() IS 'Publishes enforcement changes on attune_notifications';
COMMENT ON TRIGGER notify_enforcement_change ON enforcement IS 'Feeds the enforcement stream';
