"""The postgres-migrations package's folders: numeric ids, its transaction marker anywhere in a
file, files marked ignored read as empty, detection, and the writer's marker."""

from __future__ import annotations

from pathlib import Path

from cli_run import run_cli
from schemafold.sources import detect_format, read_history


def _folder(root: Path) -> Path:
    root.mkdir()
    (root / "1_create-table.sql").write_text("CREATE TABLE t (id int);\n")
    (root / "00010-late.sql").write_text("ALTER TABLE t ADD COLUMN late text;\n")
    (root / "2-index.sql").write_text(
        "-- a comment first\n-- postgres-migrations disable-transaction\n"
        "CREATE INDEX CONCURRENTLY t_id ON t (id);\n")
    (root / "3_skipped.sql").write_text(
        "-- postgres-migrations ignore\nCREATE TABLE never (id int);\n")
    return root


def test_reads_in_numeric_order_with_markers(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m")
    assert detect_format(folder) == "postgres-migrations"
    history = read_history(folder)
    assert [m.path for m in history.migrations] == [
        "1_create-table.sql", "2-index.sql", "3_skipped.sql", "00010-late.sql"]
    assert [m.in_transaction for m in history.migrations] == [True, False, True, True]
    assert history.migrations[2].text == ""
    assert any("ignore" in w.message and w.file == "3_skipped.sql" for w in history.warnings)


def test_squash_writes_the_package_marker_and_verifies(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m")
    folder.joinpath("4_enum.sql").write_text(
        "-- postgres-migrations disable-transaction\nCREATE TYPE mood AS ENUM ('a');\n"
        "ALTER TYPE mood ADD VALUE 'b';\n")
    out = tmp_path / "out"
    done = run_cli("squash", str(folder), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    written = "".join(p.read_text() for p in sorted(out.glob("*.sql")))
    assert "never" not in written
    assert "postgres-migrations" in (out / "README.md").read_text()
