-- a pg_dump baseline: rows as COPY ... FROM stdin, read as rows
CREATE TABLE public.country (id integer NOT NULL, code text, name text, note text);
CREATE SEQUENCE public.country_id_seq;
ALTER TABLE ONLY public.country ALTER COLUMN id SET DEFAULT nextval('public.country_id_seq'::regclass);
COPY public.country (id, code, name, note) FROM stdin;
1	fr	France	\N
2	ci	Côte d'Ivoire	tab\there
3	nl	Netherlands	back\\slash and\nnewline
\.

SELECT pg_catalog.setval('public.country_id_seq', 3, true);
ALTER TABLE ONLY public.country ADD CONSTRAINT country_pkey PRIMARY KEY (id);
