"""PL/pgSQL run statically: ``DO`` blocks and calls of the history's PL/pgSQL routines.

Owns: running, inside the fold, what the parser kept as an ``Opaque`` statement because it is
procedural (a ``DO`` block with logic, ``SELECT f(...)``, ``CALL p(...)``, ``ALTER DATABASE ...
SET search_path``), with ``schemafold.plpgsql`` over the folded catalog. What the code executes
(``EXECUTE`` strings, static statements) is parsed and folded like a statement of the history,
with the text it ran (an object created that way is rendered from the statement that created
it) at the file and line of the ``DO`` block or call. The statement keeps one ledger entry: what
it executed touched is what it is absorbed into.

The catalog the code reads (``pg_class``, ``pg_namespace``, ``pg_type``, ``pg_enum``,
``pg_constraint``, ``pg_attribute``, ``pg_inherits``, ``pg_indexes``, ``pg_tables``, ...,
``information_schema.tables``/``columns``/``schemata``) is built from the folded objects.

When the code leaves the deterministic subset (``GiveUp``), or something it executes would be
kept verbatim (a barrier is hit, a data statement cannot be evaluated, a setup object changes),
everything it did is undone (the snapshot of ``transactions``) and the statement is the opaque
barrier it always was. An error the code raises and does not catch (``RAISE EXCEPTION``, a failed
``ASSERT``) makes the statement fail as in PostgreSQL: the history is rejected. An error from a
statement it executed is caught by the handlers that name it (``duplicate_table``...; mapped from
the fold's message, conservatively: an error of unknown condition gives up).

``ALTER DATABASE <current database> SET search_path`` and ``ALTER ROLE CURRENT_USER SET
search_path`` change the ``search_path`` later files start with (each file is a new session).

Must not know: rendering, files, databases; how PL/pgSQL is read or evaluated (``plpgsql``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import attrs
from sqlglot import expressions as exp

from schemafold import events as ev
from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError
from schemafold.fold.transactions import TransactionFolding
from schemafold.fold.verbatim import VerbatimFolding
from schemafold.fragment import fragment
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    KeptStatement,
    Key,
    Policy,
    RangeType,
    SchemaObj,
    Table,
    Trigger,
    View,
)
from schemafold.model import (
    Sequence as SequenceObj,
)
from schemafold.names import QName, canonical_type, quote_ident
from schemafold.parse.sqlglot_tree import parse_tree
from schemafold.parse.tokens import Cursor, TokenType, identifier_of, is_string, is_word, word
from schemafold.plpgsql.run import CURRENT_DATABASE, Interpreter, Param, Routine
from schemafold.plpgsql.syntax import Unreadable, parse_block
from schemafold.plpgsql.values import GiveUp, Oid, PlpgsqlError, Unknown, Value

#: The fold's error messages, as the condition PostgreSQL raises for them. A message not matched
#: here is an error the interpreter does not try to catch: it gives up.
_CONDITIONS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(p), c, s) for p, c, s in [
        (r'^relation "[^"]*" already exists', "duplicate_table", "42P07"),
        (r'^schema "[^"]*" already exists', "duplicate_schema", "42P06"),
        (r'^type "[^"]*" already exists', "duplicate_object", "42710"),
        (r'^extension "[^"]*" already exists', "duplicate_object", "42710"),
        (r'^(trigger|policy) "[^"]*" for (relation|table) "[^"]*" already exists',
         "duplicate_object", "42710"),
        (r'^column "[^"]*" of relation "[^"]*" already exists', "duplicate_column", "42701"),
        (r'^function .* already exists', "duplicate_function", "42723"),
        (r'^enum label .* already exists', "duplicate_object", "42710"),
        # PostgreSQL looks for a same-named constraint of the table before it makes an index
        (r'^constraint "[^"]*" for relation "[^"]*" already exists', "duplicate_object",
         "42710"),
        (r'^constraint "[^"]*" of relation "[^"]*" does not exist', "undefined_object",
         "42704"),
        (r'^(relation|table|view|sequence|table/view|view/table|materialized view) "[^"]*" '
         r'does not exist', "undefined_table", "42P01"),
        (r'^(index|type|extension|role) "[^"]*" does not exist', "undefined_object", "42704"),
        (r'^(trigger|policy) "[^"]*" for table "[^"]*" does not exist', "undefined_object",
         "42704"),
        (r'^schema "[^"]*" does not exist', "invalid_schema_name", "3F000"),
        (r'^column "[^"]*"( of relation "[^"]*")? does not exist', "undefined_column",
         "42703"),
        (r'^function \S+ does not exist', "undefined_function", "42883"),
    ]
]
_RELKINDS = {"table": "r", "view": "v", "sequence": "S", "index": "i"}
_MULTIWORD_TYPES = frozenset({
    "double precision", "character varying", "bit varying", "timestamp with time zone",
    "timestamp without time zone", "time with time zone", "time without time zone",
})


class _FoldError(PlpgsqlError):
    """An error of a statement the code executed, as the fold raised it."""


@attrs.frozen
class _Savepoint:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    snapshot: Any
    warnings: int


class ProceduralFolding(TransactionFolding, VerbatimFolding):
    """Interprets procedural statements over the folded catalog (``_apply_Opaque``)."""

    def _setup_session(self) -> None:
        super()._setup_session()
        #: the search_path each new session (file) starts with: the initial one, unless
        #: ALTER DATABASE / ALTER ROLE ... SET search_path changed it
        self.new_session_search_path: tuple[str, ...] = self.search_path
        self.search_path_defaults: dict[str, tuple[str, ...] | None] = {}
        self._running: ev.Origin | None = None  # the statement being interpreted
        self.interpreted: set[ev.Origin] = set()
        self._give_up_reason: str | None = None
        self.not_run: dict[ev.Origin, str] = {}  # why a procedural statement stayed a barrier

    def _interpreting(self) -> bool:
        return self._running is not None

    def _interpreted(self) -> set[ev.Origin]:
        return self.interpreted

    def _not_interpreted(self) -> dict[ev.Origin, str]:
        return self.not_run

    def _session_search_path(self) -> tuple[str, ...]:
        return self.new_session_search_path

    def _may_make_a_language(self, text: str) -> bool:
        """Whether an opaque statement may have made a language a later routine is written in:
        a language comes from ``CREATE LANGUAGE`` or an extension, written out or run from a
        string (``EXECUTE``), maybe by a routine the statement calls or a write fires (a
        trigger, a default), or a view it reads calls. A statement is taken as making none
        when its text (a DO block's body and the SQL in its strings too) has no word
        ``language`` but in ``LANGUAGE plpgsql`` or ``sql``, nor ``extension``, ``execute``,
        ``operator``, ``CREATE CAST`` or a write, names no view of the history, and calls
        only ``pg_catalog``'s functions (by a name no function of the history has) or a key
        word's syntax (``EXISTS (``, ``coalesce(``): such as a check that raises an error
        when something is missing (``DO $$ BEGIN IF NOT EXISTS (SELECT ... FROM pg_proc ...)
        THEN RAISE EXCEPTION ...``)."""
        from schemafold.parse.keywords import KEYWORDS
        from schemafold.pg_catalog import is_catalog_function

        if _MAY_RUN_CODE.search(_OWN_LANGUAGE.sub(" ", text)):
            return True
        functions = self._function_names()
        for name in _called_names(text):
            if name.schema not in (None, "pg_catalog") or name.name in functions or not (
                    name.name.lower() in KEYWORDS or is_catalog_function(name.name)):
                return True
        views = {key[2].lower() for key in self.objects.keys_of_kind(ObjectKind.VIEW)}
        return not views.isdisjoint(re.findall(r"[a-z_][a-z0-9_$]*", text.lower()))

    def _apply_Opaque(self, e: ev.Opaque) -> None:
        language = _do_language(e.origin.text)
        if language is not None:  # a DO block in another language than PL/pgSQL
            self._check_language_exists(language, e.origin)
        if self._running is None and self._interpret(e):
            return
        if self._give_up_reason is not None:  # the barrier says why the code was not run
            e = attrs.evolve(e, reason=f"PL/pgSQL not run statically: {self._give_up_reason}")
        super()._apply_Opaque(e)
        # the routines it calls are touched too: a later DROP or CREATE OR REPLACE of
        # one is kept verbatim after it (the barrier runs after every object, and may use it)
        for name in _called_names(e.origin.text):
            for schema in [name.schema] if name.schema else self.search_path:
                if any(k.kind == ObjectKind.FUNCTION and k.schema == schema
                       and k.name == name.name for k in self.objects):
                    self.barrier_names.add((schema, name.name))
                    break
        if self.languages_unknown_after is None and self._may_make_a_language(e.origin.text):
            self.languages_unknown_after = e.origin
        if self._give_up_reason is not None:
            # why it was not run (the parser's "kept verbatim" warning is reworded with it)
            self.not_run[e.origin] = self._give_up_reason
            self._give_up_reason = None

    # -- one statement ------------------------------------------------------------------------

    def _interpret(self, e: ev.Opaque) -> bool:
        program = self._program(e.origin)
        if program is None:
            return False
        snapshot = self._snapshot(None)
        mark = (len(self.warnings), self._kept_count(), len(self.barriers))
        self._running = e.origin
        try:
            program(self._host())
            if (self._kept_count(), len(self.barriers)) != mark[1:]:
                raise GiveUp("a statement it runs is kept verbatim")
        except GiveUp as reason:
            self._undo(snapshot, mark[0], e.origin)
            self._give_up_reason = str(reason)
            return False
        except _FoldError as failure:
            self._undo(snapshot, mark[0], e.origin)
            self._give_up_reason = f"a statement it runs fails: {failure.message}"
            return False
        except PlpgsqlError as failure:
            self._undo(snapshot, mark[0], e.origin)
            raise self._error(e.origin, f"the statement fails in PostgreSQL: {failure.message} "
                              f"(SQLSTATE {failure.sqlstate})") from None
        except Exception as failure:  # noqa: BLE001 - whatever it is, the statement stays opaque
            # something the interpreter did not foresee: never a reason to refuse a history
            self._undo(snapshot, mark[0], e.origin)
            self._give_up_reason = f"not understood ({type(failure).__name__}: {failure})"
            return False
        finally:
            self._running = None
        self.interpreted.add(e.origin)
        if not self.touched.get(e.origin):
            self.noop.setdefault(e.origin, "PL/pgSQL run statically: it changes nothing here")
        return True

    def _kept_count(self) -> int:
        return sum(1 for k in self.kept if not _is_setting(k.text, None))

    def _undo(self, snapshot: Any, warnings: int, origin: ev.Origin) -> None:
        self._restore(snapshot, origin)
        del self.warnings[warnings:]
        self.touched[origin] = []
        self.noop.pop(origin, None)

    def _program(self, origin: ev.Origin) -> Any:
        """What running the statement means, or None when it is not procedural code the
        interpreter runs (read cheaply first, so the snapshot is taken only for code it may
        run)."""
        text = origin.text
        try:
            cursor = Cursor(text, file=origin.file, line=origin.line)
        except Exception:  # the tokenizer refuses it: nothing to run
            return None
        first = cursor.peek_word()
        if first == "DO":
            found = _do_body(cursor)
            if found is None:
                return None
            body, line = found
            try:
                parse_block(body, line=line)
            except Unreadable:
                return None
            return lambda host: Interpreter(host).run_do(body, line)
        if first in ("SELECT", "CALL"):
            query = self._call_query(text)
            if query is None:
                return None
            return lambda host: Interpreter(host).query_statement(query)
        if first == "ALTER" and cursor.peek_word(1) in ("DATABASE", "ROLE", "USER"):
            if _search_path_setting(text) is None:
                return None
            return lambda host: host.execute(text, "the statement")
        return None

    def _call_query(self, text: str) -> str | None:
        """``SELECT f(...)`` / ``CALL p(...)`` naming one of the history's PL/pgSQL routines,
        as a query to run; None otherwise."""
        body = text.strip().rstrip(";").strip()
        if body[:4].upper() == "CALL":
            body = "SELECT " + body[4:]
        try:
            tree = parse_tree(body)
        except Exception:
            return None
        if not isinstance(tree, exp.Select):
            return None
        for node in tree.find_all(exp.Anonymous):
            parent = node.parent
            schema = parent.this.name if isinstance(parent, exp.Dot) and isinstance(
                parent.this, exp.Identifier) else None
            if any(isinstance(f, Function) and f.language and f.language.lower() == "plpgsql"
                   for f in self._functions_named(QName(schema, node.name.lower()))):
                return body
        return None

    def _functions_named(self, name: QName) -> list[Function]:
        schemas = [name.schema] if name.schema else [s for s in self.search_path]
        found = []
        for schema in schemas:
            for key, obj in self.objects.items():
                if key.kind == ObjectKind.FUNCTION and key.schema == schema \
                        and key.name == name.name:
                    assert isinstance(obj, Function)
                    found.append(obj)
            if found:
                return found
        return found

    def _host(self) -> _Host:
        return _Host(self)

    # -- executing SQL ------------------------------------------------------------------------

    def _execute(self, sql: str, where: str) -> None:
        """Run SQL text the code executes: one statement or several (``EXECUTE 'CREATE ...;
        CREATE ...'`` runs each)."""
        from schemafold.parse.splitter import split_sql

        try:
            statements = split_sql(sql).statements
        except InputError as failure:
            raise GiveUp(f"executes what it cannot read: {failure.message}") from None
        if len(statements) > 1:
            for statement in statements:
                self._execute_one(statement.text, where)
        else:
            self._execute_one(sql, where)

    def _execute_one(self, sql: str, where: str) -> None:
        from schemafold.parse.postgres import translate  # late: parse imports little of fold

        running = self._running
        assert running is not None
        setting = _search_path_setting(sql)
        if setting is not None:
            self._default_search_path(*setting)
            return
        origin = ev.Origin(running.file, running.line, sql.strip().rstrip(";").strip(),
                           migration=running.migration, in_transaction=running.in_transaction)
        try:
            translation = translate(origin)
        except InputError as failure:
            raise GiveUp(f"executes what it cannot read: {failure.message}") from None
        for event in translation.events:
            if isinstance(event, ev.Opaque):
                self._nested(event, origin)
                continue
            self._apply_inner(event, where)

    def _nested(self, event: ev.Opaque, origin: ev.Origin) -> None:
        """A procedural statement the code executes (a DO block, a call)."""
        program = self._program(origin)
        if program is None:
            raise GiveUp(f"executes {event.summary}: {event.reason}")
        program(self._host())

    def _apply_inner(self, event: ev.Event, where: str) -> None:
        """Fold one event of a statement the code executed, as ``apply`` does, recording what
        it touches under the statement being interpreted."""
        running = self._running
        assert running is not None
        if isinstance(event, ev.SessionStatement) and event.verb.split(" ")[0] in (
                "begin", "commit", "rollback", "savepoint", "release", "set", "reset") and (
                not event.verb.startswith(("set ", "reset ")) or "role" in event.verb
                or "authorization" in event.verb):
            raise GiveUp(f"executes {event.verb}")
        if self._transaction_control(event):
            raise GiveUp("executes a transaction statement")
        self._changes_external = False
        if self._intercept(event):
            raise GiveUp("executes a statement kept verbatim after a barrier")
        try:
            self._handle(event)
        except InputError as failure:
            for pattern, condition, sqlstate in _CONDITIONS:
                if pattern.match(failure.message):
                    raise _FoldError(condition, sqlstate, failure.message) from None
            raise _FoldError("unknown", "?????", failure.message) from None
        self._applied(event)
        if self._changes_external:
            raise GiveUp("changes an object from the setup")
        origin = event.origin
        if origin is not running:
            touched = self.touched.setdefault(running, [])
            for uid in self.touched.pop(origin, []):
                entries = self.lineage.get(uid, [])
                i = len(entries) - 1
                while i >= 0 and entries[i].line == origin.line and entries[i].file == \
                        origin.file and entries[i].run_by is None:
                    # the lineage says what ran it
                    entries[i] = attrs.evolve(entries[i], run_by=where)
                    i -= 1
                if uid not in touched:
                    touched.append(uid)
            self.noop.pop(origin, None)
            self.transaction_noops.pop(origin, None)
            for uid, by in list(self.dropped_by.items()):
                if by is origin:
                    self.dropped_by[uid] = running

    def _default_search_path(self, target: str, schemas: tuple[str, ...] | None) -> None:
        """ALTER DATABASE/ROLE ... SET search_path: new sessions (later files) start with it."""
        running = self._running
        assert running is not None
        if target == "role" and self._owner() is not None:
            raise GiveUp("ALTER ROLE ... SET search_path after SET ROLE")
        self._session_default(target, schemas)
        self.noop[running] = "sets the search_path of later sessions"
        # the setting itself is part of the database the history makes: the consolidation sets
        # it too (its objects are qualified where the setting would move them)
        self.kept = [k for k in self.kept if not _is_setting(k.text, target)]
        self.kept.append(KeptStatement(
            text=_setting_text(target, schemas), file=running.file, line=running.line,
            ordinal=self.ordinal, in_transaction=running.in_transaction))

    def _session_default(self, target: str, schemas: tuple[str, ...] | None) -> None:
        """A role's setting wins over the database's, as in PostgreSQL."""
        self.search_path_defaults[target] = schemas
        chosen = self.search_path_defaults.get("role") or self.search_path_defaults.get(
            "database")
        self.new_session_search_path = chosen if chosen is not None else self.initial_search_path

    def _apply_RoleStatement(self, e: ev.RoleStatement) -> None:
        """``ALTER ROLE CURRENT_USER SET search_path`` written plainly: kept as written (as
        before), and later files start with that path."""
        setting = _search_path_setting(e.origin.text) if self._running is None else None
        if setting is not None and setting[0] == ObjectKind.ROLE and self._owner() is None:
            self._session_default(*setting)
        super()._apply_RoleStatement(e)  # type: ignore[misc]

    # -- the catalog --------------------------------------------------------------------------

    def _catalog_rows(self, schema: str | None, name: str) -> list[dict[str, Value]] | None:
        if schema not in (None, "pg_catalog", "information_schema"):
            return None
        if schema is None and name in ("tables", "columns", "schemata", "table_constraints"):
            return None
        builder = _CATALOGS.get(name if schema != "information_schema" else "is." + name)
        if builder is None:
            return None
        rows: list[dict[str, Value]] = builder(self)
        return rows

    def _oid(self, key: Key) -> Oid:
        kind = {"schema": "namespace", "type": "type", "function": "proc"}.get(
            str(key.kind), "class")
        if kind == "namespace":
            return Oid("namespace", None, key.name)
        visible = self._resolve(QName(None, key.name), (str(key.kind),)) == key
        return Oid(kind, str(key.schema), key.name, visible)

    def _lookup(self, kind: str, name: QName) -> Oid | None:
        if kind == "namespace":
            if ObjectKey.of(ObjectKind.SCHEMA, None, name.name) in self.objects or name.name in (
                    "pg_catalog", "information_schema"):
                return Oid("namespace", None, name.name)
            return None
        if name.schema in ("pg_catalog", "information_schema") or (
                name.schema is None and name.name.startswith("pg_")):
            raise GiveUp(f"a lookup of the system object {name}")
        if kind == "class":
            key = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE,
                                       ObjectKind.INDEX))
            if key is None:
                key = self._resolve(name, (ObjectKind.TYPE,))
                if key is not None and not isinstance(self.objects[key], CompositeType):
                    key = None
            return self._oid(key) if key is not None else None
        key = self._resolve(name, (ObjectKind.TYPE, ObjectKind.TABLE, ObjectKind.VIEW))
        if key is None:
            if name.schema in (None, "pg_catalog") and (
                    name.name.lower() in _BUILTIN_TYPES or canonical_type(name.name) != name.name):
                raise GiveUp(f"a lookup of the built-in type {name}")
            return None
        return Oid("type", str(key.schema), key.name,
                   self._resolve(QName(None, key.name),
                                 (ObjectKind.TYPE, ObjectKind.TABLE, ObjectKind.VIEW)) == key)

    def _routine(self, name: QName, positional: int, named: Sequence[str]) -> Routine | None:
        candidates = []
        for function in self._functions_named(name):
            params = _parameters(function.text)
            if params is None:
                raise GiveUp(f"the arguments of {function.name} not read")
            names = {p.name for p in params}
            required = sum(1 for p in params if p.default is None)
            if positional + len(named) > len(params) or positional + len(named) < required:
                continue
            if any(n not in names for n in named):
                continue
            candidates.append((function, params))
        if not candidates:
            if self._functions_named(name):
                raise GiveUp(f"a call of {name} that matches none of its signatures")
            return None
        if len(candidates) > 1:
            raise GiveUp(f"a call of the overloaded {name}")
        function, params = candidates[0]
        if (function.language or "").lower() != "plpgsql" or function.body is None:
            raise GiveUp(f"a call of {name} (language {function.language})")
        returns = _returns(function)
        return Routine(function.name.name, params, function.body, returns)


_BUILTIN_TYPES = frozenset({"text", "int", "integer", "bigint", "smallint", "boolean", "bool",
                            "uuid", "jsonb", "json", "date", "timestamp", "timestamptz",
                            "numeric", "varchar", "name", "oid", "bytea", "interval"})


class _Host:
    """``plpgsql.run.Host`` over a fold."""

    def __init__(self, folder: ProceduralFolding) -> None:
        self.folder = folder

    def current_schema(self) -> str | None:
        return next((s for s in self.folder.search_path
                     if ObjectKey.of(ObjectKind.SCHEMA, None, s) in self.folder.objects), None)

    def catalog(self, schema: str | None, name: str) -> list[dict[str, Value]] | None:
        return self.folder._catalog_rows(schema, name)

    def lookup(self, kind: str, name: QName) -> Oid | None:
        return self.folder._lookup(kind, name)

    def routine(self, name: QName, positional: int, named: Sequence[str]) -> Routine | None:
        return self.folder._routine(name, positional, named)

    def execute(self, sql: str, where: str) -> list[dict[str, Value]] | None:
        self.folder._execute(sql, where)
        return None

    def columns(self, name: QName) -> list[str] | None:
        key = self.folder._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW))
        obj = self.folder.objects.get(key) if key is not None else None
        if isinstance(obj, Table):
            return [c.name for c in obj.columns]
        if isinstance(obj, View):
            return list(obj.columns)
        return None

    def savepoint(self) -> object:
        return _Savepoint(self.folder._snapshot(None), len(self.folder.warnings))

    def rollback(self, savepoint: object) -> None:
        assert isinstance(savepoint, _Savepoint)
        running = self.folder._running
        assert running is not None
        self.folder._restore(savepoint.snapshot, running)
        del self.folder.warnings[savepoint.warnings:]


# -- reading statements -----------------------------------------------------------------------


def _do_body(cursor: Cursor) -> tuple[str, int] | None:
    """The PL/pgSQL code of ``DO [LANGUAGE plpgsql] '...'`` and the line it starts on."""
    c = cursor
    c.expect("DO")
    language = None
    if c.accept("LANGUAGE"):
        language = c.next().text.strip("'\"").lower()
    code = c.peek()
    if code is None or code.token_type not in (TokenType.STRING, TokenType.HEREDOC_STRING):
        return None
    c.pos += 1
    if c.accept("LANGUAGE"):
        language = c.next().text.strip("'\"").lower()
    c.accept_type(TokenType.SEMICOLON)
    if not c.at_end() or language not in (None, "plpgsql"):
        return None
    offset = code.start + 1
    if code.token_type == TokenType.HEREDOC_STRING:
        raw = c.text[code.start: code.end + 1]
        offset = code.start + raw.index("$", 1) + 1
    elif "''" in c.text[code.start: code.end + 1]:
        return None  # a quoted body's text is not what its token holds, line for line
    return code.text, cursor.line + c.text[:offset].count("\n")


_SETTING = re.compile(
    r"(?is)^\s*ALTER\s+(DATABASE|ROLE|USER)\s+(\"[^\"]+\"|\S+)\s+SET\s+search_path\s*"
    r"(?:=|TO)\s*(.+?)\s*;?\s*$")
_RESET = re.compile(r"(?is)^\s*ALTER\s+(DATABASE|ROLE|USER)\s+(\"[^\"]+\"|\S+)\s+RESET\s+"
                    r"search_path\s*;?\s*$")


def _search_path_setting(sql: str) -> tuple[str, tuple[str, ...] | None] | None:
    """``ALTER DATABASE <the current database> SET search_path ...`` (what ``format('%I',
    current_database())`` writes, or any name written plainly: a migration names its own
    database) and ``ALTER ROLE CURRENT_USER|SESSION_USER SET search_path ...``: ("database" |
    "role", the schemas, None for the default). None for anything else."""
    match = _SETTING.match(sql) or _RESET.match(sql)
    if match is None:
        return None
    what, target = match.group(1).upper(), match.group(2)
    if what in ("ROLE", "USER"):
        if target.upper() not in ("CURRENT_USER", "SESSION_USER", "CURRENT_ROLE"):
            return None
        kind = ObjectKind.ROLE
    else:
        kind = ObjectKind.DATABASE
        if target.startswith('"') and target != '"' + CURRENT_DATABASE + '"':
            return None  # a quoted name: not one the interpreter wrote
        if "IN" in sql.upper().split() and re.search(r"(?i)\bIN\s+DATABASE\b", sql):
            return None
    if match.re is _RESET:
        return kind, None
    value = match.group(3)
    if re.match(r"(?i)^(DEFAULT|FROM\s+CURRENT)$", value.strip()):
        return (kind, None) if value.strip().upper() == "DEFAULT" else None
    schemas = []
    for part in value.split(","):
        part = part.strip()
        if part.startswith("'") and part.endswith("'"):
            inner = part[1:-1]
            if "," in inner:
                return None
            part = inner
        if part.startswith('"') and part.endswith('"'):
            schemas.append(part[1:-1])
        elif re.fullmatch(r"[A-Za-z_$][\w$]*", part):
            schemas.append(part if part == "$user" else part.lower())
        else:
            return None
    return kind, tuple(schemas)


_SETTING_TEXT = {
    "database": "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I {}', current_database()); END $$",
    "role": "ALTER ROLE CURRENT_USER {}",
}


def _setting_text(target: str, schemas: tuple[str, ...] | None) -> str:
    if schemas is None:
        action = "RESET search_path"
    else:
        names = ", ".join('"$user"' if s == "$user" else quote_ident(s) for s in schemas)
        action = f"SET search_path TO {names}"
    if target == "database":
        action = action.replace("'", "''")
    return _SETTING_TEXT[target].format(action)


def _is_setting(text: str, target: str | None) -> bool:
    targets = [target] if target is not None else list(_SETTING_TEXT)
    return any(text.startswith(_SETTING_TEXT[t].split("{}")[0]) for t in targets)


_SQL_STRING = re.compile(r"(?is)^\s*(SELECT|PERFORM|CALL|ALTER|DROP|CREATE|GRANT|REVOKE|COMMENT|"
                         r"INSERT|UPDATE|DELETE|DO)\b")


def _do_language(text: str) -> str | None:
    """The language a ``DO`` statement names (``DO LANGUAGE plperl '...'``, ``DO $$...$$
    LANGUAGE 'plperl'``: a name folds to lower case, a string keeps its case); None for
    another statement, or a ``DO`` that names none."""
    tokens = fragment(text).tokens_or_none()
    if not tokens or word(tokens[0]) != "DO":
        return None
    for i, token in enumerate(tokens[1:-1], start=1):
        if word(token) != "LANGUAGE":
            continue
        named = tokens[i + 1]
        if is_string(named):
            return named.text if text.startswith("'", named.start) else None
        return identifier_of(named)
    return None


#: ``LANGUAGE`` naming a language every database has (a DO block's, a routine's)
_OWN_LANGUAGE = re.compile(r"(?i)\blanguage\s+['\"]?(?:plpgsql|sql)\b['\"]?")
#: what in an opaque statement may make a language, or run code that may
_MAY_RUN_CODE = re.compile(r"(?i)language|extension|execute|operator|create\s+cast|"
                           r"\b(?:insert|update|delete|merge|copy|truncate)\b")


def _called_names(text: str) -> list[QName]:
    """Names followed by a parenthesis in ``text``, its dollar-quoted bodies and its strings."""
    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        return []
    names: list[QName] = []
    for i, token in enumerate(tokens):
        if (token.token_type == TokenType.HEREDOC_STRING or _SQL_STRING.match(token.text)) \
                and is_string(token) and "(" in token.text:
            names.extend(_called_names(token.text))  # a body, or SQL run by EXECUTE
            continue
        if is_string(token):
            continue  # a message, not SQL
        if token.token_type != TokenType.L_PAREN or i == 0:
            continue
        parts: list[str] = []
        j = i - 1
        while j >= 0:
            t = tokens[j]
            if t.token_type == TokenType.IDENTIFIER or is_word(t):
                parts.insert(0, t.text if t.token_type == TokenType.IDENTIFIER else t.text.lower())
                if j > 0 and tokens[j - 1].token_type == TokenType.DOT:
                    j -= 2
                    continue
            break
        if parts:
            names.append(QName.from_parts(parts))
    return names


def _parameters(text: str) -> tuple[Param, ...] | None:
    """The parameters of a ``CREATE FUNCTION``/``PROCEDURE`` statement; None when they are not
    read (OUT, INOUT and VARIADIC parameters are not run)."""
    try:
        c = Cursor(text)
    except Exception:
        return None
    while not c.at_end() and c.peek_word() not in ("FUNCTION", "PROCEDURE"):
        c.pos += 1
    if c.at_end():
        return None
    c.pos += 1
    c.qname()
    first, last = c.group()
    params = []
    for a, b in c.split_top_level(first, last):
        tokens = c.tokens[a:b]
        mode = word(tokens[0])
        if mode in ("OUT", "INOUT", "VARIADIC"):
            return None
        if mode == "IN":
            a += 1
        end = b
        default = None
        for i in range(a, b):
            if word(c.tokens[i]) == "DEFAULT" or c.tokens[i].token_type == TokenType.EQ:
                end = i
                default = c.slice(i + 1, b)
                break
        declared = c.slice(a, end)
        head = c.tokens[a]
        name = None
        if end - a > 1 and (head.token_type == TokenType.IDENTIFIER or is_word(head)) and \
                " ".join(declared.lower().split()) not in _MULTIWORD_TYPES and \
                c.tokens[a + 1].token_type != TokenType.DOT and \
                c.tokens[a + 1].token_type != TokenType.L_PAREN and \
                c.tokens[a + 1].token_type != TokenType.L_BRACKET:
            name = head.text if head.token_type == TokenType.IDENTIFIER else head.text.lower()
            type_text = c.slice(a + 1, end)
        else:
            type_text = declared
        params.append(Param(name, type_text, default))
    # options after the arguments that change how the body runs
    rest = [word(t) for t in c.tokens[c.pos:] if not is_string(t)]
    if "DEFINER" in rest or "SET" in rest:
        return None
    return tuple(params)


def _returns(function: Function) -> str | None:
    if function.procedure:
        return None
    match = re.search(r"(?is)\bRETURNS\s+(SETOF\s+|TABLE\b)?\s*([\w.\"]+(?:\s+precision|\s+"
                      r"varying)?(?:\s*\[\s*\])?)", function.text)
    if match is None or match.group(1):
        raise GiveUp(f"the result of {function.name}")
    returns = match.group(2).lower()
    if returns == "trigger":
        raise GiveUp(f"a call of the trigger function {function.name}")
    return "void" if returns == "void" else returns


# -- catalogs ---------------------------------------------------------------------------------


def _items(folder: ProceduralFolding) -> list[tuple[Key, Any]]:
    return sorted(folder.objects.items(), key=lambda item: repr(item[0]))


def _pg_namespace(folder: ProceduralFolding) -> list[dict[str, Value]]:
    names = ["pg_catalog", "information_schema"] + [
        k.name for k, _ in _items(folder) if k.kind == ObjectKind.SCHEMA]
    return [{"oid": Oid("namespace", None, n), "nspname": n} for n in names]


def _relkind(obj: Any) -> str:
    if isinstance(obj, Table):
        return "p" if obj.partition_by else "r"
    if isinstance(obj, View):
        return "m" if obj.materialized else "v"
    if isinstance(obj, SequenceObj):
        return "S"
    if isinstance(obj, Index):
        return "I" if _partitioned(obj) else "i"
    return "c"


def _partitioned(index: Index) -> bool:
    return False


def _pg_class(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if key.kind in _RELKINDS or isinstance(obj, CompositeType):
            rows.append({"oid": folder._oid(key), "relname": key.name,
                         "relnamespace": Oid("namespace", None, str(key.schema)),
                         "relkind": _relkind(obj),
                         "relispartition": isinstance(obj, Table) and obj.partition_of is not None})
    return rows


def _pg_type(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if isinstance(obj, EnumType | CompositeType | Domain | RangeType | Table | View):
            typtype = ("e" if isinstance(obj, EnumType) else "d" if isinstance(obj, Domain)
                       else "r" if isinstance(obj, RangeType) else "c")
            rows.append({"oid": Oid("type", str(key.schema), key.name), "typname": key.name,
                         "typnamespace": Oid("namespace", None, str(key.schema)),
                         "typtype": typtype})
    return rows


def _pg_enum(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if isinstance(obj, EnumType):
            for i, label in enumerate(obj.labels, 1):
                rows.append({"enumtypid": Oid("type", str(key.schema), key.name),
                             "enumlabel": label, "enumsortorder": i})
    return rows


_CONTYPE = {"primary key": "p", "unique": "u", "foreign key": "f", "check": "c",
            "exclude": "x"}


def _pg_constraint(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if isinstance(obj, Table):
            for c in obj.constraints:
                kind = _CONTYPE.get(c.constraint.kind)
                if kind is None:
                    raise GiveUp(f"a constraint of kind {c.constraint.kind}")
                rows.append({"conname": c.name, "conrelid": folder._oid(key),
                             "connamespace": Oid("namespace", None, str(key.schema)),
                             "contype": kind})
        elif isinstance(obj, Domain) and obj.checks:
            raise GiveUp("domain constraints in pg_constraint")
    return rows


def _pg_attribute(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if isinstance(obj, Table):
            for _i, column in enumerate(obj.columns, 1):
                rows.append({"attrelid": folder._oid(key), "attname": column.name,
                             "attisdropped": False})
    return rows


def _pg_inherits(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if isinstance(obj, Table):
            parents = [obj.partition_of] if obj.partition_of is not None else list(obj.inherits)
            for parent in parents:
                parent_key = folder._resolve(parent, (ObjectKind.TABLE,))
                if parent_key is None:
                    raise GiveUp(f"the parent of {obj.name}")
                rows.append({"inhrelid": folder._oid(key), "inhparent": folder._oid(parent_key)})
    return rows


def _pg_tables(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"schemaname": str(k.schema), "tablename": k.name}
            for k, o in _items(folder) if isinstance(o, Table)]


def _pg_views(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"schemaname": str(k.schema), "viewname": k.name}
            for k, o in _items(folder) if isinstance(o, View) and not o.materialized]


def _pg_matviews(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"schemaname": str(k.schema), "matviewname": k.name}
            for k, o in _items(folder) if isinstance(o, View) and o.materialized]


def _pg_sequences(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"schemaname": str(k.schema), "sequencename": k.name}
            for k, o in _items(folder) if isinstance(o, SequenceObj)]


def _pg_indexes(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if isinstance(obj, Index):
            rows.append({"schemaname": str(key.schema), "tablename": obj.table.name,
                         "indexname": key.name})
    # the indexes of primary keys and unique constraints are indexes too
    for key, obj in _items(folder):
        if isinstance(obj, Table):
            for c in obj.constraints:
                if c.constraint.kind in ("primary key", "unique", "exclude"):
                    rows.append({"schemaname": str(key.schema), "tablename": key.name,
                                 "indexname": c.name})
    return rows


def _pg_trigger(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for _key, obj in _items(folder):
        if isinstance(obj, Trigger):
            table = folder._resolve(obj.table, (ObjectKind.TABLE, ObjectKind.VIEW))
            if table is None:
                raise GiveUp("a trigger's table")
            rows.append({"tgname": obj.name, "tgrelid": folder._oid(table)})
    return rows


def _pg_policies(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"schemaname": str(k.schema), "tablename": str(k.table), "policyname": k.name}
            for k, o in _items(folder) if isinstance(o, Policy)]


def _pg_policy(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"polname": k.name,
             "polrelid": folder._oid(ObjectKey.of(ObjectKind.TABLE, k.schema, str(k.table)))}
            for k, o in _items(folder) if isinstance(o, Policy)]


def _pg_extension(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"extname": k.name} for k, o in _items(folder) if isinstance(o, Extension)] + [
        {"extname": "plpgsql"}]


def _pg_proc(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"oid": Oid("proc", str(k.schema), f"{k.name}({', '.join(o.arg_types)})"),
             "proname": k.name, "pronamespace": Oid("namespace", None, str(k.schema)),
             "prokind": "p" if o.procedure else "f"}
            for k, o in _items(folder) if isinstance(o, Function)]


_CONSTRAINT_TYPE = {"primary key": "PRIMARY KEY", "unique": "UNIQUE",
                    "foreign key": "FOREIGN KEY", "check": "CHECK"}


def _is_table_constraints(folder: ProceduralFolding) -> list[dict[str, Value]]:
    """``information_schema.table_constraints``, with a CHECK row for each NOT NULL column
    (primary key columns too), as PostgreSQL 14-17 lists them (named ``<oid>_<oid>_<n>_not_null``
    there, which no guard names)."""
    rows: list[dict[str, Value]] = []
    for key, obj in _items(folder):
        if isinstance(obj, Table):
            keyed = {name for c in obj.constraints if c.constraint.kind == "primary key"
                     for name in c.constraint.columns}
            for column in obj.columns:
                if column.column.not_null or column.column.identity is not None or \
                        column.name in keyed:
                    rows.append({"constraint_schema": str(key.schema),
                                 "constraint_name": f"<not null {column.name}>",
                                 "table_schema": str(key.schema), "table_name": key.name,
                                 "constraint_type": "CHECK"})
            for c in obj.constraints:
                kind = _CONSTRAINT_TYPE.get(c.constraint.kind)
                if kind is None:
                    raise GiveUp(f"a constraint of kind {c.constraint.kind}")
                rows.append({"constraint_schema": str(key.schema), "constraint_name": c.name,
                             "table_schema": str(key.schema), "table_name": key.name,
                             "constraint_type": kind})
    return rows


def _is_tables(folder: ProceduralFolding) -> list[dict[str, Value]]:
    rows = []
    for key, obj in _items(folder):
        if isinstance(obj, Table) or (isinstance(obj, View) and not obj.materialized):
            rows.append({"table_schema": str(key.schema), "table_name": key.name,
                         "table_type": "BASE TABLE" if isinstance(obj, Table) else "VIEW"})
    return rows


def _is_columns(folder: ProceduralFolding) -> list[dict[str, Value]]:
    """The columns of tables and views (not of materialized views, as in PostgreSQL)."""
    rows = []
    for key, obj in _items(folder):
        names: list[Value] = [c.name for c in obj.columns] if isinstance(obj, Table) else []
        if isinstance(obj, View) and not obj.materialized:
            names = list(obj.columns) or [Unknown(f"the columns of view {obj.name}")]
        for name in names:
            rows.append({"table_schema": str(key.schema), "table_name": key.name,
                         "column_name": name})
    return rows


def _is_schemata(folder: ProceduralFolding) -> list[dict[str, Value]]:
    return [{"schema_name": k.name} for k, o in _items(folder) if isinstance(o, SchemaObj)]


_CATALOGS: dict[str, Any] = {
    "pg_namespace": _pg_namespace,
    "pg_class": _pg_class,
    "pg_type": _pg_type,
    "pg_enum": _pg_enum,
    "pg_constraint": _pg_constraint,
    "pg_attribute": _pg_attribute,
    "pg_inherits": _pg_inherits,
    "pg_tables": _pg_tables,
    "pg_views": _pg_views,
    "pg_matviews": _pg_matviews,
    "pg_sequences": _pg_sequences,
    "pg_indexes": _pg_indexes,
    "pg_trigger": _pg_trigger,
    "pg_policies": _pg_policies,
    "pg_policy": _pg_policy,
    "pg_extension": _pg_extension,
    "pg_proc": _pg_proc,
    "is.tables": _is_tables,
    "is.columns": _is_columns,
    "is.schemata": _is_schemata,
    "is.table_constraints": _is_table_constraints,
}
