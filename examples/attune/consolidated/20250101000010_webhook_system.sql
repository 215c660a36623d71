SET check_function_bodies = false;

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

CREATE TABLE webhook_event_log (
    id BIGSERIAL NOT NULL,
    trigger_id BIGINT NOT NULL,
    trigger_ref VARCHAR(255) NOT NULL,
    webhook_key VARCHAR(64) NOT NULL,
    event_id BIGINT,
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
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

CREATE TABLE webhook_rate_limit (
    id BIGSERIAL NOT NULL,
    webhook_key VARCHAR(64) NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    request_count INTEGER DEFAULT 1 NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

CREATE OR REPLACE FUNCTION generate_webhook_hmac_secret()
RETURNS VARCHAR(128) AS $$
BEGIN
    RETURN encode(gen_random_bytes(64), 'hex');
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

CREATE VIEW webhook_stats AS
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

ALTER TABLE ONLY webhook_event_log ADD CONSTRAINT webhook_event_log_pkey PRIMARY KEY (id);

ALTER TABLE ONLY webhook_rate_limit ADD CONSTRAINT webhook_rate_limit_pkey PRIMARY KEY (id);

ALTER TABLE ONLY webhook_rate_limit ADD CONSTRAINT webhook_rate_limit_webhook_key_window_start_key UNIQUE (webhook_key, window_start);

CREATE INDEX idx_webhook_event_log_trigger_id ON webhook_event_log (trigger_id);

CREATE INDEX idx_webhook_event_log_webhook_key ON webhook_event_log (webhook_key);

CREATE INDEX idx_webhook_event_log_created ON webhook_event_log (created DESC);

CREATE INDEX idx_webhook_event_log_status ON webhook_event_log (status_code);

CREATE INDEX idx_webhook_event_log_source_ip ON webhook_event_log (source_ip);

CREATE INDEX idx_webhook_rate_limit_key ON webhook_rate_limit (webhook_key);

CREATE INDEX idx_webhook_rate_limit_window ON webhook_rate_limit (window_start DESC);

ALTER TABLE ONLY webhook_event_log ADD CONSTRAINT webhook_event_log_trigger_id_fkey FOREIGN KEY (trigger_id) REFERENCES trigger (id) ON DELETE CASCADE;

ALTER TABLE ONLY webhook_event_log ADD CONSTRAINT webhook_event_log_event_id_fkey FOREIGN KEY (event_id) REFERENCES event (id) ON DELETE SET NULL;

COMMENT ON FUNCTION generate_webhook_key() IS 'Random unique webhook key (wh_ + 32 characters)';

COMMENT ON TABLE webhook_event_log IS 'Every webhook request received, accepted or not';

COMMENT ON COLUMN webhook_event_log.event_id IS 'Event created by the request, if it was accepted';

COMMENT ON COLUMN webhook_event_log.status_code IS 'HTTP status returned to the caller';

COMMENT ON TABLE webhook_rate_limit IS 'Request counts per webhook key and time window';

COMMENT ON FUNCTION generate_webhook_hmac_secret() IS 'Random 128-character hex secret';

COMMENT ON FUNCTION check_webhook_rate_limit(character varying, integer, integer) IS 'Counts a request and says whether it is within the limit';

COMMENT ON FUNCTION check_webhook_ip_whitelist(inet, text[]) IS 'Whether an address is on the allow-list';

COMMENT ON VIEW webhook_stats IS 'Event counts and configuration of webhook-enabled triggers';

COMMENT ON FUNCTION enable_trigger_webhook(bigint, jsonb) IS 'Enables webhooks on a trigger and stores its configuration';

COMMENT ON FUNCTION disable_trigger_webhook(bigint) IS 'Disables webhooks on a trigger and revokes its key';

COMMENT ON FUNCTION regenerate_trigger_webhook_key(bigint) IS 'Gives a webhook-enabled trigger a new key';

GRANT SELECT, INSERT ON TABLE webhook_event_log TO attune_api;

GRANT USAGE, SELECT ON SEQUENCE webhook_event_log_id_seq TO attune_api;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE webhook_rate_limit TO attune_api;

GRANT USAGE, SELECT ON SEQUENCE webhook_rate_limit_id_seq TO attune_api;
