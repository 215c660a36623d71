"""Folding tables: their columns and constraints.

Owns: ``CREATE TABLE`` (columns, ``LIKE``, ``INHERITS``, ``PARTITION OF``, keys merged as
PostgreSQL merges them), ``ALTER TABLE`` on columns (add, drop with what depends on them,
rename with the expressions that follow, type, default, ``NOT NULL``, identity), constraints
(add, drop, validate, rename), row security; PostgreSQL's implicit names for constraints.

Must not know: SQL text beyond the fragments events carry (renames go through ``rewrite``),
rendering, databases.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from collections.abc import Sequence as Seq

import attrs

from schemafold import events as ev
from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import FoldLimit, InputError
from schemafold.fold.like import LikeFolding
from schemafold.fold.partitions import include_columns
from schemafold.fold.relations import (
    _SYSTEM_COLUMNS,
    RelationFolding,
    _may_read_column,
    _regclass,
    view_output_names,
)
from schemafold.fold.state import TYPE_NAME_KINDS, AnyOf
from schemafold.fold.store import STANDARD_BODY
from schemafold.fold.type_names import builtin, type_name
from schemafold.fold.types import canonical_type_name
from schemafold.fold.uses import _constraint_uses, _index_uses, _query_reads
from schemafold.implicit_names import choose_name, column_part, make_object_name
from schemafold.kinds import RELATIONS, ObjectKey, ObjectKind
from schemafold.lineage import Account, Action, Change, Part
from schemafold.model import (
    CompositeType,
    EnumType,
    Function,
    Index,
    Key,
    ModelColumn,
    Policy,
    Sequence,
    Table,
    TableConstraint,
    Trigger,
    View,
)
from schemafold.names import SERIAL_TYPES, QName, canonical_type
from schemafold.parse.tokens import Token, TokenType, identifier_of, is_string
from schemafold.rewrite import aliases_of, bare_column_elsewhere, columns_named, rename_column
from schemafold.rows.input_syntax import rejected_text
from schemafold.rows.literals import string_literal

#: Kinds of objects whose name is a type name (a table's or a view's row type).
#: Kinds of objects a ``regclass`` name may find (a relation's, or a type's: they share a name).
_RELATION_NAME_KINDS = (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE, ObjectKind.INDEX,
                        ObjectKind.TYPE)



class TableFolding(RelationFolding, LikeFolding):
    """Tables, their columns and constraints."""

    def _check_cast_types(self, query: str, origin: ev.Origin) -> None:
        """The types a view's query casts to with ``::`` must exist, as a column's type must
        (``_check_type_exists``, with its conditions): PostgreSQL looks each up when it
        analyzes the query (``'x'::nope``: ``type "nope" does not exist``). A type the grammar
        spells with key words (``double precision``, ``timestamp with time zone``) always
        exists and is left alone; ``serial`` and its kin are a column's shorthand, no type
        (``type "serial" does not exist``)."""
        from schemafold.fragment import fragment
        from schemafold.parse.tokens import dotted_name

        if ("::" not in query and "'" not in query) or self.uncertain_after is not None:
            return
        tokens = fragment(query).tokens_or_none() or ()
        for i, token in enumerate(tokens):
            if token.token_type == TokenType.STRING and _typed_literal_type(tokens, i):
                self._check_type_name_exists(QName(None, identifier_of(tokens[i - 1]) or ""),
                                             origin)
            if is_string(token) and (named := _typed_call_literal_type(tokens, i)):
                self._check_type_name_exists(QName(None, named), origin)
            if token.token_type != TokenType.DCOLON or i + 1 == len(tokens):
                continue
            parts, end = dotted_name(tokens, i + 1)
            if len(parts) == 1 and parts[0] in SERIAL_TYPES and \
                    tokens[i + 1].token_type != TokenType.IDENTIFIER and \
                    (extensions := self._extension_objects()) is not None and \
                    parts[0] not in extensions.types and not any(
                        key.name == parts[0] for kind in TYPE_NAME_KINDS
                        for key in self.objects.keys_of_kind(kind)):
                # a column's shorthand, no type: PostgreSQL has no type of that name
                raise self._error(origin, f'type "{parts[0]}" does not exist')
            if 1 <= len(parts) <= 2:
                self._check_type_exists(query[tokens[i + 1].start:tokens[end - 1].end + 1],
                                        origin)

    def _check_checks(self, table: Table, constraints: Iterable[TableConstraint],
                      origin: ev.Origin, *, own_columns: bool = False) -> None:
        """A CHECK constraint's expression, which PostgreSQL analyzes when it adds the
        constraint: the columns it names must be the table's and the types its constants and
        casts name must exist (``_check_row_expressions``; inherited ones were checked on the
        parent), and the functions it calls too (``CHECK (is_valid_codex(code))``: ``function
        ... does not exist``, judged as a default's calls are). ``own_columns``: the table's
        columns are certain even when some table inherits another (a new table of no parent,
        no LIKE)."""
        for tc in constraints:
            expression = tc.constraint.expression
            if tc.constraint.kind == "check" and tc.parent_constraint is None and expression:
                self._check_row_expressions(table, [], str(expression), origin, "CHECK",
                                            own_columns=own_columns)
                self._check_called_functions(str(expression), origin)

    def _check_enum_default(self, type_text: str, default: str | None,
                            origin: ev.Origin) -> None:
        """A column whose default is a string (``'x'``, or ``'x'::t`` cast to the column's own
        type): PostgreSQL coerces it when the default is set, so a value the type's input
        function refuses is its error: a label an enum the fold knows does not have
        (``invalid input value for enum mood: "x"``; not checked after a statement kept
        verbatim, which may have added the label), or text a built-in type refuses
        (``'{} x'`` for ``jsonb``, ``'2025-01'`` for a date; ``rows.input_syntax``)."""
        if default is None or "'" not in default or canonical_type(type_text).endswith("[]"):
            return  # an array (``e[]``, ``e array``): its literal is no label
        found = string_literal(default)
        if found is None:
            return
        label, cast = found
        if cast is not None and canonical_type(cast) != canonical_type(type_text):
            return
        problem = rejected_text(type_text, label)
        if problem is not None:
            raise self._error(origin, problem)
        name = type_name(type_text)
        if name is None or self.uncertain_after is not None:
            return
        key = self._resolve(name, (ObjectKind.TYPE,))
        enum = self.objects.get(key) if key is not None else None
        if isinstance(enum, EnumType) and label not in enum.labels:
            raise self._error(origin, f'invalid input value for enum {name.name}: "{label}"')

    def _check_default_sequences(self, default: str | None, origin: ev.Origin, *,
                                 made_here: Container[str] = frozenset(),
                                 body: bool = False) -> None:
        """A default calling ``nextval``, ``currval`` or ``setval`` on a string (``'s'`` or
        ``'s'::regclass``): PostgreSQL reads the string as a relation's name when it analyzes
        the default, as the column is created or the default set, so a relation that does
        not exist is its error (``relation "s" does not exist``; ``nextval('s'::text)`` is
        read only when a row is inserted, and is not checked). Refused only where that is
        certain, as ``_check_relations_read``: the whole catalog known (no statement kept
        verbatim so far, no extension that may create relations, no function of that name
        the history made), a qualified name in a schema the fold knows with no relation of the
        name in it, an unqualified name no relation in any schema has while every schema on
        search_path is known; a name of two parts at most, each shorter than PostgreSQL's
        63-byte limit, with no white space but ASCII's (any other character, ``U+FEFF``
        too, is part of the name, as written), and not a ``pg_`` name, nor one of
        ``made_here`` (the names the statement's own serial or identity sequences may get).
        A view's query and a SQL body's statements are analyzed as a default is, and checked
        the same way (``nextval('app.ticket_no')`` in a function's body; ``body``: a SQL
        body's statement, which may name a temporary sequence, as the consolidation does not
        analyze bodies)."""
        from schemafold.fragment import fragment
        from schemafold.names import split_qualified
        from schemafold.parse.tokens import TokenType, identifier_of, is_string

        if not default or not self._catalog_known():
            return
        text = fragment(default)
        tokens = text.tokens_or_none() or ()
        for i, token in enumerate(tokens[:-3]):
            called = identifier_of(token)
            if called not in ("nextval", "currval", "setval") or \
                    tokens[i + 1].token_type != TokenType.L_PAREN or \
                    not is_string(tokens[i + 2]) or not text.startswith("'", tokens[i + 2].start):
                continue
            if i > 0 and tokens[i - 1].token_type == TokenType.DOT and not (
                    i > 1 and identifier_of(tokens[i - 2]) == "pg_catalog"):
                continue  # a function of another schema
            following = tokens[i + 3]
            if following.token_type == TokenType.DCOLON:
                if i + 4 >= len(tokens) or identifier_of(tokens[i + 4]) != "regclass":
                    continue
                following = tokens[i + 5] if i + 5 < len(tokens) else following
            closes = TokenType.COMMA if called == "setval" else TokenType.R_PAREN
            if following.token_type != closes:
                continue
            if any(key[2] == called for key in self.objects.keys_of_kind("function")):
                continue
            written = tokens[i + 2].text
            if "\x00" in written or any(c.isspace() and c not in " \t\n\r\f\v"
                                        for c in written):
                continue  # PostgreSQL splits a name at ASCII white space only
            parts = split_qualified(written)
            if not 1 <= len(parts) <= 2 or any(
                    not part or len(part.encode()) >= 63 for part in parts):
                continue
            name = parts[-1]
            if name in made_here:
                continue
            if len(parts) == 2:
                schema = parts[0]
                if schema in ("pg_catalog", "information_schema", "pg_temp") or \
                        ObjectKey.of(ObjectKind.SCHEMA, None, schema) not in self.objects or \
                        self._namespace_taken(schema, name):
                    continue
                raise self._error(origin, f'relation "{schema}.{name}" does not exist')
            path = [s for s in self.search_path if s not in ("pg_catalog", "$user")]
            if name in self.temporary_sequences and body:
                continue  # a body is text until it runs: the consolidation's is not analyzed
            if name.startswith("pg_") or any(
                    ObjectKey.of(ObjectKind.SCHEMA, None, s) not in self.objects for s in path) \
                    or any(key[2] == name for kind in _RELATION_NAME_KINDS
                           for key in self.objects.keys_of_kind(kind)):
                continue
            self._check_not_temporary(name, origin)
            raise self._error(origin, f'relation "{name}" does not exist'
                              + self._search_path_hint(QName(None, name)))

    def _check_called_functions(self, expression: str | None, origin: ev.Origin) -> None:
        """An index's expression or predicate calling a function that exists nowhere:
        PostgreSQL looks each call up when it creates the index (``CREATE INDEX ON t
        (util.nope(c))``: ``function util.nope(text) does not exist``, 15 and 18), as it does
        a default's; judged as ``_check_default_functions`` judges a default."""
        self._check_default_functions(expression, origin)

    def _check_body_calls(self, statement: str, origin: ev.Origin, routine: str) -> None:
        """A query or data statement of a SQL body calling a function that exists nowhere
        (``SELECT 'T' || nextval$('s')``: ``function nextval$(unknown) does not exist``),
        judged as a default's calls are, for a call right after an operator or a word only an
        operand follows (``SELECT``, ``WHERE``, ``THEN``, ...): elsewhere a name before ``(``
        may be a relation's, a common table expression's or an alias's with its columns. The
        routine being created exists already (``fact(n - 1)`` in ``fact``)."""
        self._check_default_functions(statement, origin, operands_only=True, routine=routine)

    def _check_default_functions(self, default: str | None, origin: ev.Origin, *,
                                 operands_only: bool = False, routine: str | None = None
                                 ) -> None:
        """A default calling a function that exists nowhere: PostgreSQL looks the call up when
        it analyzes the default, as the column is created or the default set (``function
        nope() does not exist``). Refused only where that is certain whatever the arguments:
        the whole catalog known (no statement kept verbatim so far, no extension whose
        functions are not known: ``pg_extensions``), no function of that name in any schema
        the history or a setup file made or an extension creates, none of that
        name in ``pg_catalog`` on PostgreSQL 15 or 18 (``schemafold.pg_catalog``), and for an
        unqualified name every schema on search_path known, for a qualified one its schema
        known (or ``pg_catalog``). A key word before ``(`` is PostgreSQL's own syntax
        (``coalesce(``, ``trim(``, ``numeric(10, 2)``) and is left alone, as is a name after
        ``::`` or ``AS`` (a type with modifiers) or before a string (``bpchar(3) 'x'``), and
        so is a type's name, built in or the history's (PostgreSQL reads ``mood('happy')``,
        ``jsonb('{}')`` as casts when no function has the name; a range type's multirange
        constructor is named for it)."""
        from schemafold.fragment import fragment
        from schemafold.parse.keywords import KEYWORDS
        from schemafold.parse.tokens import identifier_of, word
        from schemafold.pg_catalog import is_catalog_function

        if not default or "(" not in default or self.uncertain_after is not None or \
                self._extension_objects() is None:
            return
        tokens = fragment(default).tokens_or_none() or ()
        functions = AnyOf((self._function_names(), {routine} if routine else set()))
        path = [s for s in self.search_path if s not in ("pg_catalog", "$user")]
        path_known = all(ObjectKey.of(ObjectKind.SCHEMA, None, s) in self.objects for s in path)
        for i, token in enumerate(tokens[:-1]):
            name = identifier_of(token)
            if name is None or tokens[i + 1].token_type != TokenType.L_PAREN or \
                    name.lower() in KEYWORDS:
                continue
            schema: str | None = None
            before = i - 1
            if before >= 0 and tokens[before].token_type == TokenType.DOT:
                schema = identifier_of(tokens[before - 1]) if before >= 1 else None
                if schema is None:
                    continue
                before -= 2
            if before >= 0 and (tokens[before].token_type in (TokenType.DCOLON, TokenType.DOT)
                                or word(tokens[before]) == "AS"):
                continue  # a type's modifiers, or a name of three parts
            if _string_after_call(tokens, i + 1):
                continue
            if operands_only and not (before >= 0 and (
                    tokens[before].token_type in _OPERAND_AFTER
                    or word(tokens[before]) in _OPERAND_AFTER_WORDS)):
                continue
            if schema is not None and schema != "pg_catalog" and \
                    ObjectKey.of(ObjectKind.SCHEMA, None, schema) not in self.objects:
                if schema.startswith("pg_") or schema == "information_schema":
                    continue
                # util.f( for a schema nothing made: PostgreSQL looks the schema up first,
                # whatever the name (a function's elsewhere, a type's)
                raise self._error(origin, f'schema "{schema}" does not exist')
            if name in functions or self.objects.any_called(_RELATION_NAME_KINDS, name) or \
                    builtin(name) or "multirange" in name:
                if name != routine and not self.objects.any_called(_RELATION_NAME_KINDS, name) \
                        and not builtin(name) and not is_catalog_function(name):
                    self._check_argument_count(tokens, i, schema, name, origin)
                continue  # a type's name: a cast written as a call (mood('happy'))
            if schema is None:
                if not path_known or is_catalog_function(name):
                    continue
            elif schema == "pg_catalog":
                if is_catalog_function(name):
                    continue
            elif ObjectKey.of(ObjectKind.SCHEMA, None, schema) not in self.objects:
                continue
            written = f"{schema}.{name}" if schema else name
            raise self._error(origin, f"function {written}(...) does not exist (no function "
                              "of that name in the history or in pg_catalog)")

    def _check_argument_count(self, tokens: Seq[Token], at: int, schema: str | None,
                              name: str, origin: ev.Origin) -> None:
        """A call (``tokens[at]`` its name) of a function only the history makes, given more
        arguments than any function or procedure of that name in any schema takes:
        PostgreSQL finds none to call (``auth.uid(profile)`` where ``auth.uid()`` takes none:
        ``function auth.uid(profile) does not exist``, 15 and 18). Not judged when one of them
        is variadic, when a known extension has a function of that name, or for a call
        written with ``VARIADIC``, ``ORDER BY`` or ``*`` among its arguments; parameters
        with defaults only lower how many a call may give."""
        from schemafold.parse.tokens import word

        extensions = self._extension_objects()
        if extensions is None or name in extensions.functions:
            return
        commas, depth, inside = 0, 0, 0
        for token in tokens[at + 1:]:
            inside += 1
            if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
                depth += 1
            elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1 and (token.token_type == TokenType.STAR
                                 or word(token) in ("VARIADIC", "ORDER")):
                return
            elif depth == 1 and token.token_type == TokenType.COMMA:
                commas += 1
        else:
            return
        given = commas + 1 if inside > 2 else 0
        most = 0
        for kind in (ObjectKind.FUNCTION, ObjectKind.PROCEDURE):
            for key in self.objects.keys_called(kind, name):
                found = self.objects.get(key)
                if not isinstance(found, Function) or "variadic" in str(found.text).lower():
                    return
                most = max(most, len(found.arg_types), len(found.all_arg_types or ()))
        if given > most:
            written = f"{schema}.{name}" if schema else name
            raise self._error(origin, f"function {written}(...) does not exist (no function "
                              f"of that name takes {given} argument{'s' if given > 1 else ''})")

    def _check_default_record(self, default: str | None, origin: ev.Origin) -> None:
        """A default that is a constant of a composite type the history made (``wallet
        'EUR'``, ``'EUR'::wallet``) whose text does not start with ``(``: PostgreSQL reads it
        with the record input function when the default is set (``malformed record literal:
        "EUR"``). Judged while nothing is kept verbatim, for a name that is no built-in
        type's (``pg_catalog`` is searched first) and finds a composite type."""
        from schemafold.fragment import fragment

        if not default or "'" not in default or self.uncertain_after is not None:
            return
        tokens = list(fragment(default).tokens_or_none() or ())
        if len(tokens) >= 3 and tokens[1].token_type == TokenType.DCOLON:
            string, name = tokens[0], tokens[2:]  # 'EUR'::wallet
        elif len(tokens) >= 2:
            string, name = tokens[-1], tokens[:-1]  # wallet 'EUR'
        else:
            return
        if not is_string(string) or not default.startswith("'", string.start):
            return
        parts = [identifier_of(t) for t in name[::2]]
        if len(name) not in (1, 3) or None in parts or any(
                t.token_type != TokenType.DOT for t in name[1::2]):
            return
        written = QName(parts[0] if len(parts) == 2 else None, str(parts[-1]))
        if written.schema is None and builtin(written.name):
            return
        key = self._resolve(written, (ObjectKind.TYPE,))
        if key is None or not isinstance(self.objects.get(key), CompositeType) or \
                string.text.lstrip().startswith("("):
            return
        raise self._error(origin, f'malformed record literal: "{string.text}"')

    def _check_generated_columns(self, table: str, columns: Iterable[ev.Column],
                                 known: frozenset[str], origin: ev.Origin) -> None:
        """A generated column's expression names columns of its own table: PostgreSQL refuses
        one the table does not have when the column is created (``column "b" does not
        exist``). ``known``: every column the table will have, when the caller knows them all
        (no LIKE, INHERITS or PARTITION OF). A name is refused only when certain: a bare name
        or one qualified by the table's own name, not a key word, read by sqlglot from an
        expression without a subquery (a text sqlglot cannot read is no evidence)."""
        from sqlglot import exp

        from schemafold.parse.keywords import KEYWORDS
        from schemafold.parse.sqlglot_tree import parse_postgres, stored_names

        for column in columns:
            if not column.generated:
                continue
            try:
                tree = stored_names(parse_postgres(f"SELECT ({column.generated})"),
                                    column.generated)
            except Exception:  # noqa: BLE001 - sqlglot cannot read it: no evidence either way
                continue
            if not isinstance(tree, exp.Select) or len(tree.expressions) != 1 or any(
                    node is not tree for node in tree.find_all(exp.Select)) or \
                    tree.args.get("from"):
                continue
            for ref in tree.find_all(exp.Column):
                name = ref.this
                if not isinstance(name, exp.Identifier) or ref.args.get("db") or (
                        ref.table and ref.table != table) or (
                        not name.quoted and str(name.this).lower() in KEYWORDS):
                    continue
                written = str(name.this) if name.quoted else str(name.this).lower()
                if written not in known and written not in _SYSTEM_COLUMNS:  # their own error
                    raise self._error(origin, f'column "{written}" does not exist')

    def _new_column(self, table: Table, column: ev.Column, origin: ev.Origin,
                    table_key: Key) -> tuple[ModelColumn, list[TableConstraint], list[Sequence]]:
        """A model column from a declaration: serial expansion, identity; its inline constraints
        returned to be named by the caller."""
        self._check_type_exists(column.type, origin)
        self._check_enum_default(column.type, column.default, origin)
        sequences: list[Sequence] = []
        serial_sequence = None
        type_text = column.type
        base = canonical_type_name(type_text)
        if base in SERIAL_TYPES:
            assert table.name.schema is not None
            seq_name = choose_name(
                table.name.name, column.name, "seq",
                lambda n: self._namespace_taken(table.name.schema or "", n),
            )
            seq_q = QName(table.name.schema, seq_name)
            serial_sequence = seq_q
            written = QName(table.written.schema, seq_name)
            sequences.append(
                self._default_grants(Sequence(
                    name=seq_q, written=written,
                    options=ev.SequenceOptions(as_type=SERIAL_TYPES[base]),
                    owned_by=(table.name, column.name), implicit=True, created=self.ordinal,
                    external=self.external), "sequences")
            )
        if column.identity is not None:
            assert table.name.schema is not None
            spec = column.identity_sequence or ev.IdentitySequence()
            options, named, restart = spec.options, spec.name, spec.restart
            if named is not None:
                schema = named.schema or table.name.schema
                if self._namespace_taken(schema, named.name):
                    raise self._error(origin, f'relation "{named.name}" already exists')
                seq_q, written = QName(schema, named.name), named
            else:
                seq_name = choose_name(
                    table.name.name, column.name, "seq",
                    lambda n: self._namespace_taken(table.name.schema or "", n),
                )
                seq_q = QName(table.name.schema, seq_name)
                written = QName(table.written.schema, seq_name)
            sequences.append(
                self._default_grants(Sequence(
                    name=seq_q, written=written, options=options,
                    owned_by=(table.name, column.name), identity=True, created=self.ordinal,
                    external=self.external, restart_with=restart), "sequences")
            )
        declared = attrs.evolve(column, constraints=(), default=self._pin(column.default),
                                generated=self._pin(column.generated),
                                type=self._pin_type(column.type))
        if serial_sequence is not None or column.identity is not None:
            declared = attrs.evolve(declared, not_null=True)  # both imply NOT NULL
        model = ModelColumn(
            column=declared,
            serial_sequence=serial_sequence,
            created=self.ordinal,
        )
        constraints = [
            TableConstraint(constraint=c, created=self.ordinal) for c in column.constraints
        ]
        return model, constraints, sequences

    def _name_constraint(self, table: Table, constraint: ev.Constraint,
                         pending: Seq[TableConstraint] = ()) -> ev.Constraint:
        if constraint.name is not None:
            return constraint
        schema = table.name.schema or ""
        taken_base = self._name_taken_for_constraint(schema)

        def taken(name: str) -> bool:
            return taken_base(name) or any(p.name == name for p in pending)

        kind = constraint.kind
        if kind == "primary key":
            name = choose_name(table.name.name, None, "pkey", taken)
        elif kind == "unique":  # INCLUDE columns are part of the name, as in any index's
            name = choose_name(table.name.name,
                               column_part([*constraint.columns, *include_columns(constraint)]),
                               "key", taken)
        elif kind == "foreign key":
            name = choose_name(table.name.name, column_part(constraint.columns), "fkey", taken)
        elif kind == "exclude":
            name = choose_name(
                table.name.name, column_part(_exclude_columns(constraint)), "excl", taken
            )
        else:
            columns = {c.name for c in table.columns}
            named = columns_named(constraint.expression or "", columns)
            part = named[0] if len(named) == 1 else None
            name = choose_name(table.name.name, part, "check", taken)
        return attrs.evolve(constraint, name=name)

    def _add_constraints(self, key: Key, table: Table, constraints: Iterable[TableConstraint],
                         origin: ev.Origin) -> Table:
        named: list[TableConstraint] = list(table.constraints)
        constraints = list(constraints)
        for tc in constraints:
            constraint = self._name_constraint(table, tc.constraint, named)
            if constraint.kind == "check" and tc.parent_constraint is None:
                constraint = attrs.evolve(constraint, expression=self._pin(constraint.expression))
            if any(c.name == constraint.name for c in named):
                raise self._error(
                    origin, f'constraint "{constraint.name}" for relation "{table.name.name}" '
                    "already exists"
                )
            target = None
            if constraint.kind in ("unique", "primary key", "foreign key"):
                # UNIQUE (a) INCLUDE (nope): an included column is looked up as a key's is
                self._require_columns(table, (*constraint.columns, *constraint.include), origin)
            if constraint.references is not None:
                ref_key = self._relation(constraint.references, origin, missing_ok=True)
                if ref_key is None and constraint.references == table.written:
                    ref_key = key
                if ref_key is None:
                    raise self._error(origin, f'relation "{constraint.references}" does not exist')
                target = QName(str(ref_key.schema), ref_key.name)
                referenced = table if ref_key == key else self.objects.get(ref_key)
                if isinstance(referenced, Table):
                    self._require_columns(referenced, constraint.ref_columns, origin)
                    if len(set(constraint.ref_columns)) != len(constraint.ref_columns):
                        # REFERENCES p (a, a): PostgreSQL looks for no key then
                        raise self._error(origin, "foreign key referenced-columns list must "
                                          "not contain duplicates")
                    self._check_referenced_key(referenced, constraint, [
                        *named, *constraints] if ref_key == key else referenced.constraints,
                        origin)
            if constraint.kind == "primary key" and any(
                c.constraint.kind == "primary key" for c in named
            ):
                raise self._error(
                    origin, f'multiple primary keys for table "{table.name.name}" are not allowed'
                )
            named.append(attrs.evolve(tc, constraint=constraint, target=target))
            self._touch(key, origin, Action.ALTERED, Account(
                Change.ADDED, Part("constraint", str(constraint.name), Action.CREATED)))
        columns = table.columns
        pk_columns = {
            col for c in named if c.constraint.kind == "primary key" for col in c.constraint.columns
        }
        if pk_columns:
            columns = tuple(
                attrs.evolve(c, column=attrs.evolve(c.column, not_null=True))
                if c.name in pk_columns else c for c in columns
            )
        return attrs.evolve(table, constraints=tuple(named), columns=columns)

    def _check_referenced_key(self, referenced: Table, constraint: ev.Constraint,
                              keys: Iterable[TableConstraint], origin: ev.Origin) -> None:
        """A foreign key's referenced columns must be those of a primary key, a unique
        constraint or a unique index without predicate nor expression, in any order
        (PostgreSQL 15 and 18: ``there is no unique constraint matching given keys for
        referenced table "u"``; ``REFERENCES u`` alone needs its primary key: ``there is no
        primary key for referenced table "u"``). Judged while the fold knows the whole catalog,
        for a table of the history that inherits nothing and is no partition, and not for an
        ``ALTER TABLE`` that may add a key beside it, nor while a key is made from an index;
        a deferrable key alone is ``cannot use a deferrable unique constraint for referenced
        table "u"`` (``... primary key ...`` for ``REFERENCES u``)."""
        if not self._catalog_known() or referenced.external or referenced.inherits or \
                referenced.partition_of is not None or self._has_children(referenced) or \
                len(set(constraint.ref_columns)) != len(constraint.ref_columns):
            return
        text = origin.text.upper()
        if text.lstrip().startswith("ALTER") and "," in text and any(
                word in text for word in ("UNIQUE", "PRIMARY", "INDEX")):
            return
        found = [c.constraint for c in keys if c.constraint.kind in ("primary key", "unique")]
        if any(k.using_index or not k.columns for k in found):
            return
        name = referenced.name.name
        if not constraint.ref_columns:
            primary = [k for k in found if k.kind == "primary key"]
            if not primary:
                raise self._error(origin, f'there is no primary key for referenced table '
                                  f'"{name}"')
            if primary[0].deferrable:
                raise self._error(origin, "cannot use a deferrable primary key for referenced "
                                  f'table "{name}"')
            return
        wanted = set(constraint.ref_columns)
        if any(set(k.columns) == wanted and not k.deferrable for k in found):
            return
        for _, index in self.objects.on_table(referenced.name, Index):
            if not isinstance(index, Index) or not index.unique:
                continue
            if index.where is None and all(el.column is not None and not el.suffix.lstrip(
                    ).startswith((".", "(")) for el in index.elements) and \
                    {el.column for el in index.elements} == wanted:
                return
        if any(set(k.columns) == wanted for k in found):
            raise self._error(origin, "cannot use a deferrable unique constraint for "
                              f'referenced table "{name}"')
        raise self._error(origin, "there is no unique constraint matching given keys for "
                          f'referenced table "{name}"')

    def _apply_CreateTable(self, e: ev.CreateTable) -> None:
        schema = self._creation_schema(e.name, e.origin)
        key: Key = ObjectKey.of(ObjectKind.TABLE, schema, e.name.name)
        if self._namespace_taken(schema, e.name.name):
            self._exists(e.origin, e.if_not_exists, f"relation {e.name}",
                         f'relation "{e.name.name}" already exists',
                         notice=f'relation "{e.name}" already exists, skipping')
            return
        if e.like and (e.inherits or e.partition_of is not None):
            raise self.fold_limit(e.origin, "LIKE together with INHERITS: the fold does not "
                                  "merge copied and inherited columns")
        # a sequence this statement makes may be named: a serial or identity column's, by the
        # name PostgreSQL chooses (ChooseRelationName: <table>_<column>_seq, the names cut to
        # fit, then seq1, seq2... while the name is taken), or by its SEQUENCE NAME option
        chosen = _SequenceNames(e.name.name, [
            c.name for c in e.columns
            if canonical_type_name(c.type) in SERIAL_TYPES or c.identity is not None])
        if not e.like and not any("name" in (c.identity_options or "").lower()
                                  for c in e.columns):
            for column in e.columns:
                self._check_default_sequences(column.default, e.origin, made_here=chosen)
        for column in e.columns:
            self._check_default_functions(column.default, e.origin)
            self._check_default_record(column.default, e.origin)
            if column.default:
                self._check_cast_types(column.default, e.origin)
        if not e.like and not e.inherits and e.partition_of is None:
            self._check_generated_columns(e.name.name, e.columns,
                                          frozenset(c.name for c in e.columns), e.origin)
        if e.partition_by:
            key_elements = _partition_key_elements(e.partition_by)
            if key_elements is not None:
                # PARTITION BY LIST (kind kind): a key element's operator class, as an index's
                self._check_operator_classes(*key_elements, e.origin)
        likes = [(clause, self._like_source(clause, e.origin)) for clause in e.like]
        table = Table(name=QName(schema, e.name.name), written=e.name, unlogged=e.unlogged,
                      partition_by=e.partition_by, options=e.options, created=self.ordinal,
                      external=self.external, owner=self._owner())
        columns: list[ModelColumn] = []
        pending: list[TableConstraint] = []
        sequences: list[Sequence] = []
        partition_parent = None
        if e.partition_of is not None:
            _, partition_parent = self._table(e.partition_of, e.origin)
            if partition_parent.partition_by is None:
                raise self._error(e.origin, f'"{partition_parent.name.name}" is not partitioned')
            self._check_bound(partition_parent, e.partition_bound, e.origin)
            columns = [self._inherited_column(c) for c in partition_parent.columns]
            pending.extend(self._inherited_checks(partition_parent))
            table = attrs.evolve(table, partition_of=partition_parent.name,
                                 partition_of_written=e.partition_of,
                                 partition_bound=e.partition_bound)
        for parent_name in e.inherits:
            _, parent = self._table(parent_name, e.origin)
            for c in parent.columns:
                had = next((i for i, x in enumerate(columns) if x.name == c.name), None)
                if had is None:
                    columns.append(self._inherited_column(c))
                else:
                    columns[had] = self._merge_parents(columns[had], c, e.origin)
            pending.extend(c for c in self._inherited_checks(parent)
                           if c.name not in {p.name for p in pending})
            table = attrs.evolve(table, inherits=(*table.inherits, parent.name))
            self.any_inheritance = True
        self._put(key, table)  # visible to its own foreign keys (self references)
        self._created(key, e.origin, e)

        def add(model: ModelColumn, *, declared: bool = False) -> None:
            had = next((i for i, c in enumerate(columns) if c.name == model.name), None)
            if had is not None and declared and columns[had].inherited and e.inherits:
                try:
                    columns[had] = self._merge_declared(columns[had], model, e.origin)
                except (InputError, FoldLimit):
                    del self.objects[key]
                    raise
                return
            if had is not None:
                del self.objects[key]
                raise self._error(e.origin, f'column "{model.name}" specified more than once')
            columns.append(model)

        def add_like(position: int) -> None:
            for clause, source in likes:
                if clause.position == position:
                    like_columns, like_sequences = self._like_columns(table, clause, source)
                    for model in like_columns:
                        add(model)
                    sequences.extend(like_sequences)
                    pending.extend(self._like_constraints(clause, source))

        for position, column in enumerate(e.columns):
            add_like(position)
            model, constraints, seqs = self._new_column(table, column, e.origin, key)
            add(model, declared=True)
            pending.extend(constraints)
            sequences.extend(seqs)
        add_like(len(e.columns))
        pending.extend(TableConstraint(constraint=c, created=self.ordinal) for c in e.constraints)
        table = attrs.evolve(table, columns=tuple(columns))
        for sequence in sequences:
            self._put(sequence.key(), sequence)
            self._created(sequence.key(), e.origin,
                          Account(Change.SEQUENCE_FOR_COLUMN, names=(str(sequence.name),)))
        pending = _merge_redundant_keys(pending)
        # PostgreSQL names a table's constraints in order: all kinds share one name pool
        table = self._add_constraints(key, table, pending, e.origin)
        self._put(key, self._default_grants(table, "tables"))
        # a table of no parent and no LIKE has the columns its statement lists, exactly,
        # whatever inheritance elsewhere makes uncertain
        self._check_checks(table, table.constraints, e.origin,
                           own_columns=not e.inherits and e.partition_of is None and not likes)
        for model_column in columns:
            self._created(self._column_key(table, model_column.name), e.origin, Account(
                Change.DECLARED, Part("column", model_column.name, Action.CREATED),
                names=(str(model_column.column.type),)))
        if partition_parent is not None:
            self._adopt_parent(partition_parent, key, e.origin)
        for clause, source in likes:
            self._like_indexes(table, clause, source, e.origin)

    def _apply_TableIfExists(self, e: ev.TableIfExists) -> None:
        """``ALTER TABLE IF EXISTS``: no relation of that name, and the statement's actions
        are skipped, as PostgreSQL skips them (its notice, as a warning)."""
        if self._resolve(e.table, RELATIONS) is not None:
            return
        if self.uncertain_after is not None:
            raise self.fold_limit(e.origin, f'relation "{e.table}" may have been created by '
                                  f"{self.uncertain_after.where()}")
        self.noop[e.origin] = f"relation {e.table} does not exist"
        self._warn(e.origin, f'relation "{e.table}" does not exist, skipping')
        self.skipped_statement = e.origin

    def _apply_AddColumn(self, e: ev.AddColumn) -> None:
        key, table = self._table(e.table, e.origin)
        if table.column(e.column.name) is not None:
            self._exists(e.origin, e.if_not_exists, f"column {e.column.name}",
                         f'column "{e.column.name}" of relation "{table.name.name}" already '
                         "exists", notice=f'column "{e.column.name}" already exists, skipping')
            return
        self._check_default_sequences(e.column.default, e.origin)
        self._check_default_functions(e.column.default, e.origin)
        self._check_default_record(e.column.default, e.origin)
        if e.column.default:
            self._check_cast_types(e.column.default, e.origin)
        if table.partition_of is None and not table.inherits and table.columns:
            self._check_generated_columns(
                table.name.name, [e.column],
                frozenset((*(c.name for c in table.columns), e.column.name)), e.origin)
        model, constraints, sequences = self._new_column(table, e.column, e.origin, key)
        for sequence in sequences:
            self._put(sequence.key(), sequence)
            self._created(sequence.key(), e.origin,
                          Account(Change.SEQUENCE_FOR_COLUMN, names=(str(sequence.name),)))
        before = table
        table = attrs.evolve(table, columns=(*table.columns, model))
        count = len(table.constraints)
        table = self._add_constraints(key, table, constraints, e.origin)
        self._put(key, table)
        self._check_checks(table, table.constraints[count:], e.origin)
        self._touch(key, e.origin, Action.ALTERED, e)
        self._created(self._column_key(table, e.column.name), e.origin, e)
        self._add_to_children(table, model, e.origin)
        self._constraints_to_children(key, before, e.origin)
        if key in self.uid_of and self.uid_of[key] in self.has_rows and model.column.not_null \
                and model.column.default is None and model.serial_sequence is None:
            self._warn(e.origin, "NOT NULL column added to a table that may have rows")

    def _apply_DropColumn(self, e: ev.DropColumn) -> None:
        key, table = self._table(e.table, e.origin)
        if table.column(e.column) is None:
            if e.if_exists:
                self.noop[e.origin] = f"column {e.column} does not exist"
                return
            raise self._error(e.origin, f'column "{e.column}" of relation "{table.name.name}" '
                              "does not exist")
        self._not_inherited(table, e.column, "drop", e.origin)
        self._not_partition_key(table, e.column, "drop", e.origin)
        self._drop_column(key, table, e.column, e.origin, e.cascade)

    def _drop_column(self, key: Key, table: Table, column: str, origin: ev.Origin,
                     cascade: bool) -> None:
        # foreign keys elsewhere that reference this column need CASCADE
        for other_key, other in self.objects.related(("target", table.name)):
            if not isinstance(other, Table):
                continue
            doomed = [c for c in other.constraints if c.target == table.name
                      and (column in c.constraint.ref_columns or (
                          not c.constraint.ref_columns and self._pk_has(table, column)))]
            if doomed and other_key != key:
                if not cascade:
                    raise self._error(origin, f"cannot drop column {column} of table "
                                      f"{table.name.name} because other objects depend on it")
                other = attrs.evolve(other, constraints=tuple(
                    c for c in other.constraints if c not in doomed))
                self._put(other_key, other)
                for c in doomed:
                    self._touch(other_key, origin, Action.ALTERED, Account(
                        Change.PART_DROPPED, Part("constraint", c.name, Action.DROPPED),
                        cause=self._column_key(table, column)))
        self._drop_dependent_views(table, origin, cascade, column,
                                   cause=self._column_key(table, column))
        # a policy reading it, a trigger firing on an UPDATE OF it or whose WHEN reads it
        # (NEW.a): each depends on it
        dependents = [(k, "policy", p.name) for k, p in self.objects.on_table(table.name, Policy)
                      if isinstance(p, Policy) and any(
                          text is not None and _may_read_column(text, table, column)
                          for text in (p.using, p.check))]
        dependents += [(k, "trigger", t.name)
                       for k, t in self.objects.on_table(table.name, Trigger)
                       if isinstance(t, Trigger) and _trigger_reads(t, column)]
        for dependent_key, kind, name in dependents:
            if not cascade:
                raise self._error(origin, f"cannot drop column {column} of table "
                                  f"{table.name.name} because other objects depend on it")
            del self.objects[dependent_key]
            self._dropped(dependent_key, origin, Account(
                Change.DROPPED_BY_CASCADE, names=(kind, name),
                cause=self._column_key(table, column)))
        table = self.objects[key]  # type: ignore[assignment]
        assert isinstance(table, Table)
        # a generated column computed from it goes with it under CASCADE (PostgreSQL 15:
        # "drop cascades to column g of table t"; without CASCADE PostgreSQL refuses, so a
        # history that dropped it without has none)
        for computed in table.columns:
            if cascade and computed.name != column and computed.column.generated and \
                    columns_named(computed.column.generated, {column}):
                self._drop_column(key, table, computed.name, origin, cascade)
                table = self.objects[key]  # type: ignore[assignment]
                assert isinstance(table, Table)
        constraints = tuple(c for c in table.constraints if not _constraint_uses(c, column, table))
        columns = tuple(c for c in table.columns if c.name != column)
        dropped = table.column(column)
        acl = tuple(p for p in table.acl if p.column != column)  # its privileges go with it
        self._put(key, attrs.evolve(table, columns=columns, constraints=constraints, acl=acl))
        for index_key, index in self.objects.on_table(table.name, Index):
            if (isinstance(index, Index) and index.table == table.name
                    and _index_uses(index, column)):
                del self.objects[index_key]
                self._dropped(index_key, origin, Account(
                    Change.INDEX_DROPPED_WITH_COLUMN, names=(str(index.name),),
                    cause=self._column_key(table, column)))
        for seq_key, seq in self.objects.related(("owned_by", table.name)):
            if isinstance(seq, Sequence) and seq.owned_by == (table.name, column):
                del self.objects[seq_key]
                self._dropped(seq_key, origin, Account(
                    Change.OWNED_SEQUENCE_DROPPED_WITH_COLUMN,
                    cause=self._column_key(table, column)))
        self._touch(key, origin, Action.ALTERED,
                    Account(Change.PART_DROPPED, Part("column", column, Action.DROPPED)))
        if dropped is not None:
            self._dropped(self._column_key(table, column), origin,
                          Account(Change.PART_DROPPED, Part("column", column, Action.DROPPED)))
        if self._has_children(table):
            # partitions always lose it; inheritance children unless they declared it too
            for child_key, child in self._children(table.name):
                own = child.column(column)
                # an inheritance child keeps a column another parent still gives (attinhcount)
                still_given = any(
                    isinstance(giver := self.objects.get(ObjectKey.of(ObjectKind.TABLE, p.schema,
                                                                      p.name)), Table)
                    and giver.column(column) is not None
                    for p in child.inherits if p != table.name)
                if own is not None and (child.partition_of == table.name or (
                        own.inherited and not still_given)):
                    self._drop_column(child_key, child, column, origin, cascade)
                elif own is not None:
                    # the child keeps its own column, now perhaps before inherited ones
                    self._check_inherited_order(child, origin)

    def _pk_has(self, table: Table, column: str) -> bool:
        return any(c.constraint.kind == "primary key" and column in c.constraint.columns
                   for c in table.constraints)

    def _apply_RenameColumn(self, e: ev.RenameColumn) -> None:
        # any relation's verb renames a column of any relation but a sequence (15 and 18)
        key = self._relation(e.table, e.origin, (ObjectKind.TABLE, ObjectKind.VIEW,
                                                 ObjectKind.SEQUENCE, ObjectKind.INDEX),
                             missing_ok=True)
        backing = self._key_index(e.table) if key is None else None
        if key is None and backing is None:
            if not e.if_exists:  # PostgreSQL's lookup, as the fold words it
                self._relation(e.table, e.origin, (ObjectKind.TABLE, ObjectKind.VIEW))
            self.noop[e.origin] = f"relation {e.table} does not exist"
            return
        if key is not None and key.kind == ObjectKind.SEQUENCE:
            raise self._error(e.origin, f'cannot rename columns of relation "{key.name}"')
        if key is None or key.kind == ObjectKind.INDEX:
            # an index's column (a key's index too: its table is named with it): its name is
            # PostgreSQL's choice, which the model does not carry
            self._keep_unmodelled(e.origin, "renaming a column of an index is not modelled",
                                  (backing[1].name,) if backing is not None else ())
            return
        obj = self.objects[key]
        if isinstance(obj, View):
            self._rename_view_column(key, obj, e)
            return
        assert isinstance(obj, Table)
        if obj.column(e.old) is not None:
            self._not_inherited(obj, e.old, "rename", e.origin)
        for reader in self._bare_readers(obj, e.old):
            # PostgreSQL bound the name when it made the view (by number): the fold cannot
            # tell which relation's column a bare name there is, and keeps the rename
            self._keep_unmodelled(e.origin, f"renaming a column that {reader} names bare in "
                                  "a query not reading its table is not modelled", (obj.name,))
            return
        if self._kept_for_a_policy(e.origin, "renaming a column", obj, e.old, (obj.name,)):
            return
        self._rename_column(key, obj, e.old, e.new, e.origin, e)

    def _bare_readers(self, table: Table, column: str) -> list[str]:
        """The views and SQL-standard routines reading ``table`` that name ``column`` bare in
        a query whose FROM list does not name ``table`` (:func:`bare_column_elsewhere`)."""
        found = []
        for _, view in self.objects.of_type(View):
            if isinstance(view, View) and _query_reads(view.query, table) and \
                    bare_column_elsewhere(view.query, column, table.name.name):
                found.append(f"view {view.name.name}")
        for _, function in self.objects.related(STANDARD_BODY):
            if isinstance(function, Function) and (body := function.standard_body()) and \
                    _query_reads(body, table) and \
                    bare_column_elsewhere(body, column, table.name.name):
                found.append(f"function {function.name.name}")
        return found

    def _rename_column(self, key: Key, table: Table, old: str, new: str, origin: ev.Origin,
                       statement: ev.Event) -> None:
        column = table.column(old)
        if column is None:
            raise self._error(origin, f'column "{old}" does not exist')
        if table.column(new) is not None:
            raise self._error(origin, f'column "{new}" of relation "{table.name.name}" '
                              "already exists")
        qualifiers = frozenset({table.name.name})
        e = _Renaming(old, new)

        def fix(text: str | None) -> str | None:
            return None if text is None else rename_column(text, e.old, e.new, qualifiers)

        columns = tuple(
            attrs.evolve(c, column=attrs.evolve(
                c.column, name=e.new if c.name == e.old else c.name,
                generated=fix(c.column.generated)))
            for c in table.columns
        )
        constraints = tuple(
            attrs.evolve(c, constraint=attrs.evolve(
                c.constraint,
                columns=tuple(e.new if x == e.old else x for x in c.constraint.columns),
                expression=fix(c.constraint.expression) if c.constraint.kind == "check"
                else c.constraint.expression,
                ref_columns=tuple(e.new if x == e.old else x for x in c.constraint.ref_columns)
                if c.target == table.name else c.constraint.ref_columns))
            for c in table.constraints
        )
        # column privileges follow the column
        acl = tuple(attrs.evolve(p, column=e.new) if p.column == e.old else p for p in table.acl)
        self._put(key, attrs.evolve(table, columns=columns, constraints=constraints, acl=acl))
        objects = self.objects
        for other_key, other in objects.in_order(
                objects.related(("target", table.name), ("Index", table.name),
                                ("Policy", table.name), ("owned_by", table.name),
                                ("Trigger", table.name)),
                objects.of_type(View), objects.related(STANDARD_BODY)):
            if isinstance(other, Table) and other_key != key and any(
                c.target == table.name for c in other.constraints
            ):
                self._put(other_key, attrs.evolve(other, constraints=tuple(
                    attrs.evolve(c, constraint=attrs.evolve(c.constraint, ref_columns=tuple(
                        e.new if x == e.old else x for x in c.constraint.ref_columns)))
                    if c.target == table.name else c for c in other.constraints)))
            elif isinstance(other, Index) and other.table == table.name:
                self._put(other_key, attrs.evolve(
                    other,
                    elements=tuple(attrs.evolve(
                        el, column=e.new if el.column == e.old else el.column,
                        expression=fix(el.expression)) for el in other.elements),
                    include=tuple(e.new if x == e.old else x for x in other.include),
                    where=fix(other.where)))
            elif isinstance(other, Policy) and other.table == table.name:
                self._put(other_key, attrs.evolve(other, using=fix(other.using),
                                                  check=fix(other.check)))
            elif isinstance(other, Trigger) and other.table == table.name and \
                    _trigger_reads(other, e.old):
                # UPDATE OF the column, and OLD.column / NEW.column in WHEN, follow it
                when = other.when
                self._put(other_key, attrs.evolve(
                    other, events=_rename_update_of(other.events, e.old, e.new),
                    when=None if when is None else rename_column(
                        str(when), e.old, e.new, frozenset({"old", "new"}))))
            elif isinstance(other, View) and _query_reads(other.query, table):
                names = qualifiers | aliases_of(other.query, table.name.name)
                self._put(other_key, attrs.evolve(other, query=rename_column(
                    other.query, e.old, e.new, frozenset(names), keep_output_names=True)))
            elif isinstance(other, Sequence) and other.owned_by == (table.name, e.old):
                self._put(other_key, attrs.evolve(other, owned_by=(table.name, e.new)))
            elif isinstance(other, Function) and (body := other.standard_body()) is not None \
                    and _query_reads(body, table):
                names = qualifiers | aliases_of(body, table.name.name)
                self._put(other_key, other.with_body(
                    rename_column(body, e.old, e.new, frozenset(names), keep_output_names=True)))
        self._touch(key, origin, Action.ALTERED, statement)
        self._rekey(self._column_key(table, e.old), self._column_key(table, e.new))
        self._touch(self._column_key(table, e.new), origin, Action.RENAMED, statement)
        if self._has_children(table):
            for child_key, child in self._children(table.name):
                if child.column(old) is not None:
                    self._rename_column(child_key, child, old, new, origin, statement)

    def _column_update(self, e: ev.Event, table_name: QName, column: str,
                       change: Callable[[ModelColumn], ModelColumn], *,
                       recurse: bool = True) -> None:
        key, table = self._table(table_name, e.origin)
        self._update_column(key, table, e, column, change, recurse)

    def _update_column(self, key: Key, table: Table, e: ev.Event, column: str,
                       change: Callable[[ModelColumn], ModelColumn], recurse: bool) -> None:
        model = table.column(column)
        if model is None:
            raise self._error(e.origin, f'column "{column}" of relation "{table.name.name}" '
                              "does not exist")
        columns = tuple(change(c) if c.name == column else c for c in table.columns)
        self._put(key, attrs.evolve(table, columns=columns))
        self._touch(key, e.origin, Action.ALTERED, e)
        self._touch(self._column_key(table, column), e.origin, Action.ALTERED, e)
        if recurse and self._has_children(table):
            for child_key, child in self._children(table.name):
                if child.column(column) is not None:
                    self._update_column(child_key, child, e, column, change, recurse)

    def _apply_AlterColumnType(self, e: ev.AlterColumnType) -> None:
        _, table = self._table(e.table, e.origin)
        self._check_type_exists(e.type, e.origin)
        if (table.inherits or table.partition_of is not None) and \
                table.column(e.column) is not None:
            self._not_inherited(table, e.column, "alter", e.origin)
        self._not_partition_key(table, e.column, "alter", e.origin)
        if table.column(e.column) is not None:
            self._check_retyped_readers(table, e.column, e.origin)
            for _, trigger in self.objects.on_table(table.name, Trigger):
                if isinstance(trigger, Trigger) and _trigger_reads(trigger, e.column):
                    raise self._error(e.origin, "cannot alter type of a column used in a "
                                      "trigger definition")

        def change(c: ModelColumn) -> ModelColumn:
            column = attrs.evolve(c.column, type=e.type,
                                  default=_default_after_type_change(c.column, e.type),
                                  # without COLLATE the new type's own collation: the
                                  # old one goes, even when the type stays (PostgreSQL)
                                  collation=e.collation or None)
            if c.serial_sequence is not None:
                # the sequence keeps its type (AS integer); from now on it is explicit
                self._unserial(c)
                column = attrs.evolve(column, default=f"nextval('{_regclass(c, table)}'::regclass)")
                return attrs.evolve(c, column=column, serial_sequence=None)
            return attrs.evolve(c, column=column)

        self._column_update(e, e.table, e.column, change)

    def _unserial(self, column: ModelColumn) -> None:
        assert column.serial_sequence is not None
        seq_key: Key = ObjectKey.of(ObjectKind.SEQUENCE, column.serial_sequence.schema,
                                    column.serial_sequence.name)
        seq = self.objects.get(seq_key)
        if isinstance(seq, Sequence):
            self._put(seq_key, attrs.evolve(seq, implicit=False))

    def _apply_SetColumnDefault(self, e: ev.SetColumnDefault) -> None:
        found = self._resolve(e.table, (ObjectKind.TABLE, ObjectKind.VIEW))
        view = self.objects.get(found) if found is not None else None
        if isinstance(view, View) and not view.materialized:
            self._view_column_default(view, e)
            return

        def change(c: ModelColumn) -> ModelColumn:
            self._check_default_sequences(e.default, e.origin)
            self._check_default_functions(e.default, e.origin)
            self._check_default_record(e.default, e.origin)
            if e.default:
                self._check_cast_types(e.default, e.origin)
            if c.serial_sequence is not None:
                self._unserial(c)
                c = attrs.evolve(c, serial_sequence=None, column=attrs.evolve(
                    c.column, type=SERIAL_TYPES.get(canonical_type_name(c.column.type),
                                                    c.column.type)))
            self._check_enum_default(c.column.type, e.default, e.origin)
            return attrs.evolve(c, column=attrs.evolve(c.column, default=e.default))

        self._column_update(e, e.table, e.column, change)

    def _view_column_default(self, view: View, e: ev.SetColumnDefault) -> None:
        """``ALTER TABLE v ALTER COLUMN c SET DEFAULT`` (or ``DROP DEFAULT``) on a view:
        PostgreSQL takes it (15 and 18: a default for what is inserted through the view), as
        ``ALTER VIEW``'s form, which the fold keeps verbatim: so is this. The column must be
        the view's."""
        names = view_output_names(view)
        if names is not None and e.column not in names:
            raise self._error(e.origin, f'column "{e.column}" of relation "{view.name.name}" '
                              "does not exist")
        self._keep_unmodelled(e.origin, "a view's column default is not modelled")

    def _apply_SetColumnNotNull(self, e: ev.SetColumnNotNull) -> None:
        key, table = self._table(e.table, e.origin)
        if not e.not_null and self._pk_has(table, e.column):
            raise self._error(e.origin, f'column "{e.column}" is in a primary key')

        def change(c: ModelColumn) -> ModelColumn:
            if c.serial_sequence is not None and not e.not_null:
                # serial is NOT NULL by itself: without it the column is written out explicitly
                self._unserial(c)
                return attrs.evolve(c, serial_sequence=None, column=attrs.evolve(
                    c.column, not_null=False,
                    type=SERIAL_TYPES.get(canonical_type_name(c.column.type), c.column.type),
                    default=f"nextval('{_regclass(c, table)}'::regclass)"))
            return attrs.evolve(c, column=attrs.evolve(c.column, not_null=e.not_null))

        if not e.not_null:
            self._own_not_null_kept(table, e)
            self._column_update(e, e.table, e.column, change)
            return
        self._column_update(e, e.table, e.column, change, recurse=False)
        self._not_null_to_children(key, e, change)

    def _own_not_null_kept(self, table: Table, e: ev.SetColumnNotNull) -> None:
        """``DROP NOT NULL`` on an inheritance parent whose child has the column as its own
        too (declared in its CREATE TABLE ... INHERITS, or had before ALTER TABLE ... INHERIT),
        NOT NULL: 15 drops the child's, 18.6 keeps it (a local constraint of the child), so no
        one consolidation is right on both: a fold limit."""
        if not self.any_inheritance:
            return
        for _, child in self._children(table.name):
            own = child.column(e.column)
            if table.name in child.inherits and own is not None and not own.inherited \
                    and own.column.not_null:
                raise self.fold_limit(e.origin, f'DROP NOT NULL on "{table.name.name}" reaches '
                                      f'the own NOT NULL of "{child.name.name}" (15 drops it, '
                                      "18 keeps it)")

    def _not_null_to_children(self, parent_key: Key, e: ev.SetColumnNotNull,
                              change: Callable[[ModelColumn], ModelColumn]) -> None:
        """``SET NOT NULL`` on a parent reaches every partition and child. PostgreSQL 18 (checked
        on 18.6) gives a child whose column was nullable the parent's constraint name; a child
        that had a NOT NULL of its own keeps its name."""
        parent = self.objects[parent_key]
        assert isinstance(parent, Table)
        source = parent.column(e.column)
        if source is None or not self._has_children(parent):
            return
        name = source.not_null_name

        def inherit(c: ModelColumn) -> ModelColumn:
            had = c.column.not_null or c.column.identity is not None
            changed = change(c)
            return changed if had else attrs.evolve(changed, not_null_name=name)

        for child_key, child in self._children(parent.name):
            if child.column(e.column) is not None:
                self._update_column(child_key, child, e, e.column, inherit, recurse=False)
                self._not_null_to_children(child_key, e, change)

    def _apply_SetIdentityGeneration(self, e: ev.SetIdentityGeneration) -> None:
        _, table = self._table(e.table, e.origin)
        column = table.column(e.column)
        if column is None:
            raise self._error(e.origin, f'column "{e.column}" does not exist')
        if column.column.identity is None:
            raise self._error(e.origin, f'column "{e.column}" of relation "{table.name.name}" '
                              "is not an identity column")
        altered = e.restart or e.options != ev.SequenceOptions()
        sequence = self._identity_sequence_of(table, e.column) if altered else None
        if altered and (sequence is None or table.partition_of is not None
                        or table.partition_by is not None):
            # a partitioned table's identity is its partitions' too from PostgreSQL 17 on
            self._keep_unmodelled(e.origin, "an identity's sequence options or RESTART on a "
                                  "partitioned table or a partition are not modelled",
                                  (table.name,))
            return
        if e.identity is not None:
            identity = e.identity
            self._column_update(e, e.table, e.column, lambda c: attrs.evolve(
                c, column=attrs.evolve(c.column, identity=identity)), recurse=False)
        if sequence is not None:
            # PostgreSQL alters the identity's sequence as ALTER SEQUENCE does: that action of
            # the statement, applied as any (kept verbatim where the sequence is, a RESTART's
            # position followed by the rows inserted after it)
            self.apply(ev.AlterSequence(
                origin=e.origin, name=sequence.name, options=e.options, restart=e.restart,
                restart_with=e.restart_with))

    def _check_identity_not_null(self, table: Table, column: ev.Column,
                                 origin: ev.Origin) -> None:
        """``ALTER COLUMN c ADD GENERATED ... AS IDENTITY`` needs ``c`` NOT NULL (a primary key
        makes it so; a ``CHECK (c IS NOT NULL)`` does not): PostgreSQL's ``column "c" of
        relation "t" must be declared NOT NULL before identity can be added``. Judged for an
        ``ALTER TABLE`` of one subcommand (PostgreSQL runs a ``SET NOT NULL`` or ``ADD PRIMARY
        KEY`` beside it first, whatever the order written), on a table that inherits nothing
        and is no partition, while every statement before was folded."""
        if "," in origin.text or self.uncertain_after is not None or table.inherits or \
                table.partition_of is not None or column.not_null or any(
                    c.kind == "primary key" for c in column.constraints) or any(
                    tc.constraint.kind == "primary key" and column.name in tc.constraint.columns
                    for tc in table.constraints):
            return
        raise self._error(origin, f'column "{column.name}" of relation "{table.name.name}" '
                          "must be declared NOT NULL before identity can be added")

    def _apply_SetColumnIdentity(self, e: ev.SetColumnIdentity) -> None:
        key, table = self._table(e.table, e.origin)
        column = table.column(e.column)
        if column is None:
            raise self._error(e.origin, f'column "{e.column}" does not exist')
        if e.identity is None:
            if column.column.identity is None:
                if e.if_exists:
                    self.noop[e.origin] = "column is not an identity column"
                    return
                raise self._error(e.origin, f'column "{e.column}" is not an identity column')
            for seq_key, seq in list(self.objects.items()):
                if isinstance(seq, Sequence) and seq.identity and seq.owned_by == (
                        table.name, e.column):
                    del self.objects[seq_key]
                    self._dropped(seq_key, e.origin, Account(Change.IDENTITY_SEQUENCE_DROPPED))
        else:
            self._check_identity_not_null(table, column.column, e.origin)
            _, _, sequences = self._new_column(table, attrs.evolve(
                column.column, identity=e.identity, identity_options=e.options,
                identity_sequence=e.sequence), e.origin, key)
            for seq in sequences:
                self._put(seq.key(), seq)
                self._created(seq.key(), e.origin, Account(Change.IDENTITY_SEQUENCE))
        self._column_update(e, e.table, e.column, lambda c: attrs.evolve(c, column=attrs.evolve(
            c.column, identity=e.identity, identity_options=e.options,
            identity_sequence=e.sequence,
            not_null=c.column.not_null or e.identity is not None)), recurse=False)

    def _apply_AddConstraint(self, e: ev.AddConstraint) -> None:
        key, table = self._table(e.table, e.origin)
        if (e.constraint.name is not None and table.constraint_named(e.constraint.name)
                and e.if_not_exists):
                self.noop[e.origin] = f"constraint {e.constraint.name} exists"
                return
        before = table
        table = self._add_constraints(
            key, table, [TableConstraint(constraint=e.constraint, created=self.ordinal)], e.origin
        )
        self._put(key, table)
        self._check_checks(table, table.constraints[len(before.constraints):], e.origin)
        self._constraints_to_children(key, before, e.origin, keys=not e.only)

    def _apply_DropConstraint(self, e: ev.DropConstraint) -> None:
        key, table = self._table(e.table, e.origin)
        constraint = table.constraint_named(e.name)
        if constraint is None:
            if e.if_exists:
                self.noop[e.origin] = f"constraint {e.name} does not exist"
                return
            raise self._error(e.origin, f'constraint "{e.name}" of relation "{table.name.name}" '
                              "does not exist")
        if constraint.constraint.kind == "check" and constraint.parent_constraint is not None:
            # also one the child had before ALTER TABLE ... INHERIT (15 and 18.6)
            raise self._error(e.origin, f'cannot drop inherited constraint "{e.name}" of '
                              f'relation "{table.name.name}"')
        if constraint.constraint.kind in ("primary key", "unique"):
            def backing(fk: TableConstraint) -> str | None:
                """The key a foreign key depends on: the primary key when it names no columns;
                else the first key (by creation) on those columns that existed when it was
                made, as PostgreSQL picks the first matching unique index by OID."""
                if not fk.constraint.ref_columns:
                    return next((k.name for k in table.constraints
                                 if k.constraint.kind == "primary key"), None)
                keys = [(k.created, n, k.name) for n, k in enumerate(table.constraints)
                        if k.constraint.kind in ("primary key", "unique")
                        and set(k.constraint.columns) == set(fk.constraint.ref_columns)
                        and k.created <= fk.created]
                return min(keys)[2] if keys else None

            for other_key, other in list(self.objects.items()):
                if isinstance(other, Table) and other_key != key:
                    doomed = [c for c in other.constraints if c.target == table.name and (
                        backing(c) == e.name if backing(c) is not None else (
                            set(c.constraint.ref_columns) == set(constraint.constraint.columns)
                            or (not c.constraint.ref_columns
                                and constraint.constraint.kind == "primary key")))]
                    if doomed:
                        if not e.cascade:
                            raise self._error(e.origin, f"cannot drop constraint {e.name} "
                                              "because other objects depend on it")
                        self._put(other_key, attrs.evolve(other, constraints=tuple(
                            c for c in other.constraints if c not in doomed)))
        self._put(key, attrs.evolve(table, constraints=tuple(
            c for c in table.constraints if c.name != e.name)))
        self._touch(key, e.origin, Action.ALTERED,
                    Account.of(e, part=Part("constraint", e.name, Action.DROPPED)))
        self._drop_from_children(table, e.name, e.origin)

    def _apply_ValidateConstraint(self, e: ev.ValidateConstraint) -> None:
        key, table = self._table(e.table, e.origin)
        if table.constraint_named(e.name) is None:
            raise self._error(e.origin, f'constraint "{e.name}" does not exist')
        self._put(key, attrs.evolve(table, constraints=tuple(
            attrs.evolve(c, constraint=attrs.evolve(c.constraint, not_valid=False))
            if c.name == e.name else c for c in table.constraints)))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_SetRowSecurity(self, e: ev.SetRowSecurity) -> None:
        key, table = self._table(e.table, e.origin)
        table = attrs.evolve(
            table,
            rls_enabled=table.rls_enabled if e.enabled is None else e.enabled,
            rls_forced=table.rls_forced if e.forced is None else e.forced,
        )
        self._put(key, table)
        self._touch(key, e.origin, Action.ALTERED, e)

    def _rename_constraint(self, key: Key, table: Table, old: str, new: str, origin: ev.Origin,
                           statement: ev.Event) -> None:
        if table.constraint_named(new) is not None:
            raise self._error(origin, f'constraint "{new}" for relation "{table.name.name}" '
                              "already exists")
        renamed = table.constraint_named(old)
        assert renamed is not None
        self._put(key, attrs.evolve(table, constraints=tuple(
            attrs.evolve(c, constraint=attrs.evolve(c.constraint, name=new))
            if c.name == old else c for c in table.constraints)))
        self._touch(key, origin, Action.RENAMED, statement)
        if not self._has_children(table):
            return
        for child_key, child in self._children(table.name):
            clone = next((c for c in child.constraints if c.parent_constraint == old), None)
            if clone is None:
                continue
            # inherited CHECKs share the parent's name and are renamed with it; cloned keys
            # keep the name chosen for the partition
            child = attrs.evolve(child, constraints=tuple(
                attrs.evolve(c, parent_constraint=new) if c is clone else c
                for c in child.constraints))
            self._put(child_key, child)
            if renamed.constraint.kind == "check" and clone.name == old:
                self._rename_constraint(child_key, child, old, new, origin, statement)


class _SequenceNames:
    """The names PostgreSQL may give the serial and identity sequences of one ``CREATE TABLE``
    (``<table>_<column>_seq``, then ``seq1`` ... ``seq99``, cut to fit), made when first asked:
    only a default calling ``nextval('...')`` asks, and a table's hundred names a column
    cost more than the rest of most ``CREATE TABLE`` statements' checks."""

    __slots__ = ("_columns", "_names", "_table")

    def __init__(self, table: str, columns: list[str]) -> None:
        self._table = table
        self._columns = columns
        self._names: frozenset[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self._names is None:
            self._names = frozenset(make_object_name(self._table, column, f"seq{n or ''}")
                                    for column in self._columns for n in range(100))
        return name in self._names


@attrs.frozen
class _Renaming:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    old: str
    new: str


#: Built-in types (canonical, without typmod) whose name casts a string literal to a constant of
#: exactly that type, as PostgreSQL prints it. ``character`` is written ``bpchar`` (``character``
#: alone is ``character(1)``); types whose typmod the literal keeps (``interval``) or whose bare
#: name means a length (``bit``), and types of the history, are left out.
_STRING_CAST_TYPES = {
    "text": "text", "character varying": "character varying", "character": "bpchar",
    "smallint": "smallint", "integer": "integer", "bigint": "bigint", "numeric": "numeric",
    "real": "real", "double precision": "double precision", "boolean": "boolean",
    "date": "date", "timestamp without time zone": "timestamp without time zone",
    "timestamp with time zone": "timestamp with time zone",
    "time without time zone": "time without time zone",
    "time with time zone": "time with time zone", "uuid": "uuid", "json": "json",
    "jsonb": "jsonb", "bytea": "bytea", "inet": "inet", "cidr": "cidr",
}


def _default_after_type_change(column: ev.Column, new_type: str) -> str | None:
    """The default of ``column`` once ``ALTER COLUMN ... TYPE new_type`` changed its type.

    PostgreSQL keeps the stored default, typed by the old type, and coerces it to the new one: an
    untyped string literal (``'a'`` on a ``varchar(20)`` column) stays a constant of the old type
    (``'a'::character varying`` on the ``text`` column it becomes). Written with that cast, the
    default a consolidation creates the column with is the same expression."""
    default = column.default
    old = canonical_type(column.type)
    if default is None or old == canonical_type(new_type):
        return default
    literal = string_literal(default)
    base = old.removesuffix("[]" * old.count("[]"))
    if (literal is None or literal[1] is not None or not default.lstrip("( ").startswith("'")
            or base not in _STRING_CAST_TYPES):
        return default
    return f"{default}::{_STRING_CAST_TYPES[base]}" + "[]" * old.count("[]")


def _merge_redundant_keys(pending: list[TableConstraint]) -> list[TableConstraint]:
    """PostgreSQL's ``transformIndexConstraints``: in one ``CREATE TABLE``, a ``UNIQUE`` whose
    index would equal the primary key's (or an earlier ``UNIQUE``'s) -- same columns in the same
    order, same ``INCLUDE``, ``NULLS NOT DISTINCT`` and deferral -- is merged into it: one index,
    one constraint, which takes the merged one's name if it had none (``PRIMARY KEY,
    CONSTRAINT u UNIQUE (id)`` makes a primary key named ``u``). ``WITH`` and the tablespace are
    not compared. The primary key is considered first, wherever it is written."""
    def signature(c: ev.Constraint) -> tuple[object, ...]:
        return (c.columns, c.nulls_not_distinct, c.deferrable, c.initially_deferred, c.include)

    keys = [i for i, tc in enumerate(pending)
            if tc.constraint.kind in ("primary key", "unique") and tc.parent_constraint is None]
    keys.sort(key=lambda i: pending[i].constraint.kind != "primary key")
    result: list[TableConstraint | None] = list(pending)
    kept: list[int] = []
    for i in keys:
        constraint = pending[i].constraint
        prior = next((k for k in kept if signature(pending[k].constraint)
                      == signature(constraint)), None)
        if prior is None:
            kept.append(i)
            continue
        result[i] = None
        merged = result[prior]
        assert merged is not None
        if merged.constraint.name is None and constraint.name is not None:
            result[prior] = attrs.evolve(merged, constraint=attrs.evolve(
                merged.constraint, name=constraint.name))
    return [tc for tc in result if tc is not None]


def _partition_key_elements(partition_by: str
                            ) -> tuple[str, tuple[ev.IndexElement, ...]] | None:
    """A partition key (``LIST (kind text_ops)``) as the access method its operator classes
    belong to (``hash`` for HASH, ``btree`` for LIST and RANGE) and its elements read as an
    index's; None for text not of that shape."""
    from schemafold.errors import InputError
    from schemafold.parse.postgres.tables import index_element
    from schemafold.parse.tokens import Cursor, word

    try:
        cursor = Cursor(partition_by)
        strategy = word(cursor.next())
        first, last = cursor.group()
        elements = tuple(index_element(cursor.sub(a, b))
                         for a, b in cursor.split_top_level(first, last))
    except InputError:
        return None
    if strategy not in ("LIST", "RANGE", "HASH") or not cursor.at_end():
        return None
    return ("hash" if strategy == "HASH" else "btree"), elements


def _exclude_columns(constraint: ev.Constraint) -> list[str]:
    from schemafold.parse.tokens import Cursor, TokenType

    names = []
    cursor = Cursor(constraint.expression or "")
    for first, last in cursor.split_top_level(0, len(cursor.tokens)):
        part = cursor.sub(first, last)
        if part.at_type(TokenType.L_PAREN) or part.at_type(TokenType.L_PAREN, 1):
            names.append("expr")
        else:
            names.append(part.identifier())
    return names


#: Tokens and words a call that is an operand may follow (in a SQL body's statement).
_OPERAND_AFTER = frozenset({
    TokenType.EQ, TokenType.NEQ, TokenType.LT, TokenType.GT, TokenType.LTE, TokenType.GTE,
    TokenType.PLUS, TokenType.DASH, TokenType.STAR, TokenType.SLASH, TokenType.DPIPE,
    TokenType.MOD})
_OPERAND_AFTER_WORDS = frozenset({"SELECT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN",
                                  "ELSE", "RETURN", "HAVING"})


def _string_after_call(tokens: Seq[Token], open_at: int) -> bool:
    """Whether the parenthesis at ``open_at`` closes right before a string constant: a typed
    constant of a type with modifiers (``bpchar(3) 'x'``), not a call."""
    from schemafold.parse.query_syntax import after_group

    after = after_group(tokens, open_at)
    return after is not None and after < len(tokens) and is_string(tokens[after])


#: What may come right before a typed constant ``name 'text'`` in an expression: the start of
#: an operand (PostgreSQL's ``func_name Sconst``, a constant of the type ``name``).
_OPERAND_STARTS = frozenset({
    TokenType.L_PAREN, TokenType.COMMA, TokenType.EQ, TokenType.NEQ, TokenType.LT, TokenType.GT,
    TokenType.LTE, TokenType.GTE, TokenType.PLUS, TokenType.DASH, TokenType.STAR,
    TokenType.SLASH, TokenType.DPIPE, TokenType.ARROW, TokenType.DARROW, TokenType.HASH_ARROW,
    TokenType.DHASH_ARROW, TokenType.AT_GT, TokenType.LT_AT})
_OPERAND_START_WORDS = frozenset({"AND", "OR", "NOT", "WHERE", "SELECT", "THEN", "ELSE", "WHEN"})


def _typed_literal_type(tokens: Seq[Token], at: int) -> bool:
    """Whether the string at ``at`` is a typed constant's (``mood 'happy'``, ``"mood" 'happy'``),
    its type the plain name right before it: a name that is no key word, or a quoted one (a
    bare word beyond ASCII reads as one, a byte order mark too), where an operand starts."""
    from schemafold.parse.keywords import KEYWORDS
    from schemafold.parse.tokens import word

    name = tokens[at - 1] if at >= 1 else None
    if name is None or not (name.token_type == TokenType.IDENTIFIER or (
            name.token_type == TokenType.VAR and name.text.lower() not in KEYWORDS)):
        return False
    if at == 1:
        return True
    before = tokens[at - 2]
    return before.token_type in _OPERAND_STARTS or word(before) in _OPERAND_START_WORDS


def _typed_call_literal_type(tokens: Seq[Token], at: int) -> str | None:
    """The type's name when the string at ``at`` closes a typed constant with modifiers written
    like a call (``bpchar(3) 'abc'``; ``lower('s') 'T'``, a comma lost, PostgreSQL reads as a
    constant of the type ``lower``: gram.y's ``func_name ( func_arg_list ) Sconst``): an
    unqualified name that is no key word, its parentheses holding something other than ``*``,
    where an operand starts. None for any other string."""
    from schemafold.parse.keywords import KEYWORDS
    from schemafold.parse.tokens import word

    if at < 4 or tokens[at - 1].token_type != TokenType.R_PAREN:
        return None
    depth = 0
    opening = at - 1
    while opening >= 0:
        kind = tokens[opening].token_type
        if kind == TokenType.R_PAREN:
            depth += 1
        elif kind == TokenType.L_PAREN:
            depth -= 1
            if depth == 0:
                break
        opening -= 1
    if opening < 1 or opening + 2 >= at or (
            opening + 3 == at and tokens[opening + 1].token_type == TokenType.STAR):
        return None  # f() 'x', count(*) 'x': PostgreSQL's syntax error, no constant
    name = tokens[opening - 1]
    if not (name.token_type == TokenType.IDENTIFIER or (
            name.token_type == TokenType.VAR and name.text.lower() not in KEYWORDS)):
        return None
    if opening >= 2:
        before = tokens[opening - 2]
        if before.token_type not in _OPERAND_STARTS and word(before) not in _OPERAND_START_WORDS:
            return None  # s.f(1) 'x' (qualified), OPTIONS ... : left alone
    return identifier_of(name)


def _rename_update_of(events: str, old: str, new: str) -> str:
    """A trigger's events (``INSERT OR UPDATE OF a, b``) with column ``old`` of an ``UPDATE OF``
    list named ``new``."""
    from schemafold.fragment import fragment
    from schemafold.names import quote_ident

    edits = []
    listed = False
    for token in fragment(events).tokens_or_none() or ():
        if token.token_type != TokenType.IDENTIFIER and identifier_of(token) in ("of", "or"):
            listed = identifier_of(token) == "of"
        elif listed and identifier_of(token) == old:
            edits.append((token.start, token.end + 1))
    for start, end in reversed(edits):
        events = events[:start] + quote_ident(new) + events[end:]
    return events


def _trigger_reads(trigger: Trigger, column: str) -> bool:
    """Whether ``trigger`` fires on ``UPDATE OF column`` or its ``WHEN`` reads ``OLD.column``
    or ``NEW.column``: PostgreSQL records it as depending on the column."""
    from schemafold.fragment import fragment

    tokens = list(fragment(trigger.events).tokens_or_none() or ())
    listed = False
    for token in tokens:
        if token.token_type != TokenType.IDENTIFIER and identifier_of(token) in ("of", "or"):
            listed = identifier_of(token) == "of"
        elif listed and identifier_of(token) == column:
            return True
    when = list(trigger.when.tokens_or_none() or ()) if trigger.when is not None else []
    return any(identifier_of(token) == column and i >= 2
               and when[i - 1].token_type == TokenType.DOT
               and identifier_of(when[i - 2]) in ("old", "new")
               for i, token in enumerate(when))
