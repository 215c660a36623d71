INSERT INTO webhooks (url, config) VALUES ('https://d.example/hook', '{"retries": 1}');
UPDATE webhooks SET url = url || '?v=2' WHERE id = 1;
