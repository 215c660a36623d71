-- unqualified names are created in the first schema of search_path that exists
CREATE SCHEMA app;
CREATE SCHEMA audit;
SET search_path TO app, public;
CREATE TYPE app_role AS ENUM ('admin', 'member');
CREATE SEQUENCE ticket_no START WITH 100;
CREATE FUNCTION next_ticket() RETURNS TEXT LANGUAGE sql AS $$ SELECT 'T' || nextval('app.ticket_no') $$;
CREATE TABLE account (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role app_role NOT NULL DEFAULT 'member',
    ticket TEXT DEFAULT next_ticket(),
    number BIGINT DEFAULT nextval('ticket_no')
);
CREATE TABLE public.setting (key TEXT PRIMARY KEY, value TEXT);
