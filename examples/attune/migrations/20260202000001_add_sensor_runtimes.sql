-- Migration: Add sensor runtimes
-- Description: Registers the runtimes sensors run in (Python, Node.js, shell, native), with
--              how to detect each on a worker and how it is installed.
-- Version: 20260202000001

-- ============================================================================
-- PYTHON
-- ============================================================================

INSERT INTO runtime (ref, pack, pack_ref, description, runtime_type, name, distributions, installation)
VALUES (
    'core.sensor.python',
    (SELECT id FROM pack WHERE ref = 'core'),
    'core',
    'Python 3 runtime for sensors',
    'sensor',
    'Python',
    '{
        "verification": {
            "commands": [
                {"binary": "python3", "args": ["--version"], "exit_code": 0, "pattern": "Python 3\\.", "priority": 1},
                {"binary": "python", "args": ["--version"], "exit_code": 0, "pattern": "Python 3\\.", "priority": 2}
            ]
        },
        "min_version": "3.8",
        "recommended_version": "3.11"
    }'::jsonb,
    '{
        "package_managers": ["pip", "pipenv", "poetry"],
        "virtual_env_support": true,
        "interpreters": ["python3", "python"]
    }'::jsonb
)
ON CONFLICT (ref) DO UPDATE SET
    distributions = EXCLUDED.distributions,
    installation = EXCLUDED.installation,
    updated = NOW();

-- ============================================================================
-- NODE.JS
-- ============================================================================

INSERT INTO runtime (ref, pack, pack_ref, description, runtime_type, name, distributions, installation)
VALUES (
    'core.sensor.nodejs',
    (SELECT id FROM pack WHERE ref = 'core'),
    'core',
    'Node.js runtime for sensors',
    'sensor',
    'Node.js',
    '{
        "verification": {
            "commands": [
                {"binary": "node", "args": ["--version"], "exit_code": 0, "pattern": "v\\d+\\.\\d+\\.\\d+", "priority": 1}
            ]
        },
        "min_version": "16.0.0",
        "recommended_version": "20.0.0"
    }'::jsonb,
    '{
        "package_managers": ["npm", "yarn", "pnpm"],
        "module_support": true,
        "interpreters": ["node"]
    }'::jsonb
)
ON CONFLICT (ref) DO UPDATE SET
    distributions = EXCLUDED.distributions,
    installation = EXCLUDED.installation,
    updated = NOW();

-- ============================================================================
-- SHELL
-- ============================================================================

INSERT INTO runtime (ref, pack, pack_ref, description, runtime_type, name, distributions, installation)
VALUES (
    'core.sensor.shell',
    (SELECT id FROM pack WHERE ref = 'core'),
    'core',
    'POSIX shell runtime for sensors',
    'sensor',
    'Shell',
    '{
        "verification": {
            "commands": [
                {"binary": "sh", "args": ["--version"], "exit_code": 0, "optional": true, "priority": 1},
                {"binary": "bash", "args": ["--version"], "exit_code": 0, "optional": true, "priority": 2}
            ],
            "always_available": true
        }
    }'::jsonb,
    '{
        "interpreters": ["sh", "bash"],
        "portable": true
    }'::jsonb
)
ON CONFLICT (ref) DO UPDATE SET
    distributions = EXCLUDED.distributions,
    installation = EXCLUDED.installation,
    updated = NOW();

-- ============================================================================
-- NATIVE
-- ============================================================================

INSERT INTO runtime (ref, pack, pack_ref, description, runtime_type, name, distributions, installation)
VALUES (
    'core.sensor.native',
    (SELECT id FROM pack WHERE ref = 'core'),
    'core',
    'Compiled sensors (Rust, Go, C, C++) run directly',
    'sensor',
    'Native',
    '{
        "verification": {
            "always_available": true,
            "check_required": false
        },
        "languages": ["rust", "go", "c", "c++"]
    }'::jsonb,
    '{
        "build_required": false,
        "system_native": true
    }'::jsonb
)
ON CONFLICT (ref) DO UPDATE SET
    distributions = EXCLUDED.distributions,
    installation = EXCLUDED.installation,
    updated = NOW();

-- ============================================================================
-- BUILT-IN SENSOR RUNTIME
-- ============================================================================
-- The built-in runtime (timers and the like) is registered by the core pack; describe it if
-- it is there.

UPDATE runtime
SET distributions = '{"verification": {"always_available": true, "type": "builtin"}}'::jsonb,
    installation = '{"method": "builtin"}'::jsonb,
    updated = NOW()
WHERE ref = 'core.sensor.builtin';

-- ============================================================================
-- DOCUMENTATION AND INDEX
-- ============================================================================

COMMENT ON COLUMN runtime.distributions IS 'How to detect the runtime on a worker (see verification)';
COMMENT ON COLUMN runtime.installation IS 'How the runtime and its packages are installed';

CREATE INDEX IF NOT EXISTS idx_runtime_type_sensor ON runtime(runtime_type) WHERE runtime_type = 'sensor';

/*
 * distributions.verification:
 *   commands[]          tried in priority order until one succeeds
 *     binary            executable to run
 *     args[]            its arguments
 *     exit_code         expected exit status
 *     pattern           optional regular expression the output must match
 *     priority          lower runs first
 *     optional          a failure does not disqualify the runtime
 *   always_available    the runtime needs no check (shell, native)
 *   check_required      false when nothing needs to be run at all
 * distributions.min_version / recommended_version: version bounds, where they apply.
 */
