"""Grammar PostgreSQL refuses in statements and in the bodies of functions it checks when they
are created (issue 15, fuzz seed 19): a reserved key word where a list's item must start (a
call's arguments, ``IN (...)``, a type's modifiers), a ``CASE`` without its ``WHEN``, two
comparisons in a row, two numbers or a lone ``:`` in a body, and PL/pgSQL's ``RAISE`` with its
format followed by what is neither an argument nor ``USING``, or with fewer or more
arguments than it has ``%``. Each case is asked of the real
PostgreSQL in the same test, next to its valid neighbours, and must get the same answer (the
same message) from the fold."""

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
    "CREATE TABLE p (k text) PARTITION BY LIST (k)",
]


def _plpgsql(body: str, returns: str = "void") -> str:
    return f"CREATE FUNCTION f() RETURNS {returns} LANGUAGE plpgsql AS $$\n{body}\n$$"


TRIGGER = "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"

# (statements after BASE, PostgreSQL's message or None where it takes them)
CASES = [
    # a reserved key word where an item of a list starts: a partition's bound values, IN (...)
    (["CREATE TABLE p1 PARTITION OF p FOR VALUES IN ( table'buy')"],
     'syntax error at or near "table"'),
    (["CREATE TABLE p1 PARTITION OF p FOR VALUES IN ( SELECT 'buy')"],
     'syntax error at or near "SELECT"'),
    (["CREATE TABLE p1 PARTITION OF p FOR VALUES IN ( NULL, 'buy')"], None),
    (["SELECT * FROM t WHERE b IN ( table'x')"], "syntax error at or near \"'x'\""),
    (["SELECT * FROM t WHERE b IN ( WHERE 'x')"], 'syntax error at or near "WHERE"'),
    (["SELECT * FROM t WHERE b IN ('x', FROM 'y')"], 'syntax error at or near "FROM"'),
    (["SELECT * FROM t WHERE (id, a) IN ( TABLE u)"], None),
    (["SELECT * FROM t WHERE b IN ( SELECT 'x' UNION SELECT b FROM t)"], None),
    (["SELECT * FROM t WHERE b IN (NULL, CASE WHEN a > 0 THEN 'x' END, CURRENT_USER)"], None),
    # ... a call's arguments (DISTINCT, ALL first; VARIADIC last; DEFAULT is refused only when
    # the call is analyzed, which a PL/pgSQL body's is not when it is created)
    (["SELECT now( TABLE)"], 'syntax error at or near "TABLE"'),
    (["SELECT length( FROM 'x')"], 'syntax error at or near "FROM"'),
    (["SELECT concat('a', DISTINCT 'b')"], 'syntax error at or near "DISTINCT"'),
    (["SELECT * FROM t WHERE length(b, ORDER) > 1"], 'syntax error at or near "ORDER"'),
    (["SELECT count(DISTINCT a), count(ALL a), max(a ORDER BY a), "
      "format('%s %s', VARIADIC ARRAY['a', 'b']), max(length(CAST(a AS text))), "
      "max(upper(NULL)), bool_or(coalesce(NOT true, false)) FROM t"], None),
    ([_plpgsql("BEGIN\n    NEW.b := now( TABLE);\n    RETURN NEW;\nEND", "trigger")],
     'syntax error at or near "TABLE"'),
    ([_plpgsql("BEGIN\n    NEW.b := length(DEFAULT);\n    RETURN NEW;\nEND", "trigger")],
     None),
    # a trigger's arguments, an option list: a reserved word is a label there
    ([TRIGGER, "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION "
      "tf(table, case, 'x')"], None),
    (["CREATE FOREIGN DATA WRAPPER w", "CREATE SERVER s FOREIGN DATA WRAPPER w "
      "OPTIONS (table 'x', case 'y')"], None),
    (["SELECT t.id FROM t JOIN u ON u.id = t.id, u AS v (id) WHERE v.id = 1 AND "
      "position('a' IN b) = 1 AND trim(BOTH 'x' FROM b) = 'a' AND a = ANY(ARRAY[1])"], None),
    # ... a key-word type's modifiers; a CASE that reaches a comma before its WHEN
    (["CREATE TABLE o (amount numeric( CASE 10,2))"], 'syntax error at or near ","'),
    (["CREATE TABLE o (amount numeric( TABLE 10,2))"], 'syntax error at or near "TABLE"'),
    (["CREATE TABLE o (code varchar( CASE 10))"], 'syntax error at or near "CASE"'),
    (["SELECT CAST(a AS numeric( CASE 10, 2)) FROM t"], 'syntax error at or near ","'),
    (["CREATE TABLE o (amount numeric(10, 2), code varchar(10), stamped timestamp(3), "
      "span interval(2), ratio float(24))"], None),
    (["SELECT length(CASE 'x', 2)"], 'syntax error at or near ","'),
    (["SELECT upper(CASE b)"], 'syntax error at or near ")"'),
    (["SELECT length(CASE WHEN a > 0 THEN b END), upper(CASE b WHEN 'x' THEN 'y' END), "
      "abs(CASE (a) WHEN 1 THEN 2 END) FROM t"], None),
    (["SELECT 1 case, 2"], None),  # a bare column label
    # comparisons do not associate: a < b = c
    (["DELETE FROM t WHERE a < id - 1 = true"], 'syntax error at or near "="'),
    (["SELECT 1 WHERE now() < now() - INTERVAL = '1 hour'"], 'syntax error at or near "="'),
    (["SELECT * FROM t WHERE a <= id != 1"], 'syntax error at or near "!="'),
    (["SELECT * FROM t JOIN u ON u.id = t.id::int = true"], 'syntax error at or near "="'),
    (["SELECT a FROM t GROUP BY a HAVING count(*) = 1 = true"], 'syntax error at or near "="'),
    (["CREATE TABLE v (x int CHECK (x = 1 = true))"], 'syntax error at or near "="'),
    ([_plpgsql("BEGIN\n    DELETE FROM t WHERE id < now() - INTERVAL = '1 hour';\nEND")],
     'syntax error at or near "="'),
    (["SELECT * FROM t WHERE (a = 1) = (id = 2) AND a = 1 IS NOT NULL = true"], None),
    (["SELECT * FROM t WHERE a << 1 = 4 AND a = 1 OR id = 2 AND b = 'x' AND "
      "now() < now() - INTERVAL '1 hour'"], None),
    (["UPDATE t SET a = (b = 'x')::int WHERE a = id"], None),
    ([_plpgsql("DECLARE\n    x bool;\nBEGIN\n    x = 1 = 1;\nEND")], None),
    ([_plpgsql("DECLARE\n    r record;\nBEGIN\n    FOR r IN SELECT * FROM t WHERE a = 1 LOOP\n"
               "        r.a = r.id;\n    END LOOP;\nEND")], None),
    (["CREATE RULE r AS ON UPDATE TO t WHERE old.a = new.a DO INSTEAD NOTHING"], None),
    # two numbers in a row, a lone ':' in a body
    (["CREATE FUNCTION f(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS "
      "$$ SELECT p * 1./*/**/*/2 $$"], 'syntax error at or near "2"'),
    ([_plpgsql("BEGIN\n    RETURN 1 2;\nEND", "int")], 'syntax error at or near "2"'),
    ([_plpgsql("BEGIN\n    FOR i IN 1..2 LOOP END LOOP;\n    FOR i IN 1 .. 2 LOOP END LOOP;\n"
               "    RETURN 1.5 + .5;\nEND", "numeric")], None),
    ([_plpgsql("BEGIN\n    RETURN : NEW;\nEND", "trigger")], 'syntax error at or near ":"'),
    (["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT : 1 $$"],
     'syntax error at or near ":"'),
    (["CREATE FUNCTION f(x int[]) RETURNS int[] LANGUAGE sql AS "
      "$$ SELECT x[1:2] || x[:1] || x[2:] || x[1 : 1] $$"], None),
    ([_plpgsql("DECLARE\n    x int[] := '{1,2}';\nBEGIN\n    x := x[1:1]::int[];\nEND")], None),
    # RAISE: the format, then a comma before each argument, USING or the end
    ([_plpgsql("BEGIN\n    IF true THEN\n        RAISE EXCEPTION 'plan % is free' NEW.code;\n"
               "    END IF;\n    RETURN NEW;\nEND", "trigger")],
     'syntax error at or near "NEW.code"'),
    ([_plpgsql("BEGIN\n    RAISE NOTICE 'x' 1;\nEND")], 'syntax error at or near "1"'),
    ([_plpgsql("BEGIN\n    RAISE NOTICE 'x %' || 'y', 1;\nEND")],
     'syntax error at or near "||"'),
    # ... and as many arguments as the format has % (%% is one written)
    ([_plpgsql("BEGIN\n    RAISE NOTICE 'a % of %', 1;\nEND")],
     "too few parameters specified for RAISE"),
    ([_plpgsql("BEGIN\n    RAISE 'x %' USING ERRCODE = 'P0001';\nEND")],
     "too few parameters specified for RAISE"),
    ([_plpgsql("BEGIN\n    RAISE NOTICE 'a %', 1, CASE WHEN true THEN 1 END;\nEND")],
     "too many parameters specified for RAISE"),
    (["DO $$ BEGIN RAISE NOTICE '100%% of %'; END $$"], "too few parameters specified for RAISE"),
    ([_plpgsql("BEGIN\n    RAISE NOTICE '100%% of %', 1;\n    RAISE NOTICE $q$% and %$q$, 1, "
               "greatest(2, 3);\n    RAISE NOTICE 'it''s %', ARRAY[1, 2];\n"
               "    RAISE NOTICE 'a'\n        'b %', 1;\nEND")], None),
    ([_plpgsql("BEGIN\n    RAISE NOTICE 'x %', 1 USING HINT = 'h';\n"
               "    RAISE NOTICE 'x' USING HINT = 'h';\n    RAISE NOTICE 'x'\n        'y';\n"
               "    RAISE division_by_zero;\n    RAISE SQLSTATE '22012';\n"
               "    RAISE NOTICE E'x %', 1;\nEXCEPTION WHEN OTHERS THEN\n    RAISE;\nEND")], None),
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


def test_an_error_in_a_body_names_its_line() -> None:
    text = ("CREATE TABLE t (id int, b text);\n"
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            "    RAISE EXCEPTION 'plan % is free' NEW.code;\n    RETURN NEW;\nEND $$;\n")
    with pytest.raises(InputError) as raised:
        fold_sql(text)
    assert raised.value.line == 4
    assert str(raised.value).endswith(
        "syntax error at or near \"NEW.code\": RAISE EXCEPTION 'plan % is free' NEW.code;")
