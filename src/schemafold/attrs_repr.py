"""One ``__repr__`` for the attrs classes, written once instead of compiled for each class.

Owns: ``fields_repr``, the text attrs' generated ``__repr__`` gives (``Column(name='a',
type='int')``: the class's name, then each field shown in the repr, in order, ``name=value``
with the value's ``repr``; ``...`` for an object already being shown further out). A class
takes it with ``__repr__ = fields_repr`` in its body, and attrs then writes none for it.

attrs compiles each class's methods from generated source when the class is created; the
``__repr__`` was a sixth of a squash's start-up (30 ms of CPU time for the classes a squash
imports, measured on the Attune example). The text is the same: sorting and cache keys use
some of these reprs.

Must not know: anything about SQL.
"""

from __future__ import annotations

import threading
from typing import cast

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
