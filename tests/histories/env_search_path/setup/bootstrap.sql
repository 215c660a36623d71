-- made by a bootstrap script before the migrations; they run with search_path app, public
CREATE SCHEMA app;
CREATE ROLE env_search_path_owner NOLOGIN;
CREATE TABLE app.tenant (id INT PRIMARY KEY, name TEXT NOT NULL);
