-- Migration: Add worker role
-- Description: A worker runs actions, sensors, or both.
-- Version: 20260131000001

DO $$
BEGIN
    CREATE TYPE worker_role_enum AS ENUM ('action', 'sensor', 'hybrid');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE worker_role_enum IS 'What a worker runs: actions, sensors, or both (hybrid)';

ALTER TABLE worker ADD COLUMN IF NOT EXISTS worker_role worker_role_enum NOT NULL DEFAULT 'action';

CREATE INDEX IF NOT EXISTS idx_worker_role ON worker(worker_role);
CREATE INDEX IF NOT EXISTS idx_worker_role_status ON worker(worker_role, status);

-- Existing workers ran actions (the default already says so; kept for older databases).
UPDATE worker SET worker_role = 'action' WHERE worker_role IS NULL;
