"""Coverage fixtures (tests/fixtures/coverage/<family>_*.sql), shared by the parse tests of each
statement family and by the coverage table's test.

Each statement is preceded by a line ``-- expect: ClassName[, ClassName...]`` (``error`` in
``<family>_errors_*`` files): the event classes it translates to. A line ``-- row: <key>`` says
which row of docs/coverage.md the statements after it belong to; it holds until the next
``-- row:`` line, so a file reads as sections. Both kinds of line stand between statements, never
inside one."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from schemafold.errors import InputError
from schemafold.events import Origin
from schemafold.parse.postgres import translate
from schemafold.parse.splitter import split_sql
from schemafold.verify.replay import ReplayFile, replay

FIXTURES = Path(__file__).parent / "fixtures" / "coverage"

_EXPECT = re.compile(r"^--\s*expect:\s*(.+?)\s*$", re.MULTILINE)
_ROW = re.compile(r"^--\s*row:\s*(\S+)\s*$", re.MULTILINE)


@attrs.frozen
class FixtureStatement:
    path: Path
    text: str
    line: int
    expect: tuple[str, ...]  # event class names, or ("error",)
    row: str  # key of its row in docs/coverage.md

    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def fixture_statements(path: Path) -> list[FixtureStatement]:
    """Each statement of a coverage fixture with its expected classes and its row."""
    text = path.read_text()
    out: list[FixtureStatement] = []
    previous_end = 0
    row: str | None = None
    rows_seen = 0
    for statement in split_sql(text, str(path)).statements:
        expects = _EXPECT.findall(text, previous_end, statement.start)
        assert expects, f"{path.name}:{statement.line}: no '-- expect:' line"
        assert len(expects) == 1, f"{path.name}:{statement.line}: several '-- expect:' lines"
        rows = _ROW.findall(text, previous_end, statement.start)
        rows_seen += len(rows)
        row = rows[-1] if rows else row
        assert row is not None, f"{path.name}:{statement.line}: no '-- row:' line before it"
        classes = tuple(c.strip() for c in expects[0].split(","))
        out.append(FixtureStatement(path, statement.text, statement.line, classes, row))
        previous_end = statement.end
    assert out, f"{path.name}: no statements"
    assert len(out) == len(_EXPECT.findall(text)), f"{path.name}: statements run together"
    assert rows_seen == len(_ROW.findall(text)), f"{path.name}: a '-- row:' line inside a statement"
    return out


def fixture_files(family: str) -> list[Path]:
    return sorted(FIXTURES.glob(f"{family}_*.sql"))


def check_fixture(path: Path, family: str) -> None:
    """Every statement of the fixture translates to exactly the classes its ``-- expect:`` line
    names; statements of ``<family>_errors_*`` files raise one InputError naming file and line."""
    is_error_file = path.name.startswith(f"{family}_errors_")
    for statement in fixture_statements(path):
        where = statement.where()
        assert (statement.expect == ("error",)) == is_error_file, f"{where}: {statement.expect}"
        origin = Origin(str(path), statement.line, statement.text)
        if is_error_file:
            with pytest.raises(InputError) as info:
                translate(origin)
            assert info.value.file == str(path)
            last_line = statement.line + statement.text.count("\n")
            assert statement.line <= (info.value.line or 0) <= last_line, where
            continue
        translation = translate(origin)
        got = tuple(type(e).__name__ for e in translation.events)
        assert got == statement.expect, f"{where}: {statement.text}"
        assert bool(translation.warnings) == ("Opaque" in got), where


def apply_fixture(path: Path, dsn: str) -> None:
    """Run a fixture's statements one by one, in autocommit, as psql -f would."""
    text = path.read_text()
    statements = tuple(s.text for s in split_sql(text, str(path)).statements)
    replay(dsn, [ReplayFile(path.name, text, in_transaction=False, statements=statements)])
