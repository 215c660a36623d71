"""``verify``: replay a history and its consolidation, each on a server of its own, and compare.

This module owns a verification from end to end: reading both sides' files (through
``schemafold.sources``, so a migration tool's transaction markers are honoured), the extensions
each side creates and the sequence positions the history sets explicitly (found in the
statements' text), building each side on the engine the search order picks, and the
:class:`VerifyResult` with its text and JSON forms. A history that does not replay is bad input;
a consolidation that does not replay is a difference.

It knows nothing of folding or rendering: both sides are SQL files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from schemafold.errors import EnvironmentProblem, InputError
from schemafold.positions import positions_set, unquote
from schemafold.progress import Progress
from schemafold.verify.compare import Comparison, compare_snapshots
from schemafold.verify.replay import ReplayError, ReplayFile
from schemafold.verify.servers import ClusterEngine, Engine, Observer, Side, choose_engine
from schemafold.verify.snapshot import Snapshot

__all__ = ["VerifyResult", "Verifier", "explicit_positions", "read_side", "verify"]

_EXTENSION = re.compile(
    r'^\s*CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|[\w-]+)', re.IGNORECASE)


def _statements(file: ReplayFile) -> list[str]:
    if file.statements is not None:
        return list(file.statements)
    from schemafold.parse.splitter import split_sql

    try:
        return [s.runnable for s in split_sql(file.sql, file.name).statements]
    except InputError:
        return [file.sql]



def extensions_created(files: Iterable[ReplayFile]) -> tuple[str, ...]:
    """The extensions ``CREATE EXTENSION`` statements in ``files`` create, in order."""
    found: list[str] = []
    for file in files:
        for statement in _statements(file):
            match = _EXTENSION.match(statement)
            if match:
                found.append(unquote(match.group(1)))
    return tuple(dict.fromkeys(found))


def explicit_positions(files: Iterable[ReplayFile]) -> dict[str, int | None]:
    """Sequences whose position the history sets: both sides must agree on them (the
    contract). See :func:`schemafold.positions.positions_set`."""
    return positions_set(statement for file in files for statement in _statements(file))


def read_side(path: Path, *, source_format: str | None = None,
              defines: Mapping[str, str] | None = None) -> list[ReplayFile]:
    """A migrations folder (or one ``.sql`` file) as the files a migration tool would run."""
    from schemafold.sources import read_history

    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    history = read_history(path, source_format=source_format, defines=defines)
    from schemafold.parse.splitter import split_sql

    files = []
    for migration in history.migrations:
        # The statements run one by one outside a transaction; in one, they place an error the
        # server reports without a position.
        text = migration.text
        try:
            split = split_sql(text, migration.path)
            statements: tuple[str, ...] | None = tuple(s.runnable for s in split.statements)
            text = _without_meta_commands(text, [m.line for m in split.meta_commands])
        except InputError:
            if not migration.in_transaction:
                raise
            statements = None
        files.append(ReplayFile(migration.path, text, migration.in_transaction, statements))
    return files


def _without_meta_commands(text: str, lines: Sequence[int]) -> str:
    """``text`` with its psql meta-command lines (1-based ``lines``) blanked, line breaks kept.

    The fold ignores them with a warning (pg_dump 15.14+ writes ``\\restrict KEY`` first and
    ``\\unrestrict KEY`` last, which the server would reject as a syntax error), so the history
    is replayed as it is read: without them, as psql runs a pg_dump script."""
    if not lines:
        return text
    parts = text.split("\n")
    for line in lines:
        parts[line - 1] = ""
    return "\n".join(parts)


@attrs.frozen
class VerifyResult:
    """A verification's outcome: ``comparison`` when both sides built; ``failure`` (file, line
    and message) when the consolidation did not replay, which makes it not equal."""

    history: str
    consolidation: str
    engine: str
    comparison: Comparison | None
    failure: str | None = None
    history_files: int = 0
    consolidation_files: int = 0

    @property
    def equal(self) -> bool:
        return self.failure is None and self.comparison is not None and self.comparison.equal

    @property
    def exit_code(self) -> int:
        return 0 if self.equal else 1

    def text(self) -> str:
        """The report: verdict, sides, what differs (objects, the normalised dump diff, roles,
        rows, sequences), masked columns, what was not compared, and the metrics table."""
        lines = [
            f"schemafold verify: {'EQUAL' if self.equal else 'NOT EQUAL'}",
            f"history:       {self.history} ({self.history_files} file(s))",
            f"consolidation: {self.consolidation} ({self.consolidation_files} file(s))",
            f"engine:        {self.engine}",
        ]
        if self.failure is not None:
            lines += ["", f"the consolidation does not replay: {self.failure}"]
        if self.comparison is not None:
            body = self.comparison.summary().split("\n", 1)[1].rstrip("\n")
            if body.strip():
                lines.append(body)
        return "\n".join(lines).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "equal": self.equal,
            "history": self.history,
            "consolidation": self.consolidation,
            "engine": self.engine,
            "failure": self.failure,
            "history_files": self.history_files,
            "consolidation_files": self.consolidation_files,
        }
        comparison = self.comparison.to_dict() if self.comparison is not None else None
        if comparison is not None:
            comparison.pop("equal")
            comparison["metrics"] = {
                m["name"]: {"history": m["left"], "consolidation": m["right"]}
                for m in comparison["metrics"]
            }
        data["comparison"] = comparison
        return data


class Verifier:
    """A history built once, against which any number of consolidations are checked.

    ``engine`` builds every side (see :func:`~schemafold.verify.servers.choose_engine`); the
    history's snapshot is taken once, each :meth:`check` builds one candidate.
    """

    def __init__(
        self,
        history: Sequence[ReplayFile],
        *,
        engine: Engine,
        setup: Sequence[ReplayFile] = (),
        role: str | None = None,
        search_path: Sequence[str] | None = None,
        label: str = "history",
        observe: Observer | None = None,
    ) -> None:
        from schemafold.names import quote_ident

        self.engine = engine
        self.setup = tuple(setup)
        self.role = role
        self.session_setup = (
            "SET search_path TO " + ", ".join(quote_ident(s) for s in search_path)
            if search_path else None
        )
        self.positions = explicit_positions(history)
        self.history = self._build(Side(label, tuple(history), extensions_created(history)),
                                   observe)

    def _build(self, side: Side, observe: Observer | None) -> Snapshot:
        return self.engine.build(side, setup=self.setup, role=self.role,
                                 session_setup=self.session_setup, observe=observe)

    def check(self, files: Sequence[ReplayFile], *, label: str = "consolidation",
              observe: Observer | None = None) -> tuple[Comparison | None, str | None]:
        """Build ``files`` and compare them with the history: (comparison, None), or (None,
        the replay error) when they do not replay. ``observe`` sees the built database before
        it is read and removed."""
        side = Side(label, tuple(files), extensions_created(files))
        try:
            snapshot = self._build(side, observe)
        except ReplayError as error:
            return None, str(error)
        return compare_snapshots(self.history, snapshot,
                                 explicit_positions=self.positions), None


def verify(
    history: str | os.PathLike[str],
    consolidation: str | os.PathLike[str],
    *,
    dsn: str | None = None,
    setup: Sequence[str | os.PathLike[str]] = (),
    source_format: str | None = None,
    consolidation_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    role: str | None = None,
    search_path: Sequence[str] | None = None,
    progress: Progress | None = None,
    allow_outside_database: bool = False,
    engine: Engine | None = None,
) -> VerifyResult:
    """Replay ``history`` and ``consolidation`` (folders or ``.sql`` files) and compare them by
    the equality contract. ``source_format`` (and ``defines``) say how to read the history,
    ``consolidation_format`` the consolidation (default: both detected from the folder's shape).

    The server is ``dsn`` when given (the sides one after the other, each in a database of its
    own), else a throwaway cluster from the local binaries, else from a pip-installed server:
    one cluster, started while the files are read, with a database per side and the two sides
    replayed in parallel -- or, when a side creates, changes or drops roles (cluster-wide), a
    cluster per side, the two built in parallel (see docs/verify.md). ``engine`` is one already
    chosen (``squash --verify`` starts its cluster before folding); it is closed here.
    ``setup`` files run first on both sides (as the superuser, or the DSN's role); both sides
    replay as ``role`` when given. Raises :class:`InputError` when the history does not replay
    (it names file and line) and :class:`~schemafold.errors.EnvironmentProblem` when no server
    can be had or an extension is missing.

    On a server the user names (``dsn``), statements that reach outside the database being
    built (:mod:`schemafold.verify.reach`) are refused with an :class:`InputError` before
    anything runs, unless ``allow_outside_database``.
    """
    history, consolidation = Path(history), Path(consolidation)
    setup_paths = [Path(p) for p in setup]
    for path in (history, consolidation, *setup_paths):
        if not path.exists():
            raise InputError("no such file or folder", file=str(path))
    no_server: EnvironmentProblem | None = None
    if engine is None:
        try:
            engine = choose_engine(dsn, progress=progress)
        except EnvironmentProblem as problem:  # bad input is said first, as before
            no_server = problem
    if isinstance(engine, ClusterEngine):
        engine.start_early()
    try:
        history_files = read_side(history, source_format=source_format, defines=defines)
        consolidation_files = read_side(consolidation, source_format=consolidation_format)
        setup_files = [f for path in setup_paths
                       for f in read_side(path, source_format="plain")]
        if no_server is not None:
            raise no_server
        assert engine is not None
        if dsn and not allow_outside_database:
            _refuse_reaching_outside(engine, [*setup_files, *history_files, *consolidation_files])
        if isinstance(engine, ClusterEngine):
            comparison, failure = _verify_at_once(engine, history_files, consolidation_files,
                                                  setup_files, role, search_path)
        else:
            try:
                verifier = Verifier(history_files, engine=engine, setup=setup_files, role=role,
                                    search_path=search_path)
            except ReplayError as error:
                raise _history_failed(error) from None
            comparison, failure = verifier.check(consolidation_files)
    finally:
        if engine is not None:
            engine.close()
    return VerifyResult(
        history=os.fspath(history),
        consolidation=os.fspath(consolidation),
        engine=engine.description,
        comparison=comparison,
        failure=failure,
        history_files=len(history_files),
        consolidation_files=len(consolidation_files),
    )


def _refuse_reaching_outside(engine: Engine, files: Sequence[ReplayFile]) -> None:
    """``verify --dsn``: refuse, before anything runs, a statement that would act on the
    user's server beyond the database a side is built in."""
    from schemafold.verify.reach import reaching_outside
    from schemafold.verify.servers import DsnEngine, role_names

    if not isinstance(engine, DsnEngine):
        return
    found = reaching_outside(((f.name, f.sql) for f in files), role_names(engine.server))
    if found:
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InputError(f"{first.why}; refusing to run it on {engine.server.where}{more} "
                         "(--allow-outside-database runs it)", file=first.file,
                         line=first.line, text=first.text)


def _history_failed(error: ReplayError) -> InputError:
    return InputError(f"the history does not replay: {error.message}", file=error.file,
                      line=error.line, text=error.text)


def _verify_at_once(engine: ClusterEngine, history: Sequence[ReplayFile],
                    consolidation: Sequence[ReplayFile], setup: Sequence[ReplayFile],
                    role: str | None, search_path: Sequence[str] | None
                    ) -> tuple[Comparison | None, str | None]:
    """Both sides built at once (``ClusterEngine.build_both``), then compared."""
    from schemafold.names import quote_ident

    session_setup = ("SET search_path TO " + ", ".join(quote_ident(s) for s in search_path)
                     if search_path else None)
    sides = [Side("history", tuple(history), extensions_created(history)),
             Side("consolidation", tuple(consolidation), extensions_created(consolidation))]
    try:
        built = engine.build_both(sides, setup=setup, role=role, session_setup=session_setup)
    except ReplayError as error:  # the setup, which is part of the history
        raise _history_failed(error) from None
    left, right = built
    if isinstance(left, ReplayError):
        raise _history_failed(left) from None
    if isinstance(left, Exception):
        raise left
    if isinstance(right, ReplayError):
        return None, str(right)
    if isinstance(right, Exception):
        raise right
    return compare_snapshots(left, right, explicit_positions=explicit_positions(history)), None
