-- the table becomes private: its trigger and policies follow it under the new name
ALTER TABLE jobs RENAME TO _private_jobs;
COMMENT ON TRIGGER touch ON _private_jobs IS 'counts every attempt';
ALTER POLICY by_queue ON _private_jobs USING (queue <> 'hidden');
DROP TRIGGER touch_again ON _private_jobs;
ALTER TRIGGER touch ON _private_jobs RENAME TO touch_attempts;
