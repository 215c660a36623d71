-- A stand-in for pgcrypto 1.3 (see pgcrypto.control): not cryptographic.
CREATE FUNCTION gen_random_bytes(integer) RETURNS bytea
LANGUAGE sql VOLATILE STRICT PARALLEL SAFE
AS $$
    SELECT decode(string_agg(lpad(to_hex(floor(random() * 256)::int), 2, '0'), ''), 'hex')
    FROM generate_series(1, $1)
$$;

CREATE FUNCTION digest(bytea, text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE lower($2)
        WHEN 'md5' THEN decode(md5($1), 'hex')
        WHEN 'sha224' THEN sha224($1)
        WHEN 'sha256' THEN sha256($1)
        WHEN 'sha384' THEN sha384($1)
        WHEN 'sha512' THEN sha512($1)
    END
$$;

CREATE FUNCTION digest(text, text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE lower($2)
        WHEN 'md5' THEN decode(md5(convert_to($1, 'UTF8')), 'hex')
        WHEN 'sha224' THEN sha224(convert_to($1, 'UTF8'))
        WHEN 'sha256' THEN sha256(convert_to($1, 'UTF8'))
        WHEN 'sha384' THEN sha384(convert_to($1, 'UTF8'))
        WHEN 'sha512' THEN sha512(convert_to($1, 'UTF8'))
    END
$$;
