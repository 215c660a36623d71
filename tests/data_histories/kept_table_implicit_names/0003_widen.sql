-- the serial column and its sequence widen; the implicit key index is renamed
ALTER TABLE finding ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE finding_id_seq AS BIGINT;
ALTER INDEX finding_registry_uuid_code_key RENAME TO finding_unique_code;
ALTER INDEX finding_pkey RENAME TO finding_primary;
INSERT INTO finding (registry_uuid, code) VALUES ('r1', 'CVE-3');
