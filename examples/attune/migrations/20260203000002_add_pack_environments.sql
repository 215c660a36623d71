-- Migration: Add pack environments
-- Description: Each pack gets an isolated environment per runtime it uses (a Python virtualenv,
--              a node_modules folder...). Runtimes describe how to build one (installers);
--              pack_environment tracks each built environment.
-- Version: 20260203000002

-- ============================================================================
-- PART 1: installers on runtime
-- ============================================================================

ALTER TABLE runtime ADD COLUMN IF NOT EXISTS installers JSONB DEFAULT '[]'::jsonb;

-- installers is an object:
--   base_path_template    where environments go (default /opt/attune/packenvs/{pack_ref}/{runtime_name_lower})
--   installers[]          steps in "order": name, command, args[], optional, condition (e.g. file_exists)
--   executable_templates  paths of the environment's executables, by name
--   env_vars              variables set when running in the environment
--   requires_environment  false when the runtime needs no per-pack environment
-- Templates may use {env_path}, {pack_path}, {pack_ref}, {runtime_ref} and {runtime_name}.
COMMENT ON COLUMN runtime.installers IS 'How to build a per-pack environment for this runtime (base_path_template, installers[], executable_templates, env_vars, requires_environment)';

-- ============================================================================
-- PART 2: environment status and table
-- ============================================================================
-- Reconstruction choice: the facts say only that this enum has its own block; it is written
-- here in the same duplicate-tolerant form as the other enums.

DO $$
BEGIN
    CREATE TYPE pack_environment_status_enum AS ENUM (
        'pending',
        'installing',
        'ready',
        'failed',
        'outdated'
    );
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;

COMMENT ON TYPE pack_environment_status_enum IS 'Build state of a pack environment';

CREATE TABLE IF NOT EXISTS pack_environment (
    id BIGSERIAL PRIMARY KEY,
    pack BIGINT NOT NULL REFERENCES pack(id) ON DELETE CASCADE,
    pack_ref TEXT NOT NULL,
    runtime BIGINT NOT NULL REFERENCES runtime(id) ON DELETE CASCADE,
    runtime_ref TEXT NOT NULL,
    env_path TEXT NOT NULL,
    status pack_environment_status_enum NOT NULL DEFAULT 'pending',
    installed_at TIMESTAMPTZ,
    last_verified TIMESTAMPTZ,
    install_log TEXT,
    install_error TEXT,
    metadata JSONB DEFAULT '{}'::jsonb,
    created TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (pack, runtime)
);

CREATE INDEX IF NOT EXISTS idx_pack_environment_pack ON pack_environment(pack);
CREATE INDEX IF NOT EXISTS idx_pack_environment_runtime ON pack_environment(runtime);
CREATE INDEX IF NOT EXISTS idx_pack_environment_status ON pack_environment(status);
CREATE INDEX IF NOT EXISTS idx_pack_environment_pack_ref ON pack_environment(pack_ref);
CREATE INDEX IF NOT EXISTS idx_pack_environment_runtime_ref ON pack_environment(runtime_ref);
CREATE INDEX IF NOT EXISTS idx_pack_environment_pack_runtime ON pack_environment(pack, runtime);

CREATE TRIGGER update_pack_environment_updated
    BEFORE UPDATE ON pack_environment
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE pack_environment IS 'Built environment of a pack for one runtime';
COMMENT ON COLUMN pack_environment.env_path IS 'Where the environment lives on disk';
COMMENT ON COLUMN pack_environment.last_verified IS 'When the environment was last checked';

-- ============================================================================
-- PART 3: installers of the core runtimes
-- ============================================================================
-- The runtime table is empty on a fresh database (see 20260203000001); these update rows
-- loaded from the core pack on databases that already have them.

UPDATE runtime
SET installers = '{
    "base_path_template": "/opt/attune/packenvs/{pack_ref}/{runtime_name_lower}",
    "installers": [
        {"name": "create_venv", "command": "python3", "args": ["-m", "venv", "{env_path}"], "order": 1},
        {"name": "upgrade_pip", "command": "{env_path}/bin/pip", "args": ["install", "--upgrade", "pip"], "order": 2, "optional": true},
        {"name": "install_requirements", "command": "{env_path}/bin/pip", "args": ["install", "-r", "{pack_path}/requirements.txt"], "order": 3,
         "condition": {"file_exists": "{pack_path}/requirements.txt"}}
    ],
    "executable_templates": {"python": "{env_path}/bin/python", "pip": "{env_path}/bin/pip"}
}'::jsonb
WHERE ref = 'core.python';

UPDATE runtime
SET installers = '{
    "base_path_template": "/opt/attune/packenvs/{pack_ref}/{runtime_name_lower}",
    "installers": [
        {"name": "npm_install", "command": "npm", "args": ["install", "--prefix", "{env_path}"], "order": 1,
         "condition": {"file_exists": "{pack_path}/package.json"}}
    ],
    "executable_templates": {"node": "node"},
    "env_vars": {"NODE_PATH": "{env_path}/node_modules"}
}'::jsonb
WHERE ref = 'core.nodejs';

UPDATE runtime
SET installers = '{"installers": [], "requires_environment": false}'::jsonb
WHERE ref = 'core.shell';

UPDATE runtime
SET installers = '{"installers": [], "requires_environment": false}'::jsonb
WHERE ref = 'core.native';

UPDATE runtime
SET installers = '{"installers": [], "requires_environment": false}'::jsonb
WHERE ref = 'core.sensor.builtin';

-- ============================================================================
-- PART 4: helper functions
-- ============================================================================

-- Where a pack's environment for a runtime lives. (Declared IMMUTABLE, although it reads the
-- runtime table.)
CREATE OR REPLACE FUNCTION get_pack_environment_path(p_pack_ref TEXT, p_runtime_ref TEXT)
RETURNS TEXT AS $$
DECLARE
    template TEXT;
    runtime_name TEXT;
BEGIN
    SELECT installers->>'base_path_template', name
      INTO template, runtime_name
      FROM runtime
     WHERE ref = p_runtime_ref;

    IF template IS NULL THEN
        template := '/opt/attune/packenvs/{pack_ref}/{runtime_name_lower}';
    END IF;

    RETURN replace(replace(replace(template,
        '{pack_ref}', p_pack_ref),
        '{runtime_ref}', p_runtime_ref),
        '{runtime_name_lower}', lower(COALESCE(runtime_name, split_part(p_runtime_ref, '.', 2))));
END;
$$ LANGUAGE plpgsql IMMUTABLE;

-- Whether packs need a built environment for this runtime (true unless a runtime says no).
CREATE OR REPLACE FUNCTION runtime_requires_environment(p_runtime_ref TEXT)
RETURNS BOOLEAN AS $$
DECLARE
    flag TEXT;
BEGIN
    SELECT installers->>'requires_environment' INTO flag FROM runtime WHERE ref = p_runtime_ref;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    RETURN COALESCE(flag::BOOLEAN, TRUE);
END;
$$ LANGUAGE plpgsql STABLE;

COMMENT ON FUNCTION get_pack_environment_path(TEXT, TEXT) IS 'Environment folder of a pack for a runtime';
COMMENT ON FUNCTION runtime_requires_environment(TEXT) IS 'Whether a runtime needs per-pack environments';

-- ============================================================================
-- PART 5: status view
-- ============================================================================

CREATE OR REPLACE VIEW v_pack_environment_status AS
SELECT
    pe.id,
    pe.pack,
    p.ref AS pack_ref,
    p.label AS pack_name,
    pe.runtime,
    r.ref AS runtime_ref,
    r.name AS runtime_name,
    pe.env_path,
    pe.status,
    pe.installed_at,
    pe.last_verified,
    (pe.status = 'ready' AND pe.last_verified < now() - INTERVAL '7 days') AS needs_verification,
    CASE pe.status
        WHEN 'ready' THEN 'healthy'
        WHEN 'failed' THEN 'unhealthy'
        WHEN 'pending' THEN 'provisioning'
        WHEN 'installing' THEN 'provisioning'
        WHEN 'outdated' THEN 'needs_update'
        ELSE 'unknown'
    END AS health_status,
    pe.created,
    pe.updated
FROM pack_environment pe
JOIN pack p ON p.id = pe.pack
JOIN runtime r ON r.id = pe.runtime;

COMMENT ON VIEW v_pack_environment_status IS 'Pack environments with their health';

DO $$
BEGIN
    RAISE NOTICE 'pack environments installed';
    RAISE NOTICE '  runtime.installers, pack_environment_status_enum, pack_environment';
    RAISE NOTICE '  functions get_pack_environment_path, runtime_requires_environment';
    RAISE NOTICE '  view v_pack_environment_status';
END $$;
