"""The ``__repr__``, ``__eq__`` and ``__hash__`` of attrs classes, written once instead of
compiled for each class.

Owns: ``fields_repr``, the text attrs' generated ``__repr__`` gives (``Column(name='a',
type='int')``: the class's name, then each field shown in the repr, in order, ``name=value``
with the value's ``repr``; ``...`` for an object already being shown further out);
``fields_eq`` and ``fields_hash``, what attrs generates for a frozen class: equal when of the
same class and equal in every compared field, in order; the hash of those fields. A class takes
them with ``__repr__ = fields_repr`` (``__eq__ = fields_eq`` with ``__hash__ = fields_hash``)
in its body, and attrs then writes none of them for it.

attrs compiles each class's methods from generated source when the class is created; the
``__repr__`` was a sixth of a squash's start-up (30 ms of CPU time for the classes a squash
imports, measured on the Attune example), ``__eq__`` with ``__hash__`` 16 ms. The text is the
same (sorting and cache keys use some of these reprs), and so is equality; hashes are not the
same numbers (attrs' mix in a per-process random one anyway). A class whose equality or hash
is hot (``QName``, ``Origin``) keeps attrs' own, which are faster.

Must not know: anything about SQL.
"""

from __future__ import annotations

import threading
from typing import Any, cast

import attrs

_showing = threading.local()


def fields_repr(self: object) -> str:
    """``self`` as attrs' generated ``__repr__`` shows it."""
    try:
        showing: set[int] = _showing.ids
    except AttributeError:
        showing = _showing.ids = set()
    if id(self) in showing:
        return "..."  # a cycle: shown further out
    showing.add(id(self))
    try:
        cls = self.__class__
        parts = []
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", cls)):
            if field.repr is False:
                continue
            value = getattr(self, field.name) if field.init else \
                getattr(self, field.name, attrs.NOTHING)
            shown = repr(value) if field.repr is True else field.repr(value)
            parts.append(f"{field.name}={shown}")
        return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"
    finally:
        showing.remove(id(self))


#: class -> its compared fields and its hashed fields: (name, eq_key or None), in order
_FIELDS: dict[type, tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]] = {}


def _fields(cls: type) -> tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]:
    found = _FIELDS.get(cls)
    if found is None:
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        found = _FIELDS[cls] = (
            tuple((f.name, f.eq_key) for f in fields if f.eq),
            tuple((f.name, f.eq_key) for f in fields
                  if f.hash is True or (f.hash is None and f.eq is True)))
    return found


def fields_eq(self: object, other: object) -> bool:
    """attrs' generated ``__eq__``: another class is NotImplemented; otherwise the compared
    fields' comparisons, in order, the first false one (or the last) the answer."""
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]  # (NotImplemented is typed Any)
    same: bool = True
    for name, key in _fields(self.__class__)[0]:
        if key is None:
            same = getattr(self, name) == getattr(other, name)
        else:
            same = key(getattr(self, name)) == key(getattr(other, name))
        if not same:
            return same
    return same


def fields_hash(self: object) -> int:
    """The hash of the class and the hashed fields (those compared), as attrs' generated
    ``__hash__`` of a frozen class: equal objects hash alike."""
    cls = self.__class__
    return hash((cls.__qualname__, *(
        getattr(self, name) if key is None else key(getattr(self, name))
        for name, key in _fields(cls)[1])))
