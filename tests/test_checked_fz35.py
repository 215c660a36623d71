"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 35 found ``squash`` exiting 0 on while PostgreSQL refuses them: a WHERE, ON or
UPDATE SET expression cut right after an operator the grammar reads as its own (``SET qty =
qty *``: ``syntax error at end of input``), beside the old spelling of a table with its children
(``FROM t *``, ``DELETE FROM t USING u * WHERE``, ``FROM t, u * WHERE``: taken, and no longer
refused); an index named by a reserved or type-or-function-name key word (``CREATE INDEX to ON
t (a)``: ``syntax error at or near "to"``); and a call followed by a string, which PostgreSQL
reads as a constant of a type with modifiers named like the function (``lower('s') 'T'``:
``type "lower" does not exist``); ``TRUE`` or ``FALSE`` in a condition, then an unreserved
key word (``USING (true BEFORE)``); a select list label after ``AS``, then ``END``; and a new
table's CHECK naming a column it lacks after another table inherits one. Each case is asked
of a real PostgreSQL in the same test, beside valid neighbours, and the fold's verdict must
agree: refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike, assert_refusal_says_what_postgresql_says
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statement after SETUP, whether PostgreSQL takes it): an expression ending on an operator
CUT_CASES: list[tuple[str, bool]] = [
    ("UPDATE t SET a = a *", False),
    ("UPDATE t SET a = 3 *", False),
    ("UPDATE t SET a = (a) %", False),
    ("UPDATE t SET a = a ^", False),
    ("DELETE FROM t WHERE a = a *", False),
    ("SELECT * FROM t WHERE a > id * /* c */", False),
    ("SELECT * FROM t JOIN u ON u.id = t.id *", False),
    ("SELECT a FROM t GROUP BY a HAVING count(*) > a *", False),
    ("INSERT INTO t VALUES (1, 1, 'x') ON CONFLICT (id) DO UPDATE SET a = excluded.a *", False),
    ("UPDATE t SET a = a * 3", True),
    ("UPDATE t SET a = 1 RETURNING *", True),
    ("UPDATE t SET a = 1 RETURNING t.*", True),
    ("UPDATE t SET a = 1 RETURNING id, *", True),
    ("UPDATE t SET a = 1 FROM u *", True),
    ("UPDATE t SET a = 1 FROM u * WHERE u.id = t.id", True),
    ("UPDATE t SET a = 1 FROM t AS x, u * WHERE u.id = t.id", True),
    ("SELECT * FROM t *", True),
    ("SELECT * FROM t, u *", True),
    ("SELECT * FROM u, t * WHERE t.a = 1 ORDER BY 1", True),
    ("SELECT * FROM u JOIN u AS y USING (id), t AS x * WHERE x.a = 1", False),
    ("SELECT * FROM u JOIN u AS y USING (id), t * WHERE t.a = 1", True),
    ("SELECT t.* FROM t WHERE t.id IN (SELECT id FROM u *)", True),
    ("DELETE FROM t *", True),
    ("DELETE FROM t USING u *", True),
    ("DELETE FROM t USING u * WHERE u.id = t.id", True),
    ("DELETE FROM t USING u *, t AS x WHERE u.id = t.id", True),
    ("TABLE t * ORDER BY 1", True),
    ("TRUNCATE t *", True),
    ("LOCK TABLE t *", True),
    ("UPDATE t SET b = b || '*'", True),
    ("SELECT a, b * FROM t", False),
]


@pytest.mark.parametrize(("statement", "valid"), CUT_CASES)
def test_an_expression_cut_after_an_operator_is_refused(pg_cluster: Cluster, pg_db: str,
                                                        statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


def test_the_cut_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [*SETUP, "UPDATE t SET a = a *"])


#: an index's name: a reserved or type-or-function-name key word is none unquoted
INDEX_CASES: list[tuple[str, bool]] = [
    ("CREATE INDEX to ON t (a)", False),
    ("CREATE UNIQUE INDEX from ON t (a)", False),
    ("CREATE INDEX left ON t (a)", False),
    ("CREATE INDEX verbose ON t (a)", False),
    ("CREATE INDEX IF NOT EXISTS join ON t (a)", False),
    ("CREATE INDEX \"to\" ON t (a)", True),
    ("CREATE INDEX to_a ON t (a)", True),
    ("CREATE INDEX int ON t (a)", True),
    ("CREATE INDEX between ON t (a)", True),
    ("CREATE INDEX key ON t (a)", True),
    ("CREATE INDEX IF NOT EXISTS value ON t (a)", True),
    ("CREATE INDEX ON t (a) WHERE a > 1", True),
]


@pytest.mark.parametrize(("statement", "valid"), INDEX_CASES)
def test_an_index_named_by_a_key_word_is_refused(pg_cluster: Cluster, pg_db: str,
                                                 statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


def test_the_index_name_refusal_says_what_postgresql_says(pg_cluster: Cluster,
                                                          pg_db: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db,
                                             [*SETUP, "CREATE INDEX TO ON t (a)"])


#: a call followed by a string: a typed constant whose type is named like the function
TYPED_CASES: list[tuple[str, bool]] = [
    ("CREATE TABLE w (x text DEFAULT upper('q') 'Z')", False),
    ("CREATE TABLE w (x text DEFAULT 'p' || upper('q')\n'Z')", False),
    ("CREATE VIEW v AS SELECT upper('q') 'Z'", False),
    ("CREATE VIEW v AS SELECT 1 AS n WHERE 'Z' = upper('q') 'Z'", False),
    ("CREATE INDEX ON t (a) WHERE b = lower(b) 'z'", False),
    ("ALTER TABLE t ADD CHECK (b <> lower(b) 'z')", False),
    ("CREATE TABLE w (x char(2) DEFAULT bpchar(2) 'ab')", True),
    ("CREATE TABLE w (x timestamptz DEFAULT timestamptz(2) '2021-03-04')", True),
    ("CREATE TABLE w (x char(2) DEFAULT pg_catalog.bpchar(2) 'ab')", True),
    ("CREATE TABLE w (x text DEFAULT 'p' || bpchar(2) E'ab')", True),
    ("CREATE TABLE w (x varchar(9) DEFAULT varchar(4) 'ab')", True),
    ("CREATE TABLE w (x bit(2) DEFAULT bit(2) '10')", True),
    ("CREATE VIEW v AS SELECT bpchar(2) 'ab' AS z", True),
    ("ALTER TABLE t ADD CHECK (b <> lower(b) || 'z')", True),
]


@pytest.mark.parametrize(("statement", "valid"), TYPED_CASES)
def test_a_call_then_a_string_names_a_type(pg_cluster: Cluster, pg_db: str,
                                           statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


def test_the_typed_constant_refusal_says_what_postgresql_says(pg_cluster: Cluster,
                                                              pg_db: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [
        *SETUP, "CREATE TABLE w (x text DEFAULT upper('q') 'Z')"])


#: TRUE or FALSE in a condition, then an unreserved key word (a label has no place there)
CONSTANT_CASES: list[tuple[str, bool]] = [
    ("CREATE POLICY p ON t USING (true BEFORE)", False),
    ("CREATE POLICY p ON t USING (b IS NOT NULL OR false before)", False),
    ("UPDATE t SET a = 1 WHERE true BEFORE", False),
    ("UPDATE t SET a = 1 WHERE b IS NULL OR (a > 0) IS TRUE key", False),
    ("CREATE POLICY p ON t USING (true)", True),
    ("SELECT * FROM t WHERE true FOR UPDATE SKIP LOCKED", True),
    ("SELECT * FROM t JOIN u ON true WHERE false", True),
    ("DO $$ BEGIN WHILE false LOOP EXIT; END LOOP; END $$", True),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = 1 "
     "WHERE true; RETURN NEW; END $$", True),
    ("ALTER TABLE t ADD CHECK (a > 0 OR true), ADD COLUMN f boolean DEFAULT true NOT NULL", True),
    ("UPDATE t SET b = 'x' WHERE a IS NOT NULL AND true RETURNING *", True),
]


@pytest.mark.parametrize(("statement", "valid"), CONSTANT_CASES)
def test_a_boolean_constant_then_a_key_word_is_refused(pg_cluster: Cluster, pg_db: str,
                                                       statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: a select list item's label after AS, then END (no CASE ends after a label)
LABEL_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v AS SELECT *, a * 3 AS k END FROM t", False),
    ("CREATE VIEW v AS SELECT a AS k END", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 AS k END", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT a AS k END "
     "FROM t); END $$", False),
    ("CREATE VIEW v AS SELECT *, a * 3 AS k FROM t", True),
    ("CREATE VIEW v AS SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END AS k FROM t", True),
    ("CREATE VIEW v AS SELECT a AS \"end\", b AS k FROM t", True),
    ("CREATE VIEW v AS SELECT a end FROM t", True),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 AS k; END", True),
    ("CREATE FUNCTION f() RETURNS SETOF int LANGUAGE plpgsql AS $$ DECLARE r record; BEGIN "
     "FOR r IN SELECT a AS k FROM t LOOP RETURN NEXT r.k; END LOOP; END $$", True),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN CASE 1 WHEN 1 THEN "
     "PERFORM 1 AS k; END CASE; RETURN 1; END $$", True),
]


@pytest.mark.parametrize(("statement", "valid"), LABEL_CASES)
def test_a_label_then_end_is_refused(pg_cluster: Cluster, pg_db: str, statement: str,
                                     valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


INHERITING = ["CREATE TABLE pa (id int, w int)", "CREATE TABLE ch () INHERITS (pa)"]

#: a new table's CHECK naming a column it lacks, after some table inherits another
CHECK_CASES: list[tuple[list[str], bool]] = [
    ([*INHERITING, "CREATE TABLE w (id int NOT NULL, k int, CONSTRAINT wc CHECK (k$ >= 0))"],
     False),
    ([*INHERITING, "CREATE TABLE w (id int NOT NULL, k int CHECK (nope > 0))"], False),
    ([*INHERITING, "CREATE TABLE w (x int, CHECK (pa.w > 0))"], False),
    ([*INHERITING, "CREATE TABLE w (id int NOT NULL, k int, CONSTRAINT wc CHECK (k >= 0 "
                   "AND id > 0))"], True),
    ([*INHERITING, "CREATE TABLE c2 (x int CHECK (w > 0)) INHERITS (pa)"], True),
    ([*INHERITING, "CREATE TABLE w (LIKE pa, CHECK (w > 0))"], True),
    ([*INHERITING, "CREATE TABLE w (x int, CHECK (w.x > 0 AND lower('a') = 'a'))"], True),
    ([*INHERITING, "CREATE TABLE w (x int, y text, CHECK (length(y) > x AND y <> current_user "
                   "AND y IS DISTINCT FROM 'z'))"], True),
]


@pytest.mark.parametrize(("statements", "valid"), CHECK_CASES)
def test_a_new_tables_check_names_its_own_columns(pg_cluster: Cluster, pg_db: str,
                                                  statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)
