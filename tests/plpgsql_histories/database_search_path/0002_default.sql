DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET search_path TO app, public', current_database());
END
$$;
-- this session still has the old search_path
CREATE TABLE still_public (id int);
