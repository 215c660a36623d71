"""The equality contract: no sequence is behind the column it owns. A statement kept verbatim
that inserts ids of its own into a serial column leaves the history's sequence behind (its next
value collides); the consolidation brings the sequence level with the column, and only then."""

from __future__ import annotations

from pathlib import Path

import psycopg

from cli_run import run_cli
from schemafold.verify.cluster import Cluster


def test_a_kept_insert_of_explicit_ids_is_followed_by_a_guarded_catch_up(
        tmp_path: Path, pg_cluster: Cluster, fresh_db: object) -> None:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_base.sql").write_text(
        "CREATE TABLE quota (id serial PRIMARY KEY, name text);\n"
        "CREATE TABLE usage (id serial PRIMARY KEY, name text);\n"
        "INSERT INTO usage (id, name) SELECT g, 'u' || g FROM generate_series(1, 3) g;\n"
        "INSERT INTO quota (name) SELECT 'q' || g FROM generate_series(1, 2) g;\n")
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    text = "".join(p.read_text() for p in sorted(out.glob("*.sql")))
    assert text.count("DO $catch_up$") == 1  # usage's ids were its own; quota's drawn
    name = fresh_db()  # type: ignore[operator]
    with psycopg.connect(pg_cluster.dsn(name), autocommit=True) as conn:
        conn.execute(text.replace("SET check_function_bodies = false;", ""))
        assert conn.execute("SELECT nextval('usage_id_seq')").fetchone() == (4,)
        assert conn.execute("SELECT nextval('quota_id_seq')").fetchone() == (3,)
