"""Handler in schemafold.parse.postgres.procedural: DO blocks, folded where their body is a
recognisable idiom (exception guards, existence guards, notices, assertions, plain statements) and
kept verbatim otherwise. Plus the coverage fixtures tests/fixtures/coverage/procedural_*.sql."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from coverage_fixtures import apply_fixture, check_fixture
from schemafold.errors import InputError
from schemafold.events import (
    AddEnumValue,
    CreateEnum,
    Drop,
    DropColumn,
    Event,
    ObjectRef,
    Opaque,
    Origin,
    SessionStatement,
)
from schemafold.names import QName
from schemafold.parse.postgres import procedural, translate
from schemafold.parse.postgres.registry import handler_for
from schemafold.parse.tokens import Cursor
from schemafold.verify.cluster import Cluster

AT = Origin("m.sql", 1, "")  # events compare equal ignoring their origin
FIXTURES = Path(__file__).parent / "fixtures" / "coverage"


def q(text: str) -> QName:
    return QName.parse(text)


def events(sql: str) -> tuple[Event, ...]:
    translation = translate(Origin("m.sql", 1, sql))
    assert not translation.warnings, translation.warnings
    return translation.events


def check(sql: str, *expected: Event) -> None:
    got = events(sql)
    assert got == expected, f"\n{got!r}\n!=\n{expected!r}"


def opaque(sql: str) -> str:
    """The reason a DO block is kept verbatim."""
    translation = translate(Origin("m.sql", 1, sql))
    (event,) = translation.events
    assert isinstance(event, Opaque), event
    assert translation.warnings
    assert event.reason.startswith(procedural.OPAQUE) or "language" in event.reason
    return event.reason


def top_level(sql: str, **changes: Any) -> Event:
    """The event ``sql`` gives when written outside a DO block, with ``changes``."""
    (event,) = translate(Origin("m.sql", 1, sql)).events
    assert not isinstance(event, Opaque), event
    return attrs.evolve(event, **changes)


def do(body: str) -> str:
    return f"DO $$\nBEGIN\n{body}\nEND $$"


def enum(name: str, *labels: str, guarded: bool = True) -> CreateEnum:
    return CreateEnum(origin=AT, name=q(name), labels=labels, if_not_exists=guarded)


def test_registered_prefix() -> None:
    handler = handler_for(Cursor("DO $$ BEGIN END $$"))
    assert handler is not None and handler.__module__ == procedural.__name__


# --------------------------------------------------------------------------------------------
# Idiom 1: exception guards
# --------------------------------------------------------------------------------------------

ATTUNE = """DO $$
BEGIN
    CREATE TYPE pack_status_enum AS ENUM ('active', 'inactive');
EXCEPTION
    WHEN duplicate_object THEN null;
END $$;"""


def test_attune_enum_block() -> None:
    check(ATTUNE, enum("pack_status_enum", "active", "inactive"))


def test_events_carry_the_do_statements_origin() -> None:
    origin = Origin("db/001.sql", 12, ATTUNE, migration="001", in_transaction=False)
    (event,) = translate(origin).events
    assert event.origin == origin


@pytest.mark.parametrize(
    "sql",
    [
        "DO LANGUAGE plpgsql $do$ BEGIN CREATE TYPE app.mood AS ENUM ('a', 'b'); "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $do$",
        "DO $$ BEGIN CREATE TYPE app.mood AS ENUM ('a', 'b'); "
        "EXCEPTION WHEN SQLSTATE '42710' THEN RAISE NOTICE 'exists, skipping'; END; $$ "
        "LANGUAGE plpgsql;",
        "DO $$ BEGIN CREATE TYPE app.mood AS ENUM ('a', 'b'); "
        "EXCEPTION WHEN Duplicate_Object OR duplicate_table THEN NULL; END $$",
        "DO 'BEGIN CREATE TYPE app.mood AS ENUM (''a'', ''b''); "
        "EXCEPTION WHEN duplicate_object THEN NULL; END'",
        "DO $$ BEGIN BEGIN CREATE TYPE app.mood AS ENUM ('a', 'b'); "
        "EXCEPTION WHEN duplicate_object THEN NULL; END; END $$",
    ],
)
def test_exception_guard_spellings(sql: str) -> None:
    check(sql, enum("app.mood", "a", "b"))


@pytest.mark.parametrize(
    ("statement", "condition", "flag"),
    [
        ("CREATE TYPE p AS (a int, b text)", "duplicate_object", "if_not_exists"),
        ("CREATE DOMAIN d AS text", "duplicate_object", "if_not_exists"),
        ("CREATE TYPE r AS RANGE (subtype = int4)", "duplicate_object", "if_not_exists"),
        ("CREATE SCHEMA app", "duplicate_schema", "if_not_exists"),
        ("CREATE EXTENSION pgcrypto", "duplicate_object", "if_not_exists"),
        ("CREATE TABLE t (id int)", "duplicate_table", "if_not_exists"),
        ("CREATE SEQUENCE s", "duplicate_table", "if_not_exists"),
        ("CREATE VIEW v AS SELECT 1", "duplicate_table", "if_not_exists"),
        ("CREATE INDEX t_a ON t (a)", "duplicate_table", "if_not_exists"),
        ("CREATE UNIQUE INDEX t_a ON t (a)", "duplicate_table", "if_not_exists"),
        ("ALTER TABLE t ADD COLUMN c int", "duplicate_column", "if_not_exists"),
        ("ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES u (id)",
         "duplicate_object", "if_not_exists"),
        ("ALTER TABLE t ADD CONSTRAINT t_c CHECK (a > 0)", "duplicate_object", "if_not_exists"),
        ("ALTER TABLE t ADD CONSTRAINT t_u UNIQUE (a)", "duplicate_table", "if_not_exists"),
        ("ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a)", "invalid_table_definition",
         "if_not_exists"),
        ("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
         "duplicate_object", "if_not_exists"),
        ("CREATE POLICY p ON t USING (true)", "duplicate_object", "if_not_exists"),
        ("ALTER TYPE mood ADD VALUE 'x' AFTER 'a'", "duplicate_object", "if_not_exists"),
        ("DROP TYPE mood", "undefined_object", "if_exists"),
        ("DROP DOMAIN d CASCADE", "undefined_object", "if_exists"),
        ("DROP TABLE t", "undefined_table", "if_exists"),
        ("DROP VIEW v", "undefined_table", "if_exists"),
        ("DROP MATERIALIZED VIEW v", "undefined_table", "if_exists"),
        ("DROP SEQUENCE s", "undefined_table", "if_exists"),
        ("DROP INDEX i", "undefined_object", "if_exists"),
        ("DROP FUNCTION f(int)", "undefined_function", "if_exists"),
        ("DROP PROCEDURE p()", "undefined_function", "if_exists"),
        ("DROP SCHEMA app", "invalid_schema_name", "if_exists"),
        ("DROP EXTENSION pgcrypto", "undefined_object", "if_exists"),
        ("DROP TRIGGER tr ON t", "undefined_object", "if_exists"),
        ("DROP POLICY p ON t", "undefined_object", "if_exists"),
        ("ALTER TABLE t DROP COLUMN c", "undefined_column", "if_exists"),
        ("ALTER TABLE t DROP CONSTRAINT t_c", "undefined_object", "if_exists"),
    ],
)
def test_exception_guard_marks_the_statement(statement: str, condition: str, flag: str) -> None:
    sql = do(f"    {statement};\nEXCEPTION WHEN {condition} THEN NULL;")
    check(sql, top_level(statement, **{flag: True}))


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE t ADD CHECK (a > 0)",  # PostgreSQL picks a free name: nothing to catch
        "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u",
        "CREATE INDEX ON t (a)",
        "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    ],
)
def test_statements_that_cannot_clash_stay_as_written(statement: str) -> None:
    check(do(f"{statement}; EXCEPTION WHEN duplicate_object THEN NULL;"), top_level(statement))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("CREATE TYPE a AS ENUM ('x'); EXCEPTION WHEN others THEN NULL;", "WHEN others"),
        ("CREATE TYPE a AS ENUM ('x'); EXCEPTION WHEN duplicate_table THEN NULL;",
         "does not catch exactly"),
        ("CREATE TYPE a AS ENUM ('x'); EXCEPTION WHEN duplicate_object OR undefined_object "
         "THEN NULL;", "does not catch exactly"),
        ("CREATE TYPE a AS ENUM ('x'); EXCEPTION WHEN unique_violation THEN NULL;",
         "catches unique_violation"),
        ("CREATE TYPE a AS ENUM ('x'); EXCEPTION WHEN SQLSTATE '23505' THEN NULL;",
         "catches sqlstate 23505"),
        ("ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a); "
         "EXCEPTION WHEN duplicate_object THEN NULL;", "does not catch exactly"),
        ("ALTER TABLE t ADD PRIMARY KEY (a); EXCEPTION WHEN invalid_table_definition THEN NULL;",
         "cannot be marked as guarded"),
        ("DROP TABLE t; EXCEPTION WHEN undefined_object THEN NULL;", "does not catch exactly"),
        ("DROP TABLE a, b; EXCEPTION WHEN undefined_table THEN NULL;",
         "cannot be marked as guarded"),
        ("CREATE TYPE a AS ENUM ('x'); CREATE TYPE b AS ENUM ('y'); "
         "EXCEPTION WHEN duplicate_object THEN NULL;", "several statements"),
        ("ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int; "
         "EXCEPTION WHEN duplicate_column THEN NULL;", "several statements"),
        ("CREATE TYPE a AS ENUM ('x'); EXCEPTION WHEN duplicate_object THEN "
         "ALTER TYPE a ADD VALUE 'y';", "handler that does something"),
        ("CREATE ROLE r; EXCEPTION WHEN duplicate_object THEN NULL;",
         "cannot be marked as guarded"),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; "
         "EXCEPTION WHEN duplicate_function THEN NULL;", "cannot be marked as guarded"),
        ("ALTER TABLE t RENAME COLUMN a TO b; EXCEPTION WHEN undefined_column THEN NULL;",
         "cannot be marked as guarded"),
        ("COMMENT ON TABLE t IS 'x'; EXCEPTION WHEN undefined_table THEN NULL;",
         "cannot be marked as guarded"),
    ],
)
def test_exception_guards_folding_cannot_follow(body: str, reason: str) -> None:
    assert reason in opaque(do(body))


# --------------------------------------------------------------------------------------------
# Idiom 2: existence guards
# --------------------------------------------------------------------------------------------


def guarded(condition: str, statement: str) -> str:
    return do(f"    IF {condition} THEN\n        {statement};\n    END IF;")


@pytest.mark.parametrize(
    ("condition", "statement", "flag"),
    [
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')",
         "CREATE TYPE mood AS ENUM ('a')", "if_not_exists"),
        ("NOT EXISTS (SELECT FROM pg_catalog.pg_type WHERE typname = 'mood' AND typtype = 'e')",
         "CREATE TYPE mood AS ENUM ('a')", "if_not_exists"),
        ("NOT EXISTS (SELECT * FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
         "WHERE t.typname = 'mood' AND n.nspname = 'app')",
         "CREATE TYPE app.mood AS ENUM ('a')", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_type AS t, pg_namespace AS n WHERE t.typnamespace = n.oid "
         "AND n.nspname = 'app' AND t.typname = 'mood')",
         "CREATE TYPE app.mood AS ENUM ('a')", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood' "
         "AND typnamespace = 'app'::regnamespace)",
         "CREATE TYPE app.mood AS ENUM ('a')", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood' AND typnamespace = "
         "(SELECT oid FROM pg_namespace WHERE nspname = 'public'))",
         "CREATE TYPE mood AS ENUM ('a')", "if_not_exists"),
        ("(NOT EXISTS (SELECT 1 FROM pg_type WHERE 'email' = typname))",
         "CREATE DOMAIN email AS text", "if_not_exists"),
        ("to_regtype('app.mood') IS NULL", "CREATE TYPE app.mood AS ENUM ('a')",
         "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'app')",
         "CREATE SCHEMA app", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = 'app')",
         "CREATE SCHEMA app AUTHORIZATION CURRENT_USER", "if_not_exists"),
        ("pg_catalog.to_regnamespace('app') IS NULL", "CREATE SCHEMA app", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgcrypto')",
         "CREATE EXTENSION pgcrypto", "if_not_exists"),
        ("to_regclass('app.t') IS NULL", "CREATE TABLE app.t (id int)", "if_not_exists"),
        ("to_regclass('t') IS NULL", "CREATE TABLE t (id int)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'app' AND tablename = 't')",
         "CREATE TABLE app.t (id int)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.tables "
         "WHERE table_schema = current_schema() AND table_name = 't')",
         "CREATE TABLE t (id int)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 't' AND relkind = 'r')",
         "CREATE TABLE t (id int)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid "
         "WHERE c.relname = 's' AND n.nspname = 'app')",
         "CREATE SEQUENCE app.s", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_sequences WHERE sequencename = 's')",
         "CREATE SEQUENCE s", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_views WHERE viewname = 'v')",
         "CREATE VIEW v AS SELECT 1", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_matviews WHERE matviewname = 'v')",
         "CREATE MATERIALIZED VIEW v AS SELECT 1", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_indexes WHERE tablename = 't' AND indexname = 't_a')",
         "CREATE INDEX t_a ON t (a)", "if_not_exists"),
        ("to_regclass('app.t_a') IS NULL", "CREATE INDEX t_a ON app.t (a)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.columns "
         "WHERE table_name = 't' AND column_name = 'c')",
         "ALTER TABLE t ADD COLUMN c int", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'app' "
         "AND table_name = 't' AND column_name = 'c')",
         "ALTER TABLE app.t ADD COLUMN c int", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'app.t'::regclass "
         "AND attname = 'c' AND NOT attisdropped)",
         "ALTER TABLE app.t ADD COLUMN c int", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_fk')",
         "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES u (id)",
         "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_fk' "
         "AND conrelid = 'app.t'::regclass)",
         "ALTER TABLE app.t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES u (id)",
         "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid "
         "WHERE c.conname = 't_pk' AND r.relname = 't')",
         "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.table_constraints "
         "WHERE table_name = 't' AND constraint_name = 't_u' AND constraint_type = 'UNIQUE')",
         "ALTER TABLE t ADD CONSTRAINT t_u UNIQUE (a)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'tr' AND tgrelid = 't'::regclass)",
         "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
         "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.triggers "
         "WHERE event_object_table = 't' AND trigger_name = 'tr')",
         "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
         "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 't' AND policyname = 'p')",
         "CREATE POLICY p ON t USING (true)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'p' AND polrelid = 't'::regclass)",
         "CREATE POLICY p ON t USING (true)", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'x' AND enumtypid = 'mood'::regtype)",
         "ALTER TYPE mood ADD VALUE 'x'", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
         "WHERE t.typname = 'mood' AND e.enumlabel = 'x')",
         "ALTER TYPE mood ADD VALUE 'x'", "if_not_exists"),
        ("NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'x' AND enumtypid = "
         "(SELECT oid FROM pg_type WHERE typname = 'mood'))",
         "ALTER TYPE mood ADD VALUE 'x'", "if_not_exists"),
        ("EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'old')", "DROP TABLE old",
         "if_exists"),
        ("to_regclass('old') IS NOT NULL", "DROP TABLE old CASCADE", "if_exists"),
        ("EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')", "DROP TYPE mood",
         "if_exists"),
        ("EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'f')", "DROP FUNCTION f(int)",
         "if_exists"),
        ("EXISTS (SELECT 1 FROM information_schema.columns "
         "WHERE table_name = 't' AND column_name = 'c')",
         "ALTER TABLE t DROP COLUMN c", "if_exists"),
        ("EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_c')",
         "ALTER TABLE t DROP CONSTRAINT t_c", "if_exists"),
    ],
)
def test_existence_guard_marks_the_statement(condition: str, statement: str, flag: str) -> None:
    check(guarded(condition, statement), top_level(statement, **{flag: True}))


def test_existence_guard_with_notices_and_an_inert_else() -> None:
    sql = do(
        "    RAISE NOTICE 'checking';\n"
        "    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN\n"
        "        RAISE NOTICE 'creating';\n"
        "        CREATE TYPE mood AS ENUM ('a');\n"
        "    ELSE\n"
        "        RAISE NOTICE 'mood exists';\n"
        "    END IF;"
    )
    check(sql, enum("mood", "a"))


def test_guarded_drops() -> None:
    check(
        guarded("EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')", "DROP TYPE mood"),
        Drop(origin=AT, kind="type", targets=(ObjectRef(q("mood")),), if_exists=True),
    )
    check(
        do("ALTER TABLE t DROP COLUMN c; EXCEPTION WHEN undefined_column THEN NULL;"),
        DropColumn(origin=AT, table=q("t"), column="c", if_exists=True),
    )
    check(
        guarded(
            "NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'x' "
            "AND enumtypid = 'app.mood'::regtype)",
            "ALTER TYPE app.mood ADD VALUE 'x' BEFORE 'a'",
        ),
        AddEnumValue(origin=AT, type=q("app.mood"), label="x", before="a", if_not_exists=True),
    )


@pytest.mark.parametrize(
    ("condition", "statement", "reason"),
    [
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'other')",
         "CREATE TYPE mood AS ENUM ('a')", "does not name"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'Mood')",
         "CREATE TYPE mood AS ENUM ('a')", "does not name"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood' "
         "AND typnamespace = 'other'::regnamespace)",
         "CREATE TYPE app.mood AS ENUM ('a')", "does not name"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.tables "
         "WHERE table_schema = current_schema() AND table_name = 't')",
         "CREATE TABLE app.t (id int)", "does not name"),
        ("NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'mood')",
         "CREATE TYPE mood AS ENUM ('a')", "does not name"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE column_name = 'c')",
         "ALTER TABLE t ADD COLUMN c int", "does not name"),
        ("NOT EXISTS (SELECT 1 FROM information_schema.columns "
         "WHERE table_name = 'u' AND column_name = 'c')",
         "ALTER TABLE t ADD COLUMN c int", "does not name"),
        ("NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'x')",
         "ALTER TYPE mood ADD VALUE 'x'", "does not name"),
        ("EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')",
         "CREATE TYPE mood AS ENUM ('a')", "sense does not fit"),
        ("NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'old')", "DROP TABLE old",
         "sense does not fit"),
        ("NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'r')", "CREATE ROLE r",
         "cannot be marked as guarded"),
        ("NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'f')",
         "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
         "cannot be marked as guarded"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood' OR typname = 'x')",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname LIKE 'mood')",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = lower('MOOD'))",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM my_types WHERE typname = 'mood')",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM tables WHERE table_name = 't')",
         "CREATE TABLE t (id int)", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM pg_type t, pg_namespace n WHERE t.typname = 'mood' "
         "AND n.nspname = 'app')",
         "CREATE TYPE app.mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM pg_type t LEFT JOIN pg_namespace n "
         "ON n.oid = t.typnamespace WHERE t.typname = 'mood')",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood' AND typname = 'other')",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT nextval('s') FROM pg_type WHERE typname = 'mood')",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("to_regproc('f') IS NULL", "CREATE OR REPLACE FUNCTION f() RETURNS int "
         "LANGUAGE sql AS 'SELECT 1'", "not an existence guard"),
        ("(SELECT count(*) FROM pg_type WHERE typname = 'mood') = 0",
         "CREATE TYPE mood AS ENUM ('a')", "not an existence guard"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')",
         "CREATE TYPE mood AS ENUM ('a'); COMMENT ON TYPE mood IS 'm'", "several statements"),
        ("NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')",
         "RAISE NOTICE 'only talk'; PERFORM 1", "PERFORM"),
    ],
)
def test_existence_guards_folding_cannot_follow(
    condition: str, statement: str, reason: str
) -> None:
    assert reason in opaque(guarded(condition, statement))


def test_if_with_elsif_or_an_effective_else_is_opaque() -> None:
    assert "ELSIF" in opaque(do(
        "IF to_regclass('t') IS NULL THEN CREATE TABLE t (a int); "
        "ELSIF true THEN NULL; END IF;"
    ))
    assert "IF ... ELSE" in opaque(do(
        "IF to_regclass('t') IS NULL THEN CREATE TABLE t (a int); ELSE TRUNCATE t; END IF;"
    ))


# --------------------------------------------------------------------------------------------
# Idioms 3-5: notices, assertions, plain statements
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "DO $$ BEGIN RAISE NOTICE 'done'; END $$",
        "DO $$ BEGIN RAISE NOTICE 'done: %, %', 1, now(); RAISE INFO 'i'; RAISE LOG 'l'; "
        "RAISE DEBUG 'd'; RAISE WARNING 'w'; NULL; END $$",
        "DO $$ BEGIN END $$",
        "DO $$ BEGIN BEGIN RAISE NOTICE 'nested'; END; END; $$",
        "DO 'BEGIN RAISE NOTICE ''quoted''; END'",
        "DO LANGUAGE 'plpgsql' $$ BEGIN RAISE NOTICE 'x'; END $$",
        "DO $$ BEGIN RAISE NOTICE 'x' USING HINT = 'h'; END $$",
        "DO $$ BEGIN IF current_setting('server_version_num')::int < 140000 THEN "
        "RAISE NOTICE 'old server'; END IF; END $$",
    ],
)
def test_notice_only_blocks(sql: str) -> None:
    check(sql, SessionStatement(origin=AT, verb="do (notice only)"))


@pytest.mark.parametrize(
    "sql",
    [
        "DO $$ BEGIN ASSERT (SELECT count(*) FROM t) = 0, 'rows left'; END $$",
        "DO $$ BEGIN ASSERT to_regclass('t') IS NOT NULL; RAISE NOTICE 'ok'; END $$",
        "DO $$ BEGIN IF NOT (SELECT count(*) = 0 FROM t WHERE a IS NULL) THEN "
        "RAISE EXCEPTION 'nulls: %', (SELECT count(*) FROM t WHERE a IS NULL); END IF; END $$",
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM t WHERE a < 0) THEN RAISE 'negative'; END IF; "
        "END $$",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN "
        "RAISE EXCEPTION 'run the enum migration first'; END IF; END $$",
    ],
)
def test_assertion_blocks(sql: str) -> None:
    check(sql, SessionStatement(origin=AT, verb="do (assertion)"))


def test_plain_statements_are_translated_in_order() -> None:
    statements = [
        "CREATE TABLE app.batch (id integer, label text)",
        "CREATE INDEX batch_label ON app.batch (label)",
        "COMMENT ON TABLE app.batch IS 'made in a DO block'",
        "GRANT SELECT ON app.batch TO reader",
        "SET search_path TO app, public",
        "INSERT INTO app.batch VALUES (1, 'one')",
    ]
    sql = do("\n".join(f"    {s};" for s in statements[:3]) + "\n    RAISE NOTICE 'half';\n"
             + "\n".join(f"    {s};" for s in statements[3:]))
    check(sql, *(top_level(s) for s in statements))


def test_mixed_idioms() -> None:
    sql = """DO $$
BEGIN
    RAISE NOTICE 'creating enums';
    BEGIN
        CREATE TYPE a AS ENUM ('x');
    EXCEPTION WHEN duplicate_object THEN NULL;
    END;
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'b') THEN
        CREATE TYPE b AS ENUM ('y');
    END IF;
    ASSERT (SELECT count(*) FROM pg_type WHERE typname IN ('a', 'b')) = 2;
    CREATE TYPE c AS ENUM ('z');
END
$$;"""
    check(sql, enum("a", "x"), enum("b", "y"), enum("c", "z", guarded=False))


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("DO $$ DECLARE n int; BEGIN n := 1; END $$", "declares variables"),
        ("DO $$ BEGIN DECLARE n int; BEGIN NULL; END; END $$", "declares variables"),
        ("DO $$ <<outer>> BEGIN NULL; END outer $$", "labelled block"),
        ("DO $$ BEGIN PERFORM pg_notify('c', 'x'); END $$", "(PERFORM)"),
        ("DO $$ BEGIN EXECUTE 'CREATE TABLE t (a int)'; END $$", "(EXECUTE)"),
        ("DO $$ BEGIN FOR i IN 1..3 LOOP NULL; END LOOP; END $$", "(FOR)"),
        ("DO $$ BEGIN LOOP EXIT; END LOOP; END $$", "(LOOP)"),
        ("DO $$ BEGIN SELECT 1; END $$", "(SELECT)"),
        ("DO $$ BEGIN CALL p(); END $$", "(CALL)"),
        ("DO $$ BEGIN COMMIT; END $$", "(COMMIT)"),
        ("DO $$ BEGIN RETURN; END $$", "(RETURN)"),
        ("DO $$ BEGIN RAISE EXCEPTION 'always'; END $$", "RAISE EXCEPTION"),
        ("DO $$ BEGIN RAISE NOTICE '%', nextval('s'); END $$", "RAISE NOTICE"),
        ("DO $$ BEGIN ASSERT nextval('s') > 0; END $$", "may change something"),
        ("DO $$ BEGIN ASSERT (SELECT count(*) FROM t) = 0 OR my_check(); END $$",
         "may change something"),
        ("DO $$ BEGIN IF (WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d) > 0 "
         "THEN RAISE EXCEPTION 'x'; END IF; END $$", "may change something"),
        ("DO $$ BEGIN CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING; END $$",
         "inner statement not modelled"),
        ("DO $$ BEGIN CREATE TYPE a AS ENUM ('x') EXCEPTION WHEN duplicate_object THEN NULL; "
         "END $$", "inner statement not understood"),
        ("DO $$ $$", "empty body"),
        ("DO $$ BEGIN NULL; END $$ LANGUAGE plperl", "language plperl"),
        ("DO LANGUAGE sql $$ SELECT 1 $$", "language sql"),
    ],
)
def test_blocks_folding_cannot_follow(sql: str, reason: str) -> None:
    assert reason in opaque(sql)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DO", "expected the DO block's code as a string"),
        ("DO 42", "expected the DO block's code as a string"),
        ("DO LANGUAGE $$ BEGIN NULL; END $$", "expected the DO block's code as a string"),
        ("DO $$ BEGIN NULL; END $$ LANGUAGE plpgsql LANGUAGE plpgsql", "unexpected LANGUAGE"),
        ("DO LANGUAGE plpgsql $$ BEGIN NULL; END $$ LANGUAGE plpgsql", "redundant options"),
        ("DO $$ BEGIN NULL; END $$ extra", "unexpected extra"),
        # not one block, BEGIN ... END (PostgreSQL 15: syntax error at or near "NULL")
        ("DO $$ BEGIN NULL; END; NULL; $$", 'syntax error at end of input'),
        ("DO $$ BEGIN NULL; $$", "syntax error at end of input"),
        ("DO $$ NULL; $$", 'syntax error at or near "NULL"'),
        # PL/pgSQL's NULL statement is NULL then ; (PostgreSQL: syntax error at or near "END")
        ("DO $$ BEGIN NULL END $$", 'syntax error at or near "END"'),
    ],
)
def test_malformed_do_statements_raise(sql: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as info:
        translate(Origin("db/m.sql", 7, sql))
    assert info.value.file == "db/m.sql"
    assert info.value.line == 7


# --------------------------------------------------------------------------------------------
# Coverage fixtures: tests/fixtures/coverage/procedural_*.sql
# --------------------------------------------------------------------------------------------

FIXTURE_FILES = sorted(FIXTURES.glob("procedural_*.sql"))


def test_fixture_files_exist() -> None:
    names = [p.name for p in FIXTURE_FILES]
    assert len(names) >= 4
    assert any(n.startswith("procedural_errors_") for n in names)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_coverage_fixture(path: Path) -> None:
    check_fixture(path, "procedural")


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if "_errors_" not in p.name], ids=lambda p: p.name
)
def test_coverage_fixture_applies_to_postgresql(
    path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    apply_fixture(path, pg_cluster.dsn(fresh_db("procedural")))
