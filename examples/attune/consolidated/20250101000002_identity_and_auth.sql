SET check_function_bodies = false;

CREATE TABLE identity (
    id BIGSERIAL NOT NULL,
    login TEXT NOT NULL,
    display_name TEXT,
    password_hash TEXT,
    attributes JSONB DEFAULT '{}'::jsonb NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

CREATE TABLE permission_set (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    pack BIGINT,
    pack_ref TEXT,
    label TEXT,
    description TEXT,
    grants JSONB DEFAULT '[]'::jsonb NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    CONSTRAINT permission_set_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT permission_set_ref_format CHECK (ref ~ '^[^.]+\.[^.]+$')
);

CREATE TABLE permission_assignment (
    id BIGSERIAL NOT NULL,
    identity BIGINT NOT NULL,
    permset BIGINT NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL
);

CREATE TABLE key (
    id BIGSERIAL NOT NULL,
    ref TEXT NOT NULL,
    owner_type owner_type_enum NOT NULL,
    owner TEXT,
    owner_identity BIGINT,
    owner_pack BIGINT,
    owner_pack_ref TEXT,
    owner_action BIGINT,
    owner_action_ref TEXT,
    owner_sensor BIGINT,
    owner_sensor_ref TEXT,
    name TEXT NOT NULL,
    encrypted BOOLEAN NOT NULL,
    encryption_key_hash TEXT,
    value TEXT NOT NULL,
    created TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    updated TIMESTAMPTZ DEFAULT NOW() NOT NULL,
    CONSTRAINT key_ref_lowercase CHECK (ref = LOWER(ref)),
    CONSTRAINT key_ref_format CHECK (ref ~ '^([^.]+\.)?[^.]+$')
);

CREATE OR REPLACE FUNCTION validate_key_owner()
RETURNS TRIGGER AS $$
DECLARE
    owners_set INTEGER := 0;
BEGIN
    IF NEW.owner_identity IS NOT NULL THEN owners_set := owners_set + 1; END IF;
    IF NEW.owner_pack IS NOT NULL THEN owners_set := owners_set + 1; END IF;
    IF NEW.owner_action IS NOT NULL THEN owners_set := owners_set + 1; END IF;
    IF NEW.owner_sensor IS NOT NULL THEN owners_set := owners_set + 1; END IF;

    IF NEW.owner_type = 'system' THEN
        IF owners_set <> 0 THEN
            RAISE EXCEPTION 'a system key must not name an owner';
        END IF;
        NEW.owner := 'system';
    ELSIF owners_set <> 1 THEN
        RAISE EXCEPTION 'a % key needs exactly one owner column, found %', NEW.owner_type, owners_set;
    ELSIF NEW.owner_type = 'identity' AND NEW.owner_identity IS NOT NULL THEN
        NEW.owner := NEW.owner_identity::TEXT;
    ELSIF NEW.owner_type = 'pack' AND NEW.owner_pack IS NOT NULL THEN
        NEW.owner := NEW.owner_pack::TEXT;
    ELSIF NEW.owner_type = 'action' AND NEW.owner_action IS NOT NULL THEN
        NEW.owner := NEW.owner_action::TEXT;
    ELSIF NEW.owner_type = 'sensor' AND NEW.owner_sensor IS NOT NULL THEN
        NEW.owner := NEW.owner_sensor::TEXT;
    ELSE
        RAISE EXCEPTION 'owner column does not match owner_type %', NEW.owner_type;
    END IF;

    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

ALTER TABLE ONLY identity ADD CONSTRAINT identity_pkey PRIMARY KEY (id);

ALTER TABLE ONLY identity ADD CONSTRAINT identity_login_key UNIQUE (login);

ALTER TABLE ONLY permission_set ADD CONSTRAINT permission_set_pkey PRIMARY KEY (id);

ALTER TABLE ONLY permission_set ADD CONSTRAINT permission_set_ref_key UNIQUE (ref);

ALTER TABLE ONLY permission_assignment ADD CONSTRAINT permission_assignment_pkey PRIMARY KEY (id);

ALTER TABLE ONLY permission_assignment ADD CONSTRAINT unique_identity_permset UNIQUE (identity, permset);

ALTER TABLE ONLY key ADD CONSTRAINT key_pkey PRIMARY KEY (id);

ALTER TABLE ONLY key ADD CONSTRAINT key_ref_key UNIQUE (ref);

CREATE INDEX idx_identity_login ON identity (login);

CREATE INDEX idx_identity_created ON identity (created DESC);

CREATE INDEX idx_identity_password_hash ON identity (password_hash) WHERE (password_hash IS NOT NULL);

CREATE INDEX idx_identity_attributes_gin ON identity USING gin (attributes);

CREATE INDEX idx_permission_set_ref ON permission_set (ref);

CREATE INDEX idx_permission_set_pack ON permission_set (pack);

CREATE INDEX idx_permission_set_created ON permission_set (created DESC);

CREATE INDEX idx_permission_assignment_identity ON permission_assignment (identity);

CREATE INDEX idx_permission_assignment_permset ON permission_assignment (permset);

CREATE INDEX idx_permission_assignment_created ON permission_assignment (created DESC);

CREATE INDEX idx_permission_assignment_identity_created ON permission_assignment (identity, created DESC);

CREATE INDEX idx_permission_assignment_permset_created ON permission_assignment (permset, created DESC);

CREATE UNIQUE INDEX idx_key_unique ON key (owner_type, owner, name);

CREATE INDEX idx_key_ref ON key (ref);

CREATE INDEX idx_key_owner_type ON key (owner_type);

CREATE INDEX idx_key_owner_identity ON key (owner_identity);

CREATE INDEX idx_key_owner_pack ON key (owner_pack);

CREATE INDEX idx_key_owner_action ON key (owner_action);

CREATE INDEX idx_key_owner_sensor ON key (owner_sensor);

CREATE INDEX idx_key_created ON key (created DESC);

CREATE INDEX idx_key_owner_type_owner ON key (owner_type, owner);

CREATE INDEX idx_key_owner_identity_name ON key (owner_identity, name);

CREATE INDEX idx_key_owner_pack_name ON key (owner_pack, name);

ALTER TABLE ONLY permission_assignment ADD CONSTRAINT permission_assignment_identity_fkey FOREIGN KEY (identity) REFERENCES identity (id) ON DELETE CASCADE;

ALTER TABLE ONLY permission_assignment ADD CONSTRAINT permission_assignment_permset_fkey FOREIGN KEY (permset) REFERENCES permission_set (id) ON DELETE CASCADE;

ALTER TABLE ONLY key ADD CONSTRAINT key_owner_identity_fkey FOREIGN KEY (owner_identity) REFERENCES identity (id);

CREATE TRIGGER update_identity_updated BEFORE UPDATE ON identity FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER update_permission_set_updated BEFORE UPDATE ON permission_set FOR EACH ROW EXECUTE FUNCTION update_updated_column();

CREATE TRIGGER validate_key_owner_trigger BEFORE INSERT OR UPDATE ON key FOR EACH ROW EXECUTE FUNCTION validate_key_owner();

CREATE TRIGGER update_key_updated BEFORE UPDATE ON key FOR EACH ROW EXECUTE FUNCTION update_updated_column();

COMMENT ON TABLE identity IS 'Users and service accounts';

COMMENT ON COLUMN identity.login IS 'Unique login name';

COMMENT ON COLUMN identity.password_hash IS 'Argon2 password hash; NULL for service or external accounts';

COMMENT ON COLUMN identity.attributes IS 'Free-form identity attributes';

COMMENT ON TABLE permission_set IS 'Named groups of permission grants';

COMMENT ON COLUMN permission_set.grants IS 'Array of grant objects';

COMMENT ON TABLE permission_assignment IS 'Which identity holds which permission set';

COMMENT ON TABLE key IS 'Secrets and configuration values, owned by the system or an entity';

COMMENT ON COLUMN key.owner IS 'Owner id as text, filled in by validate_key_owner()';

COMMENT ON COLUMN key.encrypted IS 'Whether value is encrypted';

COMMENT ON COLUMN key.encryption_key_hash IS 'Hash of the key that encrypted value';

COMMENT ON FUNCTION validate_key_owner() IS 'Checks the owner columns of a key and derives key.owner';

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE identity TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE identity_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE permission_set TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE permission_set_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE permission_assignment TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE permission_assignment_id_seq TO svc_attune;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE key TO svc_attune;

GRANT USAGE, SELECT ON SEQUENCE key_id_seq TO svc_attune;
