"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 32 found ``squash`` exiting 0 on while PostgreSQL refuses them: a string in a
PL/pgSQL body that holds a backslash and closes by neither reading of it (``ENDE'\\;``), a
PL/pgSQL statement that starts with no word (``BEGIN .``, ``PERFORM 1;;``), a date of digits
after a number (``'2024 2025-01-01'``), a function of ``pg_catalog`` that takes an argument
called with none (``DEFAULT nextval()``), a ``.`` after ``*`` (``SELECT s *.code``) and
``OVERRIDING VALUE`` without ``SYSTEM`` or ``USER``, a parameter after a string in a body
(``'timestamp' $1``), a SQL body calling a function that exists nowhere (``'T' ||
nextval$('s')``), a column privilege on a column the table lacks, a partition bound's constant
followed by a name (``IN ('click' own)``) and ``ON CONFLICT (key)`` with no unique index on
``key``. Each case is asked of a real PostgreSQL in the same test, beside valid neighbours, and
the fold's verdict must agree: refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import (
    assert_judged_alike,
    assert_refusal_says_what_postgresql_says,
)
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
]

#: (statement after SETUP, whether PostgreSQL takes it)
CASES: list[tuple[str, bool]] = [
    # a plain string holding a backslash is judged when it closes by neither reading
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n    RETURN NEW;\n"
     "ENDE'\\;\n$$", False),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a\\b $$", False),
    ("DO $$ BEGIN RAISE NOTICE 'a\\'; RAISE NOTICE 'b'; END $$", True),
    ("DO $$ BEGIN RAISE NOTICE '\\'''; RAISE NOTICE E'\\''; RAISE NOTICE 'x\\y'; END $$", True),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN '\\\\'; END $$",
     True),
    # a PL/pgSQL statement starts with a word: not a dot, a ';', a number, a string or an
    # operator
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE m jsonb; BEGIN .\n"
     " m := '{}'; RETURN NEW; END $$", False),
    ("DO $$ BEGIN PERFORM 1;; END $$", False),
    ("DO $$ BEGIN ; PERFORM 1; END $$", False),
    ("DO $$ BEGIN IF true THEN ; END IF; END $$", False),
    ("DO $$ BEGIN NULL; EXCEPTION WHEN others THEN ; END $$", False),
    ("DO $$ BEGIN .5; END $$", False),
    ("DO $$ BEGIN 1; END $$", False),
    ("DO $$ BEGIN 'x'; END $$", False),
    ("DO $$ BEGIN - 1; END $$", False),
    ("CREATE FUNCTION f(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN $1 := 2; RETURN $1; END $$",
     True),
    ("DO $$ BEGIN <<l>> BEGIN NULL; END; END $$", True),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ #variable_conflict use_column\n"
     "BEGIN IF true THEN RETURN .5::int; ELSE RETURN -1; END IF; END $$", True),
    ("DO $$ DECLARE a int[]; BEGIN a[1] := 1; a := a || 2; CASE WHEN true THEN PERFORM 1; "
     "ELSE NULL; END CASE; WHILE false LOOP EXIT; END LOOP; END $$", True),
    ("DO $$ BEGIN PERFORM 1; EXCEPTION WHEN others THEN NULL; END; $$", True),
    # a number then a date of digits: the date sets a field the number set
    ("CREATE TABLE r (d date NOT NULL) PARTITION BY RANGE (d); "
     "CREATE TABLE r1 (d date NOT NULL); ALTER TABLE r ATTACH PARTITION r1 "
     "FOR VALUES FROM ('2023-01-01') TO ('2024 2025-01-01')", False),
    ("CREATE TABLE r (d date NOT NULL) PARTITION BY LIST (d); "
     "CREATE TABLE r1 PARTITION OF r FOR VALUES IN ('2024-01-01', '2024 2024-01-02')", False),
    ("CREATE TABLE r (d timestamptz NOT NULL) PARTITION BY RANGE (d); CREATE TABLE r1 "
     "PARTITION OF r FOR VALUES FROM ('2024-01-01') TO ('2024 2025-01-01 00:00')", False),
    ("CREATE TABLE r (d date, e text); INSERT INTO r VALUES ('31 2025-01-01', 'x')", False),
    ("CREATE TABLE r (id int, d date DEFAULT ' 7\t2025-12-31')", False),
    ("CREATE TABLE r (d date, e text); INSERT INTO r VALUES ('2025-01-01 2024', 'x'), "
     "('2025-01-01', 'y'), (' 2025-01-01 ', 'z')", True),
    ("CREATE TABLE r (d timestamp, e text); INSERT INTO r VALUES ('2025-01-01 12:00', 'x'), "
     "('2025-01-01T12:00:00', 'y'), ('2025-01-01 12:00:00+02', 'z'), ('20250101 120000', 'w')",
     True),
    ("CREATE TABLE r (d date NOT NULL) PARTITION BY LIST (d); CREATE TABLE r1 PARTITION OF r "
     "FOR VALUES IN ('2024-01-01', 'January 2 2024', '2024-01-03 AD')", True),
    # a function of pg_catalog that takes an argument in every form, called with none
    ("CREATE TABLE c (id serial PRIMARY KEY, n int DEFAULT 0, "
     "ticket bigint DEFAULT nextval())", False),
    ("ALTER TABLE t ALTER COLUMN b SET DEFAULT lower()", False),
    ("INSERT INTO t (id, b) VALUES (1, upper())", False),
    ("CREATE INDEX ix ON t (lower())", False),
    ("CREATE VIEW v AS SELECT pg_catalog.length() FROM t", False),
    ("UPDATE t SET b = concat() WHERE false", False),
    ("CREATE TABLE c (id int, b text DEFAULT \"lower\"())", False),
    ("CREATE SEQUENCE s; CREATE TABLE c (id bigint DEFAULT nextval('s'), "
     "b text DEFAULT lower('X'), d date DEFAULT date_trunc('day', now())::date, "
     "e text DEFAULT format('%s', 1), g uuid DEFAULT gen_random_uuid(), "
     "h jsonb DEFAULT jsonb_build_object(), k timestamptz DEFAULT now())", True),
    ("CREATE FUNCTION lower() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$; "
     "CREATE TABLE c (id int, b text DEFAULT lower())", True),
    ("CREATE SCHEMA z; CREATE FUNCTION z.nextval() RETURNS bigint LANGUAGE sql "
     "AS $$ SELECT 1::bigint $$; SET LOCAL search_path = z, public; "
     "CREATE TABLE c (id bigint DEFAULT nextval())", True),
    ("DROP FUNCTION IF EXISTS nextval(); DROP FUNCTION IF EXISTS lower()", True),
    ("CREATE TABLE c (id int, \"lower\" text, b text DEFAULT 'lower()')", True),
    # no '.' follows a '*' (t.* has it before)
    ("CREATE VIEW v AS SELECT s *.code FROM t s", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT a *.b FROM t $$", False),
    ("SELECT t.*, a *.5, a * .5, (t).*, (ROW(1, 2)).* FROM t", True),
    ("CREATE VIEW v AS SELECT x.* FROM (SELECT t.* FROM t * WHERE t.a * 2 > 1) x", True),
    ("SELECT 1 OPERATOR(pg_catalog.+) 1, 2 OPERATOR(pg_catalog.*) 3", True),
    # a parameter after a string or a number (a parameter's too) in a body
    ("CREATE FUNCTION f() RETURNS jsonb LANGUAGE plpgsql AS $$ DECLARE m jsonb; BEGIN "
     "m := jsonb_build_object('a', 1, 'timestamp' $1, now()); RETURN m; END $$", False),
    ("CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT 'b' $1 $$", False),
    ("CREATE FUNCTION f(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN $1 $1; END $$",
     False),
    ("CREATE FUNCTION f(int, int) RETURNS int LANGUAGE plpgsql AS $$ DECLARE s int := 0; BEGIN "
     "FOR i IN 1..$1 LOOP s := s + i; END LOOP; FOR i IN $1 .. $2 LOOP s := s + 1; END LOOP; "
     "RAISE NOTICE 'x %', $1; RETURN s + jsonb_array_length(jsonb_build_array('a', $1)); "
     "END $$", True),
    ("CREATE FUNCTION f(int) RETURNS SETOF numeric LANGUAGE sql AS $$ SELECT 1.5*$1 FROM t "
     "WHERE a > $1 ORDER BY a LIMIT $1 OFFSET 1+$1 $$", True),
    # a SQL body's call, as an operand, of a function that exists nowhere
    ("CREATE SEQUENCE s; CREATE FUNCTION f() RETURNS text LANGUAGE sql "
     "AS $$ SELECT 'T' || nextval$ ('s') $$", False),
    ("CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS $$ SELECT a FROM t WHERE nope(a) $$",
     False),
    ("CREATE PROCEDURE p() LANGUAGE sql AS $$ UPDATE t SET a = 1 + nope(a) $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 + nope(2); END", False),
    ("CREATE FUNCTION fact(n int) RETURNS int LANGUAGE sql AS $$ SELECT CASE WHEN n <= 1 "
     "THEN 1 ELSE n * fact(n - 1) END $$", True),
    ("CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS $$ WITH x(a) AS (SELECT 1), "
     "y (b) AS (SELECT 2) SELECT x.a FROM x, y, t z(i, j, k) WHERE z.i > 0 $$", True),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ INSERT INTO t(id, a) "
     "SELECT 1, lower('1')::int + abs(-1) $$", True),
    ("CREATE TYPE mood AS ENUM ('a'); CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS $$ "
     "SELECT count(*)::int FROM t WHERE mood('a') = 'a' AND int4('1') = 1 AND EXISTS "
     "(SELECT 1) AND a IN (1) $$", True),
    ("CREATE FUNCTION g(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$; CREATE FUNCTION f() "
     "RETURNS int LANGUAGE sql AS $$ SELECT g(1) + g(2) WHERE g(3) > 0 $$", True),
    ("CREATE SCHEMA q; CREATE FUNCTION q.g() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; "
     "CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS $$ SELECT 1 + q.g() "
     "FROM generate_series(1, 3) g(i) WHERE i = 1 $$", True),
    ("SET LOCAL check_function_bodies = off; "
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 + nope(2) $$", True),
    # a column privilege names a column the table has
    ("GRANT SELECT, UPDATE (b$) ON t TO PUBLIC", False),
    ("REVOKE UPDATE (nope) ON t FROM PUBLIC", False),
    ("ALTER TABLE t RENAME COLUMN b TO bb; GRANT SELECT (b) ON t TO PUBLIC", False),
    ("CREATE TABLE q (\"B\" int); GRANT SELECT (b) ON q TO PUBLIC", False),
    ("GRANT SELECT, UPDATE (b, a) ON t TO PUBLIC; GRANT INSERT (id) ON TABLE t TO PUBLIC; "
     "REVOKE UPDATE (a) ON t FROM PUBLIC; GRANT ALL (a, b) ON t TO PUBLIC", True),
    ("CREATE TABLE q (\"B\" int, c text); GRANT SELECT (\"B\", C) ON q TO PUBLIC", True),
    ("GRANT SELECT (ctid, xmin, tableoid) ON t TO PUBLIC", True),
    ("CREATE VIEW v AS SELECT id, b FROM t; GRANT SELECT (id, b) ON v TO PUBLIC", True),
    ("CREATE TABLE p (k int, v int) PARTITION BY RANGE (k); GRANT SELECT (k), UPDATE (v) "
     "ON p TO PUBLIC; ALTER TABLE t ADD COLUMN z int; GRANT SELECT (z) ON t TO PUBLIC", True),
    # a partition bound's constant is followed by no name but a key word
    ("CREATE TABLE e (kind text NOT NULL) PARTITION BY LIST (kind); "
     "CREATE TABLE e1 PARTITION OF e FOR VALUES IN ('click' own)", False),
    ("CREATE TABLE e (kind text NOT NULL) PARTITION BY LIST (kind); "
     "CREATE TABLE e1 PARTITION OF e FOR VALUES IN ('click', 'view' \"x\")", False),
    ("CREATE TABLE e (d int NOT NULL) PARTITION BY RANGE (d); CREATE TABLE e1 (d int NOT NULL); "
     "ALTER TABLE e ATTACH PARTITION e1 FOR VALUES FROM (1) TO (10 own)", False),
    ("CREATE TABLE e (kind text NOT NULL) PARTITION BY LIST (kind); CREATE TABLE e1 PARTITION "
     "OF e FOR VALUES IN ('click', 'vi'\n'ew', text 'x', 'y'::text, ('z'), 'a' || 'b', "
     "'c' COLLATE \"C\", U&'d' UESCAPE '!')", True),
    ("CREATE TABLE e (d int NOT NULL) PARTITION BY RANGE (d); CREATE TABLE e1 PARTITION OF e "
     "FOR VALUES FROM (MINVALUE) TO (10); CREATE TABLE e2 PARTITION OF e FOR VALUES FROM (10) "
     "TO (1 + 19); CREATE TABLE e3 PARTITION OF e FOR VALUES FROM (20) TO (MAXVALUE)", True),
    ("CREATE TABLE e (d timestamptz NOT NULL) PARTITION BY RANGE (d); CREATE TABLE e1 PARTITION "
     "OF e FOR VALUES FROM ('2024-01-01' AT TIME ZONE 'UTC') TO ('2025-01-01')", True),
    ("CREATE TABLE e (b boolean NOT NULL) PARTITION BY LIST (b); CREATE TABLE e1 PARTITION OF e "
     "FOR VALUES IN (1 = 1, 'x' IS NULL, 2 IN (3))", True),
    # ON CONFLICT (columns) finds a unique index or key on exactly them
    ("CREATE TABLE s (key text NOT NULL, value text); CREATE INDEX s_key ON s (key); "
     "INSERT INTO s VALUES ('a', 'b') ON CONFLICT (key) DO NOTHING", False),
    ("CREATE TABLE s (key text, value text, UNIQUE (key, value)); "
     "INSERT INTO s VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = 'c'", False),
    ("CREATE TABLE s (a int, b int); CREATE UNIQUE INDEX s_a ON s (a) WHERE b > 0; "
     "INSERT INTO s VALUES (1, 2) ON CONFLICT (a) DO NOTHING", False),
    ("CREATE TABLE s (a int, b int); CREATE UNIQUE INDEX s_a ON s (a); DROP INDEX s_a; "
     "INSERT INTO s VALUES (1, 2) ON CONFLICT (a) DO NOTHING", False),
    ("CREATE TABLE s (key text UNIQUE, value text); INSERT INTO s VALUES ('a', 'b') "
     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", True),
    ("CREATE TABLE s (a int, b int, c int, PRIMARY KEY (a, b)); "
     "INSERT INTO s VALUES (1, 2, 3) ON CONFLICT (b, a) DO NOTHING", True),
    ("CREATE TABLE s (a int, b int, c int); CREATE UNIQUE INDEX s_ab ON s (a, b) INCLUDE (c); "
     "INSERT INTO s VALUES (1, 2, 3) ON CONFLICT (b, a) DO NOTHING", True),
    ("CREATE TABLE s (a int, b int); CREATE UNIQUE INDEX s_a ON s (a) WHERE b > 0; "
     "INSERT INTO s VALUES (1, 2) ON CONFLICT (a) WHERE b > 0 DO NOTHING", True),
    ("CREATE TABLE s (a int, b text); CREATE UNIQUE INDEX s_a ON s (lower(b)); "
     "INSERT INTO s VALUES (1, 'x') ON CONFLICT (lower(b)) DO NOTHING", True),
    ("CREATE TABLE s (a int, b int) PARTITION BY RANGE (a); CREATE TABLE s1 PARTITION OF s "
     "FOR VALUES FROM (0) TO (10); ALTER TABLE s ADD PRIMARY KEY (a); INSERT INTO s VALUES "
     "(1, 2) ON CONFLICT (a) DO NOTHING; INSERT INTO s1 VALUES (2, 2) ON CONFLICT (a) DO NOTHING",
     True),
    ("CREATE TABLE s (a int, b int); CREATE UNIQUE INDEX s_a ON s (a); ALTER TABLE s RENAME TO "
     "s2; ALTER TABLE s2 RENAME COLUMN a TO aa; INSERT INTO s2 VALUES (1, 2) "
     "ON CONFLICT (aa) DO NOTHING", True),
    ("CREATE TABLE s (a int PRIMARY KEY, b int); CREATE TABLE s2 (LIKE s INCLUDING ALL); "
     "INSERT INTO s2 VALUES (1, 2) ON CONFLICT (a) DO NOTHING", True),
    ("CREATE TABLE s (a int, \"B\" int); CREATE UNIQUE INDEX s_b ON s (\"B\"); "
     "INSERT INTO s VALUES (1, 2) ON CONFLICT (\"B\") DO NOTHING; "
     "INSERT INTO t VALUES (1, 2, 'x') ON CONFLICT DO NOTHING", True),
    # OVERRIDING takes SYSTEM or USER
    ("INSERT INTO t (id, b) OVERRIDING VALUE VALUES (100, 'x')", False),
    ("INSERT INTO t OVERRIDING VALUE SELECT 1, 2, 'x'", False),
    ("INSERT INTO t (id, b) OVERRIDING SYSTEM VALUE VALUES (100, 'x')", True),
    ("INSERT INTO t (id, b) OVERRIDING USER VALUE VALUES (101, 'x')", True),
    ("CREATE TABLE g (id int GENERATED ALWAYS AS IDENTITY, b text); "
     "INSERT INTO g (id, b) OVERRIDING SYSTEM VALUE VALUES (5, 'x')", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


@pytest.mark.parametrize("statement", [
    "DO $$ BEGIN . PERFORM 1; END $$",
    "DO $$ BEGIN PERFORM 1;; END $$",
    "CREATE TABLE c (id int, n bigint DEFAULT nextval())",
    "CREATE TABLE r (id int, d date DEFAULT '2024 2025-01-01')",
    "SELECT a *.b FROM t",
    "INSERT INTO t (id, b) OVERRIDING VALUE VALUES (100, 'x')",
    "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT 'b' $1 $$",
    "GRANT SELECT (nope) ON t TO PUBLIC",
    "CREATE TABLE s (k text, v text); INSERT INTO s VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING",
])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [*SETUP, statement])
