SET check_function_bodies = false;

CREATE TABLE policy (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    pack BIGINT,
    pack_ref TEXT,
    action BIGINT,
    action_ref TEXT,
    parameters TEXT[] DEFAULT ARRAY[]::TEXT[] NOT NULL,
    method policy_method_enum NOT NULL,
    threshold INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    tags TEXT[] DEFAULT ARRAY[]::TEXT[] NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    CONSTRAINT policy_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT policy_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$'),
    CONSTRAINT policy_threshold_positive CHECK (threshold > 0)
);

CREATE TABLE enforcement (
    id BIGSERIAL NOT NULL,
    rule BIGINT,
    rule_ref TEXT NOT NULL,
    trigger_ref TEXT NOT NULL,
    config JSONB,
    event BIGINT,
    status enforcement_status_enum DEFAULT 'created' NOT NULL,
    payload JSONB NOT NULL,
    condition enforcement_condition_enum DEFAULT 'all' NOT NULL,
    conditions JSONB DEFAULT '[]'::jsonb NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    CONSTRAINT enforcement_condition_check CHECK (condition IN ('any', 'all'))
);

CREATE TABLE execution (
    id BIGSERIAL NOT NULL,
    action BIGINT,
    action_ref TEXT NOT NULL,
    config JSONB,
    parent BIGINT,
    enforcement BIGINT,
    executor BIGINT,
    status execution_status_enum DEFAULT 'requested' NOT NULL,
    result JSONB,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    workflow_task JSONB
);

CREATE TABLE inquiry (
    id BIGSERIAL NOT NULL,
    execution BIGINT NOT NULL,
    prompt TEXT NOT NULL,
    response_schema JSONB,
    assigned_to BIGINT,
    status inquiry_status_enum DEFAULT 'pending' NOT NULL,
    response JSONB,
    timeout_at TIMESTAMPTZ,
    responded_at TIMESTAMPTZ,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

ALTER TABLE ONLY policy ADD CONSTRAINT policy_pkey PRIMARY KEY (id);

ALTER TABLE ONLY policy ADD CONSTRAINT policy_ref_key UNIQUE (ref);

ALTER TABLE ONLY enforcement ADD CONSTRAINT enforcement_pkey PRIMARY KEY (id);

ALTER TABLE ONLY execution ADD CONSTRAINT execution_pkey PRIMARY KEY (id);

ALTER TABLE ONLY inquiry ADD CONSTRAINT inquiry_pkey PRIMARY KEY (id);

CREATE INDEX idx_policy_ref ON policy (ref);

CREATE INDEX idx_policy_pack ON policy (pack);

CREATE INDEX idx_policy_action ON policy (action);

CREATE INDEX idx_policy_created ON policy (created DESC);

CREATE INDEX idx_policy_action_created ON policy (action, created DESC);

CREATE INDEX idx_policy_pack_created ON policy (pack, created DESC);

CREATE INDEX idx_policy_parameters_gin ON policy USING gin (parameters);

CREATE INDEX idx_policy_tags_gin ON policy USING gin (tags);

CREATE INDEX idx_enforcement_rule ON enforcement (rule);

CREATE INDEX idx_enforcement_rule_ref ON enforcement (rule_ref);

CREATE INDEX idx_enforcement_trigger_ref ON enforcement (trigger_ref);

CREATE INDEX idx_enforcement_event ON enforcement (event);

CREATE INDEX idx_enforcement_status ON enforcement (status);

CREATE INDEX idx_enforcement_created ON enforcement (created DESC);

CREATE INDEX idx_enforcement_status_created ON enforcement (status, created DESC);

CREATE INDEX idx_enforcement_rule_status ON enforcement (rule, status);

CREATE INDEX idx_enforcement_event_status ON enforcement (event, status);

CREATE INDEX idx_enforcement_payload_gin ON enforcement USING gin (payload);

CREATE INDEX idx_enforcement_conditions_gin ON enforcement USING gin (conditions);

CREATE INDEX idx_execution_action ON execution (action);

CREATE INDEX idx_execution_action_ref ON execution (action_ref);

CREATE INDEX idx_execution_parent ON execution (parent);

CREATE INDEX idx_execution_enforcement ON execution (enforcement);

CREATE INDEX idx_execution_executor ON execution (executor);

CREATE INDEX idx_execution_status ON execution (status);

CREATE INDEX idx_execution_created ON execution (created DESC);

CREATE INDEX idx_execution_updated ON execution (updated DESC);

CREATE INDEX idx_execution_status_created ON execution (status, created DESC);

CREATE INDEX idx_execution_status_updated ON execution (status, updated DESC);

CREATE INDEX idx_execution_action_status ON execution (action, status);

CREATE INDEX idx_execution_executor_created ON execution (executor, created DESC);

CREATE INDEX idx_execution_parent_created ON execution (parent, created DESC);

CREATE INDEX idx_execution_result_gin ON execution USING gin (result);

CREATE INDEX idx_inquiry_execution ON inquiry (execution);

CREATE INDEX idx_inquiry_assigned_to ON inquiry (assigned_to);

CREATE INDEX idx_inquiry_status ON inquiry (status);

CREATE INDEX idx_inquiry_timeout_at ON inquiry (timeout_at) WHERE (timeout_at IS NOT NULL);

CREATE INDEX idx_inquiry_created ON inquiry (created DESC);

CREATE INDEX idx_inquiry_status_created ON inquiry (status, created DESC);

CREATE INDEX idx_inquiry_assigned_status ON inquiry (assigned_to, status);

CREATE INDEX idx_inquiry_execution_status ON inquiry (execution, status);

CREATE INDEX idx_inquiry_response_gin ON inquiry USING gin (response);

CREATE INDEX idx_execution_workflow_task_gin ON execution USING gin (workflow_task) WHERE (workflow_task IS NOT NULL);

CREATE INDEX idx_execution_workflow_execution ON execution ((workflow_task->>'workflow_execution')) WHERE (workflow_task IS NOT NULL);

CREATE INDEX idx_execution_task_name ON execution ((workflow_task->>'task_name')) WHERE (workflow_task IS NOT NULL);

CREATE INDEX idx_execution_pending_retries ON execution ((workflow_task->>'next_retry_at')) WHERE (workflow_task IS NOT NULL AND workflow_task->>'next_retry_at' IS NOT NULL);

CREATE INDEX idx_execution_timed_out ON execution ((workflow_task->>'timed_out')) WHERE (workflow_task IS NOT NULL);

CREATE INDEX idx_execution_workflow_status ON execution (status, (workflow_task->>'workflow_execution')) WHERE (workflow_task IS NOT NULL);

ALTER TABLE ONLY policy ADD CONSTRAINT policy_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY policy ADD CONSTRAINT policy_action_fkey FOREIGN KEY (action) REFERENCES action (id) ON DELETE CASCADE;

ALTER TABLE ONLY enforcement ADD CONSTRAINT enforcement_event_fkey FOREIGN KEY (event) REFERENCES event (id) ON DELETE SET NULL;

ALTER TABLE ONLY enforcement ADD CONSTRAINT enforcement_rule_fkey FOREIGN KEY (rule) REFERENCES rule (id) ON DELETE SET NULL;

ALTER TABLE ONLY execution ADD CONSTRAINT execution_action_fkey FOREIGN KEY (action) REFERENCES action (id);

ALTER TABLE ONLY execution ADD CONSTRAINT execution_parent_fkey FOREIGN KEY (parent) REFERENCES execution (id);

ALTER TABLE ONLY execution ADD CONSTRAINT execution_enforcement_fkey FOREIGN KEY (enforcement) REFERENCES enforcement (id);

ALTER TABLE ONLY execution ADD CONSTRAINT execution_executor_fkey FOREIGN KEY (executor) REFERENCES identity (id) ON DELETE SET NULL;

ALTER TABLE ONLY inquiry ADD CONSTRAINT inquiry_execution_fkey FOREIGN KEY (execution) REFERENCES execution (id) ON DELETE CASCADE;

ALTER TABLE ONLY inquiry ADD CONSTRAINT inquiry_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES identity (id) ON DELETE SET NULL;

CREATE TRIGGER update_policy_updated BEFORE UPDATE ON policy FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_enforcement_updated BEFORE UPDATE ON enforcement FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_execution_updated BEFORE UPDATE ON execution FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_inquiry_updated BEFORE UPDATE ON inquiry FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE policy IS 'Concurrency and rate policies applied to actions';

COMMENT ON COLUMN policy.parameters IS 'Action parameters the policy groups by';

COMMENT ON COLUMN policy.method IS 'What happens when the threshold is reached';

COMMENT ON COLUMN policy.threshold IS 'Maximum concurrent executions';

COMMENT ON TABLE enforcement IS 'A rule matched an event: the decision to run its action';

COMMENT ON COLUMN enforcement.rule_ref IS 'Rule reference, kept when the rule is deleted';

COMMENT ON COLUMN enforcement.condition IS 'How conditions combine (any or all)';

COMMENT ON COLUMN enforcement.conditions IS 'Conditions evaluated against the event payload';

COMMENT ON TABLE execution IS 'One run of an action';

COMMENT ON COLUMN execution.parent IS 'Parent execution, for workflow steps';

COMMENT ON COLUMN execution.enforcement IS 'Enforcement that requested the run, if any';

COMMENT ON COLUMN execution.executor IS 'Identity that requested the run';

COMMENT ON COLUMN execution.workflow_task IS 'Workflow task state (workflow_execution, task_name, retries, timeout...); NULL for plain executions';

COMMENT ON TABLE inquiry IS 'A question an execution asks a person, and the answer';

COMMENT ON COLUMN inquiry.response_schema IS 'JSON Schema the response must satisfy';

COMMENT ON COLUMN inquiry.timeout_at IS 'When the inquiry times out';

COMMENT ON INDEX idx_execution_workflow_task_gin IS 'Containment queries on workflow task state';

COMMENT ON INDEX idx_execution_workflow_execution IS 'Tasks of one workflow run';

COMMENT ON INDEX idx_execution_task_name IS 'Tasks by name';

COMMENT ON INDEX idx_execution_pending_retries IS 'Tasks waiting for a retry';

COMMENT ON INDEX idx_execution_timed_out IS 'Tasks that timed out';

COMMENT ON INDEX idx_execution_workflow_status IS 'Task status within a workflow run';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE policy TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE policy_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE enforcement TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE enforcement_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE execution TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE execution_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE inquiry TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE inquiry_id_seq TO svc_attune;
