"""Measure how often ``squash`` exits 0 on a mutated fixture history that PostgreSQL rejects
(issue 15): a seeded, reproducible sample of squash mutants, each one that squashes is replayed
on a throwaway PostgreSQL, and the outcomes are counted and classified. Outside CI::

    PYTHONPATH=src:tests python tests/fuzz_replay.py --count 400 --seed 15 [--json out.jsonl]

The same ``--count`` and ``--seed`` give the same mutants on every run, so figures before and
after a change compare. Of the squashes that exit 0 but do not replay (``exit0_rejected``), those
whose failing statement ``squash`` kept verbatim with a warning at that place (or named in a
warning that keeps the history as written because of it, or working on a relation a warning
said folding stopped at) are counted as
``exit0_rejected_warned`` (the summary counts them and ``--strict`` refuses them); the rest,
``exit0_rejected_unwarned``, are the figure to bring to 0.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

from fuzz_histories import KINDS, SOURCES, Mutant, Mutation, check
from schemafold.verify.cluster import Cluster


def sample(count: int, seed: int) -> list[Mutant]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        source = SOURCES[rng.randrange(len(SOURCES))]
        mutations = tuple(
            Mutation(KINDS[rng.randrange(len(KINDS))], rng.randrange(1001),
                     rng.randrange(10**6 + 1), rng.randrange(1001))
            for _ in range(rng.randint(1, 3)))
        found.append(Mutant(source, mutations, "squash"))
    return found


def _statement_place(folder: Path, place: str) -> str:
    """``file:line`` of the start of the statement holding ``place`` (PostgreSQL names the line
    of the error's position, a warning names the line its statement starts on); ``place`` when
    it cannot be found."""
    from schemafold.errors import printable
    from schemafold.parse.splitter import split_sql

    file, _, line = place.rpartition(":")
    if not line.isdigit():
        return place
    for path in folder.rglob("*.sql"):
        if printable(path.name) != file and printable(str(path.relative_to(folder))) != file:
            continue
        try:
            # a byte-order mark starts no statement: the fold reads past it as PostgreSQL's
            # clients do
            statements = split_sql(path.read_text(errors="replace").removeprefix("\ufeff"),
                                   file).statements
        except Exception:  # noqa: BLE001 - a file the splitter refuses: keep PostgreSQL's place
            return place
        for statement in statements:
            if statement.line <= int(line) <= statement.line + statement.text.count("\n"):
                return f"{file}:{statement.line}"
    return place


def _behind_a_barrier(stderr: str, error: str) -> bool:
    """Whether the statement PostgreSQL refused works on a relation a warning said the fold
    stopped folding at (``folding stops here for public.accounts: later statements on them
    are kept verbatim``): it was kept as written, and the user was told why (an opaque
    statement before it may or may not have made what it needs)."""
    statement = error.split(": ", 2)[-1].lower()
    words = set(re.findall(r"[a-z_][a-z0-9_$]*", statement))
    for line in stderr.splitlines():
        found = re.search(r": warning: folding stops here for ([^:]+):", line)
        if found and any(name.strip().rpartition(".")[2].strip('"').lower() in words
                         for name in found.group(1).split(",")):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", type=Path, help="one JSON line a mutant, for classifying")
    args = parser.parse_args(argv)
    from test_fuzz import _replays

    counts = {"tried": 0, "exit0": 0, "exit0_rejected": 0, "exit0_rejected_warned": 0,
              "exit0_rejected_unwarned": 0, "tracebacks": 0, "problems": 0}
    out = args.json.open("w") if args.json else None
    with Cluster.start() as cluster:
        for number, mutant in enumerate(sample(args.count, args.seed)):
            counts["tried"] += 1
            with tempfile.TemporaryDirectory() as work:
                outcome, problems = check(mutant, Path(work))
                record: dict[str, object] = {"n": number, "mutant": repr(mutant),
                                             "code": outcome.code, "problems": problems}
                if outcome.crash:
                    counts["tracebacks"] += 1
                if problems:
                    counts["problems"] += 1
                if outcome.code == 0:
                    counts["exit0"] += 1
                    error = _replays(cluster, mutant, Path(work) / "migrations")
                    record["replay"] = error
                    if error is not None:
                        counts["exit0_rejected"] += 1
                        place = _statement_place(Path(work) / "migrations",
                                                 error.split(": ", 1)[0])
                        # warned at the statement, or named by a warning that keeps the
                        # history as written from its file because of it ("... because at
                        # 0002_x.sql:5 sequence ... does not exist")
                        warned = f"\n{place}: warning: " in f"\n{outcome.stderr}" or any(
                            ": warning: " in line and f" at {place} " in line
                            for line in outcome.stderr.splitlines()) or _behind_a_barrier(
                                outcome.stderr, error)
                        record["warned"] = warned
                        counts["exit0_rejected_warned"] += warned
                        counts["exit0_rejected_unwarned"] += not warned
                else:
                    record["stderr"] = outcome.stderr[-400:]
                if out:
                    out.write(json.dumps(record) + "\n")
                    out.flush()
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
