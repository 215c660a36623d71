-- Migration: Consolidate webhook configuration
-- Description: Moves the ten per-feature webhook columns of trigger into one JSONB column,
--              webhook_config, keeping webhook_enabled and webhook_key as columns.
-- Version: 20260127000001

-- ============================================================================
-- STEP 1: the new column
-- ============================================================================

ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_config JSONB DEFAULT '{}'::jsonb;

COMMENT ON COLUMN trigger.webhook_config IS 'Webhook settings: secret, hmac, rate_limit, ip_whitelist, payload_size_limit_kb';

-- ============================================================================
-- STEP 2: copy existing settings into it (reads the columns dropped in step 5)
-- ============================================================================

UPDATE trigger
SET webhook_config = jsonb_build_object(
    'secret', webhook_secret,
    'hmac', jsonb_build_object(
        'enabled', webhook_hmac_enabled,
        'secret', webhook_hmac_secret,
        'algorithm', COALESCE(webhook_hmac_algorithm, 'sha256')
    ),
    'rate_limit', jsonb_build_object(
        'enabled', webhook_rate_limit_enabled,
        'requests', webhook_rate_limit_requests,
        'window_seconds', webhook_rate_limit_window_seconds
    ),
    'ip_whitelist', jsonb_build_object(
        'enabled', webhook_ip_whitelist_enabled,
        'ips', COALESCE(to_jsonb(webhook_ip_whitelist), '[]'::jsonb)
    ),
    'payload_size_limit_kb', webhook_payload_size_limit_kb
)
WHERE webhook_enabled = TRUE
   OR webhook_key IS NOT NULL;

-- ============================================================================
-- STEP 3: views that read the old columns
-- ============================================================================

DROP VIEW IF EXISTS webhook_stats;
DROP VIEW IF EXISTS webhook_stats_detailed;

-- ============================================================================
-- STEP 4: constraints that might have been created for the old columns
-- ============================================================================
-- Reconstruction choice: the facts name three "..._not_null" constraints without saying which;
-- these are the three NOT NULL booleans of 20260120000002. On PostgreSQL 15 no constraint has
-- such a name (NOT NULL is not a named constraint before 18), so all three are no-ops; the
-- columns are dropped below anyway.

ALTER TABLE trigger DROP CONSTRAINT IF EXISTS trigger_webhook_hmac_enabled_not_null;
ALTER TABLE trigger DROP CONSTRAINT IF EXISTS trigger_webhook_rate_limit_enabled_not_null;
ALTER TABLE trigger DROP CONSTRAINT IF EXISTS trigger_webhook_ip_whitelist_enabled_not_null;

-- ============================================================================
-- STEP 5: drop the ten columns
-- ============================================================================

ALTER TABLE trigger
    DROP COLUMN IF EXISTS webhook_secret,
    DROP COLUMN IF EXISTS webhook_hmac_enabled,
    DROP COLUMN IF EXISTS webhook_hmac_secret,
    DROP COLUMN IF EXISTS webhook_hmac_algorithm,
    DROP COLUMN IF EXISTS webhook_rate_limit_enabled,
    DROP COLUMN IF EXISTS webhook_rate_limit_requests,
    DROP COLUMN IF EXISTS webhook_rate_limit_window_seconds,
    DROP COLUMN IF EXISTS webhook_ip_whitelist_enabled,
    DROP COLUMN IF EXISTS webhook_ip_whitelist,
    DROP COLUMN IF EXISTS webhook_payload_size_limit_kb;

-- ============================================================================
-- STEP 6: indexes
-- ============================================================================

DROP INDEX IF EXISTS idx_trigger_webhook_enabled;
CREATE INDEX IF NOT EXISTS idx_trigger_webhook_enabled
    ON trigger(webhook_enabled) WHERE webhook_enabled = TRUE;

CREATE INDEX IF NOT EXISTS idx_trigger_webhook_config
    ON trigger USING GIN (webhook_config)
    WHERE webhook_config IS NOT NULL AND webhook_config <> '{}'::jsonb;

-- ============================================================================
-- STEP 7: the statistics view, now with the configuration
-- ============================================================================
-- webhook_stats_detailed is not recreated: the request log keeps its own figures.

CREATE OR REPLACE VIEW webhook_stats AS
SELECT
    t.id AS trigger_id,
    t.ref AS trigger_ref,
    t.webhook_enabled,
    t.webhook_key,
    t.webhook_config,
    t.created AS webhook_created_at,
    COUNT(e.id) AS total_events,
    MAX(e.created) AS last_event_at,
    MIN(e.created) AS first_event_at
FROM trigger t
LEFT JOIN event e
    ON e.trigger = t.id
   AND e.config->>'source' = 'webhook'
WHERE t.webhook_enabled = TRUE
GROUP BY t.id, t.ref, t.webhook_enabled, t.webhook_key, t.webhook_config, t.created;

COMMENT ON VIEW webhook_stats IS 'Event counts and configuration of webhook-enabled triggers';

-- ============================================================================
-- STEP 8: functions on the new column
-- ============================================================================

-- Enable with a configuration; missing sections get defaults. Note: this is a second
-- overload next to enable_trigger_webhook(BIGINT), which is not dropped here.
CREATE OR REPLACE FUNCTION enable_trigger_webhook(
    p_trigger_id BIGINT,
    p_config JSONB DEFAULT '{}'::jsonb
)
RETURNS TABLE (
    webhook_enabled BOOLEAN,
    webhook_key VARCHAR(64),
    webhook_url TEXT,
    webhook_config JSONB
) AS $$
DECLARE
    current_key VARCHAR(64);
    merged JSONB;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM trigger t WHERE t.id = p_trigger_id) THEN
        RAISE EXCEPTION 'trigger % does not exist', p_trigger_id;
    END IF;

    merged := jsonb_build_object(
        'hmac', jsonb_build_object('enabled', FALSE, 'algorithm', 'sha256'),
        'rate_limit', jsonb_build_object('enabled', FALSE, 'requests', 100, 'window_seconds', 60),
        'ip_whitelist', jsonb_build_object('enabled', FALSE, 'ips', '[]'::jsonb)
    ) || COALESCE(p_config, '{}'::jsonb);

    SELECT t.webhook_key INTO current_key FROM trigger t WHERE t.id = p_trigger_id;
    IF current_key IS NULL THEN
        current_key := generate_webhook_key();
    END IF;

    UPDATE trigger t
    SET webhook_enabled = TRUE,
        webhook_key = current_key,
        webhook_config = merged,
        updated = now()
    WHERE t.id = p_trigger_id;

    RETURN QUERY SELECT TRUE, current_key, '/api/v1/webhooks/' || current_key, merged;
END;
$$ LANGUAGE plpgsql;

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

COMMENT ON FUNCTION enable_trigger_webhook(BIGINT, JSONB) IS 'Enables webhooks on a trigger with a configuration';

-- HMAC now lives in webhook_config; its dedicated functions go.
DROP FUNCTION IF EXISTS enable_trigger_webhook_hmac(BIGINT, VARCHAR);
DROP FUNCTION IF EXISTS disable_trigger_webhook_hmac(BIGINT);

DO $$
BEGIN
    RAISE NOTICE 'webhook configuration consolidated into trigger.webhook_config';
    RAISE NOTICE '  dropped 10 columns, 2 functions and the view webhook_stats_detailed';
    RAISE NOTICE '  kept webhook_enabled and webhook_key';
END $$;
