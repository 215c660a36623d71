-- names stay as they were given through renames and DETACH PARTITION
ALTER TABLE reading RENAME TO measurement;
ALTER TABLE measurement RENAME COLUMN note TO remark;
ALTER TABLE measurement ALTER COLUMN remark SET NOT NULL;
ALTER TABLE measurement DETACH PARTITION reading_old;
ALTER TABLE measurement DETACH PARTITION reading_2024;
ALTER TABLE reading_2024 RENAME TO archive_2024;
