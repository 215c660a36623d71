"""What PostgreSQL refuses in the bodies of functions, procedures and DO blocks when it compiles
them (issue 15, fuzz seed 20), and the fold refuses alike: in a condition, an unreserved key
word after a constant or a parameter (``WHERE stamped < $1 before``), ``CASE`` or ``CAST`` right
after an operand, and a clause that goes on after a column named by an unreserved key word;
in PL/pgSQL, an assignment to a name that is no variable in scope, ``NULL`` followed by
anything but ``;``, an exception condition that is none of PostgreSQL's (the names both 15
and 18 know), and ``END IF`` (``END LOOP``, ``END CASE``) inside an expression, where a ``;``
was lost. Each case is asked of the real PostgreSQL in the same test, next to its valid
neighbours, and must get the same answer (the same message) from the fold."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import fold_refusal, primary_message, refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster

BASE = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]


def _plpgsql(body: str, returns: str = "void", arguments: str = "") -> str:
    return f"CREATE FUNCTION f({arguments}) RETURNS {returns} LANGUAGE plpgsql AS $$\n{body}\n$$"


def _do(body: str) -> str:
    return f"DO $$\n{body}\n$$"


# (statements after BASE, PostgreSQL's message or None where it takes them)
CASES = [
    # a condition: an unreserved key word after a constant or a parameter ($1 is $ then 1)
    (["CREATE PROCEDURE p(before date) LANGUAGE sql AS "
      "$$ DELETE FROM t WHERE a < $1 before AND id = 0 $$"], 'syntax error at or near "before"'),
    (["SELECT * FROM t WHERE a = 1 before"], 'syntax error at or near "before"'),
    (["SELECT * FROM t WHERE b = 'x' before"], 'syntax error at or near "before"'),
    (["SELECT * FROM t WHERE b::interval > INTERVAL '1' day AND "
      "b::interval < INTERVAL '1' hour TO minute"], None),
    (["SELECT * FROM t WHERE b = U&'x' UESCAPE '!' AND b = 'x' COLLATE \"C\" AND "
      "'a' IS NFC NORMALIZED AND now() > timestamp '2020-01-01' AT TIME ZONE 'UTC'"], None),
    # ... CASE or CAST right after an operand
    (["CREATE PROCEDURE p(before date) LANGUAGE sql AS "
      "$$ DELETE FROM t WHERE a < 1 AND id = 0 CASE $$"], 'syntax error at or near "CASE"'),
    (["SELECT * FROM t WHERE b = 'x' CASE"], 'syntax error at or near "CASE"'),
    (["SELECT * FROM t WHERE a = 1 CAST"], 'syntax error at or near "CAST"'),
    (["SELECT * FROM t WHERE a = 1 AND CASE WHEN b = 'x' THEN true END AND "
      "CAST(a AS text) = b"], None),
    # ... a column named by an unreserved key word is an operand: the clause goes on
    (["CREATE PROCEDURE p(before date) LANGUAGE sql AS "
      "$$ DELETE FROM t WHERE a::date < before AND id = 0 CASE $$"],
     'syntax error at or near "CASE"'),
    (["CREATE FUNCTION g(before int, key text) RETURNS SETOF t LANGUAGE sql AS "
      "$$ SELECT * FROM t WHERE a < before AND key = b ORDER BY a $$"], None),
    (["CREATE FUNCTION g(value int, type text) RETURNS void LANGUAGE sql AS "
      "$$ UPDATE t SET a = value, b = type WHERE a = value AND type IS NOT NULL $$"], None),
    (["CREATE FUNCTION g(value int, type text) RETURNS void LANGUAGE sql AS "
      "$$ DELETE FROM t WHERE value > 1 AND type LIKE 'x%' ESCAPE '!' OR value IS NULL $$"],
     None),
    # a foreign key's ON UPDATE SET NULL is no UPDATE's SET list: column definitions follow
    (["CREATE TABLE v (x int REFERENCES t ON UPDATE SET NULL, \"y\" text, z text ARRAY)"],
     None),
    # PL/pgSQL: an assignment to a name that is no variable in scope
    ([_plpgsql("BEGIN\n    NEWupdated := clock_timestamp();\n    RETURN NEW;\nEND", "trigger")],
     '"newupdated" is not a known variable'),
    ([_plpgsql("BEGIN\n    NEW.b := 'x';\nEND")], '"new.b" is not a known variable'),
    ([_plpgsql("BEGIN\n    x = 1;\nEND")], '"x" is not a known variable'),
    ([_plpgsql("BEGIN\n    x[1] := 1;\nEND")], '"x" is not a known variable'),
    ([_plpgsql("BEGIN\n    \"X\" := 1;\nEND")], '"X" is not a known variable'),
    ([_plpgsql("BEGIN\n    tg_op := 'x';\nEND")], '"tg_op" is not a known variable'),
    ([_plpgsql("BEGIN\n    foo.x := 1;\nEND")], '"foo.x" is not a known variable'),
    ([_plpgsql("DECLARE\n    x int;\nBEGIN\n    DECLARE\n        y int;\n    BEGIN\n"
               "        y := 1;\n    END;\n    y := 2;\nEND")], '"y" is not a known variable'),
    ([_plpgsql("BEGIN\n    FOR i IN 1..3 LOOP\n        NULL;\n    END LOOP;\n    i := 1;\nEND")],
     '"i" is not a known variable'),
    ([_do("BEGIN\n    x := 1;\nEND")], '"x" is not a known variable'),
    ([_plpgsql("BEGIN\n    NEW.b := 'x';\n    tg_argv[0] := 'y';\n    tg_op := 'z';\n"
               "    RETURN NEW;\nEND", "trigger")], None),
    ([_plpgsql("DECLARE\n    \"X\" int;\n    y ALIAS FOR \"X\";\n    z ALIAS FOR $1;\n"
               "    r t%ROWTYPE;\n    c CURSOR FOR SELECT 1;\nBEGIN\n    \"X\" := 1;\n"
               "    Y := 2;\n    z := 3;\n    f.x := 4;\n    r.a := 5;\n    r.zz := 6;\n"
               "    c := NULL;\n    found := true;\nEND", arguments="x int")], None),
    (["CREATE FUNCTION f(OUT x int) LANGUAGE plpgsql AS $$ BEGIN x := 1; END $$"], None),
    (["CREATE FUNCTION f() RETURNS TABLE (x int) LANGUAGE plpgsql AS "
      "$$ BEGIN x := 1; END $$"], None),
    (["CREATE PROCEDURE p(INOUT x int) LANGUAGE plpgsql AS $$ BEGIN x := 1; END $$"], None),
    ([_plpgsql("<<outside>>\nDECLARE\n    x int;\n    r record;\nBEGIN\n    DECLARE\n"
               "        y int;\n    BEGIN\n        y := 1;\n        outside.x := 2;\n    END;\n"
               "    FOR i IN 1..3 LOOP\n        i := i;\n    END LOOP;\n"
               "    FOR r IN SELECT * FROM t LOOP\n        r.a := 1;\n    END LOOP;\nEND")],
     None),
    ([_do("DECLARE\n    x int;\nBEGIN\n    x := 1;\nEND")], None),
    # ... NULL, then anything but ;
    ([_do("BEGIN\n    CREATE TYPE e AS ENUM ('a');\nEXCEPTION\n"
          "    WHEN duplicate_object THEN NULL e;\nEND")], 'syntax error at or near "e"'),
    ([_do("BEGIN\n    NULL e.f;\nEND")], 'syntax error at or near "e.f"'),
    ([_do("BEGIN\n    NULL 1;\nEND")], 'syntax error at or near "1"'),
    ([_do("BEGIN\n    NULL IS NULL;\nEND")], 'syntax error at or near "IS"'),
    ([_do("BEGIN\n    NULL;\n    NULL ;\n    NULL\n    ;\n    NULL /* x */;\n"
          "    IF true THEN NULL; ELSE NULL; END IF;\nEND")], None),
    # ... an exception condition none of PostgreSQL's (RAISE's, EXCEPTION WHEN's)
    ([_do("BEGIN\n    RAISE NOTICE \ufeff'kept';\nEND")],
     'unrecognized exception condition "\ufeff"'),
    ([_do("BEGIN\n    RAISE NOTICE foo;\nEND")], 'unrecognized exception condition "foo"'),
    ([_do("BEGIN\n    RAISE others;\nEND")], 'unrecognized exception condition "others"'),
    ([_do("BEGIN\n    RAISE \"Division_by_zero\";\nEND")],
     'unrecognized exception condition "Division_by_zero"'),
    ([_do("BEGIN\n    NULL;\nEXCEPTION\n    WHEN unique_violation OR foo THEN NULL;\nEND")],
     'unrecognized exception condition "foo"'),
    ([_do("BEGIN\n    NULL;\nEXCEPTION\n    WHEN \ufeffduplicate_object THEN NULL;\nEND")],
     'unrecognized exception condition "\ufeffduplicate_object"'),
    ([_do("BEGIN\n    NULL;\nEXCEPTION\n    WHEN \"OTHERS\" THEN NULL;\nEND")],
     'unrecognized exception condition "OTHERS"'),
    ([_do("BEGIN\n    NULL;\nEXCEPTION\n    WHEN warning THEN NULL;\nEND")],
     'unrecognized exception condition "warning"'),  # no error's name: a warning's
    ([_do("DECLARE\n    foo int;\nBEGIN\n    NULL;\nEXCEPTION\n    WHEN foo THEN NULL;\nEND")],
     'unrecognized exception condition "foo"'),
    ([_plpgsql("BEGIN\n    NULL;\nEXCEPTION\n    WHEN duplicate_objekt THEN NULL;\nEND")],
     'unrecognized exception condition "duplicate_objekt"'),
    ([_do("BEGIN\n    RAISE NOTICE 'x';\nEXCEPTION\n    WHEN raise_exception OR assert_failure "
          "OR plpgsql_error OR no_data_found OR too_many_rows OR Division_By_Zero\n"
          "        OR SQLSTATE '22012' OR string_data_right_truncation THEN NULL;\n"
          "    WHEN OTHERS THEN NULL;\nEND")], None),
    ([_plpgsql("BEGIN\n    RAISE division_by_zero USING MESSAGE = 'x';\nEND"),
      _plpgsql("BEGIN\n    RAISE Unique_Violation;\nEND", arguments="x int")], None),
    # ... END IF, END LOOP, END CASE inside an expression: the END labels it, a word follows
    ([_plpgsql("BEGIN\n    IF NEW.a <= 0 THEN\n        RAISE EXCEPTION 'plan % is free', NEW.b\n"
               "    END IF;\n    RETURN NEW;\nEND", "trigger")], 'syntax error at or near "IF"'),
    ([_do("BEGIN\n    FOR i IN 1..2 LOOP\n        RAISE NOTICE '%', i\n    END LOOP;\nEND")],
     'syntax error at or near "LOOP"'),
    ([_do("BEGIN\n    CASE WHEN true THEN\n        RAISE NOTICE '%', 1\n    END CASE;\nEND")],
     'syntax error at or near "CASE"'),
    ([_do("BEGIN\n    IF true THEN\n        RAISE NOTICE '%', CASE WHEN true THEN 1 END\n"
          "    END IF;\nEND")], 'syntax error at or near "IF"'),
    ([_do("BEGIN\n    IF true THEN\n        RAISE NOTICE '%', 1 USING HINT = 'x'\n"
          "    END IF;\nEND")], 'syntax error at or near "IF"'),
    ([_do("DECLARE\n    x int;\nBEGIN\n    IF true THEN\n        x := 1\n    END IF;\nEND")],
     'syntax error at or near "IF"'),
    ([_do("BEGIN\n    IF true THEN\n        PERFORM 1\n    END IF;\nEND")],
     'syntax error at or near "IF"'),
    ([_do("BEGIN\n    FOR i IN 1..2 LOOP\n        EXIT WHEN i > 1\n    END LOOP;\nEND")],
     'syntax error at or near "LOOP"'),
    ([_do("BEGIN\n    IF true THEN\n        EXECUTE 'SELECT 1'\n    END IF;\nEND")],
     'syntax error at or near "IF"'),
    ([_do("BEGIN\n    IF true THEN\n        ASSERT true\n    END IF;\nEND")],
     'syntax error at or near "IF"'),
    ([_do("BEGIN\n    IF true THEN\n        RAISE NOTICE '%', (CASE WHEN true THEN 1 END);\n"
          "        PERFORM CASE WHEN true THEN 1 END if;\n"
          "        PERFORM t.end FROM (SELECT 1 AS end) t;\n        PERFORM 1 AS end;\n"
          "        PERFORM 1 end;\n        PERFORM (SELECT 1 END);\n    END IF;\nEND")], None),
]


def _postgresql_error(pg_cluster: Cluster, db: str, statements: list[str]) -> str | None:
    return primary_message(refusal(pg_cluster, db, statements))


def _schemafold_error(statements: list[str]) -> str | None:
    error = fold_refusal(statements)
    return None if error is None else error.message


@pytest.mark.parametrize(("statements", "error"), CASES)
def test_what_postgresql_refuses_is_refused(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                            statements: list[str], error: str | None) -> None:
    statements = [*BASE, *statements]
    assert _postgresql_error(pg_cluster, fresh_db(), statements) == error
    assert _schemafold_error(statements) == error


@pytest.mark.parametrize(("text", "line", "tail"), [
    ("CREATE TABLE t (id int, b text);\n"
     "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
     "    NEWb := 'x';\n    RETURN NEW;\nEND $$;\n",
     4, "\"newb\" is not a known variable: NEWb := 'x';"),
    ("DO $$\nBEGIN\n    CREATE TYPE e AS ENUM ('a');\nEXCEPTION\n"
     "    WHEN duplicate_object THEN NULL e;\nEND $$;\n",
     5, 'syntax error at or near "e": WHEN duplicate_object THEN NULL e;'),
    ("CREATE TABLE t (id int, b text);\n"
     "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
     "    IF NEW.id <= 0 THEN\n        RAISE EXCEPTION 'bad %', NEW.id\n    END IF;\n"
     "    RETURN NEW;\nEND $$;\n",
     6, 'syntax error at or near "IF": END IF;'),
])
def test_an_error_in_a_body_names_its_line(text: str, line: int, tail: str) -> None:
    with pytest.raises(InputError) as raised:
        fold_sql(text)
    assert raised.value.line == line
    assert str(raised.value).endswith(tail)
