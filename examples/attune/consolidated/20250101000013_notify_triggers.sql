SET check_function_bodies = false;

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

CREATE TRIGGER notify_event_created AFTER INSERT ON event FOR EACH ROW EXECUTE FUNCTION notify_event_created();

CREATE TRIGGER notify_execution_change AFTER INSERT OR UPDATE ON execution FOR EACH ROW EXECUTE FUNCTION notify_execution_change();

CREATE TRIGGER notify_enforcement_change AFTER INSERT OR UPDATE ON enforcement FOR EACH ROW EXECUTE FUNCTION notify_enforcement_change();

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
          FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema()
           AND p.proname = 'enable_trigger_webhook'
           AND pg_get_function_identity_arguments(p.oid) LIKE '%jsonb%'
    ) THEN
        RAISE EXCEPTION 'enable_trigger_webhook(bigint, jsonb) is missing';
    END IF;
END $$;

DO $$
DECLARE
    missing TEXT[];
BEGIN
    SELECT array_agg(wanted) INTO missing
      FROM unnest(ARRAY['enable_trigger_webhook', 'disable_trigger_webhook',
                        'regenerate_trigger_webhook_key']) AS wanted
     WHERE NOT EXISTS (
         SELECT 1
           FROM pg_proc p
           JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = current_schema()
            AND p.proname = wanted
     );
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'webhook functions missing: %', array_to_string(missing, ', ');
    END IF;
    RAISE NOTICE 'webhook functions restored';
END $$;

COMMENT ON FUNCTION notify_execution_change() IS 'Publishes execution changes, with rule and trigger, on attune_notifications';

COMMENT ON FUNCTION notify_event_created() IS 'Publishes new events on the event_created channel';

COMMENT ON TRIGGER notify_event_created ON event IS 'Feeds the event_created channel';

COMMENT ON FUNCTION notify_enforcement_change() IS 'Publishes enforcement changes on attune_notifications';

COMMENT ON TRIGGER notify_enforcement_change ON enforcement IS 'Feeds the enforcement stream';
