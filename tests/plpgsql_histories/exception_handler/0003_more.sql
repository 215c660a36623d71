DO $$ BEGIN
  ALTER TABLE items ADD CONSTRAINT items_id_positive CHECK (id > 0);
EXCEPTION WHEN duplicate_object OR duplicate_table THEN NULL;
END $$;
DO $$ BEGIN
  ALTER TABLE items ADD CONSTRAINT items_id_positive CHECK (id > 0);
EXCEPTION WHEN others THEN NULL;
END $$;
