CREATE TABLE environment (id serial PRIMARY KEY, slug text NOT NULL);
CREATE TABLE colour (id serial PRIMARY KEY, name text NOT NULL);
