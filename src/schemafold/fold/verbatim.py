"""Statements kept verbatim: opaque barriers, and the rule that lets a statement be kept.

Owns: what an ``Opaque`` statement may change (its write set, resolved through ``search_path``,
plus the names SQL in its strings mentions and the objects it creates) and the *barrier* that
makes: every later statement touching one of those objects is kept verbatim, in order, after it
(``_intercept``, called by ``FoldState.apply`` before an event is folded). Keeping a data
statement the fold cannot evaluate (``_keep_data``): its tables and sequences stop being tracked,
and what it names is fingerprinted. At the end, the rule (``check_kept``): a kept statement needs
every table, column and sequence it names unchanged to the end of the history, otherwise it is an
error naming its file and line and the change; and the report of the constraints that apply to
a kept statement but did not at its point in history. A kept statement that a trigger or a
foreign key action must act on runs after them, as a barrier (the data phase has neither).

Must not know: rendering, files, databases; how rows are evaluated (``data``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from schemafold import events as ev
from schemafold import rows as sql
from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError, StatementError
from schemafold.fold.notes import Barrier, RuleChange
from schemafold.fold.state import FoldState
from schemafold.fragment import Fragment, fragment
from schemafold.implicit_names import column_part, make_object_name
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Action
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Function,
    Index,
    Key,
    Policy,
    Role,
    Sequence,
    Table,
    Trigger,
    View,
)
from schemafold.names import SERIAL_TYPES, QName, canonical_type
from schemafold.plpgsql.effects import inert_trigger_body

_NEVER_INTERCEPTED = (ev.Opaque, ev.SessionStatement, ev.SetSearchPath)
_BARRIER_KINDS = ("table", "view", "sequence", "type", "index")
_ROLE_KINDS = ("role", "user", "group")
#: statements naming roles that the consolidation writes before the kept statements
_BEFORE_KEPT_NAMING_ROLES = (ev.RoleStatement, ev.CreateSchema, ev.CreatePolicy, ev.AlterPolicy)
_CHANGES = ("renamed", "dropped", "altered")
#: what an opaque statement may change that reaches every later statement, not one object
_SESSION_REACH = re.compile(r"default\s+privileges|search_path", re.IGNORECASE)
#: ``ALTER FUNCTION f SET search_path ...`` sets the routine's own setting, in effect while it
#: runs, wherever it is called from: it reaches no later statement's creation.
_ROUTINE_SETTING = re.compile(r"\s*ALTER\s+(FUNCTION|PROCEDURE|ROUTINE)\b", re.IGNORECASE)
#: ``REASSIGN OWNED BY a, b TO c`` / ``DROP OWNED BY a, b``: the roles (group 1)
_OWNED_BY = re.compile(r"\s*(?:REASSIGN|DROP)\s+OWNED\s+BY\s+(.*?)(?:\s+TO\s+.*|\s+CASCADE|"
                       r"\s+RESTRICT)?\s*$", re.IGNORECASE | re.DOTALL)
#: ``CREATE EVENT TRIGGER ... EXECUTE FUNCTION f()``: the function it runs (group 1)
_EVENT_TRIGGER = re.compile(
    r"\s*CREATE\s+EVENT\s+TRIGGER\b.*?\bEXECUTE\s+(?:FUNCTION|PROCEDURE)\s+"
    r"((?:\"[^\"]*\"|[^\s(.\"]+)(?:\s*\.\s*(?:\"[^\"]*\"|[^\s(.\"]+))?)\s*\(",
    re.IGNORECASE | re.DOTALL)


@attrs.frozen
class _Named:
    """Something a kept statement names, as it was at that point (the rule's fingerprint)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    uid: int
    key: Key
    detail: object  # a column's type, a sequence's options
    history: int  # how many lineage entries the object had then


@attrs.frozen
class _Arbiters:
    """A table's unique keys and indexes (``_Named.detail`` for an ``INSERT ... ON CONFLICT``
    kept verbatim): each may be the arbiter it names or infers."""

    keys: frozenset[tuple[object, ...]]
    #: the unique indexes (uid) then, and how many lineage entries each had
    indexes: tuple[tuple[int, int], ...] = ()
    #: the statement's ``ON CONFLICT`` target
    on_conflict: str = ""


@attrs.define
class _Kept:
    __repr__ = fields_repr
    __eq__ = fields_eq
    origin: ev.Origin
    why: str
    names: list[_Named]
    late: bool = False  # runs after every object (post-data), not in the data phase
    table: int | None = None
    checks: frozenset[str] = frozenset()  # constraints then (late: of every kind)
    not_null: frozenset[int] = frozenset()
    columns: frozenset[int] = frozenset()
    triggers: frozenset[str] = frozenset()
    verb: str = ""
    #: the columns (uids) it gives a value, when it may leave the others to their defaults (an
    #: INSERT, an UPDATE setting one to DEFAULT); None when it takes no column's default
    given: frozenset[int] | None = None
    #: how many lineage entries each column of its table had then
    column_history: dict[int, int] = attrs.Factory(dict)
    #: an INSERT listing no columns: its values go to the table's columns by position
    positional: bool = False


class VerbatimFolding(FoldState):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: tables and sequences (by uid) whose rows or position are no longer tracked, and the
        #: statement after which they are not
        self.verbatim: dict[int, ev.Origin] = {}
        self.barrier_names: set[tuple[str, str]] = set()
        #: objects of kinds the fold does not model that kept statements created: a later
        #: statement naming one anywhere in its text is kept verbatim after them
        self.unmodelled: list[sql.UnmodelledName] = []
        self.barriers: list[Barrier] = []
        self.kept_checks: list[_Kept] = []
        self._whole_kept: ev.Origin | None = None
        #: sequences advanced by kept statements a later TRUNCATE or DELETE superseded: their
        #: position is not known, and nothing may draw from them again
        self.lost_positions: dict[int, ev.Origin] = {}
        #: per sequence, the kept statements that may draw from it and how many values each
        #: draws (None: not known)
        self.draws: dict[int, list[tuple[ev.Origin, int | None]]] = {}
        #: tables whose data statements run after every object (a kept statement a trigger or a
        #: foreign key action acts on wrote them), and since when
        self.late_data: dict[int, ev.Origin] = {}
        #: the tables (uids) each kept data statement writes
        self.kept_writes: dict[ev.Origin, set[int]] = {}

    def _column_uid(self, table: Table, column: str) -> int:
        return self.uid_of[self._column_key(table, column)]

    def _late_referenced(self, table: Table) -> list[Key]:
        """The tables a foreign key of ``table`` references whose data statements run after
        every object (``late_data``)."""
        found: list[Key] = []
        for c in table.constraints:
            if c.constraint.kind != "foreign key" or c.target is None:
                continue
            key = self._resolve(c.target, (ObjectKind.TABLE,))
            if key is not None and self.uid_of.get(key) in self.late_data:
                found.append(key)
        return found

    def _key_checked_against_late_rows(self, event: ev.Event) -> tuple[Key, Key] | None:
        """For a foreign key added (valid) or validated on a table holding rows the data phase
        loads, referencing a table whose rows are written after every object: the two tables.
        The consolidation creates the key before those rows exist, and the rows it checks
        would fail it; kept verbatim after them, it checks them as the history did."""
        if isinstance(event, ev.AddConstraint):
            if event.constraint.kind != "foreign key" or event.constraint.not_valid \
                    or event.constraint.references is None:
                return None
            referenced_name: QName | None = event.constraint.references
        elif isinstance(event, ev.ValidateConstraint):
            referenced_name = None
        else:
            return None
        key = self._resolve(event.table, (ObjectKind.TABLE,))
        table = self.objects.get(key) if key is not None else None
        if key is None or not isinstance(table, Table) or table.external:
            return None
        if referenced_name is None:
            assert isinstance(event, ev.ValidateConstraint)
            found = table.constraint_named(event.name)
            if found is None or found.constraint.kind != "foreign key" or found.target is None:
                return None
            referenced_name = found.target
        referenced = key if referenced_name == table.written else self._resolve(
            referenced_name, (ObjectKind.TABLE,))
        if referenced is None or self.uid_of.get(referenced) not in self.late_data:
            return None
        # (rows it holds: tracked ones, or ones a kept statement may have written)
        return (key, referenced) if self.uid_of[key] in self.has_rows else None

    def _triggers(self, table: Table | View, verb: str | None) -> list[Trigger]:
        """The triggers a ``verb`` statement on ``table`` fires that may change something (a
        trigger whose function only notifies or raises notices is left out: ``plpgsql.effects``)."""
        if verb is None:
            return []
        return [t for _, t in self.objects.on_table(table.name, Trigger)
                if isinstance(t, Trigger) and verb in t.events.upper() and not self._inert(t)]

    def _inert(self, trigger: Trigger) -> bool:
        function = self.objects.get(ObjectKey.of(ObjectKind.FUNCTION, trigger.function.schema,
                                                 trigger.function.name, signature=()))
        if not isinstance(function, Function) or function.body is None \
                or (function.language or "").lower() != "plpgsql" or trigger.function_args \
                or trigger.timing.upper().startswith("INSTEAD"):
            return False  # an INSTEAD OF trigger replaces what the statement does
        before = trigger.timing.upper().startswith(("BEFORE", "INSTEAD"))
        return inert_trigger_body(function.body, row_level=trigger.for_each_row, before=before,
                                  events=trigger.events)

    # -- statements kept verbatim ------------------------------------------------------------

    def _keep_data(self, e: ev.Event, target: Key, why: str, reads: Iterable[QName],
                   sequences: Iterable[Key], draws: int | None = None) -> None:
        """Keep a data statement the fold cannot evaluate; the tables and sequences it reads or
        writes are no longer tracked (their rows so far are loaded before it). ``sequences``
        may be drawn from, ``draws`` times each when that is known.

        It is kept in the data phase, unless a trigger or a foreign key action acts on it (the
        data phase has neither) or an earlier such statement wrote its tables: then it runs
        after every object, and so do the later data statements on what it writes."""
        origin = e.origin
        sequences = list(sequences)
        for key in sequences:
            lost = self.lost_positions.get(self.uid_of.get(key, -1))
            if lost is not None:
                raise self.fold_limit(
                    origin, f"cannot keep this statement verbatim ({why}): it may draw from "
                    f"sequence {key.schema}.{key.name}, whose position is not known after "
                    f"{lost.where()} superseded the statements that advanced it")
            if key in self.uid_of:
                self.draws.setdefault(self.uid_of[key], []).append((origin, draws))
        named = self._named(target, reads)
        keys = [n.key for n in named if n.key.kind != ObjectKind.COLUMN]
        obj = self.objects[target]
        verb = type(e).__name__.upper()
        fired = self._triggers(obj, verb) if isinstance(obj, Table) else []
        actions = self._foreign_key_actions(e, target)
        trigger_functions = self._trigger_functions(fired, origin)
        trigger_writes = self._trigger_writes(trigger_functions)
        writes = list(dict.fromkeys([target, *(k for _, k in actions), *trigger_writes]))
        # the triggers fire on it at the end of the consolidation: their functions, and what
        # those name, must be there as they are now (a later DROP TABLE of the relation a
        # trigger's function inserts into left the consolidation's INSERT failing)
        for key in trigger_functions:
            function = self.objects[key]
            function_uid = self.uid_of.get(key)
            if function_uid is not None and isinstance(function, Function):
                named.append(_Named(function_uid, key, function.text,
                                    len(self.lineage.get(function_uid, []))))
        for key in dict.fromkeys(trigger_writes):
            if key != target:
                named.extend(self._fingerprint(key))
        late = bool(fired or actions) or _needs_arbiter(e) or any(
            self.uid_of.get(k) in self.late_data for k in [*writes, *keys]) or (
            isinstance(obj, Table) and verb in ("INSERT", "UPDATE")
            and bool(self._late_referenced(obj)))
        self._keep(origin, tuple(dict.fromkeys([*writes, *keys])), data=not late)
        if target in self.uid_of:  # the lineage tells of it as of a statement evaluated
            self._tell(self.uid_of[target], Action.DATA, origin, e)
        for key in [*writes, *keys, *sequences]:
            uid = self.uid_of.get(key)
            if uid is not None and key.kind in (ObjectKind.TABLE, ObjectKind.SEQUENCE,
                                                ObjectKind.VIEW):
                self.verbatim.setdefault(uid, origin)
                if key.kind == ObjectKind.TABLE:
                    self.has_rows.add(uid)
                    if late and key in writes:
                        self.late_data.setdefault(uid, origin)
        written = {self.uid_of[k] for k in writes if k in self.uid_of}
        self.kept_writes[origin] = written
        if written == {self.uid_of[target]}:  # superseded when its table goes
            self.data_statements.setdefault(self.uid_of[target], []).append(origin)
        for key in sequences:
            named.extend(self._fingerprint(key))
        if _needs_arbiter(e) and isinstance(obj, Table):
            # the arbiter ON CONFLICT names or infers must still be there at the end
            table_uid = self.uid_of[target]
            assert isinstance(e, ev.Insert) and e.on_conflict is not None
            named.append(_Named(table_uid, target, self._arbiters(obj, e.on_conflict),
                                len(self.lineage.get(table_uid, []))))
        kept = _Kept(origin, why, named, late=late)
        if isinstance(obj, Table):
            kept.table = self.uid_of[target]
            kept.checks = frozenset(c.name for c in obj.constraints
                                    if late or not c.constraint.not_valid)
            kept.not_null = frozenset(self._column_uid(obj, c.name) for c in obj.columns
                                      if c.column.not_null or c.column.identity)
            kept.columns = frozenset(self._column_uid(obj, c.name) for c in obj.columns)
            kept.triggers = frozenset(t.name for t in fired)
            kept.verb = verb
            kept.given = self._given_columns(e, obj)
            kept.positional = isinstance(e, ev.Insert) and e.columns is None
            kept.column_history = {uid: len(self.lineage.get(uid, [])) for uid in kept.columns}
        self.kept_checks.append(kept)
        if fired or actions:
            after = (f"trigger {fired[0].name}" if fired
                     else f"the action of foreign key {actions[0][0]}")
            reason = f"{why}; it runs after {after}, which is created after the data"
            self.barriers.append(Barrier(origin.file, origin.line, origin.text, reason,
                                         tuple(writes)))
            names = ", ".join(sorted(".".join(str(p) for p in k[1:]) for k in writes))
            self._warn_kept(origin, f"data statement kept verbatim after every object ({reason}); "
                       f"later data statements on {names} follow it, in order")
        else:
            where = "after every object" if late else "in the data phase"
            self._warn_kept(origin, f"data statement kept verbatim {where} ({why})")

    def _given_columns(self, e: ev.Event, table: Table) -> frozenset[int] | None:
        """``_Kept.given``: for an INSERT, the columns it lists (none when it lists none, or
        writes ``DEFAULT`` somewhere); for an UPDATE setting a column to ``DEFAULT``, the
        others."""
        from schemafold.parse.tokens import has_word, tokenize
        if isinstance(e, ev.Insert):
            try:
                defaults = has_word(tokenize(e.origin.text), "DEFAULT")
            except Exception:  # noqa: BLE001 - what cannot be read may write DEFAULT
                defaults = True
            if e.columns is None or defaults:
                return frozenset()
            return frozenset(self._column_uid(table, c) for c in e.columns
                             if table.column(c) is not None)
        if isinstance(e, ev.Update):
            to_default = {c for c, value in e.assignments if value.strip().upper() == "DEFAULT"}
            if to_default:
                return frozenset(self._column_uid(table, c.name) for c in table.columns
                                 if c.name not in to_default)
        return None

    def _trigger_functions(self, triggers: Iterable[Trigger], origin: ev.Origin) -> list[Key]:
        """The functions ``triggers`` execute (those the fold follows)."""
        return [key for trigger in triggers
                if (key := self._function(trigger.function, (), origin, missing_ok=True))]

    def _trigger_writes(self, functions: Iterable[Key]) -> list[Key]:
        """The relations the trigger ``functions`` name (they may write them)."""
        keys: list[Key] = []
        for function_key in functions:
            function = self.objects.get(function_key)
            body = getattr(function, "body", None) or ""
            for name in sql.mentioned_names(body):
                key = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE))
                if key is not None:
                    keys.append(key)
        return keys

    def _foreign_key_actions(self, e: ev.Event, target: Key) -> list[tuple[str, Key]]:
        """Foreign keys (name, referencing table) whose ``ON DELETE``/``ON UPDATE`` action (or
        ``TRUNCATE ... CASCADE``) a kept statement on ``target`` sets off."""
        table = self.objects.get(target)
        if not isinstance(table, Table):
            return []
        found = []
        for other in self.objects.values():
            if not isinstance(other, Table):
                continue
            for c in other.constraints:
                if c.target != table.name:
                    continue
                action = c.constraint.on_update if isinstance(e, ev.Update) else (
                    c.constraint.on_delete if isinstance(e, ev.Delete) else None)
                acts = (action or "").upper() in ("CASCADE", "SET NULL", "SET DEFAULT") or (
                    isinstance(e, ev.Truncate) and e.cascade)
                if acts:
                    found.append((c.name, other.key()))
        return found

    def _barrier(self, origin: ev.Origin, writes: list[Key], reason: str,
                 created: Iterable[str] = ()) -> None:
        """Keep ``origin`` after every object, in post-data; what it writes (and ``created``,
        what it creates) is touched: later statements on it are kept verbatim, in order, after
        it."""
        writes = list(dict.fromkeys(writes))
        for key in writes:
            self._touch_name(key)
            table = self.objects.get(key)
            if isinstance(table, Table):
                self.barrier_names.update(self._owned_sequences(table))
            uid = self.uid_of.get(key)
            if uid is not None and key.kind in (ObjectKind.TABLE, ObjectKind.SEQUENCE):
                self.verbatim.setdefault(uid, origin)
                if key.kind == ObjectKind.TABLE:
                    self.has_rows.add(uid)
        self._keep(origin, tuple(writes), data=False)
        self._kept_may_change(writes)
        self.barriers.append(Barrier(origin.file, origin.line, origin.text, reason,
                                     tuple(writes)))
        names = sorted({".".join(str(p) for p in k[1:]) for k in writes} | set(created))
        if names:
            self._warn(origin, f"folding stops here for {', '.join(names)}: later statements "
                       f"on them are kept verbatim, in order, after this one ({reason})")

    def _touch_name(self, key: Key) -> None:
        """``key`` joins the barrier names; for a table, so do the types its columns use (what
        only a change to the table can drop: ``DROP TYPE`` after the kept ``DROP COLUMN``)."""
        self.barrier_names.add((str(key[1]), str(key[2])))
        table = self.objects.get(key)
        if isinstance(table, Index):
            # an index goes with its table (DROP TABLE, DETACH PARTITION, DROP COLUMN): what
            # changes the table runs after the kept statement that names the index
            self.barrier_names.add((str(table.table.schema), table.table.name))
            return
        for column in table.columns if isinstance(table, Table) else ():
            self._touch_type(column.column.type)

    def _touch_type(self, type_text: str) -> None:
        type_key = self._resolve(_type_name(type_text), (ObjectKind.TYPE,))
        if type_key is not None:
            self.barrier_names.add((str(type_key.schema), type_key.name))

    def _owned_sequences(self, table: Table) -> list[tuple[str, str]]:
        return [(str(k.schema), k.name) for k, seq in self.objects.items()
                if isinstance(seq, Sequence) and seq.owned_by is not None
                and seq.owned_by[0] == table.name]

    def _fingerprint(self, key: Key) -> list[_Named]:
        uid = self.uid_of.get(key)
        obj = self.objects.get(key)
        if uid is None or obj is None:
            return []
        detail: object = obj.options if isinstance(obj, Sequence) else None
        if isinstance(obj, Table) and obj.partition_by:
            detail = self._partitions(obj)  # where its rows go
        return [_Named(uid, key, detail, len(self.lineage.get(uid, [])))]

    def _arbiters(self, table: Table, on_conflict: str) -> _Arbiters:
        """The unique and exclusion constraints (by name: ``ON CONSTRAINT`` names one) and
        unique indexes (by definition: one renamed still serves ``ON CONFLICT (...)``) of
        ``table`` that may be the arbiter ``on_conflict`` names or infers: for ``ON CONSTRAINT
        c``, those named ``c``; else those on a column whose name is a word of the target."""
        words = {w.lower() for w in re.findall(r"\w+", on_conflict)}
        named = re.match(r"\s*ON\s+CONSTRAINT\b", on_conflict, re.IGNORECASE) is not None

        def may_serve(name: str, columns: Iterable[str]) -> bool:
            if named:
                return name.lower() in words
            return not words or any(w.lower() in words for c in columns
                                    for w in re.findall(r"\w+", c))

        keys: set[tuple[object, ...]] = {
            ("constraint", c.name, c.constraint.kind, c.constraint.columns,
             str(c.constraint.expression or "")) for c in table.constraints
            if c.constraint.kind in ("primary key", "unique", "exclude") and may_serve(
                c.name, (*c.constraint.columns, str(c.constraint.expression or "")))}
        indexes: list[tuple[int, int]] = []
        for key, index in self.objects.on_table(table.name, Index):
            elements = [el.column or str(el.expression or "") for el in index.elements] \
                if isinstance(index, Index) else []
            if isinstance(index, Index) and index.unique and may_serve(index.name.name,
                                                                     elements):
                keys.add(("index", tuple(elements), str(index.where or ""),
                          index.nulls_not_distinct))
                uid = self.uid_of[key]
                indexes.append((uid, len(self.lineage.get(uid, []))))
        return _Arbiters(frozenset(keys), tuple(indexes), on_conflict)

    def _arbiter_changed(self, named: _Named) -> str | None:
        """The file of the first statement after a kept ``INSERT ... ON CONFLICT`` that may
        have taken its arbiter away: one altering its table's constraints, or changing or
        dropping a unique index it had."""
        assert isinstance(named.detail, _Arbiters)
        # (a constraint dropped or renamed, or a column dropped with its keys; not a column
        # added, nor an index created)
        found = [entry.origin for entry in self.lineage.get(named.uid, [])[named.history:]
                 if entry.action == Action.RENAMED or entry.account.part is not None and (
                     entry.account.part.kind == "constraint"
                     or entry.account.part.action == Action.DROPPED)]
        for uid, history in named.detail.indexes:
            found.extend(entry.origin for entry in self.lineage.get(uid, [])[history:])
            if uid in self.dropped_by:
                found.append(self.dropped_by[uid])
        order = {origin: n for n, origin in enumerate(self.statements)}
        found = [origin for origin in found if origin in order]
        return min(found, key=order.__getitem__).file if found else None

    def _partitions(self, table: Table) -> tuple[tuple[int, str | None], ...]:
        """A partitioned table's partitions (uid, bound): where a row written to it goes."""
        return tuple(sorted((self.uid_of.get(k, -1), t.partition_bound)
                            for k, t in self.objects.items()
                            if isinstance(t, Table) and t.partition_of == table.name))

    def _named(self, target: Key, reads: Iterable[QName]) -> list[_Named]:
        """What a kept statement names: its table, the relations it reads, and the columns of
        those whose names it mentions."""
        named = self._fingerprint(target)
        relations = [target]
        bare = set()
        for name in reads:
            key = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE))
            if key is not None and key not in relations:
                relations.append(key)
                named.extend(self._fingerprint(key))
            bare.add(name.name)  # a column, bare or qualified by its table or an alias
        for key in relations:
            table = self.objects.get(key)
            if isinstance(table, Table):
                for column in table.columns:
                    if column.name in bare or key == target:
                        # a label it writes or compares (``'a'``, ``'{a}'``) must stay one
                        named.extend(self._enum_labels(column.column.type, named))
                    if column.name in bare:
                        column_key = self._column_key(table, column.name)
                        uid = self.uid_of[column_key]
                        named.append(_Named(uid, column_key, column.column.type,
                                            len(self.lineage.get(uid, []))))
        return named

    def _enum_labels(self, type_text: str, named: list[_Named]) -> list[_Named]:
        """The enum a column of ``type_text`` (or an array of it) holds, with its labels."""
        key = self._resolve(_type_name(type_text), (ObjectKind.TYPE,))
        enum = self.objects.get(key) if key is not None else None
        uid = self.uid_of.get(key) if key is not None else None
        if not isinstance(enum, EnumType) or uid is None or any(n.uid == uid for n in named):
            return []
        assert key is not None
        return [_Named(uid, key, enum.labels, len(self.lineage.get(uid, [])))]

    def _changed(self, named: _Named) -> tuple[str, str | None] | None:
        """How something a kept statement names changed after it, and the file of the first
        such change (when known); None when it did not change."""
        later = [entry for entry in self.lineage.get(named.uid, [])[named.history:]
                 if entry.action in _CHANGES]
        where = f" at {later[0].where()}" if later else ""
        first = later[0].file if later else None
        what = " ".join(str(p) for p in named.key[:1]) + " " + ".".join(
            str(p) for p in named.key[1:])
        if named.uid in self.dropped_by:
            dropped = self.dropped_by[named.uid]
            return f"{what} is dropped at {dropped.where()}", first or dropped.file
        if self.key_of.get(named.uid) != named.key:
            return f"{what} is renamed{where}", first
        obj = self.objects.get(named.key)
        if named.key.kind == ObjectKind.COLUMN:
            table = self.objects.get(ObjectKey.of(ObjectKind.TABLE, *named.key[1:3]))
            column = table.column(named.key.name) if isinstance(table, Table) else None
            if column is not None and column.column.type != named.detail:
                return f"{what} changes type{where}", first
        elif isinstance(obj, EnumType) and isinstance(named.detail, tuple) and \
                not set(named.detail) <= set(obj.labels):
            # a label renamed: the old one, which the statement may write, is no longer one
            return f"{what} renames a label{where}", first
        elif isinstance(obj, Sequence) and obj.options != named.detail:
            return f"{what} changes its options{where}", first
        elif isinstance(obj, Function) and named.detail is not None and \
                obj.text != named.detail:
            # a trigger's function, replaced: the one of the end would run on the statement
            return f"{what} is replaced{where}", first
        elif isinstance(obj, Table) and isinstance(named.detail, _Arbiters):
            if not named.detail.keys <= self._arbiters(obj, named.detail.on_conflict).keys:
                # ON CONFLICT would find no arbiter, or another, at the end
                return f"{what} drops or changes a unique key or index later", \
                    self._arbiter_changed(named)
        elif isinstance(obj, Table) and obj.partition_by and named.detail is not None \
                and self._partitions(obj) != named.detail:
            # rows written to it would land elsewhere (or nowhere) at the end
            return f"{what} changes its partitions{where}", None
        return None

    # -- opaque statements: barriers ---------------------------------------------------------

    def _apply_Opaque(self, e: ev.Opaque) -> None:
        writes: list[Key] = []
        text = e.origin.text
        # a table kept verbatim (ON COMMIT, COMPRESSION, TEMPORARY...) is still analyzed
        self._refuse_missing_key(e.origin, None, _IF_NOT_EXISTS_TABLE.match(text) is not None,
                                 _missing_key_column(text))
        reach = _SESSION_REACH.search(text)
        if reach is not None and not _ROUTINE_SETTING.match(text):
            # what it may change applies to everything created after it, which the
            # consolidation creates before it: the history is kept as written from here
            raise self.fold_limit(e.origin, "an opaque statement may change "
                                  f"{' '.join(reach.group().lower().split())}, which applies to "
                                  "what later statements create")
        event_trigger = _EVENT_TRIGGER.match(text)
        if event_trigger is not None and not self.external \
                and not self._inert_event_function(event_trigger.group(1), e.origin):
            # it fires on every later DDL statement of the history, which the consolidation
            # runs before it: what it writes (a log of DDL) would be missing
            raise self.fold_limit(e.origin, "an event trigger whose function may change "
                                  "something fires on the DDL of later statements, which the "
                                  "consolidation runs before it")
        owned_by = _OWNED_BY.match(text)
        if owned_by is not None and not self.external:
            role = self._owning_role(owned_by.group(1), text.split()[0].upper() == "DROP")
            if role is not None:
                # every object it owns changes owner (or is dropped), and its privileges go:
                # the fold follows objects one by one and writes their owners after this
                raise self.fold_limit(e.origin, f"{' '.join(text.split()[:2]).upper()} BY "
                                      f"{role} reaches objects the fold follows")
        for name in [*e.writes, *sql.mentioned_names(text), *sql.names_in_sql_strings(text),
                     *self._called_bodies_names(text)]:
            key = self._resolve(name, _BARRIER_KINDS)
            if key is not None and key not in writes:
                writes.append(key)
        for name in e.writes:
            if name.schema is not None and self._resolve(name, _BARRIER_KINDS) is None:
                # the new name of what a kept RENAME or SET SCHEMA moves (the model still has
                # it under its old one): a later view, type use or index naming it runs after
                self.barrier_names.add((name.schema, name.name))
        writes.extend(k for k in self._type_users([k for k in writes
                                                   if k.kind == ObjectKind.TYPE])
                      if k not in writes)
        if self.uncertain_after is None:
            self.uncertain_after = e.origin
        unmodelled = sql.unmodelled_created(text)
        self.unmodelled.extend(unmodelled)
        created = sql.created_names(e.origin.text)
        # an aggregate is a function; the other unmodelled kinds take no default privileges
        self._created_under_default_privileges(e.origin, (
            {"functions"} if any(u.kind == "aggregate" for u in unmodelled)
            else set() if unmodelled else _DEFAULT_KINDS if created else set()))
        for name in created:
            schema = name.schema or next(
                (s for s in self.search_path if ObjectKey.of(ObjectKind.SCHEMA, None,
                                                             s) in self.objects), None)
            if schema is not None:
                self.barrier_names.add((schema, name.name))
        self._barrier(e.origin, writes, f"opaque: {e.reason}",
                      [*(str(n) for n in created), *(f"{u.kind} {u.name}" for u in unmodelled)])

    def _called_bodies_names(self, text: str) -> list[QName]:
        """The names the bodies of the history's routines that ``text`` calls mention (and SQL
        in their strings, ``EXECUTE format('CREATE TABLE %I PARTITION OF events ...')``), and
        those of the routines they call in turn: an opaque ``SELECT make_partition(...)`` or
        ``SELECT f()`` writes what its routine writes, and a later statement on that must run
        after it (an ``INSERT`` kept in the data phase ran before the call that made its
        partition, or before the call's own ``INSERT``)."""
        names: list[QName] = []
        seen: set[tuple[str | None, str]] = set()
        todo = [text]
        while todo:
            for called in sql.called_names(todo.pop()):
                schemas = [called.schema] if called.schema else self.search_path
                for schema in schemas:
                    # the routine's overloads, from the store's index by name
                    overloads = [f for key in self.objects.keys_named(
                                     ObjectKind.FUNCTION, schema, called.name)
                                 if isinstance(f := self.objects.get(key), Function)]
                    if (schema, called.name) in seen or not overloads:
                        continue
                    seen.add((schema, called.name))
                    for function in overloads:
                        body = function.standard_body() or (
                            str(function.body) if function.body is not None else "")
                        names.extend([*sql.mentioned_names(body),
                                      *sql.names_in_sql_strings(body)])
                        todo.append(body)
        return names

    def _type_users(self, types: list[Key]) -> list[Key]:
        """The tables, domains and composite types with a column, base type or attribute of one
        of ``types``, and theirs in turn: a type an opaque statement may change (``ALTER TYPE
        ... ADD ATTRIBUTE``, an enum's new value) changes what a later view reading such a table
        finds (``(p).note``), so they are touched with it."""
        found: list[Key] = []
        todo = list(types)
        seen = set(types)
        while todo:
            type_key = todo.pop()
            for key, obj in self.objects.items():
                if key in seen:
                    continue
                if isinstance(obj, Table):
                    used = [c.column.type for c in obj.columns]
                elif isinstance(obj, Domain):
                    used = [obj.base_type]
                elif isinstance(obj, CompositeType):
                    used = [a.type for a in obj.attributes]
                else:
                    continue
                if any(self._resolve(_type_name(t), (ObjectKind.TYPE,)) == type_key
                       for t in used):
                    seen.add(key)
                    found.append(key)
                    if key.kind == ObjectKind.TYPE:
                        todo.append(key)
        return found

    def _owning_role(self, written: str, drop: bool) -> str | None:
        """The first role of ``REASSIGN OWNED BY`` / ``DROP OWNED BY`` (``written``, the list)
        whose objects the fold cannot follow through it: one that owns or created an object
        the fold follows, or that default privileges (or, for ``DROP``, policies) name;
        ``CURRENT_USER`` and its like (perhaps the role running the migrations) whenever the
        fold follows any object. ``DROP OWNED`` of a role that only holds privileges takes them
        away, as PostgreSQL revokes them (``drop``: forgotten here)."""
        roles = [QName.parse(part.strip()).name for part in written.split(",") if part.strip()]
        followed = [(key, obj) for key, obj in self.objects.items()
                    if not obj.external and not isinstance(obj, Role)]
        created = set(self.creator.values())
        for role in roles:
            if role.upper() in ("CURRENT_USER", "CURRENT_ROLE", "SESSION_USER") and followed:
                return role
            if role in created or any(obj.owner == role for _, obj in followed):
                return role
            if drop and any(isinstance(obj, Policy) and role in obj.roles for _, obj in followed):
                return role
            for rule, rule_role in self.default_acl:
                owners = set(rule.for_roles) if rule.for_roles else {rule_role}
                if role in owners and (not drop or owners != {role}) or drop and \
                        role in rule.grantees and set(rule.grantees) != {role}:
                    return role  # REASSIGN gives the rule away; DROP takes part of it
        if drop:
            for key, obj in followed:
                acl = tuple(p for p in obj.acl if p.grantee not in roles)
                if acl != obj.acl:
                    self._put(key, attrs.evolve(obj, acl=acl))
            rules = [((rule, rule_role), text) for (rule, rule_role), text in zip(
                         self.default_acl, self.default_privileges, strict=True)
                     if not ({*(rule.for_roles or (rule_role,)), *rule.grantees} & set(roles))]
            self.default_acl = [rule for rule, _ in rules]
            self.default_privileges = [text for _, text in rules]
        return None

    def _inert_event_function(self, written: str, origin: ev.Origin) -> bool:
        """Whether the event trigger function ``written`` (as named in ``CREATE EVENT
        TRIGGER``) is PL/pgSQL that changes nothing when it fires (it only raises notices)."""
        try:
            key = self._function(QName.parse(written), (), origin, missing_ok=True)
        except InputError:
            return False
        function = self.objects.get(key) if key else None
        if not isinstance(function, Function) or function.body is None \
                or (function.language or "").lower() != "plpgsql":
            return False
        return inert_trigger_body(function.body, row_level=False, before=False, events="")

    def _barrier_hit(self, name: QName) -> bool:
        schemas = [name.schema] if name.schema else list(self.search_path)
        for schema in schemas:
            if (schema, name.name) in self.barrier_names:
                return True
            if self._namespace_taken(schema, name.name):
                return False
        return False

    def _domain_rows_kept(self, event: ev.AlterDomain) -> bool:
        """An ``ALTER DOMAIN`` while a table whose columns may hold the domain (of it, an array
        of it, another domain or a composite type over it) has rows or statements kept
        verbatim: the consolidation writes the domain as it ends, before those statements,
        which ran under the domain as it was; the statement is kept verbatim, in order."""
        key = self._resolve(event.name, (ObjectKind.TYPE,))
        if key is None:
            return False
        names = {key.name}
        grew = True
        while grew:  # the domains and composite types over it, over those ...
            grew = False
            for _, obj in self.objects.of_type(Domain, CompositeType):
                if isinstance(obj, Domain):
                    declared, over = [obj.base_type], obj.name.name
                elif isinstance(obj, CompositeType):
                    declared, over = [a.type for a in obj.attributes], obj.name.name
                else:
                    continue
                if over not in names and any(names & fragment(t).identifiers()
                                             for t in declared):
                    names.add(over)
                    grew = True
        for table_key, table in self.objects.of_type(Table):
            if not isinstance(table, Table) or not any(
                    names & fragment(c.column.type).identifiers() for c in table.columns):
                continue
            if self.uid_of.get(table_key) in self.verbatim or self._barrier_hit(table.name):
                self._keep_unmodelled(event.origin, "altering a domain a table's rows kept "
                                      "verbatim may hold", (table.name,))
                return True
        return False

    def _identity_sequence_kept(self, event: ev.SetIdentityGeneration) -> bool:
        """An identity's sequence options or ``RESTART`` where its sequence is behind a
        statement kept verbatim (its position or options not known since): the statement is
        kept verbatim, and so are later statements on the table and the sequence (the
        ``ALTER SEQUENCE`` it stands for would be kept as data, ahead of that statement)."""
        if not event.restart and event.options == ev.SequenceOptions():
            return False
        key = self._resolve(event.table, (ObjectKind.TABLE,))
        table = self.objects.get(key) if key is not None else None
        if not isinstance(table, Table):
            return False
        sequence = self._identity_sequence_of(table, event.column)
        if sequence is None:
            return False
        uid = self.uid_of.get(sequence.key())
        if uid not in self.verbatim and not self._barrier_hit(sequence.name):
            return False
        self._keep_unmodelled(event.origin, f"an identity's sequence options or RESTART, "
                              f"after a statement kept verbatim on {sequence.name.name}",
                              (table.name, sequence.name))
        return True

    def _keep_unmodelled(self, origin: ev.Origin, reason: str, names: Iterable[QName] = ()
                         ) -> None:
        """A statement PostgreSQL applies that the model cannot carry, found out only when
        its object is looked up (``ALTER TABLE`` on a view's column default, on an index's
        column name): kept verbatim with a warning, as the parser keeps what no handler models
        (an opaque statement, ``reason`` its reason; ``names``: what it writes that its text
        does not name plainly); the statement's later actions go with it."""
        from schemafold.parse.postgres.opaque import make_opaque

        if len(self.events) > 1 and self.events[-2].origin is origin and \
                not isinstance(self.events[-2], ev.TableIfExists):
            # an earlier action of the statement was folded: kept whole, the consolidation
            # would run that action twice
            raise self.fold_limit(origin, f"{reason}, and an earlier action of this statement "
                                  "is folded: it cannot be kept whole after the folded part")
        self._warn(origin, f"kept verbatim ({reason})")
        opaque = make_opaque(origin, reason)
        self._handle(attrs.evolve(opaque, writes=(*opaque.writes, *names)))
        self._whole_kept = origin

    def _intercept(self, event: ev.Event) -> bool:
        origin = event.origin
        if self._whole_kept is origin:
            if not isinstance(event, _NEVER_INTERCEPTED):
                self._kept_may_change(self._subject_keys(_subjects(event)))
                self.kept_identities.extend(_identities_made(event))
            return True
        if isinstance(event, _NEVER_INTERCEPTED):
            return False
        if isinstance(event, ev.SetIdentityGeneration) and self._identity_sequence_kept(event):
            return True
        if isinstance(event, ev.AlterDomain) and self._domain_rows_kept(event):
            return True
        late_key = self._key_checked_against_late_rows(event)
        if late_key is not None:
            constrained, referenced = late_key
            if len(self.events) > 1 and self.events[-2].origin is origin and \
                    not isinstance(self.events[-2], ev.TableIfExists):
                raise self.fold_limit(origin, "a foreign key checking rows against those a "
                                      "statement kept after every object writes follows an "
                                      "action of this statement that was folded: it cannot be "
                                      "kept whole after them")
            self._barrier(origin, [constrained], f"its foreign key checks the rows of "
                          f"{constrained[2]} "
                          f"against those of {referenced[1]}.{referenced[2]}, which a statement "
                          "kept after every object writes")
            self._whole_kept = origin
            return True
        if isinstance(event, ev.AlterSequence) and event.restart:
            key = self._resolve(event.name, (ObjectKind.SEQUENCE,))
            if key is not None and self.uid_of.get(key) in self.verbatim:
                uid = self.uid_of[key]
                self._keep_data(event, key, f"the position of {event.name} is not known after "
                                f"{self.verbatim[uid].where()}", (), [key])
                self._whole_kept = origin
                return True
        if isinstance(event, ev.RefreshMaterializedView) and event.with_data and self.late_data:
            reads = self._view_reads(event.name)
            if any(self.uid_of.get(k) in self.late_data for k in self._subject_keys(reads)):
                # it takes rows a statement kept after every object writes: kept after it
                # (folded, the consolidation refreshed it in the data phase, before them)
                key = self._resolve(event.name, (ObjectKind.VIEW,))
                assert key is not None
                self._keep_data(event, key, "its query reads rows a statement kept after every "
                                "object writes", reads, ())
                self._whole_kept = origin
                return True
        if not self.barrier_names and not self.unmodelled:
            return False
        subjects = list(_subjects(event))
        if isinstance(event, ev.RefreshMaterializedView) and event.with_data:
            # it takes the rows of what its query reads: of a relation an opaque statement
            # touched, those kept statements write after it, so it is kept in order after them
            # (folded, the consolidation refreshed it before them)
            subjects.extend(self._touched_reads_of_view(event.name))
        # a schema an opaque statement touched: one it holds objects in, or one it names
        # (CREATE SCHEMA x CREATE SEQUENCE s creates x, which no handler saw)
        schema_drop = isinstance(event, ev.Drop) and event.kind == ObjectKind.SCHEMA and any(
            any(s == t.name.name for s, _ in self.barrier_names)
            or any(QName(None, t.name.name) in sql.mentioned_names(b.text)
                   for b in self.barriers)
            for t in event.targets)
        if not schema_drop and not any(self._barrier_hit(q) for q in subjects) \
                and not any(self._made_by_opaque(q) for q in _calls(event)) \
                and not any(self._type_made_by_opaque(q) for q in _signature_types(event)) \
                and not self._names_unmodelled(event) \
                and not self._writes_touched_domain(event):
            return False
        if isinstance(event, ev.CreateTable):
            # a table kept for what it references still has the columns it defines, whatever
            # the barrier did: a key naming another is refused (REFERENCES a barrier's table)
            self._refuse_missing_key(origin, event.name, event.if_not_exists,
                                     _missing_key_of(event))
        self._created_under_default_privileges(origin, _default_kinds(event))
        if len(self.events) > 1 and self.events[-2].origin is origin:
            # an earlier action of the statement was folded (ALTER TABLE t ADD COLUMN c, ADD
            # FOREIGN KEY (c) REFERENCES touched): kept whole, the consolidation would run that
            # action twice (column "c" already exists)
            raise self.fold_limit(origin, "part of this statement names what an opaque "
                                  "statement touched and part does not: it cannot be kept "
                                  "whole after the folded part")
        self._whole_kept = origin
        self._keep(origin, (), data=False)
        self._kept_may_change(self._subject_keys(subjects))
        self.kept_identities.extend(_identities_made(event))
        unchanged: list[_Named] = []
        if isinstance(event, ev.Drop):
            for key in self._dropped_when_kept(event):
                unchanged.extend(self._fingerprint(key))
        elif isinstance(event, ev.Rename | ev.SetSchema | ev.RenameColumn):
            self._renamed_when_kept(event)
        for name in subjects:
            if self._barrier_hit(name):
                continue
            key = self._resolve(name, _BARRIER_KINDS)
            if key is not None:
                unchanged.extend(self._fingerprint(key))
        for function in _functions_named(event):  # a kept trigger runs its function by name
            try:
                key = self._function(function, (), origin, missing_ok=True)
            except InputError:
                continue
            if key:
                unchanged.extend(self._fingerprint(key))
        # the routines it calls by name (a kept view's query): a later RENAME, SET SCHEMA or
        # DROP of one stays after it, in order (the consolidation created the routine under
        # its last name, which the kept view did not call)
        for function in _calls(event):
            for home in [function.schema] if function.schema else self.search_path:
                if self.objects.keys_named(ObjectKind.FUNCTION, home, function.name):
                    self.barrier_names.add((home, function.name))
                    break
        for name in [*subjects, *_created(event)]:
            key = self._resolve(name, _BARRIER_KINDS)
            schema = str(key.schema) if key else name.schema or next(
                (s for s in self.search_path if ObjectKey.of(ObjectKind.SCHEMA, None,
                                                             s) in self.objects), None)
            if schema is not None and (key is not None or name in _created(event)):
                self.barrier_names.add((schema, name.name))
                if key is not None:
                    self._touch_name(key)
            table = self.objects.get(key) if key is not None else None
            if isinstance(table, Table):
                # a kept ALTER TABLE may drop or retype the column a sequence it owns feeds: a
                # later DROP SEQUENCE of it must stay in order after it too
                self.barrier_names.update(self._owned_sequences(table))
                if isinstance(event, ev.SetSchema):
                    self.barrier_names.update(
                        (event.schema, k.name) for k in self._moving_with(table))
        for type_text in _declared_types(event):  # a kept table's columns name their types
            self._touch_type(type_text)
        self.kept_checks.append(_Kept(origin, "after an opaque statement", unchanged))
        return True

    def _view_reads(self, name: QName) -> list[QName]:
        """The names a (materialized) view's query mentions."""
        key = self._resolve(name, (ObjectKind.VIEW,))
        view = self.objects.get(key) if key is not None else None
        return list(sql.mentioned_names(view.query)) if isinstance(view, View) else []

    def _touched_reads_of_view(self, name: QName) -> list[QName]:
        """The names a materialized view's query mentions that an opaque statement touched."""
        return [q for q in self._view_reads(name) if self._barrier_hit(q)]

    def _refuse_missing_key(self, origin: ev.Origin, name: QName | None,
                            if_not_exists: bool, missing: str | None) -> None:
        """A ``CREATE TABLE`` (kept verbatim) whose ``UNIQUE``/``PRIMARY KEY`` names a column
        none of its definitions has: PostgreSQL 15 and 18 refuse it (``column "x" named in key
        does not exist``) unless ``IF NOT EXISTS`` finds the table made already. Refused even
        after an opaque statement (no fold limit) where that cannot be: no ``IF NOT EXISTS``,
        or a table ``name`` nothing earlier may have made (``_surely_new``). ``missing``: the
        first key column missing, or None."""
        if missing is None:
            return
        message = f'column "{missing}" named in key does not exist'
        if not if_not_exists or name is not None and self._surely_new(name, origin):
            raise StatementError(message, file=origin.file, line=origin.line, text=origin.text)
        raise self._error(origin, message)

    def _surely_new(self, name: QName, origin: ev.Origin) -> bool:
        """Whether no relation ``name`` can exist before ``origin``: the model has none, no
        barrier touched the name, and no earlier statement spells it (case aside) or builds
        names from pieces (``||``, ``format``, ``CREATE EXTENSION``...), which an opaque one
        could have run."""
        schemas = [name.schema] if name.schema else list(self.search_path)
        if any(self._namespace_taken(s, name.name) for s in schemas) or \
                self._barrier_hit(name):
            return False
        needle = name.name.casefold()
        return not any(needle in o.text.casefold() or _BUILT_NAMES.search(o.text)
                       for o in self.statements if o is not origin)

    def _made_by_opaque(self, function: QName) -> bool:
        """Whether a function a statement calls may be one an opaque statement created (a
        barrier name with no function of that name the fold follows): it exists only after
        that statement. A function the fold follows that a barrier merely calls or alters
        (``ALTER FUNCTION f SET ...``) exists before every kept statement."""
        for schema in [function.schema] if function.schema else list(self.search_path):
            if self.objects.keys_named(ObjectKind.FUNCTION, schema, function.name):
                return False
            if (schema, function.name) in self.barrier_names:
                return True
        return False

    def _type_made_by_opaque(self, name: QName) -> bool:
        """Whether a type a function takes or returns may be one an opaque statement created
        (a barrier name no type, table or view the fold follows has): a routine needs its
        types to exist, not to be as the history left them, so one the fold follows does not
        hold it back."""
        return self._barrier_hit(name) and self._resolve(
            name, (ObjectKind.TYPE, ObjectKind.TABLE, ObjectKind.VIEW)) is None

    def _subject_keys(self, subjects: Iterable[QName]) -> list[Key]:
        return [k for q in subjects if (k := self._resolve(q, _BARRIER_KINDS)) is not None]

    def _names_unmodelled(self, event: ev.Event) -> bool:
        """Whether ``event``'s statement may name an object of an unmodelled kind a kept
        statement created (a column ``COLLATE ci``, a view calling an aggregate, an index using
        an operator class): PostgreSQL looks it up when the statement runs, so the statement
        runs after the kept one, in order (the consolidation writes kept statements after every
        object). A role only for what is written before the kept statements (its memberships,
        a schema's ``AUTHORIZATION``, a policy's roles): owners and grants come after them."""
        text = event.origin.text
        early_roles = isinstance(event, _BEFORE_KEPT_NAMING_ROLES)
        return any(u.mentioned_in(text) for u in self.unmodelled
                   if early_roles or u.kind not in _ROLE_KINDS)

    def _writes_touched_domain(self, event: ev.Event) -> bool:
        """Whether ``event`` writes rows of a table with a column of a domain a barrier touched
        (a kept ``ALTER DOMAIN ... SET DEFAULT``, ``SET NOT NULL`` or ``ADD CONSTRAINT``): the
        values it writes, and whether PostgreSQL takes them, are not known to the fold."""
        if not isinstance(event, ev.Insert | ev.Update):
            return False
        key = self._resolve(event.table, (ObjectKind.TABLE,))
        table = self.objects.get(key) if key is not None else None
        if not isinstance(table, Table):
            return False
        for column in table.columns:
            name = _type_name(column.column.type)
            if not self._barrier_hit(name):
                continue
            type_key = self._resolve(name, (ObjectKind.TYPE,))
            if type_key is not None and isinstance(self.objects.get(type_key), Domain):
                return True
        return False

    def _renamed_when_kept(self, event: ev.Rename | ev.SetSchema | ev.RenameColumn) -> None:
        """A ``RENAME`` or ``SET SCHEMA`` kept verbatim (it names an object an opaque statement
        touched) may rename an object the fold follows: the consolidation creates it under its
        old name, and the kept statement renames it. Its comments, owner and grants (and those
        of its table's indexes, triggers and policies, or of everything in a renamed schema),
        written after every kept statement, would name it by its old name: they are written
        before the kept statements instead. What the history set of them came before the
        object was touched (every later statement on it is kept verbatim, in order), so they
        come before the kept statements that follow in the history as well."""
        try:
            if isinstance(event, ev.RenameColumn):
                key = self._resolve(event.table, (ObjectKind.TABLE, ObjectKind.VIEW))
            else:
                key = self._target_key(event.kind, event.target, event.origin, True)
        except InputError:
            return
        if key is None or key not in self.objects:
            return
        keys = {key}
        moved = self.objects[key]
        if isinstance(event, ev.SetSchema) and isinstance(moved, Table):
            keys.update(self._moving_with(moved))
        for other_key, obj in self.objects.items():
            if key.kind == ObjectKind.SCHEMA:
                if len(other_key) > 2 and other_key.schema == key.name:
                    keys.add(other_key)
                continue
            on = getattr(obj, "table", None)
            if isinstance(on, QName) and not isinstance(obj, Table | View) and \
                    self._resolve(on, (ObjectKind.TABLE, ObjectKind.VIEW)) == key:
                keys.add(other_key)
        self.renamed_when_kept.update(self.uid_of[k] for k in keys if k in self.uid_of)

    def _moving_with(self, table: Table) -> list[Key]:
        """What a kept ``SET SCHEMA`` of ``table`` moves with it (PostgreSQL 15): its indexes
        and the sequences it owns, and the touched sequences of its schema (a kept ``OWNED BY``
        may have made one its own)."""
        schema = str(table.name.schema)
        return [k for k, obj in self.objects.items()
                if isinstance(obj, Index) and obj.table == table.name
                or isinstance(obj, Sequence) and (
                    obj.owned_by is not None and obj.owned_by[0] == table.name
                    or k.schema == schema and (schema, k.name) in self.barrier_names)]

    def _created_under_default_privileges(self, origin: ev.Origin, kinds: set[str]) -> None:
        """A statement kept verbatim that creates an object while ``ALTER DEFAULT PRIVILEGES``
        rules are in force: in the history the object takes their grants; the consolidation
        writes the rules after every kept statement, so it would not (a kept ``CREATE TABLE``
        after ``ALTER DEFAULT PRIVILEGES ... GRANT UPDATE ON TABLES TO r1`` lost the grant).
        The history is kept as written from its file."""
        rules = [rule for rule, _ in self.default_acl if rule.kind in kinds]
        if rules:
            rule = rules[0].origin
            raise self.fold_limit(origin, "a statement kept verbatim creates an object under "
                                  f"the default privileges of {rule.where()}, which the "
                                  "consolidation sets after it")

    def _dropped_when_kept(self, event: ev.Drop) -> list[Key]:
        """A ``DROP`` kept verbatim (it names an object an opaque statement touched) may name
        objects the fold follows too: the consolidation creates them, and the kept ``DROP``
        drops them. Their comments, owner and grants (and those of the indexes, triggers,
        policies and owned sequences that go with a table, or of everything in a schema) are
        written after every kept statement, so they are forgotten: PostgreSQL drops them with
        the object. Returns the objects it names, which must still exist at the end for it to
        run (a later ``DROP FUNCTION ... CASCADE`` taking its trigger would leave the
        consolidation without them)."""
        keys: list[Key] = []
        for ref in event.targets:
            if event.kind in (ObjectKind.CONSTRAINT, ObjectKind.COLUMN, ObjectKind.DATABASE,
                              ObjectKind.ROLE):
                continue
            try:
                key = self._target_key(event.kind, ref, event.origin, True)
            except InputError:
                continue
            if key is not None and key in self.objects:
                keys.append(key)
        gone = set(keys)
        tables = [k for k in keys if k.kind == ObjectKind.TABLE]
        schemas = {k.name for k in keys if k.kind == ObjectKind.SCHEMA}
        for key, obj in list(self.objects.items()):
            if len(key) > 2 and key.schema in schemas:
                gone.add(key)
            on = obj.owned_by[0] if isinstance(obj, Sequence) and obj.owned_by else getattr(
                obj, "table", None)
            if tables and key.kind in (ObjectKind.INDEX, ObjectKind.TRIGGER, ObjectKind.POLICY,
                                     ObjectKind.SEQUENCE) \
                    and isinstance(on, QName) and self._resolve(on, (ObjectKind.TABLE,)) in tables:
                gone.add(key)
        for key in sorted(gone, key=repr):
            self.objects[key] = _bare(self.objects[key])
        return keys

    # -- the rule, at the end -------------------------------------------------------------------

    def check_kept(self) -> None:
        """The rule: a statement kept verbatim needs everything it names unchanged to the end."""
        for kept in self.kept_checks:
            if kept.origin in self.replaced_by:
                continue
            self._check_later_triggers(kept)
            self._check_later_defaults(kept)
            self._check_later_dropped_columns(kept)
            for named in kept.names:
                change = self._changed(named)
                if change is not None:
                    # folding up to the change would leave the statement runnable
                    what, changed_in = change
                    raise self.fold_limit(
                        kept.origin,
                        f"cannot keep this statement verbatim ({kept.why}), and {what}: "
                        "it would not run at the end of the consolidation", cut=changed_in)

    def _check_later_defaults(self, kept: _Kept) -> None:
        """A statement kept verbatim that leaves a column to its default (an INSERT not
        listing it, a column added after it), whose default is set or dropped later in the
        history: at the end of the consolidation it would take the last default, not the one
        the history's rows got -- the fold is cut at the file changing the default."""
        if kept.given is None or kept.table is None:
            return
        key = self.key_of.get(kept.table)
        table = self.objects.get(key) if key else None
        if not isinstance(table, Table):
            return
        for column in table.columns:
            uid = self._column_uid(table, column.name)
            if uid in kept.given:
                continue
            for entry in self.lineage.get(uid, [])[kept.column_history.get(uid, 0):]:
                if isinstance(entry.account.event, ev.SetColumnDefault):
                    raise self.fold_limit(
                        kept.origin,
                        f"cannot keep this statement verbatim ({kept.why}), and column "
                        f"{table.name.name}.{column.name}, which it leaves to its default, gets "
                        f"another default at {entry.where()}: its rows would take that one at "
                        "the end of the consolidation", cut=entry.origin.file)

    def _check_later_dropped_columns(self, kept: _Kept) -> None:
        """An INSERT kept verbatim that lists no columns, on a table losing one of its
        columns later: at the end of the consolidation its values would go to other columns,
        or be too many (``INSERT has more expressions than target columns``) -- the fold is cut
        at the file dropping the column."""
        if not kept.positional:
            return
        for uid in sorted(kept.columns):
            dropped = self.dropped_by.get(uid)
            if dropped is not None:
                raise self.fold_limit(
                    kept.origin,
                    f"cannot keep this statement verbatim ({kept.why}), and it gives its values "
                    f"by position to columns one of which is dropped at {dropped.where()}",
                    cut=dropped.file)

    def _check_later_triggers(self, kept: _Kept) -> None:
        """A statement kept to run after every object, on a table that gets a trigger firing on
        it later in the history: the trigger would fire on it in the consolidation (rows
        changed that were not) -- the fold is cut at the file creating that trigger."""
        if not kept.late or kept.table is None:
            return
        key = self.key_of.get(kept.table)
        table = self.objects.get(key) if key else None
        if not isinstance(table, Table):
            return
        for trigger_key, trigger in sorted(self.objects.items(), key=lambda kv: repr(kv[0])):
            if not isinstance(trigger, Trigger) or trigger.table != table.name or \
                    kept.verb not in trigger.events.upper() or trigger.name in kept.triggers:
                continue
            uid = self.uid_of.get(trigger_key)
            entries = self.lineage.get(uid, []) if uid is not None else []
            created = entries[0] if entries else None
            where = f" at {created.where()}" if created is not None else ""
            raise self.fold_limit(
                kept.origin,
                f"cannot keep this statement verbatim ({kept.why}), and trigger {trigger.name} "
                f"on {table.name.name} is created later{where}: it would fire on it at the end "
                "of the consolidation", cut=created.file if created is not None else None)

    def rule_changes(self) -> list[RuleChange]:
        changes: list[RuleChange] = []
        for kept in self.kept_checks:
            if kept.table is None or kept.origin in self.replaced_by:
                continue
            key = self.key_of.get(kept.table)
            table = self.objects.get(key) if key else None
            if not isinstance(table, Table):
                continue
            assert key is not None
            found: list[RuleChange] = []
            o = kept.origin
            for c in table.constraints:
                applies = kept.late or (c.constraint.kind == "check" and not c.constraint.not_valid)
                if applies and c.name not in kept.checks:
                    found.append(RuleChange(o.file, o.line, f"{c.constraint.kind} constraint",
                                            key, c.name))
            if kept.late:  # after every object: the triggers of the end fire on it
                for trigger in self._triggers(table, kept.verb):
                    if trigger.name not in kept.triggers:
                        found.append(RuleChange(o.file, o.line, "trigger", key, trigger.name))
            for column in table.columns:
                uid = self._column_uid(table, column.name)
                if (column.column.not_null or column.column.identity) and (
                        uid in kept.columns and uid not in kept.not_null):
                    found.append(RuleChange(o.file, o.line, "not null", key, column.name))
            for change in found:
                self._warn(o, change.describe())
            changes.extend(found)
        return changes


def _needs_arbiter(e: ev.Event) -> bool:
    """An ``INSERT ... ON CONFLICT``: its unique indexes and constraints are created in
    post-data, after the data phase. PostgreSQL refuses ``ON CONFLICT (cols)`` or ``ON
    CONSTRAINT c`` before the one it names exists; a bare ``ON CONFLICT DO NOTHING`` runs, but
    with no index to conflict with it inserts the rows it would have skipped."""
    return isinstance(e, ev.Insert) and e.on_conflict is not None


def _subjects(event: ev.Event) -> Iterator[QName]:
    """The names an event touches: every qualified name in its fields, the relations a view
    query reads."""
    for field in attrs.fields(type(event)):
        if field.name == "origin":
            continue
        value = getattr(event, field.name)
        if field.name in ("query", "as_query") and isinstance(value, str):
            yield from sql.mentioned_names(value)
            continue
        if field.name == "body" and isinstance(event, ev.CreateFunction):
            if _analyzed_in_consolidation(event):
                yield from sql.mentioned_names(str(value))
            continue  # a string body is not read when the consolidation creates it
        yield from _qnames(value)
    for type_text in _declared_types(event):  # a column of a touched type is kept after it
        yield _type_name(type_text)


#: the kinds of ``ALTER DEFAULT PRIVILEGES ... ON <kind>``
_DEFAULT_KINDS = {"tables", "sequences", "functions", "types", "schemas"}


def _default_kinds(event: ev.Event) -> set[str]:
    """The kinds of default privileges what ``event`` creates takes (a serial column's
    sequence too)."""
    if isinstance(event, ev.CreateTable):
        return {"tables", "sequences"}
    if isinstance(event, ev.AddColumn):
        return {"sequences"}
    if isinstance(event, ev.CreateView):
        return {"tables"}
    if isinstance(event, ev.CreateSequence):
        return {"sequences"}
    if isinstance(event, ev.CreateFunction):
        return {"functions"}
    if isinstance(event, ev.CreateEnum | ev.CreateCompositeType | ev.CreateDomain
                  | ev.CreateRangeType):
        return {"types"}
    if isinstance(event, ev.CreateSchema):
        return {"schemas"}
    return set()


def _identities_made(event: ev.Event) -> list[tuple[QName, str]]:
    """(table, column) of the identity and serial columns a statement kept verbatim makes, and
    of a column it gives a sequence (``ALTER SEQUENCE ... OWNED BY``)."""
    def made(column: ev.Column) -> bool:
        return column.identity is not None or \
            " ".join(column.type.lower().split()) in SERIAL_TYPES
    if isinstance(event, ev.SetColumnIdentity) and event.identity is not None:
        return [(event.table, event.column)]
    if isinstance(event, ev.AddColumn) and made(event.column):
        return [(event.table, event.column.name)]
    if isinstance(event, ev.CreateTable):
        return [(event.name, c.name) for c in event.columns if made(c)]
    if isinstance(event, ev.AlterSequence) and event.owned_by is not None:
        return [event.owned_by]  # ALTER SEQUENCE s OWNED BY t.c: c's sequence from now on
    return []


def _analyzed_in_consolidation(event: ev.CreateFunction) -> bool:
    """Whether PostgreSQL resolves the names in the function's body when it creates it, even
    under the consolidation's ``check_function_bodies = false``: a SQL-standard body (``BEGIN
    ATOMIC ... END`` or ``RETURN expr``), not a string."""
    body = str(event.body or "").lstrip().upper()
    return (event.language or "sql").lower() == "sql" and (
        body.startswith("RETURN") or "".join(body.split()).startswith("BEGINATOMIC"))


def _calls(event: ev.Event) -> Iterator[QName]:
    """The functions an event's statement calls where PostgreSQL looks them up when it runs:
    in a view's query, a SQL-standard body, a default, a CHECK, an index expression, a value."""
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        if field.name in ("query", "as_query") and isinstance(value, str):
            yield from sql.called_names(value)
        elif field.name == "body" and isinstance(event, ev.CreateFunction):
            if _analyzed_in_consolidation(event):
                yield from sql.called_names(str(value))
        elif field.name != "origin":
            yield from (name for leaf in _leaves(value) if isinstance(leaf, Fragment)
                        for name in sql.called_names(leaf))


def _leaves(value: object) -> Iterator[QName | Fragment]:
    """The names and expressions inside an event's field: ``value`` itself, or what tuples,
    lists and attrs classes (a column, a constraint, an ``ObjectRef``) hold, in order."""
    if isinstance(value, QName | Fragment):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _leaves(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            yield from _leaves(getattr(value, field.name))


def _type_name(type_text: str) -> QName:
    """The type a column declaration names (arrays of it included)."""
    base = canonical_type(type_text).removesuffix("[]").removesuffix("[]")
    return QName.from_parts(base.split("."))


def _qnames(value: object) -> Iterator[QName]:
    for leaf in _leaves(value):
        if isinstance(leaf, Fragment):
            # an expression (a default, a CHECK, an index expression, a value): the names it
            # mentions and the sequences its nextval('s') names (a regclass constant is looked
            # up when the statement runs)
            yield from sql.mentioned_names(leaf)
            yield from leaf.sequences()
        else:
            yield leaf


def _created(event: ev.Event) -> list[QName]:
    """The name an event creates (or renames to), kept verbatim after a barrier."""
    if isinstance(event, ev.Rename):
        return [QName(event.target.name.schema, event.new_name)]
    if isinstance(event, ev.SetSchema) and event.kind != ObjectKind.SCHEMA:
        return [QName(event.schema, event.target.name.name)]
    if isinstance(event, ev.CreateIndex) and event.name is not None:
        return [QName(event.table.schema, event.name)]
    name = getattr(event, "name", None)
    if isinstance(event, ev.CreateTable):
        return [event.name, *_implicit(event.name, event.columns, event.constraints)]
    if isinstance(event, ev.AddColumn | ev.AddConstraint):
        columns = (event.column,) if isinstance(event, ev.AddColumn) else ()
        constraints = (event.constraint,) if isinstance(event, ev.AddConstraint) else ()
        return _implicit(event.table, columns, constraints)
    if isinstance(event, ev.SetColumnIdentity) and event.identity is not None:
        return [_identity_sequence(event.table, event.column, event.sequence)]
    if type(event).__name__.startswith("Create") and isinstance(name, QName):
        return [name]
    return []


def _declared_types(event: ev.Event) -> list[str]:
    """The types a statement declares something of (PostgreSQL looks them up when it runs)."""
    if isinstance(event, ev.CreateTable):
        return [c.type for c in event.columns]
    if isinstance(event, ev.AddColumn):
        return [event.column.type]
    if isinstance(event, ev.AlterColumnType):
        return [event.type]
    return []


def _signature_types(event: ev.Event) -> list[QName]:
    """The types a statement needs to exist, not to be as the history left them: those a
    ``CREATE FUNCTION`` takes and returns (``SETOF t``, ``t``; not ``TABLE (...)``; also under
    ``check_function_bodies = false``), a composite type's attributes', a domain's base type,
    a range's subtype."""
    if isinstance(event, ev.CreateCompositeType):
        return [_type_name(a.type) for a in event.attributes]
    if isinstance(event, ev.CreateDomain):
        return [_type_name(event.base_type)]
    if isinstance(event, ev.CreateRangeType):
        return [_type_name(event.subtype)]
    if isinstance(event, ev.CreateFunction):
        returns = re.sub(r"(?is)^\s*SETOF\s+", "", event.returns or "")
        types = [*event.arg_types]
        if returns and not re.match(r"(?is)^\s*TABLE\b", returns):
            types.append(returns)
        return [_type_name(t) for t in types if t.strip()]
    return []


def _implicit(table: QName, columns: Iterable[ev.Column],
              constraints: Iterable[ev.Constraint]) -> list[QName]:
    """What a kept table statement creates besides the table: the sequences of its serial and
    identity columns and the indexes of its keys, by the names PostgreSQL chooses (a later
    ``ALTER SEQUENCE t_id_seq`` must be kept after it too)."""
    names = []
    sequences = []
    for column in columns:
        if column.identity:
            sequences.append(_identity_sequence(table, column.name, column.identity_sequence))
        elif " ".join(column.type.lower().split()) in SERIAL_TYPES:
            names.append(make_object_name(table.name, column.name, "seq"))
    every = [*constraints, *(c for column in columns for c in column.constraints)]
    for constraint in every:
        if constraint.kind not in ("primary key", "unique", "exclude"):
            continue
        if constraint.name is not None:
            names.append(constraint.name)
        elif constraint.kind == "primary key":
            names.append(make_object_name(table.name, None, "pkey"))
        else:
            label = "key" if constraint.kind == "unique" else "excl"
            names.append(make_object_name(table.name, column_part(constraint.columns), label))
    return [*sequences, *(QName(table.schema, n) for n in names)]


def _identity_sequence(table: QName, column: str,
                       options: ev.IdentitySequence | None) -> QName:
    """The sequence an identity column of ``table`` gets: its ``SEQUENCE NAME`` (unqualified,
    in the table's schema, as PostgreSQL creates it), else ``<table>_<column>_seq``."""
    if options is not None and options.name is not None:
        return QName(options.name.schema or table.schema, options.name.name)
    return QName(table.schema, make_object_name(table.name, column, "seq"))


def _bare(obj: Any) -> Any:
    """``obj`` without its comments, owner and grants."""
    obj = attrs.evolve(obj, comment=None, owner=None, acl=())
    if isinstance(obj, Table):
        obj = attrs.evolve(obj, columns=tuple(attrs.evolve(c, comment=None) for c in obj.columns),
                           constraints=tuple(attrs.evolve(c, comment=None, index_comment=None)
                                             for c in obj.constraints))
    elif isinstance(obj, View):
        obj = attrs.evolve(obj, column_comments=())
    elif isinstance(obj, Domain):
        obj = attrs.evolve(obj, check_comments=())
    return obj


def _functions_named(event: ev.Event) -> list[QName]:
    """The function a kept ``CREATE TRIGGER`` executes: it must keep that name to the end."""
    function = getattr(event, "function", None)
    return [function] if isinstance(event, ev.CreateTrigger) and isinstance(function, QName) \
        else []


#: what a table's element starts with when it is no column: a constraint or a LIKE clause
#: (``EXCLUDE``, no reserved word, when ``USING`` or ``(`` follows)
_TABLE_ELEMENT_WORDS = frozenset({"CONSTRAINT", "UNIQUE", "PRIMARY", "CHECK", "FOREIGN",
                                  "EXCLUDE", "LIKE"})
#: ``CREATE [GLOBAL | LOCAL | TEMP...] TABLE IF NOT EXISTS``
_IF_NOT_EXISTS_TABLE = re.compile(
    r"\s*CREATE\s+(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE\s+IF\s+NOT\s+EXISTS\b",
    re.IGNORECASE)
#: what may build an object's name out of pieces in dynamic SQL (or make objects the history
#: does not spell: an extension's script)
_BUILT_NAMES = re.compile(r"\|\||\b(?:format|concat|concat_ws|quote_ident|replace|translate|"
                          r"substr|substring|overlay|chr)\s*\(|\bCREATE\s+EXTENSION\b|"
                          r"\bIMPORT\s+FOREIGN\b", re.IGNORECASE)
#: the system columns (never refused here)
_SYSTEM_COLUMN_NAMES = frozenset({"ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "oid"})


def _missing_key_of(event: ev.CreateTable) -> str | None:
    """The first column a ``UNIQUE`` or ``PRIMARY KEY`` of the table ``event`` creates names
    (its ``INCLUDE`` columns too) that none of its column definitions has; None when there is
    none, or when the table may have columns from elsewhere (``LIKE``, ``INHERITS``,
    ``PARTITION OF``). A system column is left to PostgreSQL's own words."""
    if event.like or event.inherits or event.partition_of is not None or not event.columns:
        return None
    columns = {c.name for c in event.columns}
    return next((name for c in event.constraints if c.kind in ("unique", "primary key")
                 for name in (*c.columns, *c.include)
                 if name not in columns and name not in _SYSTEM_COLUMN_NAMES), None)


def _missing_key_column(text: str) -> str | None:
    """The first column a ``UNIQUE (...)`` or ``PRIMARY KEY (...)`` table constraint of a
    ``CREATE [TEMPORARY | UNLOGGED] TABLE name (...)`` kept verbatim names that none of its
    column definitions has (PostgreSQL 15 and 18: ``column "nope" named in key does not
    exist``); None when there is none, or when the table may have columns from elsewhere
    (``LIKE``, ``INHERITS``, ``OF type``, ``PARTITION OF``) or an element is not read."""
    from schemafold.fragment import fragment
    from schemafold.parse.tokens import TokenType, identifier_of, word

    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        return None
    words = [word(t) for t in tokens]
    at = 1 if words[:1] == ["CREATE"] else len(words)
    while at < len(words) and words[at] in ("GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED"):
        at += 1
    if at >= len(words) or words[at] != "TABLE":
        return None
    at += 1
    if words[at:at + 3] == ["IF", "NOT", "EXISTS"]:
        at += 3
    while at + 1 < len(tokens) and tokens[at + 1].token_type == TokenType.DOT:
        at += 2  # schema.name
    at += 1
    if at >= len(tokens) or tokens[at].token_type != TokenType.L_PAREN:
        return None
    elements: list[list[int]] = [[]]
    depth = 0
    end = None
    for i in range(at + 1, len(tokens)):
        kind = tokens[i].token_type
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            if depth == 0:
                end = i
                break
            depth -= 1
        elif kind == TokenType.COMMA and depth == 0:
            elements.append([])
            continue
        elements[-1].append(i)
    if end is None or "INHERITS" in words[end:]:
        return None
    columns: set[str] = set()
    keys: list[str] = []
    for element in elements:
        if not element:
            return None
        first = words[element[0]]
        if first == "LIKE":
            return None
        if first == "CONSTRAINT":
            element = element[2:]
            if not element:
                return None
            first = words[element[0]]
        if first in ("UNIQUE", "PRIMARY"):
            rest = element[1:]
            if first == "PRIMARY":
                if not rest or words[rest[0]] != "KEY":
                    return None
                rest = rest[1:]
            if first == "UNIQUE" and rest and words[rest[0]] == "NULLS":
                rest = rest[2:] if rest[1:2] and words[rest[1]] == "DISTINCT" else rest[3:]
            if not rest or tokens[rest[0]].token_type != TokenType.L_PAREN:
                return None
            inside: list[int] = []
            for i in rest[1:]:
                if tokens[i].token_type == TokenType.R_PAREN:
                    break
                inside.append(i)
            names = [identifier_of(tokens[i]) for i in inside[::2]]
            if not inside or len(inside) % 2 == 0 or any(
                    tokens[i].token_type != TokenType.COMMA for i in inside[1::2]) or \
                    None in names:
                return None
            keys.extend(n for n in names if n is not None)
            continue
        if first == "EXCLUDE" and len(element) > 1 and (
                words[element[1]] == "USING" or
                tokens[element[1]].token_type == TokenType.L_PAREN):
            continue
        if first in _TABLE_ELEMENT_WORDS - {"EXCLUDE"}:
            continue
        name = identifier_of(tokens[element[0]])
        if name is None:
            return None
        columns.add(name)
    return next((k for k in keys if k not in columns and k not in _SYSTEM_COLUMN_NAMES), None)
