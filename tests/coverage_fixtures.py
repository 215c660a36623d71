"""Coverage fixtures (tests/fixtures/coverage/<family>_*.sql): each statement is preceded by a
line ``-- expect: ClassName[, ClassName...]`` (``error`` in ``<family>_errors_*`` files). Shared by
the parse tests of each statement family."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemafold.errors import InputError
from schemafold.events import Origin
from schemafold.parse.postgres import translate
from schemafold.parse.splitter import split_sql
from schemafold.verify.engine import ReplayFile, replay

_EXPECT = re.compile(r"^--\s*expect:\s*(.+?)\s*$", re.MULTILINE)


def fixture_statements(path: Path) -> list[tuple[str, int, list[str]]]:
    """(text, line, expected classes) for each statement of a coverage fixture."""
    text = path.read_text()
    out = []
    previous_end = 0
    for statement in split_sql(text, str(path)).statements:
        expects = _EXPECT.findall(text, previous_end, statement.start)
        assert expects, f"{path.name}:{statement.line}: no '-- expect:' line"
        out.append((statement.text, statement.line, [c.strip() for c in expects[-1].split(",")]))
        previous_end = statement.end
    assert out, f"{path.name}: no statements"
    assert len(out) == len(_EXPECT.findall(text)), f"{path.name}: statements run together"
    return out


def check_fixture(path: Path, family: str) -> None:
    is_error_file = path.name.startswith(f"{family}_errors_")
    for text, line, classes in fixture_statements(path):
        assert (classes == ["error"]) == is_error_file, f"{path.name}:{line}: {classes}"
        origin = Origin(str(path), line, text)
        if is_error_file:
            with pytest.raises(InputError) as info:
                translate(origin)
            assert info.value.file == str(path)
            assert line <= (info.value.line or 0) <= line + text.count("\n")
            continue
        translation = translate(origin)
        got = [type(e).__name__ for e in translation.events]
        assert got == classes, f"{path.name}:{line}: {text}"
        assert bool(translation.warnings) == ("Opaque" in got), f"{path.name}:{line}"


def apply_fixture(path: Path, dsn: str) -> None:
    """Run a fixture's statements one by one, in autocommit, as psql -f would."""
    text = path.read_text()
    statements = tuple(s.text for s in split_sql(text, str(path)).statements)
    replay(dsn, [ReplayFile(path.name, text, in_transaction=False, statements=statements)])
