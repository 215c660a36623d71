"""Constants PostgreSQL's input functions refuse (issue 15: squash exited 0 on histories the
server rejects). Every value ``rejected_input`` refuses, the server refuses too, with the same
message; every value it passes is either accepted by the server or in a form some newer major
accepts. The server is asked, not assumed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemafold.cli import main
from schemafold.rows.input_syntax import rejected_input
from schemafold.verify.cluster import Cluster

_TYPES = ("smallint", "integer", "bigint", "numeric", "real", "double precision", "boolean",
          "uuid", "json", "jsonb", "date", "timestamp", "timestamptz")

# values chosen at the edges of each input function: whitespace, signs, prefixes, ranges,
# braces and hyphens, JSON's corners (a Python json.loads extension such as NaN included)
_VALUES = (
    "12", " 12 ", "+5", "-0", "abc", "1.0", "", "1e3", "٣", "32767", "32768", "-32769",
    "2147483647", "2147483648", "-2147483648", "9223372036854775808", "0x1F", "1_000",
    "t", "tr", "true", " TRUE ", "yes", "ye", "y", "on", "o", "of", "off", "n", "no", "1", "0",
    "2", "truex", "fals", "10", ".5", "1.", "NaN", "Infinity", "-inf", "1e", "e1", "--1",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
    "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
    " a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a1", "xyz",
    '{"a": 1}', '${"a": 1}', "[1,]", " 1 ", '"a\nb"', "'x'", "01", "-", "[1, 2", '{"a" 1}',
    "null", "-Infinity", '"\\u00e9"', '"\\x"', "1" * 5000, "0x1F.8p1", "1e-400", "1_0.5",
    "2024-13-01", "2023-02-29", " 2024-02-29 ", "0000-01-01", "2024-00-10", "Jan 5 2025",
    "2024-01-01 25:00", "today",
)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _server_error(conn: psycopg.Connection, type_name: str, value_sql: str) -> str | None:
    try:
        conn.execute(f"CREATE TEMP TABLE probe (v {type_name}); "
                     f"INSERT INTO probe VALUES ({value_sql}); DROP TABLE probe")
    except psycopg.Error as error:
        conn.rollback()
        return str(error).splitlines()[0]
    conn.commit()
    return None


@pytest.fixture(scope="module")
def probe(pg_cluster: Cluster) -> Callable[[str, str], str | None]:
    conn = psycopg.connect(pg_cluster.dsn("postgres"))
    return lambda type_name, value_sql: _server_error(conn, type_name, value_sql)


@pytest.mark.parametrize("type_name", _TYPES)
def test_what_is_refused_the_server_refuses_and_says_so(
        probe: Callable[[str, str], str | None], type_name: str) -> None:
    refused = 0
    for value in _VALUES:
        ours = rejected_input(type_name, _quoted(value))
        theirs = probe(type_name, _quoted(value))
        if ours is not None:
            refused += 1
            assert theirs is not None, f"{value!r} refused for {type_name}; the server takes it"
            assert ours.split(":")[0] in theirs, (ours, theirs)
        elif theirs is not None:
            # passed here but refused by this server: only forms a newer major reads (or a
            # limit this module does not check) may be
            newer = "_" in value or value.lower().startswith("0x")  # read since PostgreSQL 16
            assert newer and type_name in ("smallint", "integer", "bigint", "numeric") \
                or "out of range" in theirs or "Unicode" in theirs \
                or type_name in ("date", "timestamp", "timestamptz"), (  # only ISO dates read
                    type_name, value, theirs)
    assert refused > 0


@pytest.mark.parametrize("type_name", ["smallint", "integer", "bigint"])
def test_an_integer_literal_beyond_the_column_is_refused(
        probe: Callable[[str, str], str | None], type_name: str) -> None:
    for value in ("32768", "-2147483649", "9223372036854775808", "7", "-32768"):
        ours = rejected_input(type_name, value)
        theirs = probe(type_name, value)
        assert (ours is None) == (theirs is None), (type_name, value, ours, theirs)
        if ours is not None:
            assert theirs is not None and ours in theirs


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(_TYPES), st.text(alphabet="0123456789abcdefxtrueonyFAL-+._ {}[]\":,",
                                        max_size=12))
def test_drawn_values_are_never_refused_where_the_server_takes_them(
        pg_cluster: Cluster, type_name: str, value: str) -> None:
    ours = rejected_input(type_name, _quoted(value))
    if ours is None:
        return
    with psycopg.connect(pg_cluster.dsn("postgres")) as conn:
        assert _server_error(conn, type_name, _quoted(value)) is not None, (type_name, value)


def test_enum_labels_cast_and_unchecked_forms() -> None:
    assert rejected_input("mood", "'sad'", ("happy", "ok")) == \
        'invalid input value for enum mood: "sad"'
    assert rejected_input("mood", "'happy'", ("happy", "ok")) is None
    # a cast, an expression, a function call, an E'' string: not constants this module reads
    assert rejected_input("integer", "'abc'::text") is None
    assert rejected_input("integer", "'1' || 'x'") is None
    assert rejected_input("uuid", "gen_random_uuid()") is None
    assert rejected_input("boolean", "E'maybe'") is None
    assert rejected_input("date", "'not a date'") is None  # not checked
    assert rejected_input("integer", "NULL") is None


def _squash(tmp_path: Path, sql: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    source = tmp_path / "migrations"
    source.mkdir()
    (source / "001_a.sql").write_text(sql)
    code = main(["squash", str(source), "--out", str(tmp_path / "out")])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("statement, message", [
    ("INSERT INTO t (id, n) VALUES (1, 'abc');",
     'invalid input syntax for type integer: "abc" (column n of t)'),
    ("INSERT INTO t VALUES (1, 7, 'maybe');", 'invalid input syntax for type boolean: "maybe"'),
    ("INSERT INTO t (id, meta) VALUES (1, '${\"a\": 1}');", "invalid input syntax for type json"),
    ("INSERT INTO t (id, m) VALUES (1, 'sad');", 'invalid input value for enum mood: "sad"'),
    ("INSERT INTO t (id, s) VALUES (1, 40000);", "smallint out of range"),
    ("UPDATE t SET flag = 'o' WHERE false;", 'invalid input syntax for type boolean: "o"'),
    ("INSERT INTO t (id, d) VALUES (1, 'x1');", 'invalid input syntax for type integer: "x1"'),
    ("UPDATE t SET meta = meta || '[1,' WHERE false;", "invalid input syntax for type json"),
    ("UPDATE t SET meta = '{}' || meta, n = '1e3';", 'invalid input syntax for type integer'),
])
def test_squash_refuses_a_constant_the_server_refuses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fresh_db: Callable[..., str],
        pg_cluster: Cluster, statement: str, message: str) -> None:
    schema = ("CREATE TYPE mood AS ENUM ('happy', 'ok');\n"
              "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);\n"
              "CREATE TABLE t (id int PRIMARY KEY, n int, flag boolean, meta jsonb, m mood,"
              " s smallint, d positive);\n")
    with psycopg.connect(pg_cluster.dsn(fresh_db()), autocommit=True) as conn:
        conn.execute(schema)
        with pytest.raises(psycopg.Error):
            conn.execute(statement)
    code, err = _squash(tmp_path, schema + statement + "\n", capsys)
    assert code == 2
    assert err.startswith("schemafold: error: 001_a.sql:")
    assert message in err
    assert not (tmp_path / "out").exists()


def test_squash_takes_every_form_the_server_takes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = ("CREATE TYPE mood AS ENUM ('happy', 'ok');\n"
              "CREATE TABLE t (id serial PRIMARY KEY, n int, flag boolean, meta jsonb, m mood,"
              " u uuid, r real);\n"
              "INSERT INTO t (n, flag, meta, m, u, r) VALUES (' 12 ', ' Yes',"
              " ' [1, {\"a\": null}] ', 'ok', '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}',"
              " '-Infinity');\n"
              "UPDATE t SET flag = 'of', n = '+7', m = 'happy';\n")
    code, err = _squash(tmp_path, schema, capsys)
    assert code == 0, err
