CREATE TABLE webhooks (
    id serial PRIMARY KEY,
    url text NOT NULL,
    secret text,
    retries integer DEFAULT 3
);
INSERT INTO webhooks (url, secret) VALUES
    ('https://a.example/hook', 's1'),
    ('https://b.example/hook', NULL);
INSERT INTO webhooks (url, secret, retries) VALUES ('https://c.example/hook', 's3', 5);
