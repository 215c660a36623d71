-- values keep their order: BEFORE and AFTER place them, RENAME VALUE keeps the place
ALTER TYPE priority ADD VALUE 'medium' BEFORE 'high';
ALTER TYPE priority ADD VALUE IF NOT EXISTS 'urgent' AFTER 'high';
ALTER TYPE priority ADD VALUE IF NOT EXISTS 'low';
ALTER TYPE priority ADD VALUE 'lowest' BEFORE 'low';
ALTER TYPE priority RENAME VALUE 'urgent' TO 'critical';
