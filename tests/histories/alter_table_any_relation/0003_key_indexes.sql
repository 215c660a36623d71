-- the index of a key: renaming it renames the constraint; its comment is the index's
ALTER INDEX ticket_pkey RENAME TO ticket_id_pk;
ALTER INDEX ticket_code_key RENAME TO ticket_code_unique;
COMMENT ON INDEX ticket_id_pk IS 'one row per ticket';
COMMENT ON CONSTRAINT ticket_code_unique ON ticket IS 'codes are unique';
ALTER TABLE current_ticket SET SCHEMA archive;
