"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 30 found ``squash`` exiting 0 on while PostgreSQL refuses them: a type whose
modifiers are an empty pair of parentheses (``k varchar();`` in a PL/pgSQL declaration,
``1::numeric()`` in an expression), a view whose column is cut in two by a nested block comment
(``s.ci/* a /* b */*/ty``: sqlglot ends a comment at its first ``*/``, so the view's columns
went unread), a PL/pgSQL loop whose target is one of PL/pgSQL's key words (``FOR return IN``: a
``FOR`` whose target was lost), and a select list, or a ``RETURN``'s value, ended by ``ON``
(``RETURN NEW ON;``), and an ``IF`` closed by ``END ;`` (an ``IF`` lost). Each case is asked of
a real PostgreSQL in the same test, beside valid neighbours, and the fold's verdict must agree:
refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import (
    assert_judged_alike,
    assert_refusal_says_what_postgresql_says,
)
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE shop (code text, city text)",
]

#: (statement after SETUP, whether PostgreSQL takes it)
CASES: list[tuple[str, bool]] = [
    # a type's modifiers are one or more; a key-word type that takes none fails at its (
    ("DO $$ DECLARE k VARCHAR(); BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k numeric() := 1; BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k pg_catalog.varchar(); BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k character varying(); BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k timestamp() with time zone; BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k int(); BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k double precision(); BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k \"varchar\"(); BEGIN NULL; END $$", False),
    ("DO $$ DECLARE k varchar(10); m numeric(5,2); n timestamp(3) with time zone; "
     "o varchar(10)[]; p t.a%TYPE; q double precision := 1; BEGIN NULL; END $$", True),
    ("SELECT 1::varchar()", False),
    ("SELECT 1::pg_catalog.int4()", False),
    ("SELECT 1::int()", False),
    ("SELECT 1::double precision()", False),
    ("SELECT 1::varchar(3), 1::double precision, 1::pg_catalog.int4, now()::timestamp(0), "
     "'a'::text COLLATE \"C\", '{}'::int[]", True),
    # a loop's target is a variable or a word, never a PL/pgSQL key word (unless a variable
    # of that name is in scope) nor a reserved one
    ("DO $$ BEGIN FOR return IN 1..3 LOOP NULL; END LOOP; END $$", False),
    ("DO $$ BEGIN FOR message IN 1..3 LOOP NULL; END LOOP; END $$", False),
    ("DO $$ BEGIN FOR loop IN 1..3 LOOP NULL; END LOOP; END $$", False),
    ("DO $$ DECLARE a int[] := '{1}'; BEGIN FOREACH slice IN ARRAY a LOOP NULL; END LOOP; "
     "END $$", False),
    ("DO $$ BEGIN RAISE NOTICE 'x'; FOR\n  RETURN; END $$", False),
    ("DO $$ DECLARE message int; query record; a int[] := '{1}'; x int; BEGIN "
     "FOR message IN 1..3 LOOP NULL; END LOOP; FOR \"return\" IN 1..2 LOOP NULL; END LOOP; "
     "FOR query IN SELECT 1 LOOP NULL; END LOOP; FOREACH x IN ARRAY a LOOP NULL; END LOOP; "
     "END $$", True),
    ("CREATE FUNCTION f(message int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
     "FOR message IN 1..3 LOOP NULL; END LOOP; RETURN 1; END $$", True),
    # ON ends a select list only before CONFLICT (an INSERT's); a RETURN's value is one
    ("SELECT 1 ON", False),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW ON; END $$",
     False),
    ("DO $$ DECLARE x int; BEGIN x := 1 ON; END $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
     "INSERT INTO t (id) SELECT 7 ON CONFLICT DO NOTHING; RETURN a FROM t LIMIT 1; END $$", True),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN "
     "RETURN CASE WHEN 1 > 0 THEN 'a' ELSE 'b' END || 'x' label; END $$", True),
    ("GRANT SELECT (a, b) ON t TO PUBLIC", True),
    # IF, CASE and LOOP end with END IF, END CASE and END LOOP: an END alone is an error at
    # what follows it
    ("CREATE FUNCTION rf() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF NEW.a <= 0 "
     "THEN\n        RAISE EXCEPTION 'free %', NEW.id;\n    END ;\n    RETURN NEW;\nEND;\n$$",
     False),
    ("DO $$ BEGIN LOOP EXIT; END ; END $$", False),
    ("DO $$ BEGIN CASE 1 WHEN 1 THEN NULL; END ; END $$", False),
    ("DO $$ BEGIN IF true THEN NULL; END x; END $$", False),
    ("DO $$ BEGIN <<l>> LOOP EXIT l; END LOOP l; IF true THEN BEGIN NULL; END; END IF; "
     "CASE 1 WHEN 1 THEN NULL; END CASE; WHILE false LOOP NULL; END LOOP; END $$", True),
    # a call's argument is one expression: a qualified name has no label there either
    ("SELECT lower(t.b x) FROM t", False),
    ("CREATE FUNCTION nf() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE m jsonb; BEGIN "
     "m := jsonb_build_object('entity_id', NEW.id service, 'x', 1); RETURN NEW; END $$", False),
    ("SELECT lower(t.b COLLATE \"C\"), substring(t.b FROM 2 FOR 1), position('a' IN t.b), "
     "array_agg(t.a ORDER BY t.a DESC), string_agg(t.b, ',' ORDER BY t.b), jsonb_agg(t.*), "
     "bool_or(t.a IS NULL), bool_or(t.a NOTNULL), bool_or(t.a BETWEEN 1 AND 2), "
     "bool_or(t.b SIMILAR TO 'x'), bool_or(t.b IS NOT DISTINCT FROM 'x'), "
     "max(t.a) FILTER (WHERE t.a > 1), overlay(t.b PLACING 'x' FROM 1), "
     "trim(BOTH 'x' FROM t.b), normalize(t.b, NFC), pg_catalog.lower(t.b) FROM t GROUP BY t.id",
     True),
    # block comments nest: the comment ends at its second */, and s.ci is read
    ("CREATE VIEW v AS SELECT s.code, s.ci/* a /* b */*/ty, count(*) AS n FROM shop s "
     "GROUP BY s.code", False),
    ("CREATE VIEW v AS SELECT s.code, s.ci/* a /* b */*/ FROM shop s", False),
    ("CREATE VIEW v AS SELECT s.code, s.city/* a /* b */*/ AS ty FROM shop s", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


@pytest.mark.parametrize("statement", ["SELECT 1::varchar()", "SELECT 1::int()", "SELECT 1 ON",
                                       "DO $$ DECLARE k VARCHAR(); BEGIN NULL; END $$"])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [*SETUP, statement])
