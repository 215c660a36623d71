"""Statements kept verbatim run after every object the consolidation folds. What such a
statement creates exists only after it, so what names that object is kept after it, in order;
and what the history did to an object's comments, owner and grants before a kept statement that
may change it (rename it, comment on it, change its owner or privileges) is written before it.

Objects of kinds the fold does not model (collations, aggregates, operators, text search
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
from schemafold.names import QName
from schemafold.rows import UnmodelledName, unmodelled_created
from schemafold.sources import read_history

# Every kind in one history, each used by a later statement the fold would otherwise fold and
# write before it. ``notes`` and ``plain`` name none of them.
HISTORY = {
    "0001_collation.sql":
        "CREATE COLLATION ci (provider = libc, locale = 'C');\n"
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


def _squash_equal(src: Path, out: Path, *flags: str) -> str:
    """``squash SRC --out OUT --verify``: exit 0 and proved equal; what it printed."""
    done = run_cli("squash", str(src), "--out", str(out), "--verify", *flags)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    return done.stdout + done.stderr


def _migrations(root: Path, files: dict[str, str]) -> Path:
    """``files`` (name: SQL) written in a new folder ``root``."""
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def _history(root: Path) -> Path:
    return _migrations(root, HISTORY)


def test_statements_naming_unmodelled_objects_follow_them_and_replay_equal(
        tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations")
    out = tmp_path / "out"
    _squash_equal(src, out)
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


# Objects an opaque statement creates that the fold models (a table by CREATE TABLE AS, a
# function by a DO block's EXECUTE), named where PostgreSQL resolves names at creation even under
# the consolidation's check_function_bodies = false: a BEGIN ATOMIC or RETURN body, a view's
# call, a default, a CHECK, an index expression.
MADE_BY_OPAQUE = {
    "0001_base.sql":
        "CREATE TABLE src (a int);\n"
        "CREATE TABLE copied AS SELECT a FROM src;\n"
        "CREATE FUNCTION counted() RETURNS bigint LANGUAGE sql\n"
        "BEGIN\n  ATOMIC SELECT count(a) FROM copied;\nEND;\n"
        "CREATE FUNCTION counted_too() RETURNS bigint LANGUAGE sql\n"
        "  RETURN (SELECT count(*) FROM copied);\n",
    "0002_made.sql":
        "DO $$ BEGIN IF random() >= 0 THEN\n"
        "  EXECUTE 'CREATE FUNCTION made() RETURNS int LANGUAGE sql AS ''SELECT 1''';\n"
        "END IF; END $$;\n"
        "CREATE VIEW uses_made AS SELECT made() AS m;\n"
        "CREATE TABLE with_default (x int DEFAULT made());\n"
        "CREATE TABLE with_check (x int CHECK (x > made()));\n"
        "CREATE INDEX src_made ON src ((a + made()));\n"
        "DO $$ BEGIN IF random() >= 0 THEN EXECUTE 'CREATE SEQUENCE made_seq'; END IF; END $$;\n"
        "CREATE TABLE numbered (id bigint DEFAULT nextval('public.made_seq'::regclass));\n",
    "0003_plain.sql":
        "CREATE FUNCTION quoted() RETURNS bigint LANGUAGE sql\n"
        "  AS $$ SELECT count(*) FROM copied $$;\n"
        "CREATE TABLE unrelated (id int PRIMARY KEY);\n",
}


def test_what_names_an_object_an_opaque_statement_made_follows_it_and_replays_equal(
        tmp_path: Path) -> None:
    src = _migrations(tmp_path / "migrations", MADE_BY_OPAQUE)
    out = tmp_path / "out"
    _squash_equal(src, out)
    result = fold(read_history(src))
    kept = " ".join(str(k.text) for k in result.schema.kept)
    for made in ("FUNCTION counted()", "FUNCTION counted_too()", "VIEW uses_made",
                 "TABLE with_default", "TABLE with_check", "INDEX src_made",
                 "TABLE numbered"):
        assert made in kept
    # a string body is not read at creation, and nothing else names what the opaque made
    assert "FUNCTION quoted()" not in kept and "unrelated" not in kept


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
    # roles a DO block makes, and names inside strings run by EXECUTE
    ("DO $$ BEGIN EXECUTE 'CREATE ROLE app_reader NOLOGIN'; END $$",
     [("role", "app_reader")]),
    ("DO $$ BEGIN EXECUTE 'CREATE USER svc'; EXECUTE 'CREATE COLLATION c2 FROM \"C\"'; END $$",
     [("user", "svc"), ("collation", "c2")]),
    ("DO $$ BEGIN EXECUTE 'CREATE USER MAPPING FOR svc SERVER s'; END $$", []),
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


def test_a_view_reading_a_table_whose_type_an_opaque_statement_changed_follows_it(
        tmp_path: Path) -> None:
    """``ALTER TYPE ... ADD ATTRIBUTE`` is kept verbatim; a view reading the new attribute
    through a table's column of that type must come after it (PostgreSQL 15: ``column "note"
    not found in data type money2``), and so must a function whose SQL-standard body builds
    the type with the attribute."""
    src = _migrations(tmp_path / "migrations", {
        "0001_types.sql":
            "CREATE TYPE money2 AS (amount int, currency text);\n"
            "CREATE TYPE priced AS (m money2);\n"
            "CREATE TABLE prices (id int, p money2);\n"
            "CREATE TABLE offers (id int, o priced);\n"
            "CREATE TABLE untouched (id int);\n",
        "0002_attribute.sql": "ALTER TYPE money2 ADD ATTRIBUTE note text;\n",
        "0003_use.sql":
            "CREATE VIEW notes AS SELECT id, (p).note AS note FROM prices;\n"
            "CREATE VIEW offer_notes AS SELECT id, ((o).m).note AS note FROM offers;\n"
            "CREATE FUNCTION make() RETURNS money2 LANGUAGE sql RETURN ROW(1, 'x', 'n')::money2;\n"
            "CREATE VIEW ids AS SELECT id FROM untouched;\n",
    })
    out = tmp_path / "out"
    _squash_equal(src, out)
    views = {o.name.name for o in fold(read_history(src)).schema.objects.values()
             if isinstance(o, View)}
    assert views == {"ids"}


def test_a_policy_for_a_role_a_do_block_made_follows_it(tmp_path: Path) -> None:
    """Policies are written before the kept statements; one naming a role an opaque ``DO``
    block created must come after it (PostgreSQL 15: ``role "..." does not exist``)."""
    src = _migrations(tmp_path / "migrations", {
        "0001_role.sql":
            "DO $$ BEGIN IF random() >= 0 THEN\n"
            "  EXECUTE 'CREATE ROLE kept_order_reader NOLOGIN';\n"
            "END IF; END $$;\n"
            "CREATE TABLE docs (id int, body text);\n"
            "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n",
        "0002_policy.sql":
            "GRANT SELECT ON docs TO kept_order_reader;\n"
            "CREATE POLICY docs_read ON docs FOR SELECT TO kept_order_reader USING (true);\n"
            "CREATE TABLE other (id int);\n"
            "ALTER TABLE other OWNER TO kept_order_reader;\n",
    })
    out = tmp_path / "out"
    _squash_equal(src, out)
    kept = [str(k.text) for k in fold(read_history(src)).schema.kept]
    assert any(k.startswith("CREATE POLICY docs_read") for k in kept)
    # grants and owners are written after the kept statements: they still fold
    assert not any(k.startswith(("GRANT", "ALTER TABLE other")) for k in kept)


def test_comments_owner_and_grants_made_before_a_kept_statement_are_written_before_it(
        tmp_path: Path) -> None:
    """After an opaque ``ALTER TABLE t REPLICA IDENTITY FULL``, the table's later statements
    are kept; the comment, owner and grant made before it were written after them, so they
    named a table the kept ``RENAME`` had renamed and undid the kept ``COMMENT``, ``OWNER TO``
    and ``REVOKE`` (PostgreSQL 15: ``relation "t" does not exist``)."""
    src = _migrations(tmp_path / "migrations", {
        "0001_table.sql":
            "CREATE ROLE kept_order_owner NOLOGIN;\n"
            "CREATE ROLE kept_order_other NOLOGIN;\n"
            "CREATE TABLE t (id int, note text);\n"
            "COMMENT ON TABLE t IS 'first';\n"
            "COMMENT ON COLUMN t.note IS 'a note';\n"
            "ALTER TABLE t OWNER TO kept_order_owner;\n"
            "GRANT SELECT ON t TO kept_order_other;\n"
            "CREATE INDEX t_id ON t (id);\n"
            "COMMENT ON INDEX t_id IS 'by id';\n"
            "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql\n"
            "  AS $$BEGIN RETURN NEW; END$$;\n"
            "CREATE TRIGGER t_stamp BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION stamp();\n"
            "COMMENT ON TRIGGER t_stamp ON t IS 'stamps';\n",
        "0002_opaque.sql": "ALTER TABLE t REPLICA IDENTITY FULL;\n",
        "0003_later.sql":
            "COMMENT ON TABLE t IS 'second';\n"
            "ALTER TABLE t OWNER TO kept_order_other;\n"
            "REVOKE SELECT ON t FROM kept_order_other;\n"
            "ALTER TABLE t RENAME TO t_renamed;\n"
            "CREATE TABLE unrelated (id int);\n"
            "COMMENT ON TABLE unrelated IS 'u';\n",
    })
    for layout in ((), ("--layout", "by-origin")):
        out = tmp_path / f"out{len(layout)}"
        _squash_equal(src, out, *layout)
    kept = next(k for k in fold(read_history(src)).schema.kept
                if str(k.text).startswith("ALTER TABLE t REPLICA"))
    assert {key.name for key in kept.touches} == {"t"}


def test_what_declares_something_of_a_type_an_opaque_statement_made_follows_it(
        tmp_path: Path) -> None:
    """A domain over, a composite type's attribute of, and a function taking or returning a
    type a ``DO`` block made by ``EXECUTE`` need it when they are created, even under the
    consolidation's ``check_function_bodies = false`` (PostgreSQL 15: ``type "color" does not
    exist``)."""
    src = _migrations(tmp_path / "migrations", {
        "0001_type.sql":
            "DO $$ BEGIN IF random() >= 0 THEN\n"
            "  EXECUTE 'CREATE TYPE color AS ENUM (''red'')';\n"
            "END IF; END $$;\n"
            "CREATE TABLE plain (id int);\n",
        "0002_uses.sql":
            "CREATE DOMAIN paint AS color;\n"
            "CREATE TYPE pair AS (a color, b int);\n"
            "CREATE FUNCTION pick(c color) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
            "CREATE FUNCTION many() RETURNS SETOF color LANGUAGE sql AS 'SELECT ''red''::color';\n"
            "CREATE FUNCTION ids() RETURNS SETOF int LANGUAGE sql AS 'SELECT id FROM plain';\n",
    })
    out = tmp_path / "out"
    _squash_equal(src, out)
    kept = " ".join(str(k.text) for k in fold(read_history(src)).schema.kept)
    for made in ("DOMAIN paint", "TYPE pair", "FUNCTION pick", "FUNCTION many"):
        assert made in kept
    assert "FUNCTION ids" not in kept


def test_a_function_over_a_followed_type_an_opaque_statement_altered_still_folds(
        tmp_path: Path) -> None:
    """A routine needs its argument and result types to exist, not to be as the history left
    them: a type the fold follows exists before every kept statement, so a function taking it
    (and returning a table's rows) is not held back by a kept ``ALTER TYPE ... ALTER
    ATTRIBUTE`` on it; holding it back made its result table a barrier, and every later
    statement on that table with it."""
    src = _migrations(tmp_path / "migrations", {
        "0001_types.sql":
            "CREATE TYPE spec AS (name text, tries int);\n"
            "CREATE TABLE jobs (id int, name text);\n",
        "0002_alter.sql": "ALTER TYPE spec ALTER ATTRIBUTE tries TYPE smallint;\n",
        "0003_function.sql":
            "CREATE FUNCTION add_jobs(specs spec[]) RETURNS SETOF jobs LANGUAGE sql\n"
            "  AS $$ SELECT 1, s.name FROM unnest(specs) s $$;\n"
            "CREATE DOMAIN spec_list AS spec[];\n"
            "ALTER TABLE jobs ADD COLUMN note text;\n",
    })
    out = tmp_path / "out"
    _squash_equal(src, out)
    kept = [str(k.text) for k in fold(read_history(src)).schema.kept]
    assert kept == ["ALTER TYPE spec ALTER ATTRIBUTE tries TYPE smallint"]


def test_a_statement_kept_under_another_search_path_keeps_its_file(tmp_path: Path) -> None:
    """A kept statement is written as it reads, and the consolidation does not run it under the
    path the history set: ``CREATE TABLE t2`` under ``SET search_path TO s1, public`` would
    create ``public.t2`` there (PostgreSQL 15). The history is kept as written from its file;
    under a path that finds the same schemas (``public`` alone), the statement is kept in the
    consolidation."""
    src = _migrations(tmp_path / "migrations", {
        "0001_base.sql":
            "CREATE SCHEMA s1;\nCREATE COLLATION co1 (locale = 'C');\n"
            "SET search_path TO public;\nCREATE TABLE t1 (id int, c text COLLATE co1);\n",
        "0002_path.sql":
            "SET search_path TO s1, public;\n"
            "CREATE TABLE t2 (id serial PRIMARY KEY, c text COLLATE co1);\n",
        "0003_after.sql": "CREATE TABLE t3 (id int REFERENCES s1.t2 (id));\n",
    })
    out = tmp_path / "out"
    said = _squash_equal(src, out)
    assert "kept verbatim from 0002_path.sql on" in said
    files = sorted(p.name for p in out.glob("*.sql"))
    assert "0002_path.sql" in files and "0003_after.sql" in files, files
    assert "CREATE TABLE t1 (id int, c text COLLATE co1)" in "".join(
        p.read_text() for p in out.glob("*.sql") if p.name != "0002_path.sql")


def test_a_statement_half_folded_before_it_meets_a_barrier_keeps_its_file(
        tmp_path: Path) -> None:
    """``ALTER TABLE t3 ADD COLUMN c6 int, ADD CONSTRAINT ... REFERENCES t1``, with t1 kept after
    the collation it uses: the ADD COLUMN was folded, then the statement was kept whole, so the
    consolidation added c6 twice (PostgreSQL 15: column "c6" of relation "t3" already exists;
    found by the property run drawing collations). The history is kept as written from its
    file."""
    src = _migrations(tmp_path / "migrations", {
        "0001_base.sql":
            "CREATE COLLATION co1 (locale = 'C');\n"
            "CREATE TABLE t1 (id serial PRIMARY KEY, c1 text COLLATE co1);\n"
            "CREATE TABLE t3 (id serial PRIMARY KEY);\n",
        "0002_both.sql":
            "ALTER TABLE t3 ADD COLUMN c6 int,\n"
            "  ADD CONSTRAINT k1 FOREIGN KEY (c6) REFERENCES t1 (id) DEFERRABLE INITIALLY"
            " DEFERRED;\n"
            "CREATE TABLE t4 (id int);\n",
    })
    out = tmp_path / "out"
    said = _squash_equal(src, out)
    assert "1 file kept verbatim from 0002_both.sql on" in said


def test_an_identity_a_kept_statement_made_is_brought_level_after_the_kept_rows(
        tmp_path: Path) -> None:
    """``ADD GENERATED ... AS IDENTITY`` kept verbatim (its table uses a collation), then a kept
    ``INSERT`` of an explicit value: the identity's sequence, which the model does not hold,
    was left behind its column in the consolidation, which the equality contract forbids
    (found by the property run drawing collations). It is brought level after the kept
    statements; the history's own position is reported, not a difference."""
    src = _migrations(tmp_path / "migrations", {
        "0001_base.sql":
            "CREATE COLLATION co1 (locale = 'C');\n"
            "CREATE TABLE t1 (id serial PRIMARY KEY, c1 text COLLATE co1 DEFAULT '', c2 int);\n",
        "0002_identity.sql":
            "ALTER TABLE t1 ALTER COLUMN c1 DROP DEFAULT;\n"
            "ALTER TABLE t1 ALTER COLUMN c2 SET NOT NULL,\n"
            "  ALTER COLUMN c2 ADD GENERATED BY DEFAULT AS IDENTITY;\n"
            "INSERT INTO t1 (c2) VALUES (1);\n",
    })
    out = tmp_path / "out"
    said = _squash_equal(src, out)
    assert "sequence public.t1_c2_seq would next give 1 on the left and 2 on the right" \
        in said
    schema = fold(read_history(src)).schema
    assert (QName(None, "t1"), "c2") in schema.kept_identities


def test_a_sequence_a_kept_statement_gives_a_column_is_brought_level(tmp_path: Path) -> None:
    """``ALTER SEQUENCE sq1 OWNED BY t1.c1`` kept verbatim (t1 has an index using an operator a
    kept statement made), with c1 already holding 1: the sequence was behind its column in the
    consolidation (found by the 1,000-example property run)."""
    src = _migrations(tmp_path / "migrations", {
        "0001_base.sql":
            "CREATE OPERATOR =##= (leftarg = int, rightarg = int, function = int4eq);\n"
            "CREATE TABLE t1 (id serial PRIMARY KEY, c1 int DEFAULT 0);\n"
            "INSERT INTO t1 (c1) VALUES (1);\n"
            "CREATE SEQUENCE sq1;\n",
        "0002_owned.sql":
            "CREATE INDEX idx1 ON t1 (id) WHERE id =##= id;\n"
            "ALTER SEQUENCE sq1 OWNED BY t1.c1;\n",
    })
    out = tmp_path / "out"
    _squash_equal(src, out)
    assert (QName(None, "t1"), "c1") in fold(read_history(src)).schema.kept_identities


def test_checks_a_commit_ran_in_the_history_run_before_a_later_file_s_kept_statements(
        tmp_path: Path) -> None:
    """Rows kept verbatim leave the checks of an ``INITIALLY DEFERRED`` foreign key pending;
    the history's commit ran them before its next file, but the consolidation runs both files'
    kept statements in one transaction, where PostgreSQL refuses the next ``ALTER TABLE``
    (``cannot ALTER TABLE "t1" because it has pending trigger events``). A later file's rows
    still rely on the deferral (a child inserted before its parent)."""
    src = _migrations(tmp_path / "migrations", {
        # the operator is not modelled: the index naming it, and what follows on t1, is kept
        "0001_a.sql": "CREATE OPERATOR =#= (leftarg = int, rightarg = int, function = int4eq);\n"
                      "CREATE TABLE t1 (id int PRIMARY KEY, c1 text);\n"
                      "CREATE INDEX idx1 ON t1 (id) WHERE id =#= id;\n"
                      "ALTER TABLE t1 ADD COLUMN parent int, ADD CONSTRAINT k1 FOREIGN KEY"
                      " (parent) REFERENCES t1 (id) DEFERRABLE INITIALLY DEFERRED;\n"
                      "INSERT INTO t1 (id, parent) VALUES (2, 1), (1, NULL);\n",
        "0002_b.sql": "ALTER TABLE t1 ALTER COLUMN c1 SET DEFAULT 'x';\n",
        "0003_c.sql": "INSERT INTO t1 (id, parent) VALUES (4, 3), (3, NULL);\n"
                      # deferred for this transaction only: the kept row needs it
                      "CREATE TABLE t2 (id int PRIMARY KEY, t1_id int REFERENCES t1 (id)"
                      " DEFERRABLE);\n"
                      "SET CONSTRAINTS ALL DEFERRED;\n"
                      "INSERT INTO t2 VALUES (1, 6);\n"
                      "INSERT INTO t1 (id) VALUES (6);\n",
        "0004_d.sql": "ALTER TABLE t1 ADD COLUMN note text;\n"
                      "ALTER TABLE t2 ADD COLUMN note text;\n",
    })
    _squash_equal(src, tmp_path / "out")
    (written,) = sorted((tmp_path / "out").glob("*.sql"))
    text = written.read_text()
    assert text.count("SET CONSTRAINTS ALL IMMEDIATE;") == 2
    assert "SET CONSTRAINTS ALL DEFERRED;" in text


def test_no_check_is_run_early_where_none_can_be_deferred(tmp_path: Path) -> None:
    src = _migrations(tmp_path / "migrations", {
        "0001_a.sql": "CREATE OPERATOR =#= (leftarg = int, rightarg = int, function = int4eq);\n"
                      "CREATE TABLE t1 (id int PRIMARY KEY, c1 text);\n"
                      "CREATE INDEX idx1 ON t1 (id) WHERE id =#= id;\n"
                      "INSERT INTO t1 (id) VALUES (1);\n",
        "0002_b.sql": "ALTER TABLE t1 ALTER COLUMN c1 SET DEFAULT 'x';\n",
    })
    _squash_equal(src, tmp_path / "out")
    (written,) = sorted((tmp_path / "out").glob("*.sql"))
    assert "SET CONSTRAINTS" not in written.read_text()


def test_set_constraints_all_is_kept_under_any_search_path(tmp_path: Path) -> None:
    """``SET CONSTRAINTS ALL`` names no constraint, so keeping it (statements are being kept)
    under another ``search_path`` does not keep the history as written from its file."""
    src = _migrations(tmp_path / "migrations", {
        "0001_a.sql": "CREATE SCHEMA s1;\n"
                      "CREATE OPERATOR === (leftarg = int, rightarg = int, function = int4eq);\n"
                      "CREATE TABLE t1 (id int PRIMARY KEY);\n"
                      "CREATE INDEX t1_eq ON t1 (id) WHERE id === id;\n",
        "0002_b.sql": "SET search_path TO s1, public;\n"
                      "CREATE TABLE s1.x (id int);\n"
                      "SET CONSTRAINTS ALL IMMEDIATE;\n",
    })
    said = _squash_equal(src, tmp_path / "out")
    assert "kept verbatim from" not in said
    assert [p.name for p in sorted((tmp_path / "out").glob("*.sql"))] == ["0001_schema.sql"]


_TRIGGERED = (
    "CREATE TABLE t (id int PRIMARY KEY, a int);\n"
    "CREATE TABLE audit (id int, note text);\n"
    "CREATE FUNCTION log_row() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN INSERT INTO audit VALUES (NEW.id, 'first'); RETURN NEW; END $$;\n"
    "CREATE TRIGGER t_log BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION log_row();\n"
    "INSERT INTO t VALUES (1, 2);\n")


@pytest.mark.parametrize(("later", "kept_from"), [
    # the relation the trigger's function writes is gone at the end: the kept INSERT would
    # fail there (PostgreSQL 15: relation "audit" does not exist)
    ("DROP TABLE audit CASCADE;\n", "0002_later.sql"),
    # the function is replaced: at the end the new body would run on the kept INSERT
    ("CREATE TABLE other (id int);\n"
     "CREATE OR REPLACE FUNCTION log_row() RETURNS trigger LANGUAGE plpgsql AS $$\n"
     "BEGIN INSERT INTO other VALUES (NEW.id); RETURN NEW; END $$;\n", "0002_later.sql"),
    # neither changes: everything folds into one file
    ("CREATE TABLE other (id int);\n", None),
])
def test_a_statement_a_trigger_fires_on_needs_its_function_as_it_was(
        tmp_path: Path, later: str, kept_from: str | None) -> None:
    """An INSERT a trigger fires on is kept to run after every object, where the triggers of
    the end fire on it: what the trigger's function does then must be what it did in the
    history. A later change to the function, or to a relation it names, keeps the history
    as written from that change's file."""
    src = _migrations(tmp_path / "migrations", {"0001_base.sql": _TRIGGERED,
                                                "0002_later.sql": later})
    said = _squash_equal(src, tmp_path / "out")
    if kept_from is None:
        assert "kept verbatim from" not in said
    else:
        assert f"1 file kept verbatim from {kept_from} on" in said
