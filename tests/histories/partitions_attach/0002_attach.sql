-- a table made on its own keeps its column order when attached; an index of the same
-- definition that it already has is adopted instead of a new one being created
CREATE TABLE event_view (
    payload JSONB,
    id BIGINT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX event_view_by_ref ON event_view (kind, (payload ->> 'ref'));
CREATE UNIQUE INDEX event_view_ref ON event_view (kind, (payload ->> 'ref'));
ALTER TABLE event ATTACH PARTITION event_view FOR VALUES IN ('view');
CREATE TABLE event_buy (id BIGINT NOT NULL, kind TEXT NOT NULL, payload JSONB);
ALTER TABLE event ATTACH PARTITION event_buy FOR VALUES IN ('buy');
-- a partition that is itself partitioned
CREATE TABLE event_other PARTITION OF event DEFAULT PARTITION BY LIST (kind);
CREATE TABLE event_other_a PARTITION OF event_other FOR VALUES IN ('a');
CREATE TABLE event_other_rest PARTITION OF event_other DEFAULT;
