"""Bad input: histories PostgreSQL itself refuses. ``schemafold squash`` exits 2 with one line on
stderr naming the file and line (no traceback, no output folder); the API raises ``InputError``
with the file, line and statement; and a real server refuses the same statement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_run import run_cli
from schemafold import fold, fold_sql
from schemafold.errors import InputError
from schemafold.names import QName
from schemafold.parse.splitter import split_sql
from schemafold.sources import read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import ReplayError, ReplayFile, replay

BASE = "CREATE TABLE item (id INT PRIMARY KEY, name TEXT);\nCREATE TYPE mood AS ENUM ('sad');\n"

#: name -> (the second migration, the line of the statement that is refused, words of the error)
CASES: dict[str, tuple[str, int, str]] = {
    "alter-missing-table": (
        "ALTER TABLE item ADD COLUMN note TEXT;\nALTER TABLE nothing ADD COLUMN a INT;\n",
        2, 'table "nothing" does not exist'),
    "drop-missing-table": (
        "-- a comment first\nDROP TABLE IF EXISTS gone;\nDROP TABLE gone;\n",
        3, 'table "gone" does not exist'),
    "drop-missing-index": (
        "DROP INDEX item_nothing_idx;\n", 1, 'index "item_nothing_idx" does not exist'),
    "drop-missing-column": (
        "ALTER TABLE item DROP COLUMN IF EXISTS nope;\nALTER TABLE item DROP COLUMN nope;\n",
        2, 'column "nope" of relation "item" does not exist'),
    "rename-missing-column": (
        "ALTER TABLE item RENAME COLUMN nope TO yes;\n", 1, 'column "nope" does not exist'),
    "alter-missing-type": (
        "ALTER TYPE nothing ADD VALUE 'x';\n", 1, 'type "nothing" does not exist'),
    "duplicate-column-added": (
        "ALTER TABLE item ADD COLUMN name TEXT;\n", 1,
        'column "name" of relation "item" already exists'),
    "duplicate-column-declared": (
        "CREATE TABLE pair (\n    a INT,\n    b INT,\n    a TEXT\n);\n", 1,
        'column "a" specified more than once'),
    # INHERITS merges a declared column with the inherited one only when the types (and type
    # modifiers) match, as PostgreSQL 15 and 18 do (NOTICE "moving and merging column")
    "inherits-declared-type-conflict": (
        "CREATE TABLE base (x INT);\nCREATE TABLE sub (x BIGINT) INHERITS (base);\n",
        2, 'column "x" has a type conflict'),
    "inherits-declared-typmod-conflict": (
        "CREATE TABLE base (v VARCHAR(10));\n"
        "CREATE TABLE sub (v CHARACTER VARYING(20)) INHERITS (base);\n",
        2, 'column "v" has a type conflict'),
    "inherits-parents-type-conflict": (
        "CREATE TABLE one (x INT);\nCREATE TABLE two (x TEXT);\n"
        "CREATE TABLE sub () INHERITS (one, two);\n",
        3, 'inherited column "x" has a type conflict'),
    "inherits-declared-collation-conflict": (
        "CREATE TABLE base (v TEXT);\nCREATE TABLE sub (v TEXT COLLATE \"C\") INHERITS (base);\n",
        2, 'column "v" has a collation conflict'),
    "inherits-added-column-type-conflict": (
        "CREATE TABLE base (a INT);\nCREATE TABLE sub (x INT) INHERITS (base);\n"
        "ALTER TABLE base ADD COLUMN x TEXT;\n",
        3, 'child table "sub" has different type for column "x"'),
    "inherits-drop-merged-column": (
        "CREATE TABLE base (x INT);\nCREATE TABLE sub (x INT, y INT) INHERITS (base);\n"
        "ALTER TABLE sub DROP COLUMN IF EXISTS x;\n",
        3, 'cannot drop inherited column "x"'),
    "inherits-rename-inherited-column": (
        "CREATE TABLE base (x INT);\nCREATE TABLE sub (y INT) INHERITS (base);\n"
        "ALTER TABLE sub RENAME COLUMN x TO z;\n",
        3, 'cannot rename inherited column "x"'),
    # ALTER TABLE c INHERIT p: c must already have what p gives (15 and 18.6)
    "inherit-missing-column": (
        "CREATE TABLE base (a INT, b TEXT);\nCREATE TABLE sub (a INT);\n"
        "ALTER TABLE sub INHERIT base;\n",
        3, 'child table is missing column "b"'),
    "inherit-typmod-differs": (
        "CREATE TABLE base (v VARCHAR(10));\nCREATE TABLE sub (v VARCHAR(20));\n"
        "ALTER TABLE sub INHERIT base;\n",
        3, 'child table "sub" has different type for column "v"'),
    "inherit-collation-differs": (
        "CREATE TABLE base (v TEXT);\nCREATE TABLE sub (v TEXT COLLATE \"C\");\n"
        "ALTER TABLE sub INHERIT base;\n",
        3, 'child table "sub" has different collation for column "v"'),
    "inherit-not-null-missing": (
        "CREATE TABLE base (id INT PRIMARY KEY);\nCREATE TABLE sub (id INT);\n"
        "ALTER TABLE sub INHERIT base;\n",
        3, 'column "id" in child table must be marked NOT NULL'),
    "inherit-check-missing": (
        "CREATE TABLE base (a INT CONSTRAINT positive CHECK (a > 0));\n"
        "CREATE TABLE sub (a INT);\nALTER TABLE sub INHERIT base;\n",
        3, 'child table is missing constraint "positive"'),
    "inherit-check-no-inherit": (
        "CREATE TABLE base (a INT CONSTRAINT positive CHECK (a > 0));\n"
        "CREATE TABLE sub (a INT CONSTRAINT positive CHECK (a > 0) NO INHERIT);\n"
        "ALTER TABLE sub INHERIT base;\n",
        3, 'constraint "positive" conflicts with non-inherited constraint on child table'),
    "inherit-twice": (
        "CREATE TABLE base (a INT);\nCREATE TABLE sub (a INT);\n"
        "ALTER TABLE sub INHERIT base;\nALTER TABLE sub INHERIT base;\n",
        4, 'relation "base" would be inherited from more than once'),
    "inherit-circular": (
        "CREATE TABLE base (a INT);\nCREATE TABLE sub () INHERITS (base);\n"
        "ALTER TABLE base INHERIT sub;\n",
        3, "circular inheritance not allowed"),
    "inherit-partitioned-parent": (
        "CREATE TABLE base (a INT) PARTITION BY LIST (a);\nCREATE TABLE sub (a INT);\n"
        "ALTER TABLE sub INHERIT base;\n",
        3, 'cannot inherit from partitioned table "base"'),
    "no-inherit-not-a-parent": (
        "CREATE TABLE base (a INT);\nCREATE TABLE sub (a INT);\n"
        "ALTER TABLE sub NO INHERIT base;\n",
        3, 'relation "base" is not a parent of relation "sub"'),
    "inherit-then-alter-column-type": (
        "CREATE TABLE base (a INT);\nCREATE TABLE sub (a INT);\nALTER TABLE sub INHERIT base;\n"
        "ALTER TABLE sub ALTER COLUMN a TYPE BIGINT;\n",
        4, 'cannot alter inherited column "a"'),
    "inherit-then-drop-check": (
        "CREATE TABLE base (a INT CONSTRAINT k CHECK (a > 0));\n"
        "CREATE TABLE sub (a INT CONSTRAINT k CHECK (a > 0));\nALTER TABLE sub INHERIT base;\n"
        "ALTER TABLE sub DROP CONSTRAINT k;\n",
        4, 'cannot drop inherited constraint "k" of relation "sub"'),
    "inherits-rename-check": (
        "CREATE TABLE base (a INT CONSTRAINT k CHECK (a > 0));\n"
        "CREATE TABLE sub () INHERITS (base);\nALTER TABLE sub RENAME CONSTRAINT k TO k2;\n",
        3, 'cannot rename inherited constraint "k"'),
    "drop-inheritance-parent": (
        "CREATE TABLE base (a INT);\nCREATE TABLE sub (a INT);\nALTER TABLE sub INHERIT base;\n"
        "DROP TABLE base;\n",
        4, "cannot drop table base because other objects depend on it"),
    "enum-value-used-in-its-transaction": (
        "ALTER TYPE mood ADD VALUE 'happy';\nALTER TABLE item ADD COLUMN mood mood;\n"
        "ALTER TABLE item ALTER COLUMN mood SET DEFAULT 'happy';\n",
        3, 'unsafe use of new value "happy" of enum type mood'),
    # a LANGUAGE sql body's INSERT, UPDATE and DELETE are analyzed when the routine is created,
    # every statement of it up front
    "sql-body-delete-missing-column": (
        "CREATE TABLE invoice (id INT, stamped DATE, net NUMERIC);\n"
        "CREATE PROCEDURE archive(before DATE) LANGUAGE sql AS $$ DELETE FROM invoice "
        "WHERE stam$ped < before $$;\n",
        2, 'column "stam$ped" does not exist'),
    "sql-body-insert-missing-target-column": (
        "-- items by name\nCREATE FUNCTION add_item(n TEXT) RETURNS INT LANGUAGE sql AS $$ "
        "INSERT INTO item (id, title) VALUES (1, n) RETURNING id $$;\n",
        2, 'column "title" of relation "item" does not exist'),
    "sql-body-update-missing-set-column": (
        "CREATE PROCEDURE rename_item(i INT, n TEXT) LANGUAGE sql AS $$ UPDATE item SET name = n "
        "WHERE id = i; UPDATE item SET title = n WHERE id = i $$;\n",
        1, 'column "title" of relation "item" does not exist'),
    "sql-body-reads-what-it-creates": (
        "CREATE TABLE note (id INT);\n\nCREATE PROCEDURE setup() LANGUAGE sql AS $$ CREATE TABLE "
        "audit (at TIMESTAMPTZ); INSERT INTO audit (at) VALUES (now()) $$;\n",
        3, 'relation "audit" does not exist'),
    "sql-body-atomic-missing-column": (
        "SET check_function_bodies = false;\nCREATE PROCEDURE touch(i INT) LANGUAGE sql BEGIN "
        "ATOMIC UPDATE item SET name = 'x' WHERE id = i; DELETE FROM item WHERE nme = ''; END;\n",
        2, 'column "nme" does not exist'),
}


def _write(tmp_path: Path, second: str) -> Path:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_base.sql").write_text(BASE)
    (src / "0002_change.sql").write_text(second)
    return src


@pytest.mark.parametrize("name", sorted(CASES))
def test_api_raises_input_error_naming_file_and_line(name: str, tmp_path: Path) -> None:
    second, line, words = CASES[name]
    src = _write(tmp_path, second)
    with pytest.raises(InputError) as raised:
        fold(src)
    error = raised.value
    assert (error.file, error.line) == ("0002_change.sql", line)
    assert words in error.message
    statement = split_sql(second, "0002_change.sql").statements
    assert error.text in [s.text for s in statement]
    assert error.text is not None and str(line) in str(error)


@pytest.mark.parametrize("name", sorted(CASES))
def test_squash_exits_2_with_one_line(name: str, tmp_path: Path) -> None:
    second, line, words = CASES[name]
    src = _write(tmp_path, second)
    out = tmp_path / "out"
    run = run_cli("squash", str(src), "--out", str(out), cwd=tmp_path, env=dict(os.environ),
                  timeout=120)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"schemafold: error: 0002_change.sql:{line}: ")
    assert words in lines[0]
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_postgresql_refuses_the_same_statement(name: str, tmp_path: Path,
                                               pg_cluster: Cluster) -> None:
    """The fold's errors are PostgreSQL's: replaying the history fails at the same line."""
    second, line, _ = CASES[name]
    src = _write(tmp_path, second)
    db = f"bad_{name.replace('-', '_')}"
    dsn = pg_cluster.create_database(db)
    try:
        files = [ReplayFile(m.path, m.text, statements=tuple(
            s.text for s in split_sql(m.text, m.path).statements))
            for m in read_history(src).migrations]
        with pytest.raises(ReplayError) as raised:
            replay(dsn, files)
        assert (raised.value.file, raised.value.line) == ("0002_change.sql", line)
    finally:
        pg_cluster.drop_database(db)


#: name -> (the history's files, the file and line refused, words of the error)
TRANSACTION_CASES: dict[str, tuple[dict[str, str], tuple[str, int], str]] = {
    "transaction-left-open": (
        {"0001_a.sql": "CREATE TABLE a (id INT);\n",
         "0002_b.sql": "-- no-transaction\nBEGIN;\nCREATE TABLE b (id INT);\n",
         "0003_c.sql": "CREATE TABLE c (id INT);\n"},
        ("0002_b.sql", 2), "leaves this transaction open"),
    "savepoint-outside-a-transaction": (
        {"0001_a.sql": "-- no-transaction\nCREATE TABLE a (id INT);\nSAVEPOINT s;\n"},
        ("0001_a.sql", 3), "SAVEPOINT can only be used in transaction blocks"),
}


@pytest.mark.parametrize("name", sorted(TRANSACTION_CASES))
def test_transaction_misuse_is_an_error(name: str, tmp_path: Path) -> None:
    files, where, words = TRANSACTION_CASES[name]
    src = tmp_path / "m"
    src.mkdir()
    for file, text in files.items():
        (src / file).write_text(text)
    with pytest.raises(InputError) as raised:
        fold(src)
    assert (raised.value.file, raised.value.line) == where
    assert words in raised.value.message


def test_enum_value_is_usable_in_the_next_file(tmp_path: Path) -> None:
    """The same statements split over two migrations are fine: the value was committed."""
    src = tmp_path / "m"
    src.mkdir()
    (src / "0001_a.sql").write_text(BASE + "ALTER TYPE mood ADD VALUE 'happy';\n")
    (src / "0002_b.sql").write_text("ALTER TABLE item ADD COLUMN mood mood DEFAULT 'happy';\n")
    (src / "0003_c.sql").write_text("SELECT 1;\n")
    result = fold(src)
    assert result.schema.objects[("type", "public", "mood")].labels == (  # type: ignore[union-attr]
        "sad", "happy")


@pytest.mark.parametrize("sql", [
    'CREATE DOMAIN d AS text COLLATE "C"; CREATE TABLE p (v d);'
    ' CREATE TABLE c (v d COLLATE "C") INHERITS (p);',
    "CREATE TABLE p (x int); CREATE TABLE c (x int GENERATED ALWAYS AS IDENTITY) INHERITS (p);",
    "CREATE TABLE p (x int); CREATE TABLE c (x serial) INHERITS (p);",
    "CREATE TABLE p (x int DEFAULT 1); CREATE TABLE q (x int DEFAULT 2);"
    " CREATE TABLE c (x int DEFAULT 3) INHERITS (p, q);",
    "CREATE TYPE mytype AS ENUM ('a'); CREATE TABLE p (x mytype);"
    " CREATE TABLE c (x public.mytype) INHERITS (p);",
])
def test_inherits_merge_the_fold_cannot_follow_is_a_fold_limit(sql: str) -> None:
    """A merge of a declared column (or of two parents' columns) the fold does not model:
    PostgreSQL 15 accepts each of these (the types alike), so the history is kept as written
    from there on, never refused."""
    from schemafold import fold_sql
    from schemafold.errors import FoldLimit

    with pytest.raises(FoldLimit, match="INHERITS merges"):
        fold_sql(sql)


@pytest.mark.parametrize("sql", [
    # PostgreSQL appends the parent's new column after the child's own "x"
    "CREATE TABLE p (a int); CREATE TABLE c (x int) INHERITS (p); ALTER TABLE p ADD COLUMN y int;",
    # c's own "x" outlives p's DROP COLUMN, before the inherited "v"
    "CREATE TABLE p (x int, v int); CREATE TABLE c (x int) INHERITS (p);"
    " ALTER TABLE p DROP COLUMN x;",
    # 18 makes c's "x" NOT NULL, 15 does not
    "CREATE TABLE p (a int); CREATE TABLE c (x int) INHERITS (p);"
    " ALTER TABLE p ADD COLUMN x int NOT NULL DEFAULT 1;",
])
def test_inheritance_child_out_of_inherits_order_is_a_fold_limit(sql: str) -> None:
    """A child whose columns CREATE TABLE ... INHERITS cannot write in their order (or whose
    merge differs between majors) keeps the history as written from there on."""
    from schemafold import fold_sql
    from schemafold.errors import FoldLimit

    with pytest.raises(FoldLimit):
        fold_sql(sql)


@pytest.mark.parametrize("sql", [
    # PostgreSQL compares the parsed CHECKs; the fold compares text and does not guess
    "CREATE TABLE p (a int CONSTRAINT k CHECK (a > 0)); CREATE TABLE c (a int CONSTRAINT k"
    " CHECK (0 < a)); ALTER TABLE c INHERIT p;",
    "CREATE TABLE p (a int GENERATED ALWAYS AS IDENTITY); CREATE TABLE c (a int NOT NULL);"
    " ALTER TABLE c INHERIT p;",
    # c's columns are not in INHERITS order and p's CHECK is only inherited by c
    "CREATE TABLE p (a int); CREATE TABLE c (b int, a int); ALTER TABLE c INHERIT p;"
    " ALTER TABLE p ADD CONSTRAINT k CHECK (a > 0);",
    # 15 drops c's own NOT NULL with p's, 18 keeps it
    "CREATE TABLE p (a int NOT NULL); CREATE TABLE c (b int, a int NOT NULL);"
    " ALTER TABLE c INHERIT p; ALTER TABLE p ALTER COLUMN a DROP NOT NULL;",
    "CREATE TABLE p (a int NOT NULL); CREATE TABLE c (a int NOT NULL) INHERITS (p);"
    " ALTER TABLE p ALTER COLUMN a DROP NOT NULL;",
    # ... or p's new column is only inherited, after c's own
    "CREATE TABLE p (a int); CREATE TABLE c (b int, a int); ALTER TABLE c INHERIT p;"
    " ALTER TABLE p ADD COLUMN z int;",
])
def test_inherit_the_fold_cannot_follow_is_a_fold_limit(sql: str) -> None:
    """ALTER TABLE ... INHERIT that PostgreSQL may accept but the fold cannot compare or write:
    kept as written from there on, never refused."""
    from schemafold import fold_sql
    from schemafold.errors import FoldLimit

    with pytest.raises(FoldLimit):
        fold_sql(sql)


def test_inherit_keeps_the_columns_and_checks_local() -> None:
    """ALTER TABLE c INHERIT p (15 and 18.6): c's columns and CHECKs stay its own and are
    inherited too; NO INHERIT leaves them its own only, and a column an INHERITS child only
    inherited becomes its own."""
    from schemafold import fold_sql
    from schemafold.model import Table

    sql = ("CREATE TABLE p (a int NOT NULL, CONSTRAINT k CHECK (a>0));"
           " CREATE TABLE c (b int, a int NOT NULL, CONSTRAINT k CHECK ((a > 0)));"
           " CREATE TABLE g () INHERITS (p);"
           " ALTER TABLE c INHERIT p;")
    child = fold_sql(sql).schema.objects[("table", "public", "c")]
    assert isinstance(child, Table)
    assert child.inherits == (QName("public", "p"),)
    assert not any(c.inherited for c in child.columns)
    check = child.constraint_named("k")
    assert check is not None and check.parent_constraint == "k" and check.also_local
    result = fold_sql(sql + " ALTER TABLE c NO INHERIT p; ALTER TABLE g NO INHERIT p;")
    for name in ("c", "g"):
        table = result.schema.objects[("table", "public", name)]
        assert isinstance(table, Table) and table.inherits == ()
        assert not any(c.inherited for c in table.columns)
        assert all(c.parent_constraint is None for c in table.constraints)


def test_inherits_merges_a_declared_column() -> None:
    """CREATE TABLE c (x ...) INHERITS (p) where p has x: one column at p's position, local as
    well as inherited (written in c's CREATE TABLE), with c's default and either's NOT NULL."""
    from schemafold import fold_sql
    from schemafold.model import Table

    result = fold_sql("CREATE TABLE p (id int, x int DEFAULT 1, n int NOT NULL);"
                      " CREATE TABLE c (y text, x integer DEFAULT 3 NOT NULL) INHERITS (p);")
    child = result.schema.objects[("table", "public", "c")]
    assert isinstance(child, Table)
    assert [c.name for c in child.columns] == ["id", "x", "n", "y"]
    x = child.column("x")
    assert x is not None and not x.inherited
    assert x.column.not_null and str(x.column.default) == "3"


@pytest.mark.parametrize("sql", [
    "CREATE TABLE a (id int); CREATE VIEW v AS SELECT id FROM a; CREATE TABLE b (LIKE v);",
    "CREATE TABLE a (id int); CREATE TABLE b (LIKE a) INHERITS (a);",
])
def test_like_the_fold_cannot_copy_is_a_fold_limit(sql: str) -> None:
    """LIKE of a view (whose column types the fold does not know), or with INHERITS: PostgreSQL
    accepts it, so the history is kept as written from there on, never refused."""
    from schemafold import fold_sql
    from schemafold.errors import FoldLimit

    with pytest.raises(FoldLimit, match="LIKE"):
        fold_sql(sql)


@pytest.mark.parametrize("sql", [
    # a routine's signature names the schema: its text is kept as written, PostgreSQL follows
    "CREATE SCHEMA s; CREATE TYPE s.e AS ENUM ('a');"
    " CREATE FUNCTION f(x s.e) RETURNS int LANGUAGE sql AS 'SELECT 1';"
    " ALTER SCHEMA s RENAME TO u;",
    # a statement kept verbatim names the schema
    "CREATE SCHEMA s; CREATE TABLE s.t (id int); ALTER TABLE s.t CLUSTER ON nothing_yet;"
    " ALTER SCHEMA s RENAME TO u;",
    # default privileges in the schema
    "CREATE SCHEMA s; ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO PUBLIC;"
    " ALTER SCHEMA s RENAME TO u;",
])
def test_schema_rename_the_fold_cannot_follow_is_a_fold_limit(sql: str) -> None:
    """What the fold keeps as text and PostgreSQL would have followed by OID: the history is
    kept as written from the rename on, never refused."""
    from schemafold import fold_sql
    from schemafold.errors import FoldLimit

    with pytest.raises(FoldLimit, match="schema s"):
        fold_sql(sql)


def test_schema_rename_to_a_taken_name_is_refused() -> None:
    from schemafold import fold_sql

    with pytest.raises(InputError, match='schema "u" already exists'):
        fold_sql("CREATE SCHEMA s; CREATE SCHEMA u; ALTER SCHEMA s RENAME TO u;")


def test_a_routines_own_search_path_is_no_limit() -> None:
    """``ALTER FUNCTION f SET search_path`` (kept verbatim) sets what the routine runs under,
    wherever it is called from; later statements fold on (``ALTER ROLE ... SET search_path``
    stays a limit: it reaches the role's later sessions)."""
    from schemafold import fold_sql

    result = fold_sql("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
                      " ALTER FUNCTION f() SET search_path = pg_catalog;"
                      " CREATE TABLE t (id int DEFAULT f());")
    assert ("table", "public", "t") in result.schema.objects


@pytest.mark.parametrize("sql", [
    # what CASCADE installed (cube) is not known to the fold
    "CREATE EXTENSION earthdistance CASCADE; DROP EXTENSION earthdistance, cube;",
    "CREATE EXTENSION earthdistance CASCADE; DROP EXTENSION earthdistance;",
    # an extension's objects may be used by what was created since: they would follow the move
    "CREATE SCHEMA ext; CREATE EXTENSION hstore; CREATE TABLE t (h hstore);"
    " ALTER EXTENSION hstore SET SCHEMA ext;",
])
def test_extensions_the_fold_cannot_follow_are_a_fold_limit(sql: str) -> None:
    from schemafold import fold_sql
    from schemafold.errors import FoldLimit

    with pytest.raises(FoldLimit, match="extension"):
        fold_sql(sql)


def test_an_extension_moved_before_anything_uses_it_is_created_in_its_schema() -> None:
    from schemafold import fold_sql
    from schemafold.render.postgres import render_schema

    text = render_schema(fold_sql("CREATE SCHEMA ext; CREATE EXTENSION hstore;"
                                  " ALTER EXTENSION hstore SET SCHEMA ext;"
                                  " CREATE EXTENSION earthdistance CASCADE;").schema)
    assert "CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA ext;" in text
    assert "CREATE EXTENSION IF NOT EXISTS earthdistance CASCADE;" in text


def test_a_warning_quoting_sql_over_several_lines_prints_on_one_line() -> None:
    """A warning whose message quotes a fragment of SQL written over several lines (a PL/pgSQL
    expression the static run cannot read) still prints as one ``file:line: warning:`` line,
    as every warning and error does (the fuzz run found the lines after the first on their
    own)."""
    from schemafold.errors import SchemaWarning

    warning = SchemaWarning("kept verbatim (expression not read: NOT EXISTS (\n    SELECT 1\n"
                            "      FROM pg_proc))", file="0001_a.sql", line=3, text="DO $$")
    assert str(warning) == ("0001_a.sql:3: warning: kept verbatim (expression not read: NOT "
                            "EXISTS ( SELECT 1 FROM pg_proc)): DO $$")
    history = ("DO $$ BEGIN IF NOT EXISTS (\n    SELECT 1 FROM pg_proc WHERE proname = 'x'\n"
               "  ) THEN RAISE NOTICE 'y'; END IF; END $$;\n")
    for found in fold_sql(history).warnings:
        assert "\n" not in str(found)
