"""The object vocabulary of :func:`schemafold.testing.histories`: schemas, functions, triggers,
rich views, sequences, identity changes, domains and composite types, constraints added by
``ALTER TABLE``, and renames of every kind of object.

:mod:`schemafold.testing.strategies` owns the shadow model and the history strategy; this module
owns the part of the shadow these statements need (:class:`Objects`, the shadow's ``objects``),
their operations (:data:`OPERATIONS`, registered in the strategies' operations table), and the
hooks the strategies' own operations call so that this part follows what they do: a dropped
table or column takes the views, triggers, ``BEGIN ATOMIC`` functions, sequences and
constraints that depend on it, as PostgreSQL's ``CASCADE`` does; a renamed table or column is
renamed wherever these objects name it.

Names: an object in a schema other than ``public`` is named qualified (``s1.t3``, ``s1.f2``) in
the shadow, everywhere (tables included), and every name is unique across schemas, so that an
unqualified name never resolves to the wrong object.

``ALTER SCHEMA ... RENAME``, ``ALTER COLUMN ... RESTART [WITH n]`` of an identity column and
data statements on a table a materialized view reads (which may leave the view stale: the squash
then keeps the history as written from that statement's file) are drawn.
``SET search_path TO public, sN`` lasts to
the end of its file (every file runs in a session of its own); creations still land in
``public``, and objects of ``sN`` may then be named unqualified.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from schemafold.kinds import ObjectKind
from schemafold.names import quote_literal

if TYPE_CHECKING:
    from schemafold.testing.strategies import _Column, _Shadow


@attrs.frozen
class Function:
    """A function without arguments. ``kind``: ``sql``, ``plpgsql`` (bodies not tracked:
    ``SELECT count(*)`` of a table named at creation), ``atomic`` (``BEGIN ATOMIC``: depends on
    ``table``, renamed and dropped with it), ``trigger`` (a plpgsql trigger function)."""

    name: str
    kind: str
    table: str | None = None


@attrs.frozen
class Trigger:
    name: str
    table: str
    function: str


@attrs.frozen
class Item:
    """A select item of a view: ``column`` of the ``source``-th source (an output column name
    of a view source), or ``count(*)`` when ``column`` is None; output name ``alias``."""

    source: int
    column: str | None
    alias: str
    #: unmodelled_vocabulary's calls on ``column`` (``id``): ``aggregate(a.id)`` or
    #: ``(a.id operator a.id)``
    aggregate: str | None = None
    operator: str | None = None


@attrs.frozen
class View:
    """A view (or materialized view) over tables or other views of this vocabulary.
    ``shape``: ``join`` (two tables), ``group`` (one table grouped by its key), ``over`` (one
    view), ``plain`` (one table, the materialized views)."""

    name: str
    shape: str
    sources: tuple[str, ...]
    items: tuple[Item, ...]
    materialized: bool = False

    def outputs(self) -> list[str]:
        return [i.alias for i in self.items]


@attrs.frozen
class MatIndex:
    name: str
    view: str
    column: str


@attrs.frozen
class Sequence_:
    """A sequence of its own; ``owned`` the (table, column) it is ``OWNED BY``."""

    name: str
    owned: tuple[str, str] | None = None


@attrs.frozen
class Domain:
    """A domain or composite type usable as a column type. ``composite``: ``(a int, b text)``."""

    name: str
    composite: bool = False
    #: ``CREATE DOMAIN ... AS text COLLATE collation`` (unmodelled_vocabulary)
    collation: str | None = None


@attrs.frozen
class Constraint:
    """A constraint added by ``ALTER TABLE``: ``kind`` is ``unique`` (on ``(id, column)``),
    ``check`` (``column >= 0``; ``valid`` False while ``NOT VALID``), ``fk`` (deferrable, on a
    column that only holds NULL), ``exclude`` (``EXCLUDE USING btree (id WITH =)``)."""

    name: str
    table: str
    kind: str
    columns: tuple[str, ...] = ()
    valid: bool = True
    target: str | None = None  # the table a foreign key references
    deferred: bool = False  # a foreign key INITIALLY DEFERRED
    uses: str | None = None  # the operator of ``CHECK (id OP id)`` (unmodelled_vocabulary)


@attrs.frozen
class Objects:
    schemas: tuple[str, ...] = ()
    path: str | None = None  # the schema the current file's search_path adds after public
    functions: tuple[Function, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    views: tuple[View, ...] = ()
    mat_indexes: tuple[MatIndex, ...] = ()
    sequences: tuple[Sequence_, ...] = ()
    domains: tuple[Domain, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    #: unmodelled_vocabulary's objects: collation names, aggregates and operators
    collations: tuple[str, ...] = ()
    aggregates: tuple[str, ...] = ()
    operators: tuple[tuple[str, bool], ...] = ()  # (symbol, returns boolean)


def _base() -> ModuleType:
    """The strategies module (which imports this one)."""
    from schemafold.testing import strategies

    return strategies


def _objects(shadow: _Shadow, **changes: Any) -> _Shadow:
    return attrs.evolve(shadow, objects=attrs.evolve(shadow.objects, **changes))


def schema_of(name: str) -> str | None:
    return name.split(".", 1)[0] if "." in name else None


def bare(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def requalified(name: str, new_bare: str) -> str:
    """``name`` given the unqualified name ``new_bare`` in the same schema."""
    schema = schema_of(name)
    return f"{schema}.{new_bare}" if schema else new_bare


def ref(shadow: _Shadow, name: str) -> str:
    """How a statement names ``name``: unqualified when the search path reaches its schema."""
    schema = schema_of(name)
    if schema is not None and schema == shadow.objects.path:
        return bare(name)
    return name


# ---------------------------------------------------------------------------------------------
# Hooks the base operations call


def column_types(shadow: _Shadow) -> list[str]:
    """Column types this vocabulary adds to the base column forms: domains, composites."""
    return [d.name for d in shadow.objects.domains]


def draw_literal(draw: DrawFn, shadow: _Shadow, column_type: str) -> str | None:
    """A literal of a domain (``>= 0``) or composite type, or None for another type."""
    for domain in shadow.objects.domains:
        if domain.name == column_type:
            if domain.composite:
                word = draw(st.text(alphabet="abxyz", min_size=1, max_size=3))
                return quote_literal(f"({draw(st.integers(0, 99))},{word})")
            if domain.collation is not None:
                return quote_literal(draw(st.text(alphabet="abxyz", max_size=4)))
            return str(draw(st.integers(0, 1000)))
    return None


def used_columns(shadow: _Shadow, table: str) -> set[str]:
    """The columns of ``table`` that views of this vocabulary select (their type is fixed)."""
    used = set()
    for view in shadow.objects.views:
        for item in view.items:
            if item.column is not None and view.sources[item.source] == table:
                used.add(item.column)
    return used


def _drop_views(shadow: _Shadow, dropped: set[str]) -> _Shadow:
    """Drop the views named in ``dropped`` and, transitively, the views over them."""
    views = shadow.objects.views
    while True:
        more = {v.name for v in views if v.name not in dropped and set(v.sources) & dropped}
        if not more:
            break
        dropped |= more
    return _objects(
        shadow,
        views=tuple(v for v in views if v.name not in dropped),
        mat_indexes=tuple(i for i in shadow.objects.mat_indexes if i.view not in dropped),
    )


def table_dropped(shadow: _Shadow, table: str) -> _Shadow:
    o = shadow.objects
    shadow = _objects(
        shadow,
        functions=tuple(f for f in o.functions if not (f.kind == "atomic" and f.table == table)),
        triggers=tuple(t for t in o.triggers if t.table != table),
        sequences=tuple(s for s in o.sequences if not (s.owned and s.owned[0] == table)),
        constraints=tuple(c for c in o.constraints if table not in (c.table, c.target)),
    )
    return _drop_views(shadow, {v.name for v in o.views if table in v.sources})


def column_dropped(shadow: _Shadow, table: str, column: str) -> _Shadow:
    o = shadow.objects
    shadow = _objects(
        shadow,
        sequences=tuple(s for s in o.sequences if s.owned != (table, column)),
        constraints=tuple(c for c in o.constraints
                          if not (c.table == table and column in c.columns)),
    )
    return _drop_views(shadow, {
        v.name for v in o.views
        if any(i.column == column and v.sources[i.source] == table for i in v.items)})


def column_renamed(shadow: _Shadow, table: str, old: str, new: str) -> _Shadow:
    o = shadow.objects

    def item(view: View, i: Item) -> Item:
        if i.column == old and view.sources[i.source] == table:
            return attrs.evolve(i, column=new)
        return i

    return _objects(
        shadow,
        views=tuple(attrs.evolve(v, items=tuple(item(v, i) for i in v.items)) for v in o.views),
        sequences=tuple(attrs.evolve(s, owned=(table, new)) if s.owned == (table, old) else s
                        for s in o.sequences),
        constraints=tuple(attrs.evolve(c, columns=tuple(new if n == old else n for n in c.columns))
                          if c.table == table else c for c in o.constraints),
    )


def table_renamed(shadow: _Shadow, old: str, new: str) -> _Shadow:
    """Rename table ``old`` to ``new`` in this vocabulary's objects (the base operations rename
    it in their own)."""
    o = shadow.objects

    def r(name: str) -> str:
        return new if name == old else name

    return _objects(
        shadow,
        functions=tuple(attrs.evolve(f, table=r(f.table))
                        if f.kind == "atomic" and f.table else f for f in o.functions),
        triggers=tuple(attrs.evolve(t, table=r(t.table)) for t in o.triggers),
        views=tuple(attrs.evolve(v, sources=tuple(map(r, v.sources))) for v in o.views),
        sequences=tuple(attrs.evolve(s, owned=(r(s.owned[0]), s.owned[1])) if s.owned else s
                        for s in o.sequences),
        constraints=tuple(attrs.evolve(c, table=r(c.table), target=c.target and r(c.target))
                          for c in o.constraints),
    )


def _table_moved(shadow: _Shadow, old: str, new: str) -> _Shadow:
    """Every shadow record of table ``old`` now ``new`` (``ALTER TABLE ... SET SCHEMA``): the
    base records too, and its indexes move with it."""
    tables = []
    for t in shadow.tables:
        columns = tuple(attrs.evolve(c, references=new if c.references == old else c.references)
                        for c in t.columns)
        tables.append(attrs.evolve(t, name=new if t.name == old else t.name, columns=columns))
    schema = schema_of(new)
    indexes = tuple(
        attrs.evolve(i, table=new, name=f"{schema}.{bare(i.name)}" if schema else bare(i.name))
        if i.table == old else i for i in shadow.indexes)
    shadow = attrs.evolve(
        shadow, tables=tuple(tables), indexes=indexes,
        views=tuple(attrs.evolve(v, table=new if v.table == old else v.table)
                    for v in shadow.views))
    # The sequences it owns move with it.
    shadow = _objects(shadow, sequences=tuple(
        attrs.evolve(s, name=requalified(new, bare(s.name)))
        if s.owned and s.owned[0] == old else s for s in shadow.objects.sequences))
    return table_renamed(shadow, old, new)


def commit(shadow: _Shadow) -> _Shadow:
    """At the end of a file: its session's search_path ends with it."""
    return _objects(shadow, path=None)


# ---------------------------------------------------------------------------------------------
# Schemas and search_path


def _create_schema(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    name, shadow = shadow.fresh("s")
    return f"CREATE SCHEMA {name}", _objects(shadow, schemas=(*shadow.objects.schemas, name))


def _has_schemas(shadow: _Shadow) -> bool:
    return bool(shadow.objects.schemas)


def _set_search_path(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    schema = draw(st.sampled_from(shadow.objects.schemas))
    return f"SET search_path TO public, {schema}", _objects(shadow, path=schema)


def _place(draw: DrawFn, shadow: _Shadow, prefix: str) -> tuple[str, str, _Shadow]:
    """A fresh name for a new object, in public or a schema: the shadow's (maybe qualified)
    name, how the CREATE names it, and the shadow."""
    name, shadow = shadow.fresh(prefix)
    schemas = shadow.objects.schemas
    elsewhere: bool = bool(schemas) and draw(st.booleans())
    if elsewhere:
        schema: str = draw(st.sampled_from(schemas))
        return f"{schema}.{name}", f"{schema}.{name}", shadow
    return name, name, shadow


def _create_table_in_schema(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``CREATE TABLE sN.tM`` (or, through ``SET search_path TO sN, public``, unqualified), with
    ``UNIQUE (id)`` beside the primary key and maybe a ``COLLATE "C"`` column."""
    base = _base()
    schema = draw(st.sampled_from(shadow.objects.schemas))
    name, shadow = shadow.fresh("t")
    through_path = draw(st.booleans())
    definitions = ["id serial PRIMARY KEY"]
    columns = []
    targets = [t.name for t in shadow.tables]
    for _ in range(draw(st.integers(1, 2))):
        sql, column, shadow = base._draw_column(draw, shadow, rows_exist=False,
                                                bare_not_null=False, reference_targets=targets)
        if through_path and column.references is not None:
            sql = sql.replace(f"REFERENCES {column.references}(",
                              f"REFERENCES {_qualify_public(column.references)}(")
        definitions.append(sql)
        columns.append(column)
    if draw(st.booleans()):
        collated, shadow = shadow.fresh("c")
        definitions.append(f'{collated} text COLLATE "C"')
        columns.append(base._Column(collated, "text"))
    if draw(st.booleans()):
        definitions.append("UNIQUE (id)")
    qualified = f"{schema}.{name}"
    shadow = attrs.evolve(shadow, tables=(*shadow.tables, base._Table(qualified, tuple(columns))))
    if through_path:
        sql = (f"SET search_path TO {schema}, public;\n"
               f"CREATE TABLE {name} ({', '.join(definitions)});\n"
               f"SET search_path TO public, {schema}")
        return sql, _objects(shadow, path=schema)
    return f"CREATE TABLE {qualified} ({', '.join(definitions)})", shadow


def _qualify_public(name: str) -> str:
    return name if "." in name else f"public.{name}"


def _rename_schema(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    old = draw(st.sampled_from(shadow.objects.schemas))
    new, shadow = shadow.fresh("s")
    prefix = old + "."

    def r(name: str) -> str:
        return new + name[len(old):] if name.startswith(prefix) else name

    def ropt(name: str | None) -> str | None:
        return None if name is None else r(name)

    tables = tuple(attrs.evolve(
        t, name=r(t.name),
        columns=tuple(attrs.evolve(c, type=r(c.type), references=ropt(c.references))
                      for c in t.columns)) for t in shadow.tables)
    o = shadow.objects
    objects = attrs.evolve(
        o,
        schemas=tuple(new if s == old else s for s in o.schemas),
        path=None if o.path == old else o.path,  # the path names the old name, now no schema
        functions=tuple(attrs.evolve(f, name=r(f.name), table=ropt(f.table))
                        for f in o.functions),
        triggers=tuple(attrs.evolve(t, table=r(t.table), function=r(t.function))
                       for t in o.triggers),
        views=tuple(attrs.evolve(v, name=r(v.name), sources=tuple(map(r, v.sources)))
                    for v in o.views),
        mat_indexes=tuple(attrs.evolve(i, name=r(i.name), view=r(i.view))
                          for i in o.mat_indexes),
        sequences=tuple(attrs.evolve(s, name=r(s.name),
                                     owned=(r(s.owned[0]), s.owned[1]) if s.owned else None)
                        for s in o.sequences),
        domains=tuple(attrs.evolve(d, name=r(d.name)) for d in o.domains),
        constraints=tuple(attrs.evolve(c, table=r(c.table), target=ropt(c.target))
                          for c in o.constraints),
    )
    shadow = attrs.evolve(
        shadow, tables=tables, objects=objects,
        indexes=tuple(attrs.evolve(i, name=r(i.name), table=r(i.table)) for i in shadow.indexes),
        views=tuple(attrs.evolve(v, table=r(v.table)) for v in shadow.views),
        enums=tuple(attrs.evolve(e, name=r(e.name)) for e in shadow.enums),
    )
    return f"ALTER SCHEMA {old} RENAME TO {new}", shadow


def _set_schema(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``ALTER TABLE|VIEW|SEQUENCE|TYPE|FUNCTION ... SET SCHEMA``: into a schema, or back to
    public. Owned sequences cannot move alone."""
    o = shadow.objects
    candidates: list[tuple[str, str]] = [("TABLE", t.name) for t in shadow.tables]
    candidates += [("MATERIALIZED VIEW" if v.materialized else "VIEW", v.name) for v in o.views]
    candidates += [("SEQUENCE", s.name) for s in o.sequences if s.owned is None]
    candidates += [("TYPE", e.name) for e in shadow.enums]
    candidates += [("TYPE" if d.composite else "DOMAIN", d.name) for d in o.domains]
    candidates += [("FUNCTION", f.name) for f in o.functions]
    kind, name = draw(st.sampled_from(candidates))
    targets = [s for s in o.schemas if s != schema_of(name)]
    if schema_of(name) is not None:
        targets.append("public")
    target = draw(st.sampled_from(targets))
    moved = bare(name) if target == "public" else f"{target}.{bare(name)}"
    suffix = "()" if kind == "FUNCTION" else ""
    sql = f"ALTER {kind} {ref(shadow, name)}{suffix} SET SCHEMA {target}"
    return sql, _renamed_object(shadow, kind, name, moved)


def _renamed_object(shadow: _Shadow, kind: str, old: str, new: str) -> _Shadow:
    """The shadow with the object ``old`` of ``kind`` named ``new`` everywhere."""
    o = shadow.objects
    if kind == "TABLE":
        return _table_moved(shadow, old, new)
    if kind in ("VIEW", "MATERIALIZED VIEW"):
        return _objects(
            shadow,
            views=tuple(attrs.evolve(v, name=new if v.name == old else v.name,
                                     sources=tuple(new if s == old else s for s in v.sources))
                        for v in o.views),
            mat_indexes=tuple(attrs.evolve(i, view=new, name=requalified(new, bare(i.name)))
                              if i.view == old else i for i in o.mat_indexes))
    if kind == "SEQUENCE":
        return _objects(shadow, sequences=tuple(attrs.evolve(s, name=new) if s.name == old
                                                else s for s in o.sequences))
    if kind == "DOMAIN":
        kind = "TYPE"
    if kind == "FUNCTION":
        return _objects(
            shadow,
            functions=tuple(attrs.evolve(f, name=new) if f.name == old else f
                            for f in o.functions),
            triggers=tuple(attrs.evolve(t, function=new) if t.function == old else t
                           for t in o.triggers))
    # a type: an enum, a domain or a composite, and the columns of that type
    tables = tuple(attrs.evolve(t, columns=tuple(attrs.evolve(c, type=new) if c.type == old
                                                 else c for c in t.columns))
                   for t in shadow.tables)
    return attrs.evolve(
        shadow, tables=tables,
        enums=tuple(attrs.evolve(e, name=new) if e.name == old else e for e in shadow.enums),
        objects=attrs.evolve(o, domains=tuple(attrs.evolve(d, name=new) if d.name == old else d
                                              for d in o.domains)))


# ---------------------------------------------------------------------------------------------
# Functions and triggers


def _function_body(draw: DrawFn, shadow: _Shadow, kind: str, table: str) -> str:
    t = ref(shadow, table)
    if kind == "sql":
        return f"RETURNS bigint LANGUAGE sql AS $$SELECT count(*) FROM {t}$$"
    if kind == "plpgsql":
        return ("RETURNS bigint LANGUAGE plpgsql AS "
                f"$$BEGIN RETURN (SELECT count(*) FROM {t}); END$$")
    return f"RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM {t}; END"


def _create_function(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``LANGUAGE sql`` (its body is checked at creation: the table exists), ``plpgsql``, or
    ``BEGIN ATOMIC`` (which depends on the table)."""
    table = draw(st.sampled_from(shadow.tables)).name
    kind = draw(st.sampled_from(["sql", "plpgsql", "atomic"]))
    name, created, shadow = _place(draw, shadow, "f")
    body = _function_body(draw, shadow, kind, table)
    shadow = _objects(shadow, functions=(*shadow.objects.functions,
                                         Function(name, kind, table)))
    return f"CREATE FUNCTION {created}() {body}", shadow


def _counting_functions(shadow: _Shadow) -> list[Function]:
    return [f for f in shadow.objects.functions if f.kind != ObjectKind.TRIGGER]


def _replace_function(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    function = draw(st.sampled_from(_counting_functions(shadow)))
    table = draw(st.sampled_from(shadow.tables)).name
    kind = draw(st.sampled_from(["sql", "plpgsql", "atomic"]))
    body = _function_body(draw, shadow, kind, table)
    replaced = attrs.evolve(function, kind=kind, table=table)
    shadow = _objects(shadow, functions=tuple(replaced if f is function else f
                                              for f in shadow.objects.functions))
    return f"CREATE OR REPLACE FUNCTION {ref(shadow, function.name)}() {body}", shadow


def _rename_function(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    function = draw(st.sampled_from(shadow.objects.functions))
    new, shadow = shadow.fresh("f")
    sql = f"ALTER FUNCTION {ref(shadow, function.name)}() RENAME TO {new}"
    return sql, _renamed_object(shadow, "FUNCTION", function.name,
                                requalified(function.name, new))


def _drop_function(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """A trigger function goes with ``CASCADE``, and its triggers with it."""
    function = draw(st.sampled_from(shadow.objects.functions))
    o = shadow.objects
    shadow = _objects(shadow, functions=tuple(f for f in o.functions if f is not function),
                      triggers=tuple(t for t in o.triggers if t.function != function.name))
    cascade = " CASCADE" if function.kind == ObjectKind.TRIGGER else ""
    return f"DROP FUNCTION {ref(shadow, function.name)}(){cascade}", shadow


def _create_trigger_function(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    name, created, shadow = _place(draw, shadow, "f")
    shadow = _objects(shadow, functions=(*shadow.objects.functions, Function(name, "trigger")))
    return (f"CREATE FUNCTION {created}() RETURNS trigger LANGUAGE plpgsql AS "
            "$$BEGIN RETURN NEW; END$$"), shadow


def _trigger_functions(shadow: _Shadow) -> list[Function]:
    return [f for f in shadow.objects.functions if f.kind == ObjectKind.TRIGGER]


def _create_trigger(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``BEFORE``/``AFTER INSERT OR UPDATE``, ``FOR EACH ROW``/``STATEMENT``; the function
    returns NEW, so rows are stored as written."""
    function = draw(st.sampled_from(_trigger_functions(shadow)))
    table = draw(st.sampled_from(shadow.tables)).name
    name, shadow = shadow.fresh("tr")
    when = draw(st.sampled_from(["BEFORE", "AFTER"]))
    each = draw(st.sampled_from(["ROW", "STATEMENT"]))
    shadow = _objects(shadow, triggers=(*shadow.objects.triggers,
                                        Trigger(name, table, function.name)))
    return (f"CREATE TRIGGER {name} {when} INSERT OR UPDATE ON {ref(shadow, table)} "
            f"FOR EACH {each} EXECUTE FUNCTION {ref(shadow, function.name)}()"), shadow


def _rename_trigger(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    trigger = draw(st.sampled_from(shadow.objects.triggers))
    new, shadow = shadow.fresh("tr")
    shadow = _objects(shadow, triggers=tuple(attrs.evolve(t, name=new) if t is trigger else t
                                             for t in shadow.objects.triggers))
    return f"ALTER TRIGGER {trigger.name} ON {ref(shadow, trigger.table)} RENAME TO {new}", shadow


def _drop_trigger(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    trigger = draw(st.sampled_from(shadow.objects.triggers))
    shadow = _objects(shadow, triggers=tuple(t for t in shadow.objects.triggers
                                             if t is not trigger))
    return f"DROP TRIGGER {trigger.name} ON {ref(shadow, trigger.table)}", shadow


# ---------------------------------------------------------------------------------------------
# Views


def _render_view(shadow: _Shadow, view: View) -> str:
    letters = "ab"
    items = []
    for item in view.items:
        if item.aggregate is not None:
            items.append(f"{item.aggregate}({letters[item.source]}.{item.column}) AS {item.alias}")
        elif item.operator is not None:
            column = f"{letters[item.source]}.{item.column}"
            items.append(f"({column} {item.operator} {column}) AS {item.alias}")
        elif item.column is None:
            items.append(f"count(*) AS {item.alias}")
        else:
            items.append(f"{letters[item.source]}.{item.column} AS {item.alias}")
    sources = [f"{ref(shadow, s)} {letters[n]}" for n, s in enumerate(view.sources)]
    sql = f"SELECT {', '.join(items)} FROM {sources[0]}"
    if view.shape == "join":
        sql += f" JOIN {sources[1]} ON b.id = a.id"
    if view.shape == "group":
        sql += " GROUP BY a.id"
    return sql


def _source_columns(shadow: _Shadow, source: str) -> list[str]:
    for table in shadow.tables:
        if table.name == source:
            return table.column_names()
    return next(v for v in shadow.objects.views if v.name == source).outputs()


def _draw_items(draw: DrawFn, shadow: _Shadow, sources: tuple[str, ...],
                count: int) -> tuple[tuple[Item, ...], _Shadow]:
    choices = [(n, c) for n, s in enumerate(sources) for c in _source_columns(shadow, s)]
    picked = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=count, unique=True))
    items = []
    for source, column in picked:
        alias, shadow = shadow.fresh("o")
        items.append(Item(source, column, alias))
    return tuple(items), shadow


def _create_rich_view(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """A join of two tables on their keys, a table grouped by its key (its other columns
    selected: the key makes them functionally dependent) with ``count(*)``, a view over a view
    of this vocabulary, or a materialized view of a table."""
    shapes = ["join", "group", "plain"]
    plain_views = [v for v in shadow.objects.views if not v.materialized]
    if plain_views:
        shapes.append("over")
    shape = draw(st.sampled_from(shapes))
    if shape == "over":
        sources: tuple[str, ...] = (draw(st.sampled_from(plain_views)).name,)
    elif shape == "join":
        sources = tuple(t.name for t in draw(st.lists(st.sampled_from(shadow.tables),
                                                      min_size=2, max_size=2)))
    else:
        sources = (draw(st.sampled_from(shadow.tables)).name,)
    items, shadow = _draw_items(draw, shadow, sources, 3)
    if shape == "group":
        alias, shadow = shadow.fresh("o")
        items = (*items, Item(0, None, alias))
    name, created, shadow = _place(draw, shadow, "v")
    view = View(name, shape, sources, items, materialized=shape == "plain")
    shadow = _objects(shadow, views=(*shadow.objects.views, view))
    keyword = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    return f"CREATE {keyword} {created} AS {_render_view(shadow, view)}", shadow


def _replace_view(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``CREATE OR REPLACE VIEW``: the same columns, one more at the end."""
    view = draw(st.sampled_from([v for v in shadow.objects.views if not v.materialized]))
    column = draw(st.sampled_from([(n, c) for n, s in enumerate(view.sources)
                                   for c in _source_columns(shadow, s)]))
    alias, shadow = shadow.fresh("o")
    replaced = attrs.evolve(view, items=(*view.items, Item(column[0], column[1], alias)))
    shadow = _objects(shadow, views=tuple(replaced if v is view else v
                                          for v in shadow.objects.views))
    return (f"CREATE OR REPLACE VIEW {ref(shadow, view.name)} AS "
            f"{_render_view(shadow, replaced)}"), shadow


def _has_plain_views(shadow: _Shadow) -> bool:
    return any(not v.materialized for v in shadow.objects.views)


def _materialized(shadow: _Shadow) -> list[View]:
    return [v for v in shadow.objects.views if v.materialized]


def _create_mat_index(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    view = draw(st.sampled_from(_materialized(shadow)))
    column = draw(st.sampled_from(view.outputs()))
    name, shadow = shadow.fresh("idx")
    shadow = _objects(shadow, mat_indexes=(*shadow.objects.mat_indexes,
                                           MatIndex(requalified(view.name, name), view.name,
                                                    column)))
    return f"CREATE INDEX {name} ON {ref(shadow, view.name)} ({column})", shadow


def _refresh(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    view = draw(st.sampled_from(_materialized(shadow)))
    return f"REFRESH MATERIALIZED VIEW {ref(shadow, view.name)}", shadow


def _rename_view(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    view = draw(st.sampled_from(shadow.objects.views))
    new, shadow = shadow.fresh("v")
    keyword = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    sql = f"ALTER {keyword} {ref(shadow, view.name)} RENAME TO {new}"
    return sql, _renamed_object(shadow, keyword, view.name, requalified(view.name, new))


def _drop_rich_view(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    view = draw(st.sampled_from(shadow.objects.views))
    keyword = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    sql = f"DROP {keyword} {ref(shadow, view.name)} CASCADE"
    return sql, _drop_views(shadow, {view.name})


def _rename_index(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``ALTER INDEX ... RENAME`` of an index of a table or of a materialized view."""
    names = [i.name for i in shadow.indexes] + [i.name for i in shadow.objects.mat_indexes]
    old = draw(st.sampled_from(names))
    new, shadow = shadow.fresh("idx")
    renamed = requalified(old, new)
    shadow = attrs.evolve(
        shadow,
        indexes=tuple(attrs.evolve(i, name=renamed) if i.name == old else i
                      for i in shadow.indexes),
        objects=attrs.evolve(shadow.objects, mat_indexes=tuple(
            attrs.evolve(i, name=renamed) if i.name == old else i
            for i in shadow.objects.mat_indexes)))
    return f"ALTER INDEX {ref(shadow, old)} RENAME TO {new}", shadow


# ---------------------------------------------------------------------------------------------
# Sequences, serial and identity columns


def _create_sequence(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    name, created, shadow = _place(draw, shadow, "sq")
    shadow = _objects(shadow, sequences=(*shadow.objects.sequences, Sequence_(name)))
    return f"CREATE SEQUENCE {created}", shadow


def _owner_candidates(shadow: _Shadow) -> list[tuple[str, str, str]]:
    """(sequence, table, column) where ``OWNED BY`` is valid: the same schema and owner
    ("sequence must have same owner as table it is linked to")."""
    found = []
    for s in shadow.objects.sequences:
        for t in shadow.tables:
            if schema_of(t.name) == schema_of(s.name) and t.owner is None:
                found += [(s.name, t.name, c.name) for c in t.columns]
    return found


def _owned_by(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    sequence, table, column = draw(st.sampled_from(_owner_candidates(shadow)))
    shadow = _objects(shadow, sequences=tuple(
        attrs.evolve(s, owned=(table, column)) if s.name == sequence else s
        for s in shadow.objects.sequences))
    return (f"ALTER SEQUENCE {ref(shadow, sequence)} OWNED BY "
            f"{ref(shadow, table)}.{column}"), shadow


def _sequence_position(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    sequence = ref(shadow, draw(st.sampled_from(shadow.objects.sequences)).name)
    value = draw(st.integers(1, 1000))
    form = draw(st.sampled_from(["restart", "setval", "setval false"]))
    if form == "restart":
        return f"ALTER SEQUENCE {sequence} RESTART WITH {value}", shadow
    called = ", false" if form == "setval false" else ""
    return f"SELECT setval({quote_literal(sequence)}, {value}{called})", shadow


def _rename_sequence(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    sequence = draw(st.sampled_from(shadow.objects.sequences)).name
    new, shadow = shadow.fresh("sq")
    sql = f"ALTER SEQUENCE {ref(shadow, sequence)} RENAME TO {new}"
    return sql, _renamed_object(shadow, "SEQUENCE", sequence, requalified(sequence, new))


def _drop_sequence(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    sequence = draw(st.sampled_from(shadow.objects.sequences))
    shadow = _objects(shadow, sequences=tuple(s for s in shadow.objects.sequences
                                              if s is not sequence))
    return f"DROP SEQUENCE {ref(shadow, sequence.name)}", shadow


def _add_serial_column(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    base = _base()
    table = draw(st.sampled_from(shadow.tables))
    name, shadow = shadow.fresh("c")
    column = base._Column(name, "int", not_null=True, default="nextval")
    shadow = shadow.with_table(attrs.evolve(table, columns=(*table.columns, column)))
    return f"ALTER TABLE {table.name} ADD COLUMN {name} serial", shadow


def _identity_candidates(shadow: _Shadow) -> list[tuple[str, _Column]]:
    """Columns that may become identity columns: int or bigint, no default, NOT NULL or made
    so in the same statement (no row holds NULL)."""
    return [(t.name, c) for t in shadow.tables for c in t.columns
            if c.type in ("int", "bigint") and c.default is None
            and (c.not_null or not c.may_hold_null)
            and c.identity is None and c.references is None]


def _add_identity(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """PostgreSQL wants the column NOT NULL first: ``SET NOT NULL`` in the same ALTER TABLE
    does."""
    table, column = draw(st.sampled_from(_identity_candidates(shadow)))
    how = draw(st.sampled_from(["BY DEFAULT", "ALWAYS"]))
    shadow = _with_column(shadow, table, attrs.evolve(column, identity=how, not_null=True))
    not_null = "" if column.not_null else f"ALTER COLUMN {column.name} SET NOT NULL, "
    return (f"ALTER TABLE {table} {not_null}"
            f"ALTER COLUMN {column.name} ADD GENERATED {how} AS IDENTITY", shadow)


def _identities(shadow: _Shadow) -> list[tuple[str, _Column]]:
    return [(t.name, c) for t in shadow.tables for c in t.columns if c.identity is not None]


def _change_identity(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    table, column = draw(st.sampled_from(_identities(shadow)))
    change = draw(st.sampled_from(["DROP IDENTITY", "SET GENERATED ALWAYS",
                                   "SET GENERATED BY DEFAULT", "RESTART",
                                   f"RESTART WITH {draw(st.integers(1, 2000))}"]))
    identity = {"DROP IDENTITY": None, "SET GENERATED ALWAYS": "ALWAYS",
                "SET GENERATED BY DEFAULT": "BY DEFAULT"}.get(change, column.identity)
    shadow = _with_column(shadow, table, attrs.evolve(column, identity=identity))
    return f"ALTER TABLE {table} ALTER COLUMN {column.name} {change}", shadow


def _with_column(shadow: _Shadow, table: str, column: _Column) -> _Shadow:
    found = next(t for t in shadow.tables if t.name == table)
    return shadow.with_table(found.with_column(column))


# ---------------------------------------------------------------------------------------------
# Domains and composite types


def _create_domain(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    composite = draw(st.booleans())
    name, created, shadow = _place(draw, shadow, "d")
    shadow = _objects(shadow, domains=(*shadow.objects.domains, Domain(name, composite)))
    if composite:
        return f"CREATE TYPE {created} AS (a int, b text)", shadow
    sql = f"CREATE DOMAIN {created} AS int"
    if draw(st.booleans()):
        sql += f" DEFAULT {draw(st.integers(0, 9))}"
    return sql + " CHECK (VALUE >= 0)", shadow


def _rename_type(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``ALTER TYPE|DOMAIN ... RENAME TO`` of an enum, a domain or a composite type."""
    choices = [("TYPE", e.name) for e in shadow.enums]
    choices += [("TYPE" if d.composite else "DOMAIN", d.name) for d in shadow.objects.domains]
    keyword, old = draw(st.sampled_from(choices))
    prefix = "d" if old.split(".")[-1].startswith("d") else "e"
    new, shadow = shadow.fresh(prefix)
    sql = f"ALTER {keyword} {ref(shadow, old)} RENAME TO {new}"
    return sql, _renamed_object(shadow, "TYPE", old, requalified(old, new))


# ---------------------------------------------------------------------------------------------
# Constraints added by ALTER TABLE


def _add_constraint(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``UNIQUE (id, c)`` and ``EXCLUDE USING btree (id WITH =)`` (``id`` keeps them true of
    any rows); ``CHECK (c >= 0) NOT VALID`` on a number column (every value drawn is >= 0);
    a new column with a ``DEFERRABLE [INITIALLY IMMEDIATE | DEFERRED]`` foreign key (it only
    ever holds NULL)."""
    base = _base()
    table = draw(st.sampled_from(shadow.tables))
    name, shadow = shadow.fresh("k")
    numbers = [c.name for c in table.columns if c.type in ("int", "bigint", "numeric(10,2)")]
    kinds = ["unique", "exclude", "fk"] + (["check"] if numbers else [])
    kind = draw(st.sampled_from(kinds))
    prefix = f"ALTER TABLE {table.name} "
    if kind == "unique":
        columns = ("id", *_draw_other(draw, table.column_names()[1:]))
        sql = f"ADD CONSTRAINT {name} UNIQUE ({', '.join(columns)})"
        constraint = Constraint(name, table.name, kind, columns)
    elif kind == "exclude":
        sql = f"ADD CONSTRAINT {name} EXCLUDE USING btree (id WITH =)"
        constraint = Constraint(name, table.name, kind, ("id",))
    elif kind == "check":
        column = draw(st.sampled_from(numbers))
        sql = f"ADD CONSTRAINT {name} CHECK ({column} >= 0) NOT VALID"
        constraint = Constraint(name, table.name, kind, (column,), valid=False)
    else:
        target = draw(st.sampled_from(shadow.tables)).name
        column_name, shadow = shadow.fresh("c")
        # INITIALLY DEFERRED: its checks stay pending to the end of the transaction, and
        # PostgreSQL refuses ALTER TABLE (and CREATE INDEX, TRUNCATE, DROP TABLE) of either
        # table while any are ("pending trigger events"): the strategy follows every data
        # statement with SET CONSTRAINTS ALL IMMEDIATE while one exists (``pending_checks``).
        initially = draw(st.sampled_from(["", " INITIALLY IMMEDIATE", " INITIALLY DEFERRED"]))
        sql = (f"ADD COLUMN {column_name} int, ADD CONSTRAINT {name} FOREIGN KEY "
               f"({column_name}) REFERENCES {target} (id) DEFERRABLE{initially}")
        column = base._Column(column_name, "int", may_hold_null=table.rows > 0,
                              references=target)
        table = attrs.evolve(table, columns=(*table.columns, column))
        shadow = shadow.with_table(table)
        constraint = Constraint(name, table.name, kind, (column_name,), target=target,
                                deferred=initially == " INITIALLY DEFERRED")
    shadow = _objects(shadow, constraints=(*shadow.objects.constraints, constraint))
    return prefix + sql, shadow


def _draw_other(draw: DrawFn, names: list[str]) -> tuple[str, ...]:
    if not names or draw(st.booleans()):
        return ()
    return (draw(st.sampled_from(names)),)


def _not_valid(shadow: _Shadow) -> list[Constraint]:
    return [c for c in shadow.objects.constraints if not c.valid]


def _validate_constraint(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    constraint = draw(st.sampled_from(_not_valid(shadow)))
    shadow = _objects(shadow, constraints=tuple(
        attrs.evolve(c, valid=True) if c is constraint else c
        for c in shadow.objects.constraints))
    return f"ALTER TABLE {constraint.table} VALIDATE CONSTRAINT {constraint.name}", shadow


def _rename_constraint(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    constraint = draw(st.sampled_from(shadow.objects.constraints))
    new, shadow = shadow.fresh("k")
    shadow = _objects(shadow, constraints=tuple(
        attrs.evolve(c, name=new) if c is constraint else c
        for c in shadow.objects.constraints))
    return f"ALTER TABLE {constraint.table} RENAME CONSTRAINT {constraint.name} TO {new}", shadow


def _drop_constraint(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """A foreign key's column stays, and keeps holding only NULL."""
    constraint = draw(st.sampled_from(shadow.objects.constraints))
    shadow = _objects(shadow, constraints=tuple(c for c in shadow.objects.constraints
                                                if c is not constraint))
    if constraint.kind == "fk":
        table = next(t for t in shadow.tables if t.name == constraint.table)
        column = next(c for c in table.columns if c.name == constraint.columns[0])
        shadow = shadow.with_table(table.with_column(attrs.evolve(column, references=None)))
    return f"ALTER TABLE {constraint.table} DROP CONSTRAINT {constraint.name}", shadow


# ---------------------------------------------------------------------------------------------
# The operations, as (kind, applies, build) for the strategies' table


def _has(found: Callable[[_Shadow], object]) -> Callable[[_Shadow], bool]:
    def applies(shadow: _Shadow) -> bool:
        return bool(found(shadow))
    return applies


def pending_checks(shadow: _Shadow) -> bool:
    """Whether a data statement may leave checks pending (a foreign key ``INITIALLY
    DEFERRED`` exists): the strategy then follows it with ``SET CONSTRAINTS ALL IMMEDIATE``,
    which runs them at once, so that no later ``ALTER TABLE`` meets pending trigger events."""
    return any(c.deferred for c in shadow.objects.constraints)


def _always(shadow: _Shadow) -> bool:
    return True


def _tables(shadow: _Shadow) -> bool:
    return bool(shadow.tables)


Build = Callable[[DrawFn, "_Shadow"], tuple[str, "_Shadow"]]

#: Creating first, dropping last (the order shrinking prefers).
_OPERATIONS: tuple[tuple[str, Callable[[_Shadow], bool], Build], ...] = (
    ("create_schema", _always, _create_schema),
    ("create_domain", _always, _create_domain),
    ("create_sequence", _always, _create_sequence),
    ("create_trigger_function", _always, _create_trigger_function),
    ("create_table_in_schema", _has_schemas, _create_table_in_schema),
    ("set_search_path", _has_schemas, _set_search_path),
    ("create_function", _tables, _create_function),
    ("create_trigger", _has(lambda s: s.tables and _trigger_functions(s)), _create_trigger),
    ("create_rich_view", _tables, _create_rich_view),
    ("replace_view", _has_plain_views, _replace_view),
    ("create_mat_index", _has(_materialized), _create_mat_index),
    ("refresh_materialized_view", _has(_materialized), _refresh),
    ("add_serial_column", _tables, _add_serial_column),
    ("add_identity", _has(_identity_candidates), _add_identity),
    ("change_identity", _has(_identities), _change_identity),
    ("owned_by", _has(_owner_candidates), _owned_by),
    ("sequence_position", _has(lambda s: s.objects.sequences), _sequence_position),
    ("add_constraint", _tables, _add_constraint),
    ("validate_constraint", _has(_not_valid), _validate_constraint),
    ("replace_function", _has(lambda s: s.tables and _counting_functions(s)), _replace_function),
    ("set_schema", _has(lambda s: s.objects.schemas and (
        s.tables or s.enums or s.objects.views or s.objects.sequences or s.objects.domains
        or s.objects.functions)), _set_schema),
    ("rename_schema", _has_schemas, _rename_schema),
    ("rename_function", _has(lambda s: s.objects.functions), _rename_function),
    ("rename_trigger", _has(lambda s: s.objects.triggers), _rename_trigger),
    ("rename_view", _has(lambda s: s.objects.views), _rename_view),
    ("rename_index", _has(lambda s: s.indexes or s.objects.mat_indexes), _rename_index),
    ("rename_sequence", _has(lambda s: s.objects.sequences), _rename_sequence),
    ("rename_type", _has(lambda s: s.enums or s.objects.domains), _rename_type),
    ("rename_constraint", _has(lambda s: s.objects.constraints), _rename_constraint),
    ("drop_constraint", _has(lambda s: s.objects.constraints), _drop_constraint),
    ("drop_trigger", _has(lambda s: s.objects.triggers), _drop_trigger),
    ("drop_rich_view", _has(lambda s: s.objects.views), _drop_rich_view),
    ("drop_sequence", _has(lambda s: s.objects.sequences), _drop_sequence),
    ("drop_function", _has(lambda s: s.objects.functions), _drop_function),
)

#: Follow-ups of a rarer state (a materialized view, a NOT VALID constraint, an identity
#: column...) are listed this many times, so that a history reaches them often enough.
_WEIGHTS = {"refresh_materialized_view": 4, "validate_constraint": 4, "add_identity": 4,
            "change_identity": 4, "create_trigger": 4, "create_mat_index": 3, "drop_trigger": 3,
            "replace_view": 2, "rename_trigger": 2}

#: The operations as the strategies' table takes them: (kind, applies, build), a kind listed
#: once per unit of its weight.
OPERATIONS: tuple[tuple[str, Callable[[_Shadow], bool], Build], ...] = tuple(
    operation for operation in _OPERATIONS for _ in range(_WEIGHTS.get(operation[0], 1)))

#: The kinds of statement this vocabulary adds.
KINDS: frozenset[str] = frozenset(kind for kind, _, _ in _OPERATIONS)
