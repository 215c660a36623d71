-- and moves to its own schema: still keyed by its table
ALTER TABLE _private_jobs SET SCHEMA internals;
DROP POLICY everything ON internals._private_jobs;
COMMENT ON TRIGGER touch_attempts ON internals._private_jobs IS 'counts attempts again';
ALTER TABLE internals._private_jobs RENAME TO queue_jobs;
COMMENT ON POLICY by_queue ON internals.queue_jobs IS 'hides one queue';
