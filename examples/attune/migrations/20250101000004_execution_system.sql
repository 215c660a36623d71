-- Migration: Execution System
-- Description: Actions, rules, executions, inquiries and workflows.
-- Version: 20250101000004

-- ============================================================================
-- ACTION TABLE
-- ============================================================================

CREATE TABLE action (
    id BIGSERIAL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pack BIGINT NOT NULL REFERENCES pack(id) ON DELETE CASCADE,
    pack_ref TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    entrypoint TEXT NOT NULL,
    runtime BIGINT REFERENCES runtime(id),
    param_schema JSONB,
    out_schema JSONB,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT action_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT action_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

CREATE INDEX idx_action_ref ON action(ref);
CREATE INDEX idx_action_pack ON action(pack);
CREATE INDEX idx_action_runtime ON action(runtime);
CREATE INDEX idx_action_created ON action(created DESC);
CREATE INDEX idx_action_pack_runtime ON action(pack, runtime);
CREATE INDEX idx_action_pack_created ON action(pack, created DESC);

CREATE TRIGGER update_action_updated
    BEFORE UPDATE ON action
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE action IS 'Units of work a pack provides, run by a runtime';
COMMENT ON COLUMN action.entrypoint IS 'Script or binary the runtime runs';
COMMENT ON COLUMN action.param_schema IS 'JSON Schema of the action parameters';
COMMENT ON COLUMN action.out_schema IS 'JSON Schema of the action result';

GRANT SELECT, INSERT, UPDATE, DELETE ON action TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE action_id_seq TO svc_attune;

-- Foreign keys that had to wait for the action table
ALTER TABLE policy
    ADD CONSTRAINT policy_action_fkey
    FOREIGN KEY (action) REFERENCES action(id) ON DELETE CASCADE;

ALTER TABLE key
    ADD CONSTRAINT key_owner_action_fkey
    FOREIGN KEY (owner_action) REFERENCES action(id) ON DELETE CASCADE;

-- ============================================================================
-- RULE TABLE
-- ============================================================================

CREATE TABLE rule (
    id BIGSERIAL PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pack BIGINT NOT NULL REFERENCES pack(id) ON DELETE CASCADE,
    pack_ref TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    action BIGINT NOT NULL REFERENCES action(id),
    action_ref TEXT NOT NULL,
    trigger BIGINT NOT NULL REFERENCES trigger(id),
    trigger_ref TEXT NOT NULL,
    conditions JSONB NOT NULL DEFAULT '[]'::jsonb,
    action_params JSONB DEFAULT '{}'::jsonb,
    trigger_params JSONB DEFAULT '{}'::jsonb,
    enabled BOOLEAN NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),

    CONSTRAINT rule_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT rule_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

CREATE INDEX idx_rule_ref ON rule(ref);
CREATE INDEX idx_rule_pack ON rule(pack);
CREATE INDEX idx_rule_action ON rule(action);
CREATE INDEX idx_rule_trigger ON rule(trigger);
CREATE INDEX idx_rule_enabled ON rule(enabled) WHERE enabled = TRUE;
CREATE INDEX idx_rule_created ON rule(created DESC);
CREATE INDEX idx_rule_trigger_enabled ON rule(trigger, enabled);
CREATE INDEX idx_rule_action_enabled ON rule(action, enabled);
CREATE INDEX idx_rule_pack_enabled ON rule(pack, enabled);
CREATE INDEX idx_rule_action_params_gin ON rule USING GIN (action_params);
CREATE INDEX idx_rule_trigger_params_gin ON rule USING GIN (trigger_params);

CREATE TRIGGER update_rule_updated
    BEFORE UPDATE ON rule
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE rule IS 'Links a trigger to an action, under conditions';
COMMENT ON COLUMN rule.conditions IS 'Conditions on the event payload';
COMMENT ON COLUMN rule.action_params IS 'Parameters passed to the action (may use templates)';
COMMENT ON COLUMN rule.trigger_params IS 'Parameters that select matching trigger events';

GRANT SELECT, INSERT, UPDATE, DELETE ON rule TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE rule_id_seq TO svc_attune;

-- The enforcement table was created before rule; an enforcement outlives its rule.
ALTER TABLE enforcement
    ADD CONSTRAINT enforcement_rule_fkey
    FOREIGN KEY (rule) REFERENCES rule(id) ON DELETE SET NULL;

-- ============================================================================
-- EXECUTION TABLE
-- ============================================================================

CREATE TABLE execution (
    id BIGSERIAL PRIMARY KEY,
    action BIGINT REFERENCES action(id),
    action_ref TEXT NOT NULL,
    config JSONB,
    parent BIGINT REFERENCES execution(id),
    enforcement BIGINT REFERENCES enforcement(id),
    executor BIGINT REFERENCES identity(id) ON DELETE SET NULL,
    status execution_status_enum NOT NULL DEFAULT 'requested',
    result JSONB,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_execution_action ON execution(action);
CREATE INDEX idx_execution_action_ref ON execution(action_ref);
CREATE INDEX idx_execution_parent ON execution(parent);
CREATE INDEX idx_execution_enforcement ON execution(enforcement);
CREATE INDEX idx_execution_executor ON execution(executor);
CREATE INDEX idx_execution_status ON execution(status);
CREATE INDEX idx_execution_created ON execution(created DESC);
CREATE INDEX idx_execution_updated ON execution(updated DESC);
CREATE INDEX idx_execution_status_created ON execution(status, created DESC);
CREATE INDEX idx_execution_status_updated ON execution(status, updated DESC);
CREATE INDEX idx_execution_action_status ON execution(action, status);
CREATE INDEX idx_execution_executor_created ON execution(executor, created DESC);
CREATE INDEX idx_execution_parent_created ON execution(parent, created DESC);
CREATE INDEX idx_execution_result_gin ON execution USING GIN (result);

CREATE TRIGGER update_execution_updated
    BEFORE UPDATE ON execution
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE execution IS 'One run of an action';
COMMENT ON COLUMN execution.parent IS 'Parent execution, for workflow steps';
COMMENT ON COLUMN execution.enforcement IS 'Enforcement that requested the run, if any';
COMMENT ON COLUMN execution.executor IS 'Identity that requested the run';

GRANT SELECT, INSERT, UPDATE, DELETE ON execution TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE execution_id_seq TO svc_attune;

-- ============================================================================
-- INQUIRY TABLE
-- ============================================================================

CREATE TABLE inquiry (
    id BIGSERIAL PRIMARY KEY,
    execution BIGINT NOT NULL REFERENCES execution(id) ON DELETE CASCADE,
    prompt TEXT NOT NULL,
    response_schema JSONB,
    assigned_to BIGINT REFERENCES identity(id) ON DELETE SET NULL,
    status inquiry_status_enum NOT NULL DEFAULT 'pending',
    response JSONB,
    timeout_at TIMESTAMPTZ,
    responded_at TIMESTAMPTZ,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_inquiry_execution ON inquiry(execution);
CREATE INDEX idx_inquiry_assigned_to ON inquiry(assigned_to);
CREATE INDEX idx_inquiry_status ON inquiry(status);
CREATE INDEX idx_inquiry_timeout_at ON inquiry(timeout_at) WHERE timeout_at IS NOT NULL;
CREATE INDEX idx_inquiry_created ON inquiry(created DESC);
CREATE INDEX idx_inquiry_status_created ON inquiry(status, created DESC);
CREATE INDEX idx_inquiry_assigned_status ON inquiry(assigned_to, status);
CREATE INDEX idx_inquiry_execution_status ON inquiry(execution, status);
CREATE INDEX idx_inquiry_response_gin ON inquiry USING GIN (response);

CREATE TRIGGER update_inquiry_updated
    BEFORE UPDATE ON inquiry
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE inquiry IS 'A question an execution asks a person, and the answer';
COMMENT ON COLUMN inquiry.response_schema IS 'JSON Schema the response must satisfy';
COMMENT ON COLUMN inquiry.timeout_at IS 'When the inquiry times out';

GRANT SELECT, INSERT, UPDATE, DELETE ON inquiry TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE inquiry_id_seq TO svc_attune;

-- ============================================================================
-- WORKFLOW_DEFINITION TABLE
-- ============================================================================

CREATE TABLE workflow_definition (
    id BIGSERIAL PRIMARY KEY,
    ref VARCHAR(255) NOT NULL UNIQUE,
    pack BIGINT NOT NULL REFERENCES pack(id) ON DELETE CASCADE,
    pack_ref VARCHAR(255) NOT NULL,
    label VARCHAR(255) NOT NULL,
    description TEXT,
    version VARCHAR(50) NOT NULL,
    param_schema JSONB,
    out_schema JSONB,
    definition JSONB NOT NULL,
    tags TEXT[] DEFAULT '{}',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_workflow_def_pack ON workflow_definition(pack);
CREATE INDEX idx_workflow_def_enabled ON workflow_definition(enabled);
CREATE INDEX idx_workflow_def_ref ON workflow_definition(ref);
CREATE INDEX idx_workflow_def_tags ON workflow_definition USING GIN (tags);

CREATE TRIGGER update_workflow_definition_updated
    BEFORE UPDATE ON workflow_definition
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE workflow_definition IS 'Workflows: graphs of tasks, loaded from pack YAML';
COMMENT ON COLUMN workflow_definition.definition IS 'The parsed workflow (tasks, transitions, variables)';

GRANT SELECT, INSERT, UPDATE, DELETE ON workflow_definition TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE workflow_definition_id_seq TO svc_attune;

-- ============================================================================
-- WORKFLOW_EXECUTION TABLE
-- ============================================================================

CREATE TABLE workflow_execution (
    id BIGSERIAL PRIMARY KEY,
    execution BIGINT NOT NULL REFERENCES execution(id) ON DELETE CASCADE,
    workflow_def BIGINT NOT NULL REFERENCES workflow_definition(id),
    current_tasks TEXT[] DEFAULT '{}',
    completed_tasks TEXT[] DEFAULT '{}',
    failed_tasks TEXT[] DEFAULT '{}',
    skipped_tasks TEXT[] DEFAULT '{}',
    variables JSONB DEFAULT '{}'::jsonb,
    task_graph JSONB NOT NULL,
    status execution_status_enum NOT NULL DEFAULT 'requested',
    error_message TEXT,
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    pause_reason TEXT,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_workflow_exec_execution ON workflow_execution(execution);
CREATE INDEX idx_workflow_exec_workflow_def ON workflow_execution(workflow_def);
CREATE INDEX idx_workflow_exec_status ON workflow_execution(status);
CREATE INDEX idx_workflow_exec_paused ON workflow_execution(paused) WHERE paused = TRUE;

CREATE TRIGGER update_workflow_execution_updated
    BEFORE UPDATE ON workflow_execution
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE workflow_execution IS 'Runtime state of one workflow run';
COMMENT ON COLUMN workflow_execution.task_graph IS 'Task dependency graph, resolved at start';
COMMENT ON COLUMN workflow_execution.variables IS 'Workflow variables, updated as tasks publish';

GRANT SELECT, INSERT, UPDATE, DELETE ON workflow_execution TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE workflow_execution_id_seq TO svc_attune;

-- ============================================================================
-- WORKFLOW_TASK_EXECUTION TABLE
-- ============================================================================

CREATE TABLE workflow_task_execution (
    id BIGSERIAL PRIMARY KEY,
    workflow_execution BIGINT NOT NULL REFERENCES workflow_execution(id) ON DELETE CASCADE,
    execution BIGINT NOT NULL REFERENCES execution(id) ON DELETE CASCADE,
    task_name VARCHAR(255) NOT NULL,
    task_index INTEGER,
    task_batch INTEGER,
    status execution_status_enum NOT NULL DEFAULT 'requested',
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    duration_ms BIGINT,
    result JSONB,
    error JSONB,
    retry_count INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL DEFAULT 0,
    next_retry_at TIMESTAMPTZ,
    timeout_seconds INTEGER,
    timed_out BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_wf_task_exec_workflow ON workflow_task_execution(workflow_execution);
CREATE INDEX idx_wf_task_exec_execution ON workflow_task_execution(execution);
CREATE INDEX idx_wf_task_exec_status ON workflow_task_execution(status);
CREATE INDEX idx_wf_task_exec_task_name ON workflow_task_execution(task_name);
CREATE INDEX idx_wf_task_exec_retry ON workflow_task_execution(retry_count) WHERE retry_count > 0;
CREATE INDEX idx_wf_task_exec_timeout ON workflow_task_execution(timed_out) WHERE timed_out = TRUE;

CREATE TRIGGER update_workflow_task_execution_updated
    BEFORE UPDATE ON workflow_task_execution
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE workflow_task_execution IS 'One task of a workflow run, with retry and timeout state';
COMMENT ON COLUMN workflow_task_execution.task_batch IS 'Batch number for with-items tasks';

GRANT SELECT, INSERT, UPDATE, DELETE ON workflow_task_execution TO svc_attune;
GRANT USAGE, SELECT ON SEQUENCE workflow_task_execution_id_seq TO svc_attune;

-- ============================================================================
-- WORKFLOW COLUMNS ON ACTION
-- ============================================================================
-- A workflow is exposed as an action, so the action table learns which workflow it stands for.

ALTER TABLE action
    ADD COLUMN is_workflow BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN workflow_def BIGINT REFERENCES workflow_definition(id) ON DELETE CASCADE;

CREATE INDEX idx_action_is_workflow ON action(is_workflow) WHERE is_workflow = TRUE;
CREATE INDEX idx_action_workflow_def ON action(workflow_def);

COMMENT ON COLUMN action.is_workflow IS 'True when the action runs a workflow';
COMMENT ON COLUMN action.workflow_def IS 'The workflow this action runs';

-- ============================================================================
-- VIEWS
-- ============================================================================

CREATE VIEW workflow_execution_summary AS
SELECT
    we.id,
    we.execution,
    wd.ref AS workflow_ref,
    wd.label AS workflow_label,
    we.status,
    we.paused,
    COALESCE(array_length(we.current_tasks, 1), 0) AS running_task_count,
    COALESCE(array_length(we.completed_tasks, 1), 0) AS completed_task_count,
    COALESCE(array_length(we.failed_tasks, 1), 0) AS failed_task_count,
    COALESCE(array_length(we.skipped_tasks, 1), 0) AS skipped_task_count,
    we.error_message,
    we.created,
    we.updated
FROM workflow_execution we
JOIN workflow_definition wd ON wd.id = we.workflow_def;

COMMENT ON VIEW workflow_execution_summary IS 'Workflow runs with their task counts';

CREATE VIEW workflow_task_detail AS
SELECT
    wte.id,
    wte.workflow_execution,
    wte.execution,
    wd.ref AS workflow_ref,
    wte.task_name,
    wte.task_index,
    wte.task_batch,
    wte.status,
    wte.retry_count,
    wte.max_retries,
    wte.timed_out,
    wte.duration_ms,
    wte.started_at,
    wte.completed_at
FROM workflow_task_execution wte
JOIN workflow_execution we ON we.id = wte.workflow_execution
JOIN workflow_definition wd ON wd.id = we.workflow_def;

COMMENT ON VIEW workflow_task_detail IS 'Workflow tasks with their workflow reference';

CREATE VIEW workflow_action_link AS
SELECT
    wd.id AS workflow_def_id,
    wd.ref AS workflow_ref,
    a.id AS action_id,
    a.ref AS action_ref,
    a.pack_ref
FROM workflow_definition wd
LEFT JOIN action a ON a.workflow_def = wd.id AND a.is_workflow = TRUE;

COMMENT ON VIEW workflow_action_link IS 'Which action runs which workflow';

GRANT SELECT ON workflow_execution_summary TO svc_attune;
GRANT SELECT ON workflow_task_detail TO svc_attune;
GRANT SELECT ON workflow_action_link TO svc_attune;
