"""Progress on long work: a callback that takes one line of text, and a ticker that calls it
with ``what i/n`` at most once a second, and only once the work has lasted a second — a
history of a dozen files says nothing, one of thousands says where it is.

The command line passes a callback only when stderr is a terminal; the library never prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Progress = Callable[[str], None]


class Ticker:
    """``tick(done)`` as work advances; ``progress`` hears ``"<what> <done>/<total>"``."""

    def __init__(self, progress: Progress | None, what: str, total: int, *,
                 every: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.progress = progress
        self.what = what
        self.total = total
        self.every = every
        self.clock = clock
        self.next = clock() + every

    def tick(self, done: int) -> None:
        if self.progress is None:
            return
        now = self.clock()
        if now >= self.next:
            self.next = now + self.every
            self.progress(f"{self.what} {done}/{self.total}")
