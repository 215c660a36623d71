"""What the fold models it checks as PostgreSQL would (issue 15), for kinds of statement the
fuzz run of seed 42 found ``squash`` exiting 0 on while PostgreSQL refuses them: a view's query
or a SQL function's body calling ``nextval``, ``currval`` or ``setval`` on the name of a
relation that does not exist (PostgreSQL reads the string as a ``regclass`` when it analyzes
the query: ``relation "app.ticket_n<U+FEFF>o" does not exist``), a name with a character other
than ASCII in it included (a byte-order mark a mutation put inside the string). A temporary
sequence is not modelled: a name that may be one is taken, and where the consolidation would
need it (a view, a default) folding stops there. ``$1`` where PL/pgSQL reads an exception
condition, in a function without a variable of that name (a trigger function's ``RAISE
EXCEPTION $1 'plan % is free'``), is ``unrecognized exception condition "$1"``. An error
quoting a carriage return prints on one line. Each case is asked of a real PostgreSQL in the
same test, beside valid neighbours, and the fold's verdict must agree: refused by both, or taken
by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike, fold_refusal
from schemafold.errors import FoldLimit, InputError, SchemaWarning
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
    "CREATE SCHEMA app",
    "CREATE SEQUENCE app.ticket_no",
    "CREATE SEQUENCE s1",
]

#: (statements after SETUP, whether PostgreSQL takes them): a sequence function's relation
SEQUENCE_CASES: list[tuple[list[str], bool]] = [
    (["CREATE FUNCTION f1() RETURNS text LANGUAGE sql AS "
      "$$ SELECT 'T' || nextval('app.ticket_n\ufeffo') $$"], False),
    (["CREATE FUNCTION f1() RETURNS text LANGUAGE sql AS "
      "$$ SELECT 'T' || nextval('app.ticket_nx') $$"], False),
    (["CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('s2') $$"], False),
    (["CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS "
      "$$ SELECT currval('s2'::regclass) $$"], False),
    (["CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT nextval('s2'); "
      "END"], False),
    (["CREATE PROCEDURE p1() LANGUAGE sql AS $$ SELECT setval('s2', 5) $$"], False),
    (["CREATE FUNCTION f1() RETURNS void LANGUAGE sql AS $$ UPDATE u SET c = nextval('s2') $$"],
     False),
    (["CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS "
      "$$ CREATE SEQUENCE s7; SELECT nextval('s7') $$"], False),
    (["CREATE VIEW v1 AS SELECT nextval('s2') AS n"], False),
    (["CREATE VIEW v1 AS SELECT x FROM (SELECT nextval('s2') AS x) q"], False),
    (["CREATE MATERIALIZED VIEW mv1 AS SELECT nextval('s2') AS n"], False),
    (["CREATE SEQUENCE \u00dcn\u00efc\u00f6d\u00e9", "CREATE VIEW v1 AS SELECT "
      "nextval('\u00fcn\u00efc\u00f6d\u00e93') AS n"], False),
    (["CREATE TABLE p1 (id int, n bigint DEFAULT nextval('public.s\ufeff1'))"], False),
    # valid neighbours: the sequence exists, is named another way, or the string is not read
    (["CREATE FUNCTION f1() RETURNS text LANGUAGE sql AS "
      "$$ SELECT 'T' || nextval('app.ticket_no') $$"], True),
    (["CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('s1') $$"], True),
    (["CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('s2'::text) $$"],
     True),
    (["CREATE FUNCTION f1() RETURNS bigint LANGUAGE plpgsql AS "
      "$$ BEGIN RETURN nextval('s2'); END $$"], True),
    (["SET check_function_bodies = off", "CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS "
      "$$ SELECT nextval('s2') $$"], True),
    (["CREATE FUNCTION f1(x anyelement) RETURNS bigint LANGUAGE sql AS "
      "$$ SELECT nextval('s2') $$"], True),
    (["CREATE FUNCTION f1(seq text) RETURNS bigint LANGUAGE sql AS $$ SELECT nextval(seq) $$"],
     True),
    (["CREATE SCHEMA app1", "CREATE SEQUENCE app1.s5", "CREATE FUNCTION f1() RETURNS bigint "
      "LANGUAGE sql SET search_path = app1 AS $$ SELECT nextval('s5') $$"], True),
    (["CREATE FUNCTION nextval(text) RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$",
      "CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('s2') $$"], True),
    (["CREATE FUNCTION f1() RETURNS text LANGUAGE sql AS $$ SELECT 'nextval(''s2'')' $$"],
     True),
    (["CREATE FUNCTION f1() RETURNS void LANGUAGE sql AS $$ SELECT setval('s1', 1, false) $$"],
     True),
    (["CREATE VIEW v1 AS SELECT nextval('S1') AS n, currval('public . s1') AS m, "
      "nextval(' s1 '::regclass) AS o"], True),
    (["CREATE VIEW v1 AS SELECT nextval('t') AS n"], True),
    (["CREATE VIEW v1 AS SELECT 1 AS one WHERE nextval('s1') > 0"], True),
    (["CREATE VIEW v1 AS SELECT $q$nextval('s2')$q$ AS txt"], True),
    (["CREATE TABLE p1 (id serial, x int)", "CREATE VIEW v1 AS SELECT nextval('p1_id_seq') AS n"],
     True),
    (["CREATE TABLE p1 (id int GENERATED ALWAYS AS IDENTITY, x int)",
      "CREATE VIEW v1 AS SELECT currval('p1_id_seq') AS n"], True),
    (["CREATE TABLE tab_with_a_very_long_name_that_goes_on_and_on_and_on_and_on "
      "(identifier_column_long serial)", "CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS "
      "$$ SELECT nextval('tab_with_a_very_long_name_that_goes__identifier_column_long_seq') $$"],
     True),
    (["CREATE SEQUENCE \"\u00dcn\u00efc\u00f6d\u00e9\"", "CREATE FUNCTION f1() RETURNS bigint "
      "LANGUAGE sql AS $$ SELECT nextval('\"\u00dcn\u00efc\u00f6d\u00e9\"') $$"], True),
    (["CREATE SEQUENCE \u00dcn\u00efc\u00f6d\u00e92", "CREATE FUNCTION f1() RETURNS bigint "
      "LANGUAGE sql AS $$ SELECT nextval('\u00dcn\u00efc\u00f6d\u00e92') $$"], True),
    (["CREATE SEQUENCE \"s\u00a0q\"", "CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS "
      "$$ SELECT nextval('\"s\u00a0q\"') $$"], True),
    (["CREATE SEQUENCE s1b", "ALTER SEQUENCE s1b RENAME TO s3",
      "CREATE VIEW v1 AS SELECT nextval('s3') AS n"], True),
    (["CREATE SCHEMA app4", "CREATE SEQUENCE app4.s9", "SET search_path TO app4, public",
      "CREATE VIEW public.v1 AS SELECT nextval('s9') AS n"], True),
    # a temporary sequence: not modelled, taken (folding stops where it is needed)
    (["CREATE TEMP SEQUENCE ts1", "CREATE VIEW v1 AS SELECT nextval('ts1') AS n"], True),
    (["CREATE TEMP SEQUENCE ts2", "CREATE FUNCTION f1() RETURNS bigint LANGUAGE sql AS "
      "$$ SELECT nextval('ts2') $$"], True),
    (["CREATE TEMP SEQUENCE ts3", "CREATE TABLE p1 (id int, n bigint DEFAULT nextval('ts3'))"],
     True),
    (["CREATE TEMP SEQUENCE ts4", "CREATE VIEW v1 AS SELECT * FROM ts4"], True),
]


@pytest.mark.parametrize(("statements", "valid"), SEQUENCE_CASES)
def test_a_sequence_function_of_a_missing_relation_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)


def test_the_message_names_the_relation_as_written() -> None:
    """The fold's message is PostgreSQL's, naming the relation with its byte-order mark."""
    found = fold_refusal([*SETUP, SEQUENCE_CASES[0][0][0]])
    assert isinstance(found, InputError)
    assert found.message == 'relation "app.ticket_n\ufeffo" does not exist'


def test_a_temporary_sequence_a_view_reads_stops_folding() -> None:
    """A view or a default naming a temporary sequence cannot be written by the consolidation
    (the sequence is gone with the history's session): folding stops there, the history is
    kept as written from that file; a SQL body naming it is text, and is folded."""
    stop = fold_refusal(["CREATE TEMP SEQUENCE ts1",
                         "CREATE VIEW v1 AS SELECT nextval('ts1') AS n"])
    assert isinstance(stop, FoldLimit)
    assert '"ts1" may name a temporary sequence' in stop.message
    assert fold_refusal(["CREATE TEMP SEQUENCE ts2", "CREATE FUNCTION f1() RETURNS bigint "
                         "LANGUAGE sql AS $$ SELECT nextval('ts2') $$"]) is None


@pytest.mark.parametrize("brk", ["\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_an_error_or_warning_quoting_a_line_break_prints_on_one_line(brk: str) -> None:
    """A label holding a carriage return (``BEFORE 'd<CR>one'``) quoted by an error, or any
    other character a reader may end a line at, does not split the printed error or warning
    (the fuzz run of seed 42 found the rest of the message on a line of its own)."""
    error = InputError(f'"d{brk}one" is not an existing enum label', file="0002_values.sql",
                       line=1, text="ALTER TYPE status ADD VALUE 'running' BEFORE 'd")
    assert str(error).splitlines() == [str(error)]
    assert str(error).startswith('0002_values.sql:1: "d one" is not')
    warning = SchemaWarning(f"kept verbatim (x{brk}y)", file="0001_a.sql", line=2, text="DO")
    assert str(warning) == "0001_a.sql:2: warning: kept verbatim (x y): DO"


TRIGGER = "CREATE FUNCTION f1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {} RETURN NEW; END $$"
VOID = "CREATE FUNCTION f1({}) RETURNS void LANGUAGE plpgsql AS $$ BEGIN {} END $$"

#: (statement after SETUP, whether PostgreSQL takes it): $n as an exception condition
CONDITION_CASES: list[tuple[str, bool]] = [
    (TRIGGER.format("RAISE EXCEPTION $1 'plan % is free', NEW.id;"), False),
    (VOID.format("", "PERFORM 1; EXCEPTION WHEN $1 THEN NULL;"), False),
    (VOID.format("", "PERFORM 1; EXCEPTION WHEN $1 OR others THEN NULL;"), False),
    (VOID.format("x int", "PERFORM 1; EXCEPTION WHEN $1 THEN NULL;"), False),
    (TRIGGER.format("RAISE EXCEPTION 'x % y', $1;"), True),
    (VOID.format("x text", "RAISE EXCEPTION '%', $1;"), True),
    (VOID.format("x text", "RAISE EXCEPTION USING MESSAGE = $1;"), True),
    (VOID.format("x text", "RAISE NOTICE 'a % b', $1;"), True),
    (VOID.format("", "RAISE EXCEPTION division_by_zero USING MESSAGE = 'x';"), True),
    ("CREATE FUNCTION f1(text) RETURNS void LANGUAGE plpgsql AS $$ DECLARE m ALIAS FOR $1; "
     "BEGIN RAISE EXCEPTION '%', m; END $$", True),
]


@pytest.mark.parametrize(("statement", "valid"), CONDITION_CASES)
def test_a_parameter_as_an_exception_condition_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)
