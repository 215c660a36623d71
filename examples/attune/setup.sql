-- What Attune's migrations assume exists before the first file runs (schemafold example).
--
-- In Attune these come from docker/init-roles.sql and docker/init-db.sh, outside the migration
-- chain: two login roles, the schema "attune", and a search_path of "attune, public" that the
-- connection pool sets on every connection. Give this file to schemafold as
--     --setup examples/attune/setup.sql --search-path attune,public
-- so the fold knows these objects as external, and replay it before the history.
--
-- Differences from Attune's own scripts, on purpose:
-- * no passwords: a password hash is salted, so two clusters would never dump equal roles;
-- * no GRANT ALL ON DATABASE: the database's name differs per replay, and every object the
--   history creates is granted table by table anyway.

CREATE ROLE svc_attune LOGIN;
CREATE ROLE attune_api LOGIN;

CREATE SCHEMA attune;

GRANT USAGE, CREATE ON SCHEMA attune TO svc_attune;
GRANT USAGE ON SCHEMA attune TO attune_api;
