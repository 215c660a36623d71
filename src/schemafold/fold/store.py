"""The objects of a schema being folded, indexed by the names PostgreSQL's name choice checks.

Owns: the map of objects by key, and, kept up to date on every change, how many tables of each
schema use a constraint name and a NOT NULL constraint name. Choosing an implicit name
(``<table>_<column>_fkey``, ``<table>_<column>_not_null``) asks whether a name is taken in a
schema; without the index each question read every table, which made folding a long history
quadratic. Also kept up to date: the objects of each type (``of_type``) and the objects
related to each table (``related``: its indexes, triggers and policies, the tables whose
constraints reference it, inherit from it or partition it, the sequences its columns own), each
in the map's own order, so that the folder's "every object that ..." passes read only the
objects that can answer; and the keys of each kind by name, in any schema (``keys_called``),
for the checks that ask whether some function or relation has a name; and the words of each
routine's text (``routines_spelling``), for what dropping or renaming a table or type asks of
every routine.

Must not know: what any event does.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from schemafold.fragment import Fragment, fragment, spelled_as_word
from schemafold.model import (
    Function,
    Index,
    Key,
    Policy,
    SchemaObject,
    Sequence,
    Table,
    Trigger,
)
from schemafold.names import QName, type_base


def _constraint_names(obj: SchemaObject) -> Iterator[tuple[str, str]]:
    if isinstance(obj, Table):
        schema = obj.name.schema or ""
        for constraint in obj.constraints:
            yield schema, constraint.name


def _not_null_names(obj: SchemaObject) -> Iterator[tuple[str, str]]:
    if isinstance(obj, Table):
        schema = obj.name.schema or ""
        for column in obj.columns:
            if column.not_null_name is not None:
                yield schema, column.not_null_name


def _discard(index: dict[Any, dict[Key, None]], part: Any, key: Key) -> None:
    found = index.get(part)
    if found is not None:
        found.pop(key, None)
        if not found:
            del index[part]


#: ``related((COLUMN_TYPE, QName(None, n)))``: the tables with a column of a type (or array of
#: it) named ``n`` in some schema, as ``names.type_base`` reads the column's type.
COLUMN_TYPE = "column type"

#: ``related(STANDARD_BODY)``: the routines with a SQL-standard body (which read tables).
STANDARD_BODY = ("standard body", QName(None, ""))


#: ``related((SPELLS, QName(None, w)))``: the routines whose text has the word ``w``
#: (``Fragment.words``); ``related(SPELLS_ANY)``: those whose words are not known.
SPELLS = "spells"
SPELLS_ANY = (SPELLS, QName(None, "&"))


#: the tag that opens a dollar-quoted string, ending a text (not after a name's character)
_OPENING_TAG = re.compile(
    r"(?<![A-Za-z0-9_$])(?<![^\x00-\x7f])"  # (a range to U+10FFFF takes 20 ms to compile)
    r"\$(?:(?:[A-Za-z_]|[^\x00-\x7f])(?:[A-Za-z0-9_]|[^\x00-\x7f])*)?\$\Z")


def _outside_body(function: Function) -> Fragment:
    """A routine's text without its body where that is a dollar-quoted string (one token,
    which spells no name): the words of a large body would fill the index and offer the
    routine for every name it mentions."""
    text, body = function.text, function.body
    if body is None or function.standard_body() is not None:
        return text
    at = text.rfind(body)
    if at < 0:
        return text
    tag = _OPENING_TAG.search(text, 0, at)
    if tag is None or not text.startswith(tag.group(), at + len(body)):
        return text
    return fragment(text[:tag.start()] + " " + text[at + len(body) + len(tag.group()):])


def _spelled(function: Function) -> set[tuple[str, QName]]:
    words = _outside_body(function).words
    if words is None:
        return {SPELLS_ANY}
    return {(SPELLS, QName(None, word)) for word in words}


def _relations(obj: SchemaObject) -> set[tuple[str, QName]]:
    """The tables ``obj`` relates to, by how (see ``ObjectStore.related``), and the words a
    routine's text has."""
    if isinstance(obj, Trigger):
        return {("Trigger", obj.table), ("function", obj.function)}
    if isinstance(obj, Index | Policy):
        return {(type(obj).__name__, obj.table)}
    if isinstance(obj, Function):
        found = _spelled(obj)
        if obj.standard_body() is not None:
            found.add(STANDARD_BODY)
        return found
    if isinstance(obj, Table):
        found = {("target", c.target) for c in obj.constraints if c.target is not None}
        found.update(("inherits", parent) for parent in obj.inherits)
        if obj.partition_of is not None:
            found.add(("partition_of", obj.partition_of))
        found.update((COLUMN_TYPE, QName(None, type_base(column.column.type)[1]))
                     for column in obj.columns)
        return found
    if isinstance(obj, Sequence) and obj.owned_by is not None:
        return {("owned_by", obj.owned_by[0])}
    return set()


class ObjectStore(dict[Key, SchemaObject]):
    """A dict of the fold's objects that also counts the names of their table constraints.

    Every way of changing a dict goes through ``__setitem__`` and ``__delitem__`` here, so the
    counts cannot drift; a deep copy (a transaction's snapshot) rebuilds them.
    """

    def __init__(self, items: Iterable[tuple[Key, SchemaObject]] = ()) -> None:
        super().__init__()
        self._constraints: Counter[tuple[str, str]] = Counter()
        self._not_nulls: Counter[tuple[str, str]] = Counter()
        self._position: dict[Key, int] = {}  # a key's place in the map's order
        self._next = 0
        self._types: dict[type, dict[Key, None]] = {}
        self._unsorted: set[type] = set()  # types whose keys are not in the map's order
        self._related: dict[tuple[str, QName], dict[Key, None]] = {}
        self._kinds: dict[object, dict[Key, None]] = {}  # key[0] -> keys
        self._named: dict[tuple[object, ...], dict[Key, None]] = {}  # key[:3] -> keys
        self._called: dict[tuple[object, object], dict[Key, None]] = {}  # key[0], key[2] -> keys
        for key, obj in items:
            self[key] = obj

    def keys_of_kind(self, kind: str) -> list[Key]:
        """The keys whose first part is ``kind``, in the map's order."""
        return list(self._kinds.get(kind, ()))

    def keys_named(self, kind: str, schema: object, name: object) -> list[Key]:
        """The keys that begin ``(kind, schema, name)`` (a routine's overloads), in order."""
        return list(self._named.get((kind, schema, name), ()))

    def keys_called(self, kind: str, name: object) -> list[Key]:
        """The keys of ``kind`` named ``name`` in any schema, in the map's order."""
        return list(self._called.get((kind, name), ()))

    def any_called(self, kinds: Iterable[str], name: object) -> bool:
        """Whether an object of one of ``kinds`` is named ``name`` in some schema."""
        return any((kind, name) in self._called for kind in kinds)

    def of_type(self, *types: type) -> list[tuple[Key, SchemaObject]]:
        """The objects of exactly these types (not subclasses), in the map's order."""
        keys: list[Key] = []
        for kind in types:
            if kind in self._unsorted:
                self._types[kind] = dict.fromkeys(sorted(self._types[kind],
                                                         key=self._position.__getitem__))
                self._unsorted.discard(kind)
            keys.extend(self._types.get(kind, ()))
        if len(types) > 1:
            keys.sort(key=self._position.__getitem__)
        return [(key, self[key]) for key in keys]

    def on_table(self, table: QName, *types: type) -> list[tuple[Key, SchemaObject]]:
        """The indexes, triggers or policies (``types``) whose table is written ``table``, in
        the map's order."""
        return self.related(*((kind.__name__, table) for kind in types))

    def related(self, *relations: tuple[str, QName]) -> list[tuple[Key, SchemaObject]]:
        """The objects in any of ``relations`` to a table, in the map's order: ``("Index",
        t)`` (also ``Trigger``, ``Policy``): on t; ``("target", t)``: a table with a
        constraint whose target is t; ``(COLUMN_TYPE, QName(None, n))``: a table with a column of
        a type named n; ``("inherits", t)``, ``("partition_of", t)``: a table
        inheriting from t, a partition of t; ``("owned_by", t)``: a sequence owned by a column
        of t."""
        keys = [key for relation in relations for key in self._related.get(relation, ())]
        if len(relations) > 1:
            keys = sorted(dict.fromkeys(keys), key=self._position.__getitem__)
        elif len(keys) > 1:
            keys.sort(key=self._position.__getitem__)
        return [(key, self[key]) for key in keys]

    def routines_spelling(self, name: str, folded: str) -> list[tuple[Key, SchemaObject]]:
        """The functions and procedures whose text may spell ``name`` (``folded``:
        ``name.casefold()``), as ``Fragment.may_spell`` answers, in the map's order: found by
        the word where the name is one (``spelled_as_word``), else by reading every text."""
        if spelled_as_word(folded):
            return self.related((SPELLS, QName(None, folded)), SPELLS_ANY)
        return [(key, function) for key, function in self.of_type(Function)
                if isinstance(function, Function) and function.text.may_spell(name, folded)]

    def in_order(self, *groups: list[tuple[Key, SchemaObject]]
                 ) -> list[tuple[Key, SchemaObject]]:
        """The (key, object) pairs of ``groups`` (each as ``of_type`` or ``related`` gave it,
        filtered), merged into the map's order."""
        merged = [pair for group in groups for pair in group]
        if len(groups) > 1:
            merged.sort(key=lambda pair: self._position[pair[0]])
        return merged

    def _index(self, key: Key, obj: SchemaObject, old: SchemaObject | None) -> None:
        kind = type(obj)
        if old is None or type(old) is not kind:
            if old is not None:
                self._types[type(old)].pop(key, None)
                self._unsorted.add(kind)
            self._types.setdefault(kind, {})[key] = None
        before = _relations(old) if old is not None else set()
        after = _relations(obj)
        if before != after:
            self._unrelate(key, before - after)
            for relation in after - before:
                self._related.setdefault(relation, {})[key] = None

    def _unindex(self, key: Key, old: SchemaObject) -> None:
        self._types[type(old)].pop(key, None)
        self._unrelate(key, _relations(old))

    def _unrelate(self, key: Key, relations: Iterable[tuple[str, QName]]) -> None:
        for relation in relations:
            found = self._related.get(relation)
            if found is not None:
                found.pop(key, None)
                if not found:
                    del self._related[relation]

    def constraint_name_used(self, schema: str, name: str) -> bool:
        """Whether a table of ``schema`` has a constraint named ``name``."""
        return self._constraints[(schema, name)] > 0

    def not_null_name_used(self, schema: str, name: str) -> bool:
        """Whether a column of a table of ``schema`` has a NOT NULL constraint named ``name``."""
        return self._not_nulls[(schema, name)] > 0

    def _count(self, obj: SchemaObject, step: int) -> None:
        if not isinstance(obj, Table):
            return
        for counter, names in ((self._constraints, _constraint_names(obj)),
                               (self._not_nulls, _not_null_names(obj))):
            for name in names:
                counter[name] += step
                if counter[name] <= 0:
                    del counter[name]

    def __setitem__(self, key: Key, obj: SchemaObject) -> None:
        old = self.get(key)
        if old is not None:
            self._count(old, -1)
        elif key not in self:
            self._position[key] = self._next
            self._next += 1
            self._kinds.setdefault(key[0], {})[key] = None
            if len(key) >= 3:
                self._named.setdefault(key[:3], {})[key] = None
                self._called.setdefault((key[0], key[2]), {})[key] = None
        super().__setitem__(key, obj)
        self._count(obj, +1)
        self._index(key, obj, old)

    def __delitem__(self, key: Key) -> None:
        old = self[key]
        self._count(old, -1)
        self._unindex(key, old)
        del self._position[key]
        _discard(self._kinds, key[0], key)
        _discard(self._named, key[:3], key)
        if len(key) >= 3:
            _discard(self._called, (key[0], key[2]), key)
        super().__delitem__(key)

    _MISSING: Any = object()

    def pop(self, key: Key, default: Any = _MISSING) -> Any:
        if key in self:
            obj = self[key]
            del self[key]
            return obj
        if default is self._MISSING:
            raise KeyError(key)
        return default

    def popitem(self) -> tuple[Key, SchemaObject]:
        key = next(reversed(self))
        return key, self.pop(key)

    def setdefault(self, key: Key, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, obj in dict(*args, **kwargs).items():
            self[key] = obj

    def clear(self) -> None:
        super().clear()
        self._constraints.clear()
        self._not_nulls.clear()
        self._position.clear()
        self._types.clear()
        self._unsorted.clear()
        self._related.clear()
        self._kinds.clear()
        self._named.clear()
        self._called.clear()

    def __deepcopy__(self, memo: dict[int, Any]) -> ObjectStore:
        """The objects copied as deep as ``memo`` asks (a transaction's snapshot shares them:
        they are immutable), the indexes copied as they stand instead of rebuilt object by
        object: a copy of an object is equal to it, so its index entries are the same. Positions
        keep their gaps: only their order is ever read, and it is the map's order."""
        clone = ObjectStore()
        for key, obj in self.items():
            dict.__setitem__(clone, key, copy.deepcopy(obj, memo))
        clone._constraints = Counter(self._constraints)
        clone._not_nulls = Counter(self._not_nulls)
        clone._position = dict(self._position)
        clone._next = self._next
        clone._types = {kind: dict(keys) for kind, keys in self._types.items()}
        clone._unsorted = set(self._unsorted)
        clone._related = {relation: dict(keys) for relation, keys in self._related.items()}
        clone._kinds = {kind: dict(keys) for kind, keys in self._kinds.items()}
        clone._named = {named: dict(keys) for named, keys in self._named.items()}
        clone._called = {called: dict(keys) for called, keys in self._called.items()}
        return clone

    def __copy__(self) -> ObjectStore:
        return ObjectStore(self.items())

    def __reduce__(self) -> tuple[Any, ...]:
        return (ObjectStore, (list(self.items()),))
