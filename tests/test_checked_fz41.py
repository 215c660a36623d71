"""What the fold models it checks as PostgreSQL would (issue 15), for kinds of statement the
fuzz run of seed 41 found ``squash`` exiting 0 on while PostgreSQL refuses them: a lone ``:``
outside an array's subscript in a statement (``priority = 'high':priority``: ``syntax error at
or near ":"``; migration tools send no psql variable to replace), a select list's ``CASE``
that reaches a comma before its ``WHEN`` (``SELECT id, CASE coalesce(note, ''), amount``), a
key word after a dot, then a name, in a call's arguments (``sum(p. CASE total)``: the key word
is a column's name, and no label stands there), a name, then another in a call that starts an
index's element (``lower(em nope ail)``), and ``SET [LOCAL] TRANSACTION`` followed by no
transaction mode (``SET LOCAL transaction search_path TO ...``). Each case is asked of a real
PostgreSQL in the same test, beside valid neighbours, and the fold's verdict must agree:
refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statement after SETUP, whether PostgreSQL takes it): a lone colon
COLON_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT id, a = 1:a AS x FROM t", False),
    ("CREATE VIEW v1 AS SELECT id, b:b AS x FROM t", False),
    ("CREATE TABLE t2 AS SELECT id, a:a FROM t", False),
    ("CREATE VIEW v1 AS SELECT a + :x AS y FROM t", False),
    ("UPDATE t SET a = 1 WHERE b = 'x':b", False),
    ("CREATE INDEX i1 ON t (a) WHERE a > 1:a", False),
    ("CREATE VIEW v1 AS SELECT (ARRAY[1,2,3])[1:2] AS x FROM t", True),
    ("CREATE VIEW v1 AS SELECT (ARRAY[1,2,3])[a:2] AS x, (ARRAY[1,2])[:1] AS y, "
     "(ARRAY[1,2])[1:] AS z FROM t", True),
    ("CREATE VIEW v1 AS SELECT (ARRAY[[1,2],[3,4]])[1:2][(SELECT 1):2] AS x FROM t", True),
    ("CREATE FUNCTION f1(x int, y int DEFAULT 0) RETURNS int LANGUAGE sql AS $$ SELECT x + y "
     "$$; CREATE VIEW v1 AS SELECT f1(x := a, y := 2) AS s, f1(a, y => 1) AS r FROM t", True),
    ("CREATE VIEW v1 AS SELECT b::text AS x, 'a:b' AS y, \"a:b\".a AS z FROM t AS \"a:b\"",
     True),
    ("UPDATE t SET a = ((ARRAY[1,2,3])[2:2])[1] WHERE b = 'x'", True),
    ("CREATE TABLE w (id int, arr int[]); UPDATE w SET arr[1:2] = ARRAY[5,6]", True),
    ("COMMENT ON TABLE t IS 'note: x'", True),
]


@pytest.mark.parametrize(("statement", "valid"), COLON_CASES)
def test_a_lone_colon_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): CASE in a select list, a key word
#: after a dot in a call, a call in an index's element
CASE_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT id, CASE b, a FROM t", False),
    ("CREATE VIEW v1 AS SELECT CASE b, a FROM t", False),
    ("CREATE VIEW v1 AS SELECT DISTINCT CASE b, a FROM t", False),
    ("INSERT INTO t (id, a, b) SELECT id, CASE coalesce(b, ''), a FROM t", False),
    ("CREATE VIEW v1 AS SELECT id, CASE b WHEN 'x' THEN 1 END, a FROM t", True),
    ("CREATE VIEW v1 AS SELECT id, CASE WHEN b = 'x' THEN 1 ELSE 2 END AS k, a FROM t", True),
    ("CREATE VIEW v1 AS SELECT id, CASE (a, id) WHEN (1, 2) THEN 1 END AS k FROM t", True),
    ("CREATE VIEW v1 AS SELECT id, CASE coalesce(a, id) WHEN 1 THEN 1 END AS k FROM t", True),
    ("CREATE TABLE w (id int, \"case\" int); CREATE VIEW v1 AS SELECT w.id, w.case, "
     "w.id AS j FROM w", True),
    ("CREATE TABLE w (id int, \"case\" int); CREATE VIEW v1 AS SELECT id, \"case\", id AS j "
     "FROM w", True),
    ("CREATE VIEW v1 AS SELECT t.id, sum(u. CASE c) AS s FROM t JOIN u ON u.id = t.id "
     "GROUP BY t.id", False),
    ("CREATE VIEW v1 AS SELECT sum(t.case total) AS s FROM t", False),
    ("CREATE VIEW v1 AS SELECT sum(t.end x) AS s FROM t", False),
    ("CREATE TABLE w (id int, \"case\" int); CREATE VIEW v1 AS SELECT sum(w. case) AS s "
     "FROM w", True),
    ("CREATE TABLE w (id int, \"case\" int, \"select\" int); CREATE VIEW v1 AS SELECT "
     "sum(w.case ORDER BY w.select) AS s, max(w.select) FILTER (WHERE w.case > 0) AS m FROM w",
     True),
    ("CREATE TABLE w (id int, \"case\" int); CREATE VIEW v1 AS SELECT "
     "string_agg(w.case::text, ',' ORDER BY w.case DESC) AS g FROM w", True),
    ("CREATE TABLE w (id int, \"case\" int); CREATE VIEW v1 AS SELECT "
     "lower(w.case::text COLLATE \"C\") AS s FROM w", True),
    ("CREATE VIEW v1 AS SELECT substring(t.b from 1 for 2) AS s, position('x' in t.b) AS p, "
     "trim(both 'x' from t.b) AS q FROM t", True),
    ("CREATE INDEX i1 ON t (lower(b nope x))", False),
    ("CREATE INDEX i1 ON t (a, lower(b nope))", False),
    ("CREATE UNIQUE INDEX i1 ON t USING btree (lower(b c))", False),
    ("CREATE INDEX i1 ON t ((lower(b)))", True),
    ("CREATE INDEX i1 ON t (lower(b) text_pattern_ops DESC NULLS LAST, a)", True),
    ("CREATE INDEX i1 ON t (a, coalesce(b, 'x'), (a + 1)) INCLUDE (id) "
     "WITH (fillfactor = 70) WHERE lower(b) <> 'x'", True),
    ("CREATE INDEX i1 ON t (lower(b) COLLATE \"C\", substring(b from 1 for 2))", True),
    ("CREATE EXTENSION IF NOT EXISTS pg_trgm; "
     "CREATE INDEX i1 ON t USING gist (b gist_trgm_ops(siglen = 32))", True),
    ("CREATE INDEX i1 ON t (btrim(b, ' '), upper(b))", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASE_CASES)
def test_an_item_that_cannot_end_there_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): SET TRANSACTION's modes
TRANSACTION_CASES: list[tuple[str, bool]] = [
    ("SET LOCAL transaction search_path TO public", False),
    ("SET transaction search_path TO public", False),
    ("SET SESSION TRANSACTION foo", False),
    ("SET LOCAL TRANSACTION READ WRITE", True),
    ("SET TRANSACTION READ ONLY", True),
    ("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", True),
    ("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED", True),
    ("SET LOCAL search_path TO public", True),
    ("SET transaction_read_only = off", True),
    ("SET transaction.x = 1", True),
]


@pytest.mark.parametrize(("statement", "valid"), TRANSACTION_CASES)
def test_set_transaction_takes_modes(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): a WHERE that is one column
CONDITION_CASES: list[tuple[str, bool]] = [
    ("UPDATE t SET b = u.c::text FROM u WHERE u.id", False),
    ("UPDATE t SET b = 'x' WHERE a", False),
    ("INSERT INTO t VALUES (1, 2, 'x'); UPDATE t SET b = 'y' WHERE (a)", False),
    ("DELETE FROM t USING u WHERE u.c", False),
    ("DELETE FROM t WHERE t.b", False),
    ("UPDATE t AS x SET b = 'x' WHERE x.b", False),
    ("CREATE TABLE w (id serial, v varchar(3), ts timestamptz); UPDATE w SET v = 'x' WHERE ts",
     False),
    ("CREATE TABLE w (id serial, v varchar(3)); DELETE FROM w WHERE v", False),
    ("CREATE TABLE w (id int, f bool); UPDATE t SET b = 'x' FROM w WHERE w.f", True),
    ("CREATE TABLE w (id int, f boolean); DELETE FROM w WHERE (w.f)", True),
    ("CREATE DOMAIN flag AS bool; CREATE TABLE w (id int, f flag); DELETE FROM w WHERE f", True),
    ("UPDATE t SET b = 'x' FROM u WHERE u.id = t.id", True),
    ("CREATE FUNCTION ok(t) RETURNS bool LANGUAGE sql AS $$ SELECT true $$; "
     "DELETE FROM t WHERE t.ok", True),
    ("CREATE TABLE w (id int, \"Flag\" bool, flag int); DELETE FROM w WHERE \"Flag\"", True),
    ("CREATE TABLE w (id int, \"Flag\" int, flag bool); DELETE FROM w WHERE Flag", True),
    ("UPDATE t SET b = 'x' FROM u JOIN t AS t2 ON t2.id = u.id WHERE u.c IS NULL", True),
    ("DELETE FROM t WHERE NOT a IS NULL", True),
]


@pytest.mark.parametrize(("statement", "valid"), CONDITION_CASES)
def test_a_column_of_another_type_than_boolean_is_no_condition(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): a name, then a string, right after a
#: JSON or containment operator is a typed constant, whose type must exist (row 1271:
#: ``payload ->> that 'ref'``: ``type "that" does not exist``)
ARROW_CASES: list[tuple[str, bool]] = [
    ("CREATE TABLE jd (id int, doc jsonb); CREATE VIEW v1 AS SELECT doc ->> that 'ref' FROM jd",
     False),
    ("CREATE TABLE jd (id int, doc jsonb); CREATE VIEW v1 AS SELECT * FROM jd "
     "WHERE doc <@ nope '{\"a\":1}'", False),
    ("CREATE TABLE jd (id int, doc jsonb); CREATE VIEW v1 AS SELECT doc -> nope 'k' FROM jd",
     False),
    ("CREATE TABLE jd (id int, doc jsonb); CREATE VIEW v1 AS SELECT doc ->> text 'ref' AS a, "
     "doc -> varchar 'k' AS b, doc -> int4 '1' AS c, doc ->> \"char\" 'k' AS d FROM jd", True),
    ("CREATE TABLE jd (id int, doc jsonb); CREATE VIEW v1 AS SELECT doc -> 'a' ->> 'b' AS a, "
     "doc #>> '{a,b}' AS b, (doc -> 'a')::text AS c FROM jd", True),
    ("CREATE TABLE jd (id int, doc jsonb); CREATE VIEW v1 AS SELECT * FROM jd "
     "WHERE doc @> jsonb '{\"a\":1}' AND doc <@ '{}'", True),
    ("CREATE TABLE jd (id int, r int4range); CREATE VIEW v1 AS SELECT r @> int4 '5' FROM jd",
     True),
    ("CREATE TABLE jd (id int, doc jsonb); CREATE INDEX i1 ON jd ((doc ->> 'k')); "
     "UPDATE jd SET doc = doc - 'k' WHERE doc ->> 'k' = 'x'", True),
]


@pytest.mark.parametrize(("statement", "valid"), ARROW_CASES)
def test_a_typed_constant_after_a_json_operator_names_a_type(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)
