-- the index of a key: renaming it renames the constraint; its comment is the index's
ALTER INDEX ticket_pkey RENAME TO ticket_id_pk;
ALTER INDEX ticket_code_key RENAME TO ticket_code_unique;
COMMENT ON INDEX ticket_id_pk IS 'one row per ticket';
COMMENT ON CONSTRAINT ticket_code_unique ON ticket IS 'codes are unique';
ALTER TABLE current_ticket SET SCHEMA archive;
-- ALTER TABLE renames an index, ALTER INDEX a table: PostgreSQL allows RENAME on any relation
CREATE INDEX ticket_code_lower ON ticket (lower(code));
ALTER TABLE ticket_code_lower RENAME TO ticket_code_ci;
ALTER TABLE ticket_code_unique RENAME TO ticket_code_uq;
ALTER INDEX ticket RENAME TO support_ticket;
