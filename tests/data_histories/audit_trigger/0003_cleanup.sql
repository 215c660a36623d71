-- after the barrier: kept verbatim, in order
DELETE FROM audit_log WHERE action = 'created' AND account_id = 2;
INSERT INTO audit_log (account_id, action) VALUES (3, 'checked');
CREATE TABLE notes (id integer PRIMARY KEY);
INSERT INTO notes VALUES (1);
