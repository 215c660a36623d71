"""Proving a consolidation in tests: replay a history and what schemafold made of it, each side in
its own throwaway cluster, and compare the two databases under the equality contract.

Shared by the test modules that prove fixture histories; knows nothing of any one fixture.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

from schemafold.parse.splitter import split_sql
from schemafold.sources import read_history
from schemafold.verify.compare import Comparison, compare_databases
from schemafold.verify.engine import Cluster, ReplayFile, replay

_NAMES = itertools.count(1)


def history_files(folder: Path) -> list[ReplayFile]:
    """A history's migrations as a migration tool runs them: one transaction a file, unless the
    file opts out (then statement by statement)."""
    files = []
    for migration in read_history(folder).migrations:
        statements = None
        if not migration.in_transaction:
            split = split_sql(migration.text, migration.path)
            statements = tuple(s.text for s in split.statements)
        files.append(ReplayFile(migration.path, migration.text, migration.in_transaction,
                                statements))
    return files


def texts(named: Iterable[tuple[str, str]]) -> list[ReplayFile]:
    """Consolidation files (name, SQL) as replay files."""
    return [ReplayFile(name, text) for name, text in named]


def replay_both(
    clusters: tuple[Cluster, Cluster],
    history: Sequence[ReplayFile],
    consolidation: Sequence[ReplayFile],
    *,
    explicit_positions: Iterable[str] = (),
    prefix: str = "h",
) -> Comparison:
    """Replay ``history`` on the left cluster and ``consolidation`` on the right, each into a
    fresh database, and compare them. ``explicit_positions`` names sequences whose positions the
    history set: both sides must agree on them."""
    left, right = clusters
    db = f"{prefix}_{next(_NAMES)}"
    replay(left.create_database(db), history)
    replay(right.create_database(db), consolidation)
    return compare_databases(
        (left, db), (right, db),
        explicit_positions={name: None for name in explicit_positions},
    )
