"""Files: the consolidation split into the files of a layout, in an order that applies.

Owns: the *parts* a layout places and the dependencies between them; moving a dependent part
forward into the file of what it needs (``move_forward``) or refusing to, with the reason;
deferring foreign keys; placing statements kept verbatim and default privileges; putting
statements that cannot run in a transaction in files of their own.

Parts: every object's definition (``def``); around a table, its columns and CHECKs (carved out of
``CREATE TABLE`` as ``ALTER TABLE ... ADD`` only when they move), its rows (``data``) and each of
its other statements (keys, NOT VALID checks, row level security, comments, owner, grants:
``post``); foreign keys; kept statements; default privileges (always in the last file). Every
statement keeps its place in the single-file rendering, so each file lists its statements in an
order already proved to apply; a part only ever moves to a *later* file.

Must not know: TOML, migration tools (``writers``), databases.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Sequence as Seq
from typing import NamedTuple

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.digraph import (
    CycleError,
    DiGraph,
    ancestors,
    find_cycle,
    lexicographical_topological_sort,
)
from schemafold.errors import DependencyCycle, InputError, SchemaWarning, excerpt
from schemafold.fold import FoldResult
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.layout import (
    Assignment,
    Layout,
    SourceMigration,
    assign,
    data_label,
    data_node,
    items_of,
)
from schemafold.model import (
    Index,
    KeptStatement,
    Key,
    Node,
    Policy,
    SchemaObj,
    Sequence,
    Table,
    TableConstraint,
    Trigger,
    View,
)
from schemafold.names import quote_ident
from schemafold.order import (
    Dependencies,
    DependencyOrder,
    column_names_in,
    dependency_order,
    describe_node,
    fk_node,
    parents_of,
)
from schemafold.render.postgres import add_check, add_column, render_tagged
from schemafold.rewrite import without_concurrently
from schemafold.sources import Migration

__all__ = [
    "FilePlan",
    "Move",
    "PlannedFile",
    "PlannedItem",
    "origins_by_ordinal",
    "plan_files",
    "runs_outside_transaction",
    "with_tail",
    "without_tail",
]

#: Statements PostgreSQL refuses inside a transaction block (or, for ADD VALUE, whose new value
#: cannot be used before a commit): each goes into a file of its own, run outside one.
_OWN_FILE = re.compile(
    r"""^\s*(?:VACUUM\b|CLUSTER\s*;|CREATE\s+DATABASE\b|DROP\s+DATABASE\b|ALTER\s+SYSTEM\b
    |CREATE\s+TABLESPACE\b|DROP\s+TABLESPACE\b
    |CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b|DROP\s+INDEX\s+CONCURRENTLY\b
    |REINDEX\b[^;]*\bCONCURRENTLY\b|ALTER\s+TYPE\b[^;]*\bADD\s+VALUE\b)""",
    re.IGNORECASE | re.VERBOSE,
)
#: statements bound to their session (a prepared statement lives in the session that prepared
#: it): kept outside a transaction one after another, they share one file
_SESSION_BOUND = re.compile(r"^\s*(?:PREPARE|EXECUTE|DEALLOCATE)\b", re.IGNORECASE)
#: post-data steps that must follow a table's rows (they would reject or act on them)
_AFTER_ROWS = ("not_valid_checks", "row_security")
#: post-data steps a foreign key rests on (primary keys, unique constraints)
_KEYS = ("key_constraints", "indexes")


@attrs.frozen
class Move:
    """A part that went into a later file than the layout gave it, and why. Files are the
    layout's, numbered from 1."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    part: str
    from_file: int
    to_file: int
    reason: str


@attrs.frozen
class PlannedItem:
    """An object (a foreign key, a table's rows, a kept statement), the layout's file it went
    into (from 1), and why."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    label: str
    file: int
    reason: str


@attrs.frozen
class PlannedFile:
    """One file of the consolidation: its name (no version), what it is for, its statements in
    order (without the preamble), whether it runs in a transaction, the items it holds, and the
    layout's file it belongs to (1-based: a statement that runs outside a transaction splits a
    layout file in several)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: str
    description: str
    statements: tuple[str, ...]
    in_transaction: bool = True
    items: tuple[str, ...] = ()
    layout_file: int = 1
    #: statements after the preamble that set the file's session up (its ``search_path``)
    session: tuple[str, ...] = ()
    #: a migration of the history kept as written (``schemafold.tail``): its one statement is
    #: the file's text, written without the preamble
    verbatim: bool = False
    #: a file written after the verbatim tail, and moved with it (its sequences' catch-up)
    after_tail: bool = False


@attrs.frozen
class FilePlan:
    """The consolidation in files: ``files`` in apply order; ``items`` says where each object
    went and why, ``moves`` which parts moved forward (or were deferred)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    layout: str
    move_forward: bool
    layout_files: tuple[tuple[str, str], ...]  # the layout's (name, description), in order
    files: tuple[PlannedFile, ...]
    items: tuple[PlannedItem, ...]
    moves: tuple[Move, ...]
    warnings: tuple[SchemaWarning, ...] = ()
    #: where folding stopped and why, when the history's last files are kept as written
    tail_note: str = ""
    #: the dependency order the plan was made with, for a re-plan of the same objects
    order: DependencyOrder | None = attrs.field(default=None, eq=False, repr=False)


class Part(NamedTuple):
    """A unit placed in one file: ``role`` of the object ``key`` (``def``, ``column``,
    ``check``, ``data``, ``post``, ``kept``, ``defaults``); ``detail`` is the column or CHECK
    name, or a table statement's index in the rendering.

    A named tuple (its ``repr`` is the one an attrs class had, so orders that sort parts by
    ``repr`` are unchanged): the planner makes, hashes and compares tens of thousands of them,
    and a tuple does each in C."""

    role: str
    key: Node = ()
    detail: str | int | None = None


def _placed(cycle: DependencyCycle, result: FoldResult) -> DependencyCycle:
    """``cycle`` at the last statement that made or changed one of its objects (the one that
    closed it), found in the fold's lineage; as it is when none is known."""
    position = {entry.origin: i for i, entry in enumerate(result.ledger)}
    origins = [entry.origin for key in cycle.keys
               for entry in result.lineage.get(key, ())  # type: ignore[call-overload]
               if entry.origin in position]
    if not origins:
        return cycle
    last = max(origins, key=lambda origin: position[origin])
    return DependencyCycle(f"{cycle.message} (PostgreSQL creates it, and fails when a view of "
                           "it is queried)", cycle.keys, file=last.file, line=last.line,
                           text=last.text)


def plan_files(result: FoldResult, layout: Layout, migrations: Seq[Migration] = (), *,
               order: DependencyOrder | None = None) -> FilePlan:
    """Split ``result``'s consolidation into the files of ``layout``.

    ``migrations`` (the history, in apply order) give ``by-origin`` its files. ``order``: the
    schema's dependency order when the caller has it (a plan of the same objects, under
    ``--data``), else it is computed here, once, for both the planner and the renderer; the
    plan keeps it (``FilePlan.order``). Raises :class:`InputError` for a layout that selects
    badly or, without ``move_forward``, puts a part before something it needs.
    """
    if order is None or not order.fits(result.schema):
        try:
            order = dependency_order(result.schema)
        except DependencyCycle as cycle:
            raise _placed(cycle, result) from None
    plan = _Planner(result, layout, migrations, order).plan()
    path = result.consolidation_search_path
    if not path:
        return plan
    # SET LOCAL: it ends with the file's transaction, so nothing after the consolidation (a
    # tool's bookkeeping, a verbatim tail) runs under it
    session = (f"SET LOCAL search_path TO {', '.join(quote_ident(s) for s in path)};",)
    return attrs.evolve(plan, files=tuple(attrs.evolve(f, session=session)
                                          if f.in_transaction else f for f in plan.files))


def with_tail(plan: FilePlan, tail: Seq[Migration], note: str, closing: str = "") -> FilePlan:
    """``plan`` followed by the verbatim tail (``schemafold.tail``): one file per migration,
    each its SQL as written, in its own transaction mode, and a layout file of its own.
    ``closing`` (a statement, if any) is a file of its own after them."""
    first = len(plan.layout_files) + 1
    files = [PlannedFile(name=m.name or "migration",
                         description=f"{m.path} kept as written (folding stopped before it)",
                         statements=(m.text,), in_transaction=m.in_transaction,
                         layout_file=first + i, verbatim=True)
             for i, m in enumerate(tail)]
    if closing and files:
        files.append(PlannedFile(
            name="sequences_level",
            description="sequences the files kept as written left behind their columns, "
                        "brought level", statements=(closing,),
            layout_file=first + len(files), after_tail=True))
    return attrs.evolve(plan, files=(*plan.files, *files), tail_note=note,
                        layout_files=(*plan.layout_files,
                                      *((f.name, f.description) for f in files)))


def without_tail(plan: FilePlan) -> tuple[FilePlan, tuple[PlannedFile, ...]]:
    """``plan`` without its verbatim tail, and the tail's files."""
    tail = tuple(f for f in plan.files if f.verbatim or f.after_tail)
    if not tail:
        return plan, ()
    return attrs.evolve(plan, files=tuple(f for f in plan.files
                                          if not (f.verbatim or f.after_tail)),
                        layout_files=plan.layout_files[:len(plan.layout_files) - len(tail)]
                        ), tail


def origins_by_ordinal(result: FoldResult) -> list[str]:
    """The file of the statement with each ordinal (index 0 holds ordinal 1): the fold numbers
    the statements that have events, in order."""
    files: list[str] = []
    previous: object = None
    # after a fold from the incremental cache, the events' origins without the events
    known = getattr(result.events, "origins", None)
    for origin in known() if known is not None else (e.origin for e in result.events):
        if origin is not previous:
            files.append(origin.file)
            previous = origin
    return files


#: a DO block that adds an enum value: what follows it may use the value only once it commits
_DO_ADDS_VALUE = re.compile(r"(?is)^\s*DO\b.*\bALTER\s+TYPE\b[^;]*\bADD\s+VALUE\b")


def runs_outside_transaction(statement: str) -> bool:
    """Whether PostgreSQL refuses ``statement`` inside a transaction block (or, for ``ADD
    VALUE``, its new value could not be used before a commit)."""
    return bool(_OWN_FILE.match(statement))


def _own_file(kept: KeptStatement) -> bool:
    text = without_concurrently(kept.text)  # as the renderer writes it
    if text != kept.text:
        return bool(_OWN_FILE.match(text))
    return (not kept.in_transaction or bool(_OWN_FILE.match(kept.text))
            or bool(_DO_ADDS_VALUE.match(kept.text)))


class _Planner:
    def __init__(self, result: FoldResult, layout: Layout, migrations: Seq[Migration],
                 order: DependencyOrder) -> None:
        self.result = result
        self.schema = result.schema
        self.layout = layout
        self.migrations = migrations
        self.order = order
        self.graph = order.graph
        self.deps = Dependencies(self.schema)
        self.tagged = render_tagged(self.schema, order)
        self.kept: dict[Node, KeptStatement] = {("kept", k.ordinal): k for k in self.schema.kept}
        self.parts: list[Part] = [
            self._part_of(i, phase, tag, key) for i, (phase, tag, key, _) in
            enumerate(self.tagged)
        ]
        self.present: set[Part] = set(self.parts)
        self.by_key: dict[Node, list[int]] = defaultdict(list)  # statement indexes per key
        for index, part in enumerate(self.parts):
            self.by_key[part.key].append(index)
        self.columns: dict[Key, list[str]] = {}
        self.checks: dict[Key, list[str]] = {}
        for key, obj in self.schema.objects.items():
            if isinstance(obj, Table):
                self.columns[key] = self._column_parts(obj)
                self.checks[key] = self._check_parts(obj)
        self.children: dict[Key, list[Key]] = defaultdict(list)  # partitions of a table
        self.indexes_on: dict[Key, list[Key]] = defaultdict(list)
        for key, obj in sorted(self.schema.objects.items(), key=lambda item: repr(item[0])):
            if isinstance(obj, Table) and obj.partition_of is not None:
                for parent in self.deps.find(("table",), obj.partition_of, obj.name.schema):
                    self.children[parent].append(key)
            elif isinstance(obj, Index):
                for relation in self.deps.find(("table", "view"), obj.table, obj.name.schema):
                    self.indexes_on[relation].append(key)
        self.dag = DiGraph()
        self.warnings: list[SchemaWarning] = []

    # -- parts --------------------------------------------------------------------------------

    def _part_of(self, index: int, phase: str, tag: str, key: Node) -> Part:
        kind = key[0]
        if kind == "kept":
            return Part("kept", key)
        if kind in ("default privileges", "dropped role"):
            return Part("defaults")  # the last file; roles dropped at the end after them
        if kind == "fk" or phase == "pre-data" or (
            tag in ("indexes", "triggers", "policies") and kind in (ObjectKind.INDEX,
                                                                    ObjectKind.TRIGGER,
                                                                    ObjectKind.POLICY)
        ):
            return Part("def", key)
        if phase == "data":
            return Part("data", key)
        return Part("post", key, index if kind == ObjectKind.TABLE else None)

    def _column_parts(self, table: Table) -> list[str]:
        """Columns that can be carved out of CREATE TABLE: not those of a partition created
        PARTITION OF its parent, nor those it inherits."""
        if table.partition_of is not None:
            return []
        inherited: set[str] = set()
        for parent in parents_of(table):
            for key in self.deps.find(("table",), parent, table.name.schema):
                found = self.schema.objects[key]
                if isinstance(found, Table):
                    inherited.update(c.name for c in found.columns)
        return [c.name for c in table.columns if c.name not in inherited]

    def _check_parts(self, table: Table) -> list[str]:
        if parents_of(table):
            return []  # inherited CHECKs are not declared again: leave them in CREATE TABLE
        return [c.name for c in table.constraints
                if c.constraint.kind == "check" and not c.constraint.not_valid]

    def built(self, key: Key) -> list[Part]:
        """What makes ``key`` usable: its definition and, for a table, all its columns."""
        return [Part("def", key), *(Part("column", key, c) for c in self.columns.get(key, ()))]

    def statements_of(self, key: Key, role: str, tags: Iterable[str] | None = None) -> list[Part]:
        wanted = None if tags is None else set(tags)
        out = []
        for index in self.by_key.get(key, ()):
            part = self.parts[index]
            if part.role == role and (
                    wanted is None or self.tagged[index][1] in wanted):
                out.append(part)
        return out

    def need(self, after: Part, befores: Iterable[Part]) -> None:
        self.dag.add_node(after)
        for before in befores:
            if before != after:
                self.dag.add_edge(before, after)

    # -- dependencies -------------------------------------------------------------------------

    def _preds(self, key: Key, created: int) -> list[Key]:
        """What ``key`` needs before it, from the plan's graph, less roles (only its owner and
        grants need them: ``post`` parts) and less extensions created after it (the graph puts
        every extension before every object, not knowing what an extension provides; the
        history proves that an object made before an extension did not need it)."""
        out = []
        for pred in sorted(self.graph.predecessors(key), key=repr):
            if pred[0] == ObjectKind.ROLE:
                continue
            if (
                pred[0] == ObjectKind.EXTENSION
                and created
                and created < self.schema.objects[pred].created
            ):
                continue
            out.append(pred)
        return out

    def _roles(self, key: Key) -> list[Part]:
        return [Part("def", p) for p in sorted(self.graph.predecessors(key), key=repr)
                if p[0] == ObjectKind.ROLE]

    def _table_key(self, obj: Sequence) -> Key | None:
        if obj.owned_by is None:
            return None
        return ObjectKey.of(ObjectKind.TABLE, obj.owned_by[0].schema or obj.name.schema,
                            obj.owned_by[0].name)

    def _build_dag(self) -> None:
        graph, schema = self.graph, self.schema
        for key in sorted(schema.objects, key=repr):
            obj = schema.objects[key]
            preds = self._preds(key, obj.created)
            defn = Part("def", key)
            self.need(defn, ())
            if isinstance(obj, (Policy, SchemaObj)):  # TO role, AUTHORIZATION role
                self.need(defn, self._roles(key))
            owner = self._table_key(obj) if isinstance(obj, Sequence) else None
            if isinstance(obj, Table):
                self._table(key, obj, preds)
            elif isinstance(obj, Sequence) and owner and (obj.implicit or obj.identity):
                made_by = Part("column", owner, obj.owned_by[1] if obj.owned_by else None)
                self.need(defn, [Part("def", owner)])
                if made_by.detail in self.columns.get(owner, ()):
                    self.need(defn, [made_by])
            elif isinstance(obj, Index):
                self._index(defn, obj, preds)
            else:
                texts = _mentioning(obj)
                for pred in preds:
                    if texts is not None and pred in self.columns:
                        columns = column_names_in(texts, self.columns[pred])
                        self.need(defn, [Part("def", pred), *(Part("column", pred, c)
                                                              for c in sorted(columns))])
                    else:
                        self.need(defn, self.built(pred))
            if isinstance(obj, Trigger):
                table = next((p for p in preds if p[0] in (ObjectKind.TABLE, ObjectKind.VIEW)),
                             None)
                if table is not None:
                    self.need(defn, [Part("data", table)])
            if not isinstance(obj, Table):
                self.need(Part("post", key), [defn, *self._roles(key)])
                self.need(Part("data", key), [defn])
            if isinstance(obj, Sequence):
                tables = {n for n in [*graph.predecessors(key), *graph.successors(key)]
                          if n[0] == ObjectKind.TABLE}
                if owner is not None and obj.owned_by is not None:
                    tables.add(owner)
                    column = Part("column", owner, obj.owned_by[1])
                    self.need(Part("post", key), [Part("def", owner)] + (
                        [column] if column.detail in self.columns.get(owner, ()) else []))
                self.need(Part("data", key), [Part("data", t) for t in sorted(tables, key=repr)])
            elif isinstance(obj, View):
                above = sorted(ancestors(graph, key), key=repr)
                self.need(Part("data", key), [Part("data", a) for a in above
                                              if a[0] in (ObjectKind.TABLE, ObjectKind.VIEW)])
        self._kept()

    def _index(self, defn: Part, index: Index, preds: list[Key]) -> None:
        relation = next((p for p in preds if p[0] in (ObjectKind.TABLE, ObjectKind.VIEW)), None)
        for pred in preds:
            self.need(defn, [Part("def", pred)] if pred == relation else self.built(pred))
        if relation is None:
            return
        columns = self.columns.get(relation, [])
        mentioned = column_names_in([e.expression for e in index.elements] + [index.where],
                                    columns)
        mentioned.update(e.column for e in index.elements if e.column)
        mentioned.update(index.include)
        self.need(defn, [Part("column", relation, c) for c in columns if c in mentioned])
        self.need(defn, self._partition_keys(relation))

    def _partition_keys(self, key: Key) -> list[Part]:
        """What a partitioned table's keys and indexes come after: every partition with its own
        keys and indexes. A partition created after its parent's index gets an index of its
        own made by PostgreSQL; created before, its index is adopted, as in the history."""
        out: list[Part] = []
        for child in self.children.get(key, ()):
            out.append(Part("def", child))
            out.extend(self.statements_of(child, "post", _KEYS))
            out.extend(Part("def", i) for i in self.indexes_on.get(child, ()))
        return out

    def _table(self, key: Key, table: Table, preds: list[Key]) -> None:
        defn = Part("def", key)
        home = table.name.schema
        self.need(defn, [Part("def", p) for p in preds if p[0] == ObjectKind.SCHEMA])
        for parent in parents_of(table):
            for ref in self.deps.find(("table",), parent, home):
                self.need(defn, self.built(ref))
        if parents_of(table):
            # a child's CHECKs stay in its CREATE TABLE (_check_parts): it waits for what they
            # call (the ALTER TABLE ... INHERIT form declares them all, inherited ones too)
            for kept in table.constraints:
                if kept.constraint.kind == "check" and not kept.constraint.not_valid:
                    for ref in self.deps.constraint(table, kept):
                        if ref != key:
                            self.need(defn, self.built(ref))
        columns = self.columns[key]
        previous = defn
        for name in columns:
            column = table.column(name)
            assert column is not None
            part = Part("column", key, name)
            before, made = self.deps.column(table, column)
            self.need(part, [defn, previous])
            extensions = [p for p in self._preds(key,
                                                 column.created) if p[0] == ObjectKind.EXTENSION]
            for ref in [*before, *extensions]:
                if ref != key:
                    self.need(part, self.built(ref))
            for sequence in made:
                self.dag.add_edge(part, Part("def", sequence))
            previous = part
        for name in self.checks[key]:
            constraint = table.constraint_named(name)
            assert constraint is not None
            check = Part("check", key, name)
            mentioned = column_names_in([constraint.constraint.expression], columns)
            self.need(check, [defn, *(Part("column", key, c) for c in columns if c in mentioned)])
            for ref in self.deps.constraint(table, constraint):
                self.need(check, self.built(ref))
        # Rows name every column; a table with no rows has nothing to wait for.
        rows = Part("data", key)
        self.need(rows, self.built(key) if rows in self.present else [defn])
        self._table_statements(key, table, columns)
        for constraint in table.constraints:
            if constraint.constraint.kind == "foreign key":
                self._foreign_key(key, constraint)

    @functools.cached_property
    def _indexes_on(self) -> dict[tuple[str, str | None], list[tuple[int, str, Key]]]:
        """Every index, by the (name, schema as written) of its table: (its position in the
        schema, its name, its key). One pass, rather than one per table."""
        out: dict[tuple[str, str | None], list[tuple[int, str, Key]]] = defaultdict(list)
        for position, (k, obj) in enumerate(self.schema.objects.items()):
            if isinstance(obj, Index):
                out[(obj.table.name, obj.table.schema)].append((position, str(k[2]), k))
        return dict(out)

    def _table_statements(self, key: Key, table: Table, columns: list[str]) -> None:
        """A table's post-data statements, each after the columns it names, the indexes it uses
        (``USING INDEX``), the functions its constraints call, and (NOT VALID checks, row
        level security) the table's rows."""
        home = table.name.schema
        # the indexes on this table, by name (the last of a name wins, in the schema's order)
        found = self._indexes_on.get((table.name.name, home), [])
        if home is not None:
            found = sorted(found + self._indexes_on.get((table.name.name, None), []))
        indexes = {name: k for _, name, k in found}
        calls = [ref for c in table.constraints if c.constraint.kind not in ("check",
                 "foreign key") for ref in self.deps.constraint(table, c)]
        roles = self._roles(key)
        for index in self.by_key.get(key, ()):
            part = self.parts[index]
            if part.role != "post":
                continue
            tag, sql = self.tagged[index][1], self.tagged[index][3]
            mentioned = column_names_in([sql], columns)
            self.need(part, [Part("def", key), *roles])
            self.need(part, [Part("column", key, c) for c in columns if c in mentioned])
            self.need(part, [Part("def", indexes[n]) for n in sorted(
                column_names_in([sql], indexes))])
            for ref in calls:
                self.need(part, self.built(ref))
            if tag in _AFTER_ROWS:
                self.need(part, [Part("data", key)])
            if tag in _KEYS:
                self.need(part, self._partition_keys(key))

    def _foreign_key(self, key: Key, constraint: TableConstraint) -> None:
        """After both tables' rows, the key it references, and the columns it names."""
        fk = Part("def", fk_node(key, constraint.name))
        c = constraint.constraint
        own = self.columns[key]
        self.need(fk, [Part("data", key), *self.statements_of(key, "post", _KEYS)])
        self.need(fk, [Part("column", key, n) for n in c.columns if n in own])
        node = fk.key
        refs = sorted(self.graph.predecessors(node), key=repr) if node in self.graph else []
        target = constraint.target
        if target is not None and ObjectKey.of(ObjectKind.TABLE, target.schema, target.name) == key:
            refs.append(key)  # a self reference
        for ref in refs:
            if ref[0] != ObjectKind.TABLE:
                self.need(fk, [Part("def", ref)])  # a unique index it may rest on
                continue
            self.need(fk, [Part("data", ref), Part("def", ref),
                           *self.statements_of(ref, "post", _KEYS)])
            self.need(fk, [Part("column", ref, n) for n in c.ref_columns
                           if n in self.columns.get(ref, ())])

    def _kept(self) -> None:
        """Statements kept verbatim keep their order (as rendered). One that changes data comes
        after what it reads and their rows, and before the triggers, checks and foreign keys
        acting on the rows it writes, as in the single file. Any other (a DO block, a command
        folding does not model) may touch anything: it comes after every part rendered
        before it."""
        previous: list[Part] = []
        since: list[Part] = []  # parts rendered since the previous kept statement
        for part in self.parts:
            if part.role != "kept":
                if part.role != "defaults":
                    since.append(part)
                continue
            kept = self.kept[part.key]
            self.need(part, previous)
            if not kept.data:
                self.need(part, since)
            for read in kept.reads:
                if read not in self.schema.objects:
                    continue
                self.need(part, [*self.built(read), Part("data", read)])
                if kept.data:  # rows it writes are loaded before what acts on rows
                    for after in self._acting_on_rows(read):
                        self.dag.add_edge(part, after)
            previous = [part]
            if not kept.data:
                since = []

    def _acting_on_rows(self, table: Key) -> list[Part]:
        out = [Part("def", key) for key, obj in self.schema.objects.items()
               if isinstance(obj, Trigger)
               and ObjectKey.of(ObjectKind.TABLE, obj.table.schema, obj.table.name) == table]
        out.extend(self.statements_of(table, "post", _AFTER_ROWS))
        obj = self.schema.objects[table]
        if isinstance(obj, Table):
            out.extend(Part("def", fk_node(table, c.name)) for c in obj.constraints
                       if c.constraint.kind == "foreign key")
        return out

    # -- placing ------------------------------------------------------------------------------

    def _present_node(self, node: Node) -> bool:
        if node[0] == "data":
            key = node[1]
            return isinstance(key, tuple) and Part("data", key) in self.present
        return any(self.parts[i].role in ("def", "post") for i in self.by_key.get(node, ()))

    def _assignment(self) -> Assignment:
        items = items_of(self.schema, self._present_node)
        origins = origins_by_ordinal(self.result)

        def origin_of(ordinal: int) -> str | None:
            return origins[ordinal - 1] if 0 < ordinal <= len(origins) else None

        return assign(
            self.layout, items,
            origins=[SourceMigration(m.path, m.name) for m in self.migrations],
            origin_of=origin_of,
            extra_origins=[k.file for k in self.schema.kept],
        )

    def plan(self) -> FilePlan:
        assignment = self._assignment()
        self.warnings.extend(assignment.warnings)
        self._build_dag()
        self.dag.add_nodes_from(self.present)
        last = len(assignment.files) - 1

        def desired(part: Part) -> int:
            # (not a recursive call: a closure that calls itself is a reference cycle, which
            # kept the planner and the whole fold result alive until the collector's next pass)
            if part.role in ("column", "check"):
                part = Part("def", part.key)  # a column or CHECK goes where its table goes
            if part not in self.present:
                return 0  # no statements of its own: only what it needs decides
            if part.role == "defaults":
                return last
            if part.role == "kept":
                kept = self.kept[part.key]
                found = assignment.file_of_origin(kept.file) if self.layout.by_origin else None
                return found or 0
            if part.role == "data" and data_node(part.key) in assignment.placements:
                return assignment.placements[data_node(part.key)].file
            placement = assignment.placements.get(part.key)
            return placement.file if placement is not None else 0

        try:
            ordered = lexicographical_topological_sort(self.dag, key=repr)
        except CycleError:
            cycle = find_cycle(self.dag) or []
            raise InputError("the parts of the consolidation depend on each other in a cycle: "
                             + " -> ".join(self.label(u) for u, _ in cycle)) from None
        final: dict[Part, int] = {}
        wanted: dict[Part, int] = {}
        cause: dict[Part, Part] = {}
        for part in ordered:
            wanted[part] = final[part] = desired(part)
            # the cause named is an object's definition where one is as late as any
            for before in sorted(self.dag.predecessors(part), key=lambda p: p.role != "def"):
                if final[before] > final[part]:
                    final[part] = final[before]
                    cause[part] = before
        moves = self._moves(ordered, final, wanted, cause, assignment)
        files = self._files(assignment, final)
        return FilePlan(
            layout=self.layout.name, move_forward=self.layout.move_forward,
            layout_files=tuple((f.name, f.description) for f in assignment.files), files=files,
            items=self._items(assignment, final), moves=tuple(moves),
            warnings=tuple(self.warnings), order=self.order,
        )

    def _moved(self, part: Part, final: dict[Part, int], wanted: dict[Part, int]) -> bool:
        """Whether ``part`` lands later than the layout put it, on its own account: a column
        or CHECK carved out of its table; a table's rows or statements later than the table;
        an object, a foreign key or a kept statement later than its file."""
        if final[part] <= wanted[part]:
            return False
        if part.role in ("column", "check"):
            return final[part] > final[Part("def", part.key)]
        if part not in self.present or part.role == "defaults":
            return False
        lead = Part("def", part.key)
        if part.role in ("data", "post") and lead in self.present:
            return final[part] > final[lead]
        return True

    def _moves(
        self,
        ordered: list[Part],
        final: dict[Part, int],
        wanted: dict[Part, int],
        cause: dict[Part, Part],
        assignment: Assignment,
    ) -> list[Move]:
        moves: list[Move] = []
        for part in ordered:
            if not self._moved(part, final, wanted):
                continue
            if part.role == "kept" and not self.layout.by_origin:
                continue  # kept statements go to the first file they can run in
            root = cause[part]
            # Name what is really there, not a part with no statements of its own.
            while root in cause and root not in self.present and root.role not in ("column",
                                                                                   "check"):
                root = cause[root]
            where = assignment.label(final[root])
            if part.role == "column" and root.role == "column" and root.key == part.key:
                reason = f"keeps its place after {self.label(root)}, which is in {where}"
            else:
                reason = f"needs {self.label(root)}, which is in {where}"
            deferred = _is_fk(part) or part.role == "kept"
            if not self.layout.move_forward and not deferred:
                raise InputError(
                    f"{self.label(part)} in {assignment.label(wanted[part])} {reason}: order "
                    "the files so that it comes first, or set move_forward = true to move the "
                    "part there", file=self.layout.source)
            moves.append(Move(self.label(part), wanted[part] + 1, final[part] + 1, reason))
        return moves

    # -- labels -------------------------------------------------------------------------------

    def label(self, part: Part) -> str:
        if part.role == "defaults":
            return "default privileges"
        if part.role == "kept":
            kept = self.kept[part.key]
            return f"statement kept verbatim ({kept.file}:{kept.line})"
        name = describe_node(self.schema, part.key)
        if part.role == "column":
            return f"column {self._written(part.key)}.{quote_ident(str(part.detail))}"
        if part.role == "check":
            return f"check constraint {part.detail} on {self._written(part.key)}"
        if part.role == "data":
            return data_label(self.schema, part.key)
        if part.role == "post" and isinstance(part.detail, int):
            return f"{name} ({excerpt(self.tagged[part.detail][3], 70)})"
        if part.role == "post":
            return f"comments, owner and grants of {name}"
        return name

    def _written(self, key: Node) -> str:
        table = self.schema.get(key)
        return table.written.sql() if isinstance(table, Table) else str(key[2])

    # -- output -------------------------------------------------------------------------------

    def _files(self, assignment: Assignment, final: dict[Part, int]) -> tuple[PlannedFile, ...]:
        def carved(role: str) -> set[tuple[Key, str]]:  # a column or CHECK part's key: its table's
            return {(ObjectKey.from_tuple(p.key), str(p.detail)) for p in final if p.role == role
                    and final[p] > final[Part("def", p.key)]}

        held_columns, held_checks = carved("column"), carved("check")
        tagged = self.tagged
        if held_columns or held_checks:  # CREATE TABLE without what moved to later files
            tagged = render_tagged(self.schema, self.order, held_columns=held_columns,
                                   held_checks=held_checks)
            assert [t[2] for t in tagged] == [t[2] for t in self.tagged]
        # (position in the single rendering, order among carved parts, sql, own file)
        per_file: dict[int, list[tuple[int, int, str, bool]]] = defaultdict(list)
        for index, part in enumerate(self.parts):
            own = part.role == "kept" and _own_file(self.kept[part.key])
            per_file[final[part]].append((index, 0, tagged[index][3], own))
        for key in sorted({k for k, _ in held_columns | held_checks}, key=repr):
            table = self.schema.objects[key]
            assert isinstance(table, Table)
            position = self.by_key[key][0]
            carved_parts = [(Part("column", key, n), add_column(self.schema, table, n))
                            for n in self.columns[key] if (key, n) in held_columns]
            carved_parts += [(Part("check", key, n), add_check(table, n))
                             for n in self.checks[key] if (key, n) in held_checks]
            for sub, (part, sql) in enumerate(carved_parts, 1):
                per_file[final[part]].append((position, sub, sql, False))
        placed: dict[int, list[str]] = defaultdict(list)
        for item in assignment.items:
            placed[self._item_file(item.node, final, assignment)].append(item.label)
        out: list[PlannedFile] = []
        for index, spec in enumerate(assignment.files):
            entries = sorted(per_file.get(index, []))
            if entries:
                out.extend(attrs.evolve(f, layout_file=index + 1) for f in
                           _split(spec.name, spec.description, entries, placed.get(index, [])))
            elif not self.layout.by_origin:
                self.warnings.append(SchemaWarning(
                    f"{assignment.label(index)} holds nothing and is not written",
                    file=self.layout.source, line=self.layout.where(spec.name, index) or 1))
        return tuple(out)

    def _item_file(self, node: Node, final: dict[Part, int], assignment: Assignment) -> int:
        if node[0] == "data" and isinstance(node[1], tuple):
            return final.get(Part("data", node[1]), 0)
        files = [final[p] for i in self.by_key.get(node, ())
                 if (p := self.parts[i]).role in ("def", "post")]
        return min(files) if files else assignment.placements[node].file

    def _items(self, assignment: Assignment, final: dict[Part, int]) -> tuple[PlannedItem, ...]:
        out = []
        for item in assignment.items:
            placement = assignment.placements[item.node]
            file = self._item_file(item.node, final, assignment)
            reason = placement.reason if file == placement.file else (
                f"{placement.reason}; moved to a later file (see moves)")
            out.append(PlannedItem(item.label, file + 1, reason))
        for kept in sorted(self.schema.kept, key=lambda k: k.ordinal):
            part = Part("kept", ("kept", kept.ordinal))
            if part not in self.present:
                continue
            reads = ", ".join(describe_node(self.schema, r) for r in kept.reads
                              if r in self.schema.objects)
            reason = f"after what it reads ({reads})" if reads else "reads no known object"
            if self.layout.by_origin and final[part] == assignment.file_of_origin(kept.file):
                reason = f"written in {kept.file}"
            out.append(PlannedItem(self.label(part), final[part] + 1, reason))
        if Part("defaults") in self.present:
            out.append(PlannedItem("default privileges", final[Part("defaults")] + 1,
                                   "the last file: they apply to objects created after them"))
        return tuple(out)


def _mentioning(obj: object) -> list[str | None] | None:
    """The texts through which a view, trigger or policy uses its tables' columns (it needs
    only the columns they name), or None when it may use them all (a query with ``*``, a
    row type, a function)."""
    if isinstance(obj, View):
        return None if "*" in obj.query else [obj.query]
    if isinstance(obj, Trigger):
        return [obj.events, obj.when, obj.function_args]
    if isinstance(obj, Policy):
        return [obj.using, obj.check]
    return None


def _is_fk(part: Part) -> bool:
    return part.role == "def" and bool(part.key) and part.key[0] == "fk"


def _split(
    name: str, description: str, entries: list[tuple[int, int, str, bool]], items: list[str]
) -> list[PlannedFile]:
    """One layout file as written files: each statement that needs a file of its own (outside
    a transaction) splits it; the parts around it are ``name``, ``name_continued``... Statements
    bound to their session (``PREPARE``, ``EXECUTE``, ``DEALLOCATE``) that follow one another
    share one such file, as they shared the history's session."""
    out: list[PlannedFile] = []
    chunk: list[str] = []
    counts = {"continued": 0, "no_transaction": 0}

    def numbered(what: str) -> str:
        counts[what] += 1
        return f"{name}_{what}" + (f"_{counts[what]}" if counts[what] > 1 else "")

    def flush() -> None:
        if chunk:
            out.append(PlannedFile(numbered("continued") if out else name, description,
                                   tuple(chunk)))
            chunk.clear()

    for _, _, sql, own in entries:
        if not own:
            chunk.append(sql)
            continue
        last = out[-1] if out and not chunk else None
        if last is not None and not last.in_transaction and _SESSION_BOUND.match(sql) and all(
                _SESSION_BOUND.match(s) for s in last.statements):
            out[-1] = attrs.evolve(last, statements=(*last.statements, sql))
            continue
        flush()
        out.append(PlannedFile(numbered("no_transaction"),
                               f"{excerpt(sql, 60)} (outside a transaction)", (sql,),
                               in_transaction=False))
    flush()
    if out:
        out[0] = attrs.evolve(out[0], items=tuple(items))
    return out
