-- not evaluated (a set-returning function): kept verbatim; its ON CONFLICT needs the index
INSERT INTO code (label, weight)
SELECT 'n' || g, g + 1 FROM generate_series(1, 3) AS g
ON CONFLICT (label) DO NOTHING;
ALTER TABLE code ADD CONSTRAINT code_weight_key UNIQUE (weight);
