"""Fewer passes of Python's cyclic garbage collector while reading and folding.

Owns: ``fewer_collections``, a context manager (and decorator) that raises the collector's
first threshold for the duration of a fold, then puts it back. Folding allocates millions of
small objects (tokens, events, model objects, ledger entries) that live until the fold is done
and form almost no cycles; with the default threshold (700 allocations) the collector walked
them again and again, a quarter of a long fold's time, growing with the history. Reference
counting still frees everything at once; the cycles that do form are collected as before, only
less often.

Must not know: anything about SQL.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

#: The first generation's threshold while folding (the default is 700).
THRESHOLD = 100_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    first, second, third = gc.get_threshold()
    if first == 0 or first >= THRESHOLD:  # collection off, or already fewer: leave it
        yield
        return
    gc.set_threshold(THRESHOLD, second, third)
    try:
        yield
    finally:
        gc.set_threshold(first, second, third)
