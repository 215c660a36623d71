SET check_function_bodies = false;

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TYPE worker_type_enum AS ENUM ('local', 'remote', 'container');

CREATE TYPE worker_status_enum AS ENUM ('active', 'inactive', 'busy', 'error');

CREATE TYPE enforcement_status_enum AS ENUM ('created', 'processed', 'disabled');

CREATE TYPE enforcement_condition_enum AS ENUM ('any', 'all');

CREATE TYPE execution_status_enum AS ENUM ('requested', 'scheduling', 'scheduled', 'running', 'completed', 'failed', 'canceling', 'cancelled', 'timeout', 'abandoned');

CREATE TYPE inquiry_status_enum AS ENUM ('pending', 'responded', 'timeout', 'cancelled');

CREATE TYPE policy_method_enum AS ENUM ('cancel', 'enqueue');

CREATE TYPE owner_type_enum AS ENUM ('system', 'identity', 'pack', 'action', 'sensor');

CREATE TYPE notification_status_enum AS ENUM ('created', 'queued', 'processing', 'error');

CREATE TYPE artifact_type_enum AS ENUM ('file_binary', 'file_datatable', 'file_image', 'file_text', 'other', 'progress', 'url');

CREATE TYPE artifact_retention_enum AS ENUM ('versions', 'days', 'hours', 'minutes');

CREATE OR REPLACE FUNCTION update_updated_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TYPE worker_role_enum AS ENUM ('action', 'sensor', 'hybrid');

COMMENT ON TYPE worker_type_enum IS 'Deployment kind of a worker process';

COMMENT ON TYPE worker_status_enum IS 'Current state reported by a worker';

COMMENT ON TYPE enforcement_status_enum IS 'Processing state of a rule enforcement';

COMMENT ON TYPE enforcement_condition_enum IS 'any: one condition suffices; all: every condition must hold';

COMMENT ON TYPE execution_status_enum IS 'State machine of an action execution';

COMMENT ON TYPE inquiry_status_enum IS 'State of an inquiry waiting for a response';

COMMENT ON TYPE policy_method_enum IS 'Action taken when a policy threshold is exceeded';

COMMENT ON TYPE owner_type_enum IS 'Kind of entity that owns a key or artifact';

COMMENT ON TYPE notification_status_enum IS 'Delivery state of a notification';

COMMENT ON TYPE artifact_type_enum IS 'Content kind of an artifact';

COMMENT ON TYPE artifact_retention_enum IS 'Unit of an artifact retention limit';

COMMENT ON FUNCTION update_updated_column() IS 'Trigger function: stamps NEW.updated with the current time';

COMMENT ON TYPE worker_role_enum IS 'What a worker runs: actions, sensors, or both (hybrid)';
