"""Start-up: ``schemafold --version`` and ``--help`` import none of the heavy modules (sqlglot,
the folder, the renderer, verify, attrs); ``import schemafold`` still gives the public API.
Not timed: what is imported is checked, not how long it takes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")
HEAVY = ("sqlglot", "networkx", "psycopg", "hypothesis", "attr", "schemafold.fold",
         "schemafold.render", "schemafold.verify", "schemafold.report", "schemafold.events",
         "schemafold.sources")


def imported_by(args: list[str]) -> set[str]:
    code = ("import sys, json\nfrom schemafold.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_version_and_help_import_nothing_heavy() -> None:
    for args in (["--version"], ["--help"], ["squash", "--help"], ["verify", "--help"]):
        modules = imported_by(args)
        heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
        assert heavy == [], (args, heavy)


def test_source_formats_written_out_match_the_readers() -> None:
    from schemafold.cli.common import SOURCE_FORMATS
    from schemafold.sources import SOURCE_FORMATS as READERS

    assert SOURCE_FORMATS == READERS


def test_public_api_still_there() -> None:
    import schemafold
    import schemafold.fold.folder  # the subpackage does not hide the function
    from schemafold import FoldResult, fold, fold_sql, introspect

    assert callable(fold) and schemafold.fold is fold
    assert fold_sql("CREATE TABLE t (a int);").schema.objects
    assert FoldResult.__name__ == "FoldResult" and callable(introspect)
    for name in schemafold.__all__:
        assert getattr(schemafold, name) is not None
