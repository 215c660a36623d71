"""Every fixture history under tests/histories: fold it (no database), render the consolidation,
replay history and consolidation each in its own throwaway cluster, and require equality under the
contract (schema dump with owners and privileges, roles, rows, sequences)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomllib

from schemafold import fold
from schemafold.render.postgres import render_schema
from schemafold.verify.compare import compare_databases
from schemafold.verify.engine import Cluster, ReplayFile, replay

HISTORIES = Path(__file__).parent / "histories"
FIXTURES = sorted(p.name for p in HISTORIES.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[Cluster, Cluster]]:
    with Cluster.start() as left, Cluster.start() as right:
        yield left, right


def _history_files(name: str) -> list[ReplayFile]:
    return [ReplayFile(p.name, p.read_text()) for p in sorted((HISTORIES / name).glob("*.sql"))]


def test_every_fixture_is_indexed_and_has_three_migrations() -> None:
    index = tomllib.loads((HISTORIES / "INDEX.toml").read_text())["behaviours"]
    indexed = {f for fixtures in index.values() for f in fixtures}
    assert indexed == set(FIXTURES)
    for name in FIXTURES:
        assert len(list((HISTORIES / name).glob("*.sql"))) >= 3, name


@pytest.mark.parametrize("name", FIXTURES)
def test_squash_equals_history(name: str, clusters: tuple[Cluster, Cluster]) -> None:
    left, right = clusters
    result = fold(HISTORIES / name)
    consolidation = render_schema(result.schema)
    db = f"h_{name}"
    left_dsn = left.create_database(db)
    right_dsn = right.create_database(db)
    replay(left_dsn, _history_files(name))
    replay(right_dsn, [ReplayFile("0001_schema.sql", consolidation)])
    comparison = compare_databases((left, db), (right, db))
    assert comparison.equal, comparison.summary() + "\n" + consolidation
    assert not comparison.roles_diff


@pytest.mark.parametrize("name", FIXTURES)
def test_consolidation_is_a_fold_not_a_replay(name: str) -> None:
    result = fold(HISTORIES / name)
    text = render_schema(result.schema)
    kept = {k.text for k in result.schema.kept}
    for statement in text.split(";\n"):
        body = statement.strip()
        if not body or body in kept:
            continue
        assert not re.match(r"(?is)^(DROP|.*\bRENAME\b)", body), body
        if body.upper().startswith("ALTER"):
            assert re.match(
                r"(?is)^ALTER (TABLE ONLY \S+ ADD CONSTRAINT|TABLE \S+ (ENABLE|FORCE) ROW|"
                r"\w+( \w+)? \S+ OWNER TO|SEQUENCE \S+ OWNED BY|DEFAULT PRIVILEGES)",
                body,
            ), body


@pytest.mark.parametrize("name", FIXTURES)
def test_ledger_accounts_for_every_statement(name: str) -> None:
    result = fold(HISTORIES / name)
    from schemafold.parse.splitter import split_sql

    count = sum(
        len(split_sql(p.read_text(), p.name).statements)
        for p in sorted((HISTORIES / name).glob("*.sql"))
    )
    assert len(result.ledger) == count
    final = set(result.schema.objects)
    for entry in result.ledger:
        if entry.outcome == "absorbed-into":
            assert entry.target in final or entry.target in result.lineage, entry
