-- unqualified names land in app, the first schema of the connection's search_path
CREATE TYPE plan AS ENUM ('free', 'paid');
CREATE TABLE subscription (
    id SERIAL PRIMARY KEY,
    tenant_id INT NOT NULL REFERENCES tenant (id),
    plan plan NOT NULL DEFAULT 'free'
);
CREATE INDEX ON subscription (tenant_id);
CREATE TABLE public.heartbeat (at TIMESTAMPTZ NOT NULL);
