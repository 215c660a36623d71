CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TYPE channel AS ENUM ('email', 'sms');
CREATE TABLE ticket (
    id INT PRIMARY KEY,
    priority priority NOT NULL DEFAULT 'low',
    channels channel[],
    fallback channel
);
CREATE INDEX ticket_urgent_idx ON ticket (id) WHERE priority = 'high';
CREATE VIEW ticket_priority AS SELECT id, priority, priority = 'high'::priority AS is_high FROM ticket;
