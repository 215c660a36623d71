"""Objects of kinds the fold does not model (collations, aggregates, operators, text search
configurations, ...) are created by statements kept verbatim, which the consolidation writes
after every object it folds. A later statement naming one (``text COLLATE ci``, a view calling an
aggregate) is kept verbatim after it, in order: created before the collation, the table would
not replay (PostgreSQL 15: ``collation "ci" for encoding "UTF8" does not exist``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import run_cli
from schemafold import fold
from schemafold.model import Table, View
from schemafold.rows import UnmodelledName, unmodelled_created
from schemafold.sources import read_history

# Every kind in one history, each used by a later statement the fold would otherwise fold and
# write before it. ``notes`` and ``plain`` name none of them.
HISTORY = {
    "0001_collation.sql":
        "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);\n"
        "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
        'CREATE TABLE users (id int PRIMARY KEY, email text COLLATE "ci" NOT NULL);\n'
        "CREATE INDEX users_email ON users (email);\n",
    "0002_search.sql":
        "CREATE TEXT SEARCH CONFIGURATION public.my_ts (COPY = pg_catalog.english);\n"
        "CREATE TABLE docs (id int, body text,\n"
        "  tsv tsvector GENERATED ALWAYS AS (to_tsvector('my_ts', body)) STORED);\n"
        "CREATE INDEX docs_fts ON docs USING gin (to_tsvector('public.my_ts'::regconfig, body));\n"
        "ALTER TABLE notes ADD COLUMN title text;\n",
    "0003_aggregate.sql":
        "CREATE FUNCTION add2(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';\n"
        "CREATE AGGREGATE mysum(int) (sfunc = add2, stype = int, initcond = '0');\n"
        "CREATE TABLE plain (id int);\n"
        "CREATE VIEW plain_total AS SELECT public.mysum(id) AS s FROM plain;\n"
        "ALTER COLLATION ci RENAME TO ci_renamed;\n"
        "CREATE DOMAIN handle AS text COLLATE ci_renamed;\n"
        "ALTER TABLE users ADD COLUMN name handle;\n",
    "0004_operators.sql":
        "CREATE OPERATOR === (leftarg = int, rightarg = int, function = int4eq);\n"
        "CREATE VIEW ones AS SELECT id === 1 AS one FROM notes;\n"
        "CREATE OPERATOR CLASS my_int_ops FOR TYPE int4 USING hash\n"
        "  AS OPERATOR 1 =, FUNCTION 1 hashint4(int4);\n"
        "CREATE INDEX plain_hash ON plain USING hash (id my_int_ops);\n"
        "CREATE OR REPLACE LANGUAGE plpgsql;\n"
        "CREATE FUNCTION one() RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN 1; END$$;\n"
        "ALTER TABLE notes DROP COLUMN title;\n",
}


def _history(root: Path) -> Path:
    root.mkdir(parents=True)
    for name, text in HISTORY.items():
        (root / name).write_text(text)
    return root


def test_statements_naming_unmodelled_objects_follow_them_and_replay_equal(
        tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations")
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    (written,) = sorted(out.glob("*.sql"))
    text = written.read_text()
    order = [
        "CREATE COLLATION ci", 'email text COLLATE "ci"', "CREATE INDEX users_email",
        "CREATE TEXT SEARCH CONFIGURATION", "CREATE TABLE docs", "CREATE INDEX docs_fts",
        "CREATE AGGREGATE mysum", "CREATE VIEW plain_total", "ALTER COLLATION ci RENAME",
        "CREATE DOMAIN handle", "ADD COLUMN name handle", "CREATE OPERATOR ===",
        "CREATE VIEW ones", "CREATE OPERATOR CLASS", "CREATE INDEX plain_hash",
    ]
    places = [text.index(part) for part in order]
    assert places == sorted(places), text


def test_what_names_no_unmodelled_object_still_folds(tmp_path: Path) -> None:
    result = fold(read_history(_history(tmp_path / "migrations")))
    objects = result.schema.objects.values()
    tables = {o.name.name for o in objects if isinstance(o, Table)}
    views = {o.name.name for o in objects if isinstance(o, View)}
    # notes and plain are folded (notes' CREATE TABLE took its title column, and the kept view
    # on it keeps the DROP COLUMN after it); the tables, index, domain and views naming a
    # collation, configuration, aggregate or operator are not
    assert tables == {"notes", "plain"}
    assert views == set()
    kept = [k.text for k in result.schema.kept]
    assert any(str(t).startswith("CREATE TABLE users") for t in kept)
    assert any(str(t).startswith("CREATE OR REPLACE LANGUAGE plpgsql") for t in kept)
    assert not any(str(t).startswith("CREATE FUNCTION one") for t in kept)


@pytest.mark.parametrize(("statement", "created"), [
    ("CREATE COLLATION ci (locale = 'C')", [("collation", "ci")]),
    ("CREATE COLLATION IF NOT EXISTS app.\"Ci\" FROM \"C\"", [("collation", "Ci")]),
    ("CREATE OR REPLACE AGGREGATE total(int) (sfunc = int4pl, stype = int)",
     [("aggregate", "total")]),
    ("CREATE OPERATOR app.<~> (leftarg = int, rightarg = int, function = int4eq)",
     [("operator", "<~>")]),
    ("CREATE OPERATOR CLASS ops FOR TYPE int4 USING hash AS OPERATOR 1 =",
     [("operator class", "ops")]),
    ("CREATE OPERATOR FAMILY fam USING btree", [("operator family", "fam")]),
    ("CREATE TEXT SEARCH DICTIONARY dict (TEMPLATE = simple)",
     [("text search dictionary", "dict")]),
    ("CREATE DEFAULT CONVERSION conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8",
     [("conversion", "conv")]),
    ("CREATE SERVER IF NOT EXISTS remote FOREIGN DATA WRAPPER fdw", [("server", "remote")]),
    ("CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler",
     [("access method", "heap2")]),
    ("CREATE TRUSTED LANGUAGE plsample HANDLER plsample_call_handler",
     [("language", "plsample")]),
    ("ALTER AGGREGATE total(int) RENAME TO grand_total", [("aggregate", "grand_total")]),
    ("ALTER TEXT SEARCH CONFIGURATION my_ts RENAME TO ts2",
     [("text search configuration", "ts2")]),
    # what changes no name a later statement could miss
    ("CREATE OR REPLACE LANGUAGE plpgsql", []),
    ("ALTER COLLATION ci REFRESH VERSION", []),
    ("CREATE RULE r AS ON INSERT TO t DO NOTHING", []),
    ("CREATE TABLE t (a int)", []),
])
def test_the_names_unmodelled_statements_give(statement: str,
                                              created: list[tuple[str, str]]) -> None:
    assert [(u.kind, u.name) for u in unmodelled_created(statement)] == created


@pytest.mark.parametrize(("made", "text", "names"), [
    (("collation", "ci"), "CREATE TABLE u (e text COLLATE ci)", True),
    (("collation", "ci"), 'CREATE TABLE u (e text COLLATE public."ci")', True),
    (("collation", "ci"), "CREATE TABLE u (e text COLLATE \"C\")", False),
    (("aggregate", "total"), "CREATE VIEW v AS SELECT total(a) FROM t", True),
    (("text search configuration", "my_ts"),
     "CREATE INDEX i ON t USING gin (to_tsvector('public.my_ts'::regconfig, b))", True),
    (("collation", "ci"), "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS "
                          "$$ SELECT 'a' COLLATE ci $$", True),
    (("operator", "==="), "CREATE VIEW v AS SELECT a === 1 FROM t", True),
    (("operator", "==="), "CREATE VIEW v AS SELECT a = 1 FROM t", False),
    (("operator", "=="), "CREATE VIEW v AS SELECT a === 1 FROM t", False),
])
def test_where_a_later_statement_names_them(made: tuple[str, str], text: str,
                                            names: bool) -> None:
    assert UnmodelledName(*made).mentioned_in(text) is names


def test_a_statement_kept_under_another_search_path_keeps_its_file(tmp_path: Path) -> None:
    """A kept statement is written as it reads, and the consolidation does not run it under the
    path the history set: ``CREATE TABLE t2`` under ``SET search_path TO s1, public`` would
    create ``public.t2`` there (PostgreSQL 15). The history is kept as written from its file;
    under a path that finds the same schemas (``public`` alone), the statement is kept in the
    consolidation."""
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_base.sql").write_text(
        "CREATE SCHEMA s1;\nCREATE COLLATION co1 (locale = 'C');\n"
        "SET search_path TO public;\nCREATE TABLE t1 (id int, c text COLLATE co1);\n")
    (src / "0002_path.sql").write_text(
        "SET search_path TO s1, public;\n"
        "CREATE TABLE t2 (id serial PRIMARY KEY, c text COLLATE co1);\n")
    (src / "0003_after.sql").write_text("CREATE TABLE t3 (id int REFERENCES s1.t2 (id));\n")
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "kept verbatim from 0002_path.sql on" in done.stdout + done.stderr
    files = sorted(p.name for p in out.glob("*.sql"))
    assert "0002_path.sql" in files and "0003_after.sql" in files, files
    assert "CREATE TABLE t1 (id int, c text COLLATE co1)" in "".join(
        p.read_text() for p in out.glob("*.sql") if p.name != "0002_path.sql")
