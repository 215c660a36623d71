SET check_function_bodies = false;

CREATE TABLE pack (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT,
    version TEXT NOT NULL,
    conf_schema JSONB DEFAULT '{}'::jsonb NOT NULL,
    config JSONB DEFAULT '{}'::jsonb NOT NULL,
    meta JSONB DEFAULT '{}'::jsonb NOT NULL,
    tags TEXT[] DEFAULT ARRAY[]::TEXT[] NOT NULL,
    runtime_deps TEXT[] DEFAULT ARRAY[]::TEXT[] NOT NULL,
    is_standard BOOLEAN DEFAULT FALSE NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    CONSTRAINT pack_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT pack_ref_format CHECK (ref ~ '^[a-z][a-z0-9_-]+$'),
    CONSTRAINT pack_version_semver CHECK (version ~ '^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$')
);

CREATE TABLE runtime (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    pack BIGINT,
    pack_ref TEXT,
    description TEXT,
    name TEXT NOT NULL,
    distributions JSONB NOT NULL,
    installation JSONB,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    installers JSONB DEFAULT '[]'::jsonb
);

CREATE TABLE pack_installation (
    id BIGSERIAL NOT NULL,
    pack_id BIGINT NOT NULL,
    source_type VARCHAR(50) NOT NULL,
    source_url TEXT,
    source_ref TEXT,
    checksum VARCHAR(64),
    checksum_verified BOOLEAN DEFAULT FALSE,
    installed_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    installed_by BIGINT,
    installation_method VARCHAR(50) DEFAULT 'manual',
    storage_path TEXT NOT NULL,
    meta JSONB DEFAULT '{}'::jsonb,
    created TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT pack_installation_source_type_check CHECK (source_type IN ('git', 'archive', 'local_directory', 'local_archive', 'registry')),
    CONSTRAINT pack_installation_installation_method_check CHECK (installation_method IN ('manual', 'api', 'cli', 'auto'))
);

SELECT pg_catalog.setval('runtime_id_seq', 4, true);

ALTER TABLE ONLY pack ADD CONSTRAINT pack_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pack ADD CONSTRAINT pack_ref_key UNIQUE (ref);

ALTER TABLE ONLY runtime ADD CONSTRAINT runtime_pkey PRIMARY KEY (id);

ALTER TABLE ONLY runtime ADD CONSTRAINT runtime_ref_key UNIQUE (ref);

ALTER TABLE ONLY pack_installation ADD CONSTRAINT pack_installation_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pack_installation ADD CONSTRAINT pack_installation_unique_pack UNIQUE (pack_id);

CREATE INDEX idx_pack_ref ON pack (ref);

CREATE INDEX idx_pack_created ON pack (created DESC);

CREATE INDEX idx_pack_is_standard ON pack (is_standard) WHERE (is_standard = TRUE);

CREATE INDEX idx_pack_is_standard_created ON pack (is_standard, created DESC);

CREATE INDEX idx_pack_version_created ON pack (version, created DESC);

CREATE INDEX idx_pack_config_gin ON pack USING gin (config);

CREATE INDEX idx_pack_meta_gin ON pack USING gin (meta);

CREATE INDEX idx_pack_tags_gin ON pack USING gin (tags);

CREATE INDEX idx_pack_runtime_deps_gin ON pack USING gin (runtime_deps);

CREATE INDEX idx_runtime_ref ON runtime (ref);

CREATE INDEX idx_runtime_pack ON runtime (pack);

CREATE INDEX idx_runtime_created ON runtime (created DESC);

CREATE INDEX idx_pack_installation_pack_id ON pack_installation (pack_id);

CREATE INDEX idx_pack_installation_source_type ON pack_installation (source_type);

CREATE INDEX idx_pack_installation_installed_at ON pack_installation (installed_at);

CREATE INDEX idx_pack_installation_installed_by ON pack_installation (installed_by);

CREATE INDEX idx_runtime_name ON runtime (name);

CREATE INDEX idx_runtime_verification ON runtime USING gin ((distributions->'verification'));

ALTER TABLE ONLY runtime ADD CONSTRAINT runtime_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY permission_set ADD CONSTRAINT permission_set_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY key ADD CONSTRAINT key_owner_pack_fkey FOREIGN KEY (owner_pack) REFERENCES pack (id);

ALTER TABLE ONLY pack_installation ADD CONSTRAINT pack_installation_pack_id_fkey FOREIGN KEY (pack_id) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY pack_installation ADD CONSTRAINT pack_installation_installed_by_fkey FOREIGN KEY (installed_by) REFERENCES identity (id) ON DELETE SET NULL;

CREATE TRIGGER update_pack_updated BEFORE UPDATE ON pack FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_runtime_updated BEFORE UPDATE ON runtime FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER pack_installation_updated_trigger BEFORE UPDATE ON pack_installation FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE pack IS 'A pack bundles actions, sensors, triggers, rules and their configuration';

COMMENT ON COLUMN pack.ref IS 'Unique lowercase reference (e.g. core, slack)';

COMMENT ON COLUMN pack.version IS 'Semantic version of the pack';

COMMENT ON COLUMN pack.conf_schema IS 'JSON Schema the pack configuration must satisfy';

COMMENT ON COLUMN pack.config IS 'Pack configuration values';

COMMENT ON COLUMN pack.runtime_deps IS 'Runtime references the pack needs';

COMMENT ON COLUMN pack.is_standard IS 'True for packs shipped with Attune';

COMMENT ON TABLE runtime IS 'Execution environments shared by actions and sensors';

COMMENT ON COLUMN runtime.ref IS 'Reference in the form pack.name (e.g. core.python)';

COMMENT ON COLUMN runtime.distributions IS 'Detection rules: verification.commands[] (binary, args, exit_code, pattern, priority, optional), always_available, check_required, version bounds';

COMMENT ON COLUMN runtime.installation IS 'How the runtime and its packages are installed';

COMMENT ON COLUMN runtime.installers IS 'How to build a per-pack environment for this runtime (base_path_template, installers[], executable_templates, env_vars, requires_environment)';

COMMENT ON TABLE pack_installation IS 'Installation record of a pack (one per pack)';

COMMENT ON COLUMN pack_installation.source_type IS 'git, archive, local_directory, local_archive or registry';

COMMENT ON COLUMN pack_installation.source_ref IS 'Branch, tag or commit for git sources';

COMMENT ON COLUMN pack_installation.checksum IS 'SHA-256 of the installed content';

COMMENT ON COLUMN pack_installation.storage_path IS 'Where the pack is stored on disk';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE pack TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE pack_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE runtime TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE runtime_id_seq TO svc_attune;
