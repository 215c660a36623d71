-- Migration: Pack installation metadata
-- Description: Records where each installed pack came from and how it was installed.
-- Version: 20260122000001

CREATE TABLE IF NOT EXISTS pack_installation (
    id BIGSERIAL PRIMARY KEY,
    pack_id BIGINT NOT NULL REFERENCES pack(id) ON DELETE CASCADE,
    source_type VARCHAR(50) NOT NULL
        CHECK (source_type IN ('git', 'archive', 'local_directory', 'local_archive', 'registry')),
    source_url TEXT,
    source_ref TEXT,
    checksum VARCHAR(64),
    checksum_verified BOOLEAN DEFAULT FALSE,
    installed_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    installed_by BIGINT REFERENCES identity(id) ON DELETE SET NULL,
    installation_method VARCHAR(50) DEFAULT 'manual'
        CHECK (installation_method IN ('manual', 'api', 'cli', 'auto')),
    storage_path TEXT NOT NULL,
    meta JSONB DEFAULT '{}'::jsonb,
    created TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT pack_installation_unique_pack UNIQUE (pack_id)
);

CREATE INDEX IF NOT EXISTS idx_pack_installation_pack_id ON pack_installation(pack_id);
CREATE INDEX IF NOT EXISTS idx_pack_installation_source_type ON pack_installation(source_type);
CREATE INDEX IF NOT EXISTS idx_pack_installation_installed_at ON pack_installation(installed_at);
CREATE INDEX IF NOT EXISTS idx_pack_installation_installed_by ON pack_installation(installed_by);

CREATE TRIGGER pack_installation_updated_trigger
    BEFORE UPDATE ON pack_installation
    FOR EACH ROW
    EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE pack_installation IS 'Installation record of a pack (one per pack)';
COMMENT ON COLUMN pack_installation.source_type IS 'git, archive, local_directory, local_archive or registry';
COMMENT ON COLUMN pack_installation.source_ref IS 'Branch, tag or commit for git sources';
COMMENT ON COLUMN pack_installation.checksum IS 'SHA-256 of the installed content';
COMMENT ON COLUMN pack_installation.storage_path IS 'Where the pack is stored on disk';
