"""What PostgreSQL looks up when it creates an index, a view or runs a data statement, and the
input its lexer and date reader refuse (issue 15): an index of a materialized view naming a
column the view lacks, an index element's word no operator class has, a qualifier no FROM item
of an UPDATE or DELETE has, a top-level ``WITH ... INSERT`` reading a relation that does not
exist, a date the server cannot split into fields, a number run into a word in a type's
modifiers, a view's column beside ``count(*)`` without GROUP BY. Each case's verdict is asked
of a real PostgreSQL in the same test, so that a refusal can never be of a history PostgreSQL
applies; close variants PostgreSQL takes are listed beside each, and the cases the fold leaves
unchecked must never be refused."""

from __future__ import annotations

import pytest

from postgresql_verdict import fold_refusal, primary_message, refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text, d date)",
    "CREATE TABLE u (id int, c int)",
    "CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) AS n FROM t GROUP BY a",
]

MISSING_A = 'column "a" does not exist'
GROUPED = "must appear in the GROUP BY clause or be used in an aggregate function"
JUNK = "trailing junk after numeric literal at or near"


def _opclass(name: str, method: str = "btree") -> str:
    return f'operator class "{name}" does not exist for access method "{method}"'


#: (statements after SETUP, PostgreSQL's primary message or None, whether the fold refuses)
CASES: list[tuple[list[str], str | None, bool]] = [
    # an index of a materialized view names the view's output columns
    (["CREATE INDEX ON mv (n$x$)"], 'column "n$x$" does not exist', True),
    (["CREATE INDEX ON mv (n)"], None, False),
    (["CREATE INDEX ON mv (a DESC NULLS LAST, n)"], None, False),
    (["CREATE INDEX ON mv ((n + 1))"], None, False),
    (["CREATE INDEX ON mv (lower(a::text))"], None, False),
    (["CREATE MATERIALIZED VIEW mv2 (x) AS SELECT a, b FROM t", "CREATE INDEX ON mv2 (b)"],
     None, False),
    (["CREATE MATERIALIZED VIEW mv2 (x) AS SELECT a, b FROM t", "CREATE INDEX ON mv2 (a)"],
     MISSING_A, True),
    (["ALTER MATERIALIZED VIEW mv RENAME COLUMN a TO z", "CREATE INDEX ON mv (z)"], None, False),
    (["ALTER MATERIALIZED VIEW mv RENAME COLUMN a TO z", "CREATE INDEX ON mv (a)"],
     MISSING_A, True),
    (["ALTER TABLE t RENAME COLUMN a TO z", "CREATE INDEX ON mv (a)"], None, False),
    (["CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM t", "CREATE INDEX ON mv2 (id, a, b)"],
     None, False),
    (["CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM t", "ALTER TABLE t ADD COLUMN e int",
      "CREATE INDEX ON mv2 (e)"], 'column "e" does not exist', True),
    (["CREATE MATERIALIZED VIEW mv2 AS SELECT t.a AS \"A\" FROM t",
      "CREATE INDEX ON mv2 (\"A\")"], None, False),
    (["CREATE MATERIALIZED VIEW mv2 AS SELECT a FROM t UNION SELECT c FROM u",
      "CREATE INDEX ON mv2 (c)"], 'column "c" does not exist', True),
    # a word after an index element is an operator class of the index's access method
    (["CREATE INDEX ON t (a b)"], _opclass("b"), True),
    (["CREATE INDEX ON mv (n CASCADE)"], _opclass("cascade"), True),
    (["CREATE INDEX ON t (a int4_ops)"], None, False),
    (["CREATE INDEX ON t (a INT4_OPS DESC NULLS LAST)"], None, False),
    (["CREATE INDEX ON t (a pg_catalog.int4_ops)"], None, False),
    (['CREATE INDEX ON t (a "INT4_OPS")'], _opclass("INT4_OPS"), True),
    (['CREATE INDEX ON t (b COLLATE "C" text_pattern_ops)'], None, False),
    (['CREATE INDEX ON t (b COLLATE "C" text_patern_ops)'], _opclass("text_patern_ops"), True),
    (['CREATE INDEX ON t (b COLLATE pg_catalog."C")'], None, False),
    (["CREATE INDEX ON t (lower(b) text_pattern_ops)"], None, False),
    (["CREATE INDEX ON t (lower(b) text_pattern)"], _opclass("text_pattern"), True),
    (["CREATE INDEX ON t ((b || 'x') varchar_pattern_ops)"], None, False),
    (["CREATE INDEX ON t USING hash (a int4_ops)"], None, False),
    (["CREATE INDEX ON t USING HASH (a money_ops)"], _opclass("money_ops", "hash"), True),
    (["CREATE INDEX ON t USING gin ((ARRAY[a]) array_ops)"], None, False),
    (["CREATE INDEX ON t USING brin (a int4_minmax_multi_ops(values_per_range=16))"], None,
     False),
    (["CREATE INDEX ON t USING brin (a int4_minmax_multi(values_per_range=16))"],
     _opclass("int4_minmax_multi", "brin"), True),
    (["CREATE INDEX ON t USING gist ((point(a, a)) point_ops)"], None, False),
    (["CREATE INDEX ON t USING spgist (b text_ops)"], None, False),
    (["CREATE INDEX ON t USING spgist (b text_pattern_ops)"],
     _opclass("text_pattern_ops", "spgist"), True),
    (["CREATE INDEX ON t (a NULLS FIRST)"], None, False),
    (["CREATE UNIQUE INDEX ON t (a, b text_ops) INCLUDE (id)"], None, False),
    # an extension may add operator classes: then nothing is refused
    (["CREATE EXTENSION btree_gin", "CREATE INDEX ON t USING gin (a int4_ops)"], None, False),
    (["CREATE EXTENSION btree_gin", "CREATE INDEX ON t USING gin (a int4ops)"],
     _opclass("int4ops", "gin"), False),
    (["CREATE EXTENSION pg_stat_statements", "CREATE INDEX ON t (a b)"], _opclass("b"), True),
    # a qualifier of an UPDATE's or a DELETE's column is its target or a FROM / USING item
    (["UPDATE t SET b = u.c::text FROM u WHERE u.id = no$$tes.id"],
     'missing FROM-clause entry for table "no$$tes"', True),
    (["UPDATE t SET b = 'x' WHERE nope.id = 1"], 'missing FROM-clause entry for table "nope"',
     True),
    (["UPDATE t tt SET b = u.c::text FROM u WHERE u.id = t.id"],
     'invalid reference to FROM-clause entry for table "t"', True),
    (["DELETE FROM t USING u WHERE u.id = nope.id"],
     'missing FROM-clause entry for table "nope"', True),
    (["UPDATE t SET b = 'x' WHERE id = 1 RETURNING nope.a"],
     'missing FROM-clause entry for table "nope"', True),
    (["UPDATE t SET b = u.c::text FROM u WHERE u.id = t.id"], None, False),
    (["UPDATE t tt SET b = u.c::text FROM u WHERE u.id = tt.id RETURNING tt.id"], None, False),
    (["UPDATE t SET b = 'x' WHERE public.t.id = 1"], None, False),
    (["UPDATE t SET b = (SELECT max(v.c)::text FROM u v WHERE v.id = t.id)"], None, False),
    (["UPDATE t SET a = s.c FROM (SELECT id, c FROM u) s WHERE s.id = t.id"], None, False),
    (["UPDATE t SET a = 1 FROM generate_series(1, 3) WHERE "
      "generate_series.generate_series = t.a"], None, False),
    (["UPDATE t SET a = 1 FROM unnest(ARRAY[1]) AS x(v) WHERE x.v = t.a"], None, False),
    (["DELETE FROM t x USING u WHERE u.id = x.id"], None, False),
    (["DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)"], None, False),
    (["INSERT INTO t AS z (id, a) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET a = "
      "excluded.a + z.a"], None, False),
    (["CREATE FUNCTION f(t) RETURNS int LANGUAGE sql AS 'SELECT 1'", "UPDATE t SET a = t.f"],
     None, False),
    # a top-level WITH before an INSERT, UPDATE or DELETE: what it reads must exist
    (["WITH recent AS (SELECT * FROM u) INSERT INTO t (id, a) SELECT r.id, r.c "
      "FROM t a JOIN r ON r.id = a.id"], 'relation "r" does not exist', True),
    (["WITH recent AS (SELECT * FROM u) INSERT INTO t (id, a) SELECT r.id, r.c "
      "FROM t a JOIN recent r ON r.id = a.id"], None, False),
    (["WITH recent AS (SELECT id, c FROM u) UPDATE t SET a = recent.c FROM recent "
      "WHERE rec.id = t.id"], 'missing FROM-clause entry for table "rec"', True),
    (["WITH recent AS (SELECT id, c FROM u) DELETE FROM t USING recent "
      "WHERE recent.id = t.id"], None, False),
    (["WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
      "INSERT INTO t (id) SELECT n FROM r"], None, False),
    (["WITH d AS (DELETE FROM u RETURNING id, c) INSERT INTO t (id, a) SELECT d.id, d.c "
      "FROM d"], None, False),
    # a date PostgreSQL cannot split into fields: a sign then neither a digit nor a letter
    (["CREATE TABLE r (taken date) PARTITION BY RANGE (taken)",
      "CREATE TABLE r_2024 PARTITION OF r FOR VALUES FROM ('2024-01-01') TO ('2025 --01-01')"],
     'invalid input syntax for type date: "2025 --01-01"', True),
    (["CREATE TABLE r (taken date) PARTITION BY RANGE (taken)",
      "CREATE TABLE r_2024 PARTITION OF r FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"],
     None, False),
    (["INSERT INTO t (id, d) VALUES (1, '2024-01-01 -')"],
     'invalid input syntax for type date: "2024-01-01 -"', True),
    (["INSERT INTO t (id, d) VALUES (1, '2024-01-01 +05')"], None, False),
    (["INSERT INTO t (id, d) VALUES (1, 'Jan 5, 2025'), (2, '-infinity'), (3, 'epoch')"],
     None, False),
    (["INSERT INTO t (id, d) VALUES (1, '1999-01-08 04:05:06 -8:00')"], None, False),
    # a number run into a word in a type's modifiers (15+: trailing junk; 14: a syntax error)
    (["CREATE TABLE x (amount numeric(10,2\ufeff))"], f'{JUNK} "2\ufeff"', True),
    (["CREATE TABLE x (amount numeric(10,2x))"], f'{JUNK} "2x"', True),
    (["ALTER TABLE t ADD COLUMN e varchar(10x)"], f'{JUNK} "10x"', True),
    (["ALTER TABLE t ALTER COLUMN a TYPE numeric(12,2x)"], f'{JUNK} "2x"', True),
    (["CREATE TABLE x (a numeric(10,2), b varchar(10), c timestamp(3) with time zone, "
      "e numeric(10 ,2)[3])"], None, False),
    # a column beside count(*), no GROUP BY: one group, the column not in it
    (["CREATE MATERIALIZED VIEW mv2 AS SELECT a, count(*) AS n FROM t GR"],
     f'column "gr.a" {GROUPED}', True),
    (["CREATE VIEW v AS SELECT t.a, count(*) FILTER (WHERE a > 1) AS n FROM t"],
     f'column "t.a" {GROUPED}', True),
    (["CREATE VIEW v AS SELECT a, count(*) AS n FROM t GROUP BY a"], None, False),
    (["CREATE VIEW v AS SELECT a, count(*) OVER () AS n FROM t"], None, False),
    (["CREATE VIEW v AS SELECT count(*) AS n, max(a) FROM t"], None, False),
    (["CREATE VIEW v AS SELECT current_user AS usr, count(*) AS n FROM t"], None, False),
    (["CREATE VIEW v AS SELECT a, (SELECT count(*) FROM u) AS n FROM t"], None, False),
    (["CREATE VIEW v AS SELECT id, count(*) AS n FROM t GROUP BY id"], None, False),
]


@pytest.mark.parametrize(("statements", "error", "refused"), CASES)
def test_lookups_are_refused_as_postgresql_does(pg_cluster: Cluster, pg_db: str,
                                                statements: list[str], error: str | None,
                                                refused: bool) -> None:
    history = [*SETUP, *statements]
    assert primary_message(refusal(pg_cluster, pg_db, history)) == error
    found = _fold_error(history)
    if refused:
        assert found is not None and found.startswith(str(error)), found
    else:
        assert found is None


def test_the_refusal_names_the_file_and_line() -> None:
    with pytest.raises(InputError) as raised:
        fold_sql("CREATE TABLE parent (id int, a int, b int);\n"
                 "CREATE INDEX parent_ab ON parent (a b);\n", file="0001_base.sql")
    assert str(raised.value) == ('0001_base.sql:2: operator class "b" does not exist for '
                                 'access method "btree": CREATE INDEX parent_ab ON parent (a b)')


def test_an_operator_class_the_history_makes_is_not_refused() -> None:
    """``CREATE OPERATOR CLASS`` is kept verbatim: the fold no longer knows every class."""
    fold_sql("CREATE TABLE t (a int);\n"
             "CREATE OPERATOR CLASS my_ops FOR TYPE int USING btree AS OPERATOR 1 <, "
             "FUNCTION 1 btint4cmp(int, int);\n"
             "CREATE INDEX ON t (a my_ops);\n")


def _fold_error(statements: list[str]) -> str | None:
    """The fold's refusal of the history (its message), or None (also when it stops
    folding: a fold limit)."""
    error = fold_refusal(statements, limit_taken=True)
    return None if error is None else error.message
