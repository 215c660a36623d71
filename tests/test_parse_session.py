"""Handlers in schemafold.parse.postgres.session: SET/RESET (search_path, roles, settings),
transaction control, LOCK and the maintenance commands. Plus the coverage fixtures
tests/fixtures/coverage/session_*.sql."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from coverage_fixtures import apply_fixture, check_fixture
from schemafold.errors import InputError
from schemafold.events import Event, Opaque, Origin, SessionStatement, SetSearchPath
from schemafold.parse.postgres import session, translate
from schemafold.parse.postgres.registry import handler_for
from schemafold.parse.tokens import Cursor
from schemafold.verify.cluster import Cluster

AT = Origin("m.sql", 1, "")  # events compare equal ignoring their origin
FIXTURES = Path(__file__).parent / "fixtures" / "coverage"
DEFAULT_PATH = SetSearchPath(origin=AT, schemas=("$user", "public"))


def events(sql: str) -> tuple[Event, ...]:
    return translate(Origin("m.sql", 1, sql)).events


def check(sql: str, *expected: Event) -> None:
    got = events(sql)
    assert got == expected, f"\n{got!r}\n!=\n{expected!r}"
    assert all(e.origin.text == sql for e in got)


def verb(sql: str) -> str:
    (event,) = events(sql)
    assert isinstance(event, SessionStatement), event
    return event.verb


def opaque(sql: str) -> Opaque:
    translation = translate(Origin("m.sql", 1, sql))
    (event,) = translation.events
    assert isinstance(event, Opaque), event
    assert translation.warnings
    return event


@pytest.mark.parametrize(
    "prefix",
    [
        "SET", "RESET", "BEGIN", "START TRANSACTION", "COMMIT", "END", "ROLLBACK", "ABORT",
        "SAVEPOINT", "RELEASE", "LOCK", "ANALYZE", "ANALYSE", "VACUUM", "CHECKPOINT", "DISCARD",
        "LISTEN", "UNLISTEN", "NOTIFY", "SHOW", "REINDEX", "CLUSTER",
    ],
)
def test_registered_prefixes(prefix: str) -> None:
    handler = handler_for(Cursor(prefix + " x"))
    assert handler is not None and handler.__module__ == session.__name__


# --------------------------------------------------------------------------------------------
# search_path
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "schemas", "local"),
    [
        ('SET search_path TO App, "B", public', ("app", "B", "public"), False),
        ("SET search_path = app", ("app",), False),
        ('SET search_path TO "$user", public;', ("$user", "public"), False),
        ("SET search_path TO '$user', public", ("$user", "public"), False),
        ("SET SESSION search_path TO app", ("app",), False),
        ("SET LOCAL search_path TO app, public", ("app", "public"), True),
        ("set Search_Path to app", ("app",), False),
        # A string is one schema name, exactly as written (PostgreSQL quotes it as an identifier).
        ("SET search_path TO 'a, b'", ("a, b",), False),
        ("SET search_path TO 'App'", ("App",), False),
        ("SET search_path = ''", ("",), False),
        ("SET search_path TO DEFAULT", ("$user", "public"), False),
        ("SET LOCAL search_path = default", ("$user", "public"), True),
        ("SET SCHEMA 'app'", ("app",), False),
        ("SET LOCAL SCHEMA 'App'", ("App",), True),
    ],
)
def test_set_search_path(sql: str, schemas: tuple[str, ...], local: bool) -> None:
    check(sql, SetSearchPath(origin=AT, schemas=schemas, local=local))


def test_reset_search_path_gives_the_default() -> None:
    check("RESET search_path", DEFAULT_PATH)
    check("RESET ALL;", SessionStatement(origin=AT, verb="reset"), DEFAULT_PATH)
    check(
        "DISCARD ALL",
        SessionStatement(origin=AT, verb="reset session authorization"),
        DEFAULT_PATH,
    )


# --------------------------------------------------------------------------------------------
# Roles and session authorization: the verbs the fold reads
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SET ROLE Admin", "set role admin"),
        ('SET ROLE "Admin"', "set role Admin"),
        ("SET ROLE 'Admin'", "set role Admin"),
        ("SET SESSION ROLE admin", "set role admin"),
        ("SET LOCAL ROLE admin;", "set local role admin"),
        ("SET ROLE NONE", "set role none"),
        ("SET LOCAL ROLE none", "set local role none"),
        ("RESET ROLE", "reset role"),
        ("SET SESSION AUTHORIZATION bob", "set session authorization bob"),
        ("SET SESSION AUTHORIZATION 'Bob'", "set session authorization Bob"),
        ("SET SESSION SESSION AUTHORIZATION bob", "set session authorization bob"),
        ("SET LOCAL SESSION AUTHORIZATION bob", "set local session authorization bob"),
        ("SET SESSION AUTHORIZATION DEFAULT", "set session authorization default"),
        ("RESET SESSION AUTHORIZATION", "reset session authorization"),
    ],
)
def test_roles(sql: str, expected: str) -> None:
    assert verb(sql) == expected


# --------------------------------------------------------------------------------------------
# Other settings, transactions, maintenance
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SET lock_timeout = '5s'", "set"),
        ("SET LOCAL statement_timeout TO 0", "set"),
        ("SET client_min_messages TO warning", "set"),
        ("SET check_function_bodies = false;", "set"),
        ("SET myapp.feature = 'on'", "set"),
        ("SET datestyle TO iso, mdy", "set"),
        ("SET TIME ZONE 'UTC'", "set"),
        ("SET SESSION TIME ZONE LOCAL", "set"),
        ("SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE", "set"),
        ("SET CONSTRAINTS ALL DEFERRED", "set"),
        ("SET CONSTRAINTS app.fk_a, fk_b IMMEDIATE", "set"),
        ("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "set"),
        ("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "set"),
        ("SET NAMES 'UTF8'", "set"),
        ("SET XML OPTION DOCUMENT", "set"),
        ("RESET lock_timeout", "reset"),
        ("RESET myapp.feature", "reset"),
        ("RESET TIME ZONE", "reset"),
        ("RESET TRANSACTION ISOLATION LEVEL", "reset"),
        ("SHOW search_path", "show"),
        ("SHOW ALL", "show"),
        ("SHOW TIME ZONE", "show"),
        ("BEGIN", "begin"),
        ("BEGIN;", "begin"),
        ("BEGIN WORK", "begin"),
        ("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "begin"),
        ("BEGIN ISOLATION LEVEL READ COMMITTED NOT DEFERRABLE", "begin"),
        ("START TRANSACTION", "begin"),
        ("START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE, DEFERRABLE", "begin"),
        ("COMMIT", "commit"),
        ("COMMIT WORK", "commit"),
        ("COMMIT TRANSACTION AND NO CHAIN", "commit"),
        ("COMMIT AND CHAIN", "commit and chain"),
        ("END", "commit"),
        ("END TRANSACTION;", "commit"),
        ("ROLLBACK", "rollback"),
        ("ROLLBACK WORK AND NO CHAIN", "rollback"),
        ("ROLLBACK AND CHAIN", "rollback and chain"),
        ("ABORT", "rollback"),
        ("ABORT TRANSACTION", "rollback"),
        ("SAVEPOINT Step1", "savepoint step1"),
        ('SAVEPOINT "Step 1"', "savepoint Step 1"),
        ("RELEASE SAVEPOINT step1", "release savepoint step1"),
        ("RELEASE step1", "release savepoint step1"),
        ("ROLLBACK TO SAVEPOINT step1", "rollback to savepoint step1"),
        ("ROLLBACK TRANSACTION TO step1", "rollback to savepoint step1"),
        ("LOCK t", "lock"),
        ("LOCK TABLE app.t IN ACCESS EXCLUSIVE MODE", "lock"),
        ("LOCK TABLE ONLY t, u * IN SHARE UPDATE EXCLUSIVE MODE NOWAIT;", "lock"),
        ("LOCK ONLY (t) IN ROW EXCLUSIVE MODE", "lock"),
        ("ANALYZE", "analyze"),
        ("ANALYZE VERBOSE t (a, b), u", "analyze"),
        ("ANALYSE (SKIP_LOCKED) t", "analyze"),
        ("VACUUM", "vacuum"),
        ("VACUUM (FULL, ANALYZE) t", "vacuum"),
        ("VACUUM FULL FREEZE VERBOSE ANALYZE t (a);", "vacuum"),
        ("CHECKPOINT", "checkpoint"),
        ("REINDEX TABLE t", "reindex"),
        ("REINDEX (VERBOSE) INDEX CONCURRENTLY app.t_idx", "reindex"),
        ("REINDEX SCHEMA app", "reindex"),
        ("CLUSTER", "cluster"),
        ("CLUSTER t", "cluster"),
        ("CLUSTER VERBOSE app.t;", "cluster"),
        ("DISCARD PLANS", "discard"),
        ("DISCARD SEQUENCES", "discard"),
        ("DISCARD TEMP", "discard"),
        ("LISTEN ch", "listen"),
        ("UNLISTEN ch", "unlisten"),
        ("UNLISTEN *", "unlisten"),
        ("NOTIFY ch", "notify"),
        ("NOTIFY ch, 'payload'", "notify"),
    ],
)
def test_session_statements(sql: str, expected: str) -> None:
    assert verb(sql) == expected


@pytest.mark.parametrize(
    "sql",
    [
        "CLUSTER t USING t_pkey",
        "CLUSTER (VERBOSE) t USING t_pkey",
        "CLUSTER t_pkey ON t",
        "REINDEX (TABLESPACE fast) TABLE t",
        "COMMIT PREPARED 'tx1'",
        "ROLLBACK PREPARED 'tx1'",
        "EXPLAIN SELECT 1",
    ],
)
def test_statements_with_schema_effects_are_opaque(sql: str) -> None:
    opaque(sql)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SET search_path = $user, public", "syntax error at or near \"$\""),
        ("SET search_path TO 1", "expected a schema name"),
        ("SET search_path TO a b", "unexpected b"),
        ("SET", "unexpected end of statement"),
        ("SET lock_timeout", "expected TO or ="),
        ("SET lock_timeout =", "syntax error at end of input"),
        ("SET SCHEMA app", "expected a string"),
        ("SET CONSTRAINTS ALL LATER", "expected DEFERRED or IMMEDIATE"),
        ("LOCK TABLE t IN SOMETHING MODE", "expected a lock mode"),
        ("LOCK TABLE t IN SHARE", "expected MODE"),
        ("LOCK TABLE ONLY t * IN SHARE MODE", "unexpected *"),
        ("BEGIN SOMETHING", "unexpected SOMETHING"),
        ("BEGIN ISOLATION LEVEL SOMETIMES", "expected an isolation level"),
        ("COMMIT AND STOP", "expected CHAIN"),
        ("ROLLBACK TO", "unexpected end of statement"),
        ("DISCARD EVERYTHING", "expected ALL, PLANS, SEQUENCES or TEMP"),
        ("RELEASE", "unexpected end of statement"),
        ("CHECKPOINT NOW", "unexpected NOW"),
        ("NOTIFY ch, 1", "expected a string"),
        ("REINDEX t", "expected INDEX, TABLE, SCHEMA, DATABASE or SYSTEM"),
        ("RESET", "unexpected end of statement"),
    ],
)
def test_malformed_statements_raise(sql: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as info:
        translate(Origin("db/m.sql", 7, sql))
    assert info.value.file == "db/m.sql"
    assert info.value.line == 7


def test_error_line_counts_from_the_statement() -> None:
    with pytest.raises(InputError) as info:
        translate(Origin("m.sql", 10, "LOCK TABLE t\n  IN NOTHING MODE"))
    assert info.value.line == 11


# --------------------------------------------------------------------------------------------
# Coverage fixtures: tests/fixtures/coverage/session_*.sql
# --------------------------------------------------------------------------------------------

FIXTURE_FILES = sorted(FIXTURES.glob("session_*.sql"))


def test_fixture_files_exist() -> None:
    names = [p.name for p in FIXTURE_FILES]
    assert len(names) >= 4
    assert any(n.startswith("session_errors_") for n in names)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_coverage_fixture(path: Path) -> None:
    check_fixture(path, "session")


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if "_errors_" not in p.name], ids=lambda p: p.name
)
def test_coverage_fixture_applies_to_postgresql(
    path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    apply_fixture(path, pg_cluster.dsn(fresh_db("session")))
