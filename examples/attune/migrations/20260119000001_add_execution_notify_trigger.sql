-- Migration: Add execution NOTIFY trigger
-- Description: Announces every new or changed execution on the attune_notifications channel,
--              so the API can stream execution updates to clients (SSE).
-- Version: 20260119000001

CREATE OR REPLACE FUNCTION notify_execution_change()
RETURNS TRIGGER AS $$
DECLARE
    message JSONB;
BEGIN
    message := jsonb_build_object(
        'entity_type', 'execution',
        'entity_id', NEW.id,
        'timestamp', now(),
        'data', jsonb_build_object(
            'id', NEW.id,
            'status', NEW.status,
            'action_id', NEW.action,
            'action_ref', NEW.action_ref,
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

COMMENT ON FUNCTION notify_execution_change() IS 'Publishes execution changes on attune_notifications for SSE streaming';
COMMENT ON TRIGGER notify_execution_change ON execution IS 'Feeds the execution SSE stream';
