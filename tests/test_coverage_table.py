"""docs/coverage.md against the coverage fixtures, both ways: every fixture statement belongs to a
row of the table (its ``-- row:`` key) and translates to events that row promises; every row names
fixtures that exist and holds statements in each; each event a modelled row promises is shown by
one of its statements; every statement handler is exercised by some fixture."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import attrs
import pytest

from coverage_fixtures import FIXTURES, FixtureStatement, fixture_statements
from schemafold.errors import InputError
from schemafold.events import EVENT_CLASSES, Opaque, Origin
from schemafold.parse.postgres import translate
from schemafold.parse.postgres.registry import handler_for
from schemafold.parse.tokens import Cursor

TABLE = Path(__file__).parent.parent / "docs" / "coverage.md"
HEADER = ["Row", "Statement", "Treatment", "Events, or what it reads and writes", "Fixtures"]
TREATMENTS = ("modelled", "opaque with barrier", "error")
FAMILIES = ("tables", "data", "objects", "privileges", "session", "procedural", "opaque")
EVENT_NAMES = frozenset(c.__name__ for c in EVENT_CLASSES)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_CODE = re.compile(r"`([^`]+)`")


@attrs.frozen
class Row:
    key: str
    treatment: str
    events: frozenset[str]  # event classes named in the events cell (or {"InputError"})
    fixtures: tuple[str, ...]
    line: int


def parse_table(text: str) -> list[Row]:
    """The rows of every markdown table on the page whose header is HEADER."""
    rows: list[Row] = []
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in _CELL_SPLIT.split(line.strip())[1:-1]]
        if cells == HEADER:
            in_table = True
            continue
        if not in_table or set("".join(cells)) <= set("-: "):
            continue
        assert len(cells) == len(HEADER), f"coverage.md:{number}: {len(cells)} cells"
        key, _statement, treatment, events, fixtures = cells
        assert re.fullmatch(r"`[a-z]+\.[a-z0-9-]+`", key), f"coverage.md:{number}: key {key}"
        rows.append(Row(
            key=key.strip("`"),
            treatment=treatment,
            events=frozenset(n for n in _CODE.findall(events) if n in EVENT_NAMES | {"InputError"}),
            fixtures=tuple(_CODE.findall(fixtures)),
            line=number,
        ))
    return rows


ROWS = parse_table(TABLE.read_text())
BY_KEY = {row.key: row for row in ROWS}
STATEMENTS: list[FixtureStatement] = [
    s for path in sorted(FIXTURES.glob("*.sql")) for s in fixture_statements(path)
]


def statements_of(row: Row) -> list[FixtureStatement]:
    return [s for s in STATEMENTS if s.row == row.key]


# --------------------------------------------------------------------------------------------
# The table itself
# --------------------------------------------------------------------------------------------


def test_the_table_has_a_section_per_family() -> None:
    assert len(ROWS) >= 100
    assert len(BY_KEY) == len(ROWS), "a row key appears twice"
    families = {row.key.split(".")[0] for row in ROWS}
    assert families == set(FAMILIES)
    for family in FAMILIES:
        treatments = {row.treatment for row in ROWS if row.key.startswith(f"{family}.")}
        assert "error" in treatments, f"family {family} has no error row"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.key)
def test_row_is_well_formed(row: Row) -> None:
    where = f"coverage.md:{row.line} ({row.key})"
    assert row.treatment in TREATMENTS, where
    assert row.fixtures, f"{where}: names no fixture"
    for name in row.fixtures:
        assert re.fullmatch(r"[a-z]+_[a-z0-9_]+\.sql", name), f"{where}: {name}"
        assert (FIXTURES / name).is_file(), f"{where}: fixture {name} does not exist"
        assert name.startswith(row.key.split(".")[0] + "_"), f"{where}: {name} is another family's"
        assert ("_errors_" in name) == (row.treatment == "error"), f"{where}: {name}"
    if row.treatment == "modelled":
        assert row.events, f"{where}: a modelled row must name its events"
        assert "Opaque" not in row.events and "InputError" not in row.events, where
    elif row.treatment == "opaque with barrier":
        assert row.events <= {"Opaque"}, f"{where}: an opaque row names only Opaque"
    else:
        assert row.events == {"InputError"}, f"{where}: an error row names InputError"


# --------------------------------------------------------------------------------------------
# Rows against fixtures, both ways
# --------------------------------------------------------------------------------------------


def test_every_fixture_statement_belongs_to_a_row() -> None:
    orphans = [f"{s.where()} (row {s.row})" for s in STATEMENTS if s.row not in BY_KEY]
    assert not orphans, "statements whose row is not in docs/coverage.md: " + ", ".join(orphans)


def test_every_fixture_file_is_named_by_a_row() -> None:
    named = {name for row in ROWS for name in row.fixtures}
    files = {p.name for p in FIXTURES.glob("*.sql")}
    assert files - named == set(), "fixtures no row names"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.key)
def test_row_has_statements_in_each_fixture_it_names(row: Row) -> None:
    files = {s.path.name for s in statements_of(row)}
    for name in row.fixtures:
        assert name in files, f"{row.key}: {name} has no statement under '-- row: {row.key}'"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.key)
def test_row_statements_translate_to_what_the_row_promises(row: Row) -> None:
    statements = statements_of(row)
    assert statements, f"{row.key}: no fixture statement"
    shown: set[str] = set()
    for statement in statements:
        origin = Origin(str(statement.path), statement.line, statement.text)
        where = f"{statement.where()} ({row.key})"
        if row.treatment == "error":
            assert statement.expect == ("error",), where
            with pytest.raises(InputError) as info:
                translate(origin)
            assert info.value.file == str(statement.path), where
            assert info.value.line is not None and info.value.line >= statement.line, where
            continue
        translation = translate(origin)
        got = tuple(type(e).__name__ for e in translation.events)
        assert got == statement.expect, f"{where}: {got}"
        if row.treatment == "opaque with barrier":
            (event,) = translation.events
            assert isinstance(event, Opaque), where
            assert event.origin.text == statement.text, where
            assert translation.warnings, f"{where}: kept verbatim without a warning"
        else:
            # ALTER TABLE IF EXISTS puts its guard before any row's actions (the row
            # tables.alter-if-exists shows it)
            guard = {"TableIfExists"} if row.key.startswith("tables.alter") and \
                row.key != "tables.alter-if-exists" else set()
            promised = row.events | guard
            assert set(got) <= promised, f"{where}: {sorted(set(got) - promised)} not promised"
            shown.update(set(got) - guard)
    if row.treatment == "modelled":
        assert shown == row.events, f"{row.key}: no statement shows {sorted(row.events - shown)}"


def test_every_statement_handler_is_exercised_by_a_fixture() -> None:
    """Each handler (grouped by function: the rejecters of unmodelled kinds count as one) reads
    at least one fixture statement."""
    from schemafold.parse.postgres import registry

    def name(handler: object) -> str:
        return f"{getattr(handler, '__module__', '')}.{getattr(handler, '__qualname__', '')}"

    handlers = {name(h) for h in registry._HANDLERS.values()}
    exercised = defaultdict(list)
    for statement in STATEMENTS:
        handler = handler_for(Cursor(statement.text))
        if handler is not None:
            exercised[name(handler)].append(statement.where())
    missing = sorted(handlers - set(exercised))
    assert not missing, f"handlers no coverage fixture exercises: {missing}"
