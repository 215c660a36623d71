ALTER FUNCTION normalise(text) SET SCHEMA util;
ALTER FUNCTION new_code() SET SCHEMA util;
CREATE INDEX item_norm_all ON item (util.normalise(code));
