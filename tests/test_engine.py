"""The replay engine and the comparison, on a real PostgreSQL (no mocks, nothing skipped)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from schemafold.errors import EnvironmentProblem, SchemafoldError
from schemafold.verify import (
    Cluster,
    Comparison,
    ReplayError,
    ReplayFile,
    compare_databases,
    connect,
    dump_roles,
    dump_schema,
    find_postgres_bin,
    locate_server,
    normalise_dump,
    pip_server_bin,
    replay,
)
from schemafold.verify.cluster import _server_major

SRC = Path(__file__).resolve().parents[1] / "src"

DbFactory = Callable[..., str]


def scalar(cluster: Cluster, dbname: str, query: str) -> object:
    with connect(cluster.dsn(dbname)) as conn:
        row = conn.execute(query).fetchone()
        assert row is not None
        return row[0]


def build(cluster: Cluster, dbname: str, *texts: str) -> None:
    replay(
        cluster.dsn(dbname),
        [ReplayFile(f"{i:03}.sql", textwrap.dedent(t)) for i, t in enumerate(texts, 1)],
    )


def compare_texts(
    cluster: Cluster, fresh_db: DbFactory, left: str, right: str, **kwargs: object
) -> Comparison:
    a, b = fresh_db("left"), fresh_db("right")
    build(cluster, a, left)
    build(cluster, b, right)
    return compare_databases((cluster, a), (cluster, b), **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Finding the server, the cluster


def test_find_postgres_bin_prefers_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, pg_cluster: Cluster
) -> None:
    monkeypatch.setenv("SCHEMAFOLD_PG_BIN", str(pg_cluster.bin_dir))
    assert find_postgres_bin() == pg_cluster.bin_dir.resolve()
    monkeypatch.setenv("SCHEMAFOLD_PG_BIN", "/nonexistent/bin")
    with pytest.raises(EnvironmentProblem, match="SCHEMAFOLD_PG_BIN"):
        find_postgres_bin()


def test_find_postgres_bin_resolves_symlinks_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pg_cluster: Cluster
) -> None:
    real = pg_cluster.bin_dir
    links = tmp_path / "links"
    links.mkdir()
    for exe in ("initdb", "pg_ctl", "postgres"):
        (links / exe).symlink_to(real / exe)
    monkeypatch.delenv("SCHEMAFOLD_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", f"{tmp_path / 'empty'}{os.pathsep}{links}")
    assert find_postgres_bin() == real.resolve()


def test_without_path_the_locator_finds_install_places_or_the_pip_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With nothing on PATH: the usual install places (a system PostgreSQL), else the pip
    server of the `server` extra (a machine with Python only) -- what verify and the test
    suite's clusters both start from."""
    monkeypatch.delenv("SCHEMAFOLD_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", "")
    found, origin = locate_server()
    assert (found / "initdb").exists()
    assert (found / "pg_ctl").exists()
    assert origin in ("local binaries", "pip-installed server")
    if origin == "pip-installed server":
        assert found == pip_server_bin()
        with pytest.raises(EnvironmentProblem, match="no PostgreSQL server found"):
            find_postgres_bin()


def test_cluster_is_deterministic_and_reachable(pg_cluster: Cluster) -> None:
    assert pg_cluster.running
    assert pg_cluster.host == "127.0.0.1"
    assert pg_cluster.port > 0
    version = scalar(pg_cluster, "postgres", "SHOW server_version_num")
    assert isinstance(version, str)
    assert int(version) // 10000 == pg_cluster.major
    assert scalar(pg_cluster, "postgres", "SHOW server_encoding") == "UTF8"
    # the database's collation (PostgreSQL 16 removed the lc_collate setting: read the catalog)
    assert scalar(pg_cluster, "postgres",
                  "SELECT datcollate FROM pg_database WHERE datname = 'postgres'") == "C"
    assert scalar(pg_cluster, "postgres", "SELECT current_user") == "postgres"
    assert pg_cluster.data_dir.is_dir()


def test_create_and_drop_database(pg_cluster: Cluster) -> None:
    dsn = pg_cluster.create_database("Mixed Case-db")
    with connect(dsn) as conn:
        row = conn.execute("SELECT current_database()").fetchone()
        assert row == ("Mixed Case-db",)
    pg_cluster.drop_database("Mixed Case-db")
    count = scalar(
        pg_cluster, "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'Mixed Case-db'"
    )
    assert count == 0


def test_stop_is_idempotent_and_removes_the_folder() -> None:
    cluster = Cluster.start()
    base, pid = cluster.base_dir, cluster.pid
    assert base.is_dir()
    assert pid is not None
    cluster.stop()
    cluster.stop()
    assert not base.exists()
    assert not _running(pid)
    assert not cluster.running


def test_cluster_stops_when_the_with_block_raises() -> None:
    with pytest.raises(RuntimeError), Cluster.start() as cluster:
        base = cluster.base_dir
        raise RuntimeError("boom")
    assert not base.exists()
    assert _postgres_processes(base) == []


# ---------------------------------------------------------------------------------------------
# Cleanup when the owning process is interrupted

_CHILD = """
import signal, sys, time
from schemafold.verify.cluster import Cluster

signal.signal(signal.SIGINT, signal.default_int_handler)  # even if our parent ignores SIGINT
mode = sys.argv[1]
cluster = Cluster.start()
print(cluster.base_dir, cluster.pid, flush=True)
if mode == "with":
    with cluster:
        time.sleep(120)
else:
    time.sleep(120)
"""


def _running(pid: int) -> bool:
    """A live process (a zombie waiting for its parent counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _postgres_processes(base: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(base).encode() in cmdline and _running(int(entry.name)):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize(
    ("mode", "signum"),
    [("with", signal.SIGINT), ("bare", signal.SIGINT), ("bare", signal.SIGTERM)],
)
def test_interrupted_process_leaves_no_server_behind(mode: str, signum: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        assert line, child.stderr.read() if child.stderr else ""
        base, pid = Path(line[0]), int(line[1])
        assert base.is_dir()
        assert _running(pid)
        assert _postgres_processes(base)
        child.send_signal(signum)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (_postgres_processes(base) or _running(pid)):
        time.sleep(0.1)
    assert not _running(pid)
    assert _postgres_processes(base) == []
    assert not base.exists()


# ---------------------------------------------------------------------------------------------
# Replay


def test_replay_runs_files_in_transactions(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    db = fresh_db()
    replay(
        pg_cluster.dsn(db),
        [
            ReplayFile("001_init.sql", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n"),
            ReplayFile("002_more.sql", "CREATE TABLE b (id int);\nINSERT INTO a VALUES (2);\n"),
        ],
    )
    assert scalar(pg_cluster, db, "SELECT count(*) FROM a") == 2
    assert scalar(pg_cluster, db, "SELECT to_regclass('public.b') IS NOT NULL") is True


def test_error_rolls_back_the_failing_file_and_names_file_and_line(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    db = fresh_db()
    second = (
        "-- adds b\n"
        "CREATE TABLE b (id int);\n"
        "\n"
        "INSERT INTO a VALUES (2);\n"
        "INSERT INTO missing VALUES (1);\n"
        "CREATE TABLE c (id int);\n"
    )
    with pytest.raises(ReplayError) as caught:
        replay(
            pg_cluster.dsn(db),
            [
                ReplayFile("001_init.sql", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);"),
                ReplayFile("002_more.sql", second),
            ],
        )
    error = caught.value
    assert error.file == "002_more.sql"
    assert error.line == 5
    assert error.text == "INSERT INTO missing VALUES (1);"
    assert error.sqlstate == "42P01"
    assert 'relation "missing" does not exist' in error.message
    assert str(error) == (
        '002_more.sql:5: relation "missing" does not exist: INSERT INTO missing VALUES (1);'
    )
    assert isinstance(error, SchemafoldError)
    # The first file is committed, the second rolled back whole.
    assert scalar(pg_cluster, db, "SELECT count(*) FROM a") == 1
    assert scalar(pg_cluster, db, "SELECT to_regclass('public.b') IS NULL") is True


def test_syntax_error_line_counts_from_the_whole_file(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    text = "CREATE TABLE a (id int);\n\n/* two\n   lines */\nCREATE TABEL b ();\n"
    with pytest.raises(ReplayError) as caught:
        replay(pg_cluster.dsn(fresh_db()), [ReplayFile("x.sql", text)])
    assert (caught.value.line, caught.value.text) == (5, "CREATE TABEL b ();")
    assert caught.value.sqlstate == "42601"


def test_error_without_position_is_placed_by_the_statements(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    db = fresh_db()
    statements = (
        "CREATE TABLE t (x int CHECK (x > 0));",
        "INSERT INTO t VALUES (1);",
        "INSERT INTO t\n  VALUES (-1);",
        "SELECT 1;",
    )
    text = "\n\n".join(statements) + "\n"
    with pytest.raises(ReplayError) as caught:
        replay(pg_cluster.dsn(db), [ReplayFile("v.sql", text, statements=statements)])
    assert caught.value.line == 5
    assert caught.value.text == "INSERT INTO t"
    assert caught.value.statement_index == 2
    assert caught.value.sqlstate == "23514"
    assert "t_x_check" in str(caught.value)
    assert caught.value.detail is not None
    assert "(-1)" in caught.value.detail
    # Without the statements the error still says which statement failed.
    with pytest.raises(ReplayError) as caught:
        replay(pg_cluster.dsn(db), [ReplayFile("v.sql", text)])
    assert caught.value.line is None
    assert "statement 3 of the file" in str(caught.value)


def test_error_inside_a_do_block_names_the_block(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    statements = ("SELECT 1;", "DO $$\nBEGIN\n  RAISE EXCEPTION 'nope';\nEND\n$$;")
    text = "\n".join(statements)
    with pytest.raises(ReplayError) as caught:
        replay(pg_cluster.dsn(fresh_db()), [ReplayFile("do.sql", text, statements=statements)])
    assert caught.value.line == 2
    assert caught.value.message == "nope"
    assert caught.value.context is not None


def test_no_transaction_file_runs_create_index_concurrently(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    db = fresh_db()
    statements = (
        "CREATE TABLE t (x int);",
        "CREATE INDEX CONCURRENTLY t_x ON t (x);",
        "CREATE INDEX CONCURRENTLY t_x2 ON t (x, x);",
    )
    replay(
        pg_cluster.dsn(db),
        [
            ReplayFile("1.sql", "\n".join(statements), in_transaction=False, statements=statements),
            ReplayFile("2.sql", "CREATE UNIQUE INDEX CONCURRENTLY t_u ON t (x);", False),
        ],
    )
    valid = "SELECT count(*) FROM pg_index WHERE indisvalid AND indrelid = 'public.t'::regclass"
    assert scalar(pg_cluster, db, valid) == 3


def test_concurrently_in_a_transaction_fails(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    db = fresh_db()
    build(pg_cluster, db, "CREATE TABLE t (x int);")
    with pytest.raises(ReplayError, match="cannot run inside a transaction block"):
        replay(pg_cluster.dsn(db), [ReplayFile("c.sql", "CREATE INDEX CONCURRENTLY ON t (x);")])


@pytest.mark.parametrize(
    ("index", "line", "text"),
    [
        # A syntax error has a position inside the statement.
        ("CREATE INDEX CONCURRENTLY ON t (\n  x) WHER x > 0;", 5, "x) WHER x > 0;"),
        # A missing column has none: the statement's first line is named.
        ("CREATE INDEX CONCURRENTLY ON t (\n  nope);", 4, "CREATE INDEX CONCURRENTLY ON t ("),
    ],
)
def test_no_transaction_statement_error_line(
    pg_cluster: Cluster, fresh_db: DbFactory, index: str, line: int, text: str
) -> None:
    statements = ("CREATE TABLE t (x int);", index)
    sql = "-- no-transaction\n" + "\n\n".join(statements)
    with pytest.raises(ReplayError) as caught:
        replay(
            pg_cluster.dsn(fresh_db()),
            [ReplayFile("n.sql", sql, in_transaction=False, statements=statements)],
        )
    assert (caught.value.line, caught.value.text) == (line, text)
    assert caught.value.statement_index == 1


def test_no_transaction_file_leaving_a_transaction_open_is_an_error(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    with pytest.raises(ReplayError, match="transaction open"):
        replay(
            pg_cluster.dsn(fresh_db()),
            [ReplayFile("o.sql", "BEGIN;\nCREATE TABLE t (x int);", in_transaction=False)],
        )


def test_each_file_gets_a_fresh_session_with_the_shared_setup(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    db = fresh_db()
    build(pg_cluster, db, "CREATE SCHEMA app; CREATE SCHEMA other;")
    replay(
        pg_cluster.dsn(db),
        [
            ReplayFile("1.sql", "CREATE TABLE a (id int);\nSET search_path TO other;"),
            ReplayFile("2.sql", "CREATE TABLE b (id int);"),
        ],
        session_setup="SET search_path TO app, public",
    )
    assert scalar(pg_cluster, db, "SELECT to_regclass('app.a') IS NOT NULL") is True
    # The file's own SET did not leak into the next file's session.
    assert scalar(pg_cluster, db, "SELECT to_regclass('app.b') IS NOT NULL") is True


def test_replay_as_a_role_owns_what_it_creates(
    pg_cluster: Cluster, fresh_db: DbFactory, fresh_role: Callable[..., str]
) -> None:
    db, role = fresh_db(), fresh_role()
    build(pg_cluster, db, f'GRANT CREATE ON SCHEMA public TO "{role}";')
    replay(pg_cluster.dsn(db), [ReplayFile("r.sql", "CREATE TABLE mine (id int);")], role=role)
    owner = scalar(pg_cluster, db, "SELECT tableowner FROM pg_tables WHERE tablename = 'mine'")
    assert owner == role


def test_deferred_constraint_fails_at_commit(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    db = fresh_db()
    text = """
    CREATE TABLE p (id int PRIMARY KEY);
    CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED);
    INSERT INTO c VALUES (1);
    """
    with pytest.raises(ReplayError, match="COMMIT") as caught:
        build(pg_cluster, db, text)
    assert caught.value.sqlstate == "23503"
    assert scalar(pg_cluster, db, "SELECT to_regclass('public.c') IS NULL") is True


# ---------------------------------------------------------------------------------------------
# Dumps and normalisation


def test_normalise_dump_removes_only_what_the_contract_names() -> None:
    dump = textwrap.dedent(
        """\
        --
        -- PostgreSQL database dump
        --

        \\restrict abc

        SET statement_timeout = 0;
        SELECT pg_catalog.set_config('search_path', '', false);



        CREATE TABLE public.t (
            id integer
        );
        COMMENT ON TABLE public.t IS 'kept';
        GRANT SELECT ON TABLE public.t TO someone;
        -- trailing comment

        \\unrestrict abc
        """
    )
    assert normalise_dump(dump) == (
        "CREATE TABLE public.t (\n"
        "    id integer\n"
        ");\n"
        "COMMENT ON TABLE public.t IS 'kept';\n"
        "GRANT SELECT ON TABLE public.t TO someone;\n"
    )


def test_dumps_keep_owners_and_privileges(
    pg_cluster: Cluster, fresh_db: DbFactory, fresh_role: Callable[..., str]
) -> None:
    db, role = fresh_db(), fresh_role()
    build(pg_cluster, db, f'CREATE TABLE t (id int); GRANT SELECT ON t TO "{role}";')
    dump = dump_schema(pg_cluster, db)
    assert "ALTER TABLE public.t OWNER TO postgres;" in dump
    assert f"GRANT SELECT ON TABLE public.t TO {role};" in dump
    roles = dump_roles(pg_cluster)
    assert f"CREATE ROLE {role};" in roles


# ---------------------------------------------------------------------------------------------
# Comparison

SCHEMA_A = """
CREATE TABLE b (id int PRIMARY KEY, note text);
CREATE TABLE a (
    id serial PRIMARY KEY,
    b_id int REFERENCES b (id),
    x int CONSTRAINT positive CHECK (x > 0)
);
CREATE TABLE c (id int CONSTRAINT positive CHECK (id > 0));
CREATE INDEX a_x ON a (x);
COMMENT ON TABLE a IS 'the a table';
CREATE VIEW v AS SELECT * FROM a;
INSERT INTO b VALUES (1, 'one'), (2, 'two'), (2, 'two') ON CONFLICT DO NOTHING;
INSERT INTO a (b_id, x) VALUES (1, 5), (2, 6);
"""

SCHEMA_A_REORDERED = """
CREATE TABLE c (id int CONSTRAINT positive CHECK (id > 0));
CREATE TABLE b (id int PRIMARY KEY, note text);
CREATE TABLE a (id serial PRIMARY KEY, b_id int, x int);
ALTER TABLE a ADD CONSTRAINT positive CHECK (x > 0);
INSERT INTO b VALUES (2, 'two'), (1, 'one');
INSERT INTO a (b_id, x) VALUES (1, 5), (2, 6);
CREATE VIEW v AS SELECT * FROM a;
COMMENT ON TABLE a IS 'the a table';
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id);
CREATE INDEX a_x ON a (x);
"""


def test_equivalent_histories_in_different_orders_are_equal(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    result = compare_texts(pg_cluster, fresh_db, SCHEMA_A, SCHEMA_A_REORDERED)
    assert result.equal, result.summary()
    assert result.schema_diff == ""
    assert result.row_differences == ()
    assert result.sequence_differences == ()
    assert result.summary().startswith("EQUAL")
    assert any("roles" in item for item in result.not_compared)


def test_missing_comment_differs(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    right = SCHEMA_A.replace("COMMENT ON TABLE a IS 'the a table';", "")
    result = compare_texts(pg_cluster, fresh_db, SCHEMA_A, right)
    assert not result.equal
    assert "-COMMENT ON TABLE public.a IS 'the a table';" in result.schema_diff
    assert "NOT EQUAL" in result.summary()


def test_missing_grant_differs(
    pg_cluster: Cluster, fresh_db: DbFactory, fresh_role: Callable[..., str]
) -> None:
    role = fresh_role("reader")
    left = SCHEMA_A + f'GRANT SELECT ON a TO "{role}";'
    result = compare_texts(pg_cluster, fresh_db, left, SCHEMA_A)
    assert not result.equal
    assert f"-GRANT SELECT ON TABLE public.a TO {role};" in result.schema_diff


def test_different_check_literal_differs(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    right = SCHEMA_A.replace("CHECK (x > 0)", "CHECK (x > 1)")
    result = compare_texts(pg_cluster, fresh_db, SCHEMA_A, right)
    assert not result.equal
    assert "-    CONSTRAINT positive CHECK ((x > 0))" in result.schema_diff
    assert "+    CONSTRAINT positive CHECK ((x > 1))" in result.schema_diff


def test_different_column_order_differs(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    left = "CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'x');"
    right = "CREATE TABLE t (b text, a int); INSERT INTO t VALUES ('x', 1);"
    result = compare_texts(pg_cluster, fresh_db, left, right)
    assert not result.equal
    assert "-    a integer," in result.schema_diff
    assert "+    b text," in result.schema_diff
    assert result.row_differences == ()  # rows are compared by column name


def test_extra_row_differs(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    right = SCHEMA_A + "INSERT INTO b VALUES (3, NULL);"
    result = compare_texts(pg_cluster, fresh_db, SCHEMA_A, right)
    assert not result.equal
    assert result.schema_diff == ""
    (difference,) = result.row_differences
    assert (difference.table, difference.only_left, difference.only_right) == ("public.b", 0, 1)
    assert difference.sample_right == ("(id=3, note=NULL)",)
    assert "public.b: 0 row(s) only on the left, 1 only on the right" in result.summary()


def test_rows_compare_as_multisets_with_nulls(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    left = "CREATE TABLE t (v text); INSERT INTO t VALUES ('a'), ('a'), (NULL);"
    right = "CREATE TABLE t (v text); INSERT INTO t VALUES ('a'), (''), (NULL);"
    result = compare_texts(pg_cluster, fresh_db, left, right)
    (difference,) = result.row_differences
    assert (difference.only_left, difference.only_right) == (1, 1)
    assert difference.sample_left == ("(v=a)",)
    assert difference.sample_right == ("(v=)",)


def test_volatile_default_columns_are_masked_and_named(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    text = """
    CREATE TABLE ev (
        id bigint GENERATED ALWAYS AS IDENTITY,
        at timestamptz DEFAULT now(),
        at2 timestamp DEFAULT CURRENT_TIMESTAMP,
        token uuid DEFAULT gen_random_uuid(),
        r float8 DEFAULT random() * 10,
        kind text DEFAULT 'plain',
        day date DEFAULT ('now'::text)::date
    );
    INSERT INTO ev (kind) VALUES ('x'), ('y');
    """
    a, b = fresh_db(), fresh_db()
    build(pg_cluster, a, text)
    time.sleep(0.01)
    build(pg_cluster, b, text)
    result = compare_databases((pg_cluster, a), (pg_cluster, b))
    assert result.equal, result.summary()
    assert result.masked_columns == (
        "public.ev.at",
        "public.ev.at2",
        "public.ev.day",
        "public.ev.r",
        "public.ev.token",
    )
    assert "public.ev.token" in result.summary()
    # Identity values are compared, not masked: a different id is a difference.
    build(pg_cluster, b, "DELETE FROM ev WHERE kind = 'x'; INSERT INTO ev (kind) VALUES ('x');")
    result = compare_databases((pg_cluster, a), (pg_cluster, b))
    assert not result.equal
    assert [d.table for d in result.row_differences] == ["public.ev"]


def test_sequence_behind_its_column_is_flagged(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    text = "CREATE TABLE s (id serial PRIMARY KEY, v text); INSERT INTO s (v) VALUES ('a'), ('b');"
    right = text + "INSERT INTO s (id, v) VALUES (10, 'c'); DELETE FROM s WHERE id = 10;"
    right += "INSERT INTO s VALUES (3, 'c');"
    left = text + "INSERT INTO s (v) VALUES ('c');"
    result = compare_texts(pg_cluster, fresh_db, left, right)
    assert not result.equal
    assert result.row_differences == ()
    (problem,) = result.sequence_differences
    assert problem.startswith("right: sequence public.s_id_seq is behind")
    assert "public.s.id" in problem
    assert "next value 3" in problem


def test_other_sequence_positions_are_only_reported(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    text = "CREATE TABLE s (id serial PRIMARY KEY);"
    result = compare_texts(pg_cluster, fresh_db, text, text + "SELECT setval('s_id_seq', 50);")
    assert result.equal, result.summary()
    assert result.sequence_notes == (
        "sequence public.s_id_seq would next give 1 on the left and 51 on the right",
    )


def test_explicit_sequence_positions_must_match(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    text = "CREATE TABLE s (id serial PRIMARY KEY);"
    left = text + "ALTER SEQUENCE s_id_seq RESTART WITH 100;"
    right = text + "SELECT setval('s_id_seq', 99);"
    result = compare_texts(pg_cluster, fresh_db, left, right, explicit_positions={"s_id_seq": 100})
    assert result.equal, result.summary()
    result = compare_texts(
        pg_cluster, fresh_db, left, text, explicit_positions={"public.s_id_seq": None}
    )
    assert not result.equal
    assert result.sequence_differences == (
        "sequence public.s_id_seq, set explicitly, would next give 100 on the left "
        "and 1 on the right",
    )


def test_database_level_settings_are_compared(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    a, b = fresh_db(), fresh_db()
    build(pg_cluster, a, f"ALTER DATABASE \"{a}\" SET work_mem = '8MB';")
    result = compare_databases((pg_cluster, a), (pg_cluster, b))
    assert not result.equal
    assert "-setting work_mem=8MB" in result.database_diff


def test_roles_compared_across_clusters(pg_cluster: Cluster) -> None:
    with Cluster.start() as other:
        for cluster in (pg_cluster, other):
            cluster.create_database("roles_side")
        try:
            build(other, "roles_side", "CREATE ROLE schemafold_only_here NOLOGIN;")
            result = compare_databases((pg_cluster, "roles_side"), (other, "roles_side"))
            assert not result.equal
            assert "+CREATE ROLE schemafold_only_here;" in result.roles_diff
            assert not any("roles" in item for item in result.not_compared)
        finally:
            pg_cluster.drop_database("roles_side")


def test_roles_compared_in_one_cluster_with_a_baseline(
    pg_cluster: Cluster, fresh_db: DbFactory
) -> None:
    a, b = fresh_db(), fresh_db()
    name = f"rb_{a[-8:]}"
    before_left = dump_roles(pg_cluster)
    build(pg_cluster, a, f"CREATE ROLE {name} NOLOGIN; CREATE TABLE t (id int);")
    before_right = dump_roles(pg_cluster)
    build(pg_cluster, b, f"ALTER ROLE {name} LOGIN; CREATE TABLE t (id int);")
    try:
        result = compare_databases(
            (pg_cluster, a), (pg_cluster, b), roles_baseline=(before_left, before_right)
        )
        assert not result.equal
        assert f"-+CREATE ROLE {name};" in result.roles_diff
        assert not any("roles" in item for item in result.not_compared)
    finally:
        build(pg_cluster, "postgres", f"DROP ROLE {name};")


def test_comparison_serialises(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    result = compare_texts(pg_cluster, fresh_db, "CREATE TABLE t (x int);", "")
    data = result.to_dict()
    assert data["equal"] is False
    assert "CREATE TABLE public.t" in data["schema_diff"]


def test_dump_objects_keys_each_entry_by_type_and_name() -> None:
    from schemafold.verify.compare import dump_objects

    dump = textwrap.dedent(
        """\
        --
        -- Name: t; Type: TABLE; Schema: public; Owner: postgres
        --

        CREATE TABLE public.t (
            id integer
        );


        ALTER TABLE public.t OWNER TO postgres;

        --
        -- Name: TABLE t; Type: COMMENT; Schema: public; Owner: postgres
        --

        COMMENT ON TABLE public.t IS 'x';

        --
        -- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
        --

        SET default_tablespace = '';
        REVOKE USAGE ON SCHEMA public FROM PUBLIC;
        """
    )
    assert dump_objects(dump) == {
        ("table", "public.t"): "CREATE TABLE public.t (\n    id integer\n);\n\n"
        "ALTER TABLE public.t OWNER TO postgres;",
        ("comment", "public.TABLE t"): "COMMENT ON TABLE public.t IS 'x';",
        ("acl", "SCHEMA public"): "REVOKE USAGE ON SCHEMA public FROM PUBLIC;",
    }


def test_objects_and_metrics_say_what_differs(pg_cluster: Cluster, fresh_db: DbFactory) -> None:
    right = SCHEMA_A.replace("COMMENT ON TABLE a IS 'the a table';", "").replace(
        "CREATE INDEX a_x ON a (x);", "CREATE INDEX a_x ON a (x DESC);")
    result = compare_texts(pg_cluster, fresh_db, SCHEMA_A, right)
    assert [(o.status, o.kind, o.name) for o in result.objects] == [
        ("missing", "comment", "public.TABLE a"),
        ("changed", "index", "public.a_x"),
    ]
    changed = result.objects[1]
    assert changed.left == "CREATE INDEX a_x ON public.a USING btree (x);"
    assert changed.right == "CREATE INDEX a_x ON public.a USING btree (x DESC);"
    metrics = {m.name: (m.left, m.right) for m in result.metrics}
    assert metrics["comments"] == (1, 0)
    assert metrics["tables"] == (3, 3) and metrics["rows"] == (4, 4)
    assert metrics["indexes"] == (3, 3) and metrics["views"] == (1, 1)
    lines = {line.split()[0]: line for line in result.metrics_table().splitlines()[1:]}
    assert lines["comments"].split()[1:] == ["1", "0", "*"]
    assert lines["tables"].split()[1:] == ["3", "3"]


def test_extension_path_reaches_the_clusters_of_postgresql_18(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``SCHEMAFOLD_PG_EXTENSION_PATH`` is added to ``extension_control_path`` (new in
    PostgreSQL 18: each element is a share folder whose ``extension/`` subfolder is searched),
    after the server's own extensions. Run on the pip-installed server, 18 here."""
    folder = pip_server_bin()
    assert folder is not None, "the dev extra installs a pip PostgreSQL (the server extra)"
    assert _server_major(folder) >= 18
    with tempfile.TemporaryDirectory(prefix="sf-ext-") as tmp:  # not pytest's: 0700
        share = Path(tmp) / "share"
        extensions = share / "extension"
        extensions.mkdir(parents=True)
        (extensions / "sf_probe.control").write_text(
            "comment = 'a probe'\ndefault_version = '1.0'\nrelocatable = true\n")
        (extensions / "sf_probe--1.0.sql").write_text(
            "CREATE FUNCTION sf_probe() RETURNS int LANGUAGE sql AS 'SELECT 42';\n")
        for path in (Path(tmp), share, extensions, *extensions.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)  # read by the server's OS user
        monkeypatch.setenv("SCHEMAFOLD_PG_EXTENSION_PATH", str(share))
        with Cluster.start(folder) as cluster, connect(cluster.dsn()) as conn:
            conn.execute("CREATE EXTENSION sf_probe")
            assert conn.execute("SELECT sf_probe()").fetchone() == (42,)
            assert conn.execute("SHOW extension_control_path").fetchone() == (
                f"$system:{share}",)
