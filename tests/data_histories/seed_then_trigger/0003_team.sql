-- the trigger fires on this one: it is kept verbatim after the trigger (a barrier), where the
-- trigger fires as it did
INSERT INTO plans VALUES ('team', 25);
