"""A user's install: the built wheel with only the ``postgres`` extra, in a fresh virtual
environment, squashes and verifies a fixture on the real PostgreSQL; a missing optional package
is one line naming the extra that installs it (exit 3), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from schemafold.verify.cluster import locate_server

REPO = Path(__file__).resolve().parent.parent
HISTORIES = Path(__file__).parent / "histories"


def _blocked(modules: tuple[str, ...], code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a subprocess where importing any of ``modules`` fails, as it does where the
    package is not installed."""
    guard = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-c", guard + textwrap.dedent(code)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def test_verify_without_psycopg_is_one_line_naming_the_postgres_extra(tmp_path: Path) -> None:
    source = HISTORIES / "renames"
    run = _blocked(("psycopg", "psycopg_binary"), f"""
        from schemafold.cli import main
        raise SystemExit(main(["verify", {str(source)!r}, {str(source)!r}]))
    """, tmp_path)
    assert run.returncode == 3, run.stderr
    assert run.stderr.splitlines() == [
        "schemafold: error: the PostgreSQL driver psycopg is not installed (psycopg): "
        "pip install 'schemafold[postgres]'"], run.stderr
    assert "Traceback" not in run.stderr


def test_squash_verify_without_psycopg_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = _blocked(("psycopg", "psycopg_binary"), f"""
        from schemafold.cli import main
        raise SystemExit(main(["squash", {str(HISTORIES / "renames")!r}, "--out", {str(out)!r},
                               "--verify"]))
    """, tmp_path)
    assert run.returncode == 3, run.stderr
    assert "pip install 'schemafold[postgres]'" in run.stderr
    assert len(run.stderr.splitlines()) == 1 and not out.exists()


def test_the_strategies_without_hypothesis_name_the_testing_extra(tmp_path: Path) -> None:
    run = _blocked(("hypothesis",), """
        import schemafold.testing
        from schemafold.testing import mutations  # needs no Hypothesis
        try:
            schemafold.testing.histories
        except ImportError as error:
            print(error)
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (
        "Hypothesis is not installed (hypothesis): pip install 'schemafold[testing]'")


def test_the_testing_extra_is_hypothesis_alone() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert [d.split(">")[0] for d in extras["testing"]] == ["hypothesis"]
    assert [d.split(">")[0] for d in extras["postgres"]] == ["psycopg[binary]"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder),
                    str(REPO)], check=True, capture_output=True, text=True, timeout=600)
    (built,) = folder.glob("schemafold-*.whl")
    return built


def test_the_wheel_with_the_postgres_extra_squashes_and_verifies(
    wheel: Path, tmp_path: Path
) -> None:
    """What the README's first section says a user runs, in a virtual environment with nothing
    else: ``pip install "schemafold-<version>.whl[postgres]"``, then ``squash --verify`` on the
    machine's PostgreSQL (the one the suite runs on, named by SCHEMAFOLD_PG_BIN)."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # nothing of this process's environment (PYTHONPATH=src, an activated venv) leaks in
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PG"))}
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", f"{wheel}[postgres]"],
                             capture_output=True, text=True, timeout=900, check=False,
                             env=clean)
    assert install.returncode == 0, install.stdout + install.stderr
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], env=clean,
                            capture_output=True, text=True, check=True).stdout.lower()
    assert "schemafold==" in listed
    assert "psycopg" in listed and "hypothesis" not in listed and "pytest" not in listed
    server, _ = locate_server()
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "SCHEMAFOLD_PG_BIN": str(server),
           "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    out = tmp_path / "squashed"
    run = subprocess.run([str(env_dir / "bin" / "schemafold"), "squash",
                          str(HISTORIES / "renames"), "--out", str(out), "--verify"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "schemafold verify: EQUAL" in run.stdout
    assert (out / "README.md").exists()
    where = subprocess.run([str(python), "-c", "import schemafold; print(schemafold.__file__)"],
                           env=clean, capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where  # the wheel's copy ran, not the checkout's
