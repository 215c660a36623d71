"""False refusals found by writing migration statements the way projects write them and asking
PostgreSQL 15 and the fold about each: statements PostgreSQL applies that ``squash`` refused,
each beside its nearest neighbour PostgreSQL refuses, which the fold must still refuse. Every
verdict is asked of a real PostgreSQL in the same test; PostgreSQL's message must hold the error
fragment, and so must the fold's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import assert_refused_alike
from schemafold.names import fold_case, fold_identifier, truncate_identifier
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

# names longer than the 63 bytes PostgreSQL keeps of one
T70, T63, T65 = "t" * 70, "t" * 63, "t" * 65
C70, C63, C64 = "c" * 70, "c" * 63, "c" * 64
A70, A63Z = "a" * 70, "a" * 63 + "zzzz"
E40, E31 = "é" * 40, "é" * 31  # 80 bytes; 62 (a 63rd byte would split a character)

_PROCEDURE = "CREATE PROCEDURE p(a int, OUT b int) LANGUAGE plpgsql AS $$ BEGIN b := a; END $$"
_OUT_FUNCTION = "CREATE FUNCTION f(a int, OUT b int) LANGUAGE sql AS 'SELECT a'"

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # a name longer than 63 bytes is cut to 63, quoted or not, by whole characters: the long
    # spelling and the cut one (or a longer one alike in its first 63 bytes) name one object
    (f"CREATE TABLE {A70} (id int);\nINSERT INTO {A70[:63]} VALUES (1);\n"
     f"INSERT INTO {A63Z} VALUES (2)", None),
    (f"CREATE TABLE {A70} (id int);\nCREATE TABLE {A63Z} (id int)",
     f'relation "{A70[:63]}" already exists'),
    (f"CREATE TABLE {A70} (id int);\nINSERT INTO {A70[:62]} VALUES (1)",
     f'relation "{A70[:62]}" does not exist'),
    (f"CREATE TABLE w ({C70} int);\nINSERT INTO w ({C63}) VALUES (1);\n"
     f"ALTER TABLE w DROP COLUMN {C64}", None),
    (f"CREATE TABLE w ({C70} int, {C64} int)", f'column "{C63}" specified more than once'),
    (f'CREATE TABLE "{A70.upper()}" (id int);\nINSERT INTO "{A63Z.upper()}" VALUES (1)', None),
    (f'CREATE TABLE "{A70.upper()}" (id int);\nINSERT INTO {A70.upper()} VALUES (1)',
     f'relation "{A70[:63]}" does not exist'),
    (f'CREATE TABLE U&"{"d" * 66}" (id int);\nINSERT INTO {"d" * 63} VALUES (1)', None),
    (f"CREATE TABLE {E40} (id int);\nINSERT INTO {E31} VALUES (1);\n"
     f'INSERT INTO "{E31}é" VALUES (2)', None),
    (f"CREATE TABLE {E40} (id int);\nINSERT INTO {E31}x VALUES (1)", "does not exist"),
    (f"CREATE INDEX {A70} ON t (a);\nDROP INDEX {A63Z}", None),
    (f"CREATE INDEX {A70} ON t (a);\nCREATE INDEX {A63Z} ON t (b)", "already exists"),
    (f"ALTER TABLE t ADD CONSTRAINT {A70} CHECK (a > 0);\nALTER TABLE t RENAME CONSTRAINT "
     f"{A63Z} TO k;\nALTER TABLE t DROP CONSTRAINT k", None),
    (f"ALTER TABLE t ADD CONSTRAINT {A70} CHECK (a > 0);\n"
     f"ALTER TABLE t DROP CONSTRAINT {A70[:60]}", "does not exist"),
    (f"CREATE FUNCTION {A70}({C70} int) RETURNS int LANGUAGE sql AS 'SELECT {C64}';\n"
     f"CREATE VIEW v AS SELECT {A63Z}({C63} => 1) AS x;\nDROP VIEW v;\n"
     f"DROP FUNCTION {A70[:63]}(int)",
     None),
    (f"CREATE FUNCTION {A70}() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     f"DROP FUNCTION {A70[:40]}()", "does not exist"),
    (f"CREATE TYPE {A70} AS ENUM ('x');\nALTER TYPE {A63Z} ADD VALUE 'y';\n"
     f"CREATE TABLE w (c {A70[:63]}[])", None),
    (f"CREATE TYPE {A70} AS ENUM ('x');\nCREATE TYPE {A63Z} AS ENUM ('y')", "already exists"),
    (f"CREATE SEQUENCE s{A70};\nALTER SEQUENCE s{A63Z} RESTART 5;\n"
     f"SELECT setval('s{A70[:62]}', 7)", None),
    (f"CREATE TABLE {T70} (id serial PRIMARY KEY, {C70} text UNIQUE);\n"
     f"ALTER TABLE {T65} DROP CONSTRAINT {'t' * 29}_{'c' * 29}_key;\n"
     f"ALTER SEQUENCE {'t' * 57}_id_seq RESTART 3", "does not exist"),
    (f"CREATE TABLE {T70} (id serial PRIMARY KEY, {C70} text UNIQUE);\n"
     f"ALTER TABLE {T65} DROP CONSTRAINT {'t' * 29}_{'c' * 29}_key;\n"
     f"ALTER TABLE {T63} DROP CONSTRAINT {'t' * 58}_pkey;\n"
     f"SELECT setval('{'t' * 56}_id_seq', 3)", None),
    # an unquoted name folds only its ASCII letters to lower case (a UTF-8 database): Ü stays
    ("CREATE TABLE Übersicht (Größe int, Name text);\nINSERT INTO Übersicht (Größe, name) "
     "VALUES (1, 'x');\nUPDATE \"Übersicht\" SET \"größe\" = 2 WHERE Größe = 1;\n"
     "DELETE FROM ÜBERSICHT WHERE größe = 3", None),
    ("CREATE TABLE É (id int);\nINSERT INTO é VALUES (1)", "does not exist"),
    ("CREATE TABLE Übersicht (Größe int);\nCREATE FUNCTION zähle() RETURNS bigint LANGUAGE "
     "plpgsql AS $$ DECLARE Ä int; BEGIN SELECT count(*) INTO \"Ä\" FROM Übersicht; RETURN Ä; "
     "END $$;\nDO $$ BEGIN INSERT INTO Übersicht VALUES (1); UPDATE \"Übersicht\" SET Größe "
     "= 2; END $$;\nDROP FUNCTION \"zähle\"()", None),
    ("CREATE SEQUENCE Zähler;\nSELECT nextval('Zähler');\nSELECT setval('\"zähler\"', 5)",
     None),
    ("CREATE TABLE w (id int, Größe int DEFAULT 1 CHECK (Größe > 0));\n"
     "INSERT INTO w (id) VALUES (1);\nCREATE INDEX ON w (Größe);\nDROP INDEX \"w_größe_idx\"",
     None),
    ("CREATE TABLE w (id int, Größe int);\nCREATE INDEX ON w (Größe);\n"
     "DROP INDEX \"w_Größe_idx\"", "does not exist"),
    # any character beyond ASCII may start a bare name, as a letter does
    ("CREATE TABLE 😀 (id int PRIMARY KEY, €uro numeric, a→b text);\n"
     "INSERT INTO 😀 (id, €uro, a→b) VALUES (1, 2.5, 'x');\nCREATE INDEX ON 😀 (€uro);\n"
     "UPDATE \"😀\" SET €uro = €uro * 2 WHERE a→b = 'x';\nDROP INDEX \"😀_€uro_idx\"", None),
    ("CREATE TABLE w (id int, \"€\" int);\nINSERT INTO w (€) VALUES (1)", None),
    ("CREATE TABLE w (id int);\nINSERT INTO w (€) VALUES (1)", "does not exist"),
    # no key word has a character beyond ASCII, though str.upper makes SELECT of ſelect and
    # LIMIT of lımıt
    ("CREATE TABLE ſelect (a int, lımıt int);\nINSERT INTO ſelect SELECT 1, 2;\n"
     "CREATE VIEW v AS SELECT a ſrom, lımıt FROM ſelect WHERE lımıt > 1;\n"
     "UPDATE ſelect SET a = 2 WHERE lımıt IS NULL", None),
    ("CREATE VIEW v AS SELECT a FROM t WHERE a > 1 ſelect", 'syntax error at or near "ſelect"'),
    ("CREATE TABLE g (a int, lımıt int GENERATED ALWAYS AS (a + 1) STORED);\n"
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT lımıt FROM g $$", None),
    # a PL/pgSQL statement that starts with a name, quoted or beyond ASCII, assigns to it
    ("DO $$ DECLARE \"x\" int[]; éa int; BEGIN \"x\" := '{1}'; \"x\"[1] = 2; éa := 1; END $$",
     None),
    ("DO $$ BEGIN \"x\" FOUND; END $$", 'syntax error at or near ""x""'),
    ("DO $$ BEGIN \"RETURN\"; END $$", 'syntax error at or near ""RETURN""'),
    ("DO $$ BEGIN éa FOUND; END $$", 'syntax error at or near "éa"'),
    # a quoted name before a string makes a typed constant, as a bare one does
    ("CREATE TYPE mood AS ENUM ('x');\nCREATE TABLE w (a int, m mood);\n"
     "INSERT INTO w VALUES (\"int4\" '1', \"mood\" 'x');\n"
     "CREATE VIEW v AS SELECT a FROM w WHERE m = \"mood\" 'x'", None),
    ("CREATE TABLE w (a int);\nINSERT INTO w (a) VALUES (\"INT4\" '1')",
     'type "INT4" does not exist'),
    # an enum label is not cut: 63 bytes at most
    (f"CREATE TYPE e AS ENUM ('{'x' * 63}', '{E31}');\nALTER TYPE e ADD VALUE '{'y' * 63}';\n"
     f"ALTER TYPE e RENAME VALUE '{E31}' TO '{'z' * 63}'", None),
    (f"CREATE TYPE e AS ENUM ('{'x' * 64}')", "invalid enum label"),
    (f"CREATE TYPE e AS ENUM ('a');\nALTER TYPE e ADD VALUE '{E31}éé'", "invalid enum label"),
    (f"CREATE TYPE e AS ENUM ('a');\nALTER TYPE e RENAME VALUE 'a' TO '{'z' * 64}'",
     "invalid enum label"),
    # the data a migration moves and the bodies it defines name the cut names too
    (f"CREATE TABLE {T70} (id int PRIMARY KEY, {C70} text);\n"
     f"INSERT INTO {T63} (id, {C64}) SELECT id, b FROM t;\n"
     f"UPDATE {T70} SET {C64} = 'y' WHERE {C63} IS NULL;\nDELETE FROM {T63} WHERE {C70} = 'z'",
     None),
    (f"CREATE TABLE {T70} (id int PRIMARY KEY, {C70} text);\n"
     f"DELETE FROM {T63} WHERE {C70[:62]} = 'z'", "does not exist"),
    (f"CREATE TABLE {T70} (id int PRIMARY KEY, {C70} int DEFAULT 2, "
     f"k int GENERATED ALWAYS AS ({C64} + 1) STORED);\n"
     f"INSERT INTO {T63} (id) VALUES (1)", None),
    (f"CREATE TABLE w (id int, x int);\nCREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS "
     f"$$ DECLARE {A70} int := 1; BEGIN RETURN {A63Z}; END $$;\n"
     f"DO $$ BEGIN INSERT INTO w VALUES (1, 2); UPDATE w SET x = 3; END $$", None),
    # a procedure named by all of its arguments, OUT ones too (PostgreSQL 14 and later), when
    # no argument has a mode written; a function only by its input arguments
    (f"{_PROCEDURE};\nCOMMENT ON PROCEDURE p(int, int) IS 'x';\n"
     "GRANT EXECUTE ON PROCEDURE p(a int, b int) TO PUBLIC;\nDROP PROCEDURE p(int, int)", None),
    (f"{_PROCEDURE};\nDROP PROCEDURE p(int)", None),
    (f"{_PROCEDURE};\nDROP PROCEDURE p(IN int, OUT int)", None),
    (f"{_PROCEDURE};\nDROP PROCEDURE p(IN int, int)", "p(integer, integer) does not exist"),
    (f"{_PROCEDURE};\nDROP PROCEDURE p(int, text)", "p(integer, text) does not exist"),
    (f"{_PROCEDURE};\nCREATE PROCEDURE p(a int, b int) LANGUAGE plpgsql AS $$ BEGIN NULL; "
     "END $$;\nDROP PROCEDURE p(int, int)", 'procedure name "p" is not unique'),
    (f"{_PROCEDURE};\nCREATE PROCEDURE p(a int, b int) LANGUAGE plpgsql AS $$ BEGIN NULL; "
     "END $$;\nDROP PROCEDURE p(int, OUT int);\nDROP PROCEDURE p(int, int)", None),
    ("CREATE PROCEDURE p(OUT b int, a text) LANGUAGE plpgsql AS $$ BEGIN b := 1; END $$;\n"
     "DROP PROCEDURE p(int, text)", None),
    ("CREATE PROCEDURE p(OUT b int, a text) LANGUAGE plpgsql AS $$ BEGIN b := 1; END $$;\n"
     "DROP PROCEDURE p(text, int)", "p(text, integer) does not exist"),
    (f"{_OUT_FUNCTION};\nDROP FUNCTION f(int, OUT int);\n{_OUT_FUNCTION};\nDROP FUNCTION f(int)",
     None),
    (f"{_OUT_FUNCTION};\nGRANT EXECUTE ON ROUTINE f(int, int) TO PUBLIC", None),
    (f"{_OUT_FUNCTION};\nDROP FUNCTION f(int, int)", "f(integer, integer) does not exist"),
    (f"{_PROCEDURE};\nDROP FUNCTION p(int, int)", "p(integer, integer) does not exist"),
    # a routine of the other kind: named without arguments, only one of the statement's kind
    # is looked for; with them, the routine found is PostgreSQL's error
    ("CREATE FUNCTION x(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\nCREATE PROCEDURE "
     "x(a text) LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;\nCOMMENT ON PROCEDURE x IS 'p';\n"
     "GRANT EXECUTE ON ROUTINE x(text) TO PUBLIC;\nDROP PROCEDURE x;\nDROP FUNCTION x", None),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\nDROP PROCEDURE f(int)",
     "f(integer) is not a procedure"),
    ("CREATE PROCEDURE p(a int) LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;\n"
     "COMMENT ON FUNCTION p(int) IS 'x'", "p(integer) is not a function"),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\nDROP PROCEDURE f",
     'could not find a procedure named "f"'),
    # INSERT's query in parentheses is no column list; ``values`` alone may name a column
    ("CREATE TABLE w (id int PRIMARY KEY, v text);\n"
     "INSERT INTO w (SELECT 1, 'a' UNION ALL SELECT 2, 'b');\nINSERT INTO w ((SELECT 3, 'c'));\n"
     "INSERT INTO w (VALUES (4, 'd'));\nINSERT INTO w (TABLE w) ON CONFLICT (id) DO NOTHING;\n"
     "INSERT INTO w (WITH x AS (SELECT 6 AS i) SELECT i, 'f' FROM x) RETURNING id", None),
    ('CREATE TABLE w (id int, "values" text);\nINSERT INTO w (values) VALUES (\'a\')', None),
    ("CREATE TABLE w (id int, v text);\nINSERT INTO w (SELEC 1, 'a')",
     'syntax error at or near "1"'),
    # a trigger's function is the one taking no arguments, whatever overloads share its name
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
     "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
     "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", None),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
     "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO u VALUES "
     "(NEW.id, 1); RETURN NEW; END $$;\n"
     "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n"
     "INSERT INTO t VALUES (1, 2, 'x');\nUPDATE t SET a = 3", None),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
     "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
     "function f() does not exist"),
    ("CREATE PROCEDURE f() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;\n"
     "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
     "function f() does not exist"),
    # IF NOT EXISTS is a materialized view's, not a view's
    ("CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1 AS x;\n"
     "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 2 AS x;\nCREATE VIEW if AS SELECT 1 AS x",
     None),
    ("CREATE VIEW IF NOT EXISTS v AS SELECT 1", 'syntax error at or near "NOT"'),
    # one DROP naming an object twice, or one that goes with another it names: PostgreSQL
    # finds them all before it drops any
    ("CREATE TABLE w (id int);\nDROP TABLE w, public.w, u, u", None),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
     "CREATE TYPE e AS ENUM ('a');\nDROP FUNCTION f(int), f(integer);\nDROP TYPE e, e", None),
    ("CREATE TABLE p (id int) PARTITION BY RANGE (id);\n"
     "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (10);\nDROP TABLE p, p1", None),
    ("CREATE TABLE w (id int);\nDROP TABLE w, w, nope", 'table "nope" does not exist'),
]


def test_unquoted_names_fold_only_ascii_letters() -> None:
    assert fold_case("ÜberSicht") == "Übersicht"
    assert fold_case("MixedCase") == "mixedcase"
    assert fold_identifier("É" * 40, False) == "É" * 31
    assert fold_identifier("É", True) == "É"


def test_names_are_cut_as_postgresql_cuts_them() -> None:
    assert truncate_identifier("a" * 63) == "a" * 63
    assert truncate_identifier("a" * 64) == "a" * 63
    assert truncate_identifier("é" * 40) == "é" * 31
    assert truncate_identifier("a" + "é" * 40) == "a" + "é" * 31
    assert truncate_identifier("aa" + "€" * 30) == "aa" + "€" * 20  # 3 bytes each


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)
