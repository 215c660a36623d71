-- rows into a table folding no longer tracks: the COPY is kept with its rows
COPY city (id, name) FROM stdin;
1	Paris
2	\N
\.
DELETE FROM country WHERE code = 'nl';
