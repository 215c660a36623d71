"""The working state of a fold: identities, lineage, the ledger, name resolution.

Owns: the maps a fold updates while it runs (objects by key, uids that survive renames, what each
statement touched, no-ops, kept statements), resolving names through ``search_path``, the errors
and warnings that name file and line, freezing all of it into a ``FoldResult``, and the dispatch
table from event class to handler (``handlers``, built once per class), plus the checks every
family uses (``_exists`` for ``IF NOT EXISTS``, ``_replace`` for ``OR REPLACE``,
``_require_columns``).

Must not know: what any event kind does (the family mixins ``tables``, ``types``,
``relations``, ``routines``, ``generic``, and ``data``, ``privileges``... own that).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Container, Iterable, Mapping
from collections.abc import Sequence as Seq
from typing import Any, ClassVar

import attrs

from schemafold import events as ev
from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.deferred import DeferredMapping
from schemafold.errors import FoldLimit, InputError, SchemaWarning, printable
from schemafold.fold.notes import DataNotes
from schemafold.fold.sql_body import DataStatement, QueryColumns
from schemafold.fold.store import ObjectStore
from schemafold.fold.type_names import builtin, type_name
from schemafold.implicit_names import choose_name
from schemafold.kinds import RELATIONS, ObjectKey, ObjectKind
from schemafold.lineage import Account, Action, LedgerEntry, LineageEntry, Outcome
from schemafold.model import (
    CompositeType,
    Extension,
    Function,
    KeptStatement,
    Key,
    ModelColumn,
    RangeType,
    Role,
    Row,
    Schema,
    SchemaObj,
    SchemaObject,
    Sequence,
    Table,
    View,
)
from schemafold.names import QName, split_qualified
from schemafold.parse.tokens import (
    TokenType,
    dotted_name,
    has_word,
    identifiers_in,
    tokenize,
    word,
)
from schemafold.pg_extensions import ExtensionObjects, extension_objects

_RELATION_KINDS = RELATIONS
#: The languages every database has (``pg_language`` of a fresh database).
_BUILT_IN_LANGUAGES = frozenset({"sql", "c", "internal", "plpgsql"})
_KIND_OF = {kind.value: kind for kind in ObjectKind}
#: the relation kinds a statement names that PostgreSQL refuses on a relation of another kind,
#: IF EXISTS or not (``_relation_of_another_kind``)
_ONE_RELATION_KIND = frozenset({ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW,
                                ObjectKind.SEQUENCE, ObjectKind.INDEX})
# what a generic statement naming a relation kind may reach (the kinds of the keys it resolves)
_RELATIONS_BY_KIND: dict[ObjectKind | None, tuple[ObjectKind, ...]] = {
    ObjectKind.TABLE: (ObjectKind.TABLE,),
    ObjectKind.VIEW: (ObjectKind.VIEW,),
    ObjectKind.MATERIALIZED_VIEW: (ObjectKind.VIEW,),
    ObjectKind.SEQUENCE: (ObjectKind.SEQUENCE,),
    ObjectKind.INDEX: (ObjectKind.INDEX,),
    # ALTER TABLE's RENAME, OWNER TO, SET SCHEMA: any relation
    ObjectKind.RELATION: (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE),
    # ALTER TABLE / ALTER INDEX ... RENAME: an index too
    ObjectKind.ANY_RELATION: (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE,
                              ObjectKind.INDEX),
    ObjectKind.TYPE: (ObjectKind.TYPE,),
    ObjectKind.DOMAIN: (ObjectKind.TYPE,),
}


@attrs.frozen
class FunctionNames:
    """The names of the history's functions (in any schema) and of its known extensions',
    asked one name at a time: a set of them, built for each check, read every function of
    the history for each statement checked, which made a long history's fold quadratic."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    objects: ObjectStore
    extensions: frozenset[str]

    def __contains__(self, name: object) -> bool:
        return name in self.extensions or self.objects.any_called((ObjectKind.FUNCTION,), name)


@attrs.frozen
class AnyOf:
    """The names in any of ``parts``, asked one name at a time."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    parts: tuple[Container[str], ...]

    def __contains__(self, name: object) -> bool:
        return any(name in part for part in self.parts)


@attrs.frozen
class FoldResult:
    """What folding a history gives: the net schema, lineage, the ledger, warnings."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    schema: Schema
    #: a plain dict, or (after a fold from the incremental cache) a mapping built on first use
    lineage: Mapping[Key, tuple[LineageEntry, ...]]
    ledger: tuple[LedgerEntry, ...]
    warnings: tuple[SchemaWarning, ...]
    #: a tuple, or (after a fold from the incremental cache) a sequence built on first use
    events: Seq[ev.Event] = attrs.field(repr=False, eq=False)
    #: barriers, rules that changed under kept statements, positioned sequences (fold.notes)
    data_notes: DataNotes = attrs.field(factory=DataNotes, eq=False)
    #: (file, line) of the procedural statements run statically (``fold.procedures``): the
    #: parser's "kept verbatim" warnings for them no longer hold
    interpreted: frozenset[tuple[str, int]] = attrs.field(factory=frozenset, eq=False)
    #: why each procedural statement left as a barrier was not run, by (file, line)
    not_interpreted: dict[tuple[str, int], str] = attrs.field(factory=dict, eq=False)
    #: the ``search_path`` the consolidation's files set for themselves (empty: none, they run
    #: under the initial one): the initial path, then the schemas holding extensions that
    #: statements reached through another path (``SET search_path TO public, ext``), since what
    #: those statements named unqualified (a type, a function, an operator class of the
    #: extension) may live there and the fold does not know an extension's contents
    consolidation_search_path: tuple[str, ...] = ()


Handler = Callable[[Any, Any], None]
"""A fold's handler of one event class: ``_apply_<Event>(self, event)``."""


#: kinds of objects whose names are types (a table or view has a row type of its name)
TYPE_NAME_KINDS = ("type", "table", "view")


def handler_table(cls: type) -> dict[type[ev.Event], Handler]:
    """Event class -> the ``_apply_<Event>`` method ``cls`` resolves for it (the most derived
    one, which may defer to the others through ``super()``); event classes ``cls`` has no
    handler for are left out."""
    table: dict[type[ev.Event], Handler] = {}
    for event_class in ev.EVENT_CLASSES:
        handler = getattr(cls, f"_apply_{event_class.__name__}", None)
        if handler is not None:
            table[event_class] = handler
    return table


#: built-in types a condition may be a constant of (``text 'x'``), named as PostgreSQL's
#: errors name them; ``boolean`` is the one a condition may be
_CONSTANT_TYPES = frozenset({"boolean", "integer", "bigint", "smallint", "numeric", "text",
                             "json", "jsonb", "date", "uuid", "real", "double precision"})


_REPLICATION_ROLE = re.compile("replication_role", re.IGNORECASE)
#: Statements that may give a role CREATE on schema public: a grant on a schema or of a role,
#: a role made a superuser or a member, a schema's or a database's owner changed, a DO block.
_MAY_GIVE_CREATE = re.compile(
    r"\s*(?:grant\b(?:(?!\bon\b).)*$|grant\b.*\bschema\b|alter\s+(?:schema|database|role|user|group)\b"
    r"|reassign\b|do\b|create\s+(?:role|user|group)\b.*\b(?:superuser|in|role|admin|user|group)\b)",
    re.IGNORECASE | re.DOTALL)
#: ``INHERIT`` or ``NOINHERIT`` in a role's statement (the group holds ``NO``).
_INHERIT = re.compile(r"(?i)\b(no)?inherit\b")
_GRANT = re.compile(r"(?i)\s*grant\b")
_ALTER_ROLE = re.compile(r"(?i)\s*alter\s+(?:role|user)\b")


def _grants_to(text: str, role: str) -> bool:
    """Whether a ``GRANT ... ON ...`` names ``role`` or ``PUBLIC`` among its grantees (after
    its last ``TO``); a grant of a role's membership (no ``ON``) names none."""
    if re.search(r"(?i)\bon\b", text) is None:
        return False
    grantees = re.split(r"(?i)\bto\b", text)[-1]
    return re.search(r"(?i)\bpublic\b", grantees) is not None or \
        re.search(rf"(?i)(?<![\w$]){re.escape(role)}(?![\w$])", grantees) is not None


#: Aggregates of ``pg_catalog`` no function of the same name without arguments shares (on
#: PostgreSQL 15 and 18): ``sum()`` is refused (``FoldState._check_empty_aggregate_calls``).
_AGGREGATES_WITH_ARGUMENTS = frozenset({
    "count", "sum", "avg", "min", "max", "array_agg", "string_agg", "bool_and", "bool_or",
    "every", "json_agg", "jsonb_agg", "stddev", "variance",
})
#: Functions of ``pg_catalog`` that take an argument in every form (asked of PostgreSQL 15):
#: ``nextval()`` is refused as ``sum()`` is.
_FUNCTIONS_WITH_ARGUMENTS = frozenset({
    "nextval", "currval", "setval", "lower", "upper", "length", "char_length", "replace",
    "substr", "strpos", "split_part", "regexp_replace", "btrim", "ltrim", "rtrim", "lpad",
    "rpad", "concat", "concat_ws", "format", "md5", "encode", "decode", "to_char", "to_date",
    "to_timestamp", "date_trunc", "date_part", "make_date", "age", "abs", "round", "trunc",
    "floor", "ceil", "array_length", "array_to_string", "string_to_array", "unnest",
    "generate_series", "to_json", "to_jsonb", "jsonb_set", "pg_notify", "current_setting",
    "set_config",
})
_EMPTY_AGGREGATE_CALL = re.compile(
    r"(?i)(?:count|sum|avg|min|max|_agg|bool_and|bool_or|every|stddev|variance|"
    + "|".join(sorted(_FUNCTIONS_WITH_ARGUMENTS)) + r")\"?\s*\(\s*(?:/\*[^*]*\*/\s*)*\)")
#: What every call ``_EMPTY_AGGREGATE_CALL`` finds holds: the cheap test before it (a search
#: for it tries each of its names at every character; most statements call nothing with ``()``)
_EMPTY_PARENTHESES = re.compile(r"\(\s*(?:/\*|\))")
#: The ``(`` of each pair of parentheses ``_EMPTY_AGGREGATE_CALL`` finds after a name (only the
#: ``(`` is taken, so that every one is tried), and the names it finds before one, lower case.
_EMPTY_PARENTHESES_AT = re.compile(r"\((?=\s*(?:/\*[^*]*\*/\s*)*\))")
_EMPTY_CALL_NAMES = ("count", "sum", "avg", "min", "max", "_agg", "bool_and", "bool_or",
                     "every", "stddev", "variance", *sorted(_FUNCTIONS_WITH_ARGUMENTS))
_EMPTY_CALL_LONGEST = max(len(name) for name in _EMPTY_CALL_NAMES)


def _finds_empty_call(text: str) -> bool:
    """Whether ``_EMPTY_AGGREGATE_CALL.search(text)`` finds a call: the same answer, from each
    empty pair of parentheses back to the name before it. (A text beyond ASCII is searched: in
    it, ``(?i)`` also takes a few letters beyond ASCII for ASCII ones, ``ſ`` for ``s``.)"""
    if not text.isascii():
        return _EMPTY_AGGREGATE_CALL.search(text) is not None
    for found in _EMPTY_PARENTHESES_AT.finditer(text):
        end = found.start()
        while end and text[end - 1].isspace():
            end -= 1
        if end and text[end - 1] == '"':
            end -= 1
        if text[max(0, end - _EMPTY_CALL_LONGEST):end].lower().endswith(_EMPTY_CALL_NAMES):
            return True
    return False


#: The first words of the statements whose expressions PostgreSQL analyzes when it runs them,
#: and what a CREATE or ALTER statement defines when its expressions are analyzed too.
#: Extensions PostgreSQL ships that create no operator of a name ``pg_catalog`` lacks.
_NO_OPERATORS_ADDED = frozenset({"plpgsql", "pgcrypto", "uuid-ossp", "pg_stat_statements",
                                 "citext", "btree_gin", "btree_gist", "tablefunc", "unaccent"})
_QUERY_STARTS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES"})
_DEFINITIONS_WITH_QUERIES = frozenset({"VIEW", "TABLE", "INDEX"})


class FoldState:
    """The working state of one fold. ``apply`` one event at a time, then ``result()``."""

    #: event class -> handler, built once when a class is created (``__init_subclass__``), so
    #: dispatching is a dictionary lookup; tests/test_dispatch.py checks that ``Folder``'s table
    #: has every event class of ``events.EVENT_CLASSES``, each ``_apply_<Name>`` names one, and
    #: each handler's parameter is annotated with its event class
    handlers: ClassVar[Mapping[type[ev.Event], Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = handler_table(cls)

    def __init__(self, *, search_path: Seq[str] = ("$user", "public")) -> None:
        # what initdb puts in every database: the public schema, and PL/pgSQL (its comment
        # is initdb's; a history may comment on it or grant on its language)
        self.objects = ObjectStore([
            (ObjectKey.of(ObjectKind.SCHEMA, None, "public"),
             SchemaObj(name="public", external=True)),
            (ObjectKey.of(ObjectKind.EXTENSION, None, "plpgsql"),
             Extension(name="plpgsql", schema="pg_catalog",
                                                 comment="PL/pgSQL procedural language",
                                                 external=True)),
        ])
        self.rows: dict[Key, tuple[Row, ...]] = {}
        self.kept: list[KeptStatement] = []
        #: identity and serial columns (table, column) that statements kept verbatim made
        self.kept_identities: list[tuple[QName, str]] = []
        #: roles named that neither the setup nor the history creates, warned about once each
        self.server_roles_noted: set[str] = set()
        #: per kept statement (ordinal), the objects (uids) it may change: KeptStatement.touches
        self.kept_touches: dict[int, list[int]] = {}
        self.default_privileges: list[str] = []
        #: objects (uids) a kept statement renamed or moved: ``Schema.metadata_before_kept``
        self.renamed_when_kept: set[int] = set()
        self.search_path: tuple[str, ...] = tuple(search_path)
        self.warnings: list[SchemaWarning] = []
        self.kept_warnings: list[tuple[ev.Origin, SchemaWarning]] = []
        self.events: list[ev.Event] = []
        self.external = False
        self.ordinal = 0
        # identities: every object and column gets a uid that survives renames
        self._next_uid = 0
        self.uid_of: dict[Key, int] = {}
        self.key_of: dict[int, Key] = {}
        self.dropped_by: dict[int, ev.Origin] = {}
        self.lineage: dict[int, list[LineageEntry]] = {}
        #: ``result()`` builds ``FoldResult.lineage`` on first use (the incremental cache sets
        #: it on a restored fold, whose lineage it reads back only when asked; its ``events``
        #: are then ``cache.Events``, which build ``FoldResult.events`` on first use too)
        self.lineage_deferred = False
        #: the statement count when nextval or setval last moved each sequence: a rollback
        #: does not undo it (PostgreSQL 15: setval('s', 2, false) in a savepoint rolled back
        #: still gives 2 next, where ALTER SEQUENCE ... RESTART is undone)
        self.sequences_set_at: dict[Key, int] = {}
        # the ledger, per statement
        self.statements: list[ev.Origin] = []
        self.touched: dict[ev.Origin, list[int]] = {}
        self.noop: dict[ev.Origin, str] = {}
        #: the statement whose remaining events are skipped: ALTER TABLE IF EXISTS of a
        #: relation that does not exist
        self.skipped_statement: ev.Origin | None = None
        #: no-ops that are transaction control (BEGIN, COMMIT, savepoints), by origin
        self.transaction_noops: dict[ev.Origin, None] = {}
        self.kept_origins: set[ev.Origin] = set()
        self.as_written: set[ev.Origin] = set()  # emitted as written outside ``kept``
        self.replaced_by: dict[ev.Origin, ev.Origin] = {}
        self.definer: dict[int, ev.Origin] = {}
        # data on tables: statements kept verbatim per table uid, whether a table may have rows
        self.data_statements: dict[int, list[ev.Origin]] = {}
        self.has_rows: set[int] = set()
        # ALTER DEFAULT PRIVILEGES rules, with the role that ran each (None: the migrating role)
        self.default_acl: list[tuple[ev.DefaultPrivileges, str | None]] = []
        #: roles the history dropped, as they were then (by name, the last one dropped)
        self.dropped_roles: dict[str, Role] = {}
        self.any_inheritance = False  # a table INHERITS another: changes may propagate
        self.drop_targets: tuple[QName, ...] = ()  # the names the DROP being folded lists
        self.creator: dict[int, str] = {}  # uid -> the role (SET ROLE) that created it
        self.baseline: dict[Key, SchemaObject] = {}  # external objects when the history began
        self.external_uids: set[int] = set()
        self._changes_external = False  # the statement being applied changes a setup object
        #: the first opaque statement: from there on, what the fold knows of the catalog may be
        #: short of what PostgreSQL has, so "does not exist" may be the fold's blind spot
        self.uncertain_after: ev.Origin | None = None
        #: the names of the temporary sequences the history made (not modelled: gone with the
        #: session), which an unqualified name may still mean while it lasts
        self.temporary_sequences: set[str] = set()
        #: the first opaque statement that may have made a language (``CREATE LANGUAGE``, an
        #: extension, SQL run from a string, a routine not PostgreSQL's own): from there on a
        #: routine's language the fold does not know may exist (``_may_make_a_language``)
        self.languages_unknown_after: ev.Origin | None = None
        #: every search_path a statement was folded under, in the order first met
        self.paths_seen: dict[tuple[str, ...], None] = {}
        #: a statement so far named ``session_replication_role`` (``SET``, ``set_config``, a
        #: body): in ``replica`` PostgreSQL fires no trigger, and checks no foreign key
        self.replication_role_named = False
        self.initial_search_path: tuple[str, ...] = self.search_path
        self._setup_session()

    def apply(self, event: ev.Event) -> None:
        origin = event.origin
        if not self.statements or self.statements[-1] is not origin:
            self._statement_started(origin)
            self._check_prefix_operators(origin)
            self._check_not_strings(origin)
            self._check_empty_aggregate_calls(origin)
            if not self.replication_role_named and _REPLICATION_ROLE.search(origin.text):
                self.replication_role_named = True
            self.statements.append(origin)
            self.touched.setdefault(origin, [])
            self.ordinal += 1
        self.events.append(event)
        if self.skipped_statement is origin:
            return  # ALTER TABLE IF EXISTS of a relation that does not exist (TableIfExists)
        if self._transaction_control(event):
            return  # a transaction, savepoint or role statement (``transactions``)
        self._changes_external = False
        if isinstance(event, ev.CreateTable | ev.AddColumn):
            self._check_null_conflicts(event)
        if self._intercept(event):
            return  # kept verbatim (after an opaque statement that may have changed its object)
        self._handle(event)
        self.paths_seen.setdefault(self.search_path)
        self._applied(event)
        if self._changes_external and not isinstance(event, ev.SetOwner) \
                and origin not in self.kept_origins:
            # owners, comments and grants of a setup object are rendered as changes; anything
            # else the history does to it is kept as written, in order
            self._warn(origin, "changes an object from the setup (external); kept verbatim")
            self._keep(origin, ())

    def _check_null_conflicts(self, event: ev.CreateTable | ev.AddColumn) -> None:
        """A column with NULL written that is NOT NULL too (``id int NOT NULL NULL``, ``id
        serial NULL``, an identity): PostgreSQL's ``conflicting NULL/NOT NULL declarations``
        when it makes the column (15 and 18), checked before the statement may be kept
        verbatim. Under ``IF NOT EXISTS`` (or ``ALTER TABLE IF EXISTS``) PostgreSQL skips the
        statement when the table (or the column) is there, without reading the columns:
        refused then only while the fold knows every relation and has none of the name."""
        columns = event.columns if isinstance(event, ev.CreateTable) else (event.column,)
        conflict = next((c for c in columns if c.null_conflict), None)
        if conflict is None:
            return
        if isinstance(event, ev.CreateTable):
            table_name = event.name
            if event.if_not_exists and (not self._relations_current() or self._resolve(
                    event.name, (*RELATIONS, ObjectKind.TYPE)) is not None):
                return
        else:
            table_name = event.table
            guarded = event.if_not_exists or any(  # the statement's events are the last ones
                isinstance(e, ev.TableIfExists) for e in itertools.takewhile(
                    lambda e: e.origin is event.origin, reversed(self.events)))
            if guarded:
                key = self._resolve(event.table, (ObjectKind.TABLE,))
                table = self.objects.get(key) if key is not None else None
                if not self._relations_current() or not isinstance(table, Table) or \
                        table.column(conflict.name) is not None:
                    return
        raise self._error(event.origin, "conflicting NULL/NOT NULL declarations for column "
                          f'"{conflict.name}" of table "{table_name.name}"')

    def _handle(self, event: ev.Event) -> None:
        """Fold ``event`` by its class's handler (``handlers``)."""
        handler = self.handlers.get(type(event))
        if handler is None:
            raise TypeError(f"{type(self).__name__} has no handler for "
                            f"{type(event).__name__} events")
        handler(self, event)

    def setup_done(self) -> None:
        """The setup is folded: what follows is the history; external objects as they are
        now are the baseline their later changes are rendered against."""
        self.external = False
        self.baseline = {k: o for k, o in self.objects.items() if o.external}
        # what the setup kept verbatim (CREATE PUBLICATION, a DO block) exists where the
        # consolidation runs, as the rest of the setup does: it is not written again, and no
        # warning says it is
        at = {(printable(k.file), k.line) for k in self.kept}
        self.warnings = [w for w in self.warnings if (w.file, w.line) not in at
                         or not w.message.startswith(("kept verbatim", "data statement kept"))]
        self.kept.clear()

    # Hooks for sessions and transactions (``transactions.TransactionFolding``).

    def _setup_session(self) -> None:
        """Set up the session state (called once, at the end of ``__init__``)."""

    def _statement_started(self, origin: ev.Origin) -> None:
        """A new statement begins (before it is recorded)."""

    def _check_prefix_operators(self, origin: ev.Origin) -> None:
        """An operator written as a prefix that no prefix operator has (``payload -> -> 'ref'``
        in an index, a view, a default or a check): PostgreSQL looks it up when it creates the
        object (``operator does not exist: -> unknown``); so is an operator whose name, as
        PostgreSQL's scanner reads it, no operator of ``pg_catalog`` has (``a <>*/ b``,
        ``SELECT | 1``: ``query_syntax.operator_name_error``), and ``-`` before a string alone
        (``VALUES (3, - 'bob')``: ``operator is not unique: - unknown``, judged with no
        extension but ``_NO_OPERATORS_ADDED``; ``query_syntax.minus_string_error``). Checked
        in ``CREATE`` and ``ALTER`` statements, queries and data statements (a function's body
        is a string, not read here) while the fold knows every operator: nothing kept
        verbatim so far (``CREATE OPERATOR`` is), and no extension but those PostgreSQL ships
        (``query_syntax.PREFIX_OPERATORS`` has theirs; a binary operator's name is judged
        only with none but ``_NO_OPERATORS_ADDED``)."""
        from schemafold.parse.query_syntax import (
            may_hold_a_minus_string,
            may_hold_a_prefix_operator,
            may_hold_an_unknown_operator,
            minus_string_error,
            operator_name_error,
            prefix_operator_error,
        )

        text = origin.text
        apart = may_hold_a_prefix_operator(text)
        named = may_hold_an_unknown_operator(text)
        minus = may_hold_a_minus_string(text)
        if not apart and not named and not minus:
            return  # nothing to read (most statements)
        head = text[:80].upper().split(None, 4)[:4]
        if not head or head[0] not in ("CREATE", "ALTER", *_QUERY_STARTS) or \
                "OPERATOR" in head or "AGGREGATE" in head or self.uncertain_after is not None \
                or self._extension_objects() is None:
            return  # CREATE AGGREGATE ... (SORTOP = >) names an operator
        from schemafold.fragment import fragment

        tokens = fragment(text).tokens_or_none()
        if not tokens or has_word(tokens, "OPERATOR"):
            return  # OPERATOR(s.+) names an operator
        found = prefix_operator_error(tokens) if apart else None
        shipped = all(key[-1] in _NO_OPERATORS_ADDED
                      for key in self.objects.keys_of_kind(ObjectKind.EXTENSION))
        if found is None and named:
            found = operator_name_error(text, tokens, binary=shipped)
        if found is None and minus and shipped:
            found = minus_string_error(tokens)
        if found is not None:
            raise self._error(origin, found[0])

    def _check_not_strings(self, origin: ev.Origin) -> None:
        """``NOT 'text'`` with text PostgreSQL's boolean input refuses (``NOT 'ref'``): the
        constant is read when the statement is analyzed (``query_syntax.not_string_error``).
        A function's or a ``DO`` block's body is one string, not read here."""
        from schemafold.parse.query_syntax import may_hold_not_string, not_string_error

        text = origin.text
        if not may_hold_not_string(text):
            return
        from schemafold.fragment import fragment

        tokens = fragment(text).tokens_or_none()
        found = not_string_error(text, tokens) if tokens else None
        if found is not None:
            raise self._error(origin, found[0])

    def _check_empty_aggregate_calls(self, origin: ev.Origin) -> None:
        """An aggregate of ``pg_catalog`` called with no argument (``sum()``, ``count()``), or
        a function that takes one in every form (``nextval()``, :data:`_FUNCTIONS_WITH_ARGUMENTS`):
        no function of that name takes none, so PostgreSQL refuses the call when it analyzes the
        statement (``function sum() does not exist``; for ``count()``: ``count(*) must be used
        to call a parameterless aggregate function``). Judged in queries, data statements and
        the definitions of views, tables and indexes (elsewhere ``sum()`` may be a routine's
        signature: ``DROP FUNCTION IF EXISTS sum()``), while the fold knows every function the
        call may find: nothing kept verbatim so far, no unknown extension, none of that name
        in the history, and every schema on search_path known (or ``pg_catalog.`` written).
        A function's or a ``DO`` block's body is one string, not read here."""
        text = origin.text
        # the statement's first words first: a routine's or a DO block's text, which holds
        # "()" most often, is left at them, before the searches (that of the names tries each
        # name at every character)
        head = text[:80].upper().split(None, 5)
        if not head or not (head[0] in _QUERY_STARTS or head[0] in ("CREATE", "ALTER") and any(
                w in _DEFINITIONS_WITH_QUERIES for w in head[1:])):
            return
        if _EMPTY_PARENTHESES.search(text) is None or not _finds_empty_call(text):
            return
        if self.uncertain_after is not None or self._extension_objects() is None:
            return
        from schemafold.fragment import fragment
        from schemafold.parse.tokens import identifier_of

        tokens = fragment(text).tokens_or_none() or ()
        functions = self._function_names()
        path = [s for s in self.search_path if s not in ("pg_catalog", "$user")]
        path_known = all(ObjectKey.of(ObjectKind.SCHEMA, None, s) in self.objects for s in path)
        for i in range(len(tokens) - 2):
            name = identifier_of(tokens[i])
            if name not in _AGGREGATES_WITH_ARGUMENTS and \
                    name not in _FUNCTIONS_WITH_ARGUMENTS or name in functions or \
                    tokens[i + 1].token_type != TokenType.L_PAREN or \
                    tokens[i + 2].token_type != TokenType.R_PAREN:
                continue
            written = name
            if i >= 1 and tokens[i - 1].token_type in (TokenType.DOT, TokenType.DCOLON):
                if tokens[i - 1].token_type == TokenType.DCOLON or i < 2 or \
                        identifier_of(tokens[i - 2]) != "pg_catalog" or \
                        (i >= 3 and tokens[i - 3].token_type == TokenType.DOT):
                    continue
                written = f"pg_catalog.{name}"
            elif not path_known:
                continue
            if name == "count":
                raise self._error(origin, f"{written}(*) must be used to call a parameterless "
                                  "aggregate function")
            raise self._error(origin, f"function {written}() does not exist")

    def _transaction_control(self, event: ev.Event) -> bool:
        """True when ``event`` is a session or transaction statement handled by the hook."""
        return False

    def _enum_value_added(self, type_key: Key, label: str, origin: ev.Origin) -> None:
        """An enum value was added (usable only once its transaction commits)."""

    def _finish(self) -> None:
        """The history ends."""

    def _pin(self, text: str | None) -> str | None:
        """An expression as the consolidation must write it (``transactions``)."""
        return text

    def _pin_type(self, text: str) -> str:
        """A type name as the consolidation must write it (``transactions``)."""
        return text

    def _final_objects(self, objects: dict[Key, SchemaObject]) -> dict[Key, SchemaObject]:
        """The objects of the net schema as they are rendered (names qualified where the
        consolidation's ``search_path`` would resolve them elsewhere)."""
        return objects

    def _interpreted(self) -> Iterable[ev.Origin]:
        """Hook (``procedures``): the statements run statically."""
        return ()

    def _not_interpreted(self) -> dict[ev.Origin, str]:
        """Hook (``procedures``): why procedural statements were not run, each."""
        return {}

    def _intercept(self, event: ev.Event) -> bool:
        """Hook (``data``): True when ``event`` is kept verbatim instead of folded."""
        return False

    def _applied(self, event: ev.Event) -> None:
        """Hook (``data``): after ``event`` changed the schema (tracked rows follow it)."""

    def _identity_sequence_of(self, table: Table, column: str) -> Sequence | None:
        """The sequence of ``table``'s identity column ``column``."""
        for _, sequence in self.objects.of_type(Sequence):
            if isinstance(sequence, Sequence) and sequence.identity and \
                    sequence.owned_by == (table.name, column):
                return sequence
        return None

    def _keep_unmodelled(self, origin: ev.Origin, reason: str, names: Iterable[QName] = ()
                         ) -> None:
        """Hook (``verbatim``): keep ``origin``, which PostgreSQL applies but the model cannot
        carry, verbatim with a warning, as an opaque statement."""
        raise self.fold_limit(origin, reason)

    def _kept_for_a_policy(self, origin: ev.Origin, doing: str, table: Table,
                           column: str | None, names: Iterable[QName]) -> bool:
        """Hook (``relations``): when a policy reads ``table`` (its ``column``), keep
        ``origin`` verbatim (``doing`` it "is not modelled": the fold does not rewrite a
        policy's expressions) and say True."""
        return False

    def _check_body_calls(self, statement: str, origin: ev.Origin, routine: str) -> None:
        """Hook (``tables``): a statement of a SQL body, analyzed when the routine is created,
        calling a function that exists nowhere (the ``routine`` itself exists: it may call
        itself) where the call is an operand."""

    def mark_noop(self, origin: ev.Origin, reason: str) -> None:
        """A statement that produced no events (e.g. an empty DO block) still gets an entry."""
        self.statements.append(origin)
        self.touched.setdefault(origin, [])
        self.noop[origin] = reason

    def result(self) -> FoldResult:
        self._finish()
        withdrawn = {id(w) for origin, w in self.kept_warnings if origin in self.replaced_by}
        objects = dict(self.objects)
        for uid, role in self.creator.items():
            key = self.key_of.get(uid)
            obj = objects.get(key) if key is not None else None
            if obj is not None and obj.owner is None and key is not None:
                objects[key] = attrs.evolve(obj, owner=role)
        objects = self._final_objects(objects)
        objects.update(self._roles_named_by_kept(objects))
        schema = Schema(
            objects=objects,
            rows=dict(self.rows),
            kept=tuple(self._kept_with_touches(objects)),
            default_privileges=tuple(self.default_privileges),
            external_baseline=dict(self.baseline),
            metadata_before_kept=self._metadata_anchors(objects),
            kept_identities=tuple(dict.fromkeys(self.kept_identities)),
        )
        return FoldResult(
            schema=schema,
            lineage=DeferredMapping(self._final_lineage) if self.lineage_deferred else
            self._final_lineage(),
            ledger=tuple(self._ledger()),
            warnings=tuple(w for w in self.warnings if id(w) not in withdrawn),
            events=(tuple(self.events) if type(self.events) is list
                    else self.events.frozen()),  # type: ignore[attr-defined]
            interpreted=frozenset((o.file, o.line) for o in self._interpreted()),
            not_interpreted={(o.file, o.line): why for o, why in self._not_interpreted().items()},
            consolidation_search_path=self._consolidation_search_path(objects),
        )

    def _metadata_anchors(self, objects: Mapping[Key, SchemaObject]) -> dict[Key, int]:
        """``Schema.metadata_before_kept``: for each object a kept statement renamed or moved,
        the first kept statement after the last statement the fold followed on it (or on its
        columns), which its comments, owner and grants are written before."""
        if not self.renamed_when_kept:
            return {}
        ordinal_of = {origin: i + 1 for i, origin in enumerate(self.statements)}
        kept = sorted(k.ordinal for k in self.kept if not k.data)
        anchors: dict[Key, int] = {}
        for uid in sorted(self.renamed_when_kept):
            key = self.key_of.get(uid)
            obj = objects.get(key) if key is not None and uid not in self.dropped_by else None
            if key is None or obj is None:
                continue
            uids = [uid]
            if isinstance(obj, Table):
                uids += [u for c in obj.columns
                         if (u := self.uid_of.get(self._column_key(obj, c.name))) is not None]
            last = max((ordinal_of.get(entry.origin, 0) for u in uids
                        for entry in self.lineage.get(u, [])
                        if entry.origin not in self.kept_origins), default=0)
            anchor = next((k for k in kept if k > last), None)
            if anchor is not None:
                anchors[key] = anchor
        return anchors

    def _roles_named_by_kept(self, objects: Mapping[Key, SchemaObject]) -> dict[Key, Role]:
        """Roles the history dropped that a statement kept verbatim names (``GRANT ... ON
        DATABASE``, ``DROP OWNED BY``), or that the statements creating another role the
        consolidation creates name (``IN ROLE``): the consolidation creates them too, and drops
        them at its end (``Role.dropped``). The history dropped them, so PostgreSQL found them
        holding nothing then; the fold forgot what it still gave them (``_forget_role``)."""
        texts = [k.text for k in self.kept] + [t for obj in objects.values()
                                                if isinstance(obj, Role) for t in obj.statements]
        needed: dict[Key, Role] = {}
        while texts:
            named = {n for text in texts for n in identifiers_in(text)}
            texts = []
            for name in sorted(named):
                role = self.dropped_roles.get(name)
                key: Key = ObjectKey.of(ObjectKind.ROLE, None, name)
                if role is None or key in objects or key in needed:
                    continue
                needed[key] = attrs.evolve(role, dropped=True)
                texts.extend(role.statements)
        return needed

    def _consolidation_search_path(self, objects: Mapping[Key, SchemaObject]
                                   ) -> tuple[str, ...]:
        holding = {o.schema for o in objects.values() if isinstance(o, Extension) and o.schema}
        reached = [s for path in self.paths_seen for s in path
                   if s in holding and s not in self.initial_search_path]
        if not reached:
            return ()
        return (*self.initial_search_path, *dict.fromkeys(reached))

    def _created(self, key: Key, origin: ev.Origin, account: Account | ev.Event) -> int:
        uid = self._next_uid
        self._next_uid += 1
        self.uid_of[key] = uid
        self.key_of[uid] = key
        self.definer[uid] = origin
        if self.external:
            self.external_uids.add(uid)
        owner = self._owner()
        if owner is not None:
            self.creator[uid] = owner
        self._record(uid, Action.CREATED, origin, account)
        return uid

    def _tell(self, uid: int, action: Action, origin: ev.Origin,
              account: Account | ev.Event) -> None:
        """Add to an object's lineage only: the statement's ledger entry stays what it is (a
        no-op, a statement kept verbatim). ``account``: what happened (an event stands for its
        own account, ``Account.of``)."""
        if isinstance(account, ev.Event):
            account = Account.of(account)
        self.lineage.setdefault(uid, []).append(LineageEntry(action, origin, account))

    def _record(self, uid: int, action: Action, origin: ev.Origin,
                account: Account | ev.Event) -> None:
        if uid in self.external_uids and not self.external and action not in (
                Action.COMMENTED, Action.GRANTED):
            self._changes_external = True
        self._tell(uid, action, origin, account)
        touched = self.touched.setdefault(origin, [])
        if uid not in touched:
            touched.append(uid)

    def _touch(self, key: Key, origin: ev.Origin, action: Action,
               account: Account | ev.Event) -> None:
        uid = self.uid_of.get(key)
        if uid is not None:
            self._record(uid, action, origin, account)

    def _rekey(self, old: Key, new: Key) -> None:
        uid = self.uid_of.pop(old, None)
        if uid is not None:
            self.uid_of[new] = uid
            self.key_of[uid] = new

    def _dropped(self, key: Key, origin: ev.Origin, account: Account | ev.Event) -> None:
        uid = self.uid_of.pop(key, None)
        if uid is not None:
            self._record(uid, Action.DROPPED, origin, account)
            self.dropped_by[uid] = origin
            for statement in self.data_statements.pop(uid, []):
                self.replaced_by.setdefault(statement, origin)
            self.has_rows.discard(uid)

    def _error(self, origin: ev.Origin, message: str) -> InputError:
        return InputError(message, file=origin.file, line=origin.line, text=origin.text)

    def fold_limit(self, origin: ev.Origin, message: str, *, cut: str | None = None
                   ) -> FoldLimit:
        """What the fold cannot follow at ``origin`` although PostgreSQL may accept it;
        ``cut``: the file from which the history must be kept as written (default: origin's)."""
        after = self.uncertain_after.where() if self.uncertain_after is not None else None
        return FoldLimit(message, file=origin.file, line=origin.line, text=origin.text,
                         after=after, cut=cut)

    def _warn(self, origin: ev.Origin, message: str) -> None:
        self.warnings.append(
            SchemaWarning(message, file=origin.file, line=origin.line, text=origin.text)
        )

    def _warn_kept(self, origin: ev.Origin, message: str) -> None:
        """A warning that a statement is kept verbatim: withdrawn if a later statement
        supersedes it (a TRUNCATE of the rows it inserted), since it is not emitted then."""
        self._warn(origin, message)
        self.kept_warnings.append((origin, self.warnings[-1]))

    def _require_schema(self, schema: str, origin: ev.Origin) -> None:
        """PostgreSQL looks a named schema up first, and refuses one that does not exist."""
        if ObjectKey.of(ObjectKind.SCHEMA, None, schema) not in self.objects:
            raise self._error(origin, f'schema "{schema}" does not exist')

    def _creation_schema(self, name: QName, origin: ev.Origin) -> str:
        if name.schema is not None:
            self._require_schema(name.schema, origin)
            self._check_public_creation(name.schema, origin)
            return name.schema
        for schema in self.search_path:
            if ObjectKey.of(ObjectKind.SCHEMA, None, schema) in self.objects:
                self._check_public_creation(schema, origin)
                return schema
        raise self._error(origin, "no schema has been selected to create in")

    def _check_public_creation(self, schema: str, origin: ev.Origin) -> None:
        """Creating in schema ``public`` under ``SET ROLE`` (or ``SET SESSION AUTHORIZATION``)
        a role the history created, with nothing in the history that may give it ``CREATE``
        there (a grant on a schema, a membership, ``SUPERUSER``, a database's or the
        schema's owner changed): PostgreSQL 15 refuses it (``permission denied for schema
        public``), but a cluster upgraded from 14 keeps public's old privileges and takes
        it. Which one the history runs on the fold cannot know: a limit, the history kept
        as written from here."""
        role = self._owner()
        if schema != "public" or role is None:
            return
        made = self.objects.get(ObjectKey.of(ObjectKind.ROLE, None, role))
        if not isinstance(made, Role) or made.external:
            return
        # NOINHERIT at any time: from 16 a membership keeps the inherit option its grant was
        # made with (the member's INHERIT then), so a later ALTER ROLE ... INHERIT may not help
        inherits = not any(no for text in made.statements for no in _INHERIT.findall(text))
        for earlier in self.statements:
            if earlier is origin or not _MAY_GIVE_CREATE.match(earlier.text):
                continue
            if not inherits and _GRANT.match(earlier.text) and not _grants_to(earlier.text,
                                                                              role):
                # a NOINHERIT role has no privilege of a role it is a member of: only a
                # grant to it or to PUBLIC may give it CREATE
                continue
            if not inherits and _ALTER_ROLE.match(earlier.text) and \
                    _INHERIT.search(earlier.text) and "superuser" not in earlier.text.lower():
                continue  # INHERIT again: from 16 its memberships keep their grants' option
            return
        raise self.fold_limit(origin, f"role {role} may not create in schema public: PostgreSQL "
                              "15 refuses it (permission denied for schema public), unless the "
                              "cluster was upgraded from 14 and keeps public's old privileges")

    def _resolve(self, name: QName, kinds: Iterable[str]) -> Key | None:
        kinds = tuple(kinds)
        schemas = [name.schema] if name.schema is not None else list(self.search_path)
        for schema in schemas:
            for kind in kinds:
                if (kind, schema, name.name) in self.objects:  # the plain tuple: a key's equal
                    return ObjectKey.of(kind, schema, name.name)
        return None

    def _dropped_too(self, key: Key) -> bool:
        """Whether the DROP being folded names ``key`` too (``DROP TABLE parent, child``: what
        depends on the first goes with the statement, as PostgreSQL drops them together)."""
        return any(self._resolve(name, (key.kind,)) == key for name in self.drop_targets)

    def _relation(self, name: QName, origin: ev.Origin, kinds: Iterable[str] = (ObjectKind.TABLE,),
                  *, missing_ok: bool = False) -> Key | None:
        key = self._resolve(name, kinds)
        if key is None and not missing_ok:
            kind = "/".join(kinds)
            raise self._error(origin, f'{kind} "{name}" does not exist'
                              + self._search_path_hint(name))
        return key

    def _check_type_exists(self, type_text: str, origin: ev.Origin) -> None:
        """A column's type must exist: PostgreSQL's built-in types (``fold.type_names``), or a type,
        domain, table or view the history (or a setup file) created, in any schema (search_path
        is not followed: only a name nothing has is refused). Not checked once an extension is
        created that PostgreSQL does not ship (the fold does not know its types; a shipped
        one's are known, ``pg_extensions``) or after a statement kept verbatim (it may have
        created the type); a type in a schema the fold does not know is not checked either."""
        name = type_name(type_text)
        if name is not None:
            self._check_type_name_exists(name, origin)

    def _check_type_name_exists(self, name: QName, origin: ev.Origin) -> None:
        """:meth:`_check_type_exists` for a name already read."""
        if self.uncertain_after is not None:
            return
        extensions = self._extension_objects()
        if extensions is None or name.name in extensions.types:
            return
        if name.schema is not None and name.schema != "pg_catalog" and \
                ObjectKey.of(ObjectKind.SCHEMA, None, name.schema) not in self.objects:
            return
        if (name.schema in (None, "pg_catalog") and builtin(name.name)) or \
                name.schema == "pg_catalog":
            return
        for kind in TYPE_NAME_KINDS:
            for key in self.objects.keys_of_kind(kind):
                if key.name == name.name and (name.schema is None or key.schema == name.schema):
                    return
        if "multirange" in name.name and self.objects.keys_of_kind("type"):
            return  # a range type's multirange (named by CREATE TYPE's options)
        for key in self.objects.keys_of_kind(ObjectKind.TYPE):
            obj = self.objects[key]
            if isinstance(obj, RangeType) and (named := _multirange_name(obj.options)) and \
                    named[-1] == name.name and name.schema in (
                        None, named[0] if len(named) > 1 else obj.name.schema):
                return  # multirange_type_name = s.rng_multi (unqualified: the range's schema)
        written = f"{name.schema}.{name.name}" if name.schema else name.name
        raise self._error(origin, f'type "{written}" does not exist'
                          + self._search_path_hint(name))

    def _extension_objects(self) -> ExtensionObjects | None:
        """What the history's extensions create, or None when one of them may create anything
        (it is not one PostgreSQL ships, ``pg_extensions``, or is created at a version of its
        own)."""
        extensions = [self.objects[key] for key in self.objects.keys_of_kind(ObjectKind.EXTENSION)]
        if any(isinstance(e, Extension) and e.version for e in extensions):
            return None  # a version of its own: its objects may differ from the default's
        return extension_objects(e.name for e in extensions if isinstance(e, Extension))

    def _search_path_hint(self, name: QName) -> str:
        """For an unqualified name not found: where it was looked for, and how to say more."""
        if name.schema is not None:
            return ""
        path = ", ".join(self.search_path) or "(empty)"
        return (f" (looked for in search_path {path}; if it lives elsewhere or comes from "
                "outside the history, give --search-path or --setup)")

    def _check_relations_read(self, query: str | None, origin: ev.Origin) -> None:
        """The relations a query reads by name (a view's, an INSERT's) must exist, as
        PostgreSQL's analysis finds when it runs the statement: checked only while the fold
        knows the whole catalog (no statement kept verbatim so far, no extension that may
        create relations: ``pg_extensions``),
        for a qualified name in a schema the history or a setup file created, and for an
        unqualified name no schema has at all (pg_ names and WITH names left alone; every
        schema on search_path must be known)."""
        from schemafold.fragment import fragment
        from schemafold.parse.query_syntax import from_relations

        if not query or not self._catalog_known():
            return
        for parts, _token in from_relations(fragment(query).tokens):
            self._check_relation_named(parts[0] if len(parts) == 2 else None, parts[-1], origin)

    def _check_language_exists(self, language: str, origin: ev.Origin) -> None:
        """A language a routine or a DO block is written in must exist (``language "plpg"
        does not exist``). Every database has sql, c, internal and plpgsql; any other comes
        from ``CREATE LANGUAGE`` (kept verbatim) or an extension (plperl, plpython3u, plv8:
        none PostgreSQL ships in ``pg_extensions``), so one is refused only while every
        extension is one the fold knows and no statement kept verbatim may have made one
        (``languages_unknown_after``: a DO block that only checks the catalog and raises
        makes none; after one, the refusal is a fold limit, as any is), and a language named
        as an extension the history created is taken as that extension's."""
        if language in _BUILT_IN_LANGUAGES or self.languages_unknown_after is not None or \
                self._extension_objects() is None or \
                ObjectKey.of(ObjectKind.EXTENSION, None, language) in self.objects:
            return
        raise self._error(origin, f'language "{language}" does not exist')

    def _catalog_known(self) -> bool:
        """Whether the fold knows every relation there is: no statement kept verbatim so
        far, no extension that may create relations (``pg_extensions``: of those PostgreSQL
        ships, only pg_stat_statements and pg_buffercache do); the preconditions of the checks
        that refuse a name nothing has."""
        if self.uncertain_after is not None:
            return False
        extensions = self._extension_objects()
        return extensions is not None and not extensions.relations

    def _check_not_temporary(self, name: str, origin: ev.Origin) -> None:
        """An unqualified name no relation of the model has, that of a temporary sequence the
        history made (``CREATE TEMP SEQUENCE``, not modelled: gone with its session): while
        that lasts PostgreSQL finds it (a view reading it becomes temporary), and the fold
        cannot write what names it; the history is kept as written from here (a fold limit,
        never a refusal)."""
        if name in self.temporary_sequences:
            raise self.fold_limit(origin, f'"{name}" may name a temporary sequence, which the '
                                  "fold does not model")

    def _check_relation_named(self, schema: str | None, name: str, origin: ev.Origin) -> None:
        """A relation a statement reads or changes by name must exist, under the conditions
        of ``_check_relations_read`` (which the caller checked: ``_catalog_known``)."""
        if schema is not None:
            if schema in ("pg_catalog", "information_schema") or \
                    ObjectKey.of(ObjectKind.SCHEMA, None, schema) not in self.objects or \
                    self._namespace_taken(schema, name):
                return
            raise self._error(origin, f'relation "{schema}.{name}" does not exist')
        kinds = (*_RELATION_KINDS, ObjectKind.TYPE)
        path = [s for s in self.search_path if s not in ("pg_catalog", "$user")]
        if name.startswith("pg_") or any(
                ObjectKey.of(ObjectKind.SCHEMA, None, s) not in self.objects for s in path) or \
                self.objects.any_called(kinds, name):
            return
        self._check_not_temporary(name, origin)
        raise self._error(origin, f'relation "{name}" does not exist'
                          + self._search_path_hint(QName(None, name)))

    def _check_query_columns(self, query: str, origin: ev.Origin,
                             accepted: frozenset[str] = frozenset(), *,
                             own_row: bool = False) -> None:
        """The columns a view's query names must exist, as PostgreSQL's analysis finds when it
        creates the view, in any query shape sqlglot reads (joins with aliases, ``t.c``,
        subqueries in FROM and in expressions, CTEs, GROUP BY and ORDER BY by output name).
        Refused only where the name's resolution is certain, under the preconditions of
        ``_check_view_names`` (the whole catalog known): ``t.c`` where ``t`` is a FROM
        item of this query or an enclosing one whose columns are known and have no ``c``
        (``column t.c does not exist``), and a bare ``c`` that no FROM item of this query and
        the enclosing ones has, when every one of them has known columns (``column "c" does
        not exist``). Known columns: a table's or view's the fold has (found by a qualified
        name in a known schema, or unqualified when exactly one relation anywhere has the
        name, or several do and search_path finds one for certain, ``_on_search_path``;
        ``pg_`` names are the catalog's), a subquery's or CTE's select list of column
        references and aliases, renamed by a column alias list. Anything else (a function in
        FROM, VALUES, LATERAL, a select item without a name, a text sqlglot cannot read) makes
        the names it could supply unknown, and they are not checked. ``accepted``: names that
        are not columns but may be written as one (a SQL function's parameters). ``own_row``:
        the query reads one table whose columns are certain, inheritance elsewhere or not."""
        from schemafold.fold.relations import _missing_column
        if not self._columns_known(inheritance_known=own_row):
            return
        found = _missing_column(query, self._relation_columns,
                                AnyOf((accepted, self._function_names())),
                                qualifiers_known=not accepted,
                                enum_of=self._column_input if "'" in query
                                and self.uncertain_after is None else None)
        if found is not None:
            raise self._error(origin, found)

    def _column_input(self, schema: str | None, relation: str, column: str
                      ) -> tuple[str, tuple[str, ...] | None] | None:
        """The type a string compared with a table's column is read as: its enum with the
        labels (``_column_enum``), or a built-in type of ``_COMPARED_AS_COLUMN`` (labels None)
        whose input function judges the string (``rows.input_syntax.rejected_text``:
        ``d > '2023$ -01-01'`` for a date column, ``invalid input syntax for type date``)."""
        from schemafold.names import canonical_type

        enum = self._column_enum(schema, relation, column)
        if enum is not None:
            return enum
        found = self._known_column(schema, relation, column)
        if found is None or '"' in found.column.type:
            return None
        base = canonical_type(found.column.type.strip())
        return (base, None) if base in _COMPARED_AS_COLUMN else None

    def _known_column(self, schema: str | None, relation: str, column: str
                      ) -> ModelColumn | None:
        """A column of the one table of that name (in ``schema``, or any) whose columns are
        known as ``_relation_columns`` knows them; None otherwise."""
        if self._relation_columns(schema, relation) is None:
            return None
        keys = [key for key in self.objects.keys_of_kind(ObjectKind.TABLE)
                if key[2] == relation and (schema is None or key[1] == schema)]
        table = self.objects.get(keys[0]) if len(keys) == 1 else None
        return table.column(column) if isinstance(table, Table) else None

    def _column_enum(self, schema: str | None, relation: str, column: str
                     ) -> tuple[str, tuple[str, ...]] | None:
        """The enum type of a table's column as PostgreSQL's errors name it, with its labels,
        when the history made both (an enum from the setup may lack labels added outside):
        the table found as ``_relation_columns`` finds it, the type not an array or a
        domain."""
        from schemafold.model import EnumType

        found = self._known_column(schema, relation, column)
        if found is None or "[" in found.column.type or "array" in found.column.type.lower():
            return None
        key = self._resolve(QName.parse(found.column.type.strip()), (ObjectKind.TYPE,))
        enum = self.objects.get(key) if key is not None else None
        if not isinstance(enum, EnumType) or enum.external or \
                enum.name.schema not in self.search_path:
            return None
        return enum.name.name, enum.labels

    def _check_row_expressions(self, table: Table, expressions: Iterable[str],
                               condition: str | None, origin: ev.Origin,
                               clause: str = "WHERE", *, own_columns: bool = False) -> None:
        """Expressions over one table's row (an index's expressions and predicate, a policy's
        USING and WITH CHECK, a CHECK constraint): PostgreSQL analyzes them when it creates
        the object, so the relations, columns and types they name must exist, as a view's
        query's (``_check_relations_read``, ``_check_query_columns``, ``_check_cast_types``,
        under their conditions): read as ``SELECT expressions FROM table WHERE condition``.
        ``clause``: what PostgreSQL calls the condition in its errors (``WHERE``, ``POLICY``,
        ``CHECK``); ``own_columns``: the table's columns are certain even with inheritance
        elsewhere (``_check_checks``)."""
        from schemafold.names import quote_ident

        items = [e for e in expressions if e.strip()]
        if not items and not condition:
            return
        if condition:
            self._check_condition_constant(condition, clause, origin)
        name = quote_ident(table.name.name)
        if table.name.schema:
            name = f"{quote_ident(table.name.schema)}.{name}"
        query = f"SELECT {', '.join(items) or '1'} FROM {name}"
        if condition:
            query += f" WHERE {condition}"
        self._check_relations_read(query, origin)
        if not self._only_own_columns(table, [*items, condition or ""]):
            self._check_query_columns(query, origin, own_row=own_columns)
        self._check_cast_types(query, origin)

    def _only_own_columns(self, table: Table, texts: Iterable[str]) -> bool:
        """Whether every name ``texts`` use is a column of ``table``, a key word, a called
        function's name or a cast's type, with no subquery, qualified name or string compared
        with an enum column: then no column can be missing nor a label unknown, and the
        reading ``_check_query_columns`` makes of the query (sqlglot's parser) is spared.
        False whenever unsure."""
        from schemafold.fold.relations import _TYPE_WORDS
        from schemafold.fragment import fragment
        from schemafold.model import EnumType
        from schemafold.names import canonical_type
        from schemafold.parse.keywords import KEYWORDS
        from schemafold.parse.tokens import TokenType, is_word
        from schemafold.rows.input_syntax import rejected_text

        columns = {c.name: c for c in table.columns}
        named: set[str] = set()
        strings: list[str] = []
        for text in texts:
            tokens = fragment(text).tokens_or_none() if text else ()
            if tokens is None:
                return False
            for i, token in enumerate(tokens):
                kind = token.token_type
                if kind == TokenType.STRING:
                    strings.append(token.text)
                    continue
                if kind == TokenType.DOT:
                    return False  # t.c, s.f(...): a qualifier to resolve
                if kind == TokenType.IDENTIFIER:
                    name = token.text
                elif is_word(token):
                    name = token.text.lower()
                    if name in ("select", "from", "join", "values", "with", "table"):
                        return False  # a subquery reads other relations
                    if name in KEYWORDS and (name not in _TYPE_WORDS or i and tokens[
                            i - 1].token_type == TokenType.DCOLON):
                        continue  # (a bare type word may be a column: length(text))
                else:
                    continue
                if i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.L_PAREN or \
                        i and tokens[i - 1].token_type == TokenType.DCOLON:
                    continue  # a call, or a cast's type
                if name not in columns:
                    return False
                named.add(name)
        if strings:
            for name in named:
                found = self._resolve(QName.parse(columns[name].column.type.strip()),
                                      (ObjectKind.TYPE,)) \
                    if not columns[name].column.type.strip().endswith("]") else None
                if found is not None and isinstance(self.objects.get(found), EnumType):
                    return False
                # a string a built-in column's type may refuse, compared with it (CHECK (d >
                # '2025-02-30')): read in full (``_missing_label``)
                base = canonical_type(columns[name].column.type.strip()) \
                    if '"' not in columns[name].column.type else ""
                if base in _COMPARED_AS_COLUMN and any(
                        rejected_text(base, text) is not None for text in strings):
                    return False
        return True

    def _check_cast_types(self, query: str, origin: ev.Origin) -> None:
        """Hook (``tables``): the types a query's casts and typed constants name must exist."""

    def _check_called_functions(self, expression: str | None, origin: ev.Origin) -> None:
        """Hook (``tables``): the functions an expression calls must exist."""

    def _check_default_sequences(self, default: str | None, origin: ev.Origin, *,
                                 made_here: frozenset[str] = frozenset(),
                                 body: bool = False) -> None:
        """Hook (``tables``): the relations ``nextval('s')`` and its kin name must exist."""

    def _check_condition_constant(self, condition: str, clause: str,
                                  origin: ev.Origin) -> None:
        """A condition that is one constant of a type other than ``boolean``: ``1``,
        ``priority 'high'`` (a constant of the enum ``priority``), ``text 'x'``; PostgreSQL's
        ``argument of WHERE must be type boolean, not type priority``, or first the error of
        the type's input function (``'x'`` is read as a boolean). Judged for the built-in
        types of ``rows.input_syntax`` and for enums the history made (their labels known)."""
        from schemafold.fragment import fragment
        from schemafold.model import EnumType
        from schemafold.names import canonical_type
        from schemafold.parse.tokens import TokenType, word
        from schemafold.rows.input_syntax import rejected_text

        if len(condition) > 200 or not any(c.isdigit() or c == "'" for c in condition):
            return
        tokens = list(fragment(condition).tokens_or_none() or ())
        while len(tokens) >= 3 and tokens[0].token_type == TokenType.L_PAREN \
                and tokens[-1].token_type == TokenType.R_PAREN:
            tokens = tokens[1:-1]
        if not tokens or not 1 <= len(tokens) <= 2 or (
                tokens[-1].token_type == TokenType.STRING
                and not condition.startswith("'", tokens[-1].start)):
            return
        kind = None
        problem = None
        if len(tokens) == 1 and tokens[0].token_type == TokenType.NUMBER:
            number = tokens[0].text
            if number.isdigit():
                kind = "integer" if int(number) < 2**31 else "bigint" if int(number) < 2**63 \
                    else "numeric"
            elif number.replace(".", "", 1).isdigit():
                kind = "numeric"
        elif len(tokens) == 1 and tokens[0].token_type == TokenType.STRING:
            problem = rejected_text("boolean", tokens[0].text)
        elif len(tokens) == 2 and tokens[1].token_type == TokenType.STRING and word(tokens[0]):
            value = tokens[1].text
            base = canonical_type(tokens[0].text)
            if base in _CONSTANT_TYPES:
                kind = base
                problem = rejected_text(base, value)
            elif self.uncertain_after is None and tokens[0].token_type == TokenType.VAR:
                key = self._resolve(QName(None, tokens[0].text.lower()), (ObjectKind.TYPE,))
                enum = self.objects.get(key) if key is not None else None
                if isinstance(enum, EnumType) and not enum.external:
                    kind = enum.name.name
                    problem = rejected_text(kind, value, enum.labels)
        if problem is None and kind is not None and kind != "boolean":
            problem = f"argument of {clause} must be type boolean, not type {kind}"
        if problem is not None:
            raise self._error(origin, problem)

    def _check_data_statement(self, data: DataStatement, statement: str, origin: ev.Origin,
                              accepted: frozenset[str], *, qualifiers_known: bool = False
                              ) -> None:
        """An INSERT, UPDATE or DELETE of a SQL body, as PostgreSQL analyzes it: its target
        and FROM or USING items must exist, then the relations its queries read; then, in
        its clauses' order, the columns it assigns must be the target's (``column "x" of
        relation "t" does not exist``; a system column is left to PostgreSQL, whose words
        differ) and the names its clauses read must resolve (``_check_query_columns``).
        Under the same preconditions as those checks. ``qualifiers_known``: the statement's
        target and FROM or USING items are the only names a column may be qualified with (a
        top-level statement's; not a routine body's, whose parameters and name qualify too),
        so another qualifier is ``missing FROM-clause entry for table "s"``."""
        from sqlglot.errors import TokenError

        from schemafold.fold.relations import _missing_column_in

        if not self._catalog_known():
            return
        for schema, name in data.relations:
            self._check_relation_named(schema, name, origin)
        try:
            self._check_relations_read(statement, origin)
        except TokenError:  # sqlglot cannot tokenize it (it refuses some valid text)
            return
        if not self._columns_known():
            return
        functions = self._function_names()
        for check in data.checks:
            if isinstance(check, QueryColumns):
                found = _missing_column_in(check.query, self._relation_columns,
                                           AnyOf((accepted, functions, check.accepted)),
                                           qualifiers_known=qualifiers_known)
                if found is not None:
                    raise self._error(origin, found)
                continue
            columns = self._relation_columns(*check.relation)
            if columns is None:
                continue
            for column in check.columns:
                if column not in columns:
                    raise self._error(origin, f'column "{column}" of relation '
                                      f'"{check.relation[1]}" does not exist')

    def _interpreting(self) -> bool:
        """Whether the event being applied is one a procedural body runs (``procedures``)."""
        return False

    def _columns_known(self, *, inheritance_known: bool = False) -> bool:
        """The preconditions of the checks that refuse a column nothing has
        (``_check_query_columns``): the whole catalog known, no inheritance (unless
        ``inheritance_known``: what is read has none), every schema on search_path known."""
        if not self._catalog_known() or (self.any_inheritance and not inheritance_known):
            return False
        path = [s for s in self.search_path if s not in ("pg_catalog", "$user")]
        return all(ObjectKey.of(ObjectKind.SCHEMA, None, s) in self.objects for s in path)

    def _function_names(self) -> FunctionNames:
        """Names never refused as a column: a function of one argument may be called as a
        column of its argument's row (t.f is f(t)), so a name some function of the history
        or of a known extension has may be one."""
        extensions = self._extension_objects()
        return FunctionNames(self.objects,
                             extensions.functions if extensions is not None else frozenset())

    def _relation_read(self, schema: str | None, name: str) -> object | None:
        """The relation a view's FROM names, found as ``_relation_columns`` finds it, or None
        when not certain."""
        if name.startswith("pg_") or schema in ("pg_catalog", "information_schema"):
            return None
        if schema is not None:
            if ObjectKey.of(ObjectKind.SCHEMA, None, schema) not in self.objects:
                return None
            keys = [key for kind in (*RELATIONS, ObjectKind.TYPE)
                    for key in self.objects.keys_named(kind, schema, name)]
        else:
            keys = [key for kind in (*RELATIONS, ObjectKind.TYPE)
                    for key in self.objects.keys_called(kind, name)]
            if len(keys) > 1:
                keys = self._on_search_path(keys)
        if len(keys) != 1:
            return None
        return self.objects.get(keys[0])

    def _on_search_path(self, keys: list[Key]) -> list[Key]:
        """Of relations of one name in several schemas, the one an unqualified name finds:
        that of the first schema on search_path having one, when every schema before it is
        known (``$user`` names a schema only when none of theirs is off the path, no
        temporary one has the name); else none."""
        schemas = {key[1] for key in keys}
        if any(schema is None or schema.startswith("pg_temp") for schema in schemas):
            return []
        for schema in self.search_path:
            if schema == "pg_catalog":
                continue
            if schema == "$user":
                if schemas - set(self.search_path):
                    return []  # one may be the session user's own schema
                continue
            if ObjectKey.of(ObjectKind.SCHEMA, None, schema) not in self.objects:
                return []
            if schema in schemas:
                return [key for key in keys if key[1] == schema]
        return []

    def _relation_columns(self, schema: str | None, name: str) -> frozenset[str] | None:
        """The columns of the relation a view's FROM names, or None when not certain."""
        from schemafold.fold.relations import _SYSTEM_COLUMNS, _select_output_names
        obj = self._relation_read(schema, name)
        if isinstance(obj, Table) and not obj.inherits:
            return frozenset(c.name for c in obj.columns) | _SYSTEM_COLUMNS
        if isinstance(obj, View):
            names = obj.query.derived(_select_output_names)
            if names is None:
                return None
            return frozenset((*obj.columns, *names[len(obj.columns):]))
        return None

    def _namespace_taken(self, schema: str, name: str) -> bool:
        return any((kind, schema, name) in self.objects for kind in (*_RELATION_KINDS, "type"))

    def _relation_name_taken(self, schema: str, name: str) -> bool:
        """Whether a relation (pg_class) has the name: a table, view, sequence or index, or a
        composite type; an enum, domain or range type has none (``CREATE INDEX e`` after
        ``CREATE TYPE e AS ENUM``: PostgreSQL takes it; a new sequence, table or view checks
        the types' names too)."""
        if any((kind, schema, name) in self.objects for kind in _RELATION_KINDS):
            return True
        return isinstance(self.objects.get(ObjectKey.of(ObjectKind.TYPE, schema, name)),
                          CompositeType)

    def _name_taken_by_kind(self, key: Key, schema: str, name: str) -> bool:
        """Whether the object ``key`` names may not take ``name`` in ``schema`` (a rename, a
        move): a sequence or an index needs a free relation name, an enum, domain or range
        type a free type name, a table, view or composite type both."""
        obj = self.objects.get(key)
        if key.kind in (ObjectKind.SEQUENCE, ObjectKind.INDEX):
            return self._relation_name_taken(schema, name)
        if key.kind == ObjectKind.TYPE and not isinstance(obj, CompositeType):
            return self._type_name_taken(schema, name)
        return self._namespace_taken(schema, name)

    def _type_name_taken(self, schema: str, name: str) -> bool:
        """Whether a type (pg_type) has the name: a type, or a table's or view's row type;
        a sequence or an index has none (``CREATE TYPE ix AS ENUM`` after ``CREATE INDEX
        ix``: PostgreSQL takes it)."""
        return any((kind, schema, name) in self.objects
                   for kind in (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.TYPE))

    def _key_index(self, name: QName) -> tuple[Key, Table, str] | None:
        """The primary key, unique or exclusion constraint whose index ``name`` (resolved
        through ``search_path``) is: its table's key, the table, the constraint's name."""
        schemas = [name.schema] if name.schema else [
            s for s in self.search_path if ObjectKey.of(ObjectKind.SCHEMA, None, s) in self.objects]
        for schema in schemas:
            if not self.objects.constraint_name_used(schema, name.name):
                continue
            for key, obj in self.objects.items():
                if isinstance(obj, Table) and key.schema == schema:
                    constraint = obj.constraint_named(name.name)
                    if constraint is not None and constraint.constraint.kind in (
                            "primary key", "unique", "exclude"):
                        return key, obj, name.name
        return None

    def _name_taken_for_constraint(self, schema: str) -> Callable[[str], bool]:
        def taken(name: str) -> bool:
            return (self._namespace_taken(schema, name)
                    or self.objects.constraint_name_used(schema, name))

        return taken

    def _owner(self) -> str | None:
        return None

    def _table(self, name: QName, origin: ev.Origin) -> tuple[Key, Table]:
        key = self._relation(name, origin)
        assert key is not None
        table = self.objects[key]
        assert isinstance(table, Table)
        return key, table

    def _put(self, key: Key, obj: SchemaObject) -> None:
        if isinstance(obj, Table):
            obj = self._name_not_nulls(obj)
        self.objects[key] = obj

    def _name_not_nulls(self, table: Table) -> Table:
        """Name each NOT NULL the moment a column becomes NOT NULL, as PostgreSQL 18 does
        (``<table>_<column>_not_null``, numbered on a collision; an explicit ``CONSTRAINT name
        NOT NULL`` keeps its name), and forget the name when the column becomes nullable.
        Columns a partition or child takes from its parent come with the parent's name (set
        where they are copied); one that becomes NOT NULL on the child alone is named for the
        child, as any column is (checked on PostgreSQL 18.6)."""
        changed = False
        columns = []
        for column in table.columns:
            wanted = column.column.not_null or column.column.identity is not None
            name = column.not_null_name
            if wanted and name is None:
                name = column.column.not_null_name or choose_name(
                    table.name.name, column.name, "not_null",
                    self._not_null_name_taken(table))
            elif not wanted:
                name = None
                if column.column.not_null_name is not None:  # an explicit name goes with it
                    column = attrs.evolve(column, column=attrs.evolve(
                        column.column, not_null_name=None))
                    changed = True
            if name != column.not_null_name:
                column = attrs.evolve(column, not_null_name=name)
                changed = True
            columns.append(column)
        return attrs.evolve(table, columns=tuple(columns)) if changed else table

    def _not_null_name_taken(self, table: Table) -> Callable[[str], bool]:
        schema = table.name.schema or ""
        constraint_taken = self._name_taken_for_constraint(schema)

        def taken(name: str) -> bool:
            if any(c.not_null_name == name or c.column.not_null_name == name
                   for c in table.columns):
                return True
            return self.objects.not_null_name_used(schema, name) or constraint_taken(name)

        return taken

    def _column_key(self, table: Table, column: str) -> Key:
        return ObjectKey.column(table.name.schema, table.name.name, column)

    def _function(self, name: QName, arg_types: tuple[str, ...] | None,
                  origin: ev.Origin, *, missing_ok: bool = False,
                  statement: str | None = None, unmarked: bool = False) -> Key:
        """The routine ``name(arg_types)`` names (its input arguments' types; None: no list).
        ``statement``: the kind the statement names it as, ``function``, ``procedure`` or
        ``routine`` (None: any routine, no check). Without a list only a routine of that kind
        is looked for; with one, a routine of another kind is PostgreSQL's ``f(integer) is not
        a procedure``. ``unmarked``: the list gives no argument a mode; a PROCEDURE's or
        ROUTINE's may then be all of a routine's arguments, OUT ones too (PostgreSQL 14 and
        later: ``DROP PROCEDURE p(int, int)`` for ``p(a int, OUT b int)``), and two routines
        found the two ways is ``procedure name ... is not unique``."""
        procedure: bool | None = None
        if statement in ("function", "procedure") and arg_types is None:
            procedure = statement == "procedure"
        found: Key | None = None
        schemas = [name.schema] if name.schema else [*self.search_path, "pg_catalog"]
        for schema in schemas:
            named = [k for k in self.objects.keys_named("function", schema, name.name)
                     if procedure is None or self._is_procedure(k) == procedure]
            matches = [k for k in named if arg_types is None or k[3] == arg_types]
            if not matches and arg_types is not None:
                # the same types written otherwise: public.t for t, a column's %TYPE
                matches = [k for k in named if self._same_argument_types(k[3], arg_types)]
            if len(matches) > 1:
                raise self._error(origin, f'function name "{name}" is not unique')
            if matches:
                found = matches[0]
                break
        if unmarked and arg_types and statement in ("procedure", "routine"):
            whole = self._routine_by_all_arguments(schemas, name, arg_types, origin,
                                                   procedures=statement == "procedure")
            if whole is not None:
                if found is not None and found != whole:
                    raise self._error(origin, f'{statement} name "{name}" is not unique')
                found = whole
        if found is not None:
            if statement in ("function", "procedure") and \
                    self._is_procedure(found) != (statement == "procedure"):
                raise self._error(origin, f"{name}({', '.join(found[3])}) is not a {statement}")
            return found
        if missing_ok:
            return ObjectKey()  # empty: false
        if procedure is not None and any(
                self.objects.keys_named("function", schema, name.name) for schema in schemas):
            raise self._error(origin, f'could not find a {statement} named "{name}"')
        args = "" if arg_types is None else f"({', '.join(arg_types)})"
        raise self._error(origin, f"function {name}{args} does not exist")

    def _is_procedure(self, key: Key) -> bool:
        routine = self.objects.get(key)
        return isinstance(routine, Function) and routine.procedure

    def _routine_by_all_arguments(self, schemas: list[str], name: QName,
                                  arg_types: tuple[str, ...], origin: ev.Origin, *,
                                  procedures: bool) -> Key | None:
        """The routine (a procedure, with ``procedures``) of the first of ``schemas`` that has
        one named ``name`` whose every argument (OUT ones too) has the types ``arg_types``;
        None when none has."""
        for schema in schemas:
            matches = []
            for key in self.objects.keys_named("function", schema, name.name):
                routine = self.objects.get(key)
                if isinstance(routine, Function) and (routine.procedure or not procedures) \
                        and routine.all_arg_types is not None and (
                            routine.all_arg_types == arg_types or
                            self._same_argument_types(routine.all_arg_types, arg_types)):
                    matches.append(key)
            if len(matches) > 1:
                raise self._error(origin, f'{"procedure" if procedures else "routine"} name '
                                  f'"{name}" is not unique')
            if matches:
                return matches[0]
        return None

    def _same_argument_types(self, declared: tuple[str, ...], written: tuple[str, ...]) -> bool:
        """Whether two lists of argument types (canonical texts) name the same types, as
        PostgreSQL resolves them: a type, table or view found through search_path whether
        qualified or not (``f(public.t)`` for ``f(t)``), a column's ``%TYPE`` its type."""
        return len(declared) == len(written) and all(
            a == b or (self._argument_type(a) or a) == (self._argument_type(b) or b)
            for a, b in zip(declared, written, strict=True))

    def _argument_type(self, text: str) -> str | None:
        """An argument type's canonical identity: ``schema.name`` of the type, table or view
        it resolves to, a column's type for ``t.c%type``, arrays marked; None when unknown."""
        from schemafold.names import canonical_type

        base = text.rstrip("[]")
        array = text[len(base):]
        if base.endswith("%type"):
            parts = split_qualified(base[:-len("%type")])
            if len(parts) < 2:
                return None
            key = self._resolve(QName(parts[-3] if len(parts) > 2 else None, parts[-2]),
                                (ObjectKind.TABLE, ObjectKind.VIEW))
            table = self.objects.get(key) if key is not None else None
            column = table.column(parts[-1]) if isinstance(table, Table) else None
            if column is None:
                return None
            resolved = canonical_type(column.column.type)
            return (self._argument_type(resolved) or resolved) + array
        parts = split_qualified(base)
        if not 1 <= len(parts) <= 2:
            return None
        name = QName(parts[0] if len(parts) == 2 else None, parts[-1])
        key = self._resolve(name, (ObjectKind.TYPE, ObjectKind.TABLE, ObjectKind.VIEW))
        if key is not None:
            return f"{key.schema}.{key.name}{array}"
        if name.schema is not None and name.schema in self.search_path:
            return name.name + array  # a type the fold does not know (an extension's)
        return None

    def _target_key(self, kind: str, ref: ev.ObjectRef, origin: ev.Origin,
                    missing_ok: bool) -> Key | None:
        """The key of the object a generic statement (DROP, RENAME, OWNER TO, SET SCHEMA,
        COMMENT, GRANT) names as ``kind`` ``ref``; a constraint's: its table's; a routine's
        as ``routine`` too."""
        target = ObjectKind.FUNCTION if kind == "routine" else _KIND_OF.get(kind)
        if target in _RELATIONS_BY_KIND:
            if target in _ONE_RELATION_KIND and (self._relations_current() or (
                    not missing_ok and self._resolve(ref.name, _RELATIONS_BY_KIND[target])
                    is None)):
                self._relation_of_another_kind(ref.name, target, origin)
            key = self._relation(ref.name, origin, _RELATIONS_BY_KIND[target],
                                 missing_ok=missing_ok)
            if key is not None and target in (ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW):
                # views and materialized views share a key kind; PostgreSQL tells them apart
                # in DROP, COMMENT ON and ALTER's RENAME, SET SCHEMA and OWNER TO, IF EXISTS
                # or not (ALTER VIEW's RENAME COLUMN takes either: not resolved here)
                view = self.objects.get(key)
                if isinstance(view, View) and view.materialized != (
                        target is ObjectKind.MATERIALIZED_VIEW):
                    raise self._error(origin, f'"{ref.name.name}" is not a {target.value}')
            return key
        if target is ObjectKind.FUNCTION or target is ObjectKind.PROCEDURE:
            key = self._function(ref.name, ref.arg_types, origin, missing_ok=missing_ok,
                                 statement=kind if kind == "routine" else target.value,
                                 unmarked=ref.unmarked)
            return key or None
        if target is ObjectKind.TRIGGER or target is ObjectKind.POLICY or \
                target is ObjectKind.CONSTRAINT:
            assert ref.table is not None
            table_key = self._relation(ref.table, origin, (ObjectKind.TABLE, ObjectKind.VIEW),
                                       missing_ok=missing_ok)
            if table_key is None:
                return None
            if target is ObjectKind.CONSTRAINT:
                return table_key
            key = ObjectKey.of(target, table_key.schema, ref.name.name, table=table_key.name)
            if key not in self.objects:
                if missing_ok:
                    return None
                raise self._error(origin, f'{kind} "{ref.name.name}" for table '
                                  f'"{ref.table.name}" does not exist')
            return key
        if target in (ObjectKind.SCHEMA, ObjectKind.EXTENSION, ObjectKind.ROLE):
            key = ObjectKey.of(target, None, ref.name.name)
            if key not in self.objects:
                if missing_ok:
                    return None
                raise self._error(origin, f'{kind} "{ref.name.name}" does not exist')
            return key
        raise self._error(origin, f"{kind} is not supported here")

    def _relations_current(self) -> bool:
        """Whether the relations the fold has are all still there: nothing kept verbatim so
        far (which may have dropped one, in a string a DO block runs). Checks that refuse a
        statement because of a relation it finds, where the statement would otherwise be
        taken (``IF EXISTS``), are made only then."""
        return self.uncertain_after is None

    def _relation_of_another_kind(self, name: QName, kind: ObjectKind, origin: ev.Origin
                                  ) -> None:
        """A statement naming a relation of ``kind`` (DROP, ALTER, COMMENT ON, GRANT) whose
        name is first found (through ``search_path``) on a relation of another kind (a
        composite type or a key's index too): PostgreSQL refuses it (15 and 18, ``IF EXISTS``
        or not: ``DROP SEQUENCE IF EXISTS t``: ``"t" is not a sequence``)."""
        other = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE,
                                     ObjectKind.INDEX, ObjectKind.TYPE))
        if other is not None and other.kind == ObjectKind.TYPE and \
                not isinstance(self.objects[other], CompositeType):
            other = None  # an enum, a domain or a range type: no relation
        if other is None and not (kind == ObjectKind.INDEX or self._key_index(name) is None):
            other = ObjectKey.of(ObjectKind.INDEX, None, name.name)
        if other is not None and other.kind not in _RELATIONS_BY_KIND[kind]:
            article = "an" if kind == ObjectKind.INDEX else "a"
            raise self._error(origin, f'"{name.name}" is not {article} {kind.value}')

    def _keep(self, origin: ev.Origin, reads: tuple[Key, ...], data: bool = False, *,
              names_nothing: bool = False) -> None:
        if not names_nothing:  # what names nothing reads the same under any search_path
            self._kept_under_own_path(origin)
        self.kept_origins.add(origin)
        text: str = origin.text
        if origin.copy_data is not None:  # COPY ... FROM stdin: kept with its rows
            text = f"{text};\n{origin.copy_data}\\."
        self.kept.append(KeptStatement(text=text, file=origin.file, line=origin.line,
                                       ordinal=self.ordinal, reads=reads, data=data,
                                       in_transaction=origin.in_transaction
                                       or self._in_transaction_block()))

    def _kept_may_change(self, keys: Iterable[Key]) -> None:
        """The statement just kept may change ``keys`` (objects the fold follows)."""
        uids = [self.uid_of[k] for k in keys if k in self.uid_of]
        if uids:
            self.kept_touches.setdefault(self.ordinal, []).extend(uids)

    def _kept_with_touches(self, objects: Mapping[Key, SchemaObject]) -> list[KeptStatement]:
        """The kept statements, each with the final keys of what it touches that still exist."""
        out = []
        for kept in self.kept:
            uids = self.kept_touches.get(kept.ordinal)
            keys = [k for uid in dict.fromkeys(uids or ()) if (k := self.key_of.get(uid))
                    is not None and k in objects]
            out.append(attrs.evolve(kept, touches=tuple(keys)) if keys else kept)
        return out

    def _kept_under_own_path(self, origin: ev.Origin) -> None:
        """A statement kept verbatim is written as it reads, and the consolidation runs it
        under its own ``search_path`` (the initial one, and the schemas of extensions reached
        through another path): where that path finds other schemas than the one in effect
        when the history ran it, the statement may create its objects elsewhere or name other
        objects (``SET search_path TO s1, public; CREATE TABLE t (c text COLLATE co1)``, kept
        after the collation, would create ``public.t``), so the history is kept as written from
        its file."""
        if self.search_path == self.initial_search_path:
            return
        holding = {o.schema for o in self.objects.values()
                   if isinstance(o, Extension) and o.schema}
        consolidation = [*self.initial_search_path,
                         *(s for s in self.search_path
                           if s in holding and s not in self.initial_search_path)]
        if self._existing_schemas(self.search_path) != self._existing_schemas(consolidation):
            path = ", ".join(self.search_path) or "(empty)"
            raise self.fold_limit(origin, f"kept verbatim under search_path {path}, which the "
                                  "consolidation does not run its kept statements under")

    def _existing_schemas(self, path: Iterable[str]) -> list[str]:
        """The schemas of ``path`` that exist, as PostgreSQL searches them (``$user`` and
        ``pg_catalog`` aside), without repeats."""
        return list(dict.fromkeys(
            s for s in path if s not in ("$user", "pg_catalog")
            and ObjectKey.of(ObjectKind.SCHEMA, None, s) in self.objects))

    def _in_transaction_block(self) -> bool:
        """Hook (``transactions``): whether the statement runs inside an explicit ``BEGIN``
        (a kept ``DECLARE ... CURSOR`` needs one, even in a file run outside a transaction)."""
        return False

    def _final_lineage(self) -> dict[Key, tuple[LineageEntry, ...]]:
        out: dict[Key, list[LineageEntry]] = {}
        for uid, entries in self.lineage.items():
            key = self.key_of[uid]
            out.setdefault(key, []).extend(
                LineageEntry(e.action, e.origin, e.account, key, e.run_by) for e in entries)
        return {k: tuple(v) for k, v in out.items()}

    def _ledger(self) -> list[LedgerEntry]:
        entries: list[LedgerEntry] = []
        append = entries.append
        kept_now = {(k.file, k.line) for k in self.kept}
        # the maps bound once: a 10,000-migration history has some 57,000 statements
        replaced_by, as_written, kept_origins = self.replaced_by, self.as_written, self.kept_origins
        touched_of, dropped_by, key_of = self.touched.get, self.dropped_by, self.key_of
        noop, transaction_noops = self.noop, self.transaction_noops
        for origin in self.statements:
            if origin in replaced_by:
                by = replaced_by[origin]
                append(LedgerEntry(origin, Outcome.SUPERSEDED_BY, by=by.where()))
                continue
            if origin in as_written or (
                    origin in kept_origins and (origin.file, origin.line) in kept_now):
                append(LedgerEntry(origin, Outcome.KEPT_VERBATIM))
                continue
            touched = touched_of(origin, [])
            alive = [uid for uid in touched if uid not in dropped_by]
            if alive:
                append(LedgerEntry(origin, Outcome.ABSORBED_INTO, target=key_of[alive[0]]))
            elif touched:
                main = [u for u in touched if key_of[u][0] != ObjectKind.COLUMN] or touched
                by = dropped_by[main[0]]
                if by is origin:
                    # a drop of something the history created: recorded as dropped
                    append(LedgerEntry(origin, Outcome.ABSORBED_INTO, target=key_of[main[0]]))
                else:
                    append(LedgerEntry(origin, Outcome.SUPERSEDED_BY, by=by.where()))
            else:
                reason = noop.get(origin, "no effect on the schema")
                append(LedgerEntry(origin, Outcome.NO_OP, reason=reason,
                                   transaction=origin in transaction_noops))
        return entries

    def _require_columns(self, table: Table, names: Iterable[str], origin: ev.Origin) -> None:
        """A key, a foreign key or an index names columns of ``table``: PostgreSQL refuses
        one that does not exist. Only checked where the fold knows every column the table has
        (not a partition or an inheriting table, whose columns come from elsewhere)."""
        if table.partition_of is not None or table.inherits or not table.columns:
            return
        for name in names:
            if table.column(name) is None:
                raise self._error(origin, f'column "{name}" named in key does not exist')

    def _exists(self, origin: ev.Origin, if_not_exists: bool, what: str, error: str, *,
                notice: str | None = None) -> None:
        """A statement creating ``what``, which exists already: under ``IF NOT EXISTS`` a no-op
        (with PostgreSQL's ``notice`` as a warning, where it gives one), otherwise ``error``."""
        if not if_not_exists:
            raise self._error(origin, error)
        self.noop[origin] = f"{what} exists"
        if notice is not None:
            self._warn(origin, notice)

    def _replace(self, key: Key, origin: ev.Origin) -> None:
        uid = self.uid_of.get(key)
        if uid is not None:
            previous = self.definer.get(uid)
            if previous is not None:
                self.replaced_by[previous] = origin
            self.definer[uid] = origin


def _multirange_name(options: str) -> list[str]:
    """The parts of the name a range type's options give its multirange
    (``multirange_type_name = s.rng_multi``), or none."""
    tokens = tokenize(options)
    for i, token in enumerate(tokens[:-2]):
        if word(token) == "MULTIRANGE_TYPE_NAME" and tokens[i + 1].token_type == TokenType.EQ:
            return dotted_name(tokens, i + 2)[0]
    return []


#: built-in column types a string compared with the column (``=``, ``<``, ``IN``...) is read
#: as, by the operator of the type with itself (not json, which has no ``=``; not a domain)
_COMPARED_AS_COLUMN = frozenset({
    "date", "timestamp without time zone", "timestamp with time zone", "integer", "bigint",
    "smallint", "numeric", "boolean", "uuid",
})
