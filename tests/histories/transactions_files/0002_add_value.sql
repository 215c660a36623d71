-- the new value can be added in a transaction, but used only once it is committed
ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
LOCK TABLE person IN ACCESS EXCLUSIVE MODE;
ALTER TABLE person ADD COLUMN note TEXT;
