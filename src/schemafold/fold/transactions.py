"""Folding sessions and transactions the way a migration tool runs the files.

Owns: what lasts how long. Each file runs in a fresh session (``search_path`` and the role back
to where they started), in one transaction unless the file carries its tool's no-transaction
marker. Inside a file, ``BEGIN``/``COMMIT``/``ROLLBACK``, ``SAVEPOINT``/``RELEASE``/``ROLLBACK TO``
behave as in PostgreSQL: a rollback undoes the statements since the transaction or savepoint
began, and the fold undoes them too (they get the ledger entry ``no-op(rolled back by ...)``).
``SET LOCAL`` lasts until the transaction ends. ``SET ROLE`` and ``SET SESSION AUTHORIZATION``
decide who owns the objects created afterwards. An enum value added in a transaction cannot be
used before that transaction commits ("unsafe use of new value"): an error naming file and line.

Rolling back restores a snapshot of the working state taken when the transaction or savepoint
began (a deep copy, sharing only the immutable model objects and the statements), except the
positions of sequences, which PostgreSQL never rolls back (``nextval``, ``setval``). Snapshots are
taken only in files that roll back (the events are scanned first), so a history without
rollbacks pays nothing for them.

``search_path`` is per session too. The consolidation runs its unqualified names under the initial
path, whose first existing schema is the *home* schema: names the history wrote unqualified stay
unqualified where they are in the home schema, and are qualified where they are not (created under
another ``search_path``); expressions written under another path get the names they resolved then.

Must not know: what any event does to the schema, SQL text beyond the string literals and names a
statement mentions, rendering, databases.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import attrs

from schemafold import events as ev
from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.fold.state import FoldState
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Function,
    Index,
    Key,
    Policy,
    RangeType,
    SchemaObject,
    Sequence,
    Table,
    Trigger,
    View,
)
from schemafold.names import QName
from schemafold.rewrite import qualify_names, replace_routine_name

#: Working-state attributes a rollback leaves alone: the record of what was read and said.
_NOT_ROLLED_BACK = frozenset({
    "events", "statements", "warnings", "ordinal", "_next_uid", "_snapshots", "_transaction",
    "rollback_files", "_current_file", "initial_search_path", "_running", "interpreted",
    "_give_up_reason", "not_run", "sequences_set_at",
    # a cache of the rows' keys, each entry valid for one rows list (identity): a restored
    # list is a copy, read anew
    "keys_seen",
    # the routines' statements as read, by text (a cache)
    "routines_written",
})


#: Working-state maps whose keys and values are immutable (keys, uids, origins, strings, model
#: objects): a snapshot copies the map, not what it holds.
_FLAT_MAPS = frozenset({"uid_of", "key_of", "definer", "dropped_by", "replaced_by", "noop",
                        "transaction_noops", "creator", "baseline"})
#: Maps of lists of immutable items (lineage entries, uids, origins).
_MAPS_OF_LISTS = frozenset({"lineage", "touched", "data_statements"})


def _copy(name: str, value: Any, memo: dict[int, Any]) -> Any:
    """A copy of one working-state attribute for a snapshot: as deep as it must be (a deep copy
    of the lineage of a long history costs more than everything else together)."""
    if name in _FLAT_MAPS and type(value) is dict:
        return dict(value)
    if name in _MAPS_OF_LISTS and type(value) is dict:
        return {k: list(v) for k, v in value.items()}
    return copy.deepcopy(value, memo)


@attrs.frozen
class _Snapshot:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    savepoint: str | None  # None: the start of the transaction
    statement: int  # index into FoldState.statements of the first statement it covers
    state: dict[str, Any]


@attrs.frozen
class _Transaction:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    origin: ev.Origin  # the statement (or file start) that began it
    by_tool: bool  # the tool's own per-file transaction, not an explicit BEGIN


@attrs.frozen
class _NewEnumValue:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    type: Key
    label: str
    origin: ev.Origin


class TransactionFolding(FoldState):
    """Sessions, transactions, savepoints, roles."""

    def _setup_session(self) -> None:
        self.initial_search_path: tuple[str, ...] = self.search_path
        self.session_search_path: tuple[str, ...] = self.search_path
        self.session_user: str | None = None  # None: the role that runs the migrations
        self.role: str | None = None  # SET ROLE
        self.session_role: str | None = None  # SET ROLE outside SET LOCAL
        self.rollback_files: set[str] = set()
        self.new_enum_values: list[_NewEnumValue] = []
        self._current_file: str | None = None
        self._transaction: _Transaction | None = None
        self._snapshots: list[_Snapshot] = []

    # -- hooks called by FoldState.apply ---------------------------------------------------

    def _statement_started(self, origin: ev.Origin) -> None:
        if origin.file != self._current_file:
            self._end_file()
            self._current_file = origin.file
            self.search_path = self.session_search_path = self._session_search_path()
            self.role = self.session_role = self.session_user = None
            if origin.in_transaction:
                self._begin(origin, by_tool=True)

    def _session_search_path(self) -> tuple[str, ...]:
        """The ``search_path`` a new session (file) starts with (``procedures``: ALTER DATABASE
        ... SET search_path changes it)."""
        return self.initial_search_path

    def _transaction_control(self, event: ev.Event) -> bool:
        """Handle a transaction or role statement; True when it is handled here."""
        if isinstance(event, ev.SetSearchPath):
            if not event.local:
                self.session_search_path = event.schemas
            elif self._transaction is None:
                self.noop[event.origin] = "SET LOCAL outside a transaction has no effect"
                self._warn(event.origin, "SET LOCAL can only be used in transaction blocks")
                return True
            return False  # applied by the session folding; LOCAL ends with the transaction
        if not isinstance(event, ev.SessionStatement):
            self._check_enum_use(event)
            return False
        verb = event.verb
        origin = event.origin
        if verb in ("begin", "commit", "commit and chain", "rollback", "rollback and chain"):
            self._transaction_verb(verb, origin)
        elif verb.startswith(("savepoint ", "release savepoint ", "rollback to savepoint ")):
            self._savepoint_verb(verb, origin)
        elif verb.startswith(("set role ", "set local role ", "reset role",
                              "set session authorization ", "set local session authorization ",
                              "reset session authorization")):
            self._role_verb(verb)
            self.noop[origin] = verb
        else:
            return False
        return True

    def _in_transaction_block(self) -> bool:
        return self._transaction is not None

    def _finish(self) -> None:
        """The end of the history: the last file's session ends."""
        self._end_file()

    # -- transactions ----------------------------------------------------------------------

    def _begin(self, origin: ev.Origin, *, by_tool: bool) -> None:
        self._transaction = _Transaction(origin, by_tool)
        self._snapshots = []
        self.new_enum_values = []
        if origin.file in self.rollback_files:
            self._snapshots.append(self._snapshot(None))

    def _end(self) -> None:
        """COMMIT: what was SET LOCAL ends; new enum values become usable."""
        self._transaction = None
        self._snapshots = []
        self.new_enum_values = []
        self.search_path = self.session_search_path
        self.role = self.session_role

    def _end_file(self) -> None:
        transaction = self._transaction
        if transaction is not None and not transaction.by_tool:
            raise self._error(transaction.origin, "the file leaves this transaction open: its "
                              "work would be lost when the session ends (add COMMIT)")
        self._end()

    def _transaction_noop(self, origin: ev.Origin, reason: str) -> None:
        """A no-op of transaction control: the ledger says so (``LedgerEntry.transaction``)
        and the report leaves it out of what had no effect on the schema."""
        self.noop[origin] = reason
        self.transaction_noops[origin] = None

    def _transaction_verb(self, verb: str, origin: ev.Origin) -> None:
        open_ = self._transaction is not None
        if verb == "begin":
            if open_:
                self._transaction_noop(origin, "there is already a transaction in progress")
                return
            self._transaction_noop(origin, "transaction begins")
            self._begin(origin, by_tool=False)
            return
        if not open_:
            self._transaction_noop(origin, "there is no transaction in progress")
            self._warn(origin, "there is no transaction in progress")
            return
        if verb.startswith("commit"):
            self._end()
            self._transaction_noop(origin, "transaction committed")
        else:
            start = self._snapshots[0] if self._snapshots else None
            if start is None:  # pragma: no cover - rollback_files makes sure it exists
                raise self._error(origin, "cannot roll back here")
            self._rollback(start, origin)
            self._end()
            self._transaction_noop(origin, "transaction rolled back")
        if verb.endswith("and chain"):
            self._begin(origin, by_tool=False)

    def _savepoint_verb(self, verb: str, origin: ev.Origin) -> None:
        if self._transaction is None:
            command = verb.rsplit(" ", 1)[0].upper()
            raise self._error(origin, f"{command} can only be used in transaction blocks")
        name = verb.rsplit(" ", 1)[1]
        if verb.startswith("savepoint "):
            self._transaction_noop(origin, f"savepoint {name}")
            if origin.file in self.rollback_files:
                self._snapshots.append(self._snapshot(name))
            return
        found = [i for i, s in enumerate(self._snapshots) if s.savepoint == name]
        if not found and origin.file in self.rollback_files:
            raise self._error(origin, f'savepoint "{name}" does not exist')
        if verb.startswith("release "):
            if found:
                del self._snapshots[found[-1]:]
            self._transaction_noop(origin, f"savepoint {name} released")
            return
        snapshot = self._snapshots[found[-1]]
        del self._snapshots[found[-1] + 1:]
        self._rollback(snapshot, origin)
        self.noop[origin] = f"rolled back to savepoint {name}"

    def _snapshot(self, savepoint: str | None) -> _Snapshot:
        memo = self._shared()
        state = {name: _copy(name, value, memo) for name, value in vars(self).items()
                 if name not in _NOT_ROLLED_BACK}
        return _Snapshot(savepoint, len(self.statements), state)

    def _shared(self) -> dict[int, Any]:
        """What a snapshot shares instead of copying: the folder, the statements (their
        identity matters) and the model objects (immutable)."""
        memo: dict[int, Any] = {id(self): self}
        memo.update((id(o), o) for o in self.statements)
        memo.update((id(o), o) for o in self.objects.values())
        return memo

    def _rollback(self, snapshot: _Snapshot, by: ev.Origin) -> None:
        """``ROLLBACK`` or ``ROLLBACK TO SAVEPOINT`` in the history: undo since ``snapshot``. A
        statement kept verbatim since then may have drawn values from a sequence, which the
        rollback keeps drawn; the consolidation cannot replay draws it cannot count: a fold
        limit."""
        kept_before = len(snapshot.state.get("kept", self.kept))
        if len(self.kept) > kept_before and any(isinstance(o, Sequence)
                                               for o in self.objects.values()):
            first = self.kept[kept_before]
            raise self.fold_limit(by, f"it rolls back a statement kept verbatim "
                                  f"({first.file}:{first.line}) that may have drawn values "
                                  "from a sequence, which a rollback does not give back")
        self._restore(snapshot, by)

    def _restore(self, snapshot: _Snapshot, by: ev.Origin) -> None:
        """Undo everything since ``snapshot``; its statements become no-ops of the ledger."""
        undone = [o for o in self.statements[snapshot.statement:] if o is not by]
        # nextval and setval are never rolled back: a sequence keeps the values drawn since
        advanced = {k: o for k, o in self.objects.items() if isinstance(o, Sequence)}
        memo = self._shared()
        for name, value in snapshot.state.items():
            setattr(self, name, _copy(name, value, memo))
        for key, now in advanced.items():
            before = self.objects.get(key)
            if not isinstance(before, Sequence) or before.options != now.options:
                continue
            if self.sequences_set_at.get(key, -1) > snapshot.statement:
                # setval (also setval(s, n, false), a restart position) stays as it was set
                self.objects[key] = attrs.evolve(before, position=now.position,
                                                 restart_with=now.restart_with,
                                                 set_explicitly=now.set_explicitly)
            elif before.restart_with == now.restart_with and before.position != now.position:
                self.objects[key] = attrs.evolve(before, position=now.position)
        for origin in undone:
            self.touched[origin] = []
            self.noop[origin] = f"rolled back by {by.where()}"
            self.transaction_noops.pop(origin, None)
            self.kept_origins.discard(origin)

    # -- roles ------------------------------------------------------------------------------

    def _role_verb(self, verb: str) -> None:
        local = " local " in f" {verb} "
        value = verb.rsplit(" ", 1)[1]
        if verb.startswith("reset role"):
            self.role = self.session_role = None
        elif "session authorization" in verb:
            user = None if verb.startswith("reset") or value == "default" else value
            self.role = None
            if not local:
                self.session_user, self.session_role = user, None
            else:  # pragma: no cover - SET LOCAL SESSION AUTHORIZATION is rare
                self.session_user = user
        else:
            role = None if value == "none" else value
            self.role = role
            if not local:
                self.session_role = role

    def _owner(self) -> str | None:
        """Who owns what is created now: the role set by SET ROLE or SET SESSION AUTHORIZATION;
        None for the role running the migrations."""
        return self.role or self.session_user

    # -- enum values --------------------------------------------------------------------------

    def _enum_value_added(self, type_key: Key, label: str, origin: ev.Origin) -> None:
        if self._transaction is not None:
            self.new_enum_values.append(_NewEnumValue(type_key, label, origin))

    def _check_enum_use(self, event: ev.Event) -> None:
        if not self.new_enum_values or isinstance(event, ev.AddEnumValue | ev.RenameEnumValue):
            return
        from schemafold.parse.tokens import TokenType, is_string

        texts = [event.origin.text]
        if isinstance(event, ev.CreateFunction):
            if (event.language or "").lower() != "sql" and \
                    "BEGIN ATOMIC" not in event.origin.text.upper():
                return  # a procedural body is not checked at creation
            if event.body:
                texts.append(event.body)
        read = [text.tokens_or_none() for text in texts]
        # the tokenizer rejects little; an unreadable text is not checked
        tokens = [t for one in read if one is not None for t in one]
        if any(one is None for one in read):
            return
        literals = {t.text for t in tokens if is_string(t)}
        names = {t.text if t.token_type == TokenType.IDENTIFIER else t.text.lower()
                 for t in tokens}
        for new in self.new_enum_values:
            if new.label in literals and self._mentions_enum(new.type, names):
                raise self._error(
                    event.origin, f'unsafe use of new value "{new.label}" of enum type '
                    f"{new.type[2]}: it was added at {new.origin.where()} in the same "
                    "transaction, and new enum values must be committed before they can be "
                    "used (put the statements in separate migrations)")

    def _mentions_enum(self, type_key: Key, names: set[str]) -> bool:
        enum = self.objects.get(type_key)
        if not isinstance(enum, EnumType):
            return False
        if enum.name.name in names:
            return True
        from schemafold.names import canonical_type

        for obj in self.objects.values():
            if isinstance(obj, Table) and obj.name.name in names:
                for column in obj.columns:
                    base = canonical_type(column.column.type).removesuffix("[]")
                    if base.split(".")[-1] == enum.name.name:
                        return True
            elif isinstance(obj, View) and obj.name.name in names and enum.name.name in \
                    obj.query:
                return True
        return False

    # -- names written under another search_path ---------------------------------------------

    def _home(self, objects: Mapping[Key, object]) -> str | None:
        """Where the consolidation's unqualified names land: the first schema of the initial
        ``search_path`` that exists."""
        for schema in self.initial_search_path:
            if (
                schema not in ("$user", "pg_temp", "pg_catalog")
                and ObjectKey.of(ObjectKind.SCHEMA, None, schema) in objects
            ):
                return schema
        return None

    def _pin(self, text: str | None) -> str | None:
        """An expression written while ``search_path`` differed from the initial one: the
        relations, functions and types it names unqualified are qualified with the schema they
        resolve to now, where that is not the consolidation's home schema."""
        if text is None or self.search_path == self.initial_search_path:
            return text
        home = self._home(self.objects)
        kinds = {"relation": ("table", "view", "sequence"), "type": ("type", "table", "view")}

        def schema_of(name: str, kind: str) -> str | None:
            if kind == ObjectKind.FUNCTION:
                found = next((str(k.schema) for s in self.search_path for k in self.objects
                              if k.kind == ObjectKind.FUNCTION and k.schema == s
                              and k.name == name), None)
            else:
                key = self._resolve(QName(None, name), kinds[kind])
                found = str(key.schema) if key is not None else None
            return found if found is not None and found != home else None

        return qualify_names(text, schema_of)

    def _pin_type(self, text: str) -> str:
        if self.search_path == self.initial_search_path:
            return text
        pinned = self._pin("NULL::" + text)
        return pinned[len("NULL::"):] if pinned else text

    def _final_objects(self, objects: dict[Key, SchemaObject]) -> dict[Key, SchemaObject]:
        """Names the history wrote unqualified are rendered unqualified, so the consolidation
        runs under another schema just as the history did, except where the object (or the
        one referenced) is not in the home schema (it was created under another
        ``search_path``, or before the home schema existed): those are qualified."""
        home = self._home(objects)
        if home is None:
            return objects

        def fix(written: QName, actual: str | None) -> QName:
            if written.schema is None and actual is not None and actual != home:
                return QName(actual, written.name)
            return written

        out: dict[Key, SchemaObject] = {}
        for key, obj in objects.items():
            changes: dict[str, Any] = {}
            if isinstance(obj, Table | View | Sequence | EnumType | CompositeType | Domain
                          | RangeType | Function):
                changes["written"] = fix(obj.written, obj.name.schema)
            if isinstance(obj, Function) and changes["written"] != obj.written:
                changes["text"] = replace_routine_name(obj.text, changes["written"].sql())
            if isinstance(obj, Index | Trigger | Policy):
                changes["table_written"] = fix(obj.table_written, obj.table.schema)
            if isinstance(obj, Trigger):
                changes["function_written"] = fix(obj.function_written, obj.function.schema)
            if isinstance(obj, Table):
                if obj.partition_of_written is not None and obj.partition_of is not None:
                    changes["partition_of_written"] = fix(obj.partition_of_written,
                                                          obj.partition_of.schema)
                constraints = []
                for c in obj.constraints:
                    ref = c.constraint.references
                    if ref is not None and c.target is not None:
                        c = attrs.evolve(c, constraint=attrs.evolve(
                            c.constraint, references=fix(ref, c.target.schema)))
                    constraints.append(c)
                changes["constraints"] = tuple(constraints)
            changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
            out[key] = attrs.evolve(obj, **changed) if changed else obj
        return out
