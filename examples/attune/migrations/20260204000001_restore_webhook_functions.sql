-- Migration: Restore webhook functions
-- Description: 20260129000001 dropped disable_trigger_webhook(BIGINT) and
--              regenerate_trigger_webhook_key(BIGINT) by accident while removing an overload.
--              Recreate the three webhook functions in their final form.
-- Version: 20260204000001
--
-- Note: this file shares its version with 20260204000001_add_enforcement_notify_trigger.sql.
-- Runners that key on the file name apply both (in file-name order); sqlx keys on the version
-- and would refuse the second.

DROP FUNCTION IF EXISTS enable_trigger_webhook(BIGINT, JSONB);
DROP FUNCTION IF EXISTS enable_trigger_webhook(BIGINT);
DROP FUNCTION IF EXISTS disable_trigger_webhook(BIGINT);
DROP FUNCTION IF EXISTS regenerate_trigger_webhook_key(BIGINT);

-- ============================================================================
-- enable_trigger_webhook
-- ============================================================================

CREATE OR REPLACE FUNCTION enable_trigger_webhook(
    p_trigger_id BIGINT,
    p_config JSONB DEFAULT '{}'::jsonb
)
RETURNS TABLE (
    webhook_enabled BOOLEAN,
    webhook_key VARCHAR(255),
    webhook_url TEXT
) AS $$
DECLARE
    current_key VARCHAR(255);
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
        webhook_config = p_config,
        updated = now()
    WHERE t.id = p_trigger_id;

    RETURN QUERY SELECT TRUE, current_key,
        'http://localhost:8080/api/v1/webhooks/' || current_key;
END;
$$ LANGUAGE plpgsql;

-- ============================================================================
-- disable_trigger_webhook
-- ============================================================================

CREATE OR REPLACE FUNCTION disable_trigger_webhook(p_trigger_id BIGINT)
RETURNS BOOLEAN AS $$
BEGIN
    UPDATE trigger
    SET webhook_enabled = FALSE,
        webhook_key = NULL,
        updated = now()
    WHERE id = p_trigger_id;
    RETURN FOUND;
END;
$$ LANGUAGE plpgsql;

-- ============================================================================
-- regenerate_trigger_webhook_key
-- ============================================================================

CREATE OR REPLACE FUNCTION regenerate_trigger_webhook_key(p_trigger_id BIGINT)
RETURNS TABLE (
    webhook_key VARCHAR(255),
    previous_key_revoked BOOLEAN
) AS $$
DECLARE
    old_key VARCHAR(255);
    enabled BOOLEAN;
    new_key VARCHAR(255);
BEGIN
    SELECT t.webhook_key, t.webhook_enabled INTO old_key, enabled
      FROM trigger t
     WHERE t.id = p_trigger_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'trigger % does not exist', p_trigger_id;
    END IF;
    IF NOT enabled THEN
        RAISE EXCEPTION 'webhooks are not enabled on trigger %', p_trigger_id;
    END IF;

    new_key := generate_webhook_key();
    UPDATE trigger t
    SET webhook_key = new_key,
        updated = now()
    WHERE t.id = p_trigger_id;

    RETURN QUERY SELECT new_key, old_key IS NOT NULL;
END;
$$ LANGUAGE plpgsql;

COMMENT ON FUNCTION enable_trigger_webhook(BIGINT, JSONB) IS 'Enables webhooks on a trigger and stores its configuration';
COMMENT ON FUNCTION disable_trigger_webhook(BIGINT) IS 'Disables webhooks on a trigger and revokes its key';
COMMENT ON FUNCTION regenerate_trigger_webhook_key(BIGINT) IS 'Gives a webhook-enabled trigger a new key';

-- All three must exist now.
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
