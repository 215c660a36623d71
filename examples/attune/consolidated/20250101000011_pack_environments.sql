SET check_function_bodies = false;

CREATE TYPE pack_environment_status_enum AS ENUM ('pending', 'installing', 'ready', 'failed', 'outdated');

CREATE TABLE pack_environment (
    id BIGSERIAL NOT NULL,
    pack BIGINT NOT NULL,
    pack_ref TEXT NOT NULL,
    runtime BIGINT NOT NULL,
    runtime_ref TEXT NOT NULL,
    env_path TEXT NOT NULL,
    status pack_environment_status_enum DEFAULT 'pending' NOT NULL,
    installed_at TIMESTAMPTZ,
    last_verified TIMESTAMPTZ,
    install_log TEXT,
    install_error TEXT,
    metadata JSONB DEFAULT '{}'::jsonb,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

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

CREATE VIEW v_pack_environment_status AS
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

ALTER TABLE ONLY pack_environment ADD CONSTRAINT pack_environment_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pack_environment ADD CONSTRAINT pack_environment_pack_runtime_key UNIQUE (pack, runtime);

CREATE INDEX idx_pack_environment_pack ON pack_environment (pack);

CREATE INDEX idx_pack_environment_runtime ON pack_environment (runtime);

CREATE INDEX idx_pack_environment_status ON pack_environment (status);

CREATE INDEX idx_pack_environment_pack_ref ON pack_environment (pack_ref);

CREATE INDEX idx_pack_environment_runtime_ref ON pack_environment (runtime_ref);

CREATE INDEX idx_pack_environment_pack_runtime ON pack_environment (pack, runtime);

ALTER TABLE ONLY pack_environment ADD CONSTRAINT pack_environment_pack_fkey FOREIGN KEY (pack) REFERENCES pack (id) ON DELETE CASCADE;

ALTER TABLE ONLY pack_environment ADD CONSTRAINT pack_environment_runtime_fkey FOREIGN KEY (runtime) REFERENCES runtime (id) ON DELETE CASCADE;

CREATE TRIGGER update_pack_environment_updated BEFORE UPDATE ON pack_environment FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TYPE pack_environment_status_enum IS 'Build state of a pack environment';

COMMENT ON TABLE pack_environment IS 'Built environment of a pack for one runtime';

COMMENT ON COLUMN pack_environment.env_path IS 'Where the environment lives on disk';

COMMENT ON COLUMN pack_environment.last_verified IS 'When the environment was last checked';

COMMENT ON FUNCTION get_pack_environment_path(text, text) IS 'Environment folder of a pack for a runtime';

COMMENT ON FUNCTION runtime_requires_environment(text) IS 'Whether a runtime needs per-pack environments';

COMMENT ON VIEW v_pack_environment_status IS 'Pack environments with their health';
