"""Containers built on first use: a fold restored from the incremental cache (``schemafold.cache``)
reads back its large, rarely needed parts -- the lineage and the events of the cached prefix --
only when a command reads them (report, blame, at), not for a squash.

Owns: ``DeferredMapping`` (``FoldResult.lineage`` after such a fold) and ``DeferredEvents``
(``FoldResult.events`` and ``ParseResult.events`` after one). Each behaves as the dict or tuple
it stands for (equal to it, pickled as it) and builds it once, when first read.

Must not know: what the cache stores or how; what a fold does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class DeferredMapping(Mapping[K, V]):
    """The dict ``make()`` gives, made when first read."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], dict[K, V]]) -> None:
        self._make: Callable[[], dict[K, V]] | None = make
        self._value: dict[K, V] = {}

    def _get(self) -> dict[K, V]:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value

    def __getitem__(self, key: K) -> V:
        return self._get()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __contains__(self, key: object) -> bool:
        return key in self._get()

    def __eq__(self, other: object) -> bool:
        return self._get() == (other._get() if isinstance(other, DeferredMapping) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._get())

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (self._get(),)


class DeferredEvents(Sequence[T]):
    """The tuple ``make()`` gives, made when first read; ``origins()`` gives each item's
    ``origin`` without making it, when the maker knows them (``origins``)."""

    __slots__ = ("_make", "_value", "_origins")

    def __init__(self, make: Callable[[], tuple[T, ...]],
                 origins: Callable[[], Sequence[Any]] | None = None) -> None:
        self._make: Callable[[], tuple[T, ...]] | None = make
        self._value: tuple[T, ...] = ()
        self._origins = origins

    def _get(self) -> tuple[T, ...]:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value

    def origins(self) -> Sequence[Any]:
        """``[item.origin for item in self]``, without reading the items when it can."""
        if self._origins is not None and self._make is not None:
            return self._origins()
        return [item.origin for item in self._get()]  # type: ignore[attr-defined]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._get()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __eq__(self, other: object) -> bool:
        mine = self._get()
        if isinstance(other, DeferredEvents):
            return mine == other._get()
        return mine == other if isinstance(other, tuple) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: tuple[T, ...]) -> tuple[T, ...]:
        return self._get() + tuple(other)

    def __radd__(self, other: tuple[T, ...]) -> tuple[T, ...]:
        return tuple(other) + self._get()

    def __repr__(self) -> str:
        return repr(self._get())

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple, (self._get(),)
