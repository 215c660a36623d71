SET check_function_bodies = false;

CREATE TABLE workflow_definition (
    id BIGSERIAL NOT NULL,
    ref VARCHAR(255) NOT NULL,
    pack BIGINT NOT NULL,
    pack_ref VARCHAR(255) NOT NULL,
    label VARCHAR(255) NOT NULL,
    description TEXT,
    version VARCHAR(50) NOT NULL,
    param_schema JSONB,
    out_schema JSONB,
    definition JSONB NOT NULL,
    tags TEXT[] DEFAULT '{}',
    enabled BOOLEAN DEFAULT TRUE NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

CREATE TABLE workflow_execution (
    id BIGSERIAL NOT NULL,
    execution BIGINT NOT NULL,
    workflow_def BIGINT NOT NULL,
    current_tasks TEXT[] DEFAULT '{}',
    completed_tasks TEXT[] DEFAULT '{}',
    failed_tasks TEXT[] DEFAULT '{}',
    skipped_tasks TEXT[] DEFAULT '{}',
    variables JSONB DEFAULT '{}'::jsonb,
    task_graph JSONB NOT NULL,
    status execution_status_enum DEFAULT 'requested' NOT NULL,
    error_message TEXT,
    paused BOOLEAN DEFAULT FALSE NOT NULL,
    pause_reason TEXT,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

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

CREATE VIEW workflow_action_link AS
SELECT
    wd.id AS workflow_def_id,
    wd.ref AS workflow_ref,
    a.id AS action_id,
    a.ref AS action_ref,
    a.pack_ref
FROM workflow_definition wd
LEFT JOIN action a ON a.workflow_def = wd.id AND a.is_workflow = TRUE;

ALTER TABLE ONLY workflow_definition ADD CONSTRAINT workflow_definition_pkey PRIMARY KEY (id);

ALTER TABLE ONLY workflow_definition ADD CONSTRAINT workflow_definition_ref_key UNIQUE (ref);

ALTER TABLE ONLY workflow_execution ADD CONSTRAINT workflow_execution_pkey PRIMARY KEY (id);

CREATE INDEX idx_workflow_def_pack ON workflow_definition (pack);

CREATE INDEX idx_workflow_def_enabled ON workflow_definition (enabled);

CREATE INDEX idx_workflow_def_ref ON workflow_definition (ref);

CREATE INDEX idx_workflow_def_tags ON workflow_definition USING gin (tags);

CREATE INDEX idx_workflow_exec_execution ON workflow_execution (execution);

CREATE INDEX idx_workflow_exec_workflow_def ON workflow_execution (workflow_def);

CREATE INDEX idx_workflow_exec_status ON workflow_execution (status);

CREATE INDEX idx_workflow_exec_paused ON workflow_execution (paused) WHERE (paused = TRUE);

ALTER TABLE ONLY action ADD CONSTRAINT action_workflow_def_fkey FOREIGN KEY (workflow_def) REFERENCES workflow_definition (id) ON DELETE CASCADE;

ALTER TABLE ONLY workflow_definition ADD CONSTRAINT workflow_definition_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY workflow_execution ADD CONSTRAINT workflow_execution_execution_fkey FOREIGN KEY (execution) REFERENCES execution (id) ON DELETE CASCADE;

ALTER TABLE ONLY workflow_execution ADD CONSTRAINT workflow_execution_workflow_def_fkey FOREIGN KEY (workflow_def) REFERENCES workflow_definition (id);

CREATE TRIGGER update_workflow_definition_updated BEFORE UPDATE ON workflow_definition FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_workflow_execution_updated BEFORE UPDATE ON workflow_execution FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE workflow_definition IS 'Workflows: graphs of tasks, loaded from pack YAML';

COMMENT ON COLUMN workflow_definition.definition IS 'The parsed workflow (tasks, transitions, variables)';

COMMENT ON TABLE workflow_execution IS 'Runtime state of one workflow run';

COMMENT ON COLUMN workflow_execution.variables IS 'Workflow variables, updated as tasks publish';

COMMENT ON COLUMN workflow_execution.task_graph IS 'Task dependency graph, resolved at start';

COMMENT ON VIEW workflow_execution_summary IS 'Workflow runs with their task counts';

COMMENT ON VIEW workflow_action_link IS 'Which action runs which workflow';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE workflow_definition TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE workflow_definition_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE workflow_execution TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE workflow_execution_id_seq TO svc_attune;

GRANT SELECT ON TABLE workflow_execution_summary TO svc_attune;

GRANT SELECT ON TABLE workflow_action_link TO svc_attune;
