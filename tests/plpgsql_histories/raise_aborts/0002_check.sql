DO $$
DECLARE
  v int := 3;
BEGIN
  IF to_regclass('config') IS NOT NULL AND v > 2 THEN
    RAISE EXCEPTION 'version % is not supported', v;
  END IF;
END
$$;
