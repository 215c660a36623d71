CREATE SCHEMA app;
CREATE TABLE public.settings (k text PRIMARY KEY);
