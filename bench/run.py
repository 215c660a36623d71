"""schemafold's benchmark: speed and memory as ratios measured in one run.

    python bench/run.py            # the full run (a few minutes on 2 cores)
    python bench/run.py --quick    # smaller histories, for a first look

Every figure is measured here, now, against another figure of the same run, so the ratios mean
the same on a fast machine and a slow one. Each target is printed beside its measurement; the
exit code is 1 when a target is missed. See bench/README.md for what each target protects.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_history  # noqa: E402

from schemafold import fold  # noqa: E402
from schemafold.cli import main as schemafold_main  # noqa: E402

ATTUNE = Path(__file__).resolve().parents[1] / "examples" / "attune"


def seconds(work: Callable[[], Any], repeat: int = 3) -> float:
    """The best of ``repeat`` runs: the least disturbed by the machine's other work."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    return best


def peak_bytes(work: Callable[[], Any]) -> int:
    """The most memory Python held at once while ``work`` ran, above what it held before."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="schemafold-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def measure(self, what: str, value: str) -> None:
        self.rows.append((what, value, "", None))
        print(f"  {what:<58} {value:>14}", flush=True)

    def target(self, what: str, value: float, target: str, met: bool) -> None:
        self.rows.append((what, f"{value:.2f}", target, met))
        verdict = "ok" if met else "MISSED"
        print(f"  {what:<58} {value:>14.2f}   target {target:<8} {verdict}", flush=True)

    @property
    def missed(self) -> list[str]:
        return [what for what, _, _, met in self.rows if met is False]


def squash(source: Path, out: Path, *extra: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = schemafold_main(["squash", str(source), "--out", str(out), "--force", *extra])
    if code != 0:
        raise SystemExit(f"squash of {source} failed with exit code {code}")


def scaling(report: Report, small: int, large: int) -> None:
    print(f"\nfolding: a synthetic history of {small} and of {large} migrations")
    with scratch() as folder:
        histories = {}
        for size in (small, large):
            source = folder / f"h{size}"
            written = write_history(source, size)
            statements = len(fold(source).ledger)
            histories[size] = (source, statements, written)
            report.measure(f"{size} migrations: statements / bytes",
                           f"{statements} / {written // 1024} KiB")
        per_statement = {}
        memory = {}
        for size, (source, statements, _written) in histories.items():
            took = seconds(lambda source=source: fold(source), repeat=2 if size == large else 3)
            per_statement[size] = took / statements
            report.measure(f"{size} migrations: fold", f"{took:.2f} s")
            report.measure(f"{size} migrations: statements folded per second",
                           f"{statements / took:,.0f}")
            held = peak_bytes(lambda source=source: fold(source))
            memory[size] = held / statements
            report.measure(f"{size} migrations: peak memory of fold", f"{held / 2**20:.1f} MiB")
        growth = per_statement[large] / per_statement[small]
        report.target(f"time per statement, {large} vs {small} migrations", growth, "<= 1.5",
                      growth <= 1.5)
        growth = memory[large] / memory[small]
        report.target(f"memory per statement, {large} vs {small} migrations", growth,
                      "<= 1.5", growth <= 1.5)
        source, statements, written = histories[large]
        ratio = peak_bytes(lambda: fold(source)) / written
        report.target("peak memory of fold / bytes of SQL read", ratio, "<= 60", ratio <= 60)
        with scratch() as out:
            once = seconds(lambda: squash(source, out / "a"), repeat=1)
            first = sorted((p.name, p.read_bytes()) for p in (out / "a").iterdir())
            squash(source, out / "b")
            second = sorted((p.name, p.read_bytes()) for p in (out / "b").iterdir())
        report.measure(f"{large} migrations: schemafold squash, end to end", f"{once:.2f} s")
        report.target("squash output identical across two runs (1 = yes)",
                      float(first == second), "= 1", first == second)


def against_postgres(report: Report, size: int) -> None:
    """What the consolidation is for: building the database faster than the history does."""
    from schemafold.verify.engine import Cluster, find_postgres_bin, replay
    from schemafold.verify.run import read_side

    try:
        find_postgres_bin()
    except Exception as error:  # no server here: say so, measure the rest
        report.measure("PostgreSQL ratios", f"skipped: {error}")
        return
    print(f"\nPostgreSQL: the history of {size} migrations against its consolidation")
    with scratch() as folder, Cluster.start() as cluster:
        source = folder / "history"
        write_history(source, size)
        out = folder / "squashed"
        took_squash = seconds(lambda: squash(source, out), repeat=1)
        history = read_side(source)
        consolidation = read_side(out)
        counter = iter(range(10**6))

        def build(files: list[Any]) -> None:
            replay(cluster.create_database(f"b{next(counter)}"), files)

        took_history = seconds(lambda: build(history))
        took_consolidation = seconds(lambda: build(consolidation))
        report.measure("replay the history on PostgreSQL", f"{took_history:.2f} s")
        report.measure("replay the consolidation on PostgreSQL", f"{took_consolidation:.2f} s")
        report.measure("squash it (no database)", f"{took_squash:.2f} s")
        ratio = took_history / took_consolidation
        report.target("history replay / consolidation replay", ratio, ">= 2", ratio >= 2)
        ratio = took_history / took_squash
        report.target("history replay / squash", ratio, ">= 2", ratio >= 2)


def attune(report: Report) -> None:
    print("\nthe Attune example (examples/attune)")
    options = ["--layout", str(ATTUNE / "layout.toml"), "--setup", str(ATTUNE / "setup.sql"),
               "--search-path", "attune,public"]
    with scratch() as out:
        took = seconds(lambda: squash(ATTUNE / "migrations", out / "a", *options))
    report.measure("squash with the 13-file layout", f"{took:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="histories of 100 and 1000 migrations instead of 300 and 3000")
    args = parser.parse_args()
    small, large = (100, 1000) if args.quick else (300, 3000)
    report = Report()
    print(f"schemafold benchmark (Python {sys.version.split()[0]})")
    scaling(report, small, large)
    against_postgres(report, small)
    attune(report)
    if report.missed:
        print(f"\nmissed {len(report.missed)} target(s): " + "; ".join(report.missed))
        return 1
    print("\nevery target met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
