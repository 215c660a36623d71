-- Migration: Webhook advanced features
-- Description: HMAC signatures, rate limiting, IP allow-lists and payload size limits for
--              webhooks, plus a request log and per-window rate counters.
-- Version: 20260120000002

-- ============================================================================
-- MORE WEBHOOK COLUMNS ON TRIGGER
-- ============================================================================

ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_hmac_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_hmac_secret VARCHAR(128);
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_hmac_algorithm VARCHAR(32) DEFAULT 'sha256';
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_rate_limit_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_rate_limit_requests INTEGER DEFAULT 100;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_rate_limit_window_seconds INTEGER DEFAULT 60;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_ip_whitelist_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_ip_whitelist TEXT[];
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS webhook_payload_size_limit_kb INTEGER DEFAULT 1024;

COMMENT ON COLUMN trigger.webhook_hmac_enabled IS 'Require an HMAC signature on webhook requests';
COMMENT ON COLUMN trigger.webhook_hmac_secret IS 'Secret the HMAC signature is computed with';
COMMENT ON COLUMN trigger.webhook_hmac_algorithm IS 'sha256, sha512 or sha1';
COMMENT ON COLUMN trigger.webhook_rate_limit_enabled IS 'Limit the request rate per key';
COMMENT ON COLUMN trigger.webhook_rate_limit_requests IS 'Requests allowed per window';
COMMENT ON COLUMN trigger.webhook_rate_limit_window_seconds IS 'Length of a rate-limit window';
COMMENT ON COLUMN trigger.webhook_ip_whitelist_enabled IS 'Accept requests only from listed addresses';
COMMENT ON COLUMN trigger.webhook_ip_whitelist IS 'Allowed addresses or CIDR blocks';
COMMENT ON COLUMN trigger.webhook_payload_size_limit_kb IS 'Largest accepted request body, in KiB';

-- ============================================================================
-- WEBHOOK_EVENT_LOG TABLE
-- ============================================================================

CREATE TABLE IF NOT EXISTS webhook_event_log (
    id BIGSERIAL PRIMARY KEY,
    trigger_id BIGINT NOT NULL REFERENCES trigger(id) ON DELETE CASCADE,
    trigger_ref VARCHAR(255) NOT NULL,
    webhook_key VARCHAR(64) NOT NULL,
    event_id BIGINT REFERENCES event(id) ON DELETE SET NULL,
    source_ip INET,
    user_agent TEXT,
    payload_size_bytes INTEGER,
    headers JSONB,
    status_code INTEGER NOT NULL,
    error_message TEXT,
    processing_time_ms INTEGER,
    hmac_verified BOOLEAN,
    rate_limited BOOLEAN DEFAULT FALSE,
    ip_allowed BOOLEAN,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_webhook_event_log_trigger_id ON webhook_event_log(trigger_id);
CREATE INDEX IF NOT EXISTS idx_webhook_event_log_webhook_key ON webhook_event_log(webhook_key);
CREATE INDEX IF NOT EXISTS idx_webhook_event_log_created ON webhook_event_log(created DESC);
CREATE INDEX IF NOT EXISTS idx_webhook_event_log_status ON webhook_event_log(status_code);
CREATE INDEX IF NOT EXISTS idx_webhook_event_log_source_ip ON webhook_event_log(source_ip);

COMMENT ON TABLE webhook_event_log IS 'Every webhook request received, accepted or not';
COMMENT ON COLUMN webhook_event_log.event_id IS 'Event created by the request, if it was accepted';
COMMENT ON COLUMN webhook_event_log.status_code IS 'HTTP status returned to the caller';

-- ============================================================================
-- WEBHOOK_RATE_LIMIT TABLE
-- ============================================================================

CREATE TABLE IF NOT EXISTS webhook_rate_limit (
    id BIGSERIAL PRIMARY KEY,
    webhook_key VARCHAR(64) NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    request_count INTEGER NOT NULL DEFAULT 1,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (webhook_key, window_start)
);

CREATE INDEX IF NOT EXISTS idx_webhook_rate_limit_key ON webhook_rate_limit(webhook_key);
CREATE INDEX IF NOT EXISTS idx_webhook_rate_limit_window ON webhook_rate_limit(window_start DESC);

COMMENT ON TABLE webhook_rate_limit IS 'Request counts per webhook key and time window';

-- ============================================================================
-- FUNCTIONS
-- ============================================================================

-- A random HMAC secret: 64 random bytes as hex.
CREATE OR REPLACE FUNCTION generate_webhook_hmac_secret()
RETURNS VARCHAR(128) AS $$
BEGIN
    RETURN encode(gen_random_bytes(64), 'hex');
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION enable_trigger_webhook_hmac(
    p_trigger_id BIGINT,
    p_algorithm VARCHAR(32) DEFAULT 'sha256'
)
RETURNS TABLE (
    webhook_hmac_enabled BOOLEAN,
    webhook_hmac_secret VARCHAR(128),
    webhook_hmac_algorithm VARCHAR(32)
) AS $$
DECLARE
    new_secret VARCHAR(128);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM trigger t WHERE t.id = p_trigger_id AND t.webhook_enabled) THEN
        RAISE EXCEPTION 'webhooks are not enabled on trigger %', p_trigger_id;
    END IF;
    IF p_algorithm NOT IN ('sha256', 'sha512', 'sha1') THEN
        RAISE EXCEPTION 'unsupported HMAC algorithm %', p_algorithm;
    END IF;

    new_secret := generate_webhook_hmac_secret();
    UPDATE trigger t
    SET webhook_hmac_enabled = TRUE,
        webhook_hmac_secret = new_secret,
        webhook_hmac_algorithm = p_algorithm,
        updated = now()
    WHERE t.id = p_trigger_id;

    RETURN QUERY SELECT TRUE, new_secret, p_algorithm;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION disable_trigger_webhook_hmac(p_trigger_id BIGINT)
RETURNS BOOLEAN AS $$
BEGIN
    UPDATE trigger
    SET webhook_hmac_enabled = FALSE,
        webhook_hmac_secret = NULL,
        updated = now()
    WHERE id = p_trigger_id;
    RETURN FOUND;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION configure_trigger_webhook_rate_limit(
    p_trigger_id BIGINT,
    p_enabled BOOLEAN,
    p_requests INTEGER DEFAULT 100,
    p_window_seconds INTEGER DEFAULT 60
)
RETURNS TABLE (
    rate_limit_enabled BOOLEAN,
    rate_limit_requests INTEGER,
    rate_limit_window_seconds INTEGER
) AS $$
BEGIN
    IF p_requests < 1 OR p_requests > 10000 THEN
        RAISE EXCEPTION 'requests per window must be between 1 and 10000, not %', p_requests;
    END IF;
    IF p_window_seconds < 1 OR p_window_seconds > 3600 THEN
        RAISE EXCEPTION 'window must be between 1 and 3600 seconds, not %', p_window_seconds;
    END IF;

    UPDATE trigger
    SET webhook_rate_limit_enabled = p_enabled,
        webhook_rate_limit_requests = p_requests,
        webhook_rate_limit_window_seconds = p_window_seconds,
        updated = now()
    WHERE id = p_trigger_id;

    RETURN QUERY SELECT p_enabled, p_requests, p_window_seconds;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION configure_trigger_webhook_ip_whitelist(
    p_trigger_id BIGINT,
    p_enabled BOOLEAN,
    p_ip_list TEXT[] DEFAULT ARRAY[]::TEXT[]
)
RETURNS TABLE (
    ip_whitelist_enabled BOOLEAN,
    ip_whitelist TEXT[]
) AS $$
BEGIN
    UPDATE trigger
    SET webhook_ip_whitelist_enabled = p_enabled,
        webhook_ip_whitelist = p_ip_list,
        updated = now()
    WHERE id = p_trigger_id;

    RETURN QUERY SELECT p_enabled, p_ip_list;
END;
$$ LANGUAGE plpgsql;

-- Count one request in the current window; true while the key stays within its limit.
CREATE OR REPLACE FUNCTION check_webhook_rate_limit(
    p_webhook_key VARCHAR(64),
    p_max_requests INTEGER,
    p_window_seconds INTEGER
)
RETURNS BOOLEAN AS $$
DECLARE
    window_begin TIMESTAMPTZ;
    seen INTEGER;
BEGIN
    window_begin := date_trunc('minute', now())
        - ((EXTRACT(EPOCH FROM now())::BIGINT % p_window_seconds) || ' seconds')::INTERVAL;

    INSERT INTO webhook_rate_limit (webhook_key, window_start, request_count)
    VALUES (p_webhook_key, window_begin, 1)
    ON CONFLICT (webhook_key, window_start)
    DO UPDATE SET request_count = webhook_rate_limit.request_count + 1,
                  updated = now()
    RETURNING request_count INTO seen;

    DELETE FROM webhook_rate_limit WHERE window_start < now() - INTERVAL '1 hour';

    RETURN seen <= p_max_requests;
END;
$$ LANGUAGE plpgsql;

-- True when the address falls in one of the listed blocks; an empty list allows nobody.
CREATE OR REPLACE FUNCTION check_webhook_ip_whitelist(
    p_source_ip INET,
    p_whitelist TEXT[]
)
RETURNS BOOLEAN AS $$
DECLARE
    entry TEXT;
BEGIN
    IF p_whitelist IS NULL OR array_length(p_whitelist, 1) IS NULL THEN
        RETURN FALSE;
    END IF;
    FOREACH entry IN ARRAY p_whitelist LOOP
        IF p_source_ip <<= entry::INET THEN
            RETURN TRUE;
        END IF;
    END LOOP;
    RETURN FALSE;
END;
$$ LANGUAGE plpgsql;

COMMENT ON FUNCTION generate_webhook_hmac_secret() IS 'Random 128-character hex secret';
COMMENT ON FUNCTION check_webhook_rate_limit(VARCHAR, INTEGER, INTEGER) IS 'Counts a request and says whether it is within the limit';
COMMENT ON FUNCTION check_webhook_ip_whitelist(INET, TEXT[]) IS 'Whether an address is on the allow-list';

-- ============================================================================
-- DETAILED STATISTICS VIEW
-- ============================================================================

CREATE OR REPLACE VIEW webhook_stats_detailed AS
SELECT
    t.id AS trigger_id,
    t.ref AS trigger_ref,
    t.webhook_enabled,
    t.webhook_key,
    t.webhook_hmac_enabled,
    t.webhook_rate_limit_enabled,
    t.webhook_ip_whitelist_enabled,
    COUNT(l.id) AS total_requests,
    COUNT(l.id) FILTER (WHERE l.status_code = 200) AS successful_requests,
    COUNT(l.id) FILTER (WHERE l.status_code >= 400) AS failed_requests,
    COUNT(l.id) FILTER (WHERE l.rate_limited) AS rate_limited_requests,
    COUNT(l.id) FILTER (WHERE l.hmac_verified = FALSE) AS hmac_failures,
    COUNT(l.id) FILTER (WHERE l.ip_allowed = FALSE) AS ip_blocked_requests,
    COUNT(l.event_id) AS events_created,
    AVG(l.processing_time_ms) AS avg_processing_time_ms,
    MAX(l.created) AS last_request_at,
    t.created AS webhook_enabled_at
FROM trigger t
LEFT JOIN webhook_event_log l ON l.trigger_id = t.id
WHERE t.webhook_enabled = TRUE
GROUP BY t.id, t.ref, t.webhook_enabled, t.webhook_key, t.webhook_hmac_enabled,
         t.webhook_rate_limit_enabled, t.webhook_ip_whitelist_enabled, t.created;

COMMENT ON VIEW webhook_stats_detailed IS 'Webhook request outcomes per trigger';

-- ============================================================================
-- PERMISSIONS FOR THE API ROLE
-- ============================================================================

GRANT SELECT, INSERT ON webhook_event_log TO attune_api;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_rate_limit TO attune_api;
GRANT SELECT ON webhook_stats_detailed TO attune_api;
GRANT USAGE, SELECT ON SEQUENCE webhook_event_log_id_seq TO attune_api;
GRANT USAGE, SELECT ON SEQUENCE webhook_rate_limit_id_seq TO attune_api;
