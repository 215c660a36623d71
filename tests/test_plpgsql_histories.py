"""PL/pgSQL run statically (tests/plpgsql_histories): DO blocks with loops, ``EXECUTE format``,
catalog guards and exception handlers, and calls of a helper function the history defines, each
folded, consolidated, replayed on both sides and compared under the equality contract; the DO
block or call is absorbed (one ledger entry, nothing of its own rendered)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cli_run import run_cli
from replay_helpers import history_files, replay_both, texts
from schemafold import fold
from schemafold.errors import InputError
from schemafold.fold import FoldResult
from schemafold.parse.splitter import split_sql
from schemafold.render.postgres import render_schema
from schemafold.sources import read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import ReplayError, replay

HISTORIES = Path(__file__).parent / "plpgsql_histories"
EQUAL = ["array_variables", "catalog_guards", "database_search_path", "do_loop_execute",
         "exception_handler", "partition_helper", "seed_loop", "series_partitions"]


@cache
def folded(name: str) -> FoldResult:
    return fold(HISTORIES / name)


def procedural(result: FoldResult) -> list[tuple[str, int, str]]:
    """The ledger entries of the DO blocks and calls."""
    return [(e.file, e.line, e.outcome) for e in result.ledger
            if e.text.lstrip().upper().startswith(("DO", "SELECT", "CALL", "ALTER DATABASE"))]


def test_every_fixture_is_listed() -> None:
    assert sorted([*EQUAL, "raise_aborts"]) == sorted(p.name for p in HISTORIES.iterdir())


@pytest.mark.parametrize("name", EQUAL)
def test_squash_equals_history(name: str, clusters: tuple[Cluster, Cluster]) -> None:
    result = folded(name)
    consolidation = render_schema(result.schema)
    comparison = replay_both(clusters, history_files(HISTORIES / name),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation
    assert not [e for e in result.ledger if e.outcome == "kept-verbatim"], consolidation


@pytest.mark.parametrize("name", EQUAL)
def test_procedural_statements_are_absorbed(name: str) -> None:
    result = folded(name)
    count = sum(len(split_sql(m.text, m.path).statements)
                for m in read_history(HISTORIES / name).migrations)
    assert len(result.ledger) == count
    entries = procedural(result)
    assert entries
    assert all(outcome in ("absorbed-into", "no-op") for _, _, outcome in entries), entries
    assert not [w for w in result.warnings if "kept verbatim" in w.message
                or "not run statically" in w.message], result.warnings
    text = render_schema(result.schema)
    for entry in result.ledger:
        if entry.text.lstrip().upper().startswith(("DO", "SELECT", "CALL")):
            assert entry.text.strip() not in text, entry  # nothing rendered from its own text


def test_partition_helper_creates_each_partition_once() -> None:
    result = folded("partition_helper")
    partitions = sorted(k[2] for k in result.schema.objects
                        if k[0] == "table" and str(k[2]).startswith("measurement_"))
    assert partitions == [f"measurement_2024_{m:02d}" for m in range(1, 6)] + [
        "measurement_2025_01", "measurement_2025_02"]
    by_line = {(e.file.rsplit("/", 1)[-1], e.line): e for e in result.ledger}
    assert by_line[("0002_first.sql", 1)].target == ("table", "public", "measurement_2024_01")
    lineage = result.lineage[("table", "public", "measurement_2025_02")]
    assert lineage[0].file.endswith("0003_more.sql") and lineage[0].line == 6
    assert lineage[0].description.endswith("(run by function create_partitions)")


def test_exception_handler_undoes_its_block() -> None:
    objects = folded("exception_handler").schema.objects
    assert ("table", "public", "recovered") in objects
    assert ("table", "public", "half") not in objects
    assert objects[("table", "public", "recovered")].comment == "done 0"


def test_database_search_path_reaches_later_files_only() -> None:
    result = folded("database_search_path")
    objects = result.schema.objects
    assert ("table", "public", "still_public") in objects
    assert ("table", "app", "orders") in objects
    text = render_schema(result.schema)
    assert "CREATE TABLE app.orders" in text


def test_raise_exception_rejects_the_history(clusters: tuple[Cluster, Cluster]) -> None:
    with pytest.raises(InputError, match="version 3 is not supported"):
        fold(HISTORIES / "raise_aborts")
    left, _ = clusters
    with pytest.raises(ReplayError, match="version 3 is not supported"):
        replay(left.create_database("raise_aborts"), history_files(HISTORIES / "raise_aborts"))


def test_seed_loop_rows_are_folded() -> None:
    rows = folded("seed_loop").schema.rows[("table", "public", "plans")]
    assert len(rows) == 3


def test_squash_verify_lets_the_database_default_reach_later_files(tmp_path: Path) -> None:
    """``squash --verify`` under the default search_path sets none on each session, so the
    history's ALTER DATABASE ... SET search_path moves its later files as under a tool."""
    done = run_cli("squash", str(HISTORIES / "database_search_path"), "--out",
                   str(tmp_path / "out"), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "EQUAL" in done.stdout + done.stderr
