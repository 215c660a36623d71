"""What the fold models it checks as PostgreSQL would (issue 15), for statements the fuzz run
(seed 19) found ``squash`` exiting 0 on while PostgreSQL refuses them: a date followed by a
word the date input does not know, a call in an index to a function that does not exist.
Every verdict is asked of a real PostgreSQL in the same test, and the fold's refusal is checked
against it, so that a refusal can never be of a statement PostgreSQL applies."""

from __future__ import annotations

import itertools
import string

import pytest

from postgresql_verdict import fold_refusal, primary_message, refusal
from schemafold import fold_sql
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import connect


def _postgresql_error(pg_cluster: Cluster, db: str, statements: list[str]) -> str | None:
    """PostgreSQL's primary message for the first statement it refuses, or None."""
    return primary_message(refusal(pg_cluster, db, statements))


def _schemafold_error(statements: list[str]) -> str | None:
    """The fold's message for the statement it refuses (without the column it names, or the
    statement kept verbatim before it), or None."""
    error = fold_refusal(statements)
    if error is None:
        return None
    return error.message.split(" (column ")[0].split(" (the fold cannot see")[0]


# --- a date, then a word ---------------------------------------------------------------------

DATE_SETUP = [
    "CREATE TABLE ticket (id int PRIMARY KEY, due date, at timestamp, stamped timestamptz)",
    "CREATE TABLE reading (at date) PARTITION BY RANGE (at)",
    "CREATE TABLE event (at timestamptz) PARTITION BY RANGE (at)",
]

#: (value, whether PostgreSQL's date and timestamp input take it): a word after an ISO date
#: must be a key word, a time zone abbreviation or a zone's name
DATE_WORDS = [
    ("2024-01-01 made", False),
    ("2024-01-01 MADE ", False),
    (" 2024-01-01\tgreenwichx", False),
    ("2024-01-01 bogus", False),
    # valid neighbours: words PostgreSQL reads there
    ("2024-01-01 utc", True),
    ("2024-01-01 Japan", True),
    ("2024-01-01 zulu", True),
    ("2024-01-01 PST", True),
    ("2024-01-01 mez", True),
    ("2024-01-01 AD", True),
    ("2024-01-01 bc", True),
    ("2024-01-01 allballs", True),
    ("2024-01-01 on", True),
    ("2024-01-01 Wednesday", True),
    ("2024-01-01 America/New_York", True),
    # refused by PostgreSQL, but not judged by the fold (a word it may read elsewhere, a day
    # the calendar lacks, two words): listed so that the test shows the fold stays quiet
    ("2024-01-01 today", None),
    ("2024-01-01 lmt", None),
    ("2024-02-30 made", None),
    ("2024-01-01 made up", None),
]


@pytest.mark.parametrize(("value", "valid"), DATE_WORDS)
@pytest.mark.parametrize("place", [
    "CREATE TABLE reading_1 PARTITION OF reading FOR VALUES FROM (MINVALUE) TO ('{v}')",
    "CREATE TABLE event_1 PARTITION OF event FOR VALUES FROM ('{v}') TO (MAXVALUE)",
    "CREATE TABLE reading_2 (at date);\n"
    "ALTER TABLE reading ATTACH PARTITION reading_2 FOR VALUES FROM (MINVALUE) TO ('{v}')",
    "INSERT INTO ticket (id, due) VALUES (1, '{v}')",
    "INSERT INTO ticket (id, at) VALUES (1, '{v}')",
    "ALTER TABLE ticket ADD COLUMN since timestamptz DEFAULT '{v}'",
])
def test_a_word_after_a_date_is_one_postgresql_reads(pg_cluster: Cluster, pg_db: str,
                                                     value: str, valid: bool | None,
                                                     place: str) -> None:
    statements = [*DATE_SETUP, *place.format(v=value).split(";\n")]
    error = _postgresql_error(pg_cluster, pg_db, statements)
    if valid is None:  # PostgreSQL refuses; the fold does not judge it
        assert error is not None
        assert _schemafold_error(statements) is None
        return
    assert (error is None) == valid, error
    assert _schemafold_error(statements) == error


def test_every_short_word_postgresql_reads_after_a_date_is_known(pg_cluster: Cluster,
                                                                  pg_db: str) -> None:
    """Every word of up to three letters that this PostgreSQL reads after a date is one the
    fold takes, and every one it refuses PostgreSQL refuses too."""
    from schemafold.rows.input_syntax import rejected_text

    words = ["".join(p) for n in (1, 2, 3)
             for p in itertools.product(string.ascii_lowercase, repeat=n)]
    with connect(pg_cluster.dsn(pg_db)) as conn:
        conn.execute(
            "CREATE FUNCTION pg_temp.read_after_date(words text[]) RETURNS SETOF text "
            "LANGUAGE plpgsql AS $$ DECLARE w text; d date; BEGIN FOREACH w IN ARRAY words LOOP "
            "BEGIN d := ('2024-01-01 ' || w)::date; RETURN NEXT w; "
            "EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$")
        read = {row[0] for row in conn.execute("SELECT * FROM pg_temp.read_after_date(%s)",
                                               (words,))}
    assert read  # zones and key words: some are read
    refused = {w for w in words if rejected_text("date", f"2024-01-01 {w}") is not None}
    assert not read & refused


# --- a call in an index ----------------------------------------------------------------------

INDEX_SETUP = [
    "CREATE SCHEMA util",
    "CREATE TABLE item (id int PRIMARY KEY, code text, n int)",
    "CREATE FUNCTION norm(c text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(c) $$",
    "ALTER FUNCTION norm(text) SET SCHEMA util",
]

#: (statement after INDEX_SETUP, PostgreSQL's error or None): an index's expressions and
#: predicate are analyzed when it is created, each call looked up
INDEX_CALLS: list[tuple[str, str | None]] = [
    ("CREATE INDEX item_norm ON item (util. utilnormalise(code))",
     "function util.utilnormalise(text) does not exist"),
    ("CREATE INDEX item_norm ON item (util.nope(code))", "function util.nope(text) does not exist"),
    ("CREATE INDEX item_norm ON item ((nope(code)))", "function nope(text) does not exist"),
    ("CREATE INDEX item_norm ON item (id) WHERE nope(n) > 0",
     "function nope(integer) does not exist"),
    ("CREATE INDEX item_norm ON item (public.lower(code))",
     "function public.lower(text) does not exist"),
    # valid neighbours
    ("CREATE INDEX item_norm ON item (util.norm(code))", None),
    ("CREATE INDEX item_norm ON item (util. norm(code) text_pattern_ops) "
     "WHERE length(code) > 2", None),
    ("CREATE INDEX item_norm ON item (pg_catalog.lower(code), (coalesce(n, 0)), md5(code))",
     None),
    ("CREATE INDEX item_norm ON item (int8(n), text(n), (CAST(code AS int)), (code::int))", None),
    ("CREATE INDEX item_norm ON item ((EXTRACT(year FROM make_date(n, 1, 1))), "
     "(substring(code FROM 1 FOR 2)), (trim(both ' ' FROM code)), (nullif(code, '')))", None),
    ("CREATE INDEX item_norm ON item USING gin (to_tsvector('simple'::regconfig, code))", None),
    ("CREATE DOMAIN word AS text;\nCREATE INDEX item_norm ON item (word(code))", None),
    ("CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT $1 * 2 $$;\n"
     "CREATE INDEX item_norm ON item (twice(n)) WHERE twice(n) > 0", None),
]


@pytest.mark.parametrize(("statement", "error"), INDEX_CALLS)
def test_an_index_calls_functions_that_exist(pg_cluster: Cluster, pg_db: str, statement: str,
                                             error: str | None) -> None:
    statements = [*INDEX_SETUP, *statement.split(";\n")]
    assert _postgresql_error(pg_cluster, pg_db, statements) == error
    found = _schemafold_error(statements)
    if error is None:
        assert found is None
    else:
        assert found is not None
        assert found.startswith(error.split("(")[0] + "(...) does not exist"), found


# --- USING () and NULL on a NOT NULL column --------------------------------------------------

#: (statements after CREATE TABLE t (id int PRIMARY KEY, a int, b text), u (id int, c int),
#: PostgreSQL's error or None)
STATEMENTS: list[tuple[str, str | None]] = [
    # USING () is never empty: a join's column list, a policy's or a conversion's expression
    ("CREATE VIEW v AS SELECT p.id FROM t p JOIN u q USING ()", 'syntax error at or near ")"'),
    ("CREATE POLICY p ON t USING ()", 'syntax error at or near ")"'),
    ("ALTER TABLE t ALTER COLUMN a TYPE bigint USING ()", 'syntax error at or near ")"'),
    ("SELECT 1 FROM t ORDER BY a USING ()", 'syntax error at or near "("'),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
     "EXECUTE 'SELECT 1' USING (); END $$", 'syntax error at or near ")"'),
    ("CREATE VIEW v AS SELECT p.id FROM t p JOIN u q USING (id)", None),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
     "EXECUTE 'SELECT 1' USING (1); END $$", None),
    ("CREATE SCHEMA s;\nCREATE FUNCTION s.using() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE VIEW v AS SELECT s.using()", None),
    ("SET check_function_bodies = off;\nCREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql "
     "AS $$ SELECT 1 FROM t JOIN u USING () $$", None),
    # a serial or identity column is NOT NULL: NULL written on it conflicts
    ("CREATE TABLE x (id serial NULL PRIMARY KEY)",
     'conflicting NULL/NOT NULL declarations for column "id" of table "x"'),
    ("CREATE TABLE x (id SERIAL8 CONSTRAINT c NULL)",
     'conflicting NULL/NOT NULL declarations for column "id" of table "x"'),
    ("CREATE TABLE x (id int NULL GENERATED BY DEFAULT AS IDENTITY)",
     'conflicting NULL/NOT NULL declarations for column "id" of table "x"'),
    ("ALTER TABLE t ADD COLUMN x smallserial NULL",
     'conflicting NULL/NOT NULL declarations for column "x" of table "t"'),
    ("ALTER TABLE IF EXISTS t ADD COLUMN x int GENERATED ALWAYS AS IDENTITY NULL",
     'conflicting NULL/NOT NULL declarations for column "x" of table "t"'),
    ("CREATE TABLE IF NOT EXISTS x (id int NOT NULL NULL)",
     'conflicting NULL/NOT NULL declarations for column "id" of table "x"'),
    ("DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM t; END $$;\n"
     "CREATE TABLE x (id serial NULL, r int REFERENCES t)",
     'conflicting NULL/NOT NULL declarations for column "id" of table "x"'),
    ("CREATE TABLE x (id serial NOT NULL, n int NULL, k int NULL UNIQUE, "
     "g int NULL GENERATED ALWAYS AS (1) STORED)", None),
    ("CREATE TABLE x (id int NULL NULL, PRIMARY KEY (id))", None),
    ("CREATE DOMAIN serial4 AS int;\nCREATE TABLE x (id public.serial4 NULL)", None),
    # IF NOT EXISTS finds the table or the column there: the columns are not read
    ("CREATE TABLE IF NOT EXISTS t (id serial NULL)", None),
    ("CREATE TABLE IF NOT EXISTS t (id int NOT NULL NULL)", None),
    ("CREATE TABLE IF NOT EXISTS t (id int GENERATED ALWAYS AS IDENTITY NULL)", None),
    ("ALTER TABLE t ADD COLUMN IF NOT EXISTS a serial NULL", None),
    ("ALTER TABLE t ADD COLUMN IF NOT EXISTS a int NOT NULL NULL", None),
    ("ALTER TABLE IF EXISTS nope ADD COLUMN x serial NULL", None),
]


@pytest.mark.parametrize(("statement", "error"), STATEMENTS)
def test_statements_as_postgresql_reads_them(pg_cluster: Cluster, pg_db: str, statement: str,
                                             error: str | None) -> None:
    statements = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
                  "CREATE TABLE u (id int, c int)", *statement.split(";\n")]
    assert _postgresql_error(pg_cluster, pg_db, statements) == error
    assert _schemafold_error(statements) == error


def test_a_null_conflict_after_an_opaque_statement_is_left_to_postgresql() -> None:
    """``CREATE TABLE IF NOT EXISTS`` after a statement the fold keeps verbatim: that statement
    may have made the table (a ``DO`` block, through a function it calls), and PostgreSQL then
    skips the statement without reading its columns; not refused."""
    fold_sql("CREATE TABLE t (id int);\n"
             "DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM t; END $$;\n"
             "CREATE TABLE IF NOT EXISTS x (id serial NULL);\n")
