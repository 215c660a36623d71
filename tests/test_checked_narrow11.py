"""Statements where folding stopped (the rest of the history kept as written) although a
consolidation PostgreSQL proves equal is possible: each widened case is squashed and verified
EQUAL on a real PostgreSQL (``squash --verify``), with what shows that it now folds; beside it,
the variants where folding must still stop, verified EQUAL too. New refusals are asked of
PostgreSQL and of the fold alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_run import run_cli
from postgresql_verdict import assert_refused_alike
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]


def squashed(tmp_path: Path, files: list[str]) -> tuple[str, str]:
    """``squash --verify`` of a history of ``files`` (their texts, in order): it exits 0
    proving the consolidation EQUAL; the consolidation's files joined, and what squash
    printed."""
    src = tmp_path / "migrations"
    src.mkdir()
    for number, text in enumerate(files, 1):
        (src / f"{number:03d}_m.sql").write_text(text)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"), "--verify", "--no-cache",
                   "-v")
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "schemafold verify: EQUAL" in done.stdout, said
    return "\n".join(p.read_text() for p in sorted((tmp_path / "out").glob("*.sql"))), said


def stops(said: str) -> list[str]:
    return [line for line in said.splitlines() if "warning: folding stops" in line]


# -- 1. a relation renamed whose row type a routine's signature names -------------------------

_ROUTINES = (
    "CREATE TABLE x (id int PRIMARY KEY, name text);\n"
    "CREATE FUNCTION f(x x) RETURNS int LANGUAGE sql AS $$ SELECT x.id $$;\n"
    "CREATE FUNCTION f(r int) RETURNS int LANGUAGE sql AS $$ SELECT r $$;\n"
    "CREATE FUNCTION g(r x[], n int DEFAULT 3) RETURNS SETOF x LANGUAGE sql\n"
    "  AS $$ SELECT * FROM unnest(r) $$;\n"
    "CREATE FUNCTION h(IN r public.x, OUT o x, INOUT q x ARRAY) LANGUAGE sql\n"
    "  AS $$ SELECT r, q $$;\n"
    "CREATE FUNCTION k(VARIADIC r x[]) RETURNS TABLE (x x, n int) LANGUAGE sql\n"
    "  AS $$ SELECT NULL::x, 1 $$;\n"
    "CREATE FUNCTION m(r x DEFAULT NULL::x, s public.x = NULL::public.x) RETURNS int\n"
    "  LANGUAGE sql RETURN r.id;\n"
    "CREATE PROCEDURE p(r x, x int) LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;\n"
    "CREATE ROLE narrow11_r1;\n"
    "GRANT EXECUTE ON FUNCTION g(x[], int) TO narrow11_r1;\n"
    "COMMENT ON FUNCTION f(x) IS 'before';\n"
    "CREATE TABLE t0 (id int);\nCREATE VIEW vx AS SELECT id FROM t0;\n"
    "CREATE FUNCTION fv(r vx) RETURNS int LANGUAGE sql AS $$ SELECT r.id $$;\n"
)


def test_a_relation_renamed_that_routine_parameters_name_is_folded(tmp_path: Path) -> None:
    """``ALTER TABLE x RENAME TO y`` (or a view's) while routines take or return its row type
    (``f(r x)``, ``x[]``, ``public.x``, ``OUT``, ``VARIADIC``, ``RETURNS TABLE (x x)``, a
    default's ``NULL::x``): PostgreSQL follows by OID, and so does the fold, which rewrites the
    routines' signatures (a parameter named ``x`` keeps its name) and finds them by their new
    argument types. Folding stopped at the rename before."""
    out, said = squashed(tmp_path, [
        _ROUTINES,
        "ALTER TABLE x RENAME TO y;\nALTER VIEW vx RENAME TO vy;\n",
        "COMMENT ON FUNCTION f(y) IS 'after';\n"
        "CREATE OR REPLACE FUNCTION f(x y) RETURNS int LANGUAGE sql AS $$ SELECT x.id + 1 $$;\n"
        "ALTER FUNCTION g(public.y[], int) RENAME TO g2;\n"
        "REVOKE EXECUTE ON FUNCTION g2(y[], int) FROM PUBLIC;\n"
        "DROP FUNCTION m(y, y);\nALTER TABLE y RENAME TO w;\n"
        "CREATE TABLE z (id int);\n",
    ])
    assert not stops(said), stops(said)
    assert "RENAME" not in out, out
    assert "FUNCTION k(VARIADIC r w[]) RETURNS TABLE (x w, n int)" in out, out
    assert "FUNCTION fv(r vy)" in out and "OUT o w, INOUT q w ARRAY" in out, out


def test_a_relation_renamed_where_a_signature_may_mean_another_still_stops(
        tmp_path: Path) -> None:
    """Where the rename cannot be followed into a signature for sure, folding still stops at
    it: the relation's name is another schema's relation's too (a bare name may mean either),
    the new name is a built-in type's (``int4``: a bare one would mean pg_catalog's), or the
    signature names a column's type (``x.id%TYPE``) or the name elsewhere (``SET search_path
    = x``)."""
    out, said = squashed(tmp_path, [
        "CREATE SCHEMA app;\nCREATE TABLE app.x1 (id int);\n"
        "CREATE TABLE x1 (id int);\n"
        "CREATE FUNCTION f1(r x1) RETURNS int LANGUAGE sql AS $$ SELECT r.id $$;\n"
        "CREATE TABLE x2 (id int);\n"
        "CREATE FUNCTION f2(r x2) RETURNS int LANGUAGE sql AS $$ SELECT r.id $$;\n"
        "CREATE TABLE x3 (id int);\n"
        "CREATE FUNCTION f3(r x3, i x3.id%TYPE) RETURNS int LANGUAGE sql AS $$ SELECT i $$;\n"
        "CREATE SCHEMA x4;\nCREATE TABLE x4 (id int);\n"
        "CREATE FUNCTION f4(r x4) RETURNS int LANGUAGE sql SET search_path = x4\n"
        "  AS $$ SELECT r.id $$;\n",
        "ALTER TABLE x1 RENAME TO y1;\nALTER TABLE x2 RENAME TO int4;\n"
        "ALTER TABLE x3 RENAME TO y3;\nALTER TABLE x4 RENAME TO y4;\n",
        "CREATE TABLE z (id int);\n",
    ])
    assert len(stops(said)) == 4, stops(said)
    for kept in ("x1 RENAME TO y1", "x2 RENAME TO int4", "x3 RENAME TO y3", "x4 RENAME TO y4"):
        assert kept in out, out


# -- 2. an identity column's sequence options and RESTART -----------------------------------


def test_identity_restart_and_sequence_options_are_folded(tmp_path: Path) -> None:
    """``ALTER COLUMN id RESTART [WITH n]``, ``SET INCREMENT BY``, ``SET START``, ``SET [NO]
    CYCLE`` ... (with ``SET GENERATED`` or not, beside other subcommands) alter the identity's
    sequence as ``ALTER SEQUENCE`` would: the fold applies them to it, and the rows inserted
    after take the values PostgreSQL gives. Folding stopped at them before. ``NO CYCLE`` and
    ``NO MAXVALUE`` after ``CYCLE`` and ``MAXVALUE`` are followed (``ALTER SEQUENCE`` lost
    them)."""
    out, said = squashed(tmp_path, [
        "CREATE TABLE t1 (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a text);\n"
        "INSERT INTO t1 (a) VALUES ('x'), ('y');\n"
        "CREATE TABLE t2 (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a text);\n"
        "INSERT INTO t2 (a) VALUES ('x');\n"
        "CREATE TABLE t3 (id bigint GENERATED BY DEFAULT AS IDENTITY\n"
        "  (MAXVALUE 100 CYCLE CACHE 5) PRIMARY KEY);\n"
        "CREATE SEQUENCE s4 MAXVALUE 100 CYCLE;\n"
        "CREATE TABLE t5 (id int GENERATED BY DEFAULT AS IDENTITY\n"
        "  (SEQUENCE NAME myseq START 5) PRIMARY KEY, a text);\n"
        "ALTER TABLE t5 RENAME TO t6;\nALTER TABLE t6 RENAME COLUMN id TO ident;\n",
        "ALTER TABLE t1 ALTER COLUMN id RESTART WITH 100;\n"
        "ALTER TABLE t2 ADD COLUMN b int, ALTER COLUMN id SET GENERATED BY DEFAULT\n"
        "  RESTART WITH 50 SET INCREMENT BY 2;\n"
        "ALTER TABLE t3 ALTER COLUMN id SET NO CYCLE SET NO MAXVALUE;\n"
        "ALTER TABLE t3 ALTER id SET NO MINVALUE SET CACHE 1;\n"
        "ALTER SEQUENCE s4 NO CYCLE NO MAXVALUE;\n"
        "ALTER TABLE t6 ALTER ident SET START WITH 1000;\n"
        "ALTER TABLE t6 ALTER ident RESTART;\n",
        "INSERT INTO t1 (a) VALUES ('z');\nINSERT INTO t2 (a) VALUES ('z'), ('w');\n"
        "INSERT INTO t2 (id, a) VALUES (7, 'q');\nINSERT INTO t6 (a) VALUES ('z');\n",
    ])
    assert not stops(said), stops(said)
    assert "RESTART" not in out and " CYCLE" not in out.replace("NO CYCLE", ""), out
    assert "(100, 'z')" in out and "(1000, 'z')" in out and "(52, 'w', NULL)" in out, out


def test_identity_restart_behind_a_statement_kept_verbatim_still_stops(
        tmp_path: Path) -> None:
    """A ``RESTART`` of an identity whose sequence a statement kept verbatim changed (a DO
    block's ``setval``), or on a partitioned table (whose identity is its partitions' too from
    PostgreSQL 17 on): folding still stops at it, and the rows inserted after are kept after
    it, in order."""
    out, said = squashed(tmp_path, [
        "CREATE TABLE t1 (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a text);\n"
        "INSERT INTO t1 (a) VALUES ('x');\n"
        "DO $$ BEGIN PERFORM setval('t1_id_seq', 40); END $$;\n"
        "CREATE TABLE p1 (id int GENERATED BY DEFAULT AS IDENTITY, a text)\n"
        "  PARTITION BY RANGE (id);\n"
        "CREATE TABLE p1a PARTITION OF p1 FOR VALUES FROM (1) TO (1000);\n",
        "ALTER TABLE t1 ALTER COLUMN id RESTART WITH 9;\n"
        "ALTER TABLE p1 ALTER COLUMN id RESTART WITH 9;\n",
        "INSERT INTO t1 (a) VALUES ('z');\nINSERT INTO p1 (a) VALUES ('z');\n",
    ])
    assert "t1 ALTER COLUMN id RESTART WITH 9" in out, out
    assert "p1 ALTER COLUMN id RESTART WITH 9" in out, out
    assert any("an identity's sequence options or RESTART" in line for line in stops(said))


@pytest.mark.parametrize(("statements", "fragment"), [
    (["CREATE TABLE i1 (id int GENERATED ALWAYS AS IDENTITY, a int)",
      "ALTER TABLE i1 ALTER COLUMN a RESTART"], "is not an identity column"),
    (["CREATE TABLE i1 (id int GENERATED ALWAYS AS IDENTITY, a int)",
      "ALTER TABLE i1 ALTER COLUMN a SET INCREMENT BY 4"], "is not an identity column"),
    (["CREATE TABLE i1 (id int GENERATED ALWAYS AS IDENTITY, a int)",
      "ALTER TABLE i1 ALTER COLUMN zz RESTART"], 'column "zz"'),
    (["CREATE TABLE i1 (id int GENERATED ALWAYS AS IDENTITY, a int)",
      "ALTER TABLE i1 ALTER COLUMN id SET START 5, ALTER COLUMN id RESTART",
      "ALTER TABLE i1 ALTER id SET GENERATED BY DEFAULT RESTART WITH 7 SET INCREMENT BY 2",
      "ALTER TABLE i1 ALTER id SET NO MINVALUE SET MAXVALUE 90 SET CYCLE SET CACHE 3"], None),
])
def test_identity_options_judged_as_postgresql_judges_them(
        pg_cluster: Cluster, fresh_db: Callable[..., str], statements: list[str],
        fragment: str | None) -> None:
    """The options of a column that is no identity are refused, as PostgreSQL refuses them;
    valid neighbours are taken."""
    assert_refused_alike(pg_cluster, fresh_db(), BASE + statements, fragment)


# -- 3. a domain's default, NOT NULL and CHECK constraints ----------------------------------


def test_a_domain_altered_is_folded(tmp_path: Path) -> None:
    """``ALTER DOMAIN`` ``ADD [CONSTRAINT c] CHECK (...) [NOT VALID]``, ``VALIDATE
    CONSTRAINT``, ``DROP CONSTRAINT [IF EXISTS]``, ``{SET | DROP} DEFAULT`` and ``{SET | DROP}
    NOT NULL`` are folded into the domain (a CHECK PostgreSQL names ``d_check``, ``d_check1``
    ...; one ``NOT VALID`` written after the rows it may not hold for); rows inserted after a
    default is set take it. Folding stopped at each before."""
    out, said = squashed(tmp_path, [
        "CREATE DOMAIN pos AS int CHECK (VALUE > -100);\n"
        "COMMENT ON CONSTRAINT pos_check ON DOMAIN pos IS 'first';\n"
        "CREATE DOMAIN pos2 AS pos;\n"
        "CREATE TABLE t1 (id int, p pos, q pos2);\n"
        "INSERT INTO t1 VALUES (1, -5, 3);\n"
        "CREATE FUNCTION okv(v int) RETURNS boolean LANGUAGE sql IMMUTABLE\n"
        "  AS $$ SELECT v > 0 $$;\n",
        "ALTER DOMAIN pos ADD CHECK (VALUE < 1000);\n"
        "ALTER DOMAIN pos ADD CHECK (VALUE <> 7);\n"
        "ALTER DOMAIN pos DROP CONSTRAINT pos_check;\n"
        "ALTER DOMAIN pos DROP CONSTRAINT IF EXISTS nope;\n"
        "ALTER DOMAIN pos2 ADD CONSTRAINT okc CHECK (okv(VALUE));\n"
        "ALTER DOMAIN pos ADD CONSTRAINT pos_pos CHECK (VALUE > 0) NOT VALID;\n"
        "ALTER DOMAIN pos2 ADD CONSTRAINT small CHECK (VALUE < 10) NOT VALID;\n"
        "ALTER DOMAIN pos2 VALIDATE CONSTRAINT small;\n"
        "ALTER DOMAIN pos2 SET NOT NULL;\nALTER DOMAIN pos SET NOT NULL;\n"
        "ALTER DOMAIN pos DROP NOT NULL;\n"
        "ALTER DOMAIN pos SET DEFAULT 42;\n",
        "INSERT INTO t1 (id, q) VALUES (2, 4);\n"
        "ALTER DOMAIN pos DROP DEFAULT;\nINSERT INTO t1 (id, p, q) VALUES (3, NULL, 5);\n",
    ])
    assert not stops(said), stops(said)
    assert "CONSTRAINT pos_check1 CHECK (VALUE < 1000)" in out, out
    assert "CONSTRAINT pos_check2 CHECK (VALUE <> 7)" in out, out
    assert "ALTER DOMAIN pos ADD CONSTRAINT pos_pos CHECK (VALUE > 0) NOT VALID" in out, out
    assert "(2, 42, 4)" in out and "ALTER DOMAIN pos SET" not in out, out


def test_a_domain_altered_over_rows_kept_verbatim_still_stops(tmp_path: Path) -> None:
    """An ``ALTER DOMAIN`` while a table of the domain has rows kept verbatim (the
    consolidation would run them under the domain as it ends: a CHECK those rows broke before
    an UPDATE mended them), or ``DROP CONSTRAINT`` of a name the model does not have on a
    domain that is NOT NULL (its NOT NULL's name from PostgreSQL 17 on): folding still stops
    at it."""
    out, said = squashed(tmp_path, [
        "CREATE DOMAIN pos AS int;\nCREATE TABLE t1 (id int, p pos);\n"
        "INSERT INTO t1 SELECT 1, -count(*)::int FROM pg_namespace WHERE nspname = 'public';\n"
        "UPDATE t1 SET p = 1;\n"
        "CREATE DOMAIN nn AS int NOT NULL CONSTRAINT c2 CHECK (VALUE > 0);\n",
        "ALTER DOMAIN pos ADD CONSTRAINT c1 CHECK (VALUE > 0);\n"
        "ALTER DOMAIN nn DROP CONSTRAINT IF EXISTS nn_not_null;\n",
        "INSERT INTO t1 VALUES (2, 4);\n",
    ])
    assert "ALTER DOMAIN pos ADD CONSTRAINT c1 CHECK (VALUE > 0);" in out, out
    assert "ALTER DOMAIN nn DROP CONSTRAINT IF EXISTS nn_not_null;" in out, out
    assert len(stops(said)) == 2, stops(said)


@pytest.mark.parametrize(("statements", "fragment"), [
    (["CREATE DOMAIN dd AS int", "ALTER DOMAIN dd DROP CONSTRAINT nope"],
     'constraint "nope" of domain "dd" does not exist'),
    (["CREATE DOMAIN dd AS int", "ALTER DOMAIN dd VALIDATE CONSTRAINT nope"],
     'constraint "nope" of domain "dd" does not exist'),
    (["CREATE DOMAIN dd AS int CONSTRAINT c1 CHECK (VALUE > 0)",
      "ALTER DOMAIN dd ADD CONSTRAINT c1 CHECK (VALUE < 5)"],
     'constraint "c1" for domain "dd" already exists'),
    (["ALTER DOMAIN nodom SET NOT NULL"], 'type "nodom" does not exist'),
    (["CREATE TYPE en AS ENUM ('a')", "ALTER DOMAIN en SET NOT NULL"], "en is not a domain"),
    (["CREATE DOMAIN dd AS int", "ALTER DOMAIN dd DROP CONSTRAINT IF EXISTS nope",
      "ALTER DOMAIN dd ADD CHECK (VALUE > 0) NOT VALID",
      "ALTER DOMAIN dd VALIDATE CONSTRAINT dd_check", "ALTER DOMAIN dd SET DEFAULT 4",
      "ALTER DOMAIN dd DROP DEFAULT", "ALTER DOMAIN dd SET NOT NULL",
      "ALTER DOMAIN dd DROP NOT NULL", "ALTER DOMAIN dd ADD CONSTRAINT \"Odd\" CHECK (VALUE > 1)",
      "ALTER DOMAIN dd DROP CONSTRAINT \"Odd\" RESTRICT"], None),
])
def test_alter_domain_judged_as_postgresql_judges_it(
        pg_cluster: Cluster, fresh_db: Callable[..., str], statements: list[str],
        fragment: str | None) -> None:
    """A constraint that does not exist, one that does, a domain that does not, a type that is
    no domain: refused as PostgreSQL refuses them; valid neighbours are taken."""
    assert_refused_alike(pg_cluster, fresh_db(), BASE + statements, fragment)


@pytest.mark.parametrize("statements", [
    ['CREATE TABLE "X" (id int)',
     'CREATE FUNCTION nf(r "X") RETURNS "X" LANGUAGE sql AS $$ SELECT r $$'],
    ["CREATE TYPE \"Mood\" AS ENUM ('a')",
     'CREATE FUNCTION nf(m "Mood", n public."Mood"[]) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'],
])
def test_a_quoted_type_in_a_signature_is_taken(
        pg_cluster: Cluster, fresh_db: Callable[..., str], statements: list[str]) -> None:
    """A parameter's type written quoted with capitals (``f(r "X")``) was looked up folded
    (``type "x" does not exist``): PostgreSQL takes it, and so does the fold."""
    assert_refused_alike(pg_cluster, fresh_db(), BASE + statements, None)


def test_a_quoted_relation_renamed_follows_into_signatures(tmp_path: Path) -> None:
    """A quoted relation renamed to a name that needs quotes: the routines taking and returning
    its row type name it quoted."""
    out, said = squashed(tmp_path, [
        'CREATE TABLE "X" (id int PRIMARY KEY, name text);\n'
        'CREATE FUNCTION f(r "X") RETURNS "X" LANGUAGE sql AS $$ SELECT r $$;\n',
        'ALTER TABLE "X" RENAME TO "Y y";\n',
        "CREATE TABLE z (id int);\n",
    ])
    assert not stops(said), stops(said)
    assert 'CREATE FUNCTION f(r "Y y") RETURNS "Y y"' in out, out


def test_a_domain_not_null_keeps_its_name_through_a_rename(tmp_path: Path) -> None:
    """PostgreSQL 17 and later name a domain's NOT NULL after the domain's name when it is set
    (``zip5_not_null``) and keep that name through ``RENAME``: the consolidation, which
    creates the domain under its last name, names it so (15 and 16 take the name and keep
    none). Verified EQUAL on whichever major the suite runs."""
    out, said = squashed(tmp_path, [
        "CREATE DOMAIN zip5 AS int;\nALTER DOMAIN zip5 SET NOT NULL;\n"
        "CREATE DOMAIN d2 AS int NOT NULL;\nCREATE DOMAIN d4 AS int NOT NULL;\n",
        "ALTER DOMAIN zip5 RENAME TO zipcode;\nALTER DOMAIN d2 RENAME TO d3;\n"
        "ALTER DOMAIN d4 SET NOT NULL;\nCREATE TABLE tz (z zipcode, d d3, e d4);\n",
    ])
    assert not stops(said), stops(said)
    assert "CREATE DOMAIN zipcode AS int CONSTRAINT zip5_not_null NOT NULL" in out, out
    assert "CREATE DOMAIN d3 AS int CONSTRAINT d2_not_null NOT NULL" in out, out
    assert "CREATE DOMAIN d4 AS int NOT NULL" in out, out
