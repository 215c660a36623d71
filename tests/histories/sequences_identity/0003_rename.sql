-- renaming the table or the column keeps the sequence's name
ALTER TABLE badge RENAME TO award;
ALTER TABLE award RENAME COLUMN id TO award_id;
ALTER TABLE legacy DROP COLUMN note;
ALTER TABLE legacy RENAME COLUMN code TO legacy_code;
COMMENT ON COLUMN award.award_id IS 'starts at 100';
ALTER TABLE award ADD COLUMN granted TIMESTAMPTZ NOT NULL DEFAULT now();
