-- Migration: Add rule and trigger to the execution notification
-- Description: Clients following executions want to know which rule and trigger started them;
--              the notification now looks both up through the enforcement.
-- Version: 20260203000003

DROP TRIGGER IF EXISTS notify_execution_change ON execution;

CREATE OR REPLACE FUNCTION notify_execution_change()
RETURNS TRIGGER AS $$
DECLARE
    message JSONB;
    enforcement_rule_ref TEXT;
    enforcement_trigger_ref TEXT;
BEGIN
    IF NEW.enforcement IS NOT NULL THEN
        SELECT en.rule_ref, en.trigger_ref
          INTO enforcement_rule_ref, enforcement_trigger_ref
          FROM enforcement en
         WHERE en.id = NEW.enforcement;
    END IF;

    message := jsonb_build_object(
        'entity_type', 'execution',
        'entity_id', NEW.id,
        'timestamp', now(),
        'data', jsonb_build_object(
            'id', NEW.id,
            'status', NEW.status,
            'action_id', NEW.action,
            'action_ref', NEW.action_ref,
            'enforcement', NEW.enforcement,
            'rule_ref', enforcement_rule_ref,
            'trigger_ref', enforcement_trigger_ref,
            'parent', NEW.parent,
            'result', NEW.result,
            'created', NEW.created,
            'updated', NEW.updated
        )
    );

    PERFORM pg_notify('attune_notifications', message::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notify_execution_change
    AFTER INSERT OR UPDATE ON execution
    FOR EACH ROW
    EXECUTE FUNCTION notify_execution_change();

COMMENT ON FUNCTION notify_execution_change() IS 'Publishes execution changes, with rule and trigger, on attune_notifications';
