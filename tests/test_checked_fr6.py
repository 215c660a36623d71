"""False refusals and consolidations that did not replay, found by writing histories that drop
or rename what a view's query or a policy's subquery spells: statements PostgreSQL applies that
``squash`` refused, each beside its nearest neighbour PostgreSQL refuses, which the fold must
still refuse; and histories whose consolidation must replay to the same schema. Every verdict is
asked of a real PostgreSQL in the same test."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import assert_refused_alike, fold_refusal, refusal
from replay_helpers import replay_both, texts
from schemafold import fold_sql
from schemafold.errors import FoldLimit
from schemafold.render.postgres import render_schema
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

_C = "CREATE TABLE c (id int);\n"

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # ORDER BY a name alone that labels an output column orders by that column: the view
    # reads no input column of that name
    ("CREATE VIEW v AS SELECT b AS a FROM t ORDER BY a;\n"
     "CREATE VIEW v2 AS SELECT id, b a FROM t ORDER BY id, a DESC NULLS FIRST LIMIT 3;\n"
     "CREATE VIEW v3 AS SELECT b AS a FROM t UNION SELECT b FROM t ORDER BY a;\n"
     "CREATE VIEW v4 AS SELECT b FROM t a;\n"
     "ALTER TABLE t DROP COLUMN a", None),
    ("CREATE VIEW v AS SELECT b AS a FROM t GROUP BY a, b;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT b AS a FROM t ORDER BY a + 1;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT b AS x FROM t ORDER BY a;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT b a, a + 1 AS z FROM t;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    # a table dropped whose name a query spells only as an operand (another relation's column),
    # a label without AS, or another FROM item's alias written without AS
    (f"{_C}CREATE VIEW v1 AS SELECT c FROM u;\n"
     "CREATE VIEW v2 AS SELECT c.c FROM u c;\n"
     "CREATE VIEW v3 AS SELECT id, c FROM u WHERE c > 0 AND id = c ORDER BY c, id;\n"
     "CREATE VIEW v4 AS SELECT c2.id c FROM u c2 WHERE (c) IS NOT NULL;\n"
     "CREATE VIEW v5 AS SELECT count(c), max(c) AS m, c IS NULL AS n FROM u GROUP BY c, id;\n"
     "CREATE VIEW v6 AS SELECT CASE WHEN c > 0 THEN c ELSE -c END AS k,\n"
     "  ARRAY[c, 1] AS l, (c + 1) * c AS m, 1 IS DISTINCT FROM c AS d FROM u;\n"
     "DROP TABLE c", None),
    (f"{_C}CREATE VIEW v AS SELECT x.id FROM u, c x;\nDROP TABLE c", "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT u.id FROM u JOIN t ON t.id = u.id, c;\nDROP TABLE c",
     "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT u.id FROM u JOIN t USING (id), c;\nDROP TABLE c",
     "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT 1 AS x FROM ((t JOIN u ON true) JOIN c ON true);\n"
     "DROP TABLE c", "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT 1 AS x FROM ONLY c;\nDROP TABLE c", "cannot drop"),
    (f"{_C}CREATE VIEW v AS TABLE c;\nDROP TABLE c", "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT c '(1)' AS r;\nDROP TABLE c", "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT r.* FROM json_to_record('{{}}') AS r(id int, z c);\n"
     "DROP TABLE c", "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT c.id FROM u c JOIN c c2 ON c2.id = c.id;\nDROP TABLE c",
     "cannot drop"),
    (f"{_C}CREATE VIEW v AS SELECT c FROM c;\nDROP TABLE c", "cannot drop"),
    (f"{_C}CREATE FUNCTION f() RETURNS void LANGUAGE sql\n"
     "  BEGIN ATOMIC DELETE FROM u USING c WHERE u.id = c.id; END;\nDROP TABLE c", "cannot drop"),
    (f"{_C}CREATE FUNCTION f() RETURNS void LANGUAGE sql\n"
     "  BEGIN ATOMIC UPDATE c SET id = 1; END;\nDROP TABLE c", "cannot drop"),
    # a policy reading another table in a subquery depends on that table, and on a column it
    # names qualified; a bare name may be its own table's column (PostgreSQL took the drop)
    ("CREATE TABLE w (id int);\n"
     "CREATE POLICY p ON w USING (EXISTS (SELECT 1 FROM u WHERE u.c = w.id));\n"
     "CREATE POLICY q ON w USING (id IN (SELECT c FROM u));\n"
     "ALTER TABLE u DROP COLUMN id;\nDROP TABLE t", None),
    ("CREATE TABLE w (id int);\n"
     "CREATE POLICY p ON w USING (EXISTS (SELECT 1 FROM u WHERE u.c = w.id));\n"
     "ALTER TABLE u DROP COLUMN c", "cannot drop"),
    ("CREATE TABLE w (id int);\n"
     "CREATE POLICY p ON w USING (EXISTS (SELECT 1 FROM u x WHERE x.c = w.id));\n"
     "DROP TABLE u", "cannot drop"),
    ("CREATE TABLE w (id int);\nCREATE VIEW vv AS SELECT id FROM u;\n"
     "CREATE POLICY p ON w USING (id IN (SELECT id FROM vv));\nDROP VIEW vv", "cannot drop"),
    # a SQL-standard body RETURN expr is one expression, not a statement; in a string it is
    ("CREATE FUNCTION f2() RETURNS bigint LANGUAGE sql RETURN (SELECT count(*) FROM t);\n"
     "CREATE FUNCTION f3() RETURNS int LANGUAGE sql IMMUTABLE RETURN 1 + 2 * 3;\n"
     "CREATE FUNCTION f4(x int) RETURNS int LANGUAGE sql\n  RETURN x + 1", None),
    ("CREATE FUNCTION f4() RETURNS int LANGUAGE sql AS $$ RETURN 1 $$",
     'syntax error at or near "RETURN"'),
    ("CREATE FUNCTION f5() RETURNS int LANGUAGE sql AS 'RETURN 1'",
     'syntax error at or near "RETURN"'),
    ("CREATE FUNCTION f7() RETURNS int LANGUAGE sql RETURN 1 1", 'syntax error at or near "1"'),
]


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)


_POLICY = ("CREATE TABLE w (id int);\nALTER TABLE w ENABLE ROW LEVEL SECURITY;\n"
           "CREATE POLICY p ON w USING (EXISTS (SELECT 1 FROM u WHERE u.c = w.id));\n"
           "CREATE POLICY q ON w FOR SELECT USING (id > 0);\n")


@pytest.mark.parametrize("change", [
    "ALTER TABLE u DROP COLUMN c CASCADE;\n",
    "DROP TABLE u CASCADE;\n",
    "ALTER TABLE u RENAME COLUMN c TO c2;\n",
    "ALTER TABLE u RENAME TO u2;\n",
    "CREATE SCHEMA s;\nALTER TABLE u SET SCHEMA s;\n",
])
def test_a_policy_reading_another_table_replays(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster], change: str) -> None:
    """A policy whose subquery reads another table: dropping that table or its column with
    CASCADE drops the policy (the fold kept it, and the consolidation did not replay);
    renaming or moving either is kept as written (the fold does not rewrite the policy)."""
    history = ";\n".join(BASE) + ";\n" + _POLICY + change
    assert refusal(pg_cluster, fresh_db(), history.rstrip(";\n").split(";\n")) is None
    consolidation = render_schema(fold_sql(history).schema)
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation


def test_a_cascade_that_may_reach_a_policy_stops_folding(
        pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    """``DROP COLUMN ... CASCADE`` of a column a policy on another table names bare in a
    subquery (which may be its own table's): the fold cannot tell whether PostgreSQL drops
    the policy, and stops folding there."""
    statements = [*BASE, "CREATE TABLE w (id int)",
                  "CREATE POLICY p ON w USING (id IN (SELECT c FROM u))",
                  "ALTER TABLE u DROP COLUMN c CASCADE"]
    assert refusal(pg_cluster, fresh_db(), statements) is None
    assert fold_refusal(statements, limit_taken=True) is None
    assert fold_refusal(statements) is not None


_ENUM_SWAP = ("CREATE TYPE e1 AS ENUM ('x', 'old');\n"
              "CREATE TABLE r (id int PRIMARY KEY, v e1, w text);\n"
              "INSERT INTO r VALUES (1, 'x', 'x'), (2, 'old', 'old');\n"
              "CREATE TYPE e2 AS ENUM ('x', 'old', 'y');\n")


@pytest.mark.parametrize("change", [
    # a new enum type swapped in by USING v::text::e2, the old one dropped, the new renamed
    "ALTER TABLE r ALTER COLUMN v TYPE e2 USING v::text::e2;\nDROP TYPE e1;\n"
    "ALTER TYPE e2 RENAME TO e1;\n",
    "ALTER TABLE r ALTER COLUMN v TYPE e2 USING v::text::e2,\n"
    "  ALTER COLUMN w TYPE e2 USING w::e2;\n"
    "ALTER TYPE e2 RENAME VALUE 'x' TO 'z';\nDROP TYPE e1;\nALTER TYPE e2 RENAME TO e3;\n",
    # a value mapped by CASE: the fold cannot write it as a label, and stops folding there
    "ALTER TABLE r ALTER COLUMN v TYPE e2\n"
    "  USING (CASE v WHEN 'old' THEN 'y' ELSE v::text END)::e2;\n"
    "DROP TYPE e1;\nALTER TYPE e2 RENAME TO e1;\n",
])
def test_rows_converted_to_a_swapped_enum_replay(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster], change: str) -> None:
    """Rows converted by ``ALTER COLUMN ... TYPE e2 USING v::text::e2``: the fold wrote each
    value as ``('x')::e1::text::e2``, which named types a later DROP TYPE and RENAME took away
    (the consolidation did not replay). A label cast only through enums and text is written as
    the label; a value that still names a type stops folding where the type goes."""
    history = _ENUM_SWAP + change
    assert refusal(pg_cluster, fresh_db(), history.rstrip(";\n").split(";\n")) is None
    try:
        consolidation = render_schema(fold_sql(history).schema)
    except FoldLimit:
        assert "CASE" in change
        return
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation
    assert "::e" not in consolidation.split("INSERT INTO", 1)[1].split(";", 1)[0]


@pytest.mark.parametrize("history", [
    # ORDER BY a names the label a (t.b), not t's column a
    "CREATE VIEW v AS SELECT b AS a, id FROM t ORDER BY a;\n"
    "ALTER TABLE t RENAME COLUMN a TO a2;\n",
    # a label and an alias written without AS are no column's references
    "CREATE VIEW v AS SELECT b a, id FROM t ORDER BY a;\n"
    "CREATE VIEW v2 AS SELECT b FROM t a WHERE a.id > 0;\n"
    "ALTER TABLE t RENAME COLUMN a TO a2;\n",
    "CREATE VIEW v AS SELECT c.id FROM u c;\nALTER TABLE u RENAME COLUMN c TO c2;\n",
    # a SQL-standard body's select item keeps its output name, as a view's does
    "CREATE TABLE log (v text);\n"
    "CREATE FUNCTION fb() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT b FROM t; END;\n"
    "CREATE FUNCTION fc() RETURNS void LANGUAGE sql\n"
    "  BEGIN ATOMIC INSERT INTO log (v) SELECT b FROM t; END;\n"
    "CREATE FUNCTION fd() RETURNS SETOF t LANGUAGE sql\n"
    "  BEGIN ATOMIC SELECT DISTINCT id, a, b FROM t ORDER BY a; END;\n"
    "ALTER TABLE t RENAME COLUMN b TO b2;\nALTER TABLE t RENAME COLUMN a TO a2;\n",
])
def test_a_renamed_column_is_followed_only_where_it_is_read(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster], history: str) -> None:
    """``RENAME COLUMN`` renamed a label or an alias written without ``AS`` and an ``ORDER BY``
    naming an output label (the consolidation's view no longer replayed, or differed), and
    dropped a SQL-standard body's output name (PostgreSQL keeps ``t.b2 AS b``)."""
    history = ";\n".join(BASE) + ";\n" + history
    assert refusal(pg_cluster, fresh_db(), history.rstrip(";\n").split(";\n")) is None
    consolidation = render_schema(fold_sql(history).schema)
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation
