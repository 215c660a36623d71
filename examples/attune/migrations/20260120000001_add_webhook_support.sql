-- Migration: Add webhook support
-- Description: Lets a trigger receive events over HTTP. A webhook-enabled trigger gets a unique
--              key; events posted to /api/v1/webhooks/<key> become events of that trigger.
-- Version: 20260120000001

-- ============================================================================
-- WEBHOOK COLUMNS ON TRIGGER
-- ============================================================================

ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_key VARCHAR(64) UNIQUE;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_secret VARCHAR(128);

CREATE INDEX IF NOT EXISTS idx_trigger_webhook_key
    ON trigger(webhook_key) WHERE webhook_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_trigger_webhook_enabled
    ON trigger(webhook_enabled) WHERE webhook_enabled = TRUE;

COMMENT ON COLUMN trigger.webhook_enabled IS 'Whether the trigger accepts events over HTTP';
COMMENT ON COLUMN trigger.webhook_key IS 'Secret path component of the webhook URL';
COMMENT ON COLUMN trigger.webhook_secret IS 'Optional shared secret for the webhook';

-- ============================================================================
-- WEBHOOK LOOKUPS ON EVENT
-- ============================================================================
-- Webhook events record their origin in event.config.

CREATE INDEX IF NOT EXISTS idx_event_webhook_source
    ON event ((config->>'source'))
    WHERE config->>'source' = 'webhook';
CREATE INDEX IF NOT EXISTS idx_event_webhook_key
    ON event ((config->>'webhook_key'))
    WHERE config->>'webhook_key' IS NOT NULL;

-- ============================================================================
-- FUNCTIONS
-- ============================================================================

-- A new random key "wh_" + 32 characters, different from every key in use.
CREATE OR REPLACE FUNCTION generate_webhook_key()
RETURNS VARCHAR(64) AS $$
DECLARE
    candidate VARCHAR(64);
    attempts INTEGER := 0;
BEGIN
    LOOP
        candidate := 'wh_' || substr(
            lower(translate(encode(gen_random_bytes(24), 'base64'), '/+=', '')),
            1, 32
        );
        EXIT WHEN NOT EXISTS (SELECT 1 FROM trigger WHERE webhook_key = candidate);
        attempts := attempts + 1;
        IF attempts >= 10 THEN
            RAISE EXCEPTION 'could not generate a unique webhook key after % attempts', attempts;
        END IF;
    END LOOP;
    RETURN candidate;
END;
$$ LANGUAGE plpgsql;

-- Turn webhooks on for a trigger, keeping its key if it already has one.
CREATE OR REPLACE FUNCTION enable_trigger_webhook(p_trigger_id BIGINT)
RETURNS TABLE (
    webhook_enabled BOOLEAN,
    webhook_key VARCHAR(64),
    webhook_url TEXT
) AS $$
DECLARE
    current_key VARCHAR(64);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM trigger t WHERE t.id = p_trigger_id) THEN
        RAISE EXCEPTION 'trigger % does not exist', p_trigger_id;
    END IF;

    SELECT t.webhook_key INTO current_key FROM trigger t WHERE t.id = p_trigger_id;
    IF current_key IS NULL THEN
        current_key := generate_webhook_key();
    END IF;

    UPDATE trigger t
    SET webhook_enabled = TRUE,
        webhook_key = current_key,
        updated = now()
    WHERE t.id = p_trigger_id;

    RETURN QUERY SELECT TRUE, current_key, '/api/v1/webhooks/' || current_key;
END;
$$ LANGUAGE plpgsql;

-- Turn webhooks off; the key is kept so past events can still be traced to it.
CREATE OR REPLACE FUNCTION disable_trigger_webhook(p_trigger_id BIGINT)
RETURNS BOOLEAN AS $$
BEGIN
    UPDATE trigger
    SET webhook_enabled = FALSE,
        updated = now()
    WHERE id = p_trigger_id;
    RETURN FOUND;
END;
$$ LANGUAGE plpgsql;

-- Replace a trigger's key; the old one stops working at once.
CREATE OR REPLACE FUNCTION regenerate_trigger_webhook_key(p_trigger_id BIGINT)
RETURNS TABLE (
    webhook_key VARCHAR(64),
    previous_key_revoked BOOLEAN
) AS $$
DECLARE
    old_key VARCHAR(64);
    new_key VARCHAR(64);
BEGIN
    SELECT t.webhook_key INTO old_key FROM trigger t WHERE t.id = p_trigger_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'trigger % does not exist', p_trigger_id;
    END IF;

    new_key := generate_webhook_key();
    UPDATE trigger t
    SET webhook_key = new_key,
        updated = now()
    WHERE t.id = p_trigger_id;

    RETURN QUERY SELECT new_key, old_key IS NOT NULL;
END;
$$ LANGUAGE plpgsql;

COMMENT ON FUNCTION generate_webhook_key() IS 'Random unique webhook key (wh_ + 32 characters)';
COMMENT ON FUNCTION enable_trigger_webhook(BIGINT) IS 'Enables webhooks on a trigger and returns its key and URL';
COMMENT ON FUNCTION disable_trigger_webhook(BIGINT) IS 'Disables webhooks on a trigger, keeping the key for audit';
COMMENT ON FUNCTION regenerate_trigger_webhook_key(BIGINT) IS 'Gives a trigger a new webhook key';

-- ============================================================================
-- STATISTICS VIEW
-- ============================================================================

CREATE OR REPLACE VIEW webhook_stats AS
SELECT
    t.id AS trigger_id,
    t.ref AS trigger_ref,
    t.webhook_enabled,
    t.webhook_key,
    t.created AS webhook_created_at,
    COUNT(e.id) AS total_events,
    MAX(e.created) AS last_event_at,
    MIN(e.created) AS first_event_at
FROM trigger t
LEFT JOIN event e
    ON e.trigger = t.id
   AND e.config->>'source' = 'webhook'
WHERE t.webhook_enabled = TRUE
GROUP BY t.id, t.ref, t.webhook_enabled, t.webhook_key, t.created;

COMMENT ON VIEW webhook_stats IS 'Event counts of webhook-enabled triggers';

-- ============================================================================
-- PERMISSIONS (left to the deployment scripts)
-- ============================================================================

-- GRANT EXECUTE ON FUNCTION enable_trigger_webhook(BIGINT) TO attune_api;
-- GRANT EXECUTE ON FUNCTION disable_trigger_webhook(BIGINT) TO attune_api;
-- GRANT EXECUTE ON FUNCTION regenerate_trigger_webhook_key(BIGINT) TO attune_api;
-- GRANT SELECT ON webhook_stats TO attune_api;

DO $$
BEGIN
    RAISE NOTICE 'webhook support installed';
    RAISE NOTICE '  trigger columns: webhook_enabled, webhook_key, webhook_secret';
    RAISE NOTICE '  functions: generate_webhook_key, enable_/disable_trigger_webhook, regenerate_trigger_webhook_key';
    RAISE NOTICE '  view: webhook_stats';
END $$;
