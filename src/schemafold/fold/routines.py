"""Folding routines and what runs on a table: functions, procedures, triggers, policies.

Owns: ``CREATE [OR REPLACE] FUNCTION`` / ``PROCEDURE`` (the body pinned as the consolidation
must write it), ``CREATE TRIGGER``, ``CREATE`` / ``ALTER POLICY``.

Must not know: what a routine's body does (``procedures`` runs PL/pgSQL), rendering, databases.
"""

from __future__ import annotations

from typing import Any

import attrs

from schemafold import events as ev
from schemafold.fold.privileges import PrivilegeFolding
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Action
from schemafold.model import Function, Key, Policy, Table, Trigger, View, routine_head
from schemafold.names import QName
from schemafold.parse.postgres.objects import routine_parameters


class RoutineFolding(PrivilegeFolding):
    """Functions, procedures, triggers and policies."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: the CREATE FUNCTION or PROCEDURE applied, by its statement's text: what
        #: ``CREATE OR REPLACE`` compares with, without reading the routine's text again
        #: (a cache: a text renames rewrote is read anew)
        self.routines_written: dict[str, ev.CreateFunction] = {}

    def _apply_CreateFunction(self, e: ev.CreateFunction) -> None:
        schema = self._creation_schema(e.name, e.origin)
        self._check_language(e)
        self._check_signature_types(e)
        self._check_sql_body(e)
        if not self._interpreting():  # a body's statement: its origin is the body's
            self.routines_written[e.origin.text] = e
        text, e = self._pinned_signature(e)
        key: Key = ObjectKey.of(ObjectKind.FUNCTION, schema, e.name.name, signature=e.arg_types)
        existing = self.objects.get(key)
        if existing is None:  # the same types written otherwise (public.t for t): the same
            key = next((k for k in self.objects.keys_named("function", schema, e.name.name)
                        if self._same_argument_types(k[3], e.arg_types)), key)
            existing = self.objects.get(key)
        if existing is not None:
            if not e.or_replace:
                raise self._error(e.origin, f'function "{e.name.name}" already exists with same '
                                  "argument types")
            assert isinstance(existing, Function)
            self._check_same_result(existing, e)
            self._replace(key, e.origin)
            self._put(key, self._pin_body(attrs.evolve(
                existing, text=text, language=e.language, body=e.body,
                returns_trigger=e.returns_trigger, all_arg_types=e.all_types or None)))
            self._touch(key, e.origin, Action.ALTERED, e)
            return
        self._put(key, self._default_grants(self._pin_body(Function(
            name=QName(schema, e.name.name), written=e.name, arg_types=e.arg_types,
            text=text, procedure=e.procedure, returns_trigger=e.returns_trigger,
            all_arg_types=e.all_types or None,
            language=e.language, body=e.body, created=self.ordinal, external=self.external,
        )), "functions"))
        self._created(key, e.origin, e)

    def _pinned_signature(self, e: ev.CreateFunction) -> tuple[str, ev.CreateFunction]:
        """A routine's statement, and the event, with the types its signature names
        unqualified qualified where ``search_path`` differs from the initial one and they
        resolve elsewhere than the consolidation's home (``_pin_type``, as a column's type is):
        PostgreSQL looks them up when it creates the routine, and the consolidation creates it
        under its own search_path (``SET search_path = app; CREATE FUNCTION f(i item)``
        must be written ``f(i app.item)``). Where the statement names such a type otherwise
        (``item.c%TYPE``, a quoted name, the routine's own name), folding stops."""
        text = str(e.origin.text)
        if self.search_path == self.initial_search_path:
            return text, e
        from schemafold.names import split_qualified
        from schemafold.parse.postgres.objects import table_column_types
        from schemafold.rewrite import rename_signature_type

        returns = (e.returns or "").strip()
        if returns[:6].upper() == "SETOF ":
            returns = returns[6:].strip()
        written = [*e.arg_types, *e.all_types,
                   *(table_column_types(returns) if returns[:5].upper() == "TABLE"
                     else [returns] if returns else [])]
        pinned: dict[str, str] = {}
        for type_text in written:
            if "%" in type_text:
                # t.c%TYPE: PostgreSQL reads t through search_path when it creates the routine
                relation = split_qualified(type_text.split("%")[0])
                if len(relation) == 2 and self._pin_type(relation[0]) != relation[0]:
                    raise self.fold_limit(e.origin, "a routine's signature names a column's "
                                          "type through a search_path the consolidation does "
                                          "not create it under")
                continue
            base = type_text.rstrip("[] ")
            parts = split_qualified(base)
            if len(parts) != 1:
                continue
            found = split_qualified(self._pin_type(base))
            if len(found) == 2 and found[1] == parts[0]:
                pinned[parts[0]] = found[0]
        if not pinned:
            return text, e
        head = routine_head(text, e.body, e.language)
        rewritten: str | None = head
        for name, schema in pinned.items():
            if '"' in head or rewritten is None:
                break
            rewritten = rename_signature_type(rewritten, name, name, schema, qualify=True)
        if rewritten is None or '"' in head:
            raise self.fold_limit(e.origin, "a routine's signature names a type through a "
                                  "search_path the consolidation does not create it under")
        from schemafold.parse.postgres import translate

        text = rewritten + text[len(head):]
        event = next(event for event in translate(ev.Origin(
            file="<function>", line=1, text=text)).events if isinstance(event, ev.CreateFunction))
        return text, attrs.evolve(e, arg_types=event.arg_types, all_types=event.all_types,
                                  returns=event.returns)

    def _check_same_result(self, existing: Function, e: ev.CreateFunction) -> None:
        """``CREATE OR REPLACE FUNCTION`` keeps the function's result type: one written as
        another built-in type, or as a set of it where it was one value (or the reverse), is
        PostgreSQL's ``cannot change return type of existing function``. Compared only where
        both are built-in types of one word or a common alias (``int`` is ``integer``):
        a type the history made may have been renamed since. Then, as PostgreSQL's
        ProcedureCreate checks in turn (``_check_same_parameters``): the row its ``OUT``
        parameters make, its input parameters' names, its defaults. Before all, a function
        stays a function and a procedure a procedure (``cannot change routine kind``)."""
        if e.procedure != existing.procedure:
            raise self._error(e.origin, "cannot change routine kind")
        if e.procedure:
            self._check_same_parameters(existing, e)
            return
        if e.returns is not None:
            written = self._written_routine(existing.text)
            before = None if written is None or written.returns is None else \
                _plain_result(written.returns)
            after = _plain_result(e.returns)
            if before is not None and after is not None and before != after:
                raise self._error(e.origin, "cannot change return type of existing function")
        self._check_same_parameters(existing, e)

    def _written_routine(self, text: str) -> ev.CreateFunction | None:
        """The ``CREATE FUNCTION`` or ``PROCEDURE`` a routine's text (its statement as
        written) makes: the one applied, or the text read again (one a rename rewrote), or
        None."""
        from schemafold.errors import InputError
        from schemafold.parse.postgres import translate

        applied = self.routines_written.get(text)
        if applied is not None:
            return applied
        try:
            events = translate(ev.Origin(file="<function>", line=1, text=text)).events
        except InputError:
            return None
        return next((event for event in events if isinstance(event, ev.CreateFunction)), None)

    def _check_same_parameters(self, existing: Function, e: ev.CreateFunction) -> None:
        """What else ``CREATE OR REPLACE`` of a routine keeps, read from both statements as
        written (``routine_parameters``): a function returns a set still, or still not
        (``RETURNS TABLE`` is one); its result's type, which ``OUT`` parameters make (one: its
        type; more: a row of their names and types; the name of an unnamed one is
        ``columnN``), so a row of other names, another number of columns, or another built-in
        type is ``cannot change return type of existing function``, as a row for a built-in
        type or the reverse is; a procedure keeps having ``OUT`` parameters or none
        (``cannot change whether a procedure has output parameters``) and their row. Then an
        input parameter's name stays (``cannot change name of input parameter "x"``; one
        unnamed may be named) and no default goes (``cannot remove parameter defaults from
        existing function``). A type is compared only where both are ``_PLAIN_RESULTS``."""
        written = self._written_routine(existing.text)
        old = None if written is None else routine_parameters(written.arguments,
                                                              written.returns)
        after = routine_parameters(e.arguments, e.returns)
        if written is None or old is None or after is None or \
                existing.procedure != e.procedure:
            return
        old_returns = written.returns
        if e.procedure:
            old_row, new_row = _output_row(old), _output_row(after)
            if bool(old_row) != bool(new_row):
                raise self._error(e.origin, "cannot change whether a procedure has output "
                                  "parameters")
            if _rows_differ(old_row, new_row):
                raise self._error(e.origin, "cannot change return type of existing function")
        else:
            old_result = _function_result(old, old_returns)
            new_result = _function_result(after, e.returns)
            if old_result is None or new_result is None:
                return
            if old_result[0] != new_result[0] or _results_differ(old_result[1], new_result[1]):
                raise self._error(e.origin, "cannot change return type of existing function")
        old_inputs = [p for p in old if p[0] in ("IN", "INOUT", "VARIADIC")]
        new_inputs = [p for p in after if p[0] in ("IN", "INOUT", "VARIADIC")]
        if len(old_inputs) != len(new_inputs):
            return
        for was, now in zip(old_inputs, new_inputs, strict=True):
            if was[1] is not None and was[1] != now[1]:
                raise self._error(e.origin, f'cannot change name of input parameter "{was[1]}"')
        if sum(p[3] for p in new_inputs) < sum(p[3] for p in old_inputs):
            raise self._error(e.origin, "cannot remove parameter defaults from existing function")

    def _check_language(self, e: ev.CreateFunction) -> None:
        """The routine's language must exist: PostgreSQL looks it up before the argument types
        (``LANGUAGE plpg``: ``language "plpg" does not exist``; a quoted name or a string keeps
        its case, ``LANGUAGE 'SQL'`` is refused too, 15 and 18), judged as
        ``_check_language_exists`` judges it."""
        if e.language is not None:
            self._check_language_exists(e.language, e.origin)

    def _check_signature_types(self, e: ev.CreateFunction) -> None:
        """The argument and result types must exist, as a column's must
        (``_check_type_exists``, with its conditions): PostgreSQL looks each up when it creates
        the function (``RETURNS trigger$``: ``type "trigger$" does not exist``). ``%TYPE``
        references are not checked; ``SETOF``'s type and a ``RETURNS TABLE (x "out")``
        column's type are (``type out does not exist``)."""
        from schemafold.parse.postgres.objects import table_column_types

        returns = (e.returns or "").strip()
        if returns[:6].upper() == "SETOF ":
            returns = returns[6:].strip()
        # (the argument types as canonical texts lose their quotes: "X" would be looked up as x)
        arguments = [] if '"' in e.arguments else [*e.arg_types]
        wanted = [*arguments, *([returns] if returns and returns[:5].upper() != "TABLE"
                                else table_column_types(returns))]
        for type_text in wanted:
            if "%" not in type_text:
                self._check_type_exists(type_text, e.origin)

    def _check_sql_body(self, e: ev.CreateFunction) -> None:
        """A ``LANGUAGE sql`` body is analyzed when the routine is created: a body in a dollar
        quote with ``check_function_bodies`` on (as the parse knows it), a ``BEGIN ATOMIC``
        body always; not with a polymorphic argument. Every statement of the body is analyzed
        up front, before any runs (``fold.sql_body``): the relations and columns a query
        reads must exist, as a view's; so must an INSERT's, UPDATE's or DELETE's target, the
        columns it assigns, and the names its clauses read (``_check_data_statement``). A
        utility statement is not analyzed. A name that is one of the routine's parameters (or
        any word of its argument list or RETURNS clause) is accepted where a column may be
        written."""
        import re

        from sqlglot.errors import TokenError

        from schemafold.fold.sql_body import body_statements, data_statement, read_statement

        body = e.body
        if e.language not in ("sql", None) or body is None or "any" in e.arguments.lower():
            return
        standard = body.lstrip()[:5].upper() == "BEGIN" and e.origin.text.rstrip().rstrip(
            ";").rstrip().endswith(body.rstrip())
        if not standard and (not e.body_analyzed or e.language != "sql" or re.search(
                r"\$(\w*)\$" + re.escape(body) + r"\$\1\$", e.origin.text) is None):
            return
        statements = body_statements(body)
        if not statements:
            return
        accepted = frozenset(
            w.lower() for w in re.findall(r"[^\W\d]\w*", f"{e.arguments} {e.returns or ''}"))
        accepted |= frozenset(re.findall(r'"([^"]+)"', f"{e.arguments} {e.returns or ''}"))
        for statement in statements:
            root = read_statement(statement)
            data = data_statement(root) if root is not None else None
            if data is None and not _is_query(statement, root):
                continue  # a utility statement: not analyzed when the routine is created
            self._check_body_calls(statement, e.origin, e.name.name)
            if e.name.name not in ("nextval", "currval", "setval"):
                self._check_default_sequences(statement, e.origin, body=True)
            if data is not None:
                self._check_data_statement(data, statement, e.origin, accepted)
                self._check_body_assignments(statement, e.origin)
                continue
            try:
                self._check_relations_read(statement, e.origin)
            except TokenError:  # sqlglot cannot tokenize it (it refuses some valid text)
                return
            self._check_query_columns(statement, e.origin, accepted)
            self._check_body_assignments(statement, e.origin)
        self._check_sql_result(e, statements[-1])

    def _check_body_assignments(self, statement: str, origin: ev.Origin) -> None:
        """An analyzed SQL body's statement has no rows of different widths (``VALUES (1,
        2), (3)``, ``SELECT 1, 2 UNION SELECT 3``: ``query_syntax.uneven_rows``), and it is
        rewritten too: an UPDATE's SET list (a WITH query's, ``ON CONFLICT DO UPDATE``'s,
        MERGE's) assigning a column twice is PostgreSQL's ``multiple assignments to same
        column`` when the routine is created (``query_syntax.repeated_assignment``)."""
        from schemafold.fragment import fragment
        from schemafold.parse.query_syntax import repeated_assignment, uneven_rows

        tokens = list(fragment(statement).tokens_or_none() or ())
        uneven = uneven_rows(tokens) if tokens else None
        if uneven is not None:
            raise self._error(origin, uneven[0])
        found = repeated_assignment(tokens) if "SET" in statement.upper() else None
        if found is not None:
            raise self._error(origin, f'multiple assignments to same column "{found[0]}"')

    def _check_sql_result(self, e: ev.CreateFunction, last: str) -> None:
        """A ``LANGUAGE sql`` function's last statement must return its RETURNS type, or one
        assignable to it: ``SELECT 'x'`` (a string constant, read as ``text``) or ``SELECT
        'x'::text`` for a function returning ``integer`` is PostgreSQL's ``return type
        mismatch in function declared to return integer`` when the function is created (no
        cast from ``text`` to a number, a boolean, a date, ``uuid``, ``jsonb`` ... is
        assignable; to ``regclass`` one is). Judged for that one shape only: a function
        without OUT parameters returning one of ``_NOT_FROM_TEXT``, its body checked."""
        import re

        from schemafold.fragment import fragment
        from schemafold.parse.tokens import TokenType, word

        if e.procedure or e.returns is None or re.search(r"(?i)\b(?:in)?out\b", e.arguments):
            return
        result = _plain_result(e.returns)
        if result is None:
            return
        tokens = list(fragment(last).tokens_or_none() or ())
        if tokens and tokens[-1].token_type == TokenType.SEMICOLON:
            tokens.pop()
        width = _result_width(tokens) if result[1] not in _NOT_ONE_COLUMN else None
        if width is not None and width != 1:
            # SELECT b, a (or none: SELECT FROM t) for a function returning text: PostgreSQL
            # 15 and 18, ``return type mismatch`` (the final statement must return exactly
            # one column)
            raise self._error(e.origin, f"return type mismatch in function declared to return "
                              f"{result[1]}")
        if result[1] not in _NOT_FROM_TEXT:
            return
        if not (len(tokens) == 2 or (len(tokens) == 4 and tokens[2].token_type
                                      == TokenType.DCOLON and word(tokens[3]) == "TEXT")) or \
                word(tokens[0]) != "SELECT" or tokens[1].token_type != TokenType.STRING or \
                not last.startswith("'", tokens[1].start):
            return
        raise self._error(e.origin, f"return type mismatch in function declared to return "
                          f"{result[1]}")

    def _pin_body(self, function: Function) -> Function:
        """A SQL-standard body is resolved when the routine is created, under the search_path
        of that moment (PostgreSQL stores it parsed): what it names unqualified is pinned to
        the schema it resolves to, as a view's query is. A body in a string is resolved when
        the routine runs, and stays as written."""
        body = function.standard_body()
        if body is None:
            return function
        pinned = self._pin(body)
        return function if pinned is None or pinned == body else function.with_body(pinned)

    def _apply_CreateTrigger(self, e: ev.CreateTrigger) -> None:
        # on a table, or on a view (INSTEAD OF; a view's statement triggers)
        relation = self._relation(e.table, e.origin, (ObjectKind.TABLE, ObjectKind.VIEW))
        assert relation is not None
        table = self.objects[relation]
        assert isinstance(table, Table | View)
        key: Key = ObjectKey.of(ObjectKind.TRIGGER, table.name.schema, e.name,
                                table=table.name.name)
        # a trigger's function takes no arguments: f() beside an f(int) is no ambiguity
        function_key = self._function(e.function, (), e.origin, missing_ok=True)
        if function_key and self._is_procedure(function_key):
            raise self._error(e.origin, f"function {e.function}() does not exist")
        function = QName(str(function_key.schema), function_key.name) if function_key \
            else self._outside_trigger_function(e.function, e.origin)
        existing = self.objects.get(key)
        if existing is not None:
            if e.if_not_exists:
                self.noop[e.origin] = f"trigger {e.name} exists"
                return
            if not e.or_replace:
                raise self._error(e.origin, f'trigger "{e.name}" for relation '
                                  f'"{table.name.name}" already exists')
            self._replace(key, e.origin)
        trigger = Trigger(
            name=e.name, table=table.name, table_written=e.table,
            function=function, function_written=e.function, timing=e.timing, events=e.events,
            for_each_row=e.for_each_row, when=self._pin(e.when), function_args=e.function_args,
            constraint=e.constraint, deferral=e.deferral, referencing=e.referencing,
            from_table=self._from_table(e),
            created=existing.created if existing else self.ordinal,
            comment=existing.comment if existing else None, external=self.external,
        )
        self._put(key, trigger)
        if existing is None:
            self._created(key, e.origin, e)
        else:
            self._touch(key, e.origin, Action.ALTERED, e)

    def _outside_trigger_function(self, name: QName, origin: ev.Origin) -> QName:
        """A trigger's function the history did not make: one of PostgreSQL's own
        (``suppress_redundant_updates_trigger``, ``tsvector_update_trigger``), or one an
        extension created (``moddatetime``, or any name after an extension the fold does not
        know); anything else is PostgreSQL's error."""
        from schemafold.pg_catalog import is_catalog_function

        if name.schema in (None, "pg_catalog") and is_catalog_function(name.name):
            return QName("pg_catalog", name.name)
        extensions = self._extension_objects()
        if extensions is None or name.name in extensions.functions:
            schema = name.schema or next(
                (s for s in self.search_path
                 if ObjectKey.of(ObjectKind.SCHEMA, None, s) in self.objects), "public")
            return QName(schema, name.name)
        self._function(name, (), origin)  # raises PostgreSQL's error
        raise AssertionError("unreachable: the function was looked for and not found")

    def _from_table(self, e: ev.CreateTrigger) -> QName | None:
        """``CREATE CONSTRAINT TRIGGER ... FROM t``: t must exist; kept as written."""
        written = e.from_table
        if written is not None:
            self._relation(written, e.origin, (ObjectKind.TABLE,))
        return written

    def _apply_CreatePolicy(self, e: ev.CreatePolicy) -> None:
        if e.command.upper() in ("SELECT", "DELETE") and e.check is not None:
            raise self._error(e.origin, "WITH CHECK cannot be applied to SELECT or DELETE")
        self._check_policy_command(e.command, e)
        _, table = self._table(e.table, e.origin)
        self._check_policy_expressions(table, e)
        key: Key = ObjectKey.of(ObjectKind.POLICY, table.name.schema, e.name, table=table.name.name)
        if key in self.objects:
            self._exists(e.origin, e.if_not_exists, f"policy {e.name}",
                         f'policy "{e.name}" for table "{table.name.name}" already exists')
            return
        self._put(key, Policy(name=e.name, table=table.name, table_written=e.table,
                              permissive=e.permissive, command=e.command, roles=e.roles,
                              using=self._pin(e.using), check=self._pin(e.check),
                              created=self.ordinal,
                              external=self.external))
        self._created(key, e.origin, e)

    def _check_policy_expressions(self, table: Table,
                                  e: ev.CreatePolicy | ev.AlterPolicy) -> None:
        """A policy's ``USING`` and ``WITH CHECK`` expressions, which PostgreSQL analyzes when
        it creates or alters the policy: the columns they name must be the table's
        (``_check_row_expressions``), and the functions they call must exist (``USING (id =
        auth.nouid())``: ``function auth.nouid() does not exist``, 15 and 18), judged as a
        default's calls are, outside the ``FROM`` and ``WITH`` clauses of a subquery, where a
        name before a parenthesis may be a relation's column list (``FROM u x(a, b)``)."""
        for expression in (e.using, e.check):
            self._check_row_expressions(table, [], expression, e.origin, "POLICY")
            if expression is not None:
                self._check_called_functions(_outside_from_clauses(str(expression)), e.origin)

    def _apply_AlterPolicy(self, e: ev.AlterPolicy) -> None:
        _, table = self._table(e.table, e.origin)
        key: Key = ObjectKey.of(ObjectKind.POLICY, table.name.schema, e.name, table=table.name.name)
        policy = self.objects.get(key)
        if not isinstance(policy, Policy):
            raise self._error(e.origin, f'policy "{e.name}" for table "{table.name.name}" '
                              "does not exist")
        self._check_policy_expressions(table, e)
        self._check_policy_command(policy.command, e)
        self._put(key, attrs.evolve(
            policy, roles=policy.roles if e.roles is None else e.roles,
            using=policy.using if e.using is None else self._pin(e.using),
            check=policy.check if e.check is None else self._pin(e.check)))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _check_policy_command(self, command: str, e: ev.CreatePolicy | ev.AlterPolicy
                              ) -> None:
        """A policy for ``INSERT`` has a ``WITH CHECK`` expression only, one for ``SELECT`` or
        ``DELETE`` a ``USING`` expression only (PostgreSQL 15 and 18: ``only WITH CHECK
        expression allowed for INSERT``, ``only USING expression allowed for SELECT, DELETE``;
        ``CREATE POLICY`` words the second ``WITH CHECK cannot be applied to SELECT or
        DELETE``, checked by the caller)."""
        command = command.upper()
        if command == "INSERT" and e.using is not None:
            raise self._error(e.origin, "only WITH CHECK expression allowed for INSERT")
        if command in ("SELECT", "DELETE") and e.check is not None:
            raise self._error(e.origin, "only USING expression allowed for SELECT, DELETE")


#: the words that end a query's ``FROM`` clause at its own level
_AFTER_FROM = frozenset({"WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET",
                         "FETCH", "FOR", "UNION", "INTERSECT", "EXCEPT"})


def _outside_from_clauses(expression: str) -> str | None:
    """``expression`` with every ``FROM`` clause (up to the next clause of its query, or the
    parenthesis that closes it) and every ``WITH`` list (up to the next ``SELECT`` at its
    level) left out, its tokens written apart; None for text the tokenizer cannot read. More
    is left out than need be (``extract(day FROM f(x))``, ``timestamp WITH time zone``): what
    is left out is not judged."""
    from schemafold.fragment import fragment
    from schemafold.parse.tokens import TokenType, word

    tokens = fragment(expression).tokens_or_none()
    if tokens is None:
        return None
    kept: list[str] = []
    depth = 0
    skipping: tuple[str, int] | None = None  # ("FROM" or "WITH", the depth it is at)
    for token in tokens:
        kind, upper = token.token_type, word(token)
        if kind == TokenType.L_PAREN:
            depth += 1
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if skipping is not None and depth < skipping[1]:
                skipping = None
        elif skipping is not None and depth == skipping[1] and (
                upper in _AFTER_FROM if skipping[0] == "FROM" else upper == "SELECT"):
            skipping = None
        if skipping is None and upper in ("FROM", "WITH"):
            skipping = (upper, depth)
        if skipping is None:
            kept.append(expression[token.start:token.end + 1])
    return " ".join(kept)


def _is_query(statement: str, root: object) -> bool:
    """Whether a statement of a SQL body is a query PostgreSQL analyzes (``SELECT`` or
    ``WITH`` ... ``SELECT``): read by sqlglot as one, or, where sqlglot cannot read it, one
    that starts with SELECT (its relations are still checked by name)."""
    from sqlglot import exp

    from schemafold.fragment import fragment
    from schemafold.parse.tokens import word

    if root is not None:
        return isinstance(root, exp.Query)
    try:
        tokens = fragment(statement).tokens
    except Exception:  # noqa: BLE001 - the tokenizer cannot read it: no evidence
        return False
    return bool(tokens) and word(tokens[0]) in ("SELECT", "WITH")


#: Result types ``_check_same_result`` compares: built-in ones no history can rename.
_PLAIN_RESULTS = frozenset({
    "text", "integer", "bigint", "smallint", "boolean", "uuid", "jsonb", "json", "date",
    "timestamp without time zone", "timestamp with time zone", "numeric", "character varying",
    "bytea", "interval", "real", "double precision", "void", "trigger", "event_trigger",
    "time without time zone", "inet", "name", "oid",
})


#: Results of ``_PLAIN_RESULTS`` a SQL function's last statement may return any columns for
#: (``void`` discards them; a trigger function is no SQL function, PostgreSQL's own error).
_NOT_ONE_COLUMN = frozenset({"void", "trigger", "event_trigger"})

#: Words that end a ``SELECT`` list at the top level of the statement (``INTO`` is not read).
_AFTER_SELECT_LIST = frozenset({
    "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "UNION", "INTERSECT", "EXCEPT", "ORDER",
    "LIMIT", "OFFSET", "FETCH", "FOR",
})


def _result_width(tokens: list[Any]) -> int | None:
    """How many columns a SQL body's last statement returns, where its text shows it plainly:
    a ``SELECT`` (its list up to a top-level ``FROM``, ``WHERE``, ``UNION``...) or an
    ``INSERT``, ``UPDATE`` or ``DELETE`` with a top-level ``RETURNING`` (its list to the end).
    None for anything else (``WITH``, ``VALUES``, ``TABLE``, a list with a star, ``DISTINCT
    ON``, ``INTO``), and for a list the tokens do not close."""
    from schemafold.parse.tokens import TokenType, word

    if not tokens:
        return None
    first = word(tokens[0])
    depth = 0
    start = None
    if first == "SELECT":
        start = 1
    elif first in ("INSERT", "UPDATE", "DELETE"):
        for i, token in enumerate(tokens):
            kind = token.token_type
            if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
                depth += 1
            elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
                depth -= 1
            elif depth == 0 and word(token) == "RETURNING":
                start = i + 1
                break
    if start is None:
        return None
    if start < len(tokens) and word(tokens[start]) in ("ALL", "DISTINCT"):
        if start + 1 < len(tokens) and word(tokens[start + 1]) == "ON":
            return None
        start += 1
    depth = 0
    items = 0
    empty = True
    for token in tokens[start:]:
        kind = token.token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:
            if kind == TokenType.STAR or word(token) == "INTO":
                return None
            if first == "SELECT" and word(token) in _AFTER_SELECT_LIST:
                break
            if kind == TokenType.COMMA:
                if empty:
                    return None
                items += 1
                empty = True
                continue
        empty = False
    if depth != 0:
        return None
    return items + (0 if empty else 1) if items == 0 or not empty else None


#: Built-in types no ``text`` value is assignable to (asked of PostgreSQL 15: a SQL function
#: returning one whose last statement is ``SELECT 'x'::text`` is refused).
_NOT_FROM_TEXT = frozenset({
    "integer", "bigint", "smallint", "numeric", "boolean", "date", "uuid", "jsonb", "json",
    "timestamp without time zone", "timestamp with time zone", "bytea", "interval", "real",
    "double precision",
})


def _plain_result(returns: str) -> tuple[bool, str] | None:
    """``(returns a set, the canonical type)`` of a RETURNS clause naming a built-in type of
    ``_PLAIN_RESULTS`` (or an array of one), or None."""
    from schemafold.names import canonical_type

    text = " ".join(returns.split())
    is_set = text[:6].upper() == "SETOF "
    if is_set:
        text = text[6:]
    if not text or '"' in text or "%" in text or text[:5].upper() == "TABLE":
        return None
    canonical = canonical_type(text)
    if canonical.rstrip("[]") not in _PLAIN_RESULTS:
        return None
    return is_set, canonical


#: A routine's parameters: ``(mode, name, canonical type or "", has a default)``.
_Parameters = list[tuple[str, str | None, str, bool]]
#: A function's result: a row of ``(name, type)`` columns (None: ``record`` with no
#: ``OUT`` parameters), or a type ("" when not compared).
_Result = list[tuple[str, str]] | None | str


def _output_row(parameters: _Parameters) -> list[tuple[str, str]]:
    """The row a routine's ``OUT``, ``INOUT`` and ``TABLE`` parameters make: each one's name
    (``columnN`` unnamed, as PostgreSQL names it) and type."""
    outputs = [p for p in parameters if p[0] in ("OUT", "INOUT", "TABLE")]
    return [(p[1] if p[1] is not None else f"column{n}", p[2])
            for n, p in enumerate(outputs, start=1)]


def _plain(type_name: str) -> bool:
    return bool(type_name) and type_name.rstrip("[]") in _PLAIN_RESULTS


def _rows_differ(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> bool:
    """Whether two rows of ``OUT`` parameters certainly differ: in length, a name, or a
    type where both are ``_PLAIN_RESULTS``."""
    return len(old) != len(new) or any(
        a[0] != b[0] or (_plain(a[1]) and _plain(b[1]) and a[1] != b[1])
        for a, b in zip(old, new, strict=False))


def _function_result(parameters: _Parameters, returns: str | None
                     ) -> tuple[bool, _Result] | None:
    """Whether a function returns a set, and its result (``_Result``); None when not read."""
    row = _output_row(parameters)
    written = " ".join((returns or "").split())
    is_set = written[:6].upper() == "SETOF " or written[:5].upper() == "TABLE"
    if len(row) >= 2:
        return is_set, row
    if len(row) == 1:
        return is_set, row[0][1]
    if not written:
        return None
    if is_set:
        written = written[6:]
    if '"' in written or "%" in written:
        return is_set, ""
    from schemafold.names import canonical_type

    canonical = canonical_type(written)
    return is_set, None if canonical == "record" else canonical


def _results_differ(old: _Result, new: _Result) -> bool:
    """Whether two functions' results certainly differ: two rows (``_rows_differ``), a row
    and ``record`` with no ``OUT`` parameters, a row or ``record`` and a built-in type, two
    built-in types."""
    if isinstance(old, str) and isinstance(new, str):
        return _plain(old) and _plain(new) and old != new
    if isinstance(old, str):
        return _plain(old)
    if isinstance(new, str):
        return _plain(new)
    if old is None or new is None:
        return (old is None) != (new is None)
    return _rows_differ(old, new)
