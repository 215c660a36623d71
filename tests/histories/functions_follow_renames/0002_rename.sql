ALTER FUNCTION make_code() RENAME TO new_code;
ALTER FUNCTION is_valid_code(text) RENAME TO code_ok;
ALTER FUNCTION norm(text) RENAME TO normalise;
