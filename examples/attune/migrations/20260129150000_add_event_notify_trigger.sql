-- Migration: Add event NOTIFY trigger
-- Description: Announces each new event on the event_created channel, so the sensor service
--              and the API can react without polling.
-- Version: 20260129150000

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

CREATE TRIGGER notify_event_created
    AFTER INSERT ON event
    FOR EACH ROW
    EXECUTE FUNCTION notify_event_created();

COMMENT ON FUNCTION notify_event_created() IS 'Publishes new events on the event_created channel';
COMMENT ON TRIGGER notify_event_created ON event IS 'Feeds the event_created channel';
