-- Migration: Add is_adhoc flag
-- Description: Marks actions, rules and triggers created by users at run time (ad hoc), as
--              opposed to those installed with a pack.
-- Version: 20260129140130

ALTER TABLE action ADD COLUMN IF NOT EXISTS is_adhoc BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE rule ADD COLUMN IF NOT EXISTS is_adhoc BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE trigger ADD COLUMN IF NOT EXISTS is_adhoc BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX IF NOT EXISTS idx_action_is_adhoc ON action(is_adhoc) WHERE is_adhoc = TRUE;
CREATE INDEX IF NOT EXISTS idx_rule_is_adhoc ON rule(is_adhoc) WHERE is_adhoc = TRUE;
CREATE INDEX IF NOT EXISTS idx_trigger_is_adhoc ON trigger(is_adhoc) WHERE is_adhoc = TRUE;

COMMENT ON COLUMN action.is_adhoc IS 'Created by a user, not installed by a pack';
COMMENT ON COLUMN rule.is_adhoc IS 'Created by a user, not installed by a pack';
COMMENT ON COLUMN trigger.is_adhoc IS 'Created by a user, not installed by a pack';

-- Ad-hoc items may be deleted by users. Items installed by a pack are removed only by
-- uninstalling the pack.
