-- As Attune's webhook consolidation does: fold two columns into one jsonb column, then drop them
-- in the same migration. The UPDATE reads columns that no longer exist at the end.
ALTER TABLE webhooks ADD COLUMN config jsonb NOT NULL DEFAULT '{}';
UPDATE webhooks SET config = jsonb_build_object('secret', secret, 'retries', retries);
ALTER TABLE webhooks DROP COLUMN secret;
ALTER TABLE webhooks DROP COLUMN retries;
