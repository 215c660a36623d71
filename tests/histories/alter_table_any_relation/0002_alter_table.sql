ALTER TABLE ticket_no RENAME TO ticket_number;
ALTER TABLE ticket_number OWNER TO relation_keeper;
ALTER TABLE open_ticket RENAME TO current_ticket;
ALTER TABLE current_ticket OWNER TO relation_keeper;
ALTER TABLE ticket_codes SET SCHEMA archive;
ALTER TABLE archive.ticket_codes OWNER TO relation_keeper;
ALTER TABLE ticket_number SET SCHEMA archive;
