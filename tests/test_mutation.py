"""Mutation testing of verify: every fixture's consolidation, changed by each mutation operator
(schemafold.testing.mutations), must be flagged exactly when its plain dump differs from the
history's.

"Differs" is decided by an independent oracle: the raw ``pg_dump`` text (schema and data) and
``pg_dumpall --roles-only`` of each side, with only the contract's normalisation applied (the
comment, SET, set_config and restrict lines dropped; rows as a sorted multiset with
volatile-default columns masked; sequence positions kept where the history set them, otherwise
only whether the sequence is behind its column). Every mutant is verified on one throwaway
cluster (the engine empties it between sides), the history built once per fixture.

To stay within about a minute, mutants are sampled deterministically: each operator
contributes at most one mutant per history (a random choice seeded by the history's and the
operator's names) and at most ``PER_OPERATOR`` in all (histories drawn the same way). The extra
history below makes sure every operator has places to change.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import attrs
import pytest
import tomllib

from schemafold import fold
from schemafold.render.postgres import render_schema
from schemafold.testing.mutations import OPERATORS, Mutant, mutants
from schemafold.verify.cluster import Server, locate_server
from schemafold.verify.dump import dump_roles, dump_schema
from schemafold.verify.replay import ReplayFile
from schemafold.verify.run import Verifier, read_side
from schemafold.verify.servers import ClusterEngine

HISTORIES = Path(__file__).parent / "histories"
INDEX = tomllib.loads((HISTORIES / "INDEX.toml").read_text())
PER_OPERATOR = 5

# A history with what the fixtures lack: rows, owners, grants, a function body, a sequence with
# its own INCREMENT.
EXTRAS = {
    "0001_base.sql": """
CREATE ROLE mut_owner NOLOGIN;
CREATE ROLE mut_reader NOLOGIN;
CREATE TYPE level AS ENUM ('low', 'mid', 'high');
CREATE SEQUENCE ticket_seq INCREMENT BY 3 START 10;
CREATE TABLE item (
    id int PRIMARY KEY,
    name text NOT NULL DEFAULT 'unnamed',
    lvl level DEFAULT 'low',
    qty int CHECK (qty >= 0)
);
INSERT INTO item (id, name, lvl, qty) VALUES (1, 'a', 'mid', 5), (2, 'b', 'high', 0),
    (3, 'c', 'low', 7);
CREATE FUNCTION item_total() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN (SELECT sum(qty) FROM item);
END
$$;
""",
    "0002_owners.sql": """
ALTER TABLE item OWNER TO mut_owner;
GRANT SELECT ON item TO mut_reader;
COMMENT ON TABLE item IS 'things';
ALTER FUNCTION item_total() OWNER TO mut_owner;
DELETE FROM item WHERE id = 2;
""",
    "0003_more.sql": """
CREATE TABLE tag (id int PRIMARY KEY, label text, weight int DEFAULT 1);
INSERT INTO tag VALUES (1, 'x', 2), (2, 'y', 3);
COMMENT ON COLUMN tag.label IS 'the label';
GRANT SELECT, UPDATE ON tag TO mut_reader;
""",
}


# ---------------------------------------------------------------------------------------------
# The oracle: the plain dumps, with only the contract's normalisation


_DROPPED = ("--", "SET ", "SELECT pg_catalog.set_config(", "\\restrict", "\\unrestrict")
_VOLATILE = re.compile(
    r"\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random|"
    r"gen_random_uuid|uuid_generate_v[14])\s*\(|\b(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|"
    r"LOCALTIMESTAMP|LOCALTIME)\b", re.IGNORECASE)
_SETVAL = re.compile(r"^SELECT pg_catalog\.setval\('([^']+)', (-?\d+), (true|false)\);$")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.startswith(_DROPPED)]


def _explicit_sequences(history: list[ReplayFile]) -> set[str]:
    """Sequences the history positions itself, by unqualified name."""
    names: set[str] = set()
    for file in history:
        names.update(n.split(".")[-1] for n in re.findall(r"setval\s*\(\s*'([^']+)'", file.sql))
        names.update(n.split(".")[-1] for n in re.findall(
            r"ALTER\s+SEQUENCE\s+(?:IF\s+EXISTS\s+)?([\w.]+)[^;]*RESTART", file.sql, re.I))
    return names


def _sequence_facts(schema: str) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[int, int]]]:
    """From a schema dump: which column each sequence feeds, and its (start, increment)."""
    feeds: dict[str, tuple[str, str]] = {}
    options: dict[str, tuple[int, int]] = {}
    table = column = None
    current: str | None = None
    for line in schema.splitlines():
        m = re.match(r"^CREATE (?:UNLOGGED )?TABLE (\S+) ", line)
        if m:
            table = m.group(1)
        m = re.match(r"^    (\S+) .*DEFAULT nextval\('([^']+)'::regclass\)", line)
        if m and table:
            feeds[m.group(2)] = (table, m.group(1))
        m = re.match(r"^ALTER TABLE (?:ONLY )?(\S+) ALTER COLUMN (\S+) (?:SET DEFAULT nextval\("
                     r"'([^']+)'|ADD GENERATED)", line)
        if m:
            table, column = m.group(1), m.group(2)
            if m.group(3):
                feeds[m.group(3)] = (table, column)
        m = re.match(r"^\s+SEQUENCE NAME (\S+)$", line)
        if m and table and column:
            current = m.group(1)
            feeds[current] = (table, column)
            options[current] = (1, 1)
        m = re.match(r"^CREATE SEQUENCE (\S+)$", line)
        if m:
            current = m.group(1)
            options[current] = (1, 1)
        m = re.match(r"^\s+(START WITH|INCREMENT BY) (-?\d+)", line)
        if m and current:
            start, step = options[current]
            options[current] = (int(m.group(2)), step) if m.group(1) == "START WITH" else (
                start, int(m.group(2)))
        m = re.match(r"^ALTER SEQUENCE (\S+) OWNED BY (\S+)\.(\S+);$", line)
        if m:
            feeds[m.group(1)] = (m.group(2), m.group(3))
    return feeds, options


def plain_state(server: Server, db: str, explicit: set[str]) -> tuple[str, ...]:
    """What the oracle compares of one side."""
    schema = dump_schema(server, db)
    data = dump_schema(server, db, data=True)
    masked: set[tuple[str, str]] = set()
    table = None
    for line in schema.splitlines():
        m = re.match(r"^CREATE (?:UNLOGGED )?TABLE (\S+) ", line)
        if m:
            table = m.group(1)
        m = re.match(r"^    (\S+) .*\bDEFAULT (.*?),?$", line)
        if m and table and _VOLATILE.search(m.group(2)):
            masked.add((table, m.group(1)))
        m = re.match(r"^ALTER TABLE (?:ONLY )?(\S+) ALTER COLUMN (\S+) SET DEFAULT (.*);$", line)
        if m and _VOLATILE.search(m.group(3)):
            masked.add((m.group(1), m.group(2)))
    rows: list[str] = []
    extremes: dict[tuple[str, str], list[int]] = {}
    positions: dict[str, tuple[int, bool]] = {}
    copy: tuple[str, list[str]] | None = None
    block: list[str] = []
    for line in data.splitlines():
        if copy is not None:
            if line == "\\.":
                rows.append(f"COPY {copy[0]} ({', '.join(copy[1])})")
                rows.extend(sorted(block))
                copy, block = None, []
                continue
            values = line.split("\t")
            for name, value in zip(copy[1], values, strict=False):
                if value != "\\N" and re.fullmatch(r"-?\d+", value):
                    extremes.setdefault((copy[0], name), []).append(int(value))
            block.append("\t".join("*" if (copy[0], n) in masked else v
                                   for n, v in zip(copy[1], values, strict=False)))
            continue
        m = re.match(r"^COPY (\S+) \((.*)\) FROM stdin;$", line)
        if m:
            copy = (m.group(1), [c.strip() for c in m.group(2).split(",")])
            continue
        m = _SETVAL.match(line)
        if m:
            positions[m.group(1)] = (int(m.group(2)), m.group(3) == "true")
    feeds, options = _sequence_facts(schema)
    sequences = []
    for name, (start, step) in sorted(options.items()):
        value, called = positions.get(name, (start, False))
        following = value + step if called else value
        if name.split(".")[-1] in explicit:
            sequences.append(f"{name} next {following}")
        column = extremes.get(feeds.get(name, ("", "")))
        if column:
            extreme = max(column) if step > 0 else min(column)
            if (following <= extreme) if step > 0 else (following >= extreme):
                sequences.append(f"{name} behind its column")
    return ("\n".join(_lines(schema)), "\n".join(rows), "\n".join(sequences),
            "\n".join(_lines(dump_roles(server))))


# ---------------------------------------------------------------------------------------------
# The run


@attrs.frozen
class Outcome:
    mutant: Mutant
    differs: bool  # the oracle
    flagged: bool  # verify
    replays: bool


def _histories(tmp: Path) -> list[tuple[str, Path]]:
    found = [(p.name, p) for p in sorted(HISTORIES.iterdir()) if p.is_dir()]
    extras = tmp / "extras"
    extras.mkdir()
    for name, text in EXTRAS.items():
        (extras / name).write_text(text)
    return [*found, ("extras", extras)]


def _plan(histories: list[tuple[str, list[tuple[str, str]]]]) -> dict[str, list[Mutant]]:
    """The sampled mutants of each history's consolidation, by history name."""
    chosen: dict[str, list[Mutant]] = {name: [] for name, _ in histories}
    for operator in OPERATORS:
        one_each = []
        for name, files in histories:
            found = list(mutants(files, [operator]))
            if found:
                one_each.append((name, random.Random(f"{name}/{operator}").choice(found)))
        drawn = random.Random(operator).sample(one_each, min(PER_OPERATOR, len(one_each)))
        # Make sure the extra history, written for the operators the fixtures lack, is in.
        if not any(name == "extras" for name, _ in drawn):
            drawn += [(n, m) for n, m in one_each if n == "extras"]
        for name, mutant in drawn:
            chosen[name].append(mutant)
    return chosen


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    engine = ClusterEngine(locate_server()[0], reuse=True)
    results: list[Outcome] = []
    folders = _histories(tmp_path_factory.mktemp("mutation"))
    environment = {}
    consolidations = []
    for name, folder in folders:
        table = INDEX.get("fixture", {}).get(name, {})
        setup = [folder / f for f in table.get("setup", ())]
        path = [s.strip() for s in table.get("search_path", "$user,public").split(",")]
        environment[name] = (table, setup, path)
        text = render_schema(fold(folder, setup=setup, search_path=path).schema)
        consolidations.append((name, [("0001_schema.sql", text)]))
    plan = _plan(consolidations)
    try:
        for (name, folder), (_, files) in zip(folders, consolidations, strict=True):
            if not plan[name]:
                continue
            history = read_side(folder)
            table, setup, path = environment[name]
            explicit = _explicit_sequences(history) | {
                s.split(".")[-1] for s in table.get("sequences", ())}
            seen: dict[str, tuple[str, ...]] = {}

            def observe(server: Server, db: str, into: str = "history") -> None:
                seen[into] = plain_state(server, db, explicit)  # noqa: B023

            verifier = Verifier(history, engine=engine, observe=observe,
                                setup=[ReplayFile(p.name, p.read_text()) for p in setup],
                                search_path=path)
            comparison, failure = verifier.check(
                [ReplayFile(n, t) for n, t in files],
                observe=lambda s, d: observe(s, d, "consolidation"))
            assert failure is None and comparison is not None and comparison.equal, (
                f"{name}: the consolidation itself is not equal to its history; mutants of it "
                f"would prove nothing\n{failure or comparison.summary()}")  # type: ignore[union-attr]
            assert seen["consolidation"] == seen["history"], name
            for mutant in plan[name]:
                seen.pop("consolidation", None)
                comparison, failure = verifier.check(
                    [ReplayFile(n, t) for n, t in mutant.files],
                    observe=lambda s, d: observe(s, d, "consolidation"))
                replays = failure is None
                differs = not replays or seen["consolidation"] != seen["history"]
                flagged = not replays or not comparison.equal  # type: ignore[union-attr]
                results.append(Outcome(attrs.evolve(mutant, description=f"{name}: "
                                                    f"{mutant.description}"),
                                       differs, flagged, replays))
    finally:
        engine.close()
    return results


def test_every_operator_makes_mutants(outcomes: list[Outcome]) -> None:
    made = Counter(o.mutant.operator for o in outcomes)
    assert set(made) == set(OPERATORS), set(OPERATORS) - set(made)


def test_verify_flags_exactly_the_mutants_whose_dump_differs(
    outcomes: list[Outcome], capsys: pytest.CaptureFixture[str]
) -> None:
    differing = [o for o in outcomes if o.differs]
    killed = [o for o in differing if o.flagged]
    rate = 100.0 * len(killed) / len(differing) if differing else 100.0
    by_operator = Counter(o.mutant.operator for o in differing)
    with capsys.disabled():  # the kill rate is printed in every run
        print(f"\nmutation testing: {len(outcomes)} mutants, {len(differing)} differ from the "
              f"history ({sum(not o.replays for o in outcomes)} do not replay), {len(killed)} "
              f"flagged by verify: kill rate {rate:.1f}%")
        for operator in OPERATORS:
            total = sum(1 for o in outcomes if o.mutant.operator == operator)
            print(f"  {operator:<28} {total:>3} mutants, {by_operator[operator]:>3} differ")
    missed = [o.mutant.label() for o in differing if not o.flagged]
    false_alarms = [o.mutant.label() for o in outcomes if o.flagged and not o.differs]
    assert missed == [], "verify called these equal, but their dumps differ:\n" + "\n".join(missed)
    assert false_alarms == [], "verify flagged these, but their dumps are equal:\n" + "\n".join(
        false_alarms)
    assert rate == 100.0

