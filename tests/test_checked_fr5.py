"""False refusals found by writing small histories that use PostgreSQL's long tail (unusual
expressions, DDL, PL/pgSQL, data statements, key words as names) and asking PostgreSQL 15 and
the fold about each: statements PostgreSQL applies that ``squash`` refused, each beside its
nearest neighbour PostgreSQL refuses, which the fold must still refuse. Every verdict is asked
of a real PostgreSQL in the same test; PostgreSQL's message must hold the error fragment, and
so must the fold's."""

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

_ROUTINES = ("CREATE PROCEDURE cproc(a int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
             "CREATE FUNCTION cf(int) RETURNS int LANGUAGE sql AS 'SELECT 1'")

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # EXCLUDE is not reserved: it starts a constraint only before "(" or USING, and is
    # otherwise a column's name, in CREATE TABLE and in ALTER TABLE ... ADD
    ("CREATE TABLE w (id int, exclude int NOT NULL, EXCLUDE USING btree (id WITH =));\n"
     "ALTER TABLE t ADD exclude text DEFAULT 'x';\n"
     "ALTER TABLE w ADD EXCLUDE (exclude WITH =);\n"
     "INSERT INTO w (id, exclude) VALUES (1, 2);\nCREATE VIEW v AS SELECT exclude FROM w", None),
    ("CREATE TABLE w (id int, exclude int int)", 'syntax error at or near "int"'),
    ("ALTER TABLE t ADD exclude create", 'syntax error at or near "create"'),
    # CREATE SCHEMA's elements follow one another with no ";": a view's query ends where the
    # next CREATE or GRANT starts, and is judged alone
    ("CREATE SCHEMA s2 CREATE VIEW v AS SELECT 1 AS x, 2 y CREATE TABLE w (id int)\n"
     "  CREATE VIEW v2 AS SELECT id FROM w WHERE id > 0 ORDER BY id CREATE INDEX i ON w (id)\n"
     "  CREATE VIEW v3 AS SELECT 1 GRANT SELECT ON v2 TO PUBLIC", None),
    ("CREATE SCHEMA s2 CREATE VIEW v AS SELECT 1 AS x x CREATE TABLE w (id int)",
     'syntax error at or near "x"'),
    # COMMENT ON ROUTINE names a function or a procedure
    (f"{_ROUTINES};\nCOMMENT ON ROUTINE cproc IS 'r';\nCOMMENT ON ROUTINE cf(int) IS 'f';\n"
     "COMMENT ON ROUTINE public.cproc(a int) IS NULL;\nCOMMENT ON ROUTINE now() IS 'n'", None),
    (f"{_ROUTINES};\nCOMMENT ON ROUTINE cf(text) IS 'x'", "function cf(text) does not exist"),
    ("COMMENT ON ROUTINE nope(int) IS 'x'", "function nope(integer) does not exist"),
    # a column dropped that a view's query names only as a label, or as another relation's
    # column (qualified by that relation's name or alias): the view does not depend on it
    ("CREATE TABLE x (id int, a int);\nCREATE TABLE y (id int, a int, b int);\n"
     "CREATE VIEW v1 AS SELECT t.b FROM t JOIN y ON y.id = t.id;\n"
     "CREATE VIEW v2 AS SELECT xx.a, 'b' AS b FROM t tt JOIN y AS xx ON xx.id = tt.id;\n"
     "CREATE VIEW v3 AS SELECT (SELECT max(c) FROM u WHERE u.id = t.id) AS a FROM t;\n"
     "CREATE FUNCTION sf() RETURNS int LANGUAGE sql\n"
     "  BEGIN ATOMIC SELECT x.a FROM x JOIN t ON t.id = x.id; END;\n"
     "ALTER TABLE t DROP COLUMN a;\nALTER TABLE y DROP COLUMN b", None),
    ("CREATE TABLE x (id int, a int);\n"
     "CREATE VIEW v1 AS SELECT tt.a FROM t AS tt JOIN x ON x.id = tt.id;\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop"),
    ("CREATE TABLE x (id int, a int);\n"
     "CREATE VIEW v1 AS SELECT xx.a AS z FROM t tt JOIN x xx ON xx.id = tt.id;\n"
     "ALTER TABLE x DROP COLUMN a", "cannot drop"),
    ("CREATE TABLE x (id int, a int);\n"
     "CREATE FUNCTION sf() RETURNS int LANGUAGE sql\n"
     "  BEGIN ATOMIC SELECT t.a FROM x JOIN t ON t.id = x.id; END;\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop"),
    # a policy reading a column goes with it under CASCADE, and keeps it without
    ("CREATE TABLE w (id int, v int);\nCREATE POLICY p ON w USING (id > 0);\n"
     "CREATE POLICY q ON w USING (EXISTS (SELECT 1 FROM u WHERE u.id = w.id));\n"
     "ALTER TABLE w DROP COLUMN id CASCADE;\nALTER TABLE w ADD COLUMN id text;\n"
     "CREATE POLICY p ON w USING (id > 'a');\nALTER TABLE u DROP COLUMN c", None),
    ("CREATE TABLE w (id int, v int);\nCREATE POLICY p ON w USING (true) WITH CHECK (v > 0);\n"
     "ALTER TABLE w DROP COLUMN v", "cannot drop column v of table w because other objects"),
    # a table dropped whose name a view or a SQL-standard body spells only as another
    # relation's column, a field, a label, an alias or a string: nothing depends on it
    ("CREATE TABLE status (id int);\nCREATE TABLE tags (id int);\nCREATE TABLE c (id int);\n"
     "CREATE TABLE posts (id int, status text, tags text[]);\n"
     "CREATE VIEW v1 AS SELECT p.status, p.tags FROM posts p WHERE p.status <> 'c';\n"
     "CREATE VIEW v2 AS SELECT id AS tags FROM posts AS c;\n"
     "CREATE FUNCTION sf() RETURNS text LANGUAGE sql\n"
     "  BEGIN ATOMIC SELECT posts.status FROM posts; END;\n"
     "DROP TABLE status;\nDROP TABLE tags;\nDROP TABLE c", None),
    ("CREATE TABLE c (id int);\nCREATE VIEW v AS SELECT 'c'::regclass AS r, NULL::c AS n;\n"
     "DROP TABLE c", "cannot drop"),
    ("CREATE TABLE c (id int);\nCREATE VIEW v AS SELECT CAST(NULL AS c) AS r;\nDROP TABLE c",
     "cannot drop"),
    ("CREATE TABLE c (id int);\nCREATE VIEW v AS SELECT 1 AS x FROM u, public.c AS z;\n"
     "DROP TABLE c", "cannot drop"),
]


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)


# a sequence or a table renamed (ALTER SEQUENCE or ALTER TABLE ... RENAME): the defaults naming
# it follow it, as PostgreSQL's regclass constants do (by OID), and a serial's column shows its
# default
_SEQUENCE_RENAMES = (
    "CREATE TABLE ser (id serial PRIMARY KEY, v text);\n"
    "CREATE SEQUENCE sq START 5;\n"
    "CREATE TABLE ws (id int DEFAULT nextval('sq'::regclass),\n"
    "  i2 int DEFAULT nextval('public.sq'));\n"
    "CREATE TABLE ser3 (id bigserial);\n"
    "ALTER SEQUENCE ser_id_seq RENAME TO ser_id_seq2;\n"
    "ALTER SEQUENCE sq RENAME TO sq2;\n"
    "ALTER TABLE ser3_id_seq RENAME TO ser3_seq;\n"
    "ALTER TABLE ser3 RENAME TO ser4;\n"
    "CREATE TABLE rr (id int, ref regclass DEFAULT 'rr'::regclass);\n"
    "ALTER TABLE rr RENAME TO rr2;\n")


def _squashed_equal(clusters: tuple[Cluster, Cluster], history: str,
                    warning: str | None = None) -> None:
    """``history`` folds (with a warning holding ``warning``, when given) to a consolidation
    that replays equal to it on PostgreSQL."""
    result = fold_sql(history)
    if warning is not None:
        assert any(warning in str(w) for w in result.warnings), result.warnings
    consolidation = render_schema(result.schema)
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation


def test_defaults_follow_a_renamed_sequence(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                            clusters: tuple[Cluster, Cluster]) -> None:
    statements = _SEQUENCE_RENAMES.rstrip(";\n").split(";\n")
    assert refusal(pg_cluster, fresh_db(), statements) is None
    assert fold_refusal(statements) is None
    _squashed_equal(clusters, _SEQUENCE_RENAMES)


def test_a_routine_comment_replaces_a_procedure_comment(clusters: tuple[Cluster, Cluster]
                                                         ) -> None:
    """COMMENT ON ROUTINE after COMMENT ON PROCEDURE: the consolidation has the later comment
    (kept verbatim, it ran before the folded one and lost to it)."""
    history = (f"{_ROUTINES};\nCOMMENT ON PROCEDURE cproc(int) IS 'p';\n"
               "COMMENT ON FUNCTION cf IS 'f';\nCOMMENT ON ROUTINE cproc IS 'r';\n"
               "COMMENT ON ROUTINE cf IS 'rf';\n")
    _squashed_equal(clusters, history)


def test_a_column_renamed_that_a_subquery_names_bare_is_kept(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster]) -> None:
    """A view's bare name in a query that does not read the renamed column's table may be
    another relation's column (``IN (SELECT id FROM items)``), which PostgreSQL bound when it
    made the view: the fold does not follow the rename into it (it renamed both, and the
    consolidation's view read the outer table's column) but keeps the rename as written."""
    history = ("CREATE TABLE items (id int, status text);\n"
               "CREATE VIEW v AS SELECT t.id, t.b FROM t WHERE t.id IN (SELECT id FROM items);\n"
               "CREATE VIEW w AS SELECT status FROM items WHERE id IN (SELECT id FROM t);\n"
               "ALTER TABLE t RENAME COLUMN id TO tid;\n"
               "ALTER TABLE items RENAME COLUMN status TO state;\n")
    statements = [*BASE, *history.rstrip(";\n").split(";\n")]
    assert refusal(pg_cluster, fresh_db(), statements) is None
    assert fold_refusal(statements) is None
    history = ";\n".join(BASE) + ";\n" + history
    _squashed_equal(clusters, history, "names bare in a query not reading its table")
    # a bare name in a query that reads the table, or qualified by it, is still followed
    followed = ";\n".join(BASE) + (
        ";\nCREATE VIEW v AS SELECT id, (SELECT max(c) FROM u WHERE u.id = t.id) AS m FROM t "
        "WHERE a > 0;\nALTER TABLE t RENAME COLUMN id TO pk;\n"
        "ALTER TABLE t RENAME COLUMN a TO aa;\n")
    assert not fold_sql(followed).warnings


def test_a_table_renamed_that_a_view_spells_as_a_column_is_kept(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster]) -> None:
    """A table renamed whose name a view spells bare as a column (``status`` of ``orders``):
    the fold renamed that column name too, and the consolidation's view did not replay; it
    keeps the rename as written. A view that reads the table by a FROM item and qualifiers is
    still followed."""
    history = ";\n".join(BASE) + (
        ";\nCREATE TABLE status (code text PRIMARY KEY);\n"
        "CREATE TABLE orders (id int, status text REFERENCES status);\n"
        "CREATE VIEW ov AS SELECT id, status FROM orders WHERE status IS NOT NULL;\n"
        "ALTER TABLE status RENAME TO order_status;\n")
    assert refusal(pg_cluster, fresh_db(), history.rstrip(";\n").split(";\n")) is None
    _squashed_equal(clusters, history, "spells where a column may be")
    followed = ";\n".join(BASE) + (
        ";\nCREATE TABLE status (code text PRIMARY KEY);\n"
        "CREATE VIEW sv AS SELECT status.code, s.code AS c2 FROM status, status s;\n"
        "ALTER TABLE status RENAME TO order_status;\n")
    assert not fold_sql(followed).warnings


def test_a_type_renamed_that_a_routine_signature_names_is_kept(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster]) -> None:
    """A type renamed that a function's arguments or result name: PostgreSQL follows it (by
    OID); the fold wrote the function with the old name and the consolidation did not replay.
    It keeps the rename as written; a type no routine names is still folded."""
    history = ";\n".join(BASE) + (
        ";\nCREATE TYPE status AS ENUM ('a', 'b');\n"
        "CREATE TABLE o (id int, status status DEFAULT 'a');\n"
        "CREATE FUNCTION sf(x status) RETURNS SETOF status LANGUAGE sql AS 'SELECT x';\n"
        "ALTER TYPE status RENAME TO order_status;\n")
    assert refusal(pg_cluster, fresh_db(), history.rstrip(";\n").split(";\n")) is None
    _squashed_equal(clusters, history, "renaming a type function sf names")
    folded = ";\n".join(BASE) + (
        ";\nCREATE TYPE status AS ENUM ('a', 'b');\n"
        "CREATE TABLE o (id int, status status DEFAULT 'a');\n"
        "ALTER TYPE status RENAME TO order_status;\n")
    assert not fold_sql(folded).warnings


def test_a_drop_cascade_reaching_a_routine_signature_stops_folding(
        pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    """``DROP TABLE w CASCADE`` (or of a type) drops a routine whose arguments or result are
    its row type (``RETURNS SETOF w``): the fold kept the routine and the consolidation did not
    replay; it stops folding there."""
    statements = [*BASE, "CREATE TABLE w (id int)",
                  "CREATE FUNCTION f() RETURNS SETOF w LANGUAGE sql AS 'SELECT * FROM w'",
                  "CREATE TYPE e AS ENUM ('a')",
                  "CREATE FUNCTION g(x e) RETURNS int LANGUAGE sql AS 'SELECT 1'",
                  "DROP TABLE w CASCADE", "CREATE TABLE w (id int)", "DROP TYPE e CASCADE",
                  "CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql AS 'SELECT 2'"]
    assert refusal(pg_cluster, fresh_db(), statements) is None
    assert fold_refusal(statements, limit_taken=True) is None
    assert isinstance(fold_refusal(statements), FoldLimit)
