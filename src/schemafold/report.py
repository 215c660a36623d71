"""The consolidation report: what a history did on its way to the net schema, found in the fold's
lineage and ledger — the analysis a team otherwise writes by hand before squashing.

Owns: the findings and how they are written (Markdown for people, a dict for JSON):

- **created then dropped**: objects (tables, columns, constraints, indexes, views, types,
  functions, triggers...) that a later statement dropped, with what went with them;
- **added later**: columns, constraints, indexes and triggers a table received after another
  table had been created since its own creation (the history came back to it), and types
  created after the first migration that created types;
- **changed**: objects of the net schema defined more than once (replaced, dropped and created
  again, altered) and comments rewritten, with every step;
- **wiped**: rows inserted and then removed by a ``TRUNCATE`` or ``DELETE``;
- **no effect**: statements that changed nothing on a fresh database (``IF EXISTS`` that found
  nothing, an ``UPDATE`` of an empty table...), with the reason;
- **kept verbatim** and **barriers**: what the fold could not evaluate, and why;
- counts before and after, and the consolidation's files.

Places are ``file:line`` of the statement (a column or constraint declared inside a
``CREATE TABLE`` has the place of that statement).

It reads the lineage's data (actions, parts, causes: ``schemafold.lineage``), never its
descriptions' wording.

Must not know: SQL text, rendering details, databases.
"""

from __future__ import annotations

import builtins
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

from schemafold import events as ev
from schemafold.errors import SchemaWarning
from schemafold.files import FilePlan
from schemafold.fold import FoldResult
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Action, Change, LineageEntry, Part, describe_key
from schemafold.model import Index, Key, Table, Trigger
from schemafold.sources import History


@attrs.frozen
class Finding:
    """One thing the history did: the object, its places by role (``created``, ``dropped``,
    ``added``, ``table_created``, ``inserted``, ``wiped``, ``at``), the steps of a change, what
    went with it, and a note.

    As data, read from the lineage (not from ``object``'s words): ``key`` the object's key
    (for a constraint, its table's, with ``part`` naming the constraint), ``part`` the column,
    constraint or index of the object the finding is about, ``cause`` the key of the object
    whose drop took this one with it."""

    object: str
    places: tuple[tuple[str, str], ...]
    steps: tuple[str, ...] = ()
    went_with: tuple[str, ...] = ()
    via: str | None = None
    note: str | None = None
    key: ObjectKey | None = None
    part: Part | None = None
    cause: ObjectKey | None = None

    def place(self, role: str) -> str | None:
        return dict(self.places).get(role)

    def to_dict(self) -> dict[str, builtins.object]:
        data: dict[str, builtins.object] = {"object": self.object, **dict(self.places)}
        if self.steps:
            data["steps"] = list(self.steps)
            data["final"] = self.steps[-1]
        if self.went_with:
            data["with"] = list(self.went_with)
        if self.via:
            data["via"] = self.via
        if self.note:
            data["note"] = self.note
        if self.key is not None:
            data["kind"] = str(self.part.kind if self.part is not None else self.key.kind)
            data["key"] = list(self.key)
        if self.part is not None:
            data["part"] = {"kind": str(self.part.kind), "name": self.part.name}
        if self.cause is not None:
            data["cause"] = describe_key(self.cause)
        return data


@attrs.frozen
class Count:
    what: str
    history: int | None
    consolidation: int | None


@attrs.frozen
class FileSummary:
    name: str
    description: str
    statements: int


SECTIONS = (
    ("created_then_dropped", "Created, then dropped"),
    ("added_later", "Added later"),
    ("changed", "Changed"),
    ("wiped", "Rows wiped"),
    ("no_effect", "Statements without effect on a fresh database"),
    ("kept_verbatim", "Kept verbatim"),
    ("barriers", "Barriers: where folding stopped"),
    ("rule_changes", "Rules that now apply to kept statements"),
)


@attrs.frozen
class Report:
    """The report of one history; ``sections`` maps each name of :data:`SECTIONS` to its
    findings, in history order; ``warnings`` are the fold's and the planning's (not part of
    ``to_dict()`` or ``markdown()``: the command line prints them on stderr)."""

    source: str
    counts: tuple[Count, ...]
    sections: Mapping[str, tuple[Finding, ...]]
    files: tuple[FileSummary, ...]
    outcomes: tuple[tuple[str, int], ...]
    warnings: tuple[SchemaWarning, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "counts": [attrs.asdict(c) for c in self.counts],
            **{name: [f.to_dict() for f in self.sections[name]] for name, _ in SECTIONS},
            "ledger": dict(self.outcomes),
            "files": [attrs.asdict(f) for f in self.files],
        }

    def markdown(self) -> str:
        return _markdown(self)


# ---------------------------------------------------------------------------------------------
# Building


class _Builder:
    def __init__(self, history: History, result: FoldResult) -> None:
        self.history = history
        self.result = result
        self.order = {(e.file, e.line): i for i, e in enumerate(result.ledger)}
        self.texts = {(e.file, e.line): e.text for e in result.ledger}
        self.events = {(e.origin.file, e.origin.line): e for e in result.events}
        self.objects = result.schema.objects

    # -- helpers ------------------------------------------------------------------------------

    def rank(self, entry: LineageEntry) -> int:
        return self.order.get((entry.file, entry.line), len(self.order))

    def alive(self, key: Key) -> bool:
        if key.kind == ObjectKind.COLUMN:
            table = self.objects.get(_table_of(key))
            return isinstance(table, Table) and table.column(key.name) is not None
        return key in self.objects

    @staticmethod
    def lives(entries: Sequence[LineageEntry]) -> list[list[LineageEntry]]:
        """An object's lineage cut into lives: each ``created`` starts one."""
        out: list[list[LineageEntry]] = []
        for entry in entries:
            if entry.action == "created" or not out:
                out.append([])
            out[-1].append(entry)
        return out

    def constraint_lives(self, table_key: Key) -> dict[str, list[list[LineageEntry]]]:
        """The lives of a table's constraints, read from the table's lineage."""
        lives: dict[str, list[list[LineageEntry]]] = defaultdict(list)
        for entry in self.result.lineage.get(table_key, ()):
            part = entry.part
            if part is None or part.kind != ObjectKind.CONSTRAINT:
                continue
            if entry.change is Change.ADDED:  # not one inherited or cloned onto a partition
                lives[part.name].append([entry])
            elif part.action is Action.DROPPED and lives[part.name]:
                lives[part.name][-1].append(attrs.evolve(entry, action=Action.DROPPED))
        return lives

    def table_name(self, key: Key) -> str:
        return ObjectKey.from_tuple(key).qualified()

    # -- sections -----------------------------------------------------------------------------

    def created_then_dropped(self) -> list[tuple[int, Finding]]:
        found: dict[str, tuple[int, Finding]] = {}
        went_with: dict[str, list[str]] = defaultdict(list)
        dropped_at: dict[str, list[str]] = defaultdict(list)  # place -> named objects
        views: list[tuple[int, Finding]] = []
        for key, entries in self.result.lineage.items():
            if self.alive(key):  # created again later: a change (see ``changed``)
                continue
            for life in self.lives(entries):
                first, last = life[0], life[-1]
                if first.action != "created" or last.action != "dropped":
                    continue
                name = describe_key(key)
                if last.change is Change.DROPPED_WITH and last.cause is not None:
                    went_with[describe_key(last.cause)].append(name)
                    continue
                if last.change is Change.DROPPED_WITH_ITS:  # a column of a dropped table
                    continue
                finding = Finding(name, (("created", first.where()),
                                         ("dropped", last.where())),
                                  key=ObjectKey.from_tuple(key), cause=last.cause)
                if key.kind == ObjectKind.VIEW and not self.names_in_statement(key, last):
                    views.append((self.rank(first), finding))
                    continue
                dropped_at[last.where()].append(name)
                found[name] = (self.rank(first), finding)
        for table_key, entries in self.result.lineage.items():
            if table_key.kind != ObjectKind.TABLE:
                continue
            table_lives = self.lives(entries)
            for constraint, lives in self.constraint_lives(table_key).items():
                for life in lives:
                    name = f"constraint {self.table_name(table_key)}.{constraint}"
                    if life[-1].action == "dropped":
                        finding = Finding(name, (("created", life[0].where()),
                                                 ("dropped", life[-1].where())),
                                          key=ObjectKey.from_tuple(table_key),
                                          part=Part(ObjectKind.CONSTRAINT, constraint),
                                          cause=life[-1].cause)
                        found[name] = (self.rank(life[0]), finding)
                    elif self.ended_with_table(table_lives, life[0]):
                        went_with[describe_key(table_key)].append(name)
        out = []
        for name, (rank, finding) in found.items():
            extra = tuple(dict.fromkeys(went_with.get(name, ())))
            out.append((rank, attrs.evolve(finding, went_with=extra) if extra else finding))
        for rank, finding in views:
            named = dropped_at.get(finding.place("dropped") or "", [])
            out.append((rank, attrs.evolve(
                finding, via=", ".join(named) or None,
                note="dropped by a DROP ... CASCADE that does not name it")))
        return out

    def ended_with_table(self, table_lives: list[list[LineageEntry]],
                         entry: LineageEntry) -> bool:
        """Whether the table life ``entry`` belongs to ended in a drop."""
        for life in table_lives:
            if self.rank(life[0]) <= self.rank(entry) and (
                    life[-1].action != "dropped" or self.rank(entry) <= self.rank(life[-1])):
                return life[-1].action == "dropped"
        return False

    def names_in_statement(self, key: Key, entry: LineageEntry) -> bool:
        text = self.texts.get((entry.file, entry.line), "").lower()
        return key.name.lower() in re.findall(r"[\w$]+", text)

    def added_later(self) -> list[tuple[int, Finding]]:
        tables: dict[Key, LineageEntry] = {}
        for key, entries in self.result.lineage.items():
            if key.kind == ObjectKind.TABLE and key in self.objects:
                tables[key] = self.lives(entries)[-1][0]
        creations = sorted(self.rank(e) for e in tables.values())
        out: list[tuple[int, Finding]] = []

        def later(table_key: Key, entry: LineageEntry) -> bool:
            start, at = self.rank(tables[table_key]), self.rank(entry)
            return at > start and any(start < c < at for c in creations)

        def add(table_key: Key, name: str, entry: LineageEntry, key: Key,
                part: Part | None = None) -> None:
            if table_key in tables and later(table_key, entry):
                out.append((self.rank(entry), Finding(name, (
                    ("table_created", tables[table_key].where()),
                    ("added", entry.where())), key=ObjectKey.from_tuple(key), part=part)))

        for key, entries in self.result.lineage.items():
            if not self.alive(key):
                continue
            born = self.lives(entries)[0][0]  # first added (a re-creation is a change)
            obj = self.objects.get(key)
            if key.kind == ObjectKind.COLUMN:
                add(_table_of(key), describe_key(key), born,
                    key)
            elif isinstance(obj, Index):
                add(ObjectKey.of(ObjectKind.TABLE, obj.table.schema, obj.table.name),
                    describe_key(key), born, key)
            elif isinstance(obj, Trigger):
                add(_table_of(key), describe_key(key), born,
                    key)
        for table_key in tables:
            table = self.objects[table_key]
            assert isinstance(table, Table)
            for name, lives in self.constraint_lives(table_key).items():
                if table.constraint_named(name) is not None and lives:
                    add(table_key, f"constraint {self.table_name(table_key)}.{name}",
                        lives[-1][0], table_key, Part(ObjectKind.CONSTRAINT, name))
        types = [(k, self.lives(v)[-1][0]) for k, v in self.result.lineage.items()
                 if k[0] == ObjectKind.TYPE and self.alive(k)]
        first_file = min((self.rank(e), e.file) for _, e in types)[1] if types else None
        for key, born in types:
            if born.file != first_file:
                out.append((self.rank(born), Finding(describe_key(key),
                                                     (("added", born.where()),),
                                                     key=ObjectKey.from_tuple(key))))
        return out

    def changed(self) -> list[tuple[int, Finding]]:
        out: list[tuple[int, Finding]] = []
        for key, entries in self.result.lineage.items():
            if not self.alive(key) or key.kind in (ObjectKind.TABLE, ObjectKind.SCHEMA,
                                                 ObjectKind.ROLE, ObjectKind.EXTENSION):
                continue
            steps = [e for e in entries if e.action in ("created", "altered", "dropped")]
            if len(steps) < 2:
                continue
            lives = len(self.lives(entries))
            note = (f"dropped and created again{f' ({lives - 1} times)' if lives > 2 else ''}"
                    if lives > 1 else "replaced or altered in place")
            out.append((self.rank(steps[0]), Finding(
                describe_key(key), (), tuple(s.where() for s in steps), note=note,
                key=ObjectKey.from_tuple(key))))
        comments: dict[tuple[object, ...], list[tuple[Key, LineageEntry]]] = defaultdict(list)
        for key, entries in self.result.lineage.items():
            if self.alive(key):
                for entry in entries:
                    if entry.action == Action.COMMENTED:
                        comments[_commented(key, entry)].append((key, entry))
        for said in comments.values():
            places = tuple(dict.fromkeys(e.where() for _, e in said))
            if len(places) > 1:
                key, first = said[0]
                part = None if first.part is None else Part(first.part.kind, first.part.name)
                out.append((self.rank(first), Finding(first.description, (), places,
                                                      note="comment rewritten",
                                                      key=ObjectKey.from_tuple(key),
                                                      part=part)))
        return out

    def wiped(self) -> list[tuple[int, Finding]]:
        out = []
        for entry in self.result.ledger:
            if entry.outcome != "superseded-by" or entry.by is None:
                continue
            event = self.events.get((entry.file, entry.line))
            file, _, line = entry.by.rpartition(":")
            by = self.events.get((file, int(line))) if line.isdigit() else None
            if isinstance(event, ev.Insert | ev.Update) and isinstance(by, ev.Truncate
                                                                      | ev.Delete):
                role = "inserted" if isinstance(event, ev.Insert) else "updated"
                out.append((self.order[(entry.file, entry.line)], Finding(
                    f"rows {event.table}", ((role, entry.where()), ("wiped", entry.by)))))
        return out

    def no_effect(self) -> list[tuple[int, Finding]]:
        out = []
        for i, entry in enumerate(self.result.ledger):
            if entry.outcome != "no-op" or entry.reason is None:
                continue
            event = self.events.get((entry.file, entry.line))
            if event is None or event.family == "session" or entry.transaction:
                continue
            out.append((i, Finding(event.describe(), (("at", entry.where()),),
                                   note=entry.reason)))
        return out

    def kept_verbatim(self) -> list[tuple[int, Finding]]:
        reasons = {(w.file, w.line): w.message for w in self.result.warnings}
        return [(i, Finding(_first_line(e.text), (("at", e.where()),),
                            note=_without(reasons.get((e.file, e.line)), "kept verbatim ")))
                for i, e in enumerate(self.result.ledger) if e.outcome == "kept-verbatim"]

    def barriers(self) -> list[tuple[int, Finding]]:
        out = []
        for barrier in self.result.data_notes.barriers:
            writes = ", ".join(describe_key(k) for k in barrier.writes)
            note = barrier.reason + (f"; later statements on {writes} are kept after it"
                                     if writes else "")
            out.append((self.order.get((barrier.file, barrier.line), 0), Finding(
                _first_line(barrier.text), (("at", f"{barrier.file}:{barrier.line}"),),
                note=note)))
        return out

    def rule_changes(self) -> list[tuple[int, Finding]]:
        return [(self.order.get((c.file, c.line), 0), Finding(
                    f"{c.kind} {c.name} on {describe_key(c.target)}",
                    (("at", c.where()),), key=ObjectKey.from_tuple(c.target),
                    note="applies to this statement kept verbatim, but did not at its point "
                    "in history"))
                for c in self.result.data_notes.rule_changes]

    # -- counts -------------------------------------------------------------------------------

    def counts(self, plan: FilePlan, dropped: int) -> list[Count]:
        created: Counter[str] = Counter()
        at_end: Counter[str] = Counter()
        for key, entries in self.result.lineage.items():
            created[str(key.kind)] += any(e.action == "created" for e in entries)
            at_end[str(key.kind)] += self.alive(key)
        rows = sum(len(r) for r in self.result.schema.rows.values())
        versions = len({m.version for m in self.history.migrations})
        statements = sum(len(f.statements) for f in plan.files)
        counts = [
            Count("migration files", len(self.history.migrations), len(plan.files)),
            Count("versions", versions, len(plan.files)),
            Count("statements", len(self.result.ledger), statements),
        ]
        for kind, label in (("table", "tables"), ("column", "columns"), ("view", "views"),
                            ("type", "types"), ("function", "functions"),
                            ("trigger", "triggers"), ("index", "indexes (CREATE INDEX)"),
                            ("sequence", "sequences")):
            if created[kind] or at_end[kind]:
                counts.append(Count(label, created[kind], at_end[kind]))
        counts.append(Count("objects created, then dropped", dropped, 0))
        counts.append(Count("rows at the end", None, rows))
        return counts


def _table_of(key: Key) -> Key:
    """The key of the table a column, trigger or policy is on."""
    assert key.table is not None, key
    return ObjectKey.of(ObjectKind.TABLE, key.schema, key.table)


def _commented(key: Key, entry: LineageEntry) -> tuple[object, ...]:
    """What a comment entry is on: the object, or its column, constraint or index (a column's
    comment is told on the column and on its table: both name the column)."""
    part = entry.part
    if part is None:
        return key
    if part.kind == ObjectKind.COLUMN:
        return ObjectKey.of(ObjectKind.COLUMN, key.schema, part.name,
                            table=key.name) if key.kind != ObjectKind.COLUMN else key
    return (*key, part.kind, part.name)


def _without(text: str | None, prefix: str) -> str | None:
    if text is not None and text.startswith(prefix):
        text = text[len(prefix):]
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
    return text


def _first_line(text: str, limit: int = 100) -> str:
    line = " ".join(text.strip().split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _sorted(found: Iterable[tuple[int, Finding]]) -> tuple[Finding, ...]:
    return tuple(f for _, f in sorted(found, key=lambda pair: (pair[0], pair[1].object)))


def build_report(history: History, result: FoldResult, plan: FilePlan, *,
                 source: str = "") -> Report:
    """The report of ``history``, folded into ``result`` and planned into ``plan``."""
    builder = _Builder(history, result)
    sections = {
        "created_then_dropped": _sorted(builder.created_then_dropped()),
        "added_later": _sorted(builder.added_later()),
        "changed": _sorted(builder.changed()),
        "wiped": _sorted(builder.wiped()),
        "no_effect": _sorted(builder.no_effect()),
        "kept_verbatim": _sorted(builder.kept_verbatim()),
        "barriers": _sorted(builder.barriers()),
        "rule_changes": _sorted(builder.rule_changes()),
    }
    outcomes = Counter(e.outcome for e in result.ledger)
    return Report(
        source=source,
        counts=tuple(builder.counts(plan, len(sections["created_then_dropped"]))),
        sections=sections,
        files=tuple(FileSummary(f.name, f.description, len(f.statements)) for f in plan.files),
        outcomes=tuple(sorted(outcomes.items())),
        warnings=result.warnings,
    )


# ---------------------------------------------------------------------------------------------
# Markdown


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report) -> str:
    out = [f"# Consolidation report: {report.source}" if report.source
           else "# Consolidation report", ""]
    out += ["| | history | consolidation |", "|---|---:|---:|"]
    for count in report.counts:
        history = "" if count.history is None else count.history
        consolidation = "" if count.consolidation is None else count.consolidation
        out.append(f"| {count.what} | {history} | {consolidation} |")
    ledger = ", ".join(f"{n} {outcome}" for outcome, n in report.outcomes)
    out += ["", "For each kind of object, the history created the first number (each object "
            "once, however often it was dropped and created again); the consolidation creates "
            "the second: the net schema.", "",
            f"Every statement of the history is in the ledger: {ledger}.", ""]
    for name, title in SECTIONS:
        findings = report.sections[name]
        out += [f"## {title} ({len(findings)})", ""]
        if not findings:
            out += ["None.", ""]
            continue
        for finding in findings:
            out.append(_markdown_line(finding))
        out.append("")
    out += ["## The consolidation", "", "| file | holds | statements |", "|---|---|---:|"]
    for number, summary in enumerate(report.files, 1):
        out.append(f"| {number}. {_cell(summary.name)} | {_cell(summary.description)} | "
                   f"{summary.statements} |")
    return "\n".join(out) + "\n"


def _markdown_line(finding: Finding) -> str:
    parts = [f"`{finding.object}`"]
    parts += [f"{role.replace('_', ' ')} {place}" for role, place in finding.places]
    if finding.steps:
        parts.append("steps " + ", ".join(finding.steps))
    line = "- " + " — ".join([parts[0], "; ".join(parts[1:])] if len(parts) > 1 else parts)
    if finding.via:
        line += f"; via {finding.via}"
    if finding.went_with:
        line += "; with " + ", ".join(finding.went_with)
    if finding.note:
        line += f" ({finding.note})"
    return line
