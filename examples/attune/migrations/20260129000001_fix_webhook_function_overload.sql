-- Migration: Fix webhook function overload
-- Description: 20260127000001 added enable_trigger_webhook(BIGINT, JSONB) beside the old
--              enable_trigger_webhook(BIGINT); a call with one argument is now ambiguous
--              ("function is not unique"). Drop the old single-argument signatures.
-- Version: 20260129000001

DROP FUNCTION IF EXISTS enable_trigger_webhook(BIGINT);
DROP FUNCTION IF EXISTS disable_trigger_webhook(BIGINT);
DROP FUNCTION IF EXISTS regenerate_trigger_webhook_key(BIGINT);

-- The JSONB version must still be there.
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
