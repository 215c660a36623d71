-- Migration: Initial Setup
-- Description: Creates the attune schema, extensions, enum types and shared helper functions.
-- Version: 20250101000001
--
-- Reconstruction note (schemafold example): written from the facts of Attune's history, not
-- copied. As in the original, the schema and the service role are NOT created here: since the
-- schema-per-test refactor every statement is unqualified and lands in whatever schema the
-- connection's search_path names first. See ../setup.sql for what a database needs beforehand.

-- ============================================================================
-- SCHEMA AND ROLE (disabled)
-- ============================================================================

-- Tests create their own schema (test_<uuid>) and production creates "attune" in
-- docker/init-db.sh, so the schema is no longer created by a migration:
-- CREATE SCHEMA IF NOT EXISTS attune;

-- The service role is created by docker/init-roles.sql:
-- DO $$
-- BEGIN
--     IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'svc_attune') THEN
--         CREATE ROLE svc_attune LOGIN PASSWORD '<dev password>';
--     END IF;
-- END
-- $$;

-- GRANT USAGE, CREATE ON SCHEMA attune TO svc_attune;
-- COMMENT ON SCHEMA attune IS 'Attune automation platform';

-- The search path is now set by the connection pool (after_connect), not here:
-- SET search_path TO attune, public;

-- ============================================================================
-- EXTENSIONS
-- ============================================================================

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- ============================================================================
-- ENUM TYPES
-- ============================================================================
-- Enum types live in a schema but tests used to share them, so each one is created in a
-- block that tolerates an existing type.

-- How a runtime is used: by actions or by sensors
DO $$
BEGIN
    CREATE TYPE runtime_type_enum AS ENUM ('action', 'sensor');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE runtime_type_enum IS 'Whether a runtime executes actions or sensors';

-- Where a worker runs
DO $$
BEGIN
    CREATE TYPE worker_type_enum AS ENUM ('local', 'remote', 'container');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE worker_type_enum IS 'Deployment kind of a worker process';

-- Worker health
DO $$
BEGIN
    CREATE TYPE worker_status_enum AS ENUM ('active', 'inactive', 'busy', 'error');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE worker_status_enum IS 'Current state reported by a worker';

-- Lifecycle of an enforcement (a rule firing)
DO $$
BEGIN
    CREATE TYPE enforcement_status_enum AS ENUM ('created', 'processed', 'disabled');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE enforcement_status_enum IS 'Processing state of a rule enforcement';

-- How the conditions of a rule combine
DO $$
BEGIN
    CREATE TYPE enforcement_condition_enum AS ENUM ('any', 'all');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE enforcement_condition_enum IS 'any: one condition suffices; all: every condition must hold';

-- Lifecycle of an execution
DO $$
BEGIN
    CREATE TYPE execution_status_enum AS ENUM (
        'requested',
        'scheduling',
        'scheduled',
        'running',
        'completed',
        'failed',
        'canceling',
        'cancelled',
        'timeout',
        'abandoned'
    );
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE execution_status_enum IS 'State machine of an action execution';

-- Lifecycle of an inquiry (a question put to a human)
DO $$
BEGIN
    CREATE TYPE inquiry_status_enum AS ENUM ('pending', 'responded', 'timeout', 'cancelled');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE inquiry_status_enum IS 'State of an inquiry waiting for a response';

-- What a concurrency policy does when its threshold is reached
DO $$
BEGIN
    CREATE TYPE policy_method_enum AS ENUM ('cancel', 'enqueue');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE policy_method_enum IS 'Action taken when a policy threshold is exceeded';

-- Who owns a key or an artifact
DO $$
BEGIN
    CREATE TYPE owner_type_enum AS ENUM ('system', 'identity', 'pack', 'action', 'sensor');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE owner_type_enum IS 'Kind of entity that owns a key or artifact';

-- NotificationState: delivery state of a notification
DO $$
BEGIN
    CREATE TYPE notification_status_enum AS ENUM ('created', 'queued', 'processing', 'error');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE notification_status_enum IS 'Delivery state of a notification';

-- What an artifact holds
DO $$
BEGIN
    CREATE TYPE artifact_type_enum AS ENUM (
        'file_binary',
        'file_datatable',
        'file_image',
        'file_text',
        'other',
        'progress',
        'url'
    );
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE artifact_type_enum IS 'Content kind of an artifact';

-- How long artifacts are kept
DO $$
BEGIN
    CREATE TYPE artifact_retention_enum AS ENUM ('versions', 'days', 'hours', 'minutes');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE artifact_retention_enum IS 'Unit of an artifact retention limit';

-- ============================================================================
-- SHARED FUNCTIONS
-- ============================================================================

-- Keeps the "updated" column of a row current; used by a BEFORE UPDATE trigger on most tables.
CREATE OR REPLACE FUNCTION update_updated_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

COMMENT ON FUNCTION update_updated_column() IS 'Trigger function: stamps NEW.updated with the current time';
