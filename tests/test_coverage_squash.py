"""Every row docs/coverage.md calls **modelled** is squashed, not only parsed: its fixture
statements are folded by ``schemafold squash`` and the consolidation is proved equal to the
history on a real PostgreSQL.

``tests/test_coverage_table.py`` checks that each row's statements translate to the events the row
promises; this module checks what the fold makes of them. Each coverage fixture file that holds
statements of a modelled row is a history of one migration, run statement by statement in
autocommit mode (as the family tests replay it): it is folded, planned and written as the
``squash`` command does, and the written consolidation is replayed beside the history and
compared under the equality contract.

Where the fold stops at a statement (it refuses it, ``InputError``, or cannot follow it,
``FoldLimit``), the history proved is the file up to that statement; the row of the statement is
not modelled (the test names it), and a row with statements after it is not proven in that file.
A row whose kinds ``schemafold.testing.histories()`` draws (``STRATEGY_KINDS``) may be proven by
the generated histories instead (``tests/test_strategies.py`` squashes and proves them).
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import attrs
import pytest

from coverage_fixtures import FIXTURES, FixtureStatement, fixture_statements
from replay_helpers import replay_both
from schemafold import fold
from schemafold.errors import FoldLimit, InputError
from schemafold.files import plan_files
from schemafold.fold import FoldResult
from schemafold.layout import load_layout
from schemafold.parse.splitter import split_sql
from schemafold.sources import History, Migration
from schemafold.testing import OPERATION_KINDS
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import ReplayError, ReplayFile
from schemafold.verify.run import read_side
from schemafold.writers import write
from test_coverage_table import BY_KEY, ROWS, Row

MODELLED = [row for row in ROWS if row.treatment == "modelled"]

#: Fixture files whose squash is known to differ from them, with the bug (docs/coverage.md,
#: "Known gaps"). Their rows are not excused from a refusal of their own statements, only from
#: this file's difference; ``test_known_gaps_still_differ`` fails once a gap is closed, so that
#: it is taken off this list.
KNOWN_GAPS: dict[str, str] = {}

#: Modelled rows whose statements ``schemafold.testing.histories()`` draws, by its
#: ``OPERATION_KINDS``: such a row counts as proven when every kind listed is drawn. Empty for
#: now (every row is proven by its fixtures); the strategies are growing, add rows here as they do.
STRATEGY_KINDS: dict[str, tuple[str, ...]] = {}


@attrs.frozen
class Stop:
    """Where the fold of a fixture file stopped: the statement and the error."""

    statement: FixtureStatement
    message: str


@attrs.frozen
class FileProof:
    """What squashing a fixture file proved: the statements folded and proved (a prefix of the
    file), where the fold stopped (if it did), and the comparison's summary when unequal."""

    proved: tuple[FixtureStatement, ...]
    stop: Stop | None
    unequal: str | None


def _history_side(text: str, name: str) -> list[ReplayFile]:
    statements = tuple(s.runnable for s in split_sql(text, name).statements)
    return [ReplayFile(name, text, in_transaction=False, statements=statements)]


def _fold(history_text: str, name: str) -> tuple[History, FoldResult]:
    """Fold the one-file history ``history_text``, run statement by statement."""
    history = History(migrations=(Migration(version="0001", name="fixture", path=name,
                                            text=history_text, in_transaction=False),),
                      format="plain")
    return history, fold(history)


def _consolidation(folder: Path, history: History, result: FoldResult) -> list[ReplayFile]:
    """The consolidation written as ``squash`` writes it (one file, plain naming), read back
    as replay files."""
    plan = plan_files(result, load_layout("single"), history.migrations)
    written = [(n, t) for n, t in write(plan, "plain", base_version="0001", source="history")
               if n.endswith(".sql")]
    if not written:
        return []
    for name, text in written:
        (folder / name).write_text(text)
    return read_side(folder)


_PROOFS: dict[str, FileProof] = {}


def prove_file(name: str, clusters: tuple[Cluster, Cluster]) -> FileProof:
    """Squash the fixture file ``name`` (up to where the fold stops) and prove it; once per
    file for the module."""
    if name in _PROOFS:
        return _PROOFS[name]
    path = FIXTURES / name
    text = path.read_text()
    statements = fixture_statements(path)
    spans = split_sql(text, str(path)).statements
    stop: Stop | None = None
    upto = len(statements)
    try:
        history, result = _fold(text, name)
    except (InputError, FoldLimit) as error:
        index = next((i for i, s in enumerate(statements) if s.line <= (error.line or 0)
                      < s.line + s.text.count("\n") + 1), None)
        assert index is not None, f"{name}: the fold stopped outside a statement: {error}"
        stop = Stop(statements[index], str(error))
        upto = index
        text = text[:spans[index].start]
        history, result = _fold(text, name)
    unequal = None
    if upto:
        with tempfile.TemporaryDirectory(prefix="coverage-squash-") as tmp:
            consolidation = _consolidation(Path(tmp), history, result)
        try:
            comparison = replay_both(clusters, _history_side(text, name), consolidation,
                                     prefix="cov")
        except ReplayError as error:  # the history's file is the fixture, the rest the squash's
            assert not str(error).startswith(name), f"the fixture does not replay: {error}"
            unequal = f"the consolidation does not replay: {error}"
        else:
            if not comparison.equal or comparison.roles_diff:
                unequal = comparison.summary()
    proof = FileProof(tuple(statements[:upto]), stop, unequal)
    _PROOFS[name] = proof
    return proof


def _fixture_names(row: Row) -> list[str]:
    return sorted({s.path.name for path in sorted(FIXTURES.glob("*.sql"))
                   for s in fixture_statements(path) if s.row == row.key})


@cache
def _statements_of(row_key: str) -> tuple[FixtureStatement, ...]:
    return tuple(s for path in sorted(FIXTURES.glob("*.sql")) for s in fixture_statements(path)
                 if s.row == row_key)


def test_strategy_kinds_name_modelled_rows_and_drawn_kinds() -> None:
    for key, kinds in STRATEGY_KINDS.items():
        assert key in BY_KEY and BY_KEY[key].treatment == "modelled", key
        assert kinds and set(kinds) <= set(OPERATION_KINDS), (key, kinds)


@pytest.mark.parametrize("row", MODELLED, ids=lambda r: r.key)
def test_modelled_row_is_squashed_and_proved(row: Row,
                                             clusters: tuple[Cluster, Cluster]) -> None:
    if row.key in STRATEGY_KINDS:
        return  # drawn by schemafold.testing.histories(), proved by tests/test_strategies.py
    problems: list[str] = []
    for name in _fixture_names(row):
        proof = prove_file(name, clusters)
        mine = [s for s in _statements_of(row.key) if s.path.name == name]
        if proof.stop is not None and proof.stop.statement in mine:
            problems.append(f"squash refuses {proof.stop.statement.where()}: {proof.stop.message}")
            continue
        unproved = [s for s in mine if s not in proof.proved]
        if unproved:
            assert proof.stop is not None
            problems.append(
                f"{unproved[0].where()} is not proved: the fold of {name} stops before it, at "
                f"{proof.stop.statement.where()} (row {proof.stop.statement.row}): "
                f"{proof.stop.message}")
        elif proof.unequal is not None and name not in KNOWN_GAPS:
            problems.append(f"the squash of {name} differs from it: {proof.unequal}")
    assert not problems, f"{row.key} is called modelled, but:\n" + "\n".join(problems)


def test_known_gaps_still_differ(clusters: tuple[Cluster, Cluster]) -> None:
    for name in sorted(KNOWN_GAPS):  # one test, so that an empty list is not a skip
        proof = prove_file(name, clusters)
        assert proof.stop is None, f"{name}: the fold stops: {proof.stop}"
        assert proof.unequal is not None, f"{name} is squashed right now: take it off KNOWN_GAPS"
