"""Handlers in schemafold.parse.postgres.objects: schemas, extensions, roles, types, domains,
sequences, routines, triggers, policies, DROP, ALTER of non-table objects, COMMENT ON, and the
object kinds kept verbatim. Plus the coverage fixtures tests/fixtures/coverage/objects_*.sql."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coverage_fixtures import apply_fixture, check_fixture, fixture_files
from schemafold.errors import InputError
from schemafold.events import (
    AddEnumValue,
    AlterDomain,
    AlterPolicy,
    AlterSequence,
    Column,
    Comment,
    Constraint,
    CreateCompositeType,
    CreateDomain,
    CreateEnum,
    CreateExtension,
    CreateFunction,
    CreatePolicy,
    CreateRangeType,
    CreateSchema,
    CreateSequence,
    CreateTrigger,
    Drop,
    Event,
    ObjectRef,
    Opaque,
    Origin,
    Rename,
    RenameColumn,
    RenameEnumValue,
    RoleStatement,
    SequenceOptions,
    SetOwner,
    SetSchema,
)
from schemafold.names import QName
from schemafold.parse.postgres import objects, translate
from schemafold.parse.postgres.objects import read_sequence_options
from schemafold.parse.postgres.registry import handler_for
from schemafold.parse.tokens import Cursor
from schemafold.verify.cluster import Cluster

AT = Origin("m.sql", 1, "")  # events compare equal ignoring their origin


def q(text: str) -> QName:
    return QName.parse(text)


def events(sql: str) -> tuple[Event, ...]:
    return translate(Origin("m.sql", 1, sql)).events


def one(sql: str) -> Event:
    (event,) = events(sql)
    return event


def opaque(sql: str) -> Opaque:
    translation = translate(Origin("m.sql", 1, sql))
    (event,) = translation.events
    assert isinstance(event, Opaque)
    assert translation.warnings, "an Opaque event comes with a warning"
    return event


def check(sql: str, expected: Event) -> None:
    got = one(sql)
    assert got == expected, f"\n{got!r}\n!=\n{expected!r}"
    assert got.origin.text == sql


# --------------------------------------------------------------------------------------------
# Schemas, extensions, roles
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE SCHEMA app", CreateSchema(origin=AT, name="app")),
        (
            "create schema if not exists App;",
            CreateSchema(origin=AT, name="app", if_not_exists=True),
        ),
        (
            'CREATE SCHEMA "Rep" AUTHORIZATION bob',
            CreateSchema(origin=AT, name="Rep", authorization="bob"),
        ),
        (
            "CREATE SCHEMA IF NOT EXISTS AUTHORIZATION Joe",
            CreateSchema(origin=AT, name="joe", if_not_exists=True, authorization="joe"),
        ),
        (
            "CREATE SCHEMA s AUTHORIZATION CURRENT_USER",
            CreateSchema(origin=AT, name="s", authorization="CURRENT_USER"),
        ),
    ],
)
def test_create_schema(sql: str, expected: Event) -> None:
    check(sql, expected)


def test_create_schema_unmodelled_forms() -> None:
    assert "schema elements" in opaque("CREATE SCHEMA s CREATE TABLE t (id int)").reason
    assert "session" in opaque("CREATE SCHEMA AUTHORIZATION CURRENT_USER").reason


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('CREATE EXTENSION "uuid-ossp"', CreateExtension(origin=AT, name="uuid-ossp")),
        ("CREATE EXTENSION PG_TRGM", CreateExtension(origin=AT, name="pg_trgm")),
        (
            "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA Ext VERSION '1.6' CASCADE",
            CreateExtension(
                origin=AT,
                name="citext",
                schema="ext",
                version="1.6",
                if_not_exists=True,
                cascade=True,
            ),
        ),
        (
            'CREATE EXTENSION hstore SCHEMA public VERSION "1.8"',
            CreateExtension(origin=AT, name="hstore", schema="public", version="1.8"),
        ),
    ],
)
def test_create_extension(sql: str, expected: Event) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "CREATE ROLE app_user WITH LOGIN PASSWORD 'x' IN ROLE readers",
            RoleStatement(origin=AT, verb="create", names=("app_user",)),
        ),
        ('CREATE USER "Bob"', RoleStatement(origin=AT, verb="create", names=("Bob",))),
        ("CREATE GROUP staff", RoleStatement(origin=AT, verb="create", names=("staff",))),
        (
            "ALTER ROLE app_user SET search_path = a, b",
            RoleStatement(origin=AT, verb="alter", names=("app_user",)),
        ),
        (
            "ALTER USER CURRENT_USER WITH PASSWORD NULL",
            RoleStatement(origin=AT, verb="alter", names=("CURRENT_USER",)),
        ),
        (
            "ALTER ROLE ALL SET work_mem = '1MB'",
            RoleStatement(origin=AT, verb="alter", names=("ALL",)),
        ),
        (
            "ALTER GROUP staff ADD USER bob",
            RoleStatement(origin=AT, verb="alter", names=("staff",)),
        ),
        (
            'DROP ROLE IF EXISTS a, "B"',
            RoleStatement(origin=AT, verb="drop", names=("a", "B"), if_exists=True),
        ),
        ("DROP USER bob", RoleStatement(origin=AT, verb="drop", names=("bob",))),
        ("DROP GROUP staff", RoleStatement(origin=AT, verb="drop", names=("staff",))),
    ],
)
def test_roles(sql: str, expected: Event) -> None:
    check(sql, expected)


def test_user_mapping_is_not_a_role() -> None:
    assert opaque("CREATE USER MAPPING FOR bob SERVER s").reason == (
        "CREATE USER MAPPING is not modelled"
    )


# --------------------------------------------------------------------------------------------
# Types and domains
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s')",
            CreateEnum(origin=AT, name=q("mood"), labels=("sad", "ok", "it's")),
        ),
        (
            'CREATE TYPE s."Status" AS ENUM ()',
            CreateEnum(origin=AT, name=QName("s", "Status"), labels=()),
        ),
        (
            'CREATE TYPE pair AS (a int, b text COLLATE "C", c numeric(10, 2))',
            CreateCompositeType(
                origin=AT,
                name=q("pair"),
                attributes=(
                    Column(name="a", type="int"),
                    Column(name="b", type="text", collation='"C"'),
                    Column(name="c", type="numeric(10, 2)"),
                ),
            ),
        ),
        (
            "CREATE TYPE Floatrange AS RANGE (subtype = float8, subtype_diff = float8mi)",
            CreateRangeType(
                origin=AT,
                name=q("floatrange"),
                subtype="float8",
                options="subtype = float8, subtype_diff = float8mi",
            ),
        ),
    ],
)
def test_create_type(sql: str, expected: Event) -> None:
    check(sql, expected)


def test_shell_and_base_types_are_opaque() -> None:
    assert "shell" in opaque("CREATE TYPE t").reason
    assert "base type" in opaque("CREATE TYPE t (INPUT = t_in, OUTPUT = t_out)").reason


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "ALTER TYPE mood ADD VALUE 'happy'",
            AddEnumValue(origin=AT, type=q("mood"), label="happy"),
        ),
        (
            "ALTER TYPE s.mood ADD VALUE IF NOT EXISTS 'happy' BEFORE 'ok'",
            AddEnumValue(
                origin=AT, type=q("s.mood"), label="happy", before="ok", if_not_exists=True
            ),
        ),
        (
            "ALTER TYPE mood ADD VALUE E'it\\'s' AFTER 'ok'",
            AddEnumValue(origin=AT, type=q("mood"), label="it's", after="ok"),
        ),
        (
            "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'",
            RenameEnumValue(origin=AT, type=q("mood"), old="sad", new="blue"),
        ),
        (
            "ALTER TYPE mood RENAME TO Feeling",
            Rename(origin=AT, kind="type", target=ObjectRef(q("mood")), new_name="feeling"),
        ),
        (
            "ALTER TYPE mood OWNER TO CURRENT_USER",
            SetOwner(origin=AT, kind="type", target=ObjectRef(q("mood")), owner="CURRENT_USER"),
        ),
        (
            "ALTER TYPE mood SET SCHEMA app",
            SetSchema(origin=AT, kind="type", target=ObjectRef(q("mood")), schema="app"),
        ),
    ],
)
def test_alter_type(sql: str, expected: Event) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TYPE pair ADD ATTRIBUTE x int",
        "ALTER TYPE pair DROP ATTRIBUTE IF EXISTS x",
        "ALTER TYPE pair ALTER ATTRIBUTE x TYPE bigint",
        "ALTER TYPE pair RENAME ATTRIBUTE x TO y",
    ],
)
def test_alter_type_attributes_are_opaque(sql: str) -> None:
    assert "ATTRIBUTE" in opaque(sql).reason


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "CREATE DOMAIN posint AS int DEFAULT 1 CONSTRAINT pos CHECK (VALUE > 0) NOT NULL"
            " CHECK (VALUE < 100)",
            CreateDomain(
                origin=AT,
                name=q("posint"),
                base_type="int",
                default="1",
                not_null=True,
                checks=(
                    Constraint(kind="check", name="pos", expression="VALUE > 0"),
                    Constraint(kind="check", expression="VALUE < 100"),
                ),
            ),
        ),
        (
            'CREATE DOMAIN s.code character varying(8) COLLATE "C" DEFAULT NULL NULL',
            CreateDomain(
                origin=AT,
                name=q("s.code"),
                base_type="character varying(8)",
                default="NULL",
                collation='"C"',
            ),
        ),
        (
            "CREATE DOMAIN tags text[] DEFAULT '{}'::text[] NOT NULL",
            CreateDomain(
                origin=AT,
                name=q("tags"),
                base_type="text[]",
                default="'{}'::text[]",
                not_null=True,
            ),
        ),
    ],
)
def test_create_domain(sql: str, expected: Event) -> None:
    check(sql, expected)


def test_alter_domain_is_opaque_and_drop_domain_is_a_drop() -> None:
    opaque("ALTER DOMAIN d RENAME CONSTRAINT c TO e")
    opaque("ALTER DOMAIN d DROP CONSTRAINT c CASCADE")
    check("ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)",
          AlterDomain(origin=AT, name=q("d"), action="add", constraint=Constraint(
              kind="check", name="c", expression="VALUE > 0")))
    check("ALTER DOMAIN d RENAME TO e",
          Rename(origin=AT, kind="type", target=ObjectRef(q("d")), new_name="e"))
    check(
        "DROP DOMAIN IF EXISTS d, s.e CASCADE",
        Drop(
            origin=AT,
            kind="domain",
            targets=(ObjectRef(q("d")), ObjectRef(q("s.e"))),
            if_exists=True,
            cascade=True,
        ),
    )


# --------------------------------------------------------------------------------------------
# Sequences
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE SEQUENCE s", CreateSequence(origin=AT, name=q("s"))),
        (
            "CREATE SEQUENCE IF NOT EXISTS app.seq AS bigint INCREMENT BY -2 MINVALUE -100"
            " NO MAXVALUE START WITH -1 CACHE 10 NO CYCLE OWNED BY app.t.id",
            CreateSequence(
                origin=AT,
                name=q("app.seq"),
                options=SequenceOptions(
                    as_type="bigint",
                    increment=-2,
                    minvalue=-100,
                    no_maxvalue=True,
                    start=-1,
                    cache=10,
                    cycle=False,
                ),
                owned_by=(q("app.t"), "id"),
                if_not_exists=True,
            ),
        ),
        (
            "CREATE SEQUENCE s INCREMENT 5 NO MINVALUE MAXVALUE 99 START 3 CYCLE OWNED BY t.c",
            CreateSequence(
                origin=AT,
                name=q("s"),
                options=SequenceOptions(
                    increment=5, no_minvalue=True, maxvalue=99, start=3, cycle=True
                ),
                owned_by=(q("t"), "c"),
            ),
        ),
        ("CREATE SEQUENCE s OWNED BY NONE", CreateSequence(origin=AT, name=q("s"))),
    ],
)
def test_create_sequence(sql: str, expected: Event) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "ALTER SEQUENCE s RESTART WITH 1000",
            AlterSequence(origin=AT, name=q("s"), restart=True, restart_with=1000),
        ),
        ("ALTER SEQUENCE s RESTART", AlterSequence(origin=AT, name=q("s"), restart=True)),
        (
            "ALTER SEQUENCE s RESTART 7 INCREMENT BY 3",
            AlterSequence(
                origin=AT,
                name=q("s"),
                options=SequenceOptions(increment=3),
                restart=True,
                restart_with=7,
            ),
        ),
        (
            "ALTER SEQUENCE IF EXISTS app.s AS smallint NO CYCLE OWNED BY app.t.id",
            AlterSequence(
                origin=AT,
                name=q("app.s"),
                options=SequenceOptions(as_type="smallint", cycle=False),
                owned_by=(q("app.t"), "id"),
                if_exists=True,
            ),
        ),
        (
            "ALTER SEQUENCE s OWNED BY NONE",
            AlterSequence(origin=AT, name=q("s"), owned_by_none=True),
        ),
        (
            "ALTER SEQUENCE s RENAME TO t",
            Rename(origin=AT, kind="sequence", target=ObjectRef(q("s")), new_name="t"),
        ),
        (
            "ALTER SEQUENCE IF EXISTS s RENAME TO t",
            Rename(
                origin=AT, kind="sequence", target=ObjectRef(q("s")), new_name="t", if_exists=True
            ),
        ),
        (
            "ALTER SEQUENCE s OWNER TO bob",
            SetOwner(origin=AT, kind="sequence", target=ObjectRef(q("s")), owner="bob"),
        ),
        (
            "ALTER SEQUENCE s SET SCHEMA app",
            SetSchema(origin=AT, kind="sequence", target=ObjectRef(q("s")), schema="app"),
        ),
    ],
)
def test_alter_sequence(sql: str, expected: Event) -> None:
    check(sql, expected)


def test_temporary_and_unlogged_sequences() -> None:
    check("CREATE TEMP SEQUENCE s", CreateSequence(origin=AT, name=q("s"), temporary=True))
    check("CREATE TEMPORARY SEQUENCE IF NOT EXISTS s START 5",
          CreateSequence(origin=AT, name=q("s"), temporary=True, if_not_exists=True,
                         options=SequenceOptions(start=5)))
    check("CREATE UNLOGGED SEQUENCE app.s",
          CreateSequence(origin=AT, name=q("app.s"), unlogged=True))
    assert one("CREATE UNLOGGED SEQUENCE s").describe() == "create unlogged sequence s"
    assert one("CREATE TEMP SEQUENCE s").describe() == "create temporary sequence s"


def test_unmodelled_sequence_forms() -> None:
    assert "SET LOGGED" in opaque("ALTER SEQUENCE s SET LOGGED").reason


def test_read_sequence_options_stops_at_unknown_words_and_takes_extras() -> None:
    cursor = Cursor("START WITH 5 INCREMENT BY 2 SEQUENCE NAME s.x CACHE 3 NOT NULL")
    names: list[QName] = []

    def sequence_name(c: Cursor) -> bool:
        if c.accept("SEQUENCE", "NAME"):
            names.append(c.qname())
            return True
        return False

    options = read_sequence_options(cursor, sequence_name)
    assert options == SequenceOptions(start=5, increment=2, cache=3)
    assert names == [q("s.x")]
    assert cursor.at("NOT", "NULL")
    assert read_sequence_options(Cursor("")) == SequenceOptions()


# --------------------------------------------------------------------------------------------
# Functions and procedures
# --------------------------------------------------------------------------------------------


def function(sql: str) -> CreateFunction:
    event = one(sql)
    assert isinstance(event, CreateFunction)
    return event


def test_create_function_all_fields() -> None:
    check(
        "CREATE OR REPLACE FUNCTION app.f(p_id bigint, IN a integer DEFAULT 1, OUT x int,"
        " VARIADIC args text[]) RETURNS SETOF record LANGUAGE PLPGSQL SECURITY DEFINER"
        " SET search_path = a, b AS $fn$ select $$a;b$$ $fn$",
        CreateFunction(
            origin=AT,
            name=q("app.f"),
            arg_types=("bigint", "integer", "text[]"),
            all_types=("bigint", "integer", "integer", "text[]"),
            arguments="p_id bigint, IN a integer DEFAULT 1, OUT x int, VARIADIC args text[]",
            returns="SETOF record",
            language="plpgsql",
            or_replace=True,
            body=" select $$a;b$$ ",
        ),
    )


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE FUNCTION tg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "CREATE FUNCTION tg() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE FUNCTION tg() RETURNS TRIGGER AS $$ BEGIN RETURN NEW; END $$ LANGUAGE 'plpgsql'",
        "CREATE FUNCTION tg() AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql RETURNS trigger",
    ],
)
def test_function_clauses_in_any_order(sql: str) -> None:
    f = function(sql)
    assert (f.name, f.arg_types, f.language, f.returns_trigger, f.body) == (
        q("tg"),
        (),
        "plpgsql",
        True,
        " BEGIN RETURN NEW; END ",
    )


def test_function_options() -> None:
    f = function("CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'select 1'")
    assert (f.returns, f.language, f.body, f.returns_trigger) == ("int", "sql", "select 1", False)
    f = function(
        "CREATE FUNCTION f() RETURNS double precision LANGUAGE sql IMMUTABLE STRICT LEAKPROOF"
        " PARALLEL SAFE COST 10 ROWS 5 SUPPORT s.fn CALLED ON NULL INPUT"
        " RETURNS NULL ON NULL INPUT NOT LEAKPROOF EXTERNAL SECURITY INVOKER WINDOW"
        " SET search_path TO 'a', \"b\" SET work_mem = 64 SET x.y FROM CURRENT"
        " SET TIME ZONE 'UTC' AS 'select 1::float8'"
    )
    assert (f.returns, f.body) == ("double precision", "select 1::float8")
    f = function("CREATE FUNCTION f() RETURNS text AS 'it''s' LANGUAGE sql")
    assert f.body == "it's"
    f = function("CREATE FUNCTION c(int) RETURNS int AS 'MODULE_PATHNAME', 'c_fn' LANGUAGE c")
    assert (f.language, f.body) == ("c", None)


def test_sql_standard_bodies() -> None:
    f = function(
        "CREATE FUNCTION h(i int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
        "  SELECT CASE WHEN i IS NULL THEN 0 ELSE i END;\nEND;"
    )
    assert f.body == "BEGIN ATOMIC\n  SELECT CASE WHEN i IS NULL THEN 0 ELSE i END;\nEND"
    f = function("CREATE FUNCTION h(i int) RETURNS int LANGUAGE sql IMMUTABLE RETURN i * 3")
    assert (f.body, f.language) == ("RETURN i * 3", "sql")


def test_procedure() -> None:
    check(
        "CREATE OR REPLACE PROCEDURE p(IN a int, INOUT b int DEFAULT 0, OUT c text)"
        " LANGUAGE plpgsql AS $$ BEGIN NULL; END $$",
        CreateFunction(
            origin=AT,
            name=q("p"),
            arg_types=("integer", "integer"),
            all_types=("integer", "integer", "text"),
            arguments="IN a int, INOUT b int DEFAULT 0, OUT c text",
            language="plpgsql",
            or_replace=True,
            procedure=True,
            body=" BEGIN NULL; END ",
        ),
    )


def test_returns_table() -> None:
    f = function(
        "CREATE FUNCTION t(n int) RETURNS TABLE (id bigint, a int) LANGUAGE sql"
        " AS $$ SELECT 1, 2 $$"
    )
    assert (f.arg_types, f.returns) == (("integer",), "TABLE (id bigint, a int)")


@pytest.mark.parametrize(
    ("arguments", "types"),
    [
        ("int", ("integer",)),
        ("int4", ("integer",)),
        ("integer", ("integer",)),
        ("a int DEFAULT 1", ("integer",)),
        ("IN a integer", ("integer",)),
        ("a int = 3", ("integer",)),
        ("a IN int", ("integer",)),
        ("text[]", ("text[]",)),
        ("_text", ("text[]",)),
        ("t text ARRAY", ("text[]",)),
        ("p_id bigint, bigint", ("bigint", "bigint")),
        ("double precision", ("double precision",)),
        ("x double precision", ("double precision",)),
        ("character varying(64)", ("character varying",)),
        ("v varchar(10)", ("character varying",)),
        ("timestamp with time zone", ("timestamp with time zone",)),
        ("ts timestamp(3) with time zone", ("timestamp with time zone",)),
        ("timestamptz", ("timestamp with time zone",)),
        ("OUT x int", ()),
        ("a int, OUT x int, INOUT y text", ("integer", "text")),
        ("VARIADIC args text[]", ("text[]",)),
        ("VARIADIC text[]", ("text[]",)),
        ("c Public.My_Enum", ("public.my_enum",)),
        ('"My Type"', ("My Type",)),
        ('x "My Type"[]', ("My Type[]",)),
        ("numeric(10, 2), n numeric", ("numeric", "numeric")),
        ("r users.id%TYPE", ("users.id%type",)),
        ("text text", ("text",)),
        ("interval day", ("interval",)),
        ("x interval hour to second(3), y float(24), z float(25), w int[][]",
         ("interval", "real", "double precision", "integer[]")),
        ("a \"char\", b char, c dec, d national character varying(3)",
         ("\"char\"", "character", "numeric", "character varying")),
    ],
)
def test_canonical_argument_types(arguments: str, types: tuple[str, ...]) -> None:
    f = function(f"CREATE FUNCTION f({arguments}) RETURNS int LANGUAGE sql AS 'select 1'")
    assert f.arg_types == types
    assert f.arguments == arguments


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "ALTER FUNCTION f(int, text[]) RENAME TO g",
            Rename(
                origin=AT,
                kind="function",
                target=ObjectRef(q("f"), ("integer", "text[]")),
                new_name="g",
            ),
        ),
        (
            "ALTER FUNCTION s.f(IN a int4, OUT b text) OWNER TO bob",
            SetOwner(
                origin=AT, kind="function", target=ObjectRef(q("s.f"), ("integer",)), owner="bob"
            ),
        ),
        (
            "ALTER FUNCTION f SET SCHEMA app",
            SetSchema(origin=AT, kind="function", target=ObjectRef(q("f")), schema="app"),
        ),
        (
            "ALTER PROCEDURE p() RENAME TO q",
            Rename(origin=AT, kind="procedure", target=ObjectRef(q("p"), ()), new_name="q"),
        ),
    ],
)
def test_alter_function(sql: str, expected: Event) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER FUNCTION f(int) SET search_path = public, pg_temp",
        "ALTER FUNCTION f(int) SECURITY DEFINER",
        "ALTER FUNCTION f(int) RESET ALL",
        "ALTER PROCEDURE p() DEPENDS ON EXTENSION e",
        "ALTER ROUTINE f(int) RENAME TO g",
    ],
)
def test_other_alter_function_forms_are_opaque(sql: str) -> None:
    opaque(sql)


def test_drop_function() -> None:
    check(
        "DROP FUNCTION IF EXISTS f(int, OUT text), s.g, h(), k(VARIADIC _int4) CASCADE",
        Drop(
            origin=AT,
            kind="function",
            targets=(
                ObjectRef(q("f"), ("integer",)),
                ObjectRef(q("s.g")),
                ObjectRef(q("h"), ()),
                ObjectRef(q("k"), ("integer[]",)),
            ),
            if_exists=True,
            cascade=True,
        ),
    )
    check(
        "DROP PROCEDURE p(int)",
        Drop(origin=AT, kind="procedure", targets=(ObjectRef(q("p"), ("integer",)),)),
    )


# --------------------------------------------------------------------------------------------
# Triggers and policies
# --------------------------------------------------------------------------------------------


def test_create_trigger_on_a_table_called_trigger() -> None:
    check(
        "CREATE TRIGGER trg BEFORE INSERT OR UPDATE OF a, b ON trigger FOR EACH ROW"
        " WHEN (NEW.a IS NOT NULL) EXECUTE FUNCTION app.notify('x', 1)",
        CreateTrigger(
            origin=AT,
            name="trg",
            table=q("trigger"),
            function=q("app.notify"),
            timing="BEFORE",
            events="INSERT OR UPDATE OF a, b",
            for_each_row=True,
            when="NEW.a IS NOT NULL",
            function_args="'x', 1",
        ),
    )
    check(
        'CREATE OR REPLACE TRIGGER t AFTER DELETE ON public."trigger" EXECUTE PROCEDURE f()',
        CreateTrigger(
            origin=AT,
            name="t",
            table=q("public.trigger"),
            function=q("f"),
            timing="AFTER",
            events="DELETE",
            or_replace=True,
        ),
    )


def trigger(name: str, **fields: Any) -> CreateTrigger:
    """The event of a trigger ``name`` on t calling f, AFTER INSERT unless ``fields`` say
    otherwise."""
    return CreateTrigger(origin=AT, name=name, **{
        "table": q("t"), "function": q("f"), "timing": "AFTER", "events": "INSERT", **fields})


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED"
            " FOR EACH ROW EXECUTE FUNCTION f()",
            trigger("ct", for_each_row=True, constraint=True,
                    deferral="DEFERRABLE INITIALLY DEFERRED"),
        ),
        (
            "CREATE TRIGGER tr AFTER INSERT ON t REFERENCING NEW TABLE AS new_rows"
            " OLD TABLE old_rows FOR STATEMENT EXECUTE FUNCTION f()",
            trigger("tr", referencing="REFERENCING NEW TABLE AS new_rows OLD TABLE old_rows"),
        ),
        (
            "CREATE TRIGGER io INSTEAD OF UPDATE ON v FOR EACH ROW EXECUTE FUNCTION f()",
            trigger("io", table=q("v"), timing="INSTEAD OF", events="UPDATE",
                    for_each_row=True),
        ),
        (
            "CREATE CONSTRAINT TRIGGER c AFTER INSERT ON t FROM app.r NOT DEFERRABLE"
            " FOR EACH ROW EXECUTE FUNCTION f()",
            trigger("c", for_each_row=True, constraint=True, deferral="NOT DEFERRABLE",
                    from_table=q("app.r")),
        ),
    ],
)
def test_create_trigger_other_forms(sql: str, expected: Event) -> None:
    check(sql, expected)


def test_from_is_for_constraint_triggers_only() -> None:
    with pytest.raises(InputError, match="constraint trigger"):
        events("CREATE TRIGGER c AFTER INSERT ON t FROM r FOR EACH ROW EXECUTE FUNCTION f()")


def test_drop_and_alter_trigger() -> None:
    target = ObjectRef(QName(None, "trg"), table=q("trigger"))
    check(
        "DROP TRIGGER IF EXISTS trg ON trigger CASCADE",
        Drop(origin=AT, kind="trigger", targets=(target,), if_exists=True, cascade=True),
    )
    check(
        "ALTER TRIGGER trg ON trigger RENAME TO Trg2",
        Rename(origin=AT, kind="trigger", target=target, new_name="trg2"),
    )
    opaque("ALTER TRIGGER trg ON trigger DEPENDS ON EXTENSION e")


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "CREATE POLICY p ON t USING (owner = current_user)",
            CreatePolicy(origin=AT, name="p", table=q("t"), using="owner = current_user"),
        ),
        (
            "CREATE POLICY p ON s.t AS RESTRICTIVE FOR SELECT TO app_user, PUBLIC"
            " USING (owner = current_user) WITH CHECK (true)",
            CreatePolicy(
                origin=AT,
                name="p",
                table=q("s.t"),
                permissive=False,
                command="SELECT",
                roles=("app_user", "PUBLIC"),
                using="owner = current_user",
                check="true",
            ),
        ),
        (
            'CREATE POLICY "P" ON t AS PERMISSIVE FOR insert TO current_user WITH CHECK (f(a, b))',
            CreatePolicy(
                origin=AT,
                name="P",
                table=q("t"),
                command="INSERT",
                roles=("CURRENT_USER",),
                check="f(a, b)",
            ),
        ),
        (
            "ALTER POLICY p ON t TO bob USING (x)",
            AlterPolicy(origin=AT, name="p", table=q("t"), roles=("bob",), using="x"),
        ),
        (
            "ALTER POLICY p ON t WITH CHECK (y > 0)",
            AlterPolicy(origin=AT, name="p", table=q("t"), check="y > 0"),
        ),
        (
            "ALTER POLICY p ON t RENAME TO q",
            Rename(
                origin=AT,
                kind="policy",
                target=ObjectRef(QName(None, "p"), table=q("t")),
                new_name="q",
            ),
        ),
        (
            "DROP POLICY IF EXISTS p ON s.t",
            Drop(
                origin=AT,
                kind="policy",
                targets=(ObjectRef(QName(None, "p"), table=q("s.t")),),
                if_exists=True,
            ),
        ),
    ],
)
def test_policies(sql: str, expected: Event) -> None:
    check(sql, expected)


# --------------------------------------------------------------------------------------------
# DROP and ALTER of other objects
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "kind", "names", "if_exists", "cascade"),
    [
        ("DROP TABLE a", "table", ["a"], False, False),
        ("DROP TABLE IF EXISTS a, s.b CASCADE", "table", ["a", "s.b"], True, True),
        ("DROP VIEW v RESTRICT", "view", ["v"], False, False),
        ("DROP MATERIALIZED VIEW IF EXISTS s.mv", "materialized view", ["s.mv"], True, False),
        ("DROP INDEX a, b", "index", ["a", "b"], False, False),
        ("DROP INDEX CONCURRENTLY IF EXISTS s.a", "index", ["s.a"], True, False),
        ("DROP SEQUENCE s", "sequence", ["s"], False, False),
        ("DROP TYPE t, u CASCADE", "type", ["t", "u"], False, True),
        ("DROP SCHEMA IF EXISTS a, b CASCADE", "schema", ["a", "b"], True, True),
        ('DROP EXTENSION "uuid-ossp"', "extension", ["uuid-ossp"], False, False),
        ("DROP TABLE trigger", "table", ["trigger"], False, False),
    ],
)
def test_drop(sql: str, kind: str, names: list[str], if_exists: bool, cascade: bool) -> None:
    targets = tuple(
        ObjectRef(QName.parse(n) if n != "uuid-ossp" else QName(None, n)) for n in names
    )
    check(
        sql,
        Drop(origin=AT, kind=kind, targets=targets, if_exists=if_exists, cascade=cascade,
             concurrently="CONCURRENTLY" in sql),
    )


@pytest.mark.parametrize(
    "sql",
    [
        "DROP RULE r ON t",
        "DROP PUBLICATION p",
        "DROP COLLATION c",
        "DROP CAST (a AS b)",
        "DROP OPERATOR === (int, int)",
        "DROP AGGREGATE a(int)",
        "DROP EVENT TRIGGER e",
        "DROP SERVER s",
        "DROP FOREIGN TABLE f",
        "DROP STATISTICS s",
        "DROP TEXT SEARCH CONFIGURATION c",
        "DROP OWNED BY bob",
    ],
)
def test_unmodelled_drops_are_opaque(sql: str) -> None:
    opaque(sql)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "ALTER VIEW v RENAME TO w",
            Rename(origin=AT, kind="view", target=ObjectRef(q("v")), new_name="w"),
        ),
        (
            "ALTER VIEW IF EXISTS s.v RENAME TO w",
            Rename(
                origin=AT, kind="view", target=ObjectRef(q("s.v")), new_name="w", if_exists=True
            ),
        ),
        (
            "ALTER VIEW v OWNER TO bob",
            SetOwner(origin=AT, kind="view", target=ObjectRef(q("v")), owner="bob"),
        ),
        (
            "ALTER MATERIALIZED VIEW mv SET SCHEMA x",
            SetSchema(origin=AT, kind="materialized view", target=ObjectRef(q("mv")), schema="x"),
        ),
        (
            "ALTER MATERIALIZED VIEW mv RENAME TO mv2",
            Rename(origin=AT, kind="materialized view", target=ObjectRef(q("mv")), new_name="mv2"),
        ),
        (
            "ALTER INDEX IF EXISTS s.i RENAME TO j",
            Rename(
                origin=AT, kind="index", target=ObjectRef(q("s.i")), new_name="j", if_exists=True
            ),
        ),
        (
            "ALTER SCHEMA a RENAME TO b",
            Rename(origin=AT, kind="schema", target=ObjectRef(q("a")), new_name="b"),
        ),
        (
            "ALTER SCHEMA a OWNER TO SESSION_USER",
            SetOwner(origin=AT, kind="schema", target=ObjectRef(q("a")), owner="SESSION_USER"),
        ),
        (
            "ALTER EXTENSION hstore SET SCHEMA ext",
            SetSchema(origin=AT, kind="extension", target=ObjectRef(q("hstore")), schema="ext"),
        ),
        (
            "ALTER MATERIALIZED VIEW IF EXISTS mv OWNER TO bob",
            SetOwner(origin=AT, kind="materialized view", target=ObjectRef(q("mv")),
                     owner="bob", if_exists=True),
        ),
        (
            "ALTER VIEW IF EXISTS v SET SCHEMA x",
            SetSchema(origin=AT, kind="view", target=ObjectRef(q("v")), schema="x",
                      if_exists=True),
        ),
        (
            "ALTER SEQUENCE IF EXISTS s OWNER TO CURRENT_ROLE",
            SetOwner(origin=AT, kind="sequence", target=ObjectRef(q("s")), owner="CURRENT_ROLE",
                     if_exists=True),
        ),
    ],
)
def test_alter_other_objects(sql: str, expected: Event) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER INDEX i SET (fillfactor = 50)",
        "ALTER INDEX i SET TABLESPACE t",
        "ALTER INDEX i ATTACH PARTITION p",
        "ALTER INDEX ALL IN TABLESPACE a SET TABLESPACE b",
        "ALTER EXTENSION e UPDATE",
        "ALTER EXTENSION e ADD FUNCTION f(int)",
        "ALTER VIEW v ALTER COLUMN c SET DEFAULT 1",
    ],
)
def test_unmodelled_alters_are_opaque(sql: str) -> None:
    opaque(sql)


@pytest.mark.parametrize("sql", ["ALTER VIEW v RENAME COLUMN a TO b",
                                 "ALTER MATERIALIZED VIEW IF EXISTS v RENAME a TO b"])
def test_renaming_a_view_column_is_a_column_rename(sql: str) -> None:
    (event,) = translate(Origin(file="f.sql", line=1, text=sql)).events
    assert isinstance(event, RenameColumn)
    assert (event.table, event.old, event.new) == (QName(None, "v"), "a", "b")
    assert event.if_exists == ("IF EXISTS" in sql)


def test_alter_table_is_not_handled_here() -> None:
    for sql in (
        "ALTER TABLE t RENAME TO u",
        "CREATE INDEX i ON t (a)",
        "CREATE VIEW v AS SELECT 1",
    ):
        handler = handler_for(Cursor(sql))
        assert handler is None or handler.__module__ != objects.__name__


# --------------------------------------------------------------------------------------------
# COMMENT ON
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "COMMENT ON TABLE s.t IS 'rows'",
            Comment(origin=AT, kind="table", target=ObjectRef(q("s.t")), text="rows"),
        ),
        ("COMMENT ON TABLE t IS NULL", Comment(origin=AT, kind="table", target=ObjectRef(q("t")))),
        (
            "COMMENT ON COLUMN t.c IS 'col'",
            Comment(origin=AT, kind="column", target=ObjectRef(q("t")), column="c", text="col"),
        ),
        (
            "COMMENT ON COLUMN s.t.\"C\" IS 'col'",
            Comment(origin=AT, kind="column", target=ObjectRef(q("s.t")), column="C", text="col"),
        ),
        (
            "COMMENT ON MATERIALIZED VIEW mv IS $$a 'b'$$",
            Comment(origin=AT, kind="materialized view", target=ObjectRef(q("mv")), text="a 'b'"),
        ),
        (
            "COMMENT ON TRIGGER t ON trigger IS 'x'",
            Comment(
                origin=AT,
                kind="trigger",
                target=ObjectRef(QName(None, "t"), table=q("trigger")),
                text="x",
            ),
        ),
        (
            "COMMENT ON FUNCTION f(text[], OUT int) IS NULL",
            Comment(origin=AT, kind="function", target=ObjectRef(q("f"), ("text[]",))),
        ),
        (
            "COMMENT ON FUNCTION s.f(_text) IS 'f'",
            Comment(origin=AT, kind="function", target=ObjectRef(q("s.f"), ("text[]",)), text="f"),
        ),
        (
            "COMMENT ON PROCEDURE p IS 'p'",
            Comment(origin=AT, kind="procedure", target=ObjectRef(q("p")), text="p"),
        ),
        (
            "COMMENT ON CONSTRAINT c ON t IS 'x'",
            Comment(
                origin=AT,
                kind="constraint",
                target=ObjectRef(QName(None, "c"), table=q("t")),
                text="x",
            ),
        ),
        (
            "COMMENT ON CONSTRAINT c ON DOMAIN s.d IS 'x'",
            Comment(
                origin=AT,
                kind="constraint",
                target=ObjectRef(QName(None, "c"), table=q("s.d")),
                text="x",
            ),
        ),
        (
            "COMMENT ON CONSTRAINT c ON domain IS 'a table called domain'",
            Comment(
                origin=AT,
                kind="constraint",
                target=ObjectRef(QName(None, "c"), table=q("domain")),
                text="a table called domain",
            ),
        ),
        (
            "COMMENT ON POLICY p ON t IS 'x'",
            Comment(
                origin=AT, kind="policy", target=ObjectRef(QName(None, "p"), table=q("t")), text="x"
            ),
        ),
        (
            "COMMENT ON EXTENSION \"uuid-ossp\" IS 'x'",
            Comment(
                origin=AT, kind="extension", target=ObjectRef(QName(None, "uuid-ossp")), text="x"
            ),
        ),
        (
            "COMMENT ON ROLE Bob IS 'x'",
            Comment(origin=AT, kind="role", target=ObjectRef(q("bob")), text="x"),
        ),
        (
            "COMMENT ON DATABASE app IS 'x'",
            Comment(origin=AT, kind="database", target=ObjectRef(q("app")), text="x"),
        ),
    ],
)
def test_comment(sql: str, expected: Event) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    ("literal", "text"),
    [
        ("E'it\\'s\\nfine'", "it's\nfine"),
        ("'it''s'", "it's"),
        ("'a'\n'b'", "ab"),
        ("$c$x $$y$$ z$c$", "x $$y$$ z"),
        ("U&'d\\0061t\\+000061'", "data"),
        ("U&'d!0061t' UESCAPE '!'", "dat"),
        ("U&'a!!b!0041' UESCAPE '!'", "a!bA"),
    ],
)
def test_comment_strings(literal: str, text: str) -> None:
    event = one(f"COMMENT ON TABLE t IS {literal}")
    assert isinstance(event, Comment)
    assert event.text == text


@pytest.mark.parametrize("kind", ["RULE r ON t", "LANGUAGE plpgsql", "COLLATION c"])
def test_unmodelled_comments_are_opaque(kind: str) -> None:
    assert (
        opaque(f"COMMENT ON {kind} IS 'x'").reason
        == f"COMMENT ON {kind.split()[0]} is not modelled"
    )


# --------------------------------------------------------------------------------------------
# Unmodelled object kinds, malformed input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE RULE r AS ON DELETE TO v DO INSTEAD NOTHING",
        "CREATE OR REPLACE RULE r AS ON DELETE TO v DO INSTEAD NOTHING",
        "CREATE PUBLICATION p FOR ALL TABLES",
        'CREATE COLLATION c FROM "C"',
        "CREATE CAST (a AS b) WITH INOUT",
        "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq)",
        "CREATE AGGREGATE a(int) (SFUNC = int4pl, STYPE = int)",
        "CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()",
        "CREATE SERVER s FOREIGN DATA WRAPPER w",
        "CREATE FOREIGN TABLE f (id int) SERVER s",
        "CREATE FOREIGN DATA WRAPPER w",
        "CREATE STATISTICS s ON a, b FROM t",
        "CREATE TEXT SEARCH CONFIGURATION c (COPY = english)",
    ],
)
def test_unmodelled_creates_are_opaque(sql: str) -> None:
    words = sql.split()
    event = opaque(sql)
    assert event.reason.startswith(" ".join(words[:2]))
    assert event.reason.endswith("is not modelled")


@pytest.mark.parametrize(
    ("sql", "line"),
    [
        ("CREATE TYPE t AS ENUM ('a'", 7),
        ("ALTER TYPE t ADD VALUE", 7),
        ("ALTER TYPE t\nADD VALUE 'x' AFTER", 8),
        ("CREATE TYPE t AS ENUM ('a', 1)", 7),
        ("CREATE TYPE t AS ENUM ('a',)", 7),
        ("CREATE TYPE t AS RANGE (subtype_diff = f)", 7),
        ("CREATE TYPE t AS", 7),
        ("CREATE TYPE t AS (a)", 7),
        ("CREATE DOMAIN d AS int CHECK VALUE > 0", 7),
        ("CREATE DOMAIN d", 7),
        ("CREATE SCHEMA", 7),
        ("CREATE SCHEMA a b", 7),
        ("CREATE EXTENSION e FROM '1.0'", 7),
        ("CREATE SEQUENCE s INCREMENT BY 1 INCREMENT BY 2", 7),
        ("CREATE SEQUENCE s START WITH 1.5", 7),
        ("CREATE SEQUENCE s OWNED BY t", 7),
        ("CREATE SEQUENCE s\n  NO SUCH OPTION", 8),
        ("ALTER SEQUENCE s", 7),
        ("ALTER SEQUENCE s FOO", 7),
        ("CREATE FUNCTION f(int RETURNS int AS 'x' LANGUAGE sql", 7),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE sql", 7),
        ("CREATE FUNCTION f() RETURNS int\nLANGUAGE sql IMMUTABLE WHATEVER AS 'x'", 8),
        ("CREATE FUNCTION f() RETURNS int AS 'x' AS 'y' LANGUAGE sql", 7),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;", 7),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN", 7),
        ("CREATE FUNCTION f(a int DEFAULT) RETURNS int AS 'x' LANGUAGE sql", 7),
        ("CREATE TRIGGER t BEFORE SOMETHING ON t EXECUTE FUNCTION f()", 7),
        ("CREATE TRIGGER t BEFORE INSERT ON t FOR EACH ROW", 7),
        ("CREATE TRIGGER t DURING INSERT ON t EXECUTE FUNCTION f()", 7),
        ("CREATE POLICY p ON t FOR EVERYTHING USING (true)", 7),
        ("CREATE POLICY p ON t USING (true", 7),
        ("ALTER POLICY p ON t", 7),
        ("ALTER VIEW v", 7),
        ("ALTER VIEW v FROBNICATE", 7),
        ("COMMENT ON TABLE t IS 42", 7),
        ("COMMENT ON COLUMN t IS 'no table'", 7),
        ("COMMENT ON TABLE t", 7),
        ("COMMENT ON", 7),
        ("DROP TABLE a,", 7),
        ("DROP TABLE", 7),
        ("DROP TRIGGER t", 7),
        ("DROP INDEX a b", 7),
    ],
)
def test_malformed_input_raises_input_error(sql: str, line: int) -> None:
    with pytest.raises(InputError) as info:
        translate(Origin("db/m.sql", 7, sql))
    assert info.value.file == "db/m.sql"
    assert info.value.line == line


def test_trailing_semicolon_is_accepted() -> None:
    assert one("DROP TABLE t;") == Drop(origin=AT, kind="table", targets=(ObjectRef(q("t")),))


# --------------------------------------------------------------------------------------------
# Coverage fixtures: tests/fixtures/coverage/objects_*.sql
# --------------------------------------------------------------------------------------------

FIXTURE_FILES = fixture_files("objects")


def test_fixture_files_exist() -> None:
    assert len(FIXTURE_FILES) >= 10
    assert any(p.name.startswith("objects_errors_") for p in FIXTURE_FILES)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_coverage_fixture(path: Path) -> None:
    check_fixture(path, "objects")


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if "_errors_" not in p.name], ids=lambda p: p.name
)
def test_coverage_fixture_applies_to_postgresql(
    path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    apply_fixture(path, pg_cluster.dsn(fresh_db("objects")))
