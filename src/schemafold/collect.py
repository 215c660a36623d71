"""Fewer passes of Python's cyclic garbage collector while reading and folding.

Owns: ``fewer_collections``, a context manager (and decorator) that raises the collector's
first threshold for the duration of a fold, then puts it back; for the command line's own
process, the same threshold from the start and no collection on the way out
(``for_the_program``, ``program_done``), and an exit that skips the interpreter's teardown
(``exit_program``). Folding allocates millions of
small objects (tokens, events, model objects, ledger entries) that live until the fold is done
and form almost no cycles; with the default threshold (700 allocations) the collector walked
them again and again, a quarter of a long fold's time, growing with the history. Reference
counting still frees everything at once; the cycles that do form are collected as before, only
less often.

The threshold is a million: a first-generation pass walks every object allocated since the
last one, about 0.25 microseconds each, and nearly all of them are still alive (squashing the
Attune example, 100,000 objects cost a 25 ms pass that freed 5,000). With a million, a
history of a thousand migrations folds, plans and renders without a pass (5 to 12 % less CPU
time, the same peak memory, measured on the benchmark's shapes), a larger one pays the same
per object as before, and the garbage a fold can leave waiting stays under a million objects.

Must not know: anything about SQL.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Iterator
from typing import NoReturn

#: The first generation's threshold while folding (the default is 700).
THRESHOLD = 1_000_000


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


_program = False


def for_the_program() -> None:
    """This process is one ``schemafold`` command (the script, ``python -m``): collect as
    seldom as while folding for all of it, imports included. Called before the imports."""
    global _program
    _program = True
    first, second, third = gc.get_threshold()
    if first and first < THRESHOLD:
        gc.set_threshold(THRESHOLD, second, third)


def program_done() -> None:
    """The command is done and the process ends: no last pass of the collector over what the
    command leaves (Python's exit makes one while the collector is on; everything is freed with
    the process anyway). Nothing changes when the command runs inside another program."""
    if _program:
        gc.disable()



def exit_program(code: int) -> NoReturn:
    """End the ``schemafold`` process (``python -m schemafold``, the script) with ``code``, as
    Python's own exit would but without its teardown: emptying every module and freeing each
    object one by one, with a last pass of the collector over them all, cost a squash of the
    Attune example 80 ms of CPU time (a tenth of the command), for memory the process gives
    back whole when it ends. What that teardown does for the command is done first: the
    ``atexit`` functions run (those of ``verify``'s clusters, ``weakref.finalize``'s) and the
    standard streams are flushed. Where something else might still be running (a thread other
    than this one), a stream cannot be flushed (a closed pipe), or a profiler or tracer watches
    the process (``python -m cProfile`` writes its figures after the command returns), Python's
    own exit ends it."""
    if threading.active_count() == 1 and sys.getprofile() is None and sys.gettrace() is None:
        atexit._run_exitfuncs()
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):
            pass  # Python's exit reports it, with its exit code
        else:
            if threading.active_count() == 1:
                os._exit(code)
    raise SystemExit(code)
