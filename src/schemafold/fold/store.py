"""The objects of a schema being folded, indexed by the names PostgreSQL's name choice checks.

Owns: the map of objects by key, and, kept up to date on every change, how many tables of each
schema use a constraint name and a NOT NULL constraint name. Choosing an implicit name
(``<table>_<column>_fkey``, ``<table>_<column>_not_null``) asks whether a name is taken in a
schema; without the index each question read every table, which made folding a long history
quadratic.

Must not know: what any event does.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from schemafold.model import Key, SchemaObject, Table


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


class ObjectStore(dict[Key, SchemaObject]):
    """A dict of the fold's objects that also counts the names of their table constraints.

    Every way of changing a dict goes through ``__setitem__`` and ``__delitem__`` here, so the
    counts cannot drift; a deep copy (a transaction's snapshot) rebuilds them.
    """

    def __init__(self, items: Iterable[tuple[Key, SchemaObject]] = ()) -> None:
        super().__init__()
        self._constraints: Counter[tuple[str, str]] = Counter()
        self._not_nulls: Counter[tuple[str, str]] = Counter()
        for key, obj in items:
            self[key] = obj

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
        super().__setitem__(key, obj)
        self._count(obj, +1)

    def __delitem__(self, key: Key) -> None:
        self._count(self[key], -1)
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

    def __deepcopy__(self, memo: dict[int, Any]) -> ObjectStore:
        return ObjectStore((key, copy.deepcopy(obj, memo)) for key, obj in self.items())

    def __copy__(self) -> ObjectStore:
        return ObjectStore(self.items())

    def __reduce__(self) -> tuple[Any, ...]:
        return (ObjectStore, (list(self.items()),))
