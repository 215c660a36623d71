-- Migration: Unify runtimes
-- Description: One runtime serves both actions and sensors: refs become pack.name
--              (core.python instead of core.action.python / core.sensor.python) and the
--              runtime_type column and its enum go. Runtime rows now come from the core pack's
--              YAML files, so the table is emptied here.
-- Version: 20260203000001
--
-- Reconstruction choice: this is the second version of the file (the one kept in
-- migrations.old/ and described by the consolidation docs), which TRUNCATEs instead of
-- merging rows with four upserts.

-- ============================================================================
-- STEP 0: loosen the old shape
-- ============================================================================

ALTER TABLE runtime ALTER COLUMN runtime_type DROP NOT NULL;

ALTER TABLE runtime DROP CONSTRAINT IF EXISTS runtime_ref_format;

-- will recreate with the new format
ALTER TABLE runtime DROP CONSTRAINT IF EXISTS runtime_ref_lowercase;

-- ============================================================================
-- STEP 1: remove every runtime row
-- ============================================================================
-- CASCADE empties every table whose foreign keys lead back to runtime (workers, sensors,
-- actions and what hangs off them). Runtimes are loaded again from
-- packs/core/runtimes/*.yaml when the core pack is installed.

TRUNCATE runtime CASCADE;

-- ============================================================================
-- STEP 2: drop runtime_type
-- ============================================================================

DROP INDEX IF EXISTS idx_runtime_type;
DROP INDEX IF EXISTS idx_runtime_pack_type;
DROP INDEX IF EXISTS idx_runtime_type_created;
DROP INDEX IF EXISTS idx_runtime_type_sensor;

ALTER TABLE runtime DROP COLUMN IF EXISTS runtime_type;

DROP TYPE IF EXISTS runtime_type_enum;

-- ============================================================================
-- STEP 3: the new shape
-- ============================================================================

COMMENT ON TABLE runtime IS 'Execution environments shared by actions and sensors';
COMMENT ON COLUMN runtime.ref IS 'Reference in the form pack.name (e.g. core.python)';

CREATE INDEX IF NOT EXISTS idx_runtime_name ON runtime(name);
CREATE INDEX IF NOT EXISTS idx_runtime_verification ON runtime USING GIN ((distributions->'verification'));

COMMENT ON COLUMN runtime.distributions IS 'Detection rules: verification.commands[] (binary, args, exit_code, pattern, priority, optional), always_available, check_required, version bounds';

DO $$
BEGIN
    RAISE NOTICE 'runtimes unified: runtime_type removed, table emptied';
    RAISE NOTICE 'load runtimes from packs/core/runtimes/{python,nodejs,shell,native,sensor_builtin}.yaml';
END $$;
