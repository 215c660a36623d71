"""Proving a consolidation in tests: replay a history and what schemafold made of it, each side in
its own throwaway cluster, and compare the two databases under the equality contract; and the
environment a fixture history declares for that (its ``[fixture.<name>]`` table in the
``INDEX.toml`` beside it).

Shared by the test modules that prove fixture histories; knows nothing of any one fixture.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import attrs
import tomllib

from schemafold.errors import InputError
from schemafold.names import quote_ident
from schemafold.parse.splitter import split_sql
from schemafold.sources import History, read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import Comparison, compare_databases
from schemafold.verify.replay import ReplayFile, replay

_NAMES = itertools.count(1)


def history_files(history: Path | History, *, whole_files: bool = False) -> list[ReplayFile]:
    """A history's migrations (``history`` or the folder holding it) as a migration tool runs
    them: one transaction a file, unless the file opts out (then statement by statement). With
    ``whole_files`` each file is sent whole, outside an explicit transaction, as golang-migrate
    does (PostgreSQL runs it as one implicit transaction)."""
    if isinstance(history, Path):
        history = read_history(history)
    files = []
    for migration in history.migrations:
        if whole_files:
            files.append(ReplayFile(migration.path, migration.text, in_transaction=False))
            continue
        # outside a transaction they run one by one; in one, they place an error the server
        # reports without a position (a role that does not exist), as verify's do
        statements = None
        try:
            split = split_sql(migration.text, migration.path)
            statements = tuple(s.runnable for s in split.statements)
        except InputError:
            if not migration.in_transaction:
                raise
        files.append(ReplayFile(migration.path, migration.text, migration.in_transaction,
                                statements))
    return files


@attrs.frozen
class Settings:
    """A fixture history's environment: ``setup`` files (folded as external objects, replayed
    first on both sides), the ``search_path`` both sides run under, and the ``sequences`` whose
    positions the history set explicitly (both sides must agree on them)."""

    setup: tuple[Path, ...] = ()
    search_path: tuple[str, ...] = ("$user", "public")
    sequences: tuple[str, ...] = ()

    def session_setup(self) -> str:
        return "SET search_path TO " + ", ".join(quote_ident(s) for s in self.search_path)

    def setup_files(self) -> list[ReplayFile]:
        return [ReplayFile(p.name, p.read_text()) for p in self.setup]


@cache
def fixture_settings(folder: Path) -> Settings:
    """The settings of the fixture history in ``folder``, from the ``INDEX.toml`` beside it."""
    index = tomllib.loads((folder.parent / "INDEX.toml").read_text())
    table = index.get("fixture", {}).get(folder.name, {})
    unknown = set(table) - {"setup", "search_path", "sequences"}
    assert not unknown, f"{folder.name}: unknown settings {unknown}"
    return Settings(
        setup=tuple(folder / s for s in table.get("setup", ())),
        search_path=tuple(s.strip() for s in table.get("search_path", "$user,public").split(",")),
        sequences=tuple(table.get("sequences", ())),
    )


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
    settings: Settings | None = None,
) -> Comparison:
    """Replay ``history`` on the left cluster and ``consolidation`` on the right, each into a
    fresh database, and compare them. ``explicit_positions`` names sequences whose positions the
    history set (besides those its statements show, found as ``verify`` finds them): both sides
    must agree on them. ``settings`` gives both sides their setup files
    (replayed first) and search_path."""
    left, right = clusters
    db = f"{prefix}_{next(_NAMES)}"
    setup = settings.setup_files() if settings is not None else []
    session = settings.session_setup() if settings is not None else None
    replay(left.create_database(db), [*setup, *history], session_setup=session)
    replay(right.create_database(db), [*setup, *consolidation], session_setup=session)
    # as verify does: the positions the history's own statements set (setval, RESTART), and
    # those the caller names
    from schemafold.verify.run import explicit_positions as set_by_history

    return compare_databases(
        (left, db), (right, db),
        explicit_positions={**set_by_history(history),
                            **{name: None for name in explicit_positions}},
    )
