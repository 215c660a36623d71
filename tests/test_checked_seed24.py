"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 24 found ``squash`` exiting 0 on while PostgreSQL refuses them: an unreserved
key word as an operand followed by a name, a policy's condition with two names in a row, ``TO``
or a string's label in a call's arguments, ``CASE`` reaching a clause before its ``WHEN``,
``GROUP`` without ``BY``, a label followed by a type's name, ``:= ()``, ``RETURN;`` in a
function of one value, an index ``IF NOT EXISTS`` whose column does not exist, and a DEFAULT
naming a type that does not exist. Each case is asked of a real PostgreSQL in the same test,
beside valid neighbours, and the fold's verdict must agree: refused by both, or taken by
both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
    "CREATE TABLE subscription (id int, tenant_id int)",
    "CREATE TABLE q (queue text, private text)",
]

#: (statement after SETUP, whether PostgreSQL takes it)
CASES: list[tuple[str, bool]] = [
    # an unreserved key word where an operand starts is a column: no name may follow it
    ("SELECT s.id FROM subscription s JOIN t ON subscription t.id = s.tenant_id", False),
    ("SELECT s.id FROM subscription s JOIN t ON t.id = s.tenant_id AND s.id > 0", True),
    ("SELECT 1 FROM subscription WHERE id > 0 AND subscription.id = tenant_id", True),
    # a policy's USING (...) is a condition
    ("CREATE POLICY p1 ON q USING (queue private <> 'hidden')", False),
    ("CREATE POLICY p2 ON q USING (queue <> 'hidden' AND private IS NULL) "
     "WITH CHECK (queue = 'x')", True),
    ("CREATE POLICY p3 ON q AS PERMISSIVE FOR SELECT TO public USING (queue = current_user)",
     True),
    ("CREATE POLICY p4 ON q USING (queue IN (SELECT b FROM t))", True),
    # a call's arguments: no TO after an operand, no label after a string
    ("SELECT b, sum(a TO) AS s FROM t GROUP BY b", False),
    ("SELECT jsonb_build_object('a', a, 'ref' b) FROM t", False),
    ("SELECT interval '1' day to second, CAST('1' AS interval day to second), "
     "extract(day from interval '1 day')", True),
    ("SELECT substring('abc' from 1 for 2), position('a' in 'abc'), trim(both 'x' from 'xax'), "
     "overlay('abc' placing 'x' from 1), normalize('a', nfc)", True),
    ("SELECT convert_from('a'::bytea, 'UTF8'), coalesce('a' COLLATE \"C\", 'b'), "
     "jsonb_build_object('a', a, 'ref', b) FROM t", True),
    # CASE reaches its first WHEN before any clause
    ("UPDATE t SET b = CASE 'updated' WHERE id = 1", False),
    ("UPDATE t SET b = CASE WHEN a = 1 THEN 'x' END WHERE id = 1", True),
    ("SELECT CASE a WHEN 1 THEN 'x' ELSE 'y' END, CASE (SELECT 1) WHEN 1 THEN 2 END, "
     "CASE t.a + (1) WHEN 2 THEN 3 END FROM t", True),
    ("CREATE FUNCTION cf(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN CASE x WHEN 1 THEN "
     "RETURN 1; ELSE RETURN 2; END CASE; END $$", True),
    # a query's GROUP is GROUP BY
    ("SELECT b, count(*) AS n FROM t GROUP b", False),
    ("SELECT b, count(*) AS n FROM t GROUP BY b", True),
    ("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FROM t", True),
    ("CREATE ROLE grp_seed24;\nCREATE ROLE usr_seed24 IN GROUP grp_seed24;\n"
     "ALTER GROUP grp_seed24 ADD USER usr_seed24", True),
    # a select list item's label is one word
    ("SELECT b, sum(a) AS total text FROM t GROUP BY b", False),
    ("SELECT b, sum(a) AS total name FROM t GROUP BY b", False),
    ("SELECT a AS value, b AS name, id AS type FROM t", True),
    ("DO $$ DECLARE r record; v int; BEGIN FOR r IN SELECT a AS x FROM t LOOP END LOOP; "
     "SELECT 1 AS y INTO STRICT v; END $$", True),
    ("SELECT a AS x FROM t WINDOW w AS (ORDER BY a)", True),
    ("UPDATE t SET a = 1 RETURNING a AS x, b AS y", True),
    # parentheses around nothing where an operand must be
    ("DO $$ DECLARE r record; BEGIN r := (); END $$", False),
    ("SELECT 1 WHERE 1 = ()", False),
    ("SELECT count(*) OVER (), ROW(), 1 FROM t", True),
    ("DO $$ DECLARE x int; BEGIN x := (1); END $$", True),
    # RETURN; where the function returns one value
    ("CREATE FUNCTION r1() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN ; END $$", False),
    ("CREATE FUNCTION r2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$", False),
    ("CREATE FUNCTION r3(x int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN IF x > 1 THEN "
     "RETURN 'a'; END IF; RETURN; END $$", False),
    ("CREATE FUNCTION r4() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$",
     True),
    ("CREATE FUNCTION r5() RETURNS void LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$", True),
    ("CREATE FUNCTION r6() RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN NEXT 1; "
     "RETURN; END $$", True),
    ("CREATE FUNCTION r7(OUT a int, OUT b int) RETURNS record LANGUAGE plpgsql AS "
     "$$ BEGIN RETURN; END $$", True),
    ("CREATE FUNCTION r8(INOUT x int) LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$", True),
    ("CREATE FUNCTION r9() RETURNS TABLE (a int) LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$",
     True),
    ("CREATE PROCEDURE r10() LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$", True),
    # an index's columns are analyzed before IF NOT EXISTS finds the name taken
    ("CREATE INDEX ixa ON t (b);\nCREATE INDEX IF NOT EXISTS ixa ON t (nope)", False),
    ("CREATE INDEX ixa ON t (b);\nCREATE INDEX IF NOT EXISTS ixa ON t (a nope_ops)", False),
    ("CREATE INDEX ixa ON t (b);\nCREATE INDEX IF NOT EXISTS ixa ON t (a) WHERE nope > 1",
     False),
    ("CREATE INDEX ixa ON t (b);\nCREATE INDEX IF NOT EXISTS ixa ON t (a)", True),
    ("CREATE INDEX ixa ON t (b);\nCREATE INDEX IF NOT EXISTS ixa ON u (c)", True),
    # a DEFAULT's casts and typed constants name types that exist
    ("ALTER TABLE t ADD COLUMN d text DEFAULT alpha 'x'", False),
    ("ALTER TABLE t ADD COLUMN d text DEFAULT 'x'::alpha", False),
    ("CREATE TABLE dt (a text DEFAULT 'x'::public.alpha)", False),
    ("ALTER TABLE t ALTER COLUMN b SET DEFAULT 'x'::alpha", False),
    ("CREATE EXTENSION IF NOT EXISTS citext;\n"
     "CREATE TABLE dt3 (a citext DEFAULT 'x'::citext, b text DEFAULT citext 'y')", True),
    ("CREATE TABLE dt4 (a timestamptz DEFAULT timestamptz '2020-01-01', b jsonb DEFAULT "
     "'{}'::jsonb, c int[] DEFAULT '{}'::int[], d interval DEFAULT interval '1 day', "
     "e bit(3) DEFAULT B'101', g text DEFAULT 'x'::character varying, h regclass DEFAULT "
     "'t'::regclass, i inet DEFAULT inet '1.2.3.4', l tsvector DEFAULT ''::tsvector)", True),
    ("CREATE TYPE st AS ENUM ('a');\n"
     "CREATE TABLE dt6 (a st DEFAULT 'a'::st, b st DEFAULT st 'a', c st DEFAULT 'a'::public.st)",
     True),
    ("CREATE DOMAIN posint AS int CHECK (VALUE > 0);\n"
     "CREATE TABLE dt7 (a posint DEFAULT 1::posint)", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statement.split(";\n")], valid)
