"""Run the squash property (tests/test_strategies.py) on many random histories, outside CI.

    PYTHONPATH=src:tests python bench/property_run.py --examples 200 [--seed N] [--valid-only]

``--valid-only`` only replays each history on PostgreSQL (checks the strategy keeps it valid).
Otherwise each history is folded, rendered, and both sides replayed and compared, as the
property test does; every failing history is printed (shrunk by Hypothesis) and the run stops.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from replay_helpers import history_files, replay_both, texts  # noqa: E402
from schemafold import fold  # noqa: E402
from schemafold.render.postgres import render_schema  # noqa: E402
from schemafold.testing import History, histories  # noqa: E402
from schemafold.verify.cluster import Cluster  # noqa: E402
from schemafold.verify.replay import replay  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--valid-only", action="store_true")
    parser.add_argument("--max-migrations", type=int, default=5)
    parser.add_argument("--max-statements", type=int, default=6)
    parser.add_argument("--collect", type=Path, default=None,
                        help="append every failing history to this file (JSON lines) and go "
                             "on, without shrinking")
    arguments = parser.parse_args()
    count = 0
    began = time.monotonic()
    with Cluster.start() as left, Cluster.start() as right:
        phases = None
        failures = 0
        if arguments.collect is not None:
            from hypothesis import Phase
            phases = [Phase.generate]

        @settings(max_examples=arguments.examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck), print_blob=True,
                  **({"phases": phases} if phases else {}))
        @given(history=histories(max_migrations=arguments.max_migrations,
                                 max_statements=arguments.max_statements))
        def check(history: History) -> None:
            nonlocal count, failures
            count += 1
            with tempfile.TemporaryDirectory() as folder:
                written = history.write(Path(folder))
                if arguments.valid_only:
                    replay(left.create_database(f"v{count}"), history_files(written))
                    return
                try:
                    result = fold(written)
                    consolidation = render_schema(result.schema)
                    comparison = replay_both(
                        (left, right), history_files(written),
                        texts([("0001_schema.sql", consolidation)]),
                        explicit_positions=result.data_notes.explicit_sequences, prefix="bench")
                    problem = None if comparison.equal else comparison.summary()
                except Exception as error:
                    if arguments.collect is None:
                        raise
                    problem = f"raised {error!r}"
                if problem is not None and arguments.collect is not None:
                    failures += 1
                    with arguments.collect.open("a") as out:
                        out.write(json.dumps({"migrations": history.migrations,
                                              "summary": problem}) + "\n")
                    return
            assert comparison.equal, comparison.summary() + "\n" + consolidation

        if arguments.seed is not None:
            check = hypothesis_seed(arguments.seed)(check)
        try:
            check()
        finally:
            print(f"{count} histories run in {time.monotonic() - began:.0f}s, "
                  f"{failures} collected failures", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
