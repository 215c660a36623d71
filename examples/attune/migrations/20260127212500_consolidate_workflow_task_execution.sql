-- Migration: Consolidate workflow_task_execution into execution
-- Description: A workflow task is an execution; its task-specific state moves into a JSONB
--              column of execution and the separate table goes.
-- Version: 20260127212500

-- ============================================================================
-- STEP 1: the new column
-- ============================================================================

ALTER TABLE execution ADD COLUMN IF NOT EXISTS workflow_task JSONB;

COMMENT ON COLUMN execution.workflow_task IS 'Workflow task state (workflow_execution, task_name, retries, timeout...); NULL for plain executions';

-- ============================================================================
-- STEP 2: copy task state from the old table
-- ============================================================================

UPDATE execution e
SET workflow_task = jsonb_build_object(
    'workflow_execution', wte.workflow_execution,
    'task_name', wte.task_name,
    'task_index', wte.task_index,
    'task_batch', wte.task_batch,
    'retry_count', wte.retry_count,
    'max_retries', wte.max_retries,
    'next_retry_at', to_char(wte.next_retry_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'timeout_seconds', wte.timeout_seconds,
    'timed_out', wte.timed_out,
    'duration_ms', wte.duration_ms,
    'started_at', to_char(wte.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'completed_at', to_char(wte.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
)
FROM workflow_task_execution wte
WHERE wte.execution = e.id;

-- ============================================================================
-- STEP 3: indexes on the task state
-- ============================================================================

CREATE INDEX IF NOT EXISTS idx_execution_workflow_task_gin
    ON execution USING GIN (workflow_task)
    WHERE workflow_task IS NOT NULL;

CREATE INDEX IF NOT EXISTS idx_execution_workflow_execution
    ON execution ((workflow_task->>'workflow_execution'))
    WHERE workflow_task IS NOT NULL;

CREATE INDEX IF NOT EXISTS idx_execution_task_name
    ON execution ((workflow_task->>'task_name'))
    WHERE workflow_task IS NOT NULL;

CREATE INDEX IF NOT EXISTS idx_execution_pending_retries
    ON execution ((workflow_task->>'next_retry_at'))
    WHERE workflow_task IS NOT NULL AND workflow_task->>'next_retry_at' IS NOT NULL;

CREATE INDEX IF NOT EXISTS idx_execution_timed_out
    ON execution ((workflow_task->>'timed_out'))
    WHERE workflow_task IS NOT NULL;

CREATE INDEX IF NOT EXISTS idx_execution_workflow_status
    ON execution (status, (workflow_task->>'workflow_execution'))
    WHERE workflow_task IS NOT NULL;

-- ============================================================================
-- STEP 4: drop the old table (CASCADE also takes the view workflow_task_detail)
-- ============================================================================

DROP TABLE IF EXISTS workflow_task_execution CASCADE;

-- ============================================================================
-- STEP 5: document the indexes
-- ============================================================================

COMMENT ON INDEX idx_execution_workflow_task_gin IS 'Containment queries on workflow task state';
COMMENT ON INDEX idx_execution_workflow_execution IS 'Tasks of one workflow run';
COMMENT ON INDEX idx_execution_task_name IS 'Tasks by name';
COMMENT ON INDEX idx_execution_pending_retries IS 'Tasks waiting for a retry';
COMMENT ON INDEX idx_execution_timed_out IS 'Tasks that timed out';
COMMENT ON INDEX idx_execution_workflow_status IS 'Task status within a workflow run';

-- Checks to run by hand after migrating:
-- SELECT count(*) FROM execution WHERE workflow_task IS NOT NULL;
-- SELECT workflow_task->>'task_name', status FROM execution
--  WHERE workflow_task->>'workflow_execution' = '<id>';
