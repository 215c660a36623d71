-- an index added to the parent now reaches every level; renames keep the names given
ALTER TABLE event_click RENAME TO event_tap;
CREATE INDEX ON event (id);
ALTER TABLE event ADD COLUMN seen TIMESTAMPTZ;
ALTER TABLE event RENAME COLUMN payload TO body;
ALTER TABLE event ADD CONSTRAINT event_seen_check CHECK (seen > '2020-01-01');
ALTER TABLE event DETACH PARTITION event_view;
ALTER TABLE event_view DROP CONSTRAINT event_seen_check;
COMMENT ON INDEX event_view_ref IS 'adopted, then detached';
