"""What no handler reads (schemafold.parse.postgres.translate): valid PostgreSQL commands become
Opaque events with a warning, anything else is a syntax error. Plus the coverage fixtures
tests/fixtures/coverage/opaque_*.sql."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coverage_fixtures import apply_fixture, check_fixture, fixture_files
from schemafold.errors import InputError
from schemafold.events import Opaque, Origin
from schemafold.names import QName
from schemafold.parse.postgres import translate
from schemafold.verify.cluster import Cluster


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("CREATE DATABASE d", "CREATE DATABASE ... is not modelled"),
        ("CREATE TABLESPACE t LOCATION '/tmp'", "CREATE TABLESPACE ... is not modelled"),
        ("ALTER SYSTEM SET work_mem = '4MB'", "ALTER SYSTEM ... is not modelled"),
        ("ALTER LARGE OBJECT 1 OWNER TO bob", "ALTER LARGE ... is not modelled"),
        ("DROP DATABASE IF EXISTS d", "DROP DATABASE ... is not modelled"),
        ("PREPARE p AS SELECT 1", "PREPARE ... is not modelled"),
        ("EXPLAIN SELECT 1", "EXPLAIN ... is not modelled"),
        ("SECURITY LABEL ON TABLE t IS 'x'", "SECURITY ... is not modelled"),
        ("IMPORT FOREIGN SCHEMA s FROM SERVER x INTO public", "IMPORT ... is not modelled"),
        ("(SELECT 1)", "a parenthesised query ... is not modelled"),
    ],
)
def test_unhandled_commands_are_kept_verbatim(sql: str, reason: str) -> None:
    translation = translate(Origin("m.sql", 4, sql))
    (event,) = translation.events
    assert isinstance(event, Opaque)
    assert event.reason == reason
    (warning,) = translation.warnings
    assert (warning.file, warning.line) == ("m.sql", 4)
    assert reason in warning.message


def test_opaque_reads_and_writes_the_names_in_its_tokens() -> None:
    event = translate(Origin("m.sql", 1, "EXPLAIN SELECT * FROM app.item")).events[0]
    assert isinstance(event, Opaque)
    assert QName("app", "item") in event.reads
    assert event.reads == event.writes


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABEL t (a int)",
        "CREATE OR REPLACE TABEL t (a int)",
        "CREATE UNLOGGED TABEL t (a int)",
        "ALTER TABEL t ADD a int",
        "DROP TABEL t",
        "DROP",
        "GRANTS SELECT ON t TO r",
        "'text'",
    ],
)
def test_misspelt_commands_are_syntax_errors(sql: str) -> None:
    with pytest.raises(InputError, match="syntax error") as info:
        translate(Origin("db/m.sql", 9, sql))
    assert (info.value.file, info.value.line) == ("db/m.sql", 9)


# --------------------------------------------------------------------------------------------
# Coverage fixtures: tests/fixtures/coverage/opaque_*.sql
# --------------------------------------------------------------------------------------------

FIXTURE_FILES = fixture_files("opaque")


def test_fixture_files_exist() -> None:
    assert len(FIXTURE_FILES) >= 2
    assert any(p.name.startswith("opaque_errors_") for p in FIXTURE_FILES)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_coverage_fixture(path: Path) -> None:
    check_fixture(path, "opaque")


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if "_errors_" not in p.name], ids=lambda p: p.name
)
def test_coverage_fixture_applies_to_postgresql(
    path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    apply_fixture(path, pg_cluster.dsn(fresh_db("opaque")))


def test_reserved_words_are_not_names_but_unreserved_keywords_are() -> None:
    from schemafold.parse.postgres.opaque import names_in

    names, writes = names_in(
        'DO $$ BEGIN UPDATE trigger SET a = 1 WHERE false; PERFORM 1 FROM "select", x.end; END $$')
    found = {(n.schema, n.name) for n in names}
    assert writes
    # a table named like the unreserved keyword TRIGGER (as Attune's is) may be written
    assert (None, "trigger") in found
    # quoted or qualified, even a reserved word is a name
    assert (None, "select") in found and ("x", "end") in found
    assert not found & {(None, "where"), (None, "false"), (None, "from")}


def test_a_table_followed_by_its_column_list_is_a_name_not_a_call() -> None:
    from schemafold.parse.postgres.opaque import names_in

    names, writes = names_in(
        "DO $$ BEGIN INSERT INTO audit (id, note) VALUES (1, upper('x')); "
        "CREATE TABLE extra (id int); END $$")
    found = {n.name for n in names}
    assert writes
    assert {"audit", "extra"} <= found
    assert "upper" not in found
