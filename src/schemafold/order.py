"""The dependency graph of a net schema, and the order objects are created in.

Owns: one ``digraph.DiGraph`` whose nodes are object keys (plus one node per foreign key,
``("fk", table_key, constraint_name)``) and whose edges mean "must exist before"; the
deterministic topological order of the objects (ties broken by first creation in the history,
then by the key); naming any cycle that foreign keys cannot break; ``DependencyOrder``, the graph
and the order computed once per consolidation and handed to the renderer and the file planner; and
``Dependencies``, the same questions asked of one column or one constraint (``files`` places those
parts on their own).

Must not know: how anything is rendered, files or layouts, databases. Of SQL text it knows only
enough to find the names an expression, a query or a signature mentions (through the tokenizer):
which relations a view reads, which functions a default calls, which sequence ``nextval`` names,
which type a column has.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import attrs

from schemafold.attrs_methods import fields_repr
from schemafold.digraph import (
    CycleError,
    DiGraph,
    find_cycle,
    lexicographical_topological_sort,
)
from schemafold.errors import DependencyCycle
from schemafold.fragment import fragment
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.model import (
    CompositeType,
    Domain,
    Extension,
    Function,
    Index,
    Key,
    ModelColumn,
    Node,
    Policy,
    RangeType,
    Role,
    Schema,
    SchemaObj,
    SchemaObject,
    Sequence,
    Table,
    TableConstraint,
    Trigger,
    View,
)
from schemafold.names import QName, split_qualified
from schemafold.parse.tokens import (
    Token,
    TokenType,
    is_word,
    leading_name,
)

__all__ = [
    "Dependencies",
    "DependencyOrder",
    "build_graph",
    "column_names_in",
    "dependency_order",
    "describe_node",
    "fk_node",
    "names_in",
    "order",
    "parents_of",
    "sequences_in",
    "type_name",
]

#: Kinds whose objects live in a schema: ``key.schema`` is the schema name.
_IN_SCHEMA = frozenset(
    {"table", "index", "sequence", "view", "type", "function", "trigger", "policy"}
)
_RELATIONS = ("table", "view")
_TYPE_LIKE = ("type", "table", "view")  # a table's (or view's) row type is a type too

#: Types of ``pg_catalog``, which an unqualified type name finds before any user schema (it is
#: searched first unless ``search_path`` names it): ``RETURNS trigger`` never means a table
#: called ``trigger``.
_CATALOG_TYPES = frozenset(
    """
    trigger event_trigger record void cstring internal language_handler fdw_handler
    index_am_handler table_am_handler tsm_handler anyelement anyarray anynonarray anyenum
    anyrange anymultirange anycompatible anycompatiblearray anycompatiblenonarray
    anycompatiblerange anycompatiblemultirange refcursor
    bool boolean bytea char varchar text name int int2 int4 int8 integer smallint bigint
    numeric decimal real float4 float8 money date time timetz timestamp timestamptz interval
    uuid json jsonb jsonpath xml inet cidr macaddr macaddr8 point line lseg box path polygon
    circle bit varbit tsvector tsquery oid xid xid8 cid tid regclass regproc regprocedure
    regoper regoperator regtype regrole regnamespace regconfig regdictionary regcollation
    pg_lsn txid_snapshot pg_snapshot aclitem int4range int8range numrange tsrange tstzrange
    daterange int4multirange int8multirange nummultirange tsmultirange tstzmultirange
    datemultirange
    """.split()  # noqa: SIM905
)


def fk_node(table_key: Key, name: str) -> Node:
    """The graph node of the foreign key ``name`` on the table ``table_key``."""
    return ("fk", table_key, name)


# ---------------------------------------------------------------------------------------------
# Finding names in text


_TYPMOD = re.compile(r"\([^()]*\)")
_ARRAY = re.compile(r"\s*\[[^\]]*\]\s*$|\s+array\s*$", re.IGNORECASE)


def _tokens(text: str) -> tuple[Token, ...] | None:
    # sqlglot's tokenizer rejects a few exotic texts; names are best effort
    return fragment(text).tokens_or_none()


def names_in(text: str | None) -> Iterator[tuple[QName, bool]]:
    """Every (possibly qualified) name in ``text``, and whether it is called (followed by ``(``):
    :meth:`Fragment.names`, read once per fragment."""
    if text:
        yield from fragment(text).names()


def sequences_in(text: str | None) -> Iterator[QName]:
    """The sequences named by ``nextval('...')`` (or currval/setval) in ``text``."""
    if text:
        yield from fragment(text).sequences()


def type_name(text: str | None) -> QName | None:
    """The user-definable name inside a type's text: ``public.mood[]`` → ``public.mood``;
    builtin multi-word types (``double precision``) → None."""
    if not text:
        return None
    t = text.strip()
    while True:
        stripped = _ARRAY.sub("", t)
        if stripped == t:
            break
        t = stripped
    t = _TYPMOD.sub("", t).strip()
    if not t or ('"' not in t and re.search(r"\s", t)):
        return None
    parts = split_qualified(t)
    if not parts or not all(parts):
        return None
    return QName.from_parts(parts)


def _returns(text: str) -> Iterator[QName]:
    """The type names in a CREATE FUNCTION's ``RETURNS`` clause (``SETOF t``, ``TABLE (...)``)."""
    tokens = _tokens(text) or ()
    depth = 0
    for i, token in enumerate(tokens):
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0 and is_word(token) and token.text.upper() == "RETURNS":
            rest = tokens[i + 1 :]
            if rest and is_word(rest[0]) and rest[0].text.upper() == "SETOF":
                rest = rest[1:]
            if rest and is_word(rest[0]) and rest[0].text.upper() == "TABLE":
                yield from _table_column_types(rest[1:])
            else:
                found = leading_name(rest)
                if found is not None:
                    yield found
            return


def _table_column_types(tokens: tuple[Token, ...]) -> Iterator[QName]:
    """Types in ``(a int, b public.mood)`` at the start of ``tokens``."""
    if not tokens or tokens[0].token_type != TokenType.L_PAREN:
        return
    depth = 0
    start = 1
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        if (depth == 1 and token.token_type == TokenType.COMMA) or depth == 0:
            found = leading_name(tokens[start + 1 : i])
            if found is not None:
                yield found
            start = i + 1
            if depth == 0:
                return


def _is_atomic(function: Function) -> bool:
    tokens = _tokens(function.text) or ()
    return any(
        is_word(a) and is_word(b) and a.text.upper() == "BEGIN" and b.text.upper() == "ATOMIC"
        for a, b in zip(tokens, tokens[1:], strict=False)
    )


# ---------------------------------------------------------------------------------------------
# Resolving names to keys


class _Resolver:
    """Finds keys by name, the way an unqualified name is most likely meant: the referring
    object's own schema first, then ``public``, then any schema."""

    def __init__(self, keys: Iterable[Key]) -> None:
        self.by_name: dict[tuple[str, str], list[Key]] = defaultdict(list)
        for key in sorted(keys, key=repr):
            kind = str(key.kind)
            if kind in (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.TYPE, ObjectKind.SEQUENCE,
                        ObjectKind.FUNCTION):
                self.by_name[(kind, key.name)].append(key)

    def find(self, kinds: Iterable[str], name: QName, home: str | None) -> list[Key]:
        found = [key for kind in kinds for key in self.by_name.get((kind, name.name), ())]
        if name.schema is not None:
            return [key for key in found if key.schema == name.schema]
        for schema in (home, "public"):
            preferred = [key for key in found if key.schema == schema]
            if preferred:
                return preferred
        return found


def _home(obj: SchemaObject) -> str | None:
    key = obj.key()
    return str(key.schema) if key.kind in _IN_SCHEMA else None


# ---------------------------------------------------------------------------------------------
# What an object, a column or a constraint needs


class Dependencies:
    """Answers "what must exist before this?" for objects and for the parts of a table.

    Each answer is a list of keys of ``schema``. ``calls`` also returns the sequences an
    expression names that are *made by* the column using them (serial and identity sequences):
    those come after, not before.
    """

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.resolver = _Resolver(schema.objects)

    def find(self, kinds: Iterable[str], name: QName, home: str | None) -> list[Key]:
        return self.resolver.find(kinds, name, home)

    def types(self, text: str | None, home: str | None) -> list[Key]:
        """The type (or a table's row type) a column, argument or attribute type names."""
        return self.type_named(type_name(text), home)

    def type_named(self, name: QName | None, home: str | None) -> list[Key]:
        if name is None or (name.schema is None and name.name in _CATALOG_TYPES):
            return []
        return self.find(_TYPE_LIKE, name, home)

    def calls(self, text: str | None, home: str | None) -> tuple[list[Key], list[Key]]:
        """Functions called and sequences named by ``nextval`` in an expression: (needed before,
        made by the user: implicit and identity sequences)."""
        before: list[Key] = []
        made: list[Key] = []
        for name, called in names_in(text):
            if called:
                before.extend(self.find(("function",), name, home))
        for name in sequences_in(text):
            for key in self.find(("sequence",), name, home):
                sequence = self.schema.objects[key]
                assert isinstance(sequence, Sequence)
                (made if sequence.implicit or sequence.identity else before).append(key)
        return before, made

    def reads(self, text: str | None, home: str | None) -> list[Key]:
        """Relations, types, functions and sequences a query (or an expression with subqueries)
        names."""
        found: list[Key] = []
        for name, called in names_in(text):
            kinds = (ObjectKind.FUNCTION,) if called else (ObjectKind.TABLE, ObjectKind.VIEW,
                                                           ObjectKind.TYPE)
            found.extend(self.find(kinds, name, home))
        for name in sequences_in(text):
            found.extend(self.find(("sequence",), name, home))
        return found

    def column(self, table: Table, column: ModelColumn) -> tuple[list[Key], list[Key]]:
        """What a column needs before it (its type, the functions and sequences its default or
        generation expression calls), and the sequences it makes (serial, identity)."""
        home = str(table.name.schema)
        before = self.types(column.column.type, home)
        made: list[Key] = []
        for text in (column.column.default, column.column.generated):
            needed, making = self.calls(text, home)
            before.extend(needed)
            made.extend(making)
        if column.serial_sequence is not None:
            made.extend(self.find(("sequence",), column.serial_sequence, home))
        return before, made

    def constraint(self, table: Table, constraint: TableConstraint) -> list[Key]:
        """The functions and sequences a CHECK or EXCLUDE constraint calls."""
        home = str(table.name.schema)
        found: list[Key] = []
        for text in (constraint.constraint.expression, constraint.constraint.where):
            found.extend(self.calls(text, home)[0])
        return found


def column_names_in(texts: Iterable[str | None], columns: Iterable[str]) -> set[str]:
    """Which of ``columns`` the expressions ``texts`` mention (by unqualified or ``t.c`` name)."""
    wanted = set(columns)
    found: set[str] = set()
    for text in texts:
        for name, called in names_in(text):
            if not called and name.name in wanted:
                found.add(name.name)
    return found


# ---------------------------------------------------------------------------------------------
# The graph


def build_graph(schema: Schema) -> DiGraph:
    """The dependency graph of ``schema``: an edge ``u → v`` means u must exist before v."""
    graph = DiGraph()
    keys = sorted(schema.objects, key=repr)
    deps = Dependencies(schema)
    resolver = deps.resolver
    unique_indexes: dict[tuple[object, object], list[Key]] = defaultdict(list)
    for key in keys:
        graph.add_node(key)
        obj = schema.objects[key]
        if isinstance(obj, Index) and obj.unique:
            unique_indexes[(key.schema, obj.table.name)].append(key)

    def edge(before: Key, after: Key) -> None:
        if before != after and before in graph and after in graph:
            graph.add_edge(before, after)

    def needs(found: Iterable[Key], after: Key) -> None:
        for key in found:
            edge(key, after)

    def calls_in(text: str | None, home: str | None, after: Key) -> None:
        before, made = deps.calls(text, home)
        needs(before, after)
        for key in made:
            edge(after, key)  # made by the column that uses it

    for key in keys:
        obj = schema.objects[key]
        home = _home(obj)
        if home is not None:
            edge(ObjectKey.of(ObjectKind.SCHEMA, None, home), key)
        _role_edges(obj, key, edge)
        if isinstance(obj, Extension):
            if obj.schema:
                edge(ObjectKey.of(ObjectKind.SCHEMA, None, obj.schema), key)
            # Which types and functions an extension provides is not known without a catalog:
            # every object that is not a role, schema or extension comes after every extension.
            for other in keys:
                if other[0] not in (ObjectKind.ROLE, ObjectKind.SCHEMA, ObjectKind.EXTENSION):
                    edge(key, other)
        elif isinstance(obj, Table):
            for column in obj.columns:
                before, made = deps.column(obj, column)
                needs(before, key)
                for seq in made:
                    edge(key, seq)
            for constraint in obj.constraints:
                c = constraint.constraint
                if c.kind == "foreign key":
                    node = fk_node(key, constraint.name)
                    graph.add_node(node)
                    graph.add_edge(key, node)
                    target = constraint.target or c.references
                    if target is not None:
                        for ref in resolver.find(("table",), target, home):
                            if ref != key:
                                graph.add_edge(ref, node)
                            # It may rest on a unique index rather than a constraint.
                            for index in unique_indexes.get((ref[1], ref[2]), ()):
                                graph.add_edge(index, node)
                else:
                    needs(deps.constraint(obj, constraint), key)
            for parent in parents_of(obj):
                for ref in resolver.find(("table",), parent, home):
                    edge(ref, key)
        elif isinstance(obj, Sequence):
            if obj.owned_by is not None and (obj.implicit or obj.identity):
                for ref in resolver.find(("table",), obj.owned_by[0], home):
                    edge(ref, key)
        elif isinstance(obj, Index):
            for ref in resolver.find(_RELATIONS, obj.table, home):
                edge(ref, key)
            for element in obj.elements:
                calls_in(element.expression, home, key)
            calls_in(obj.where, home, key)
        elif isinstance(obj, View):
            needs(deps.reads(obj.query, home), key)
        elif isinstance(obj, Domain):
            needs(deps.types(obj.base_type, home), key)
            calls_in(obj.default, home, key)
            for check in obj.checks:
                calls_in(check.expression, home, key)
        elif isinstance(obj, CompositeType):
            for attribute in obj.attributes:
                needs(deps.types(attribute.type, home), key)
        elif isinstance(obj, RangeType):
            needs(deps.types(obj.subtype, home), key)
            for name, _ in names_in(obj.options):
                for ref in resolver.find(("function",), name, home):
                    edge(ref, key)
        elif isinstance(obj, Function):
            for arg in obj.arg_types:
                needs(deps.types(arg, home), key)
            for name in _returns(obj.text):
                needs(deps.type_named(name, home), key)
            # SQL-standard bodies (BEGIN ATOMIC, RETURN expr) are analyzed at creation
            if _is_atomic(obj) or obj.standard_body() is not None:
                needs(deps.reads(obj.text, home), key)
        elif isinstance(obj, Trigger):
            for ref in resolver.find(_RELATIONS, obj.table, home):
                edge(ref, key)
            for ref in resolver.find(("function",), obj.function, home):
                edge(ref, key)
            if obj.from_table is not None:  # constraint triggers: FROM referenced_table
                for ref in resolver.find(_RELATIONS, obj.from_table, home):
                    edge(ref, key)
            calls_in(obj.when, home, key)
        elif isinstance(obj, Policy):
            for ref in resolver.find(_RELATIONS, obj.table, home):
                edge(ref, key)
            needs(deps.reads(obj.using, home), key)
            needs(deps.reads(obj.check, home), key)
    return graph


def parents_of(table: Table) -> list[QName]:
    """The tables ``table`` takes columns from: its INHERITS parents and its partition parent."""
    parents = [*table.inherits]
    if table.partition_of is not None:
        parents.append(table.partition_of)
    return parents


def _role_edges(obj: SchemaObject, key: Key, edge: Callable[[Key, Key], None]) -> None:
    """Roles the history created come before the objects they own, hold grants on or appear in."""
    names: set[str] = set()
    if obj.owner:
        names.add(obj.owner)
    names.update(privilege.grantee for privilege in obj.acl)
    if isinstance(obj, Policy):
        names.update(obj.roles)
    for name in sorted(names):
        edge(ObjectKey.of(ObjectKind.ROLE, None, name), key)


# ---------------------------------------------------------------------------------------------
# Order


def _table_of(schema: Schema, node: Node) -> SchemaObject | None:
    """The table a foreign-key node belongs to."""
    table_key = node[1]
    return schema.get(table_key) if isinstance(table_key, tuple) else None


def _created(schema: Schema, node: Node) -> int:
    if node[0] == "fk":
        table = _table_of(schema, node)
        if isinstance(table, Table):
            constraint = table.constraint_named(str(node[2]))
            if constraint is not None:
                return constraint.created
        return 0
    obj = schema.get(node)
    return obj.created if obj is not None else 0


def describe_node(schema: Schema, node: Node) -> str:
    """``view a``, ``table app.users``, ``function f(integer)``, ``foreign key fk on t``: a node
    as the history wrote its name."""
    kind = str(node[0])
    if kind == "fk":
        table = _table_of(schema, node)
        where = table.written.sql() if isinstance(table, Table) else repr(node[1])
        return f"foreign key {node[2]} on {where}"
    obj = schema.get(node)
    if isinstance(obj, View) and obj.materialized:
        kind = ObjectKind.MATERIALIZED_VIEW
    elif isinstance(obj, Domain):
        kind = ObjectKind.DOMAIN
    if isinstance(obj, (SchemaObj, Extension, Role)):
        return f"{kind} {obj.name}"
    if isinstance(obj, (Trigger, Policy)):
        return f"{kind} {obj.name} on {obj.table_written.sql()}"
    if isinstance(obj, Index):
        return f"{kind} {obj.name.name}"
    written = getattr(obj, "written", None)
    name = written.sql() if isinstance(written, QName) else ".".join(str(p) for p in node[1:3])
    if isinstance(obj, Function):
        return f"{kind} {name}({', '.join(obj.arg_types)})"
    return f"{kind} {name}"


def order(schema: Schema, graph: DiGraph | None = None) -> list[Key]:
    """The objects of ``schema`` in an order that creates each after what it depends on.

    Deterministic: ties are broken by the ordinal of each object's creation in the history, then
    by the key. A cycle (foreign keys excepted: they are nodes of their own, added last) raises
    :class:`InputError` naming it.
    """
    if graph is None:
        graph = build_graph(schema)
    try:
        ordered = lexicographical_topological_sort(
            graph, key=lambda node: (_created(schema, node), repr(node))
        )
    except CycleError:  # the cycle is looked for only when there is one (a walk of the graph)
        cycle = find_cycle(graph) or []
        path = [describe_node(schema, u) for u, _ in cycle]
        path.append(describe_node(schema, cycle[0][0]))
        raise DependencyCycle("dependency cycle: " + " -> ".join(path),
                              tuple(u for u, _ in cycle)) from None
    return [node for node in ordered if node[0] != "fk"]


@attrs.frozen(eq=False)
class DependencyOrder:
    """The dependency graph of a schema's objects and the order that creates them, computed once
    (:func:`dependency_order`) and handed to everything that needs either: the renderer
    (``render_tagged``) and the file planner (``files.plan_files``), instead of each building its
    own. ``keys`` are the objects in creation order (foreign-key nodes left out); ``graph`` must
    not be changed by its readers.

    The graph and the order read only which objects exist and what they name, never rows, kept
    statements or a sequence's position, so one order serves a schema and the same schema without
    its data (``data_policy.split_data``): :meth:`fits` says whether it serves ``schema``.
    """
    __repr__ = fields_repr

    graph: DiGraph
    keys: tuple[Key, ...]
    objects: frozenset[Key]

    def fits(self, schema: Schema) -> bool:
        """Whether this order was computed for ``schema``'s objects (the same keys)."""
        return self.objects == frozenset(schema.objects)


def dependency_order(schema: Schema) -> DependencyOrder:
    """The dependency graph of ``schema`` and its creation order (see :func:`order`), built once.

    Raises :class:`InputError` naming a cycle that foreign keys cannot break.
    """
    graph = build_graph(schema)
    return DependencyOrder(graph=graph, keys=tuple(order(schema, graph)),
                           objects=frozenset(schema.objects))
