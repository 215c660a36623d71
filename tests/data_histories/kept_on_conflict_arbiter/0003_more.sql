INSERT INTO code (label, weight)
SELECT 'm' || g, g + 10 FROM generate_series(1, 2) AS g
ON CONFLICT ON CONSTRAINT code_weight_key DO UPDATE SET label = EXCLUDED.label;
INSERT INTO code (label, weight) VALUES ('z', 99);
