-- a later file uses the value added by the one before
ALTER TABLE person ALTER COLUMN mood SET DEFAULT 'happy';
CREATE VIEW happy_person AS SELECT id, name FROM person WHERE mood = 'happy';
ALTER TABLE person ADD CONSTRAINT person_not_sad CHECK (mood <> 'sad' OR note IS NOT NULL);
