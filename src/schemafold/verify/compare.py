"""Comparing two databases by the equality contract (design.md, "Equality (contract)").

This module owns deciding whether two replayed databases are equal and saying how they differ:
the normalised ``pg_dump --schema-only`` texts (as a diff, and object by object), roles, each
table's rows as a sorted multiset (columns filled by volatile defaults masked and named),
sequence positions, the database-level properties a schema dump leaves out, and the metrics
table. Whatever it compares more loosely, or not at all, it names in ``not_compared``.

It knows nothing of folding, migration files or SQL parsing, and replays nothing: it compares two
:class:`~schemafold.verify.snapshot.Snapshot` objects (:func:`compare_snapshots`), or reads two
live databases into snapshots first (:func:`compare_databases`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from schemafold.errors import EnvironmentProblem
from schemafold.positions import COLUMN_PREFIX
from schemafold.verify.cluster import Server
from schemafold.verify.dump import dump_roles
from schemafold.verify.snapshot import METRICS, Snapshot, normalise_dump, take_snapshot

__all__ = [
    "Comparison",
    "Metric",
    "ObjectDifference",
    "RowDifference",
    "compare_databases",
    "compare_snapshots",
    "dump_objects",
    "normalise_dump",
]

_SAMPLES = 3


@attrs.frozen
class RowDifference:
    """A table whose rows differ: how many rows only each side has, and a few of them."""

    table: str
    only_left: int
    only_right: int
    sample_left: tuple[str, ...] = ()
    sample_right: tuple[str, ...] = ()
    note: str = ""

    def describe(self) -> str:
        text = f"{self.table}: {self.only_left} row(s) only on the left, "
        text += f"{self.only_right} only on the right"
        if self.note:
            text += f" ({self.note})"
        lines = [text]
        lines += [f"    < {row}" for row in self.sample_left]
        lines += [f"    > {row}" for row in self.sample_right]
        return "\n".join(lines)


@attrs.frozen
class ObjectDifference:
    """One entry of the schema dump (an object, its comment, its privileges...) that only one
    side has (``missing``: only on the left; ``extra``: only on the right) or that both have with
    different definitions (``changed``). ``left`` and ``right`` are the definitions."""

    kind: str
    name: str
    status: str
    left: str | None
    right: str | None

    def describe(self) -> str:
        lines = [f"{self.status}: {self.kind} {self.name}"]
        for mark, text in (("<", self.left), (">", self.right)):
            if text is not None:
                lines += [f"    {mark} {line}" for line in text.splitlines()]
        return "\n".join(lines)


@attrs.frozen
class Metric:
    """One row of the metrics table: a count on each side."""

    name: str
    left: int
    right: int


@attrs.frozen
class Comparison:
    """The outcome of comparing two databases. ``equal`` is the verdict; the rest says why."""

    equal: bool
    schema_diff: str
    roles_diff: str
    database_diff: str
    row_differences: tuple[RowDifference, ...]
    masked_columns: tuple[str, ...]
    sequence_differences: tuple[str, ...]
    sequence_notes: tuple[str, ...]
    not_compared: tuple[str, ...]
    left: str = "left"
    right: str = "right"
    objects: tuple[ObjectDifference, ...] = ()
    metrics: tuple[Metric, ...] = ()

    def metrics_table(self, left: str = "", right: str = "") -> str:
        """The metrics side by side, one row per count, differing rows marked with ``*``."""
        left, right = left or self.left, right or self.right
        width = max([len("metric")] + [len(m.name) for m in self.metrics])
        lw = max(len(left), *(len(str(m.left)) for m in self.metrics)) if self.metrics else 0
        rw = max(len(right), *(len(str(m.right)) for m in self.metrics)) if self.metrics else 0
        lines = [f"{'metric':<{width}}  {left:>{lw}}  {right:>{rw}}"]
        for m in self.metrics:
            mark = "" if m.left == m.right else "  *"
            lines.append(f"{m.name:<{width}}  {m.left:>{lw}}  {m.right:>{rw}}{mark}")
        return "\n".join(lines)

    def summary(self) -> str:
        """A human-readable account: the verdict, what differs, what was masked or not compared."""
        lines = [
            f"{'EQUAL' if self.equal else 'NOT EQUAL'}: {self.left} vs {self.right}",
        ]
        if self.objects:
            lines += ["", "objects (from the schema dumps):"]
            lines += ["  " + d.describe().replace("\n", "\n  ") for d in self.objects]
        if self.schema_diff:
            lines += ["", "schema (pg_dump --schema-only, normalised) differs:", self.schema_diff]
        if self.roles_diff:
            lines += ["", "roles differ:", self.roles_diff]
        if self.database_diff:
            lines += ["", "database-level properties differ:", self.database_diff]
        if self.row_differences:
            lines += ["", "rows differ:"]
            lines += ["  " + d.describe() for d in self.row_differences]
        if self.sequence_differences:
            lines += ["", "sequences differ:"]
            lines += [f"  {s}" for s in self.sequence_differences]
        if self.sequence_notes:
            lines += ["", "sequence positions (reported, not a difference):"]
            lines += [f"  {s}" for s in self.sequence_notes]
        if self.masked_columns:
            lines += ["", "masked columns (volatile defaults, rows compared without them):"]
            lines += [f"  {c}" for c in self.masked_columns]
        if self.not_compared:
            lines += ["", "not compared:"]
            lines += [f"  {c}" for c in self.not_compared]
        if self.metrics:
            lines += ["", "metrics:", self.metrics_table()]
        return "\n".join(lines).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return attrs.asdict(self, recurse=True)


# ---------------------------------------------------------------------------------------------
# The schema dump, object by object

_HEADER = re.compile(
    r"^-- (?:Data for )?Name: (?P<name>.*); Type: (?P<type>[^;]*); "
    r"Schema: (?P<schema>[^;]*); Owner: (?P<owner>.*)$"
)


def dump_objects(raw: str) -> dict[tuple[str, str], str]:
    """The entries of a plain ``pg_dump`` text, keyed by (type, name), each with its statements
    normalised as the contract says. pg_dump heads each entry with a ``-- Name: ...; Type: ...;
    Schema: ...; Owner: ...`` comment; the owner is not part of the key (it is in the text).
    A key seen twice gets `` #2``, `` #3``... in the order of the dump."""
    entries: dict[tuple[str, str], str] = {}
    key: tuple[str, str] | None = None
    body: list[str] = []

    def close() -> None:
        if key is None:
            return
        text = normalise_dump("\n".join(body)).strip("\n")
        final, n = key, 1
        while final in entries:
            n += 1
            final = (key[0], f"{key[1]} #{n}")
        entries[final] = text

    for line in raw.splitlines():
        match = _HEADER.match(line)
        if match:
            close()
            schema = match["schema"]
            name = match["name"] if schema == "-" else f"{schema}.{match['name']}"
            key = (match["type"].lower(), name)
            body = []
        elif key is not None:
            body.append(line)
    close()
    return entries


def _object_differences(left_raw: str, right_raw: str) -> list[ObjectDifference]:
    left, right = dump_objects(left_raw), dump_objects(right_raw)
    out = []
    for key in sorted(set(left) | set(right)):
        lt, rt = left.get(key), right.get(key)
        if lt == rt:
            continue
        status = "missing" if rt is None else "extra" if lt is None else "changed"
        out.append(ObjectDifference(key[0], key[1], status, lt, rt))
    return out


# ---------------------------------------------------------------------------------------------
# Comparing


def _diff(left: str, right: str, left_name: str, right_name: str) -> str:
    if left == right:
        return ""
    return "\n".join(
        difflib.unified_diff(
            left.splitlines(),
            right.splitlines(),
            fromfile=left_name,
            tofile=right_name,
            lineterm="",
        )
    )


def _format_row(row: tuple[str | None, ...], columns: list[str]) -> str:
    values = ["NULL" if v is None else v for v in row]
    return "(" + ", ".join(f"{c}={v}" for c, v in zip(columns, values, strict=True)) + ")"


def _sort_key(row: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((v is None, v or "") for v in row)


def _compare_rows(left: Snapshot, right: Snapshot, masked: frozenset[str]) -> list[RowDifference]:
    differences: list[RowDifference] = []
    for name in sorted(set(left.tables) & set(right.tables)):
        lt, rt = left.tables[name], right.tables[name]
        if lt.relkind in ("p", "f") or rt.relkind in ("p", "f"):
            continue
        if name in left.unpopulated or name in right.unpopulated:
            if (name in left.unpopulated) != (name in right.unpopulated):
                side = "right" if name in left.unpopulated else "left"
                note = f"materialized view populated on the {side} only"
                differences.append(RowDifference(name, 0, 0, note=note))
            continue
        if name not in left.rows or name not in right.rows:
            continue
        right_names = {c.name for c in rt.columns}
        columns = [
            c.name for c in lt.columns if c.name in right_names and f"{name}.{c.name}" not in masked
        ]
        left_rows = left.rows[name].project(columns)
        right_rows = right.rows[name].project(columns)
        if left_rows == right_rows:
            continue
        only_left = left_rows - right_rows
        only_right = right_rows - left_rows
        differences.append(
            RowDifference(
                name,
                sum(only_left.values()),
                sum(only_right.values()),
                tuple(
                    _format_row(r, columns)
                    for r in sorted(only_left.elements(), key=_sort_key)[:_SAMPLES]
                ),
                tuple(
                    _format_row(r, columns)
                    for r in sorted(only_right.elements(), key=_sort_key)[:_SAMPLES]
                ),
            )
        )
    return differences



def _unique_or_public(name: str, known: Iterable[str], depth: int) -> str:
    """``name`` qualified: as given when it has all ``depth`` parts, else the one known name
    ending in it, else in ``public``."""
    if name.count(".") >= depth - 1:
        return name
    matches = sorted({k for k in known if k.split(".", 1)[1] == name})
    return matches[0] if len(matches) == 1 else f"public.{name}"


def _resolve_sequence_name(name: str, known: set[str], feeds: Mapping[str, str]) -> str:
    if name.startswith(COLUMN_PREFIX):
        column = _unique_or_public(name[len(COLUMN_PREFIX):], feeds, 3)
        return feeds.get(column, f"the sequence of {column}")
    return _unique_or_public(name, known, 2)


def _compare_sequences(
    left: Snapshot, right: Snapshot, explicit_positions: Mapping[str, int | None]
) -> tuple[list[str], list[str]]:
    # The contract binds the consolidation (right): no sequence behind its column. A history
    # that leaves one behind (ids inserted explicitly) is reported, and the consolidation may
    # be ahead of it there -- except where the history set the position itself (setval,
    # RESTART): that position is reproduced, behind or not.
    known = set(left.sequences) | set(right.sequences)
    feeds = {**right.feeds, **left.feeds}
    explicit = {_resolve_sequence_name(k, known, feeds): v for k, v in explicit_positions.items()}
    differences = [f"right: {p}" for p in right.behind
                   if not any(p.startswith(f"sequence {name} ") for name in explicit)]
    notes: list[str] = [f"left (the history): {p}" for p in left.behind]
    for name, expected in sorted(explicit.items()):
        if name not in left.sequences and name not in right.sequences:
            # gone on both sides (dropped with the table that owned it, say): nothing to compare
            continue
        positions = []
        for label, snapshot in (("left", left), ("right", right)):
            seq = snapshot.sequences.get(name)
            if seq is None:
                differences.append(f"{label}: sequence {name}, set explicitly, does not exist")
                continue
            positions.append(seq.next_value)
            if expected is not None and seq.next_value != expected:
                differences.append(
                    f"{label}: sequence {name} would next give {seq.next_value}; "
                    f"the history set it to give {expected}"
                )
        if expected is None and len(positions) == 2 and positions[0] != positions[1]:
            differences.append(
                f"sequence {name}, set explicitly, would next give {positions[0]} on the left "
                f"and {positions[1]} on the right"
            )
    for name in sorted(set(left.sequences) & set(right.sequences)):
        if name in explicit:
            continue
        lpos, rpos = left.sequences[name].next_value, right.sequences[name].next_value
        if lpos != rpos:
            notes.append(
                f"sequence {name} would next give {lpos} on the left and {rpos} on the right"
            )
    return differences, notes


def _roles_delta(before: str, after: str) -> list[str]:
    """The lines added (+) and removed (-) between two normalised roles dumps, sorted."""
    b = Counter(normalise_dump(before).splitlines())
    a = Counter(normalise_dump(after).splitlines())
    added = sorted((a - b).elements())
    removed = sorted((b - a).elements())
    return [f"+{line}" for line in added if line] + [f"-{line}" for line in removed if line]


def compare_snapshots(
    left: Snapshot,
    right: Snapshot,
    *,
    explicit_positions: Mapping[str, int | None] | None = None,
) -> Comparison:
    """Compare two snapshots by the equality contract.

    Roles: when both snapshots carry the roles dump taken before their replay, the change each
    replay made is compared; otherwise, when they come from different servers, the servers' roles
    are compared whole; otherwise roles are listed as not compared.

    ``explicit_positions`` names sequences whose positions the history set (``RESTART``,
    ``setval``), mapped to the value the next ``nextval()`` must return on both sides, or to
    None when the two sides must merely agree. Other position differences are only reported.
    """
    if left.major != right.major:
        raise EnvironmentProblem(
            f"the two sides ran on different PostgreSQL majors ({left.major} and "
            f"{right.major}); the contract compares dumps of one major"
        )
    left_name, right_name = left.label, right.label
    if left_name == right_name:
        left_name, right_name = f"left ({left_name})", f"right ({right_name})"
    not_compared: list[str] = []

    schema_diff = _diff(left.dump, right.dump, left_name, right_name)
    objects = _object_differences(left.raw_dump, right.raw_dump) if schema_diff else []

    if left.roles_before is not None and right.roles_before is not None:
        roles_diff = _diff(
            "\n".join(_roles_delta(left.roles_before, left.roles)),
            "\n".join(_roles_delta(right.roles_before, right.roles)),
            f"role changes by the {left_name} replay",
            f"role changes by the {right_name} replay",
        )
    elif left.server != right.server:
        roles_diff = _diff(
            left.roles,
            right.roles,
            f"roles of the {left_name} server",
            f"roles of the {right_name} server",
        )
    else:
        roles_diff = ""
        not_compared.append("roles (both sides on one server, and no roles baseline given)")

    database_diff = _diff(
        "\n".join(left.database), "\n".join(right.database), left_name, right_name
    )
    masked = left.masked | right.masked
    row_differences = _compare_rows(left, right, masked)
    for name in sorted(set(left.foreign_tables) | set(right.foreign_tables)):
        not_compared.append(f"rows of foreign table {name}")
    sequence_differences, sequence_notes = _compare_sequences(
        left, right, explicit_positions or {}
    )
    if left.large_objects or right.large_objects:
        not_compared.append("contents of large objects")
    if left.tablespaces or right.tablespaces:
        not_compared.append("tablespace definitions (cluster-wide; only their use is)")

    equal = not (
        schema_diff or roles_diff or database_diff or row_differences or sequence_differences
    )
    return Comparison(
        equal=equal,
        schema_diff=schema_diff,
        roles_diff=roles_diff,
        database_diff=database_diff,
        row_differences=tuple(row_differences),
        masked_columns=tuple(sorted(masked)),
        sequence_differences=tuple(sequence_differences),
        sequence_notes=tuple(sequence_notes),
        not_compared=tuple(not_compared),
        left=left_name,
        right=right_name,
        objects=tuple(objects),
        metrics=tuple(
            Metric(name, left.metrics.get(name, 0), right.metrics.get(name, 0)) for name in METRICS
        ),
    )


def compare_databases(
    left: tuple[Server, str],
    right: tuple[Server, str],
    *,
    roles_baseline: tuple[str, str] | None = None,
    explicit_positions: Mapping[str, int | None] | None = None,
) -> Comparison:
    """Compare two live databases by the equality contract; each side is ``(server, dbname)``.

    Roles are per server. When the sides are on different servers their
    ``pg_dumpall --roles-only`` outputs are compared. On one server, pass ``roles_baseline`` =
    (roles dump taken before the left side replayed, roles dump taken before the right side
    replayed), with the right side replayed after the left and nothing else changing roles in
    between: the change each replay made is then compared. Without it, roles are listed as not
    compared. See :func:`compare_snapshots` for ``explicit_positions``.
    """
    (left_server, left_db), (right_server, right_db) = left, right
    if left_server.major != right_server.major:
        raise EnvironmentProblem(
            f"the two sides run on different PostgreSQL majors ({left_server.major} and "
            f"{right_server.major}); the contract compares dumps of one major"
        )
    same = left_server.identity == right_server.identity
    left_label = f"left ({left_db})"
    right_label = f"right ({right_db})" if left_db != right_db or not same else "right"
    left_snap = take_snapshot(left_server, left_db, label=left_label)
    right_snap = take_snapshot(right_server, right_db, label=right_label)
    if same and roles_baseline is not None:
        before_left, before_right = roles_baseline
        # The left replay's change ends where the right replay's begins.
        left_snap = attrs.evolve(
            left_snap, roles_before=normalise_dump(before_left), roles=normalise_dump(before_right)
        )
        right_snap = attrs.evolve(right_snap, roles_before=normalise_dump(before_right))
    return compare_snapshots(left_snap, right_snap, explicit_positions=explicit_positions)


def roles_now(server: Server) -> str:
    """The server's roles dump, normalised: the baseline to take before a replay."""
    return normalise_dump(dump_roles(server))
