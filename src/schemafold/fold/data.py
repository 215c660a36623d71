"""Folding data statements, sequence positions and session statements.

Owns: the rows the fold tracks (literal ``INSERT``, ``INSERT ... SELECT`` from one tracked table
or, through ``rows.evaluate``, with joins, grouping and ordering, ``INSERT ... DEFAULT VALUES``,
``UPDATE ... FROM``, ``DELETE ... USING``, ``ON CONFLICT``, ``UPDATE``/``DELETE`` with predicates
it can evaluate, ``TRUNCATE`` with ``CASCADE`` and ``RESTART IDENTITY``, ``ON DELETE CASCADE``/
``SET NULL``, column defaults and ``nextval``), which data statements are no-ops (also any query
shape that surely finds no row, ``rows.queries``), which cannot be evaluated (handed to
``verbatim``, which keeps them under its rule), sequence positions (``setval``, ``RESTART``,
values consumed), the session statements (``SET search_path``), and freezing the rows into the
schema with ``FoldResult.data_notes``.

Rows are kept per table uid with values per column uid, so renames and drops of tables and
columns need nothing here; added columns and type changes with ``USING`` are applied to the rows
after the folder changed the table (``_applied``). Evaluating SQL fragments is ``rows``' job.

Must not know: rendering, files, databases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from schemafold import events as ev
from schemafold import rows as sql
from schemafold.errors import InputError
from schemafold.fold.notes import DataNotes
from schemafold.fold.state import FoldResult
from schemafold.fold.verbatim import VerbatimFolding
from schemafold.fragment import fragment
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Account, Action, Change
from schemafold.model import (
    Domain,
    EnumType,
    Function,
    Key,
    ModelColumn,
    Row,
    Sequence,
    Table,
    View,
)
from schemafold.names import SERIAL_TYPES, QName, canonical_type, quote_literal
from schemafold.parse.keywords import UNRESERVED
from schemafold.parse.postgres.session import sets_constraints
from schemafold.parse.tokens import (
    TokenType,
    identifier_of,
    identifiers_in,
    is_word,
    tokenize,
    word,
)
from schemafold.rows import NotStatic, Scope
from schemafold.rows.evaluate import Relation as Evaluated
from schemafold.rows.evaluate import evaluate_insert_query, evaluate_matches
from schemafold.rows.input_syntax import rejected_input, rejected_text, too_long
from schemafold.rows.literals import string_literal

if TYPE_CHECKING:
    from sqlglot import exp

#: ``ON CONFLICT ON CONSTRAINT name`` (the text after ``ON CONFLICT``): the name.
_ON_CONSTRAINT = re.compile(r'\s*ON\s+CONSTRAINT\s+("(?:[^"]|"")+"|[^\W\d][\w$]*)',
                            re.IGNORECASE)
_RELATIONS = ("table", "view", "sequence", "index")  # one namespace, as search_path finds them


#: built-in types of category "other" whose input ``rows.input_syntax`` judges
_READ_TYPES = frozenset({"json", "date", "timestamp without time zone",
                         "timestamp with time zone"})


#: A cast to a type named by a bare word (or schema.word) that ends an expression
_NAME = r'(?:"[^"]+"|[A-Za-z_][\w$]*)'
_TRAILING_CAST = re.compile(rf"::\s*({_NAME}(?:\s*\.\s*{_NAME})?)\s*$")


class _Row:
    """A tracked row: SQL text per column uid, and the statements whose effect it carries.

    The statements are the first ``count`` items of a list that copies share and only ever
    append to: a copy costs nothing whatever the row has carried, and a copy that carries one
    more statement appends in place when it is at the list's end (else it takes its own prefix
    first). So a row updated 100,000 times is not copied 100,000 times, and ``_commit`` counts
    only what a row carries beyond the row it was copied from (``source``, ``base``).
    """

    __slots__ = ("values", "_shared", "_count", "source", "base")
    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __init__(self, values: dict[int, str], origins: list[ev.Origin]) -> None:
        self.values = values
        self._shared = origins
        self._count = len(origins)
        self.source: _Row | None = None
        self.base = 0

    @property
    def origins(self) -> list[ev.Origin]:
        return self._shared[:self._count]

    def carries(self, origin: ev.Origin) -> bool:
        shared = self._shared
        return any(shared[i] == origin for i in range(self._count))

    def carry(self, origin: ev.Origin) -> None:
        if len(self._shared) != self._count:
            self._shared = self._shared[:self._count]
        self._shared.append(origin)
        self._count += 1

    def added(self) -> list[ev.Origin]:
        """What this row carries beyond its ``source`` (all of it without one)."""
        return self._shared[self.base:self._count]

    def copy(self) -> _Row:
        row = _Row.__new__(_Row)
        row.values = dict(self.values)
        row._shared = self._shared
        row._count = row.base = self._count
        row.source = self
        return row

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Row):
            return NotImplemented
        return self.values == other.values and self.origins == other.origins

    def __repr__(self) -> str:
        return f"_Row(values={self.values!r}, origins={self.origins!r})"


class _Sequences:
    """Sequence positions a statement would leave, committed only when it is evaluated."""

    def __init__(self, fold: DataFolding) -> None:
        self.fold = fold
        self.states: dict[Key, tuple[int, bool]] = {}
        self.restarted: set[Key] = set()  # by TRUNCATE ... RESTART IDENTITY: transactional

    def nextval(self, key: Key) -> int:
        seq = self.fold.objects.get(key)
        if not isinstance(seq, Sequence):
            raise NotStatic(f"nextval of {key.name}, which the fold does not know")
        if self.fold.uid_of.get(key) in self.fold.verbatim:
            raise NotStatic(f"the position of sequence {seq.name} is not known here")
        last, called = self.states.get(key) or self.fold.sequence_state(seq)
        _, step = self.fold.sequence_numbers(seq)
        value = last + step if called else last
        self.states[key] = (value, True)
        return value

    def restart(self, key: Key) -> None:
        seq = self.fold.objects[key]
        assert isinstance(seq, Sequence)
        self.states[key] = (self.fold.sequence_numbers(seq)[0], False)
        self.restarted.add(key)

    def commit(self, origin: ev.Origin, explicit: bool = False) -> None:
        for key, (last, called) in self.states.items():
            seq = self.fold.objects[key]
            assert isinstance(seq, Sequence)
            self.fold._put(key, attrs.evolve(seq, position=last if called else None,
                                             restart_with=None if called else last,
                                             set_explicitly=explicit or seq.set_explicitly))
            if key not in self.restarted:  # nextval and setval: no rollback undoes them
                self.fold.sequences_set_at[key] = len(self.fold.statements)
            uid = self.fold.uid_of[key]
            if explicit:
                self.fold.explicit.add(uid)
                previous = self.fold.positioned_by.get(uid)
                if previous is not None and previous is not origin:
                    self.fold.replaced_by.setdefault(previous, origin)
                self.fold.positioned_by[uid] = origin


#: SET session_replication_role's value
_REPLICA_ROLE = re.compile(r"\bsession_replication_role\s*(?:=|\bTO\b)\s*'?(\w+)",
                           re.IGNORECASE)


class _KeysSeen:
    """The keys of some columns that a table's tracked rows hold (``_row_key``), read from
    the rows list ``rows`` up to ``count``: rows appended since (an INSERT extends the list in
    place) are read on the next look; another list (``_commit`` replaces it) is read anew.
    ``unsure``: some row holds a value there that is neither NULL nor surely comparable (or
    the rows were not read), so a key missing from ``keys`` may still be held."""

    __slots__ = ("rows", "count", "keys", "unsure")

    def __init__(self, rows: list[_Row]) -> None:
        self.rows = rows
        self.count = 0
        self.keys: set[tuple[Any, ...]] = set()
        self.unsure = False


#: a table holding more tracked rows than this is not read anew for its keys on every
#: change (only while its rows are appended to): a history that alternates UPDATEs and
#: INSERTs on a large table stays linear, and only misses a refusal there
_KEYS_READ_AT_MOST = 2000


class DataFolding(VerbatimFolding):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.table_rows: dict[int, list[_Row]] = {}
        self._old_type: str | None = None  # of the column an ALTER ... TYPE ... USING converts
        self.live: Counter[ev.Origin] = Counter()
        self.row_setters: dict[ev.Origin, set[int]] = {}
        self.reordered: set[int] = set()
        self.explicit: set[int] = set()
        self.positioned_by: dict[int, ev.Origin] = {}
        self.volatile_columns: set[int] = set()
        #: populated materialized views (uid) whose tables a data statement changed since they
        #: were last populated, and the first such statement
        self.stale_views: dict[int, ev.Origin] = {}
        #: per (table uid, a unique key's column uids): the keys its tracked rows hold, for
        #: ``_refuse_duplicate_keys``; emptied when rows change in place
        self.keys_seen: dict[tuple[int, tuple[int, ...], tuple[str, ...]], _KeysSeen] = {}

    # -- session statements ------------------------------------------------------------------

    def _apply_SetSearchPath(self, e: ev.SetSearchPath) -> None:
        self.search_path = e.schemas
        self.noop[e.origin] = "session setting"

    def _apply_SessionStatement(self, e: ev.SessionStatement) -> None:
        role = _REPLICA_ROLE.search(e.origin.text)
        if role is not None and role.group(1).lower() not in ("origin", "default"):
            # in replica (or local) PostgreSQL fires no trigger: rows inserted then need
            # not match their foreign keys, which a consolidation adds after its data
            raise self.fold_limit(e.origin, f"session_replication_role = {role.group(1)} "
                                  "turns off triggers and foreign key checks for the rows "
                                  "that follow")
        if self.kept and sets_constraints(e.origin.text):
            # statements kept after it in the same transaction may rely on it (a row that
            # passes its deferred check only once a later one exists): kept, in order; one
            # naming constraints only where the consolidation finds the same ones
            every = _ALL_CONSTRAINTS.match(e.origin.text) is not None
            if every or self.search_path == self.initial_search_path:
                self._keep(e.origin, (), names_nothing=every)
                return
        self.noop[e.origin] = e.verb

    # -- tables, columns, rows ---------------------------------------------------------------

    def _data_target(self, name: QName, origin: ev.Origin) -> tuple[Key, Table | View, int]:
        key = self._relation(name, origin, (ObjectKind.TABLE, ObjectKind.VIEW))
        assert key is not None
        obj = self.objects[key]
        assert isinstance(obj, Table | View)
        return key, obj, self.uid_of[key]

    def _category(self, column: ModelColumn) -> str:
        category = sql.type_category(column.column.type)
        if category != "other":
            return category
        key = self._resolve(QName.parse(column.column.type), (ObjectKind.TYPE,))
        obj = self.objects.get(key) if key else None
        if isinstance(obj, EnumType):
            return "enum"
        if isinstance(obj, Domain):
            return sql.type_category(obj.base_type)
        return "other"

    def _scope(self, table: Table, row: _Row, qualifiers: Iterable[str] = ()) -> Scope:
        values: dict[str, str] = {}
        categories: dict[str, str] = {}
        types: dict[str, str] = {}
        for column in table.columns:
            uid = self._column_uid(table, column.name)
            if uid in row.values:
                values[column.name] = sql.stored_text(self._key_category(column),
                                                      row.values[uid])
                categories[column.name] = self._category(column)
                spelled = column.column.type.strip()
                types[column.name] = SERIAL_TYPES.get(spelled.lower(), spelled)
        return Scope(values, categories,
                     frozenset({table.name.name, table.written.name, *qualifiers}), types)

    def _rows_of(self, name: QName) -> list[Scope]:
        """The rows of another table a predicate reads (``EXISTS``, ``INSERT ... SELECT``)."""
        key = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW))
        table = self.objects.get(key) if key else None
        if not isinstance(table, Table):
            raise NotStatic(f"reads {name}, which is not a table the fold knows")
        why = self._untracked(table, self.uid_of[table.key()], None)
        if why:
            raise NotStatic(f"reads {name}: {why}")
        return [self._scope(table, row) for row in self.table_rows.get(self.uid_of[table.key()],
                                                                        [])]

    def _untracked(self, obj: Table | View, uid: int, verb: str | None, *,
                   wiping: bool = False) -> str | None:
        """Why the rows of ``obj`` cannot be tracked for a ``verb`` statement, or None. A
        statement ``wiping`` every row may follow rows that are not known."""
        if isinstance(obj, View):
            return f"{obj.name} is a view"
        if obj.external:
            return f"{obj.name} comes from the setup, outside the history"
        if uid in self.verbatim and not wiping:
            return (f"the rows of {obj.name} are not known after "
                    f"{self.verbatim[uid].where()}")
        if obj.partition_by or obj.partition_of or obj.inherits or any(
                isinstance(o, Table) and obj.name in o.inherits
                for _, o in self.objects.related(("inherits", obj.name))):
            return f"{obj.name} takes part in partitioning or inheritance"
        fired = self._triggers(obj, verb)
        if fired:
            return f"trigger {fired[0].name} fires on it"
        if verb == "INSERT":
            return self._references_late_rows(obj)
        return None

    def _references_late_rows(self, table: Table) -> str | None:
        """Why rows written into ``table`` must wait for every object: a foreign key of it
        references a table whose rows a statement kept after every object writes (the key is
        created before those rows exist, so rows loaded in the data phase would fail it)."""
        for key in self._late_referenced(table):
            return (f"its foreign key references {key[1]}.{key[2]}, whose rows are written "
                    f"after every object")
        return None

    def _untracked_or_empty(self, obj: Table | View, uid: int, verb: str,
                            origin: ev.Origin) -> str | None:
        """Like ``_untracked``; "" (after recording a no-op) when the table is known to be
        empty and no statement-level trigger fires."""
        why = self._untracked(obj, uid, None)
        if why is not None or not isinstance(obj, Table):
            return why
        fired = self._triggers(obj, verb)
        if not self.table_rows.get(uid):
            statement_level = [t for t in fired if not t.for_each_row]
            if statement_level:
                return f"trigger {statement_level[0].name} fires on it"
            self.noop[origin] = f"table {obj.name} is empty"
            self._tell(uid, Action.DATA, origin,
                       Account(Change.EMPTY_THEN, names=(verb.lower(), obj.name.name)))
            return ""
        if fired:
            return f"trigger {fired[0].name} fires on it"
        return self._references_late_rows(obj) if verb == "UPDATE" else None

    def _changes_nothing(self, origin: ev.Origin, obj: Table | View, uid: int,
                         verb: str) -> bool:
        """A data statement of any query shape that surely finds no row to insert, update or
        delete, because the relations it reads are tracked and empty: a no-op (recorded), with
        nothing kept and nothing made untracked. Not when a statement-level trigger fires on
        its table (it fires even for no row)."""
        if any(not t.for_each_row for t in self._triggers(obj, verb)):
            return False
        why = sql.changes_nothing(origin.text, self._known_empty)
        if why is None:
            return False
        self.noop[origin] = why
        self._tell(uid, Action.DATA, origin, Account(Change.FINDS_NO_ROW, names=(verb.lower(),)))
        return True

    def _apply_Opaque(self, e: ev.Opaque) -> None:
        """A data statement the parser keeps opaque (a top-level ``WITH``, a multi-column
        ``SET``) is still a no-op when it surely finds no row; otherwise a barrier."""
        found = sql.statement_target(e.origin.text)
        if found is not None:
            self._check_data_names(found[1], e.origin)  # a top-level WITH ... INSERT
        key = self._resolve(found[1], (ObjectKind.TABLE, ObjectKind.VIEW)) if found else None
        obj = self.objects.get(key) if key else None
        if found is not None and key is not None and isinstance(obj, Table | View):
            verb, name = found
            uid = self.uid_of[key]
            if any(not t.for_each_row for t in self._triggers(obj, verb)):
                pass
            elif verb != "INSERT" and self._known_empty(name):
                self.noop[e.origin] = f"table {obj.name} is empty"
                self._tell(uid, Action.DATA, e.origin,
                           Account(Change.EMPTY_THEN, names=(verb.lower(), obj.name.name)))
                return
            elif self._changes_nothing(e.origin, obj, uid, verb):
                return
        super()._apply_Opaque(e)

    def _known_empty(self, name: QName) -> bool:
        """Whether the relation ``name`` resolves to (through ``search_path``) is a table whose
        rows the fold tracks and which holds none."""
        key = self._resolve(name, _RELATIONS)
        obj = self.objects.get(key) if key else None
        if key is None or not isinstance(obj, Table):
            return False
        uid = self.uid_of[key]
        return self._untracked(obj, uid, None) is None and not self.table_rows.get(uid)

    def _default(self, table: Table, column: ModelColumn, sequences: _Sequences) -> str:
        """The value a column's default gives a new row (consuming sequences)."""
        c = column.column
        if c.identity:
            for key, seq in self.objects.items():
                if isinstance(seq, Sequence) and seq.identity and seq.owned_by == (
                        table.name, column.name):
                    return str(sequences.nextval(key))
            raise NotStatic(f"the identity sequence of {column.name} is not known")
        if column.serial_sequence is not None and c.default is None:
            name = column.serial_sequence
            return str(sequences.nextval(ObjectKey.of(ObjectKind.SEQUENCE,
                                                      name.schema or table.name.schema, name.name)))
        default = c.default
        if default is None:
            type_key = self._resolve(QName.parse(c.type), (ObjectKind.TYPE,))
            domain = self.objects.get(type_key) if type_key else None
            default = domain.default if isinstance(domain, Domain) else None
        if default is None:
            return "NULL"
        seq_name = sql.nextval_of(default)
        if seq_name is not None:
            seq_key = self._resolve(seq_name, (ObjectKind.SEQUENCE,))
            if seq_key is None:
                raise NotStatic(f"nextval of {seq_name}, which the fold does not know")
            return str(sequences.nextval(seq_key))
        try:
            text, volatile = sql.substitute(default, {})
        except NotStatic:
            text, volatile = default, True  # a function of the history: called again on load
        if volatile:
            self.volatile_columns.add(self._column_uid(table, column.name))
        return text

    def _commit(self, changes: dict[int, list[_Row]], origin: ev.Origin) -> None:
        """Replace the rows of the tables in ``changes``; a statement no surviving row carries
        any more is superseded by ``origin``."""
        for uid, new in changes.items():
            # A new row copied from an old one carries what it did plus what it added: only
            # the difference is counted, so a long run of updates of one row stays linear.
            old = {id(row): row for row in self.table_rows.get(uid, [])}
            before: Counter[ev.Origin] = Counter()
            after: Counter[ev.Origin] = Counter()
            for row in new:
                source = row.source
                if source is not None and old.pop(id(source), None) is source:
                    after.update(row.added())
                else:
                    after.update(row.origins)
                row.source = None
                row.base = row._count
            for row in old.values():
                before.update(row.origins)
            for statement in set(before) | set(after):
                self.live[statement] += after[statement] - before[statement]
                if self.live[statement] <= 0 and before[statement] and statement is not origin:
                    self.replaced_by.setdefault(statement, origin)
            self.table_rows[uid] = new
            if new:
                self.has_rows.add(uid)
            elif uid not in self.verbatim:
                self.has_rows.discard(uid)

    # -- INSERT ------------------------------------------------------------------------------

    def _columns_exist(self, table: Table | View, columns: Iterable[str],
                       origin: ev.Origin) -> None:
        """The columns an INSERT's column list or an UPDATE's SET names must be the table's
        (``column "x" of relation "t" does not exist``, PostgreSQL's words). Checked for a
        table only: a view's columns are its query's."""
        if not isinstance(table, Table):
            return
        for column in columns:
            if table.column(column) is None:
                raise self._error(origin, f'column "{column}" of relation "{table.name.name}" '
                                  "does not exist")

    def _check_data_names(self, table: QName, origin: ev.Origin) -> None:
        """The names a top-level INSERT ... SELECT, UPDATE or DELETE reads must resolve, as
        PostgreSQL's analysis finds before any row is touched (so also on an empty table):
        the checks of a SQL body's data statement (``_check_data_statement``), under their
        preconditions (the whole catalog known). Not for a statement a procedural body runs
        (its variables are bound by then, and its errors are the body's), nor a statement
        whose text sqlglot does not read as a data statement on ``table``. A top-level
        ``WITH ...`` before the statement is read with it (the parser keeps it opaque)."""
        from schemafold.fold.sql_body import data_statement, read_statement

        if origin.text.lstrip()[:6].upper() not in ("INSERT", "UPDATE", "DELETE") and \
                origin.text.lstrip()[:5].upper().rstrip() != "WITH" or \
                self._interpreting() or not self._columns_known():
            return  # a DO block's statement, one a statement kept verbatim may change
        root = read_statement(origin.text)
        data = data_statement(root) if root is not None else None
        if data is None or not data.relations or data.relations[0][1] != table.name:
            return
        self._check_data_statement(data, origin.text, origin, frozenset(), qualifiers_known=True)
        self._check_labels_compared(root, origin)
        self._check_column_condition(root, origin)

    def _check_labels_compared(self, root: exp.Expr | None, origin: ev.Origin) -> None:
        """An UPDATE's or DELETE's ``WHERE`` comparing an enum column with a string must name
        one of its labels, as a query's (``_missing_label``): PostgreSQL coerces the string
        when it analyzes the statement, on an empty table too. Read as the query
        ``SELECT 1 FROM target WHERE ...``; a statement with ``FROM``, ``USING`` or ``WITH``
        is not checked."""
        from sqlglot import exp

        from schemafold.fold.relations import _missing_label

        if not isinstance(root, exp.Update | exp.Delete) or "'" not in origin.text or \
                self.uncertain_after is not None:
            return
        where = root.args.get("where")
        target = root.this
        if where is None or not isinstance(target, exp.Table) or any(
                root.args.get(key) for key in ("from_", "using", "with_")):
            return
        query = exp.select("1").from_(target.copy()).where(where.this.copy())
        found = _missing_label(query, self._relation_columns, self._column_input)
        if found is not None:
            raise self._error(origin, found)

    def _check_column_condition(self, root: exp.Expr | None, origin: ev.Origin) -> None:
        """An UPDATE's or DELETE's ``WHERE`` that is one column of a table, of a built-in type
        other than ``boolean`` (``UPDATE notes SET ... FROM accounts a WHERE a.id``):
        PostgreSQL's ``argument of WHERE must be type boolean, not type integer``, found when
        it analyzes the statement, on an empty table too. Only when every relation the
        statement names is a table the history made (no subquery, function or view) and the
        column is the one table's it can be (a qualifier it has, or a name one table has)."""
        from sqlglot import exp

        if not isinstance(root, exp.Update | exp.Delete) or root.args.get("with_") or \
                self.uncertain_after is not None:
            return
        where = root.args.get("where")
        condition = where.this if where is not None else None
        while isinstance(condition, exp.Paren):
            condition = condition.this
        if not isinstance(condition, exp.Column) or not isinstance(condition.this,
                                                                   exp.Identifier):
            return
        items: list[exp.Expr] = [root.this]
        source = root.args.get("from_")
        items.extend([source.this] if source is not None else [])
        items.extend(root.args.get("using") or [])
        for item in list(items):
            items.extend(join.this for join in item.args.get("joins") or [])
        tables: list[tuple[str, Table]] = []  # (the name a column is qualified with, table)
        for item in items:
            if not isinstance(item, exp.Table) or not isinstance(item.this, exp.Identifier):
                return
            found = self._relation_read(_folded(item.args.get("db")), _folded(item.this) or "")
            if not isinstance(found, Table):
                return
            alias = item.args.get("alias")
            named = alias.this if isinstance(alias, exp.TableAlias) else item.this
            if not isinstance(named, exp.Identifier) or (
                    isinstance(alias, exp.TableAlias) and alias.columns):
                return
            tables.append((_folded(named) or "", found))
        column = _folded(condition.this) or ""
        qualifier = condition.args.get("table")
        if condition.args.get("db") is not None:
            return
        if qualifier is not None:
            if not isinstance(qualifier, exp.Identifier):
                return
            owners = [t for name, t in tables if name == _folded(qualifier)]
        else:
            owners = [t for _, t in tables if t.column(column) is not None]
        if len(owners) != 1:
            return
        found_column = owners[0].column(column)
        if found_column is None:
            return
        kind = canonical_type(found_column.column.type)
        if kind in _CONDITION_TYPES:
            raise self._error(origin, f"argument of WHERE must be type boolean, not type {kind}")

    def _arbiter_exists(self, table: Table | View, on_conflict: str | None,
                        origin: ev.Origin) -> None:
        """``ON CONFLICT ON CONSTRAINT name`` must name a key of the table, and ``ON CONFLICT
        (a, b)`` must find one (``_arbiter_inferred``)."""
        match = _ON_CONSTRAINT.match(on_conflict or "")
        if isinstance(table, Table) and on_conflict is not None and match is None:
            self._arbiter_inferred(table, on_conflict, origin)
        if match is None or not isinstance(table, Table):
            return
        name = match.group(1)[1:-1].replace('""', '"') if match.group(1).startswith('"') \
            else match.group(1).lower()
        if table.constraint_named(name) is None:
            raise self._error(origin, f'constraint "{name}" for table "{table.name.name}" does '
                              "not exist")

    def _arbiter_inferred(self, table: Table, on_conflict: str, origin: ev.Origin) -> None:
        """``ON CONFLICT (a, b)`` must find a unique key of the table whose columns are
        these, in any order: PostgreSQL's ``there is no unique or exclusion constraint
        matching the ON CONFLICT specification`` otherwise (an index created later in the
        history does not count). Judged for a target of plain columns of the table with no
        ``WHERE``, while every index is known, on a table that is no partition, with no
        exclusion constraint; a primary key, a unique constraint or a unique index of the
        columns will do (a deferrable one is PostgreSQL's other error, left alone). A partial
        unique index, or one on an expression, is no arbiter of such a target."""
        from schemafold.model import Index

        if self.uncertain_after is not None:
            return
        try:
            target = sql.parse_on_conflict(on_conflict)
        except (NotStatic, InputError):
            return
        if not target.columns or table.partition_of is not None or \
                any(table.column(name) is None for name in target.columns):
            return
        keys: list[frozenset[str]] = []
        for tc in table.constraints:
            if tc.constraint.kind == "exclude" or tc.constraint.kind in (
                    "primary key", "unique") and not tc.constraint.columns:
                return
            if tc.constraint.kind in ("primary key", "unique"):
                keys.append(frozenset(tc.constraint.columns))
        for obj in self.objects.values():
            if isinstance(obj, Index) and obj.table == table.name and obj.unique and \
                    obj.where is None and all(el.column for el in obj.elements):
                keys.append(frozenset(str(el.column) for el in obj.elements))
        if frozenset(target.columns) not in keys:
            raise self._error(origin, "there is no unique or exclusion constraint matching the "
                              "ON CONFLICT specification")

    def _apply_Insert(self, e: ev.Insert) -> None:
        key, obj, uid = self._data_target(e.table, e.origin)
        self._columns_exist(obj, e.columns or (), e.origin)
        if isinstance(obj, Table):
            self._check_input(obj, e.origin, _given_values(e, obj))
        self._arbiter_exists(obj, e.on_conflict, e.origin)
        if isinstance(obj, Table):
            self._check_trigger_fields(obj, e)
        self._check_relations_read(e.query, e.origin)
        if e.query:
            self._check_cast_types(str(e.query), e.origin)  # as a view's query's (id '')
        if e.query and not e.query.lstrip()[:6].upper().startswith(("VALUES", "DEFAUL")):
            self._check_data_names(e.table, e.origin)
        query = (e.query or "").lstrip().upper()
        if query and not query.startswith(("VALUES", "DEFAULT")) and self._changes_nothing(
                e.origin, obj, uid, "INSERT"):
            return
        why = self._untracked(obj, uid, "INSERT")
        if why is None:
            assert isinstance(obj, Table)
            try:
                self._insert(e, obj, uid)
                return
            except NotStatic as error:
                why = f"cannot evaluate it: {error}"
        consumed = []
        if isinstance(obj, Table):
            given = set(e.columns or ())
            consumed = [k for c in obj.columns if c.name not in given
                        for k in self._column_sequences(obj, c)]
        self._keep_data(e, key, why, e.reads, consumed, _values_count(e))

    def _check_trigger_fields(self, table: Table, e: ev.Insert) -> None:
        """An ``INSERT ... VALUES`` of a row fires the table's first ``BEFORE INSERT ... FOR
        EACH ROW`` trigger (by name), and PostgreSQL runs the first statement of its PL/pgSQL
        function's body: a ``NEW.x`` there (an assignment's, or an ``IF``'s condition) that
        is no column of the table is ``record "new" has no field "x"`` (15 and 18; the
        function itself was taken, its fields are found when it runs). Judged only when all
        of it is certain: nothing kept verbatim before, no statement-level trigger, no
        ``WHEN``, no ``EXCEPTION`` in the body, no setting or ``ALTER TABLE`` that disables
        triggers in the history, the table's columns all known."""
        from schemafold.model import Trigger

        if self.uncertain_after is not None or e.on_conflict is not None or \
                table.partition_by or table.partition_of or table.inherits or \
                not table.columns:
            return
        rows = len(e.rows) if e.rows is not None else _values_count(e)
        if not rows:
            return
        triggers = sorted((t for _, t in self.objects.on_table(table.name, Trigger)
                           if isinstance(t, Trigger) and "INSERT" in t.events.upper()),
                          key=lambda t: t.name.encode())
        if any(not t.for_each_row for t in triggers):
            return
        before = [t for t in triggers if t.timing.upper() == "BEFORE"]
        if not before or before[0].when is not None or before[0].constraint:
            return
        function = self.objects.get(ObjectKey.of(
            ObjectKind.FUNCTION, before[0].function.schema, before[0].function.name,
            signature=()))
        if not isinstance(function, Function) or function.body is None or \
                (function.language or "").lower() != "plpgsql":
            return
        if any(_TRIGGERS_SWITCHED.search(o.text) for o in self.statements):
            return
        for field in _first_new_fields(function.body):
            if table.column(field) is None:
                raise self._error(e.origin, f'record "new" has no field "{field}"')

    def _check_input(self, table: Table, origin: ev.Origin,
                     values: Iterable[tuple[str, str]]) -> None:
        """Refuse a constant PostgreSQL's input function for its column's type would refuse
        (``'abc'`` for an integer, a label an enum lacks): the server converts it when it
        analyzes the statement, whether or not any row is touched."""
        # per column: the type read, its labels (an enum), and whether it is jsonb
        types: dict[str, tuple[str, tuple[str, ...] | None, bool] | None] = {}
        for name, value in values:
            self._check_typed_literal(value, origin)
            if name not in types:
                found = self._input_type(table, name)
                types[name] = None if found is None else (
                    *found, canonical_type(found[0]) == "jsonb")
            checked = types[name]
            if checked is None:
                continue
            type_text, labels, jsonb = checked
            problem = rejected_input(type_text, value.strip(), labels)
            if problem is None and labels is None:
                problem = too_long(type_text, value.strip())
            if problem is None and jsonb:
                problem = self._concatenated_json(table, value)
            if problem is not None:
                raise self._error(origin, f"{problem} (column {name} of {table.written.sql()})")

    def _check_typed_literal(self, value: str, origin: ev.Origin) -> None:
        """``name 'text'`` is a constant of the type ``name`` (``mood 'happy'``), which must
        exist, as a column's type must (a stray character before a string, such as a byte
        order mark, reads as such a name)."""
        value = value.strip()
        if "'" not in value or value[0] in "'(" or not value.endswith("'"):
            return
        tokens = fragment(value).tokens_or_none()
        if tokens is not None and len(tokens) == 2 and (
                tokens[0].token_type in (TokenType.VAR, TokenType.IDENTIFIER)
                or (is_word(tokens[0]) and tokens[0].text.lower() in UNRESERVED)) \
                and tokens[1].token_type == TokenType.STRING:
            # (an unreserved key word names a type too: INSERT 'e' is a constant of "insert";
            # a quoted name as written: "int4" '1')
            self._check_type_name_exists(QName(None, identifier_of(tokens[0]) or ""), origin)

    def _concatenated_json(self, table: Table, expression: str) -> str | None:
        """``column || 'text'`` (or the other way round) with a ``jsonb`` column: the string
        is read as ``jsonb`` too, and refused as a constant given for the column would be."""
        tokens = fragment(expression).tokens_or_none()
        if tokens is None or len(tokens) != 3 or tokens[1].token_type != TokenType.DPIPE:
            return None
        kinds = (tokens[0].token_type, tokens[2].token_type)
        name_at = 0 if kinds[1] == TokenType.STRING else 2 if kinds[0] == TokenType.STRING else -1
        if name_at < 0 or tokens[name_at].token_type not in (TokenType.VAR,
                                                             TokenType.IDENTIFIER):
            return None
        named = tokens[name_at]
        other = table.column(named.text if named.token_type == TokenType.IDENTIFIER
                             else named.text.lower())
        if other is None or canonical_type(other.column.type) != "jsonb":
            return None
        return rejected_text("jsonb", tokens[2 - name_at].text)

    def _input_type(self, table: Table, name: str) -> tuple[str, tuple[str, ...] | None] | None:
        """The type whose input function reads values given for column ``name`` (a domain's
        base type; an enum's name with its labels), or None when it is not one to check."""
        column = table.column(name)
        if column is None:
            return None
        spelled = column.column.type.strip()
        if spelled.lower() in SERIAL_TYPES:
            return SERIAL_TYPES[spelled.lower()], None
        if sql.type_category(spelled) != "other" or canonical_type(spelled) in _READ_TYPES:
            return spelled, None
        key = self._resolve(QName.parse(spelled), (ObjectKind.TYPE,)) \
            if not spelled.endswith("]") else None
        obj = self.objects.get(key) if key else None
        if isinstance(obj, EnumType):
            return obj.written.sql(), obj.labels
        if isinstance(obj, Domain) and sql.type_category(obj.base_type) != "other":
            return obj.base_type, None
        return None

    def _column_sequences(self, table: Table, column: ModelColumn) -> list[Key]:
        keys: list[Key] = []
        if column.serial_sequence is not None:
            keys.append(ObjectKey.of(ObjectKind.SEQUENCE,
                                     column.serial_sequence.schema or table.name.schema,
                                     column.serial_sequence.name))
        if column.column.identity:
            keys += [k for k, s in self.objects.items() if isinstance(s, Sequence)
                     and s.identity and s.owned_by == (table.name, column.name)]
        name = sql.nextval_of(column.column.default or "")
        key = self._resolve(name, (ObjectKind.SEQUENCE,)) if name else None
        return keys + ([key] if key else [])

    def _insert(self, e: ev.Insert, table: Table, uid: int) -> None:
        proposed: list[tuple[str, ...]]
        volatile: list[bool]
        if e.rows is not None:
            proposed = [tuple(v.strip() for v in values) for values in e.rows]
            volatile = [False] * len(proposed)
        elif e.query is not None and e.query.lstrip()[:6].upper() == "VALUES":
            proposed, volatile = [], []
            for items in sql.parse_values(e.query):
                texts = []
                any_volatile = False
                for item in items:
                    if item.strip().upper() == "DEFAULT":
                        texts.append("DEFAULT")
                        continue
                    text, vol = sql.substitute(item, {})
                    texts.append(text)
                    any_volatile = any_volatile or vol
                proposed.append(tuple(texts))
                volatile.append(any_volatile)
        elif e.query is None or e.query.upper().split() == ["DEFAULT", "VALUES"]:
            proposed, volatile = [()], [False]  # one row, every column its default
        else:
            try:
                proposed, volatile = self._select_rows(e.query, uid)
            except NotStatic:
                proposed, volatile = self._evaluated_rows(e, table)
        columns = [c for c in table.columns]
        names = list(e.columns) if e.columns is not None else [c.name for c in columns]
        sequences = _Sequences(self)
        new_rows: list[_Row] = []
        for values, vol in zip(proposed, volatile, strict=True):
            if len(values) > len(names):
                raise NotStatic("more values than columns")
            given = dict(zip(names, values, strict=False))
            if e.overriding_user:  # the values given for identity columns are ignored
                given = {name: "DEFAULT" if (c := table.column(name)) is not None
                         and c.column.identity else value for name, value in given.items()}
            row: dict[int, str] = {}
            for column in columns:
                if column.column.generated:
                    continue
                column_uid = self._column_uid(table, column.name)
                value = given.get(column.name)
                if value is None or value.upper() == "DEFAULT":
                    row[column_uid] = self._default(table, column, sequences)
                else:
                    row[column_uid] = value
                    if vol and sql.volatile_call(value):
                        self.volatile_columns.add(column_uid)
            unknown = set(given) - {c.name for c in columns}
            if unknown:
                raise NotStatic(f"column {sorted(unknown)[0]} does not exist")
            new_rows.append(_Row(row, [e.origin]))
        if e.on_conflict is not None:
            work = [r.copy() for r in self.table_rows.get(uid, [])]
            inserted = self._on_conflict(e, table, work, new_rows)
            self._commit({uid: work}, e.origin)
        else:  # appending: no other row changes (cost proportional to the rows inserted)
            self._refuse_rows_breaking_checks(table, new_rows, e.origin)
            self._refuse_duplicate_keys(table, uid, new_rows, e.origin)
            self._refuse_missing_references(table, uid, new_rows, e.origin)
            self.table_rows.setdefault(uid, []).extend(new_rows)
            self.live[e.origin] += len(new_rows)
            if new_rows:
                self.has_rows.add(uid)
            inserted = len(new_rows)
        sequences.commit(e.origin)
        self.data_statements.setdefault(uid, []).append(e.origin)
        if inserted or self.live[e.origin]:
            self._record(uid, Action.DATA, e.origin, e)
        elif new_rows:
            self.noop[e.origin] = "every row conflicts with one already there (ON CONFLICT)"
        else:
            self.noop[e.origin] = "the query selects no rows"

    def _unique_keys(self, table: Table) -> list[tuple[str, tuple[str, ...]]]:
        """The table's unique keys PostgreSQL checks row by row, by name: its primary key and
        unique constraints that are not deferrable, and its unique indexes on plain columns
        with no predicate."""
        from schemafold.model import Index

        keys = [(c.name, c.constraint.columns) for c in table.constraints
                if c.constraint.kind in ("primary key", "unique") and c.constraint.columns
                and not c.constraint.deferrable]
        for _, index in self.objects.on_table(table.name, Index):
            if isinstance(index, Index) and index.unique and index.where is None and \
                    index.elements and all(el.column for el in index.elements):
                keys.append((index.name.name, tuple(str(el.column) for el in index.elements)))
        return keys

    def _key_columns(self, table: Table, columns: Iterable[str]
                     ) -> tuple[tuple[int, ...], tuple[str, ...]] | None:
        """The uids and the categories (``_category``) of a key's columns; None when one is
        missing or generated (its value is not in the rows)."""
        models = [table.column(c) for c in columns]
        if any(m is None or m.column.generated for m in models):
            return None
        return (tuple(self._column_uid(table, m.name) for m in models if m),
                tuple(self._key_category(m) for m in models if m))

    def _key_category(self, column: ModelColumn) -> str:
        """``_category``, with the type's modifier where it changes the value stored
        (``rows.key_category``: numeric(5, 1) stores 1.25 as 1.3, varchar(3) 'abc  ' as
        'abc'), a domain's as its base type's."""
        spelled = column.column.type.strip()
        if sql.type_category(spelled) == "other":
            key = self._resolve(QName.parse(spelled), (ObjectKind.TYPE,)) \
                if not spelled.endswith("]") else None
            obj = self.objects.get(key) if key else None
            if isinstance(obj, Domain):
                spelled = obj.base_type
        return sql.key_category(self._category(column), spelled)

    def _keys_held(self, uid: int, column_uids: tuple[int, ...],
                   categories: tuple[str, ...]) -> _KeysSeen:
        """The keys the table's tracked rows hold in these columns, brought up to date."""
        rows = self.table_rows.get(uid, [])
        seen = self.keys_seen.get((uid, column_uids, categories))
        if seen is None or seen.rows is not rows:
            seen = _KeysSeen(rows)
            if len(rows) > _KEYS_READ_AT_MOST:
                seen.count, seen.unsure = len(rows), True  # not read: only new rows count
            self.keys_seen[(uid, column_uids, categories)] = seen
        for row in rows[seen.count:]:
            key = _row_key(row, column_uids, categories)
            if isinstance(key, tuple):
                seen.keys.add(key)
            elif key is _UNSURE:
                seen.unsure = True
        seen.count = len(rows)
        return seen

    def _refuse_duplicate_keys(self, table: Table, uid: int, new_rows: list[_Row],
                               origin: ev.Origin) -> None:
        """PostgreSQL refuses an INSERT whose row repeats a unique key's values, of a row the
        table holds or of an earlier row of the same statement. Only values surely equal count
        (``rows.key_value``: constants, compared by the column's type); a key with a NULL, an
        expression or a type compared otherwise is never a duplicate here."""
        for name, columns in self._unique_keys(table):
            found = self._key_columns(table, columns)
            if found is None:
                continue
            column_uids, categories = found
            held = self._keys_held(uid, column_uids, categories).keys
            inserted: set[tuple[Any, ...]] = set()
            for row in new_rows:
                key = _row_key(row, column_uids, categories)
                if not isinstance(key, tuple):
                    continue
                if key in held or key in inserted:
                    raise self._error(origin, f'duplicate key value violates unique constraint '
                                              f'"{name}": Key ({", ".join(columns)})='
                                              f'({_shown(key)}) already exists')
                inserted.add(key)

    def _refuse_rows_breaking_checks(self, table: Table, new_rows: list[_Row],
                                     origin: ev.Origin) -> None:
        """PostgreSQL refuses an inserted row holding NULL in a ``NOT NULL`` column (a key's
        too), or for which a ``CHECK`` constraint of the table is false (NULL passes): ``null
        value in column "id" of relation "t" violates not-null constraint``, ``new row for
        relation "t" violates check constraint "c"``. A NULL is the literal (given, or the
        default of a column with none); a check is judged only where the fold's predicate
        evaluator decides it (``rows.parse_predicate``), else left to PostgreSQL."""
        if not new_rows:
            return
        keyed = {column for c in table.constraints if c.constraint.kind == "primary key"
                 for column in c.constraint.columns}
        required = [(c.name, self._column_uid(table, c.name)) for c in table.columns
                    if (c.column.not_null or c.name in keyed) and not c.column.generated]
        for name, column_uid in required:
            for row in new_rows:
                value = row.values.get(column_uid)
                literal = sql.read_literal(value) if value is not None else None
                if literal is not None and literal[0] == "null":
                    raise self._error(origin, f'null value in column "{name}" of relation '
                                              f'"{table.name.name}" violates not-null constraint')
        for c in table.constraints:
            if c.constraint.kind != "check" or c.constraint.expression is None:
                continue
            try:
                check = sql.parse_predicate(str(c.constraint.expression))
            except NotStatic:
                continue
            for row in new_rows:
                try:
                    passed = check(self._scope(table, row))
                except NotStatic:
                    continue
                if passed is False:
                    raise self._error(origin, f'new row for relation "{table.name.name}" '
                                              f'violates check constraint "{c.name}"')

    def _refuse_missing_references(self, table: Table, uid: int, new_rows: list[_Row],
                                   origin: ev.Origin) -> None:
        """PostgreSQL refuses an INSERT whose row's foreign key names a key no row of the
        referenced table holds (a row of the same statement counts, for a table referencing
        itself). Checked only where the referenced rows are all known: no statement was kept
        verbatim yet (one may have added rows the fold does not see) and none named
        ``session_replication_role`` (its ``replica`` checks no foreign key), the referenced table's
        rows are tracked and each holds a constant there, and the two sides' columns compare
        alike; a foreign key that is deferrable, or a row with a NULL in it, is left alone."""
        if self.kept or self.replication_role_named:
            return
        for c in table.constraints:
            constraint = c.constraint
            if constraint.kind != "foreign key" or constraint.deferrable or c.target is None:
                continue
            parent_key = self._resolve(c.target, (ObjectKind.TABLE,))
            parent = self.objects.get(parent_key) if parent_key else None
            if parent_key is None or not isinstance(parent, Table):
                continue
            parent_uid = self.uid_of[parent_key]
            if self._untracked(parent, parent_uid, None) is not None:
                continue
            referenced = constraint.ref_columns or next(
                (k.constraint.columns for k in parent.constraints
                 if k.constraint.kind == "primary key"), ())
            child = self._key_columns(table, constraint.columns)
            parent_columns = self._key_columns(parent, referenced)
            if child is None or parent_columns is None or \
                    [c.partition(":")[0] for c in child[1]] != \
                    [c.partition(":")[0] for c in parent_columns[1]]:
                continue  # (numeric(5, 1) and numeric compare alike, by value)
            held = self._keys_held(parent_uid, *parent_columns)
            if held.unsure:
                continue
            keys = held.keys
            if parent_uid == uid:  # checked at the statement's end: its rows count
                own = [_row_key(row, *parent_columns) for row in new_rows]
                if any(key is _UNSURE for key in own):
                    continue
                keys = keys | {key for key in own if isinstance(key, tuple)}
            for row in new_rows:
                key = _row_key(row, *child)
                if isinstance(key, tuple) and key not in keys:
                    raise self._error(origin, f'insert or update on table "{table.name.name}" '
                                              f'violates foreign key constraint "{c.name}": Key '
                                              f'({", ".join(constraint.columns)})=({_shown(key)})'
                                              f' is not present in table "{parent.name.name}"')

    def _relation_rows(self, name: QName) -> Evaluated:
        """The tracked rows of a table a query reads, for ``rows.evaluate``."""
        key = self._resolve(name, _RELATIONS)
        table = self.objects.get(key) if key else None
        if key is None or not isinstance(table, Table):
            raise NotStatic(f"reads {name}, which is not a table the fold knows")
        uid = self.uid_of[key]
        why = self._untracked(table, uid, None)
        if why:
            raise NotStatic(f"reads {name}: {why}")
        return self._as_relation(table, self.table_rows.get(uid, []))

    def _as_relation(self, table: Table, rows: list[_Row]) -> Evaluated:
        columns = []
        uids = []
        for column in table.columns:
            category = self._category(column)
            if column.column.collation is not None:
                category = "other"  # a collation of its own may compare text otherwise
            spelled = column.column.type.strip()
            columns.append((column.name, category, SERIAL_TYPES.get(spelled.lower(), spelled)))
            uids.append(self._column_uid(table, column.name))
        # each value as its column stores it (numeric(5, 1) holds 1.25 as 1.3)
        stored = [self._key_category(column) for column in table.columns]
        return Evaluated(tuple(columns), tuple(
            tuple(None if (v := row.values.get(u)) is None else sql.stored_text(k, v)
                  for u, k in zip(uids, stored, strict=True)) for row in rows))

    def _typed(self, table: Table, column: str, value: str) -> str:
        """A value the evaluator computed, as the column takes it: a number or boolean put in
        a text column becomes the text PostgreSQL's assignment cast makes of it."""
        model = table.column(column)
        if model is not None and self._category(model) == "text" and (
                value in ("true", "false") or value.lstrip("-").isdigit()):
            return quote_literal(value)
        return value

    def _evaluated_rows(self, e: ev.Insert, table: Table
                        ) -> tuple[list[tuple[str, ...]], list[bool]]:
        """The rows of an ``INSERT ... SELECT`` with joins, DISTINCT, grouping or ordering,
        evaluated by ``rows.evaluate``; in an order PostgreSQL's may differ from only when no
        row draws from a sequence (the table's row order is then marked not known)."""
        result = evaluate_insert_query(e.origin.text, self._relation_rows)
        names = list(e.columns) if e.columns is not None else [c.name for c in table.columns]
        rows = [tuple(self._typed(table, n, v) for n, v in zip(names, row, strict=False))
                for row in result.rows]
        volatile = [any(sql.volatile_call(v) for v in row) for row in rows]
        if not result.ordered:
            given = set(names[:len(rows[0])])
            drawing = [c.name for c in table.columns if c.name not in given
                       and self._column_sequences(table, c)]
            if drawing:
                raise NotStatic(f"the order of the rows is not known (no ORDER BY orders them "
                                f"all), and column {drawing[0]} numbers them from a sequence")
            self.reordered.add(self.uid_of[table.key()])
        return rows, volatile

    def _select_rows(self, query: str, uid: int) -> tuple[list[tuple[str, ...]], list[bool]]:
        select = sql.parse_select(query)
        where = sql.parse_predicate(select.where, self._rows_of) if select.where else None
        if select.table is None:
            scopes: list[Scope] = [Scope({}, {})]
        else:
            scopes = self._rows_of(select.table)
            key = self._resolve(select.table, (ObjectKind.TABLE,))
            if key is not None and self.uid_of[key] == uid:
                raise NotStatic("INSERT ... SELECT from the table itself")
            if key is not None and self.uid_of[key] in self.reordered and len(scopes) > 1:
                raise NotStatic(f"the order of the rows of {select.table} is not known")
        proposed, volatile = [], []
        for scope in scopes:
            if select.alias:
                scope = attrs.evolve(scope, qualifiers=scope.qualifiers | {select.alias})
            if where is not None and where(scope) is not True:
                continue
            if select.items is None:
                items = tuple(scope.values.values())
                vol = any(sql.volatile_call(v) for v in items)
            else:
                texts = [sql.substitute(item, {None: scope}) for item in select.items]
                items = tuple(t for t, _ in texts)
                vol = any(v for _, v in texts)
            proposed.append(items)
            volatile.append(vol)
        return proposed, volatile

    def _unique_sets(self, table: Table, oc: sql.OnConflict) -> list[tuple[str, ...]]:
        if oc.columns:
            return [oc.columns]
        if oc.constraint is not None:
            found = table.constraint_named(oc.constraint)
            if found is None:
                from schemafold.model import Index

                index = self.objects.get(ObjectKey.of(ObjectKind.INDEX, table.name.schema,
                                                      oc.constraint))
                if isinstance(index, Index) and all(el.column for el in index.elements):
                    return [tuple(str(el.column) for el in index.elements)]
                raise NotStatic(f"constraint {oc.constraint} is not known")
            return [found.constraint.columns]
        from schemafold.model import Index

        sets = [c.constraint.columns for c in table.constraints
                if c.constraint.kind in ("primary key", "unique") and c.constraint.columns]
        for obj in self.objects.values():
            if isinstance(obj, Index) and obj.table == table.name and obj.unique:
                if obj.where or not all(el.column for el in obj.elements):
                    raise NotStatic(f"unique index {obj.name.name} has expressions")
                sets.append(tuple(str(el.column) for el in obj.elements))
        return sets

    def _on_conflict(self, e: ev.Insert, table: Table, work: list[_Row],
                     new_rows: list[_Row]) -> int:
        assert e.on_conflict is not None
        oc = sql.parse_on_conflict(e.on_conflict)
        sets = self._unique_sets(table, oc)
        inserted = 0
        for row in new_rows:
            proposed = self._scope(table, row)
            match = None
            for existing in work:
                scope = self._scope(table, existing)
                if any(self._same(proposed, scope, columns) for columns in sets):
                    match = existing
                    break
            if match is None:
                work.append(row)
                inserted += 1
                continue
            if oc.update is None:
                continue
            if match.carries(e.origin):
                raise NotStatic("ON CONFLICT DO UPDATE would affect a row twice")
            current = self._scope(table, match)
            scopes: dict[str | None, Scope] = {None: current, "excluded": proposed}
            scopes[table.name.name] = current
            if oc.where is not None and sql.parse_predicate(oc.where)(current) is not True:
                continue
            for assignment in oc.update:
                column = table.column(assignment.column)
                if column is None:
                    raise NotStatic(f"column {assignment.column} does not exist")
                text, volatile = sql.substitute(assignment.expression, scopes)
                column_uid = self._column_uid(table, column.name)
                match.values[column_uid] = text
                if volatile:
                    self.volatile_columns.add(column_uid)
            match.carry(e.origin)
            work.remove(match)
            work.append(match)
        return inserted

    def _same(self, a: Scope, b: Scope, columns: Iterable[str]) -> bool:
        for column in columns:
            if column not in a.values or column not in b.values:
                raise NotStatic(f"column {column} of a unique key is not known")
            equal = sql.parse_predicate(f"{_quote(column)} = {b.values[column]}")
            if equal(a) is not True:
                return False
        return True

    # -- UPDATE, DELETE, TRUNCATE ------------------------------------------------------------

    def _apply_Update(self, e: ev.Update) -> None:
        key, obj, uid = self._data_target(e.table, e.origin)
        self._columns_exist(obj, (column for column, _ in e.assignments), e.origin)
        if isinstance(obj, Table):
            self._check_input(obj, e.origin, e.assignments)
        self._check_data_names(e.table, e.origin)
        for _, value in e.assignments:
            self._check_cast_types(str(value), e.origin)  # as a view's query's (id '')
        why = self._untracked_or_empty(obj, uid, "UPDATE", e.origin)
        if why == "" or (_joins(e.where) and self._changes_nothing(e.origin, obj, uid, "UPDATE")):
            return
        if why is None:
            assert isinstance(obj, Table)
            try:
                self._update(e, obj, uid)
                return
            except NotStatic as error:
                why = f"cannot evaluate it: {error}"
        self._keep_data(e, key, why, e.reads, [])

    def _update(self, e: ev.Update, table: Table, uid: int) -> None:
        if e.where is not None and e.where.lstrip().startswith("/*"):
            self._update_from(e, table, uid)
            return
        predicate = sql.parse_predicate(e.where, self._rows_of) if e.where else None
        assignments = []
        for column_name, expression in e.assignments:
            column = table.column(column_name)
            if column is None or column.column.generated:
                raise NotStatic(f"column {column_name} cannot be set")
            self._cascades_on_update(table, column_name)
            assignments.append((column, expression))
        work = [r.copy() for r in self.table_rows.get(uid, [])]
        matched: list[_Row] = []
        sequences = _Sequences(self)
        for row in work:
            scope = self._scope(table, row)
            if predicate is not None and predicate(scope) is not True:
                continue
            new_values = {}
            for column, expression in assignments:
                column_uid = self._column_uid(table, column.name)
                if expression.strip().upper() == "DEFAULT":
                    new_values[column_uid] = self._default(table, column, sequences)
                    continue
                text, volatile = sql.substitute(expression, {None: scope})
                new_values[column_uid] = text
                if volatile:
                    self.volatile_columns.add(column_uid)
            matched.append(row)
            row.values.update(new_values)
            row.carry(e.origin)
        if not matched:
            self.noop[e.origin] = "no row matches"
            return
        work = [r for r in work if r not in matched] + matched  # updated rows move to the end
        self._commit({uid: work}, e.origin)
        sequences.commit(e.origin)
        self.reordered.add(uid)
        self.row_setters[e.origin] = {self._column_uid(table, c.name) for c, _ in assignments}
        self.data_statements.setdefault(uid, []).append(e.origin)
        self._record(uid, Action.DATA, e.origin, e)

    def _update_from(self, e: ev.Update, table: Table, uid: int) -> None:
        """``UPDATE ... FROM``, evaluated by ``rows.evaluate`` over the tracked rows."""
        tracked = self.table_rows.get(uid, [])
        matches = evaluate_matches(e.origin.text, self._as_relation(table, tracked),
                                   self._relation_rows)
        columns = []
        for name in matches.columns:
            column = table.column(name)
            if column is None or column.column.generated:
                raise NotStatic(f"column {name} cannot be set")
            self._cascades_on_update(table, name)
            columns.append(column)
        if not matches.rows:
            self.noop[e.origin] = "no row matches"
            return
        work = [r.copy() for r in tracked]
        matched = [work[i] for i in sorted(matches.rows)]
        for index in sorted(matches.rows):
            row = work[index]
            for column, value in zip(columns, matches.rows[index], strict=True):
                column_uid = self._column_uid(table, column.name)
                row.values[column_uid] = self._typed(table, column.name, value)
                if sql.volatile_call(value):
                    self.volatile_columns.add(column_uid)
            row.carry(e.origin)
        work = [r for r in work if r not in matched] + matched
        self._commit({uid: work}, e.origin)
        self.reordered.add(uid)  # the join decides the order the new versions are written in
        self.row_setters[e.origin] = {self._column_uid(table, c.name) for c in columns}
        self.data_statements.setdefault(uid, []).append(e.origin)
        self._record(uid, Action.DATA, e.origin, e)

    def _cascades_on_update(self, table: Table, column: str) -> None:
        for _, other in self.objects.related(("target", table.name)):
            if isinstance(other, Table):
                for c in other.constraints:
                    if c.target == table.name and c.constraint.on_update and (
                        column in c.constraint.ref_columns or not c.constraint.ref_columns
                    ) and self.table_rows.get(self.uid_of[other.key()]):
                        raise NotStatic(f"ON UPDATE {c.constraint.on_update} of {c.name}")

    def _apply_Delete(self, e: ev.Delete) -> None:
        key, obj, uid = self._data_target(e.table, e.origin)
        if e.where is not None:
            self._check_data_names(e.table, e.origin)
        if (e.where is None and uid in self.verbatim and isinstance(obj, Table)
                and self._untracked(obj, uid, "DELETE", wiping=True) is None
                and not self._foreign_key_actions(e, key) and not self._wipe_blocked([uid])):
            self._wipe_kept([uid], e.origin)
            self._commit({uid: []}, e.origin)
            self._record(uid, Action.DATA, e.origin, e)
            return
        why = self._untracked_or_empty(obj, uid, "DELETE", e.origin)
        if why == "" or (_joins(e.where) and self._changes_nothing(e.origin, obj, uid, "DELETE")):
            return
        if why is None:
            assert isinstance(obj, Table)
            try:
                rows = self.table_rows.get(uid, [])
                if e.where is not None and e.where.lstrip().startswith("/*"):  # USING
                    matches = evaluate_matches(e.origin.text, self._as_relation(obj, rows),
                                               self._relation_rows)
                    doomed = [r for i, r in enumerate(rows) if i in matches.rows]
                else:
                    predicate = (sql.parse_predicate(e.where, self._rows_of) if e.where
                                 else None)
                    doomed = [r for r in rows
                              if predicate is None or predicate(self._scope(obj, r)) is True]
                if not doomed:
                    self.noop[e.origin] = "no row matches"
                    return
                changes = {uid: [r.copy() for r in rows if r not in doomed]}
                self._cascade(obj, doomed, changes, e.origin)
                self._commit(changes, e.origin)
                self.data_statements.setdefault(uid, []).append(e.origin)
                self._record(uid, Action.DATA, e.origin, e)
                return
            except NotStatic as error:
                why = f"cannot evaluate it: {error}"
        self._keep_data(e, key, why, e.reads, [])

    def _cascade(self, parent: Table, doomed: list[_Row], changes: dict[int, list[_Row]],
                 origin: ev.Origin) -> None:
        """What deleting ``doomed`` rows of ``parent`` does to the rows that reference them."""
        for child in [o for o in self.objects.values() if isinstance(o, Table)]:
            for fk in child.constraints:
                c = fk.constraint
                if c.kind != "foreign key" or fk.target != parent.name:
                    continue
                child_uid = self.uid_of[child.key()]
                rows = changes.get(child_uid)
                if rows is None:
                    rows = [r.copy() for r in self.table_rows.get(child_uid, [])]
                if not rows and child_uid not in self.verbatim:
                    continue
                why = self._untracked(child, child_uid, "DELETE")
                if why:
                    raise NotStatic(f"deleting cascades into {child.name}: {why}")
                ref_columns = c.ref_columns or next(
                    (p.constraint.columns for p in parent.constraints
                     if p.constraint.kind == "primary key"), ())
                pairs = list(zip(c.columns, ref_columns, strict=True))
                hit = [r for r in rows if any(
                    all(self._equal_values(child, r, cc, parent, d, pc) for cc, pc in pairs)
                    for d in doomed)]
                if not hit:
                    changes[child_uid] = rows
                    continue
                action = (c.on_delete or "NO ACTION").upper()
                if action == "CASCADE":
                    changes[child_uid] = [r for r in rows if r not in hit]
                    self._cascade(child, hit, changes, origin)
                elif action in ("SET NULL", "SET DEFAULT"):
                    sequences = _Sequences(self)
                    for r in hit:
                        for column_name in c.columns:
                            column = child.column(column_name)
                            assert column is not None
                            r.values[self._column_uid(child, column_name)] = (
                                "NULL" if action == "SET NULL"
                                else self._default(child, column, sequences))
                        r.carry(origin)
                    if sequences.states:
                        raise NotStatic("ON DELETE SET DEFAULT draws from a sequence")
                    changes[child_uid] = rows
                else:
                    raise NotStatic(f"rows of {child.name} still reference the deleted rows")

    def _equal_values(self, a_table: Table, a: _Row, a_column: str, b_table: Table, b: _Row,
                      b_column: str) -> bool:
        column = a_table.column(a_column)
        assert column is not None
        scope = self._scope(a_table, a)
        other = b.values.get(self._column_uid(b_table, b_column), "NULL")
        return sql.parse_predicate(f"{_quote(a_column)} = {other}")(scope) is True

    def _apply_Truncate(self, e: ev.Truncate) -> None:
        keys: list[Key] = []
        for name in e.tables:
            key, obj, uid = self._data_target(name, e.origin)
            keys.append(key)
        if e.cascade:
            pending = list(keys)
            while pending:
                target = self.objects[pending.pop()]
                for other in self.objects.values():
                    if isinstance(other, Table) and other.key() not in keys and any(
                            c.target == getattr(target, "name", None) for c in other.constraints):
                        keys.append(other.key())
                        pending.append(other.key())
        why = None
        for key in keys:
            relation = self.objects[key]
            assert isinstance(relation, Table | View)
            why = why or self._untracked(relation, self.uid_of[key], "TRUNCATE", wiping=True)
        owned = [k for k, s in self.objects.items() if isinstance(s, Sequence) and s.owned_by
                 and ObjectKey.of(ObjectKind.TABLE, s.owned_by[0].schema,
                                  s.owned_by[0].name) in keys]
        why = why or self._wipe_blocked(self.uid_of[k] for k in keys)
        if why is not None:
            self._keep_data(e, keys[0], why, [QName(str(k[1]), str(k[2])) for k in keys],
                            owned if e.restart_identity else [])
            return
        uids = [self.uid_of[k] for k in keys]
        superseded = self._wipe_kept(uids, e.origin)
        changes: dict[int, list[_Row]] = {
            uid: [] for uid in uids if self.table_rows.get(uid) or superseded.get(uid)}
        self._commit(changes, e.origin)
        restarted = False
        sequences = _Sequences(self)
        for key in owned:
            seq = self.objects[key]
            assert isinstance(seq, Sequence)
            seq_uid = self.uid_of[key]
            was = self.verbatim.get(seq_uid)
            if e.restart_identity and (was is not None or seq.position is not None
                                       or seq.restart_with is not None):
                self.verbatim.pop(seq_uid, None)
                self.lost_positions.pop(seq_uid, None)
                sequences.restart(key)
                restarted = True
        sequences.commit(e.origin, explicit=True)
        if changes or restarted:
            for uid in changes:
                self._record(uid, Action.DATA, e.origin, e)
            for key in owned if restarted else []:
                self._record(self.uid_of[key], Action.ALTERED, e.origin,
                             Account(Change.RESTARTED_BY_TRUNCATE))
        else:
            self.noop[e.origin] = "tables are empty"

    def _wipe_blocked(self, uids: Iterable[int]) -> str | None:
        """Why emptying ``uids`` whole cannot supersede what was kept on them: a kept statement
        that also wrote a table that stays (through a trigger or a foreign key action)."""
        wiped = set(uids)
        for statement, writes in self.kept_writes.items():
            if writes & wiped and not writes <= wiped and statement not in self.replaced_by:
                return f"{statement.where()}, kept verbatim, also wrote tables this keeps"
        return None

    def _wipe_kept(self, uids: Iterable[int], origin: ev.Origin) -> dict[int, list[ev.Origin]]:
        """Tables emptied whole: the data statements kept verbatim on them are superseded, and
        their rows are known again (none). What those statements alone made untracked is
        tracked again (tables they only read), except the position of a sequence they may have
        advanced: that is lost. ``_wipe_blocked`` says when this cannot be."""
        wiped = set(uids)
        superseded: dict[int, list[ev.Origin]] = {}
        for uid in wiped:
            self.late_data.pop(uid, None)
            if self.verbatim.pop(uid, None) is None:
                continue
            gone = [s for s, writes in self.kept_writes.items()
                    if uid in writes and s not in self.replaced_by]
            for statement in gone:
                self.replaced_by[statement] = origin
            superseded[uid] = gone
        everything = {s for gone in superseded.values() for s in gone}
        for uid, since in list(self.verbatim.items()):
            if since not in everything:
                continue
            key = self.key_of.get(uid)
            if key is not None and key.kind == ObjectKind.SEQUENCE:
                draws = self.draws.get(uid, [])
                if all(s in self.replaced_by and n is not None for s, n in draws):
                    # every statement that drew from it is gone, and how many values each
                    # drew is known (its VALUES rows): the position is known again
                    del self.verbatim[uid]
                    sequences = _Sequences(self)
                    for _ in range(sum(n or 0 for _, n in draws)):
                        sequences.nextval(key)
                    sequences.commit(origin)
                else:
                    self.lost_positions[uid] = origin
            elif not any(uid in writes and s not in self.replaced_by
                         for s, writes in self.kept_writes.items()):
                del self.verbatim[uid]  # only read by what is gone
        return superseded

    # -- sequences ---------------------------------------------------------------------------

    def sequence_numbers(self, seq: Sequence) -> tuple[int, int]:
        """(start, increment) of a sequence."""
        start, step = seq.options.start, seq.options.increment
        if seq.identity and seq.owned_by is not None:
            table = self.objects.get(ObjectKey.of(ObjectKind.TABLE, seq.owned_by[0].schema,
                                                  seq.owned_by[0].name))
            column = table.column(seq.owned_by[1]) if isinstance(table, Table) else None
            declared = column.column.identity_sequence if column is not None else None
            if declared is not None:  # the identity's options, as the parser read them
                id_start, id_step = declared.options.start, declared.options.increment
                start = start if id_start is None else id_start
                step = step if id_step is None else id_step
        step = step or 1
        if start is None:
            start = (seq.options.minvalue or 1) if step > 0 else (seq.options.maxvalue or -1)
        return start, step

    def sequence_state(self, seq: Sequence) -> tuple[int, bool]:
        """(last value, is_called) of a sequence, as ``pg_sequences`` would show it."""
        if seq.position is not None:
            return seq.position, True
        if seq.restart_with is not None:
            return seq.restart_with, False
        return self.sequence_numbers(seq)[0], False

    def _apply_SetSequenceValue(self, e: ev.SetSequenceValue) -> None:
        key = self._setval_target(e)
        if key is None:
            if e.from_table is not None:
                self._relation(e.from_table, e.origin)  # a FROM table missing is still an error
            self.noop[e.origin] = "pg_get_serial_sequence gives NULL: no sequence is owned by " \
                "the column, and setval(NULL, ...) changes nothing"
            return
        seq = self.objects[key]
        assert isinstance(seq, Sequence)
        uid = self.uid_of[key]
        why = None
        value: int | None = None
        reads: list[QName] = []
        if uid in self.verbatim:
            why = f"the position of {seq.name} is not known after {self.verbatim[uid].where()}"
        else:
            try:
                parsed = sql.parse_sequence_value(e.value)
                if isinstance(parsed, int):
                    value = parsed
                else:
                    table = parsed.table or e.from_table
                    if table is None:
                        raise NotStatic("max() without FROM")
                    reads.append(table)
                    value = self._max_of(table, parsed)
            except NotStatic as error:
                why = f"cannot evaluate it: {error}"
        if why is not None:
            if e.from_table is not None:
                reads.append(e.from_table)
            self._keep_data(e, key, why, [*e.reads, *reads], [key])
            return
        if value is None:
            self.noop[e.origin] = "setval to NULL changes nothing"
            return
        sequences = _Sequences(self)
        sequences.states[key] = (value, e.is_called)
        sequences.commit(e.origin, explicit=True)
        self._record(uid, Action.ALTERED, e.origin, e)

    def _setval_target(self, e: ev.SetSequenceValue) -> Key | None:
        """The sequence ``setval`` sets: the one named, or the one ``pg_get_serial_sequence``
        gives, which is the sequence the column owns (a serial's, an identity's, ``OWNED BY``;
        not one its default only draws from): None when it owns none, where PostgreSQL's
        ``pg_get_serial_sequence`` returns NULL and ``setval``, strict, does nothing."""
        if e.sequence is not None:
            key = self._relation(e.sequence, e.origin, (ObjectKind.SEQUENCE,))
            assert key is not None
            return key
        assert e.column_of is not None
        table_name, column = e.column_of
        _, table = self._table(table_name, e.origin)
        model = table.column(column)
        if model is None:
            raise self._error(e.origin, f'column "{column}" of relation "{table.name.name}" '
                              "does not exist")
        owned = [k for k, s in self.objects.related(("owned_by", table.name))
                 if isinstance(s, Sequence) and s.owned_by == (table.name, model.name)]
        keys = [k for k in dict.fromkeys([*self._column_sequences(table, model), *owned])
                if k in owned]
        return keys[0] if keys else None

    def _max_of(self, name: QName, of: sql.MaxOf) -> int | None:
        best: int | None = None
        for scope in self._rows_of(name):
            if of.column not in scope.values:
                raise NotStatic(f"column {of.column} of {name} is not known")
            text = scope.values[of.column]
            if not sql.is_literal(text):
                raise NotStatic(f"{of.column} holds {text}")
            if text.strip().upper() == "NULL":
                continue
            try:
                number = int(text.strip().strip("'"))
            except ValueError as error:
                raise NotStatic(f"{of.column} holds {text}, not an integer") from error
            best = number if best is None else max(best, number)
        if best is None:
            best = of.default
        return None if best is None else best + of.plus

    # -- following schema changes ------------------------------------------------------------

    def _intercept(self, event: ev.Event) -> bool:
        self._old_type = None
        if isinstance(event, ev.Drop | ev.Rename | ev.SetSchema) and \
                event.kind in (ObjectKind.TYPE, ObjectKind.DOMAIN):
            targets = event.targets if isinstance(event, ev.Drop) else (event.target,)
            for target in targets:
                self._no_row_casts_to(target.name.name, event.origin)
        if isinstance(event, ev.AlterColumnType) and event.using:
            key = self._resolve(event.table, (ObjectKind.TABLE,))
            table = self.objects.get(key) if key else None
            column = table.column(event.column) if isinstance(table, Table) else None
            if column is not None:
                self._old_type = column.column.type
        kept = super()._intercept(event)
        if kept and isinstance(event, ev.RefreshMaterializedView):
            # kept in order after the statements it follows, it refreshes the view there too
            self._refreshed(event)
        return kept

    def _refreshed(self, event: ev.RefreshMaterializedView) -> None:
        """A ``REFRESH`` with data leaves its view no longer stale."""
        if event.with_data:
            key = self._resolve(event.name, (ObjectKind.VIEW,))
            self.stale_views.pop(self.uid_of.get(key, -1) if key else -1, None)

    def _applied(self, event: ev.Event) -> None:
        if isinstance(event, ev.Insert | ev.Update | ev.Delete | ev.Truncate) \
                and event.origin not in self.noop:
            self._stale(event)
        elif isinstance(event, ev.RefreshMaterializedView):
            self._refreshed(event)
        if isinstance(event, ev.AddColumn):
            self._fill_column(event)
        elif isinstance(event, ev.AlterColumnType) and event.using:
            self._convert_column(event)
        elif isinstance(event, ev.AlterSequence) and event.restart:
            key = self._resolve(event.name, (ObjectKind.SEQUENCE,))
            if key is not None:
                uid = self.uid_of[key]
                previous = self.positioned_by.get(uid)
                if previous is not None:
                    self.replaced_by.setdefault(previous, event.origin)
                self.positioned_by[uid] = event.origin
                self.explicit.add(uid)
                seq = self.objects[key]
                assert isinstance(seq, Sequence)
                self._put(key, attrs.evolve(seq, position=None))
        elif isinstance(event, ev.RenameEnumValue):
            self._rename_label(event)

    def _rename_label(self, e: ev.RenameEnumValue) -> None:
        """Rows holding the renamed enum label now hold the new one."""
        self.keys_seen.clear()  # rows change in place
        enum = self._resolve(e.type, (ObjectKind.TYPE,))
        quoted = quote_literal(e.new)
        for uid, tracked in self.table_rows.items():
            key = self.key_of.get(uid)
            table = self.objects.get(key) if key else None
            if not tracked or not isinstance(table, Table):
                continue
            for column in table.columns:
                if self._resolve(QName.parse(column.column.type), (ObjectKind.TYPE,)) != enum:
                    continue
                column_uid = self._column_uid(table, column.name)
                for row in tracked:
                    value = row.values.get(column_uid)
                    if value is not None and sql.string_value(value) == e.old:
                        row.values[column_uid] = quoted

    def _fill_column(self, e: ev.AddColumn) -> None:
        self.keys_seen.clear()  # rows change in place
        key = self._resolve(e.table, (ObjectKind.TABLE,))
        if key is None:
            return
        uid = self.uid_of[key]
        rows = self.table_rows.get(uid)
        table = self.objects[key]
        column = table.column(e.column.name) if isinstance(table, Table) else None
        if not rows or column is None or column.column.generated:
            return
        assert isinstance(table, Table)
        column_uid = self._column_uid(table, column.name)
        if column_uid in rows[0].values:
            return  # ADD COLUMN IF NOT EXISTS that found it
        sequences = _Sequences(self)
        try:
            for row in rows:
                row.values[column_uid] = self._default(table, column, sequences)
        except NotStatic as error:
            raise self.fold_limit(e.origin, f"cannot fill column {column.name} of the rows "
                                  f"{table.name} holds: {error}") from error
        sequences.commit(e.origin)

    def _convert_column(self, e: ev.AlterColumnType) -> None:
        self.keys_seen.clear()  # rows change in place
        key = self._resolve(e.table, (ObjectKind.TABLE,))
        if key is None or not self.table_rows.get(self.uid_of[key]):
            return
        table = self.objects[key]
        assert isinstance(table, Table) and e.using is not None
        column_uid = self._column_uid(table, e.column)
        for row in self.table_rows[self.uid_of[key]]:
            scope = self._scope(table, row)
            if self._old_type is not None:  # USING reads the column as it was
                # (the value as it was too: _scope reads values as the new type stores them)
                values = dict(scope.values)
                if column_uid in row.values:
                    values[e.column] = row.values[column_uid]
                scope = attrs.evolve(scope, values=values,
                                     types={**scope.types, e.column: self._old_type})
            try:
                text, volatile = sql.substitute(e.using, {None: scope})
            except NotStatic as error:
                if str(error) == "a subquery":
                    raise self._error(e.origin, "cannot use subquery in transform "
                                      "expression") from error
                # a routine, an operator or syntax the fold does not evaluate: PostgreSQL
                # converts the rows; the fold cannot say what they hold after it
                raise self.fold_limit(e.origin, f"cannot convert the rows {table.name} holds: "
                                      f"USING {error}") from error
            row.values[column_uid] = self._label_through_casts(text) or text
            if volatile:
                self.volatile_columns.add(column_uid)

    def _no_row_casts_to(self, name: str, origin: ev.Origin) -> None:
        """Stop folding at a statement that drops, renames or moves type ``name`` when a row's
        value the fold holds names it (what ``ALTER COLUMN ... TYPE ... USING`` made of it,
        ``(CASE ... END)::name``): written as it is, the value would name a type the
        consolidation no longer has by that name."""
        for rows in self.table_rows.values():
            for row in rows:
                for text in row.values.values():
                    if name.lower() in text.lower() and name in identifiers_in(text):
                        raise self.fold_limit(origin, f"rows hold a value naming type {name} "
                                              f"(from ALTER COLUMN ... TYPE ... USING): {text}")

    def _label_through_casts(self, text: str) -> str | None:
        """A string constant cast only through enum types and ``text`` (``('x')::e1::text::e2``,
        what an enum's swap for a new one, ``USING v::text::e2``, makes of a row's value): the
        constant alone, which the column's type reads as the same label. Kept, the casts name
        types a later ``DROP TYPE`` or ``RENAME`` takes away."""
        rest = _unwrapped(text)
        casts = 0
        while (found := _TRAILING_CAST.search(rest)) is not None:
            name = QName.parse(found.group(1))
            if canonical_type(found.group(1)) not in ("text", "character varying"):
                key = self._resolve(name, (ObjectKind.TYPE,))
                if key is None or not isinstance(self.objects.get(key), EnumType):
                    return None
            rest = _unwrapped(rest[:found.start()])
            casts += 1
        literal = string_literal(rest) if casts else None
        if literal is None or literal[1] is not None:
            return None
        return quote_literal(literal[0])

    def _stale(self, event: ev.Insert | ev.Update | ev.Delete | ev.Truncate) -> None:
        """The populated materialized views reading (directly or through views) a table
        ``event`` writes are stale from here until refreshed."""
        names = event.tables if isinstance(event, ev.Truncate) else (event.table,)
        written = {k for n in names if (k := self._resolve(n, (ObjectKind.TABLE,
                                                               ObjectKind.VIEW))) is not None}
        if not written:
            return
        # only the views (the store's index of them, in the map's order): not every object
        # on every data statement, which made a long history's data statements quadratic
        for key, view in self.objects.of_type(View):
            if isinstance(view, View) and view.materialized and view.with_data \
                    and self.uid_of.get(key) not in self.stale_views \
                    and self._reads(view, written, set()):
                self.stale_views[self.uid_of[key]] = event.origin

    def _reads(self, view: View, tables: set[Key], seen: set[Key]) -> bool:
        for name in sql.mentioned_names(view.query):
            key = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW))
            if key is None or key in seen:
                continue
            seen.add(key)
            if key in tables:
                return True
            inner = self.objects.get(key)
            if isinstance(inner, View) and not inner.materialized \
                    and self._reads(inner, tables, seen):
                return True
        return False

    def _check_stale_views(self) -> None:
        """The consolidation populates every materialized view after loading the rows: one a
        data statement left stale (changed its tables after it was last populated, and no
        ``REFRESH`` came after) would hold the new rows. The history is kept as written from the
        file of the first such statement."""
        stale = [(self.statements.index(origin), uid, origin)
                 for uid, origin in self.stale_views.items()
                 if (key := self.key_of.get(uid)) is not None and uid not in self.dropped_by
                 and isinstance(view := self.objects.get(key), View) and view.with_data]
        if stale:
            _, uid, origin = min(stale, key=lambda item: item[0])
            name = ".".join(str(p) for p in self.key_of[uid][1:])
            raise self.fold_limit(origin, f"materialized view {name} is not refreshed after "
                                  "this statement changes what it reads: the consolidation "
                                  "would populate it with the rows of the end")

    # -- the result ----------------------------------------------------------------------------

    def result(self) -> FoldResult:
        self.check_kept()
        self._check_stale_views()
        superseded = {(o.file, o.line) for o in self.replaced_by}
        self.kept = [k for k in self.kept if (k.file, k.line) not in superseded]
        for origin, columns in self.row_setters.items():
            if origin not in self.replaced_by and columns and all(
                    c in self.dropped_by for c in columns):
                self.replaced_by[origin] = self.dropped_by[sorted(columns)[0]]
        self.rows = {}
        count = 0
        for uid, tracked in self.table_rows.items():
            key = self.key_of.get(uid)
            table = self.objects.get(key) if key else None
            if not tracked or uid in self.dropped_by or not isinstance(table, Table):
                continue
            frozen = []
            for row in tracked:
                values = tuple(
                    (c.name, row.values.get(self._column_uid(table, c.name), "NULL"))
                    for c in table.columns if not c.column.generated
                )
                frozen.append(Row(values=values))
            assert key is not None
            self.rows[key] = tuple(frozen)
            count += len(frozen)
            self._behind(table, tracked)
        changes = self.rule_changes()
        result = super().result()
        notes = DataNotes(
            barriers=tuple(self.barriers),
            rule_changes=tuple(changes),
            explicit_sequences=tuple(sorted(
                f"{self.key_of[u][1]}.{self.key_of[u][2]}" for u in self.explicit
                if u not in self.dropped_by and u in self.key_of)),
            volatile_columns=tuple(sorted(
                ".".join(str(p) for p in self.key_of[u][1:]) for u in self.volatile_columns
                if u not in self.dropped_by and u in self.key_of)),
            rows=count,
        )
        return attrs.evolve(result, data_notes=notes)

    def _behind(self, table: Table, tracked: list[_Row]) -> None:
        """Warn when the history leaves a sequence behind the column it feeds (explicit ids):
        the renderer sets it level with the column (the contract: no sequence behind its
        column), after the statements kept verbatim, which may draw from it."""
        ancestors: list[Table] = []  # a partition's rows are its parents' too
        written = table.partition_of
        while written is not None:
            found = self._resolve(written, (ObjectKind.TABLE,))
            parent = self.objects.get(found) if found is not None else None
            if found is None or not isinstance(parent, Table) or parent in ancestors:
                break
            if self.uid_of.get(found, -1) in self.verbatim:
                ancestors = []  # kept statements may draw from its sequences: not known
                break
            ancestors.append(parent)
            written = parent.partition_of
        for column in table.columns:
            # the sequences feeding it, and any other it owns (OWNED BY, a serial's sequence
            # after DROP DEFAULT): the contract holds for every one; and those feeding the
            # column in the tables it is a partition of (a table with explicit ids attached
            # to a parent with an identity column: the parent's column holds them)
            owned = [k for k, s in self.objects.related(("owned_by", table.name))
                     if isinstance(s, Sequence) and s.owned_by == (table.name, column.name)]
            inherited = [k for a in ancestors if (c := a.column(column.name)) is not None
                         for k in self._column_sequences(a, c)]
            for key in dict.fromkeys([*self._column_sequences(table, column), *owned,
                                      *inherited]):
                seq = self.objects.get(key)
                if not isinstance(seq, Sequence) or self.uid_of.get(key) in self.verbatim:
                    continue
                values = []
                for row in tracked:
                    text = row.values.get(self._column_uid(table, column.name), "NULL").strip()
                    if text.lstrip("-").replace(".", "", 1).isdigit():
                        # a numeric value counts by its whole part, as verify reads it
                        values.append(int(Decimal(text)))
                if not values:
                    continue
                last, called = self.sequence_state(seq)
                _, step = self.sequence_numbers(seq)
                upcoming = last + step if called else last
                if step > 0 and upcoming <= max(values):
                    uid = self.uid_of[key]
                    level = uid not in self.explicit
                    if level:
                        self._put(key, attrs.evolve(seq, position=max(values), restart_with=None))
                    origin = self.definer.get(uid)
                    if origin is not None:
                        self._warn(origin, f"sequence {seq.name} is left behind column "
                                   f"{table.name}.{column.name} by the history (it would next "
                                   f"give {upcoming}, but the column holds {max(values)}); the "
                                   "consolidation sets it level with the column once its "
                                   "data is loaded")


_ALL_CONSTRAINTS = re.compile(r"\s*SET\s+CONSTRAINTS\s+ALL\b", re.IGNORECASE)


def _unwrapped(text: str) -> str:
    """``text`` without the parentheses that enclose all of it (``(('x')::e1::text::e2)``,
    what Prisma's ``USING ("v"::text::"E")`` makes of a row's value), as often as they do."""
    from sqlglot.errors import TokenError

    from schemafold.parse.query_syntax import after_group

    while True:
        text = text.strip()
        if not (text.startswith("(") and text.endswith(")")):
            return text
        try:
            tokens = tokenize(text)
        except TokenError:
            return text
        if after_group(tokens, 0) != len(tokens):
            return text  # the first parenthesis closes before the end: (a) || (b)
        text = text[1:-1]


def _quote(column: str) -> str:
    from schemafold.names import quote_ident

    return quote_ident(column)


def _joins(where: str | None) -> bool:
    """Whether an UPDATE or DELETE joins other tables (the parser marks ``FROM`` / ``USING``)."""
    return where is not None and where.lstrip().startswith("/*")


def _given_values(e: ev.Insert, table: Table) -> Iterator[tuple[str, str]]:
    """(column, value text) for each value an ``INSERT ... VALUES`` gives, ``DEFAULT`` aside."""
    names = list(e.columns) if e.columns is not None else [c.name for c in table.columns]
    rows: Iterable[tuple[str, ...]]
    if e.rows is not None:
        rows = e.rows
    elif e.query is not None and e.query.lstrip()[:6].upper() == "VALUES":
        try:
            rows = sql.parse_values(e.query)
        except NotStatic:
            return
    else:
        return
    for row in rows:
        for name, value in zip(names, row, strict=False):
            if value.strip().upper() != "DEFAULT":
                yield name, value


#: what may keep a trigger from firing: a replica session, a trigger disabled
_TRIGGERS_SWITCHED = re.compile(
    r"session_replication_role|\b(?:DISABLE|ENABLE)\s+(?:REPLICA\s+|ALWAYS\s+)?TRIGGER\b",
    re.IGNORECASE)


def _first_new_fields(body: str) -> list[str]:
    """The ``NEW.x`` fields the first statement of a PL/pgSQL body names, when that statement
    is an assignment to ``NEW.x`` or an ``IF`` (its condition, up to ``THEN``); none
    otherwise, or when the body has an ``EXCEPTION`` clause (which may catch the error) or
    declares a variable ``new``."""
    tokens = fragment(body).tokens_or_none()
    if tokens is None:
        return []
    words = [word(t) for t in tokens]
    if "EXCEPTION" in words or "BEGIN" not in words:
        return []
    begin = words.index("BEGIN")
    if "NEW" in words[:begin]:
        return []
    first = begin + 1
    if first >= len(tokens) or words[first] not in ("NEW", "IF"):
        return []
    end = first
    while end < len(tokens) and tokens[end].token_type != TokenType.SEMICOLON and \
            words[end] not in ("THEN", "LOOP"):
        end += 1
    if words[first] == "NEW" and (first + 1 >= end or
                                  tokens[first + 1].token_type != TokenType.DOT):
        return []
    fields = [identifier_of(tokens[i + 2]) for i in range(first, end - 2)
              if words[i] == "NEW" and tokens[i + 1].token_type == TokenType.DOT
              and tokens[i - 1].token_type != TokenType.DOT]
    return [f for f in fields if f is not None]


def _values_count(e: ev.Insert) -> int | None:
    """How many rows an ``INSERT ... VALUES`` inserts (each drawing once from every sequence of
    the columns it leaves out), or None when that is not known."""
    if e.query is not None and e.query.upper().split() == ["DEFAULT", "VALUES"]:
        return 1
    if e.columns is None:
        return None
    if e.rows is not None:
        rows = [list(r) for r in e.rows]
    elif e.query is not None and e.query.lstrip()[:6].upper() == "VALUES":
        try:
            rows = [list(r) for r in sql.parse_values(e.query)]
        except NotStatic:
            return None
    else:
        return None
    if any(v.strip().upper() == "DEFAULT" for row in rows for v in row):
        return None
    return len(rows)


#: ``_row_key`` of a row holding a value neither NULL nor surely comparable there
_UNSURE = "unsure"


def _row_key(row: _Row, column_uids: tuple[int, ...], categories: tuple[str, ...]
             ) -> tuple[Any, ...] | str | None:
    """The values of some columns of ``row`` as a unique index compares them
    (``rows.key_value``); None when one is NULL (a NULL is never equal to another, and a
    foreign key holding one references nothing), ``_UNSURE`` when one is not surely
    comparable."""
    key = []
    null = False
    for column_uid, category in zip(column_uids, categories, strict=True):
        value = row.values.get(column_uid)
        found = sql.key_value(category, value) if value is not None else None
        if found is not None:
            key.append(found)
            continue
        literal = sql.read_literal(value) if value is not None else None
        if literal is None or literal[0] != "null":
            return _UNSURE
        null = True
    return None if null else tuple(key)


def _shown(key: tuple[Any, ...]) -> str:
    """A key's values as PostgreSQL's message shows them."""
    return ", ".join(str(value) for _, value in key)


#: Built-in types a condition that is one column of them is refused for, as PostgreSQL names
#: them (``argument of WHERE must be type boolean, not type integer``).
_CONDITION_TYPES = frozenset({"integer", "bigint", "smallint", "numeric", "text", "json",
                              "jsonb", "date", "uuid", "real", "double precision",
                              "character varying", "timestamp with time zone",
                              "timestamp without time zone"})


def _folded(identifier: object) -> str | None:
    """A sqlglot identifier's name as PostgreSQL reads it (a bare one folded to lower case);
    None for anything else."""
    from sqlglot import exp

    if not isinstance(identifier, exp.Identifier):
        return None
    return identifier.name if identifier.quoted else identifier.name.lower()
