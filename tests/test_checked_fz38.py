"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 38 found ``squash`` exiting 0 on while PostgreSQL refuses them: an unreserved
key word where a condition's operand starts, then another that no operand goes on with nor
clause starts with (``WHERE BEGIN ATOMIC mood = 'happy'``: a column, then a word where an
operator must be); ``EXISTS`` followed by a constant, or by a name in a condition, rather than
its query in parentheses (``VALUES (EXISTS'r1', ...)``); a comma at the top of a ``CHECK``'s or
a policy's parentheses, which hold one condition (``CHECK (r,eviews >= 0)``); and an item of a
partition's bound or of an ``IN`` list of values ending on an operand followed by a word no item
goes on with (``FOR VALUES IN ('view' TABLE)``). Beside them, a column named ``values`` tested
with ``IN (SELECT ...)``, which the fold refused (read as a partition's bound) and PostgreSQL
takes. Each case is asked of a real PostgreSQL in the same test beside valid neighbours, and the
fold's verdict must agree: refused by both (the fold's message holding PostgreSQL's), or taken
by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_verdict, first_line, refusal
from schemafold import fold_sql
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: a table whose columns are named by unreserved key words
WORDS = "CREATE TABLE w (begin int, value text, name text, flag boolean)"

#: (statements after SETUP, PostgreSQL's verdict): an unreserved key word as a condition's
#: column, then another
KEY_WORD_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT id, b FROM t WHERE BEGIN ATOMIC a = 1", False),
    ("CREATE VIEW v1 AS SELECT id FROM t WHERE a = 1 AND begin atomic", False),
    ("CREATE VIEW v1 AS SELECT id FROM t WHERE a = name cascade", False),
    ("CREATE VIEW v1 AS SELECT id FROM t WHERE a = 1 OR value cascade", False),
    (f"{WORDS};\nCREATE VIEW v1 AS SELECT begin FROM w WHERE begin > 0 "
     "AND value::timestamp AT TIME ZONE 'UTC' IS NULL", True),
    (f"{WORDS};\nCREATE VIEW v1 AS SELECT begin FROM w WHERE name LIKE 'x' ESCAPE '!' "
     "AND value IS NOT NULL", True),
    (f"{WORDS};\nCREATE VIEW v1 AS SELECT begin FROM w WHERE begin BETWEEN 1 AND 2 "
     "AND name ILIKE 'x' OR value SIMILAR TO 'y'", True),
    (f"{WORDS};\nCREATE FUNCTION f1() RETURNS void LANGUAGE plpgsql AS $$ DECLARE c CURSOR "
     "FOR SELECT * FROM w; BEGIN OPEN c; DELETE FROM w WHERE CURRENT OF c; END $$", True),
    ("CREATE VIEW v1 AS SELECT id FROM t WHERE a = double precision '1' "
     "AND name 'x' = b::name", True),
    ("CREATE VIEW v1 AS SELECT sum(a) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING "
     "AND CURRENT ROW) FROM t WHERE a > 0", True),
    ("CREATE VIEW v1 AS SELECT sum(a) FILTER (WHERE a > 0) OVER (ORDER BY id RANGE BETWEEN "
     "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t", True),
    (f"{WORDS};\nCREATE FUNCTION f1() RETURNS void LANGUAGE plpgsql AS $$ DECLARE r record; "
     "BEGIN FOR r IN SELECT * FROM w WHERE flag LOOP NULL; END LOOP; END $$", True),
    ("CREATE TABLE w (id int REFERENCES t ON DELETE CASCADE ON UPDATE NO ACTION, "
     "CHECK (id > 0 AND id < 9))", True),
    (f"{WORDS};\nCREATE INDEX ON w (begin) WHERE value IS NULL", True),
    (f"{WORDS};\nCREATE RULE r1 AS ON UPDATE TO w WHERE old.flag DO ALSO NOTHING", True),
]


@pytest.mark.parametrize(("statements", "verdict"), KEY_WORD_CASES)
def test_a_key_word_after_a_key_word_column_of_a_condition_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: str, verdict: bool) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], verdict)


#: (statements after SETUP, PostgreSQL's verdict): EXISTS without its query in parentheses
EXISTS_CASES: list[tuple[str, bool]] = [
    ("INSERT INTO u VALUES (EXISTS'r1', 1)", False),
    ("INSERT INTO u VALUES (1, EXISTS 1)", False),
    ("CREATE VIEW v1 AS SELECT EXISTS 'x' AS y", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE EXISTS a", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE NOT EXISTS 'x'", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a = 1 OR EXISTS t", False),
    ("CREATE FUNCTION f1() RETURNS boolean LANGUAGE sql AS $$ SELECT EXISTS 'x' $$", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u)", True),
    ("CREATE VIEW v1 AS SELECT EXISTS (SELECT 1) AS y, EXISTS(SELECT 1 FROM u "
     "WHERE u.id = t.id) AS z FROM t", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE EXISTS ((SELECT 1)) OR EXISTS (VALUES (1)) "
     "OR EXISTS (TABLE u)", True),
    ("INSERT INTO u VALUES (1, (EXISTS (SELECT 1))::int)", True),
    ("CREATE TABLE w (a int, exists text)", True),
    ("CREATE TABLE w (\"exists\" int);\nCREATE VIEW v1 AS SELECT exists FROM w", True),
    ("CREATE VIEW v1 AS SELECT 1 exists, 2 AS b", True),
    ("CREATE TABLE IF NOT EXISTS w (a int)", True),
    ("CREATE INDEX IF NOT EXISTS i1 ON t (a)", True),
    ("DROP TABLE IF EXISTS nosuch", True),
    ("ALTER TABLE t ADD COLUMN IF NOT EXISTS c text", True),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF EXISTS (SELECT 1 "
     "FROM t) THEN RETURN 1; ELSIF NOT EXISTS(SELECT FROM u) THEN RETURN 2; END IF; "
     "RETURN 0; END $$", True),
]


@pytest.mark.parametrize(("statements", "verdict"), EXISTS_CASES)
def test_exists_without_its_query_is_refused(pg_cluster: Cluster, pg_db: str,
                                             statements: str, verdict: bool) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], verdict)


#: (statement after SETUP, PostgreSQL's verdict): a comma in a CHECK's or a policy's condition
CONDITION_CASES: list[tuple[str, bool]] = [
    ("ALTER TABLE t ADD CONSTRAINT c1 CHECK (a,id >= 0)", False),
    ("ALTER TABLE t ADD CONSTRAINT c1 CHECK (a, id)", False),
    ("CREATE TABLE w (a int CHECK (a, a > 0))", False),
    ("CREATE TABLE w (a int, CHECK (a > 0, a < 9))", False),
    ("CREATE DOMAIN d1 AS int CHECK (VALUE, VALUE > 0)", False),
    ("CREATE POLICY p1 ON t USING (a, b)", False),
    ("CREATE POLICY p1 ON t USING (a > 0) WITH CHECK (a, b)", False),
    ("ALTER TABLE t ADD CONSTRAINT c1 CHECK ((a, id) > (0, 0))", True),
    ("ALTER TABLE t ADD CONSTRAINT c1 CHECK (ROW(a, id) IS NOT NULL)", True),
    ("CREATE POLICY p1 ON t USING (a > 0 AND b IS NULL) WITH CHECK ((a, id) > (0, 0))", True),
    ("ALTER TABLE t ADD CONSTRAINT c1 CHECK (a > 0), ADD CONSTRAINT c2 CHECK (id > 0)", True),
    ("CREATE TABLE w (a int CHECK (a > 0), b int, CONSTRAINT c CHECK (coalesce(a, b) > 0) "
     "NO INHERIT)", True),
    ("CREATE DOMAIN d1 AS int CHECK (VALUE IN (1, 2)) CHECK (VALUE > 0)", True),
    ("ALTER TABLE t ADD CHECK (a >= 0) NOT VALID, ADD CHECK (id > 0)", True),
]


@pytest.mark.parametrize(("statement", "verdict"), CONDITION_CASES)
def test_a_comma_in_a_check_condition_is_refused(pg_cluster: Cluster, pg_db: str,
                                                 statement: str, verdict: bool) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, statement], verdict)


def _list(key: str, bound: str) -> str:
    return (f"CREATE TABLE m (k {key}) PARTITION BY LIST (k);\n"
            f"CREATE TABLE m1 PARTITION OF m FOR VALUES IN ({bound})")


def _range(key: str, low: str, high: str) -> str:
    return (f"CREATE TABLE m (k {key}) PARTITION BY RANGE (k);\n"
            f"CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ({low}) TO ({high})")


#: a relation with a column named values
VALUES = "CREATE VIEW v1 AS SELECT values FROM (SELECT 1 AS values) s"

#: (statements after SETUP, PostgreSQL's verdict): an item of a list of values, then a word
LIST_CASES: list[tuple[str, bool]] = [
    (_list("text", "'view' TABLE"), False),
    ("CREATE TABLE m (k text) PARTITION BY LIST (k);\nCREATE TABLE m1 (k text);\n"
     "ALTER TABLE m ATTACH PARTITION m1 FOR VALUES IN ('view' TABLE)", False),
    (_range("int", "1 TABLE", "2"), False),
    (_range("int", "TABLE", "2"), False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN (1 TABLE)", False),
    (f"{VALUES} WHERE values IN (1 TABLE)", False),
    (_list("text", "'view' COLLATE \"C\""), True),
    (_list("text", "'view' || 'x', NULL, 'y'::text"), True),
    (_range("int", "MINVALUE", "2 + 1"), True),
    (_range("date", "'2020-01-01'", "CURRENT_DATE + 1"), True),
    (_range("date", "CAST('2020-01-01' AS date)", "DATE '2021-01-01'"), True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN (SELECT id FROM u WHERE c > 0 GROUP BY id "
     "HAVING count(*) > 1 UNION SELECT 1)", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN ((SELECT id FROM u) UNION (SELECT 1))",
     True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN (VALUES (1), (2)) "
     "AND a IN (TABLE t_ids)", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN (1, (SELECT 2), "
     "CASE WHEN a > 0 THEN 1 END, 3)", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN (WITH s AS (SELECT 1 AS x) "
     "SELECT x FROM s)", True),
    ("CREATE FUNCTION f1() RETURNS void LANGUAGE plpgsql AS $$ DECLARE r record; BEGIN "
     "FOR r IN (SELECT * FROM t WHERE a > 0) LOOP NULL; END LOOP; END $$", True),
    (VALUES, True),
    ("CREATE VIEW v1 AS SELECT s.values FROM (SELECT 1 AS values) s "
     "WHERE s.values IN (SELECT 1)", True),
    (f"{VALUES} WHERE values IN (SELECT 1 FROM t WHERE a > 0)", True),
]


@pytest.mark.parametrize(("statements", "verdict"), LIST_CASES)
def test_a_word_after_an_item_of_a_list_of_values_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: str, verdict: bool) -> None:
    setup = [*SETUP, "CREATE TABLE t_ids (id int)"]
    assert_verdict(pg_cluster, pg_db, [*setup, *statements.split(";\n")], verdict)


def _attach(parent: str, child: str, *between: str) -> str:
    return ";\n".join([f"CREATE TABLE m ({parent}) PARTITION BY LIST (k)",
                       f"CREATE TABLE m1 ({child})", *between,
                       "ALTER TABLE m ATTACH PARTITION m1 FOR VALUES IN ('a')"])


#: (statements after SETUP, PostgreSQL's verdict): a partition attached with a column that
#: lacks the parent's NOT NULL (the message names the table from 18) or has another type
ATTACH_CASES: list[tuple[str, bool]] = [
    (_attach("k text NOT NULL, id int", "k text, id int"), False),
    (_attach("k text, id int, PRIMARY KEY (k, id)", "k text NULL, id int NOT NULL"),
     False),
    (_attach("k text, id int, PRIMARY KEY (k, id)", "k text NOT NULL, id int"),
     False),
    (_attach("k text, id int", "k text, id int", "ALTER TABLE m ALTER COLUMN k SET NOT NULL"),
     False),
    (_attach("k text, id int", "k text, id int", "ALTER TABLE m ADD PRIMARY KEY (k)"),
     False),
    (_attach("k text, id int", "k text, id int", "ALTER TABLE m ADD PRIMARY KEY (k, id)"),
     False),
    (_attach("k text NOT NULL, id int", "k text NOT NULL, id int",
             "ALTER TABLE m1 ALTER COLUMN k DROP NOT NULL"), False),
    (_attach("k text, id int", "k int, id int"), False),
    (_attach("k text, id int, PRIMARY KEY (k, id)", "k text NOT NULL, id int NOT NULL"), True),
    (_attach("k text, id int, PRIMARY KEY (k, id)", "k text, id int, PRIMARY KEY (k, id)"),
     True),
    (_attach("k text, id int", "k text NOT NULL, id int NOT NULL"), True),
    (_attach("k text NOT NULL, id int", "k text, id int",
             "ALTER TABLE m1 ALTER COLUMN k SET NOT NULL"), True),
    (_attach("k text NOT NULL, id int", "LIKE m"), True),
    (_attach("k text NOT NULL, id int", "k text, id int", "ALTER TABLE m1 ADD PRIMARY KEY (k)"),
     True),
    (_attach("k text, id bigint NOT NULL", "k text, id bigserial"), True),
    (_attach("k varchar(10), id integer, n numeric(10,2), d timestamp with time zone",
             "k character varying(10), id int4, n numeric(10,2), d timestamptz"), True),
    (_attach("k text, id int GENERATED ALWAYS AS IDENTITY", "k text, id int NOT NULL"), True),
    (_attach("k text, id serial", "k text, id int NOT NULL"), True),
    (_attach("k text, id int, PRIMARY KEY (k, id)", "id int, k text",
             "ALTER TABLE m1 ADD PRIMARY KEY (k, id)"), True),
]


@pytest.mark.parametrize(("statements", "verdict"), ATTACH_CASES)
def test_a_partition_lacking_the_parents_not_null_or_type_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: str, verdict: bool) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], verdict)


def _assigned(value: str) -> str:
    return ("CREATE FUNCTION f1() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE m jsonb; "
            f"BEGIN m := {value}; RETURN NEW; END $$")


#: (statements after SETUP, PostgreSQL's verdict): a name argument of a call, then a key word
CALL_CASES: list[tuple[str, bool]] = [
    (_assigned("jsonb_build_object('a', NEW.a NEW)"), False),
    (_assigned("jsonb_build_object('a', NEW.a NEW, 'b', 1)"), False),
    ("CREATE VIEW v1 AS SELECT coalesce(a begin, 1) AS x FROM t", False),
    ("CREATE TABLE w (id int, \"type\" text, value text);\n"
     "CREATE VIEW v1 AS SELECT coalesce(w.type value) AS x FROM w", False),
    (_assigned("jsonb_build_object('a', NEW.a, 'b', NEW.b)"), True),
    ("CREATE VIEW v1 AS SELECT string_agg(b, ',' ORDER BY a DESC) AS x, array_agg(a ORDER BY "
     "b NULLS LAST) AS y, array_agg(a ORDER BY id ASC, b DESC NULLS FIRST) AS z FROM t", True),
    ("CREATE VIEW v1 AS SELECT normalize(b, NFC) AS x, b IS NFC NORMALIZED AS y FROM t", True),
    ("CREATE VIEW v1 AS SELECT extract(day FROM now()) AS x, substring(b FROM 1 FOR 2) AS y, "
     "trim(BOTH 'x' FROM b) AS z, position('a' IN b) AS w FROM t", True),
    ("CREATE VIEW v1 AS SELECT coalesce(now() AT TIME ZONE 'UTC', now()::timestamp) AS x",
     True),
    ("CREATE VIEW v1 AS SELECT coalesce(a::int, id) AS x, lower(b::varchar) AS y, "
     "length(b::character varying) AS z FROM t", True),
    ("CREATE TABLE w (id int, \"type\" text, value text);\n"
     "CREATE VIEW v1 AS SELECT coalesce(w.type, w.value) AS x, lower(w.\"type\") AS y FROM w",
     True),
    ("CREATE VIEW v1 AS SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a DESC) AS p "
     "FROM t", True),
    ("CREATE VIEW v1 AS SELECT make_interval(days => a) AS x, make_interval(days := a) AS y "
     "FROM t", True),
]


@pytest.mark.parametrize(("statements", "verdict"), CALL_CASES)
def test_a_key_word_after_a_name_argument_is_refused(pg_cluster: Cluster, pg_db: str,
                                                     statements: str, verdict: bool) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], verdict)


@pytest.mark.parametrize("statement", [
    "CREATE SCHEMA s1;\nGRANT SELECT ON ALL TABLES IN SCHEMA s1 TO fz38_nobody",
    "CREATE SCHEMA s1;\nREVOKE ALL ON ALL SEQUENCES IN SCHEMA s1 FROM fz38_nobody",
    "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO fz38_nobody",
    "ALTER DEFAULT PRIVILEGES FOR ROLE fz38_nobody GRANT SELECT ON TABLES TO PUBLIC",
])
def test_a_role_named_on_all_or_by_default_privileges_is_warned_about(
        pg_cluster: Cluster, pg_db: str, statement: str) -> None:
    """A role the history does not create may exist where the consolidation runs (the fold
    cannot refuse it), but the fresh database PostgreSQL judges in has none: squash warns at
    the first statement naming it, as it does for a plain GRANT."""
    statements = [*SETUP, *statement.split(";\n")]
    said = first_line(refusal(pg_cluster, pg_db, statements))
    assert said == 'role "fz38_nobody" does not exist', said
    result = fold_sql(";\n".join(statements) + ";\n")
    assert [w.line for w in result.warnings
            if 'names role "fz38_nobody", which neither the setup' in w.message] == [
        len(statements)]
