"""Running PL/pgSQL statements and evaluating their expressions.

Owns: the semantics of the deterministic subset: variables and their scopes, control flow,
exception blocks (a savepoint each, as PostgreSQL makes one), ``RAISE``, calls of the history's
own PL/pgSQL routines (arguments bound by position and name, defaults), expressions (read by
sqlglot, evaluated here: three-valued logic, ``||``, arithmetic, comparisons, the string
functions, ``format``, casts, arrays, dates) and queries over the catalogs the ``Host`` answers
(``FROM``, joins, ``WHERE``, ``ORDER BY``, ``LIMIT``, ``count``, ``EXISTS``, ``IN``, scalar
subqueries).

Every SQL statement the code runs (static or ``EXECUTE``) goes to ``Host.execute``; whatever is
outside the subset raises ``GiveUp``. Must not know: the fold, the model, events.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol

import attrs
from sqlglot import expressions as exp

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.fragment import fragment
from schemafold.names import QName, fold_case
from schemafold.parse.sqlglot_tree import parse_tree
from schemafold.parse.tokens import TokenType
from schemafold.plpgsql import syntax as s
from schemafold.plpgsql.values import (
    CLASSES,
    SQLSTATES,
    GiveUp,
    Interval,
    Oid,
    PlpgsqlError,
    Record,
    TimestampTz,
    Unknown,
    Value,
    add_interval,
    cast,
    error,
    format_text,
    output,
    quote_identifier,
    quote_literal,
    quote_nullable,
    to_char,
    type_family,
)

#: Statements one interpretation may run before it gives up (a loop that does not end).
STEP_LIMIT = 200_000


@attrs.frozen
class Param:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: str | None
    type: str
    default: str | None  # the default expression as written


@attrs.frozen
class Routine:
    """A PL/pgSQL function or procedure of the history."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: str
    params: tuple[Param, ...]
    body: str
    returns: str | None  # None for a procedure or void


class Host(Protocol):
    """What the interpreter asks of the schema it runs over."""

    def current_schema(self) -> str | None: ...

    def catalog(self, schema: str | None, name: str) -> list[dict[str, Value]] | None:
        """The rows of a catalog table or view; None when it is not one the host answers."""

    def lookup(self, kind: str, name: QName) -> Oid | None:
        """``to_regclass``/``to_regtype``/``to_regnamespace``: kind class, type, namespace."""

    def routine(self, name: QName, positional: int, named: Sequence[str]) -> Routine | None:
        """The history's routine a call names; None when it is a built-in (or unknown)."""

    def execute(self, sql: str, where: str) -> list[dict[str, Value]] | None:
        """Run one SQL statement (raising ``PlpgsqlError`` or ``GiveUp``); ``where`` says what
        ran it (``function f``, ``the DO block, line 7``)."""

    def columns(self, name: QName) -> list[str] | None:
        """The columns of a table or view; None when there is none of that name."""

    def savepoint(self) -> object: ...

    def rollback(self, savepoint: object) -> None: ...


class _Exit(Exception):  # noqa: N818
    def __init__(self, label: str | None) -> None:
        self.label = label


class _Continue(Exception):  # noqa: N818
    def __init__(self, label: str | None) -> None:
        self.label = label


class _Return(Exception):  # noqa: N818
    def __init__(self, value: Value) -> None:
        self.value = value


@attrs.define
class _Var:
    __repr__ = fields_repr
    family: str
    value: Value


@attrs.define
class _Scope:
    __repr__ = fields_repr
    label: str | None
    vars: dict[str, _Var]


@attrs.define
class _Rows:
    """The rows of a query's FROM clause being evaluated: alias -> (column -> value)."""
    __repr__ = fields_repr

    current: dict[str, dict[str, Value]]
    outer: _Rows | None = None


@functools.lru_cache(maxsize=4096)
def _parse_expression(text: str) -> exp.Expression:
    try:
        tree = parse_tree("SELECT " + text)
    except Exception as failure:
        raise GiveUp(f"expression not read: {text}") from failure
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1 or tree.args.get("from_"):
        raise GiveUp(f"not a single expression: {text}")
    found: exp.Expression = tree.expressions[0]
    return found


@functools.lru_cache(maxsize=4096)
def _parse_query(text: str) -> exp.Expression:
    try:
        tree = parse_tree(text)
    except Exception as failure:
        raise GiveUp(f"query not read: {text[:60]}") from failure
    if not isinstance(tree, exp.Expression):
        raise GiveUp(f"query not read: {text[:60]}")
    return tree


class Interpreter:
    """Runs one block (a DO body, or a routine called with arguments)."""

    def __init__(self, host: Host, *, depth: int = 0, routine: str | None = None) -> None:
        self.host = host
        self.routine = routine
        self.scopes: list[_Scope] = []
        self.steps = 0
        self.depth = depth
        self.sqlerror: PlpgsqlError | None = None  # in a handler: SQLERRM / SQLSTATE
        self.group: list[_Rows] | None = None  # the rows an aggregate in a select list counts

    # -- entry points ------------------------------------------------------------------------

    def run_do(self, body: str, line: int) -> None:
        block = _read(body, line)
        try:
            self.block(block)
        except _Return:
            return  # RETURN ends a DO block
        except (_Exit, _Continue):
            raise GiveUp("EXIT or CONTINUE outside a loop") from None

    def call(self, routine: Routine, args: list[Value], named: dict[str, Value]) -> Value:
        if self.depth > 20:
            raise GiveUp("calls nested too deep")
        inner = Interpreter(self.host, depth=self.depth + 1, routine=routine.name)
        block = _read(routine.body, 1)
        scope = _Scope(routine.name, {})
        for i, param in enumerate(routine.params):
            if i < len(args):
                value = args[i]
            elif param.name is not None and param.name in named:
                value = named.pop(param.name)
            elif param.default is not None:
                value = inner.evaluate(s.Text(param.default, 1))
            else:
                raise GiveUp(f"a call of {routine.name} without argument {i + 1}")
            family = type_family(param.type)
            var = _Var(family, cast(value, family) if family not in (
                "regclass", "regtype", "regnamespace", "oid") else value)
            scope.vars[f"${i + 1}"] = var
            if param.name is not None:
                scope.vars[param.name] = var
        if named:
            raise GiveUp(f"a call of {routine.name} with unknown argument names")
        inner.scopes.append(scope)
        try:
            inner.block(block)
        except (_Exit, _Continue):
            raise GiveUp("EXIT or CONTINUE outside a loop") from None
        except _Return as done:
            if routine.returns is None:
                return None
            return cast(done.value, type_family(routine.returns)) if routine.returns != \
                "void" else None
        if routine.returns not in (None, "void"):
            raise PlpgsqlError("2F005", "2F005", "control reached end of function without "
                               "RETURN")
        return None

    def query_statement(self, text: str) -> list[dict[str, Value]]:
        """A top-level ``SELECT`` (calls of the history's routines run)."""
        return self.query(_parse_query(text), None)

    # -- statements --------------------------------------------------------------------------

    def block(self, block: s.Block) -> None:
        scope = _Scope(block.label, {})
        self.scopes.append(scope)
        try:
            for declare in block.declares:
                if declare.alias_of is not None:
                    target = declare.alias_of.strip()
                    found = self.lookup(target)
                    if found is None:
                        raise GiveUp(f"ALIAS FOR {target}")
                    scope.vars[declare.name] = found
                    continue
                family = type_family(declare.type)
                value = self.evaluate(declare.default) if declare.default else None
                scope.vars[declare.name] = _Var(family, self.coerce(value, family))
            if block.handlers is None:
                self.statements(block.body)
                return
            savepoint = self.host.savepoint()
            try:
                self.statements(block.body)
            except PlpgsqlError as failure:
                handler = self.handler(block.handlers, failure)
                if handler is None:
                    raise
                self.host.rollback(savepoint)
                outer = self.sqlerror
                self.sqlerror = failure
                try:
                    self.statements(handler.body)
                finally:
                    self.sqlerror = outer
        finally:
            self.scopes.pop()

    def handler(self, handlers: Sequence[s.Handler], failure: PlpgsqlError) -> s.Handler | None:
        for handler in handlers:
            for condition in handler.conditions:
                if _matches(condition, failure):
                    return handler
        return None

    def statements(self, body: Sequence[s.Stmt]) -> None:
        for statement in body:
            self.steps += 1
            if self.steps > STEP_LIMIT:
                raise GiveUp("too many statements run (a loop that may not end)")
            self.statement(statement)

    def statement(self, st: s.Stmt) -> None:  # noqa: C901 - one branch a statement kind
        if isinstance(st, s.Block):
            self.block(st)
        elif isinstance(st, s.Assign):
            self.assign(st.target, self.evaluate(st.value))
        elif isinstance(st, s.If):
            for condition, body in st.branches:
                if self.truth(condition):
                    self.statements(body)
                    return
            if st.orelse is not None:
                self.statements(st.orelse)
        elif isinstance(st, s.Case):
            self.case(st)
        elif isinstance(st, s.Loop):
            self.loop(st)
        elif isinstance(st, s.Exit):
            if st.when is None or self.truth(st.when):
                raise (_Exit if st.kind == "EXIT" else _Continue)(st.label)
        elif isinstance(st, s.Return):
            raise _Return(self.evaluate(st.value) if st.value is not None else None)
        elif isinstance(st, s.Null):
            return
        elif isinstance(st, s.Raise):
            self.raise_(st)
        elif isinstance(st, s.Assert):
            if not self.truth(st.condition):
                message = output(self.evaluate(st.message)) if st.message else None
                raise error("assert_failure", message or "assertion failed")
        elif isinstance(st, s.Execute):
            self.execute(st)
        elif isinstance(st, s.Sql):
            self.sql(st)
        else:  # pragma: no cover - the reader makes nothing else
            raise GiveUp(f"statement {type(st).__name__}")

    def case(self, st: s.Case) -> None:
        subject = self.evaluate(st.subject) if st.subject is not None else None
        for when, body in st.whens:
            if st.subject is None:
                hit = self.truth(when)
            else:
                node = _parse_expression(when.text)
                options = node.expressions if isinstance(node, exp.Tuple) else [node]
                hit = any(_compare(subject, self.value(o, None), "=") is True for o in options)
            if hit:
                self.statements(body)
                return
        if st.orelse is None:
            raise PlpgsqlError("case_not_found", "20000", "case not found")
        self.statements(st.orelse)

    def loop(self, st: s.Loop) -> None:
        for scope in self.iterations(st):
            if scope is not None:
                self.scopes.append(scope)
            try:
                self.statements(st.body)
            except _Exit as leave:
                if leave.label is None or leave.label == st.label:
                    return
                raise
            except _Continue as again:
                if again.label is not None and again.label != st.label:
                    raise
            finally:
                if scope is not None:
                    self.scopes.pop()

    def iterations(self, st: s.Loop) -> Iterator[_Scope | None]:
        if st.low is not None and st.high is not None:
            low = cast(self.evaluate(st.low), "int")
            high = cast(self.evaluate(st.high), "int")
            step = cast(self.evaluate(st.step), "int") if st.step is not None else 1
            if low is None or high is None or step is None:
                raise PlpgsqlError("null_value_not_allowed", "22004",
                                   "lower and upper bounds of FOR loop cannot be null")
            if step <= 0:
                raise error("invalid_parameter_value", "BY value of FOR loop must be greater "
                            "than zero")
            i = low
            while (i >= high) if st.reverse else (i <= high):
                assert st.var is not None
                yield _Scope(st.label, {st.var: _Var("int", i)})
                i = i - step if st.reverse else i + step
            return
        if st.query is not None:
            assert st.var is not None
            if st.dynamic:
                text = output(self.evaluate(st.query))
                if text is None:
                    raise error("null_value_not_allowed",
                                "query string argument of EXECUTE is null")
                rows = self.run_sql(text, st.query.line)
                if rows is None:
                    raise GiveUp("FOR over EXECUTE of a statement that returns no rows")
            else:
                rows = self.query(_parse_query(st.query.text), None)
            existing = self.lookup(st.var)
            if existing is None:
                raise GiveUp("a loop over rows into an undeclared variable")
            for row in rows:
                if existing.family == "record":
                    existing.value = Record(tuple(row), tuple(row.values()))
                else:
                    if len(row) != 1:
                        raise GiveUp("FOR over a query into a scalar with several columns")
                    existing.value = self.coerce(next(iter(row.values())), existing.family)
                yield None  # the variable keeps the last row after the loop, as in PostgreSQL
            return
        if st.array is not None:
            assert st.var is not None
            array = self.evaluate(st.array)
            if array is None:
                raise error("null_value_not_allowed", "FOREACH expression must not be null")
            if not isinstance(array, list):
                raise GiveUp("FOREACH over something that is not an array")
            target = self.lookup(st.var)
            if target is None:
                raise GiveUp(f"FOREACH into an undeclared {st.var}")
            for item in array:
                target.value = self.coerce(item, target.family)
                yield None
            return
        while True:
            if st.condition is not None and not self.truth(st.condition):
                return
            yield None

    def raise_(self, st: s.Raise) -> None:
        if st.message is None and st.condition is None and not st.options:
            if st.level != "EXCEPTION":
                raise GiveUp("RAISE without a message")
            if self.sqlerror is None:
                raise PlpgsqlError("stacked_diagnostics_accessed_without_active_handler",
                                   "0Z002", "RAISE without parameters cannot be used outside an "
                                   "exception handler")
            raise self.sqlerror  # re-raised, as it was caught
        message = None
        if st.message is not None:
            template = self.evaluate(st.message)
            args = [self.evaluate(a) for a in st.args]
            message = _raise_format(template, args)
        options = {name: self.evaluate(value) for name, value in st.options}
        if st.level != "EXCEPTION":
            return  # a notice changes nothing
        condition = st.condition or "raise_exception"
        if "ERRCODE" in options:
            condition = str(options["ERRCODE"]).lower()
        if "MESSAGE" in options:
            message = output(options["MESSAGE"])
        if condition.startswith("sqlstate "):
            code = condition.split()[1]
        elif re.fullmatch(r"[0-9a-z]{5}", condition) and condition not in SQLSTATES:
            code = condition.upper()
        else:
            code = SQLSTATES.get(condition, "P0001")
        name = next((n for n, c in SQLSTATES.items() if c == code), condition)
        raise PlpgsqlError(name, code, message or name)

    def execute(self, st: s.Execute) -> None:
        text = output(self.evaluate(st.command))
        if text is None:
            raise error("null_value_not_allowed", "query string argument of EXECUTE is null")
        if st.using:
            values = [self.evaluate(u) for u in st.using]
            text = _bind(text, values)
        rows = self.run_sql(text, st.command.line)
        if st.into:
            self.into(st.into, rows, st.strict)

    def run_sql(self, text: str, line: int) -> list[dict[str, Value]] | None:
        """An EXECUTEd string: a query is answered here, anything else runs on the host."""
        head = text.split(None, 1)[0].upper() if text.strip() else ""
        if head in ("SELECT", "WITH", "VALUES"):
            return self.query(_parse_query(text), None)
        return self.host.execute(text, self.where(line))

    def sql(self, st: s.Sql) -> None:
        text = st.text.text
        head = text.split(None, 1)[0].upper() if text.strip() else ""
        if head in ("SELECT", "WITH", "VALUES"):
            rows = self.query(_parse_query(text), None)
            if st.into:
                self.into(st.into, rows, st.strict)
            return
        if head in ("INSERT", "UPDATE", "DELETE") and self.mentions_variable(text):
            text = self.bind(text)
        elif head == "MERGE" and self.mentions_variable(text):
            raise GiveUp("MERGE that reads variables")
        self.host.execute(text, self.where(st.text.line))

    def where(self, line: int) -> str:
        return f"function {self.routine}" if self.routine else f"the DO block, line {line}"

    def bind(self, text: str) -> str:
        """A data statement with the variables it reads written as literals (PL/pgSQL passes
        them as parameters). A variable named like a column of a table the statement names is
        ambiguous (PostgreSQL refuses it by default): give up."""
        from schemafold.parse.tokens import dotted_name, identifier_of, word

        tokens = fragment(text).tokens
        columns: set[str] = set()
        for i, token in enumerate(tokens):
            if word(token) in ("INTO", "UPDATE", "FROM", "JOIN", "USING", "ONLY"):
                parts, _ = dotted_name(tokens, i + 1)
                if parts and word(tokens[i + 1]) not in ("ONLY", "SELECT"):
                    found = self.host.columns(QName.from_parts(parts))
                    if found is None:
                        raise GiveUp(f"a data statement on {'.'.join(parts)}")
                    columns.update(found)
        out = []
        last = 0
        i = 0
        while i < len(tokens):
            token = tokens[i]
            name = identifier_of(token)
            after_dot = i > 0 and tokens[i - 1].token_type == TokenType.DOT
            if name is None or after_dot:
                i += 1
                continue
            parts, end = dotted_name(tokens, i)
            called = end < len(tokens) and tokens[end].token_type == TokenType.L_PAREN
            var = self.lookup(parts[0]) if not called else None
            if var is None:
                i = end
                continue
            if parts[0] in columns:
                raise GiveUp(f"{parts[0]} names a variable and a column")
            value = var.value
            for field in parts[1:]:
                if not isinstance(value, Record):
                    raise GiveUp(f"{'.'.join(parts)} in a data statement")
                value = value.get(field)
            out.append(text[last:token.start])
            out.append(_literal(value))
            last = tokens[end - 1].end + 1
            i = end
        out.append(text[last:])
        return "".join(out)

    def into(self, targets: Sequence[str], rows: list[dict[str, Value]] | None,
             strict: bool) -> None:
        if rows is None:
            raise GiveUp("INTO from a statement that returns no rows")
        if strict and len(rows) != 1:
            raise error("no_data_found" if not rows else "too_many_rows",
                        "query returned no rows" if not rows else "query returned more than "
                        "one row")
        row = rows[0] if rows else None
        if len(targets) == 1:
            var = self.lookup(targets[0])
            if var is None:
                raise GiveUp(f"INTO an undeclared {targets[0]}")
            if var.family == "record":
                var.value = Record(tuple(row), tuple(row.values())) if row else None
                return
            if row is not None and len(row) != 1:
                raise GiveUp("INTO a scalar from several columns")
            var.value = self.coerce(next(iter(row.values())) if row else None, var.family)
            return
        if row is not None and len(row) != len(targets):
            raise GiveUp("INTO targets that do not match the columns")
        values = list(row.values()) if row else [None] * len(targets)
        for target, value in zip(targets, values, strict=True):
            self.assign(target, value)

    def mentions_variable(self, text: str) -> bool:
        names = {n for scope in self.scopes for n in scope.vars}
        words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_$]*|\$\d+", text)}
        return bool(names & words)

    # -- variables ---------------------------------------------------------------------------

    def lookup(self, name: str) -> _Var | None:
        if "." in name:
            label, _, rest = name.partition(".")
            for scope in reversed(self.scopes):
                if scope.label == label and rest in scope.vars:
                    return scope.vars[rest]
            return None
        for scope in reversed(self.scopes):
            if name in scope.vars:
                return scope.vars[name]
        return None

    def assign(self, target: str, value: Value) -> None:
        var = self.lookup(target)
        if var is None:
            raise GiveUp(f"assignment to {target}")
        var.value = self.coerce(value, var.family)

    def coerce(self, value: Value, family: str) -> Value:
        if family in ("regclass", "regtype", "regnamespace", "oid"):
            if value is None or isinstance(value, Oid):
                return value
            return self.to_oid(value, family, missing_ok=False)
        return cast(value, family)

    # -- expressions -------------------------------------------------------------------------

    def evaluate(self, text: s.Text | None) -> Value:
        if text is None:
            return None
        return self.value(_parse_expression(text.text), None)

    def truth(self, text: s.Text) -> bool:
        value = self.evaluate(text)
        if value is not None and not isinstance(value, bool):
            raise GiveUp("a condition that is not boolean")
        return value is True

    def value(self, node: exp.Expression, rows: _Rows | None) -> Value:  # noqa: C901
        v = functools.partial(self.value, rows=rows)
        if isinstance(node, exp.Paren):
            return v(node.this)
        if isinstance(node, exp.Literal):
            if node.is_string:
                return node.this
            text = str(node.this)
            return int(text) if re.fullmatch(r"\d+", text) else Decimal(text)
        if isinstance(node, exp.Null):
            return None
        if isinstance(node, exp.Boolean):
            return bool(node.this)
        if isinstance(node, exp.Neg):
            operand = v(node.this)
            return None if operand is None else -_number(operand)
        if isinstance(node, exp.Column):
            return self.column(node, rows)
        if isinstance(node, exp.Parameter | exp.Placeholder):
            var = self.lookup(f"${node.this.this if isinstance(node.this, exp.Literal) else ''}")
            if var is None:
                raise GiveUp(f"parameter {node.sql()}")
            return var.value
        if isinstance(node, exp.DPipe):
            left, right = v(node.this), v(node.expression)
            if isinstance(left, list) or isinstance(right, list):
                raise GiveUp("|| on arrays")
            if left is None or right is None:
                return None
            # || casts to text (true || '' is 'true'), unlike format() and concat()
            return (cast(left, "text") or "") + (cast(right, "text") or "")
        if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Mod):
            return _arith(node, v(node.this), v(node.expression))
        if isinstance(node, exp.EQ | exp.NEQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
            return self.comparison(node, rows)
        if isinstance(node, exp.NullSafeEQ | exp.NullSafeNEQ):
            left, right = v(node.this), v(node.expression)
            same = (left is None and right is None) or (
                left is not None and right is not None and _compare(left, right, "=") is True)
            return same if isinstance(node, exp.NullSafeEQ) else not same
        if isinstance(node, exp.And):
            left = v(node.this)
            if left is False:
                return False
            right = v(node.expression)
            if right is False:
                return False
            return None if left is None or right is None else True
        if isinstance(node, exp.Or):
            left = v(node.this)
            if left is True:
                return True
            right = v(node.expression)
            if right is True:
                return True
            return None if left is None or right is None else False
        if isinstance(node, exp.Not):
            operand = v(node.this)
            return None if operand is None else not _bool(operand)
        if isinstance(node, exp.Is):
            operand = v(node.this)
            target = node.expression
            if isinstance(target, exp.Null):
                result = operand is None
            elif isinstance(target, exp.Boolean):
                result = operand is bool(target.this)
            else:
                raise GiveUp(f"IS {target.sql()}")
            return not result if node.args.get("negate") else result
        if isinstance(node, exp.In):
            return self.in_(node, rows)
        if isinstance(node, exp.Between):
            low = _compare(v(node.this), v(node.args["low"]), ">=")
            high = _compare(v(node.this), v(node.args["high"]), "<=")
            return _and(low, high)
        if isinstance(node, exp.Like | exp.ILike):
            text, pattern = v(node.this), v(node.expression)
            if not isinstance(text, str | None) or not isinstance(pattern, str | None):
                # p.oid LIKE '%x%': no LIKE operator takes an oid, a number or a boolean
                # (PostgreSQL's error names the operand's type, which a value here may not
                # tell: an oid or a regclass)
                raise GiveUp("LIKE of a value that is no text")
            if text is None or pattern is None:
                return None
            regex = _like(str(pattern))
            flags = re.S | (re.I if isinstance(node, exp.ILike) else 0)
            hit = re.fullmatch(regex, str(text), flags) is not None
            return not hit if node.args.get("negate") else hit
        if isinstance(node, exp.Case):
            subject = v(node.this) if node.this is not None else None
            for branch in node.args.get("ifs") or []:
                test = v(branch.this)
                hit = _compare(subject, test, "=") is True if node.this is not None else \
                    test is True
                if hit:
                    return v(branch.args["true"])
            default = node.args.get("default")
            return v(default) if default is not None else None
        if isinstance(node, exp.If):
            return v(node.args["true"]) if v(node.this) is True else (
                v(node.args["false"]) if node.args.get("false") is not None else None)
        if isinstance(node, exp.Cast):
            return self.cast(node, rows)
        if isinstance(node, exp.Array):
            return [v(e) for e in node.expressions]
        if isinstance(node, exp.Bracket):
            array = v(node.this)
            if len(node.expressions) != 1:
                raise GiveUp("an array slice")
            index_node = node.expressions[0]
            index = v(index_node)
            if array is None or index is None:
                return None
            if not isinstance(array, list) or not isinstance(index, int):
                raise GiveUp("a subscript")
            position = index if isinstance(index_node, exp.Literal) else index - 1
            return array[position] if 0 <= position < len(array) else None
        if isinstance(node, exp.Exists):
            return bool(self.query(node.this, rows, limit=1))
        if isinstance(node, exp.Subquery | exp.Select):
            found = self.query(node.this if isinstance(node, exp.Subquery) else node, rows)
            if len(found) > 1:
                raise PlpgsqlError("cardinality_violation", "21000", "more than one row "
                                   "returned by a subquery used as an expression")
            if not found:
                return None
            if len(found[0]) != 1:
                raise GiveUp("a subquery with several columns")
            return next(iter(found[0].values()))
        if isinstance(node, exp.Interval):
            unit = node.args.get("unit")
            text = output(v(node.this)) or ""
            return cast(f"{text} {unit.sql() if unit is not None else ''}".strip(), "interval")
        if isinstance(node, exp.CurrentSchema):
            return self.host.current_schema()
        if isinstance(node, exp.Dot):
            schema = node.this
            call = node.expression
            if isinstance(schema, exp.Identifier) and isinstance(call, exp.Func):
                return self.function(call, rows, schema=_folded(schema))
            raise GiveUp(f"expression {node.sql()}")
        if isinstance(node, exp.Func):
            return self.function(node, rows)
        raise GiveUp(f"expression {node.sql(dialect='postgres')[:60]}")

    def column(self, node: exp.Column, rows: _Rows | None) -> Value:
        name = _folded(node.this)
        qualifier = _folded(node.args.get("table"))
        if node.args.get("db"):
            raise GiveUp(f"name {node.sql()}")
        found: list[Value] = []
        scope = rows
        while scope is not None and not found:
            for alias, row in scope.current.items():
                if (not qualifier or qualifier == alias) and name in row:
                    found.append(row[name])
            scope = scope.outer
        var = self.lookup(f"{qualifier}.{name}" if qualifier else name)
        if var is None and qualifier:
            record = self.lookup(qualifier)
            if record is not None:
                if not isinstance(record.value, Record):
                    raise GiveUp(f"field {node.sql()} of a record not assigned")
                if found:
                    raise GiveUp(f"{node.sql()} names a column and a variable")
                return record.value.get(name)
        if found and var is not None:
            raise GiveUp(f"{node.sql()} names a column and a variable")
        if len(found) > 1:
            raise GiveUp(f"column {node.sql()} is ambiguous")
        if found:
            return found[0]
        if var is not None:
            return var.value
        if not qualifier and name in ("sqlerrm", "sqlstate") and self.sqlerror is not None:
            return self.sqlerror.message if name == "sqlerrm" else self.sqlerror.sqlstate
        if not qualifier and name.lower() in ("current_user", "session_user", "user"):
            raise GiveUp("the current user")
        raise GiveUp(f"unknown name {node.sql()}")

    def comparison(self, node: exp.Expression, rows: _Rows | None) -> Value:
        operators: dict[type, str] = {exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=",
                                      exp.LT: "<", exp.LTE: "<="}
        operator = operators[type(node)]
        left = self.value(node.this, rows)
        right_node = node.expression
        if isinstance(right_node, exp.Any | exp.All):
            inner = right_node.this
            inner = inner.this if isinstance(inner, exp.Paren) else inner
            if isinstance(inner, exp.Select | exp.Subquery):
                query = inner.this if isinstance(inner, exp.Subquery) else inner
                items = [next(iter(r.values())) for r in self.query(query, rows)]
            else:
                items = self.value(inner, rows)
                if items is None:
                    return None
                if not isinstance(items, list):
                    raise GiveUp("ANY over something that is not an array")
            results = [_compare(left, item, operator) for item in items]
            if isinstance(right_node, exp.Any):
                return True if True in results else (None if None in results else False)
            return False if False in results else (None if None in results else True)
        return _compare(left, self.value(right_node, rows), operator)

    def in_(self, node: exp.In, rows: _Rows | None) -> Value:
        left = self.value(node.this, rows)
        query = node.args.get("query")
        if query is not None:
            query = query.this if isinstance(query, exp.Subquery) else query
            items = [next(iter(r.values())) for r in self.query(query, rows)]
        else:
            items = [self.value(e, rows) for e in node.expressions]
        results = [_compare(left, item, "=") for item in items]
        result = True if True in results else (None if None in results else False)
        if node.args.get("is_global") or node.args.get("unnest") or node.args.get("field"):
            raise GiveUp("IN of an unknown kind")
        return result

    def cast(self, node: exp.Cast, rows: _Rows | None) -> Value:
        value = self.value(node.this, rows)
        to = node.to
        if isinstance(to, exp.ObjectIdentifier):
            family = to.name.lower()
            if family not in ("regclass", "regtype", "regnamespace", "oid"):
                raise GiveUp(f"a cast to {family}")
            return self.to_oid(value, family, missing_ok=False)
        type_text = to.sql(dialect="postgres")
        family = type_family(type_text)
        if family in ("regclass", "regtype", "regnamespace", "oid"):
            return self.to_oid(value, family, missing_ok=False)
        result = cast(value, family)
        if family == "text" and isinstance(result, str) and to.expressions and \
                to.this in (exp.DataType.Type.VARCHAR, exp.DataType.Type.CHAR):
            raise GiveUp("a cast to a text type with a length")
        return result

    def to_oid(self, value: Value, family: str, *, missing_ok: bool) -> Value:
        if value is None or isinstance(value, Oid):
            return value
        if family == "oid":
            raise GiveUp("a number used as an oid")
        if not isinstance(value, str):
            raise GiveUp(f"a {type(value).__name__} cast to {family}")
        kind = {"regclass": "class", "regtype": "type", "regnamespace": "namespace"}[family]
        try:
            name = QName.parse(value) if kind != "namespace" else QName(None, _ident(value))
        except Exception as failure:
            raise GiveUp(f"a name written {value!r}") from failure
        found = self.host.lookup(kind, name)
        if found is None and not missing_ok:
            if kind == "class":
                raise error("undefined_table", f'relation "{value}" does not exist')
            if kind == "namespace":
                raise error("undefined_object", f'schema "{value}" does not exist')
            raise error("undefined_object", f'type "{value}" does not exist')
        return found

    # -- functions ---------------------------------------------------------------------------

    def function(self, node: exp.Func, rows: _Rows | None,  # noqa: C901
                 schema: str | None = None) -> Value:
        builtin = schema in (None, "pg_catalog") and (
            not isinstance(node, exp.Anonymous) or node.name.lower() in _BUILTINS)
        if not builtin:
            name = node.name.lower() if isinstance(node, exp.Anonymous) else node.sql_name()
            user = self.user_call(node, rows, QName(schema, name.lower()))
            if user is not _NOT_USER:
                return user
        v = functools.partial(self.value, rows=rows)
        args = [node.this] if node.this is not None and isinstance(node.this,
                                                                   exp.Expression) else []
        if isinstance(node, exp.Anonymous):
            return self.builtin(node.name.lower(), [v(a) for a in node.expressions])
        if isinstance(node, exp.Format):
            values = [self.variadic(e, rows) for e in node.expressions]
            flat = [item for group in values for item in group]
            template = v(node.this)
            return format_text(None if template is None else output(template), flat)
        if isinstance(node, exp.Concat):
            texts = [output(v(e)) for e in node.expressions]
            return "".join(t for t in texts if t is not None)
        if isinstance(node, exp.ConcatWs):
            parts = [v(e) for e in node.expressions]
            separator = output(parts[0]) if parts else None
            if separator is None:
                return None
            return separator.join(t for t in (output(p) for p in parts[1:]) if t is not None)
        if isinstance(node, exp.Lower | exp.Upper):
            text = output(v(node.this))
            if text is None:
                return None
            return text.lower() if isinstance(node, exp.Lower) else text.upper()
        if isinstance(node, exp.Coalesce):
            for e in [node.this, *node.expressions]:
                value = v(e)
                if value is not None:
                    return value
            return None
        if isinstance(node, exp.Nullif):
            left, right = v(node.this), v(node.expression)
            return None if _compare(left, right, "=") is True else left
        if isinstance(node, exp.Greatest | exp.Least):
            values = [x for x in (v(e) for e in [node.this, *node.expressions]) if x is not None]
            if not values:
                return None
            pick = values[0]
            for x in values[1:]:
                if _compare(x, pick, ">" if isinstance(node, exp.Greatest) else "<") is True:
                    pick = x
            return pick
        if isinstance(node, exp.Length):
            text = output(v(node.this))
            return None if text is None else len(text)
        if isinstance(node, exp.Replace):
            parts = [output(v(node.this)), output(v(node.expression)),
                     output(v(node.args["replacement"]))]
            if None in parts:
                return None
            text, old, new = (str(p) for p in parts)
            return text.replace(old, new) if old else text
        if isinstance(node, exp.Substring):
            text = output(v(node.this))
            start = v(node.args["start"]) if node.args.get("start") is not None else 1
            length = v(node.args["length"]) if node.args.get("length") is not None else None
            if text is None or start is None:
                return None
            begin = max(start - 1, 0)
            end = len(text) if length is None else max(start - 1 + length, 0)
            return text[begin:end]
        if isinstance(node, exp.Left | exp.Right):
            text, n = output(v(node.this)), v(node.expression)
            if text is None or n is None:
                return None
            if isinstance(node, exp.Left):
                return text[:n] if n >= 0 else text[:n]
            return text[-n:] if n > 0 else (text[-n:] if n < 0 else "")
        if isinstance(node, exp.Trim):
            if node.args.get("expression") is not None or node.args.get("position"):
                raise GiveUp("TRIM with characters")
            text = output(v(node.this))
            return None if text is None else text.strip(" ")
        if isinstance(node, exp.SplitPart):
            text, sep, n = output(v(node.this)), output(v(node.args["delimiter"])), \
                v(node.args["part_index"])
            if text is None or sep is None or n is None:
                return None
            parts = text.split(sep) if sep else [text]
            if n < 0:
                raise GiveUp("split_part with a negative field")
            return parts[n - 1] if 0 < n <= len(parts) else ""
        if isinstance(node, exp.ArraySize):
            array = v(node.this)
            dimension = v(node.expression) if node.expression is not None else 1
            if array is None:
                return None
            if not isinstance(array, list) or dimension != 1:
                raise GiveUp("array_length")
            return len(array) or None
        if isinstance(node, exp.ArrayAppend):
            array, item = v(node.this), v(node.expression)
            return [*(array or []), item]
        if isinstance(node, exp.ArrayToString):
            array, sep = v(node.this), output(v(node.expression))
            if array is None or sep is None:
                return None
            return sep.join(t for t in (output(x) for x in array) if t is not None)
        if isinstance(node, exp.StringToArray):
            text, sep = output(v(node.this)), output(v(node.expression))
            if text is None:
                return None
            if sep is None or node.args.get("null") is not None:
                raise GiveUp("string_to_array")
            return text.split(sep) if text else []
        if isinstance(node, exp.TimeToStr):
            value = v(node.this)
            template = node.args.get("format")
            fmt = output(v(template)) if template is not None else None
            if isinstance(value, datetime.date):
                if fmt is None or re.search(r"%[^Ymd]", fmt) or re.search(r"[A-Za-z]",
                                                                         re.sub(r"%[Ymd]", "",
                                                                                fmt)):
                    raise GiveUp("to_char of a date with this template")
                return value.strftime(fmt)
            return to_char(value, fmt)
        if isinstance(node, exp.CurrentDatabase):
            return CURRENT_DATABASE
        if isinstance(node, exp.Abs):
            value = v(node.this)
            return None if value is None else abs(_number(value))
        if isinstance(node, exp.StartsWith):
            text, prefix = output(v(node.this)), output(v(node.expression))
            return None if text is None or prefix is None else text.startswith(prefix)
        if isinstance(node, exp.Count):
            if self.group is None:
                raise GiveUp("count outside a query's select list")
            group, self.group = self.group, None
            try:
                if isinstance(node.this, exp.Star) or node.this is None:
                    return len(group)
                if node.args.get("distinct") or isinstance(node.this, exp.Distinct):
                    raise GiveUp("count(DISTINCT ...)")
                return sum(1 for r in group if self.value(node.this, r) is not None)
            finally:
                self.group = group
        del args
        raise GiveUp(f"function {node.sql(dialect='postgres')[:60]}")

    def variadic(self, node: exp.Expression, rows: _Rows | None) -> list[Value]:
        if isinstance(node, exp.Variadic):
            array = self.value(node.this, rows)
            if array is None:
                return []
            if not isinstance(array, list):
                raise GiveUp("VARIADIC of something that is not an array")
            return list(array)
        return [self.value(node, rows)]

    def builtin(self, name: str, args: list[Value]) -> Value:  # noqa: C901
        if name == "quote_ident" and len(args) == 1:
            return quote_identifier(args[0])
        if name == "quote_literal" and len(args) == 1:
            return quote_literal(args[0])
        if name == "quote_nullable" and len(args) == 1:
            return quote_nullable(args[0])
        if name == "format" and args:
            return format_text(output(args[0]), args[1:])
        if name in ("to_regclass", "to_regtype", "to_regnamespace") and len(args) == 1:
            family = {"to_regclass": "regclass", "to_regtype": "regtype",
                      "to_regnamespace": "regnamespace"}[name]
            text = output(args[0])
            if text is None:
                return None
            return self.to_oid(text, family, missing_ok=True)
        if name == "cardinality" and len(args) == 1:
            array = args[0]
            if array is None:
                return None
            if not isinstance(array, list):
                raise GiveUp("cardinality")
            return len(array)
        if name == "make_date" and len(args) == 3:
            if None in args:
                return None
            return datetime.date(*(int(a) for a in args))
        if name in ("current_database",) and not args:
            return CURRENT_DATABASE
        if name in ("current_schema",) and not args:
            return self.host.current_schema()
        if name == "lpad" or name == "rpad":
            raise GiveUp(name)
        raise GiveUp(f"function {name}")

    def user_call(self, node: exp.Func, rows: _Rows | None, name: QName) -> Value:
        """A call of one of the history's routines: run it; ``_NOT_USER`` when ``name`` is not
        one."""
        raw = node.expressions if isinstance(node, exp.Anonymous) else [
            a for a in node.args.values() if isinstance(a, exp.Expression)]
        positional = [a for a in raw if not isinstance(a, exp.Kwarg)]
        named_nodes = {_folded(a.this): a.expression for a in raw if isinstance(a, exp.Kwarg)}
        routine = self.host.routine(name, len(positional), list(named_nodes))
        if routine is None:
            return _NOT_USER
        args = [self.value(a, rows) for a in positional]
        named = {k: self.value(e, rows) for k, e in named_nodes.items()}
        return self.call(routine, args, named)

    # -- queries -----------------------------------------------------------------------------

    def query(self, node: exp.Expression, outer: _Rows | None,
              limit: int | None = None) -> list[dict[str, Value]]:
        if isinstance(node, exp.Subquery):
            node = node.this
        if not isinstance(node, exp.Select):
            raise GiveUp(f"query {node.sql(dialect='postgres')[:60]}")
        for arg in ("with_", "group", "having", "distinct", "windows", "qualify", "into",
                    "laterals", "locks", "offset"):
            if node.args.get(arg):
                raise GiveUp(f"a query with {arg.rstrip('_').upper()}")
        if node.args.get("from_") is None and len(node.expressions) == 1:
            item = node.expressions[0]
            inner = item.unalias()
            cast_to = inner.to if isinstance(inner, exp.Cast) else None
            function = inner.this if isinstance(inner, exp.Cast) else inner
            if isinstance(function, exp.ExplodingGenerateSeries | exp.Unnest):
                # a set-returning function in the select list: a row for each value
                name = _output_name(item) if isinstance(item, exp.Alias) else (
                    "generate_series" if isinstance(function, exp.ExplodingGenerateSeries)
                    else "unnest")
                family = type_family(cast_to.sql(dialect="postgres")) if cast_to else None
                values = self.series(function, outer)
                found = [{name: cast(v, family) if family else v} for v in values]
                return found[:limit] if limit is not None else found
        sources = self.sources(node, outer)
        where = node.args.get("where")
        matched = []
        for current in sources:
            rows = _Rows(current, outer)
            if where is None or self.value(where.this, rows) is True:
                matched.append(rows)
        items = node.expressions
        if any(isinstance(n, exp.AggFunc) for item in items for n in item.find_all(exp.AggFunc)):
            # one group of every matched row: count() over it, the rest evaluated outside rows
            outer_group = self.group
            self.group = matched
            try:
                result: dict[str, Value] = {}
                for i, item in enumerate(items):
                    name = _output_name(item) if isinstance(item, exp.Alias) else \
                        _default_name(item)
                    result[name or f"?column?{i}"] = self.value(item.unalias(), outer)
            finally:
                self.group = outer_group
            return [result]
        order = node.args.get("order")
        if order is not None:
            keyed = []
            for rows in matched:
                keys = []
                for ordered in order.expressions:
                    keys.append((self.value(ordered.this, rows), bool(ordered.args.get("desc"))))
                keyed.append((keys, rows))
            keyed.sort(key=functools.cmp_to_key(_order_rows))
            matched = [rows for _, rows in keyed]
        limit_node = node.args.get("limit")
        if limit_node is not None:
            count = self.value(limit_node.expression, outer)
            if count is not None:
                matched = matched[: int(count)]
        if limit is not None:
            matched = matched[:limit]
        out = []
        for rows in matched:
            result = {}
            for i, item in enumerate(items):
                if isinstance(item, exp.Star):
                    raise GiveUp("SELECT *")
                name = _output_name(item) if isinstance(item, exp.Alias | exp.Column) else (
                    _default_name(item))
                result[name or f"?column?{i}"] = self.value(item.unalias(), rows)
            out.append(result)
        if order is None and len(out) > 1:
            # no order: PostgreSQL gives the rows in an order of its own; the fold sorts them
            # (what loops over them do must not depend on it, which creating and granting
            # objects by name does not)
            out.sort(key=lambda r: [str(output(x)) for x in r.values()])
        return out

    def sources(self, node: exp.Select, outer: _Rows | None) -> list[dict[str, dict[str, Value]]]:
        from_ = node.args.get("from_")
        if from_ is None:
            if node.args.get("joins"):
                raise GiveUp("JOIN without FROM")
            return [{}]
        combined = [{alias: r} for alias, r in self.relation(from_.this)]
        for join in node.args.get("joins") or []:
            side = (join.args.get("side") or "").upper()
            kind = (join.args.get("kind") or "").upper()
            if kind not in ("", "INNER", "CROSS") or side not in ("", "LEFT"):
                raise GiveUp(f"a {side} {kind} JOIN")
            if join.args.get("using"):
                raise GiveUp("JOIN ... USING")
            right = self.relation(join.this)
            on = join.args.get("on")
            out = []
            for current in combined:
                hits = 0
                for alias, row in right:
                    candidate = {**current, alias: row}
                    if on is None or self.value(on, _Rows(candidate, outer)) is True:
                        out.append(candidate)
                        hits += 1
                if hits == 0 and side == "LEFT":
                    columns = right[0][1].keys() if right else ()
                    alias = _alias_of(join.this)
                    if not right:
                        raise GiveUp("LEFT JOIN to an empty catalog")
                    out.append({**current, alias: dict.fromkeys(columns)})
            combined = out
        return combined

    def series(self, node: exp.Expression, outer: _Rows | None) -> list[Value]:
        """The values of ``generate_series(...)`` or ``unnest(array)``."""
        if isinstance(node, exp.Unnest):
            if len(node.expressions) != 1 or node.args.get("offset"):
                raise GiveUp("unnest of several arrays")
            array = self.value(node.expressions[0], outer)
            if array is None:
                return []
            if not isinstance(array, list):
                raise GiveUp("unnest of something that is not an array")
            return list(array)
        start = self.value(node.args["start"], outer)
        end = self.value(node.args["end"], outer)
        step_node = node.args.get("step")
        step = self.value(step_node, outer) if step_node is not None else 1
        if start is None or end is None or step is None:
            return []
        values: list[Value] = []
        if isinstance(start, int) and isinstance(end, int) and isinstance(step, int) and not \
                isinstance(start, bool):
            if step == 0:
                raise error("invalid_parameter_value", "step size cannot equal zero")
            i = start
            while (i <= end) if step > 0 else (i >= end):
                values.append(i)
                i += step
                if len(values) > 100_000:
                    raise GiveUp("a very long series")
            return values
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and isinstance(
                step, Interval):
            # over dates PostgreSQL picks the timestamptz version
            tz = not isinstance(start, datetime.datetime) or isinstance(start, TimestampTz)
            first = cast(start, "timestamp")
            last = cast(end, "timestamp")
            if tz:
                first = TimestampTz.combine(first.date(), first.time())
            n = 0
            current = first
            forward = step.months > 0 or (step.months == 0 and step.days > 0)
            if step.months == 0 and step.days == 0:
                raise error("invalid_parameter_value", "step size cannot equal zero")
            while (current <= last) if forward else (current >= last):
                values.append(current)
                n += 1
                current = add_interval(first, Interval(step.months * n, step.days * n))
                if n > 100_000:
                    raise GiveUp("a very long series")
            return values
        raise GiveUp("generate_series of these types")

    def relation(self, node: exp.Expression) -> list[tuple[str, dict[str, Value]]]:
        function = node.this if isinstance(node, exp.Table) else node
        if isinstance(function, exp.ExplodingGenerateSeries | exp.Unnest):
            alias = node.args.get("alias")
            name = _folded(alias.this) if alias is not None and alias.this else (
                "generate_series" if isinstance(function, exp.ExplodingGenerateSeries)
                else "unnest")
            columns = alias.columns if alias is not None else []
            if len(columns) > 1:
                raise GiveUp("several column aliases for a series")
            column = _folded(columns[0]) if columns else name
            return [(name, {column: v}) for v in self.series(function, None)]
        if not isinstance(node, exp.Table) or not isinstance(node.this, exp.Identifier):
            raise GiveUp(f"FROM {node.sql(dialect='postgres')[:60]}")
        schema = node.args.get("db")
        rows = self.host.catalog(_folded(schema) or None, _folded(node.this))
        if rows is None:
            raise GiveUp(f"a query over {node.sql(dialect='postgres')}")
        alias = _alias_of(node)
        if node.args.get("alias") is not None and node.args["alias"].columns:
            raise GiveUp("column aliases in FROM")
        return [(alias, row) for row in rows]


_NOT_USER = object()
_BUILTINS = frozenset({"quote_ident", "quote_literal", "quote_nullable", "format", "to_regclass",
                       "to_regtype", "to_regnamespace", "cardinality", "make_date",
                       "current_database", "current_schema"})
class DatabaseName(str):
    """The name of the database the migrations run in, whatever it is (the fold does not know
    it): it may be written into SQL (``ALTER DATABASE %I``), never compared."""


#: What ``current_database()`` returns.
CURRENT_DATABASE = DatabaseName("current_database()")


def _read(body: str, line: int) -> s.Block:
    try:
        return _parse_block(body, line)
    except s.Unreadable as failure:
        raise GiveUp(str(failure)) from failure


@functools.lru_cache(maxsize=256)
def _parse_block(body: str, line: int) -> s.Block:
    """A routine called in a loop is read once (blocks are immutable)."""
    return s.parse_block(body, line=line)


def _alias_of(node: exp.Expression) -> str:
    alias = node.args.get("alias")
    if alias is not None and alias.name:
        return _folded(alias.this)
    return _folded(node.this)


def _folded(node: exp.Expression | None) -> str:
    """An identifier as PostgreSQL reads it: folded to lower case unless quoted."""
    if node is None:
        return ""
    if isinstance(node, exp.Identifier):
        return str(node.this) if node.args.get("quoted") else str(node.this).lower()
    return str(node.name).lower()


def _output_name(item: exp.Expression) -> str:
    if isinstance(item, exp.Alias):
        return _folded(item.args.get("alias"))
    if isinstance(item, exp.Column):
        return _folded(item.this)
    return str(item.alias_or_name)


def _default_name(item: exp.Expression) -> str:
    if isinstance(item, exp.Func):
        return item.name.lower() if isinstance(item, exp.Anonymous) else item.sql_name().lower()
    if isinstance(item, exp.Cast):
        return _default_name(item.this)
    return "?column?"


def _ident(text: str) -> str:
    text = text.strip()
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    return fold_case(text)


def _matches(condition: str, failure: PlpgsqlError) -> bool:
    if condition == "others":
        return failure.condition not in ("query_canceled", "assert_failure")
    if failure.condition == "unknown":
        raise GiveUp(f"a handler for {condition} and an error of a condition not known: "
                     f"{failure.message}")
    if condition.startswith("sqlstate "):
        code = condition.split()[1]
        return failure.sqlstate == code or (code.endswith("000") and
                                            failure.sqlstate.startswith(code[:2]))
    if condition in CLASSES:
        return failure.sqlstate.startswith(CLASSES[condition])
    if condition not in SQLSTATES and condition != failure.condition:
        raise GiveUp(f"a handler for {condition}")
    return condition == failure.condition or SQLSTATES.get(condition) == failure.sqlstate


def _raise_format(template: Value, args: list[Value]) -> str:
    text = output(template) or ""
    out = []
    i = 0
    n = 0
    while i < len(text):
        if text.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        if text[i] == "%":
            value = args[n] if n < len(args) else None
            n += 1
            rendered = output(value)
            out.append("<NULL>" if rendered is None else rendered)
            i += 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _literal(value: Value) -> str:
    """``value`` as an SQL literal of its type."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value) if value >= 0 else f"({value})"
    if isinstance(value, datetime.datetime):
        return f"{quote_literal(value)}::timestamp"
    if isinstance(value, datetime.date):
        return f"{quote_literal(value)}::date"
    if isinstance(value, str):
        return quote_literal(value) or "NULL"
    if isinstance(value, list) and any(v is not None for v in value) \
            and not any(isinstance(v, list) for v in value):
        # ARRAY[...] takes its type from its elements, as the declared array's would be
        return "(ARRAY[" + ", ".join(_literal(v) for v in value) + "])"
    raise GiveUp(f"a {type(value).__name__} written into a data statement")


def _bind(text: str, values: list[Value]) -> str:
    """``$n`` of an ``EXECUTE ... USING`` statement, as literals (only data statements take
    parameters; the caller refuses the rest)."""
    head = text.split(None, 1)[0].upper() if text.strip() else ""
    if head not in ("INSERT", "UPDATE", "DELETE", "SELECT"):
        if re.search(r"\$\d", text):
            raise error("undefined_object", "there is no parameter $1")
        return text

    def literal(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index > len(values):
            raise error("undefined_object", f"there is no parameter ${index}")
        value = values[index - 1]
        if isinstance(value, bool | int | Decimal):
            return output(value) or "NULL"
        if value is None:
            return "NULL"
        if isinstance(value, str):
            return quote_nullable(value)
        raise GiveUp("a parameter of this type")

    if "'" in text or "$$" in text:
        raise GiveUp("EXECUTE ... USING a statement with string literals")
    return re.sub(r"\$(\d+)", literal, text)


def _number(value: Value) -> int | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                return Decimal(value)
        raise GiveUp(f"arithmetic on a {type(value).__name__}")
    return value


def _arith(node: exp.Expression, left: Value, right: Value) -> Value:
    if left is None or right is None:
        return None
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        return _date_arith(node, left, right)
    a, b = _number(left), _number(right)
    if isinstance(node, exp.Add):
        return a + b
    if isinstance(node, exp.Sub):
        return a - b
    if isinstance(node, exp.Mul):
        return a * b
    if b == 0:
        raise error("division_by_zero", "division by zero")
    if isinstance(node, exp.Div):
        if isinstance(a, int) and isinstance(b, int):
            q = abs(a) // abs(b)
            return q if (a >= 0) == (b >= 0) else -q
        raise GiveUp("numeric division")
    if isinstance(a, int) and isinstance(b, int):
        r = abs(a) % abs(b)
        return r if a >= 0 else -r
    raise GiveUp("numeric modulo")


def _date_arith(node: exp.Expression, left: Value, right: Value) -> Value:
    if isinstance(left, datetime.date) and not isinstance(left, datetime.datetime) and \
            isinstance(right, int) and not isinstance(right, bool):
        if isinstance(node, exp.Add):
            return left + datetime.timedelta(days=right)
        if isinstance(node, exp.Sub):
            return left - datetime.timedelta(days=right)
    if isinstance(left, datetime.date) and isinstance(right, Interval) and isinstance(
            node, exp.Add | exp.Sub):
        return add_interval(left, right, 1 if isinstance(node, exp.Add) else -1)
    if type(left) is datetime.date and type(right) is datetime.date and isinstance(
            node, exp.Sub):
        return (left - right).days
    raise GiveUp("date arithmetic")


def _bool(value: Value) -> bool:
    if not isinstance(value, bool):
        raise GiveUp("a boolean operator on something not boolean")
    return value


def _and(a: Value, b: Value) -> Value:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def _compare(left: Value, right: Value, operator: str) -> bool | None:
    if isinstance(left, DatabaseName) or isinstance(right, DatabaseName):
        raise GiveUp("the current database's name compared")
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        raise GiveUp(f"{(left if isinstance(left, Unknown) else right).what}, which the fold "
                     "does not know")
    if left is None or right is None:
        return None
    if isinstance(left, Oid) or isinstance(right, Oid):
        if not (isinstance(left, Oid) and isinstance(right, Oid)) or operator not in ("=", "<>"):
            raise GiveUp("an object identifier compared with something else")
        same = (left.kind, left.schema, left.name) == (right.kind, right.schema, right.name)
        return same if operator == "=" else not same
    if isinstance(left, bool) != isinstance(right, bool):
        if isinstance(left, str):
            left = cast(left, "bool")
        elif isinstance(right, str):
            right = cast(right, "bool")
        else:
            raise GiveUp("a boolean compared with a number")
    elif isinstance(left, int | Decimal) and isinstance(right, str):
        right = _number(right)
    elif isinstance(right, int | Decimal) and isinstance(left, str):
        left = _number(left)
    elif isinstance(left, datetime.date) and isinstance(right, str):
        right = cast(right, "date")
    elif isinstance(right, datetime.date) and isinstance(left, str):
        left = cast(left, "date")
    if type(left) is not type(right) and not (
            isinstance(left, int | Decimal) and isinstance(right, int | Decimal)):
        raise GiveUp("values of different types compared")
    if isinstance(left, str) and operator not in ("=", "<>") and not (
            left.isascii() and right.isascii() and (left + right).replace("_", "").isalnum()
            and (left + right).islower()):
        raise GiveUp("text ordered by a collation")
    if isinstance(left, list | Record):
        raise GiveUp("arrays or records compared")
    return _OPERATORS[operator](left, right)


def _order_rows(a: tuple[list[tuple[Value, bool]], _Rows],
                b: tuple[list[tuple[Value, bool]], _Rows]) -> int:
    for (x, desc), (y, _) in zip(a[0], b[0], strict=True):
        if x is None and y is None:
            continue
        if x is None or y is None:
            result = 1 if x is None else -1  # NULLS LAST ascending
        elif _compare(x, y, "=") is True:
            continue
        else:
            result = -1 if _compare(x, y, "<") is True else 1
        return -result if desc else result
    return 0


def _like(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return "".join(out)
