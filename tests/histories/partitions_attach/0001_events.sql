-- a list-partitioned table with a primary key: each partition gets its own, named after it
CREATE TABLE event (
    kind TEXT NOT NULL,
    id BIGINT NOT NULL,
    payload JSONB,
    PRIMARY KEY (kind, id)
) PARTITION BY LIST (kind);
CREATE TABLE event_click PARTITION OF event FOR VALUES IN ('click');
CREATE UNIQUE INDEX event_payload_key ON event (kind, (payload ->> 'ref'));
