"""Handlers in schemafold.parse.postgres.privileges: GRANT, REVOKE (object privileges, ON ALL ...
IN SCHEMA, role membership) and ALTER DEFAULT PRIVILEGES. Plus the coverage fixtures
tests/fixtures/coverage/privileges_*.sql."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coverage_fixtures import apply_fixture, check_fixture
from schemafold.errors import InputError
from schemafold.events import (
    DefaultPrivileges,
    Event,
    Grant,
    GrantOnAll,
    ObjectRef,
    Opaque,
    Origin,
    RoleStatement,
)
from schemafold.names import QName
from schemafold.parse.postgres import privileges, translate
from schemafold.parse.postgres.registry import handler_for
from schemafold.parse.tokens import Cursor
from schemafold.verify.cluster import Cluster

AT = Origin("m.sql", 1, "")  # events compare equal ignoring their origin
FIXTURES = Path(__file__).parent / "fixtures" / "coverage"


def q(text: str) -> QName:
    return QName.parse(text)


def ref(text: str, arg_types: tuple[str, ...] | None = None) -> ObjectRef:
    return ObjectRef(q(text), arg_types)


def events(sql: str) -> tuple[Event, ...]:
    return translate(Origin("m.sql", 1, sql)).events


def check(sql: str, *expected: Event) -> None:
    got = events(sql)
    assert got == expected, f"\n{got!r}\n!=\n{expected!r}"
    assert all(e.origin.text == sql for e in got)


def opaque(sql: str) -> Opaque:
    translation = translate(Origin("m.sql", 1, sql))
    (event,) = translation.events
    assert isinstance(event, Opaque), event
    assert translation.warnings
    return event


def grant(**fields: Any) -> Grant:
    fields.setdefault("kind", "table")
    return Grant(origin=AT, **fields)


@pytest.mark.parametrize("prefix", ["GRANT", "REVOKE", "ALTER DEFAULT PRIVILEGES"])
def test_registered_prefixes(prefix: str) -> None:
    handler = handler_for(Cursor(prefix + " x"))
    assert handler is not None and handler.__module__ == privileges.__name__


# --------------------------------------------------------------------------------------------
# GRANT / REVOKE on named objects
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            'GRANT SELECT, INSERT ON TABLE a, s.b TO r1, "R2", public',
            grant(privileges=("SELECT", "INSERT"), targets=(ref("a"), ref("s.b")),
                  grantees=("r1", "R2", "PUBLIC")),
        ),
        (
            "grant select on Accounts to Reader;",
            grant(privileges=("SELECT",), targets=(ref("accounts"),), grantees=("reader",)),
        ),
        (
            'GRANT DELETE ON "Mixed"."Case" TO "public"',
            grant(privileges=("DELETE",), targets=(ref('"Mixed"."Case"'),), grantees=("PUBLIC",)),
        ),
        (
            "GRANT ALL PRIVILEGES ON t TO r WITH GRANT OPTION",
            grant(privileges=("ALL",), targets=(ref("t"),), grantees=("r",), grant_option=True),
        ),
        (
            "GRANT ALL ON t TO r GRANTED BY CURRENT_USER",
            grant(privileges=("ALL",), targets=(ref("t"),), grantees=("r",)),
        ),
        (
            "GRANT TRUNCATE, REFERENCES, TRIGGER, SELECT, SELECT ON t TO GROUP staff",
            grant(privileges=("TRUNCATE", "REFERENCES", "TRIGGER", "SELECT"), targets=(ref("t"),),
                  grantees=("staff",)),
        ),
        (
            "GRANT SELECT ON t TO CURRENT_USER, session_user, Current_Role",
            grant(privileges=("SELECT",), targets=(ref("t"),),
                  grantees=("CURRENT_USER", "SESSION_USER", "CURRENT_ROLE")),
        ),
        (
            'GRANT SELECT ON t TO "current_user"',
            grant(privileges=("SELECT",), targets=(ref("t"),), grantees=("current_user",)),
        ),
        (
            "GRANT USAGE ON app.counter TO r",  # a sequence named with the table syntax
            grant(privileges=("USAGE",), targets=(ref("app.counter"),), grantees=("r",)),
        ),
        (
            "GRANT USAGE, SELECT, UPDATE ON SEQUENCE s.a_id_seq, b TO r",
            grant(privileges=("USAGE", "SELECT", "UPDATE"), kind="sequence",
                  targets=(ref("s.a_id_seq"), ref("b")), grantees=("r",)),
        ),
        (
            'GRANT USAGE, CREATE ON SCHEMA app, "Other" TO r',
            grant(privileges=("USAGE", "CREATE"), kind="schema",
                  targets=(ObjectRef(QName(None, "app")), ObjectRef(QName(None, "Other"))),
                  grantees=("r",)),
        ),
        (
            "GRANT USAGE ON TYPE app.mood TO r",
            grant(privileges=("USAGE",), kind="type", targets=(ref("app.mood"),),
                  grantees=("r",)),
        ),
        (
            "GRANT ALL ON DOMAIN email TO r",
            grant(privileges=("ALL",), kind="domain", targets=(ref("email"),), grantees=("r",)),
        ),
        (
            "GRANT CONNECT, TEMP, TEMPORARY, CREATE ON DATABASE app TO r",
            grant(privileges=("CONNECT", "TEMPORARY", "CREATE"), kind="database",
                  targets=(ref("app"),), grantees=("r",)),
        ),
        (
            "GRANT USAGE ON LANGUAGE plpgsql TO r",
            grant(privileges=("USAGE",), kind="language", targets=(ref("plpgsql"),),
                  grantees=("r",)),
        ),
    ],
)
def test_grant(sql: str, expected: Grant) -> None:
    check(sql, expected)


def test_column_privileges_give_one_grant_per_column_list() -> None:
    check(
        "GRANT SELECT (id, Email), UPDATE (name), DELETE, INSERT (id, email) ON t TO r",
        grant(privileges=("SELECT", "INSERT"), targets=(ref("t"),), grantees=("r",),
              columns=("id", "email")),
        grant(privileges=("UPDATE",), targets=(ref("t"),), grantees=("r",), columns=("name",)),
        grant(privileges=("DELETE",), targets=(ref("t"),), grantees=("r",)),
    )
    check(
        'GRANT ALL ("Odd") ON TABLE t TO r',
        grant(privileges=("ALL",), targets=(ref("t"),), grantees=("r",), columns=("Odd",)),
    )


@pytest.mark.parametrize(
    ("sql", "kind", "targets"),
    [
        (
            "GRANT EXECUTE ON FUNCTION app.f(int, text[], varchar(10)) TO r",
            "function",
            (ref("app.f", ("integer", "text[]", "character varying")),),
        ),
        (
            "GRANT EXECUTE ON FUNCTION f(a integer, OUT b text, INOUT c int8, VARIADIC d _int4) "
            "TO r",
            "function",
            (ref("f", ("integer", "bigint", "integer[]")),),
        ),
        (
            "GRANT EXECUTE ON FUNCTION f(double precision, ts timestamp(3) with time zone) TO r",
            "function",
            (ref("f", ("double precision", "timestamp with time zone")),),
        ),
        ("GRANT EXECUTE ON FUNCTION f() TO r", "function", (ref("f", ()),)),
        ("GRANT EXECUTE ON FUNCTION f, g(bool) TO r", "function",
         (ref("f"), ref("g", ("boolean",)))),
        ("GRANT EXECUTE ON PROCEDURE p(text) TO r", "procedure", (ref("p", ("text",)),)),
        ("GRANT ALL ON ROUTINE s.r TO r", "routine", (ref("s.r"),)),
    ],
)
def test_grant_on_routines(sql: str, kind: str, targets: tuple[ObjectRef, ...]) -> None:
    privileges_ = ("ALL",) if " ALL " in sql else ("EXECUTE",)
    check(sql, grant(privileges=privileges_, kind=kind, targets=targets, grantees=("r",)))


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "REVOKE SELECT ON t FROM r",
            grant(privileges=("SELECT",), targets=(ref("t"),), grantees=("r",), revoke=True),
        ),
        (
            "REVOKE ALL PRIVILEGES ON TABLE t FROM PUBLIC CASCADE",
            grant(privileges=("ALL",), targets=(ref("t"),), grantees=("PUBLIC",), revoke=True,
                  cascade=True),
        ),
        (
            "REVOKE ALL ON t FROM r GRANTED BY CURRENT_USER RESTRICT",
            grant(privileges=("ALL",), targets=(ref("t"),), grantees=("r",), revoke=True),
        ),
        (
            "REVOKE GRANT OPTION FOR UPDATE (a) ON t FROM r",
            grant(privileges=("UPDATE",), targets=(ref("t"),), grantees=("r",), columns=("a",),
                  grant_option=True, revoke=True),
        ),
        (
            "REVOKE EXECUTE ON FUNCTION f(integer) FROM PUBLIC",
            grant(privileges=("EXECUTE",), kind="function", targets=(ref("f", ("integer",)),),
                  grantees=("PUBLIC",), revoke=True),
        ),
    ],
)
def test_revoke(sql: str, expected: Grant) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("GRANT admin TO alice", RoleStatement(origin=AT, verb="grant", names=("admin",))),
        (
            'GRANT Admin, "Ops" TO alice, bob WITH ADMIN OPTION GRANTED BY CURRENT_USER',
            RoleStatement(origin=AT, verb="grant", names=("admin", "Ops")),
        ),
        (
            "GRANT admin TO alice WITH INHERIT FALSE, SET TRUE",
            RoleStatement(origin=AT, verb="grant", names=("admin",)),
        ),
        ("REVOKE admin FROM alice", RoleStatement(origin=AT, verb="revoke", names=("admin",))),
        (
            "REVOKE ADMIN OPTION FOR admin FROM alice CASCADE",
            RoleStatement(origin=AT, verb="revoke", names=("admin",)),
        ),
    ],
)
def test_role_membership(sql: str, expected: RoleStatement) -> None:
    check(sql, expected)


@pytest.mark.parametrize(
    "sql",
    [
        "GRANT USAGE ON FOREIGN DATA WRAPPER w TO r",
        "GRANT USAGE ON FOREIGN SERVER s TO r",
        "GRANT SELECT ON LARGE OBJECT 1234 TO r",
        "GRANT CREATE ON TABLESPACE pg_default TO r",
        "GRANT SET ON PARAMETER work_mem TO r",
        "REVOKE ALL ON ALL TABLES IN SCHEMA s FROM r CASCADE",
        "GRANT SELECT (id) ON ALL TABLES IN SCHEMA s TO r",
        "ALTER DEFAULT PRIVILEGES GRANT SELECT ON LARGE OBJECTS TO r",
    ],
)
def test_unmodelled_privileges_are_opaque(sql: str) -> None:
    opaque(sql)


# --------------------------------------------------------------------------------------------
# ON ALL ... IN SCHEMA
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            'GRANT SELECT ON ALL TABLES IN SCHEMA app, "Other" TO r, PUBLIC',
            GrantOnAll(origin=AT, privileges=("SELECT",), kind="tables",
                       schemas=("app", "Other"), grantees=("r", "PUBLIC")),
        ),
        (
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA app TO r WITH GRANT OPTION",
            GrantOnAll(origin=AT, privileges=("USAGE", "SELECT"), kind="sequences",
                       schemas=("app",), grantees=("r",), grant_option=True),
        ),
        (
            "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA app TO r",
            GrantOnAll(origin=AT, privileges=("EXECUTE",), kind="functions", schemas=("app",),
                       grantees=("r",)),
        ),
        (
            "GRANT ALL ON ALL PROCEDURES IN SCHEMA app TO r",
            GrantOnAll(origin=AT, privileges=("ALL",), kind="procedures", schemas=("app",),
                       grantees=("r",)),
        ),
        (
            "GRANT EXECUTE ON ALL ROUTINES IN SCHEMA app TO r",
            GrantOnAll(origin=AT, privileges=("EXECUTE",), kind="routines", schemas=("app",),
                       grantees=("r",)),
        ),
        (
            "REVOKE GRANT OPTION FOR ALL PRIVILEGES ON ALL TABLES IN SCHEMA app FROM r RESTRICT",
            GrantOnAll(origin=AT, privileges=("ALL",), kind="tables", schemas=("app",),
                       grantees=("r",), grant_option=True, revoke=True),
        ),
    ],
)
def test_grant_on_all(sql: str, expected: GrantOnAll) -> None:
    check(sql, expected)


# --------------------------------------------------------------------------------------------
# ALTER DEFAULT PRIVILEGES
# --------------------------------------------------------------------------------------------


def default(**fields: Any) -> DefaultPrivileges:
    fields.setdefault("for_roles", ())
    fields.setdefault("schemas", ())
    return DefaultPrivileges(origin=AT, **fields)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reader",
            default(privileges=("SELECT",), kind="tables", grantees=("reader",)),
        ),
        (
            "ALTER DEFAULT PRIVILEGES FOR ROLE owner, \"Other\" IN SCHEMA app, b "
            "GRANT SELECT, INSERT ON TABLES TO reader WITH GRANT OPTION",
            default(for_roles=("owner", "Other"), schemas=("app", "b"),
                    privileges=("SELECT", "INSERT"), kind="tables", grantees=("reader",),
                    grant_option=True),
        ),
        (
            "ALTER DEFAULT PRIVILEGES IN SCHEMA app FOR USER owner GRANT USAGE ON SEQUENCES TO r",
            default(for_roles=("owner",), schemas=("app",), privileges=("USAGE",),
                    kind="sequences", grantees=("r",)),
        ),
        (
            "alter default privileges grant execute on routines to r",
            default(privileges=("EXECUTE",), kind="functions", grantees=("r",)),
        ),
        (
            "ALTER DEFAULT PRIVILEGES GRANT ALL ON FUNCTIONS TO r",
            default(privileges=("ALL",), kind="functions", grantees=("r",)),
        ),
        (
            "ALTER DEFAULT PRIVILEGES GRANT USAGE ON TYPES TO r",
            default(privileges=("USAGE",), kind="types", grantees=("r",)),
        ),
        (
            "ALTER DEFAULT PRIVILEGES FOR ROLE owner GRANT USAGE, CREATE ON SCHEMAS TO r",
            default(for_roles=("owner",), privileges=("USAGE", "CREATE"), kind="schemas",
                    grantees=("r",)),
        ),
        (
            "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
            default(privileges=("EXECUTE",), kind="functions", grantees=("PUBLIC",),
                    revoke=True),
        ),
        (
            "ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE GRANT OPTION FOR SELECT ON TABLES "
            "FROM reader CASCADE;",
            default(schemas=("app",), privileges=("SELECT",), kind="tables",
                    grantees=("reader",), grant_option=True, revoke=True),
        ),
    ],
)
def test_default_privileges(sql: str, expected: DefaultPrivileges) -> None:
    check(sql, expected)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("GRANT EXECUTE ON TABLE t TO r", "invalid privilege type EXECUTE for table"),
        ("GRANT EXECUTE ON t TO r", "invalid privilege type EXECUTE for table"),
        ("GRANT SELECT ON SCHEMA s TO r", "invalid privilege type SELECT for schema"),
        ("GRANT SELECT ON t", "expected TO"),
        ("GRANT FLY ON t TO r", "unrecognized privilege type FLY"),
        ("REVOKE SELECT ON t TO r", "expected FROM"),
        ("GRANT SELECT (a) ON SEQUENCE s TO r", "for column"),
        ("GRANT DELETE (a) ON t TO r", "for column"),
        ("GRANT SELECT ON t TO r WITH ADMIN OPTION", "unexpected WITH"),
        ("REVOKE GRANT OPTION FOR admin FROM r", "expected ON"),
        ("GRANT SELECT ON t TO r extra", "unexpected extra"),
        ("GRANT admin TO r WITH SOMETHING", "expected ADMIN, INHERIT or SET"),
        ("GRANT SELECT ON ALL VIEWS IN SCHEMA s TO r", "expected TABLES"),
        ("GRANT EXECUTE ON ALL TABLES IN SCHEMA s TO r", "invalid privilege type EXECUTE"),
        (
            "ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT USAGE ON SCHEMAS TO r",
            "cannot use IN SCHEMA",
        ),
        ("ALTER DEFAULT PRIVILEGES GRANT SELECT ON VIEWS TO r", "expected TABLES"),
        ("ALTER DEFAULT PRIVILEGES GRANT SELECT (a) ON TABLES TO r", "column privileges"),
        ("ALTER DEFAULT PRIVILEGES FOR app GRANT SELECT ON TABLES TO r", "expected ROLE or USER"),
        ("ALTER DEFAULT PRIVILEGES SELECT ON TABLES TO r", "expected GRANT or REVOKE"),
    ],
)
def test_malformed_statements_raise(sql: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as info:
        translate(Origin("db/m.sql", 7, sql))
    assert info.value.file == "db/m.sql"
    assert info.value.line == 7


# --------------------------------------------------------------------------------------------
# Coverage fixtures: tests/fixtures/coverage/privileges_*.sql
# --------------------------------------------------------------------------------------------

FIXTURE_FILES = sorted(FIXTURES.glob("privileges_*.sql"))


def test_fixture_files_exist() -> None:
    names = [p.name for p in FIXTURE_FILES]
    assert len(names) >= 4
    assert any(n.startswith("privileges_errors_") for n in names)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_coverage_fixture(path: Path) -> None:
    check_fixture(path, "privileges")


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if "_errors_" not in p.name], ids=lambda p: p.name
)
def test_coverage_fixture_applies_to_postgresql(
    path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    apply_fixture(path, pg_cluster.dsn(fresh_db("privileges")))
