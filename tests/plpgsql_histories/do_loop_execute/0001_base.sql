CREATE SCHEMA shards;
CREATE TABLE tenants (id int PRIMARY KEY, name text NOT NULL);
