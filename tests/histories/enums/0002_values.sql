ALTER TYPE status ADD VALUE 'running' BEFORE 'done';
ALTER TYPE status ADD VALUE 'failed';
ALTER TYPE status ADD VALUE IF NOT EXISTS 'new';
