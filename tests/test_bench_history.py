"""The benchmark's synthetic history (bench/synthetic.py) is deterministic and valid: the same
files byte for byte from the same seed, folded without an error, and its consolidation equal to
it on PostgreSQL, so the benchmark measures real, correct work."""

from __future__ import annotations

import sys
from pathlib import Path

from replay_helpers import history_files, replay_both, texts
from schemafold import fold
from schemafold.render.postgres import render_schema
from schemafold.verify.cluster import Cluster

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synthetic import write_history  # noqa: E402


def test_same_seed_same_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert write_history(first, 40) == write_history(second, 40)
    assert [p.read_bytes() for p in sorted(first.iterdir())] == [
        p.read_bytes() for p in sorted(second.iterdir())]
    write_history(tmp_path / "c", 40, seed=8)
    assert sorted((tmp_path / "c").iterdir())[-1].read_bytes() != sorted(
        first.iterdir())[-1].read_bytes()


def test_its_consolidation_is_equal_on_postgresql(
    tmp_path: Path, clusters: tuple[Cluster, Cluster]
) -> None:
    source = tmp_path / "history"
    write_history(source, 60)
    result = fold(source)
    kinds = {type(e).__name__ for e in result.events}
    assert {"CreateTable", "AddColumn", "RenameColumn", "DropColumn", "Drop",
            "CreateFunction", "CreateTrigger", "Insert", "Update", "Grant"} <= kinds
    comparison = replay_both(clusters, history_files(source),
                             texts([("0001_schema.sql", render_schema(result.schema))]))
    assert comparison.equal, comparison.text()
