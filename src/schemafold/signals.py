"""SIGINT, SIGTERM and SIGHUP: turned into exceptions that unwind through every ``finally``, so that
whatever a verification started (a throwaway cluster, a database on the user's server) is cleaned
up, and deferred while a cleanup runs, so that a signal never interrupts one half done.

Owns: the handlers, :class:`Terminated`, and :func:`shielded` (the blocks during which signals
wait). A handler never does work itself: cleaning up from inside a signal handler would wait on
the lock of the very cleanup it interrupted, for ever.

Must not know: clusters, databases, the command line (they use this).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["Terminated", "install", "shielded"]

_FATAL = (signal.SIGTERM, signal.SIGHUP)
_deferred: list[int] = []
_depth = 0
_quiet_interrupt = False


class Terminated(SystemExit):
    """A SIGTERM or SIGHUP (or, on the command line, a SIGINT): a ``SystemExit`` with code
    128 + the signal's number, so that it unwinds through every ``finally``, is not caught by
    ``except Exception``, and ends the interpreter without a traceback."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _exception(signum: int) -> BaseException:
    if signum == signal.SIGINT and not _quiet_interrupt:
        return KeyboardInterrupt()
    return Terminated(signum)


def _handler(signum: int, frame: FrameType | None) -> None:
    if _depth:
        _deferred.append(signum)
        return
    raise _exception(signum)


def install(*, quiet_interrupt: bool = False) -> None:
    """Take over SIGTERM and SIGHUP where nobody else handles them (they would otherwise end the
    interpreter without running any ``finally``), and SIGINT where it has Python's default
    handler (which then still raises ``KeyboardInterrupt``, or :class:`Terminated` with
    ``quiet_interrupt``, as the command line wants). Only the main thread can."""
    global _quiet_interrupt
    if threading.current_thread() is not threading.main_thread():
        return
    if quiet_interrupt:
        _quiet_interrupt = True
    for signum in (*_FATAL, signal.SIGINT):
        current = signal.getsignal(signum)
        if current is _handler:
            continue
        ours = signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL
        if current is ours or (quiet_interrupt and signum == signal.SIGINT):
            signal.signal(signum, _handler)


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Run the block with signals deferred; the first one that arrived is raised (as the
    handler would have) once the outermost shielded block ends."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _deferred:
            signum = _deferred[0]
            _deferred.clear()
            raise _exception(signum)
