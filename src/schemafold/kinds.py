"""Object kinds and object keys: the one vocabulary every stage uses to name a database object.

Owns: ``ObjectKind``, the enumeration of the kinds of object a history can name (the words a
generic DROP / ALTER / COMMENT ON / GRANT uses, plus the pseudo kinds name resolution needs), with
their SQL spellings; and ``ObjectKey``, the frozen identity of one object in the net schema
(kind, schema, name, table, signature) with its descriptions (``describe``: what lineage, blame
and the report print; ``spellings``: the names ``blame`` accepts).

Must not know: SQL parsing, events, the model's classes, databases.

Both types stay equal to what they replace, so a half-converted codebase keeps working:

- ``ObjectKind`` is a ``str`` enumeration: ``ObjectKind.TABLE == "table"``, it hashes, sorts,
  formats (``f"{kind}"``), ``repr``s and serializes to JSON as the string ``"table"`` does.
- ``ObjectKey`` is a ``tuple`` whose items are laid out as the keys always were, so it hashes,
  compares, sorts and serializes exactly as the plain tuple did:

  ============================  =============================================
  shape                         items
  ============================  =============================================
  schema, extension, role,      ``(kind, name)``
  database
  relations and types           ``(kind, schema, name)``
  function                      ``(kind, schema, name, arg_types)``
  trigger, policy, column       ``(kind, schema, table, name)``
  ============================  =============================================

  Read a key through its fields (``key.kind``, ``key.schema``, ``key.name``, ``key.table``,
  ``key.signature``), never by position.

Relations (tables, views, materialized views, sequences, indexes) and types share one namespace
per schema, as in pg_class and pg_type; a materialized view is keyed as a view, a domain (and an
enum, composite or range type) as a type, a procedure as a function (``ObjectKind.model_kind``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

__all__ = ["ObjectKey", "ObjectKind"]


class _Closed(type):
    """ObjectKind's metaclass: iterating the class gives its members, in declaration order.
    (Not ``enum.EnumType``: on Python 3.11 its ``__getattr__`` makes every ``ObjectKind.TABLE``
    cost a Python call, about 0.3 microseconds, and the fold looks kinds up in its hot paths.)"""

    def __iter__(cls) -> Iterator[ObjectKind]:
        return iter(_MEMBERS)

    def __len__(cls) -> int:
        return len(_MEMBERS)


class ObjectKind(str, metaclass=_Closed):
    """A kind of database object, spelled as the history's statements spell it (lower case).

    A closed enumeration of ``str`` members: ``ObjectKind("table") is ObjectKind.TABLE``, an
    unknown spelling raises ``ValueError``, ``list(ObjectKind)`` gives every member, and a member
    is the string it spells in every other respect (equality, hashing, order, ``f"{kind}"``,
    ``repr``, JSON)."""

    __slots__ = ()

    SCHEMA: ClassVar[ObjectKind]
    EXTENSION: ClassVar[ObjectKind]
    ROLE: ClassVar[ObjectKind]
    DATABASE: ClassVar[ObjectKind]
    TABLE: ClassVar[ObjectKind]
    VIEW: ClassVar[ObjectKind]
    MATERIALIZED_VIEW: ClassVar[ObjectKind]
    INDEX: ClassVar[ObjectKind]
    SEQUENCE: ClassVar[ObjectKind]
    TYPE: ClassVar[ObjectKind]
    DOMAIN: ClassVar[ObjectKind]
    FUNCTION: ClassVar[ObjectKind]
    PROCEDURE: ClassVar[ObjectKind]
    TRIGGER: ClassVar[ObjectKind]
    POLICY: ClassVar[ObjectKind]
    CONSTRAINT: ClassVar[ObjectKind]
    COLUMN: ClassVar[ObjectKind]
    #: pseudo kinds, for name resolution only: ALTER TABLE's RENAME / OWNER TO / SET SCHEMA
    #: reach any relation; ALTER TABLE / ALTER INDEX ... RENAME reach an index too.
    RELATION: ClassVar[ObjectKind]
    ANY_RELATION: ClassVar[ObjectKind]

    def __new__(cls, value: str) -> ObjectKind:
        member = _BY_VALUE.get(value)
        if member is None:
            raise ValueError(f"{value!r} is not a valid ObjectKind")
        return member

    def __getnewargs__(self) -> tuple[str]:  # pickling: the member again
        return (str(self),)

    @property
    def value(self) -> str:
        """The spelling, as a plain ``str``."""
        return str.__str__(self)

    @property
    def name(self) -> str:
        """The member's name: ``TABLE``, ``MATERIALIZED_VIEW``."""
        return _NAMES[self]

    @property
    def sql(self) -> str:
        """The words DROP, ALTER, COMMENT ON and GRANT use: ``TABLE``, ``MATERIALIZED VIEW``."""
        return _SQL[self]

    @property
    def model_kind(self) -> ObjectKind:
        """The kind the net schema keys such an object under (a materialized view is keyed as a
        view, a domain as a type, a procedure as a function)."""
        return _MODEL_KIND.get(self, self)

    @classmethod
    def from_sql(cls, words: str) -> ObjectKind:
        """``TABLE`` -> ``ObjectKind.TABLE``; ``materialized view`` too (any case, one space)."""
        return cls(" ".join(words.split()).lower())

    @classmethod
    def named(cls, *words: str) -> dict[str, ObjectKind]:
        """The SQL spellings of ``words``' kinds -> their kinds (a parser's lookup table)."""
        return {cls(w).sql: cls(w) for w in words}


_SPELLINGS = {
    "SCHEMA": "schema", "EXTENSION": "extension", "ROLE": "role", "DATABASE": "database",
    "TABLE": "table", "VIEW": "view", "MATERIALIZED_VIEW": "materialized view", "INDEX": "index",
    "SEQUENCE": "sequence", "TYPE": "type", "DOMAIN": "domain", "FUNCTION": "function",
    "PROCEDURE": "procedure", "TRIGGER": "trigger", "POLICY": "policy",
    "CONSTRAINT": "constraint", "COLUMN": "column", "RELATION": "relation",
    "ANY_RELATION": "any relation",
}
_MEMBERS: list[ObjectKind] = []
_BY_VALUE: dict[str, ObjectKind] = {}
_NAMES: dict[str, str] = {}
for _name, _value in _SPELLINGS.items():
    _member = str.__new__(ObjectKind, _value)
    setattr(ObjectKind, _name, _member)
    _MEMBERS.append(_member)
    _BY_VALUE[_value] = _member
    _NAMES[_value] = _name
del _name, _value, _member

_SQL = {kind: kind.value.upper() for kind in ObjectKind}
_MODEL_KIND = {
    ObjectKind.MATERIALIZED_VIEW: ObjectKind.VIEW,
    ObjectKind.DOMAIN: ObjectKind.TYPE,
    ObjectKind.PROCEDURE: ObjectKind.FUNCTION,
}

#: Kinds keyed ``(kind, name)``: objects of the whole cluster or database, outside any schema.
UNQUALIFIED = frozenset({ObjectKind.SCHEMA, ObjectKind.EXTENSION, ObjectKind.ROLE,
                         ObjectKind.DATABASE})
#: Kinds keyed ``(kind, schema, table, name)``: objects that live on a table.
ON_TABLE = frozenset({ObjectKind.TRIGGER, ObjectKind.POLICY, ObjectKind.COLUMN,
                      ObjectKind.CONSTRAINT})
#: Kinds in the one namespace per schema of relations and types (pg_class, pg_type).
RELATIONS = (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE, ObjectKind.INDEX)

_new = tuple.__new__
_COLUMN = ObjectKind.COLUMN
_KIND: dict[str, ObjectKind] = {kind.value: kind for kind in ObjectKind}
# how a kind's key is laid out: 2 (kind, name), 4 (kind, schema, table, name), 3 for a function's
# (kind, schema, name, signature); kinds absent are (kind, schema, name)
_SHAPE: dict[str, int] = {**dict.fromkeys(UNQUALIFIED, 2), **dict.fromkeys(ON_TABLE, 4),
                          ObjectKind.FUNCTION: 3}


class ObjectKey(tuple[Any, ...]):
    """The identity of one object of the net schema: a frozen, hashable, ordered key.

    Build one with ``ObjectKey.of``; read it through its fields. It is a tuple laid out as the
    module docstring shows, so it equals, hashes and sorts as the plain tuple it replaces."""

    __slots__ = ()

    @classmethod
    def of(cls, kind: ObjectKind | str, schema: str | None, name: str, *,
           table: str | None = None, signature: tuple[str, ...] | None = None) -> ObjectKey:
        """The key of ``kind`` ``schema.name`` (``table``: the table a trigger, policy or
        column is on; ``signature``: a function's argument types)."""
        kind = _KIND[kind]
        shape = _SHAPE.get(kind)
        if shape is None:
            return _new(cls, (kind, schema, name))
        if shape == 2:
            return _new(cls, (kind, name))
        if shape == 4:
            return _new(cls, (kind, schema, table, name))
        return _new(cls, (kind, schema, name, signature if signature is not None else ()))

    @classmethod
    def column(cls, schema: str | None, table: str, name: str) -> ObjectKey:
        """The key of column ``name`` of ``schema.table`` (``of`` without its dispatch: the fold
        builds one for every column it touches)."""
        return _new(cls, (_COLUMN, schema, table, name))

    @classmethod
    def from_tuple(cls, items: tuple[Any, ...]) -> ObjectKey:
        """An ``ObjectKey`` from a plain key tuple (its first item a kind's spelling)."""
        if isinstance(items, ObjectKey):
            return items
        return _new(cls, (_KIND[items[0]], *items[1:]))

    @property
    def kind(self) -> ObjectKind:
        kind: ObjectKind = self[0]
        return kind

    @property
    def schema(self) -> str | None:
        """The schema the object is in; None for schemas, extensions, roles and databases."""
        schema: str | None = None if len(self) == 2 else self[1]
        return schema

    @property
    def name(self) -> str:
        """The object's own name (a trigger's, policy's or column's name, not its table's)."""
        name: str = self[1] if len(self) == 2 else self[3 if self[0] in ON_TABLE else 2]
        return name

    @property
    def table(self) -> str | None:
        """The table a trigger, policy, column or constraint is on; None for other kinds."""
        table: str | None = self[2] if self[0] in ON_TABLE else None
        return table

    @property
    def signature(self) -> tuple[str, ...] | None:
        """A function's argument types; None for other kinds."""
        signature: tuple[str, ...] | None = self[3] if self[0] == ObjectKind.FUNCTION else None
        return signature

    def describe(self) -> str:
        """``table public.t``, ``column public.t.a``, ``function public.f(integer)``,
        ``trigger tr on public.t``: the object as lineage, blame and the report name it."""
        return describe_key(self)

    def spellings(self) -> set[str]:
        """The names ``blame OBJECT`` accepts for the object: qualified by its schema or not; a
        trigger or policy also by its own name alone."""
        parts = [str(p) for p in self[1:] if not isinstance(p, tuple) and p is not None]
        names = {".".join(parts)}
        if len(parts) > 1:
            names.add(".".join(parts[1:]))
        if self[0] in (ObjectKind.TRIGGER, ObjectKind.POLICY) and parts:
            names.add(parts[-1])
        return names

    def qualified(self) -> str:
        """``schema.name`` (``name`` when the key has no schema): a relation's name in prose."""
        schema = self.schema
        return f"{schema}.{self.name}" if schema else self.name

def describe_key(key: tuple[Any, ...] | None) -> str:
    """``table public.t``, ``column public.t.a``, ``function public.f(integer)``; ``?`` for None.
    Accepts a plain key tuple too."""
    if key is None:
        return "?"
    kind = str(key[0])
    parts = [str(p) for p in key[1:] if not isinstance(p, tuple)]
    text = ".".join(p for p in parts if p != "None")
    if kind == ObjectKind.FUNCTION and isinstance(key[-1], tuple):
        text += "(" + ", ".join(str(a) for a in key[-1]) + ")"
    if kind in (ObjectKind.TRIGGER, ObjectKind.POLICY) and len(key) == 4:
        text = f"{key[3]} on {key[1]}.{key[2]}"
    return f"{kind} {text}"
