"""Fuzzing the command line with mutated fixture histories (issue 15, "Reliability found by
fuzzing real migrations"): whatever the damage, every command ends in its output or in ONE error
line naming ``file:line``, never in a traceback.

CI runs a fixed, derandomized sample (:func:`test_mutated_histories_sample`) and the mutants that
once failed (``@example``); the run at scale is a property run, outside CI::

    PYTHONPATH=src python -m pytest -q -m property --examples 3000 tests/test_fuzz.py

The mutations and the in-process runner are in ``fuzz_histories.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

from fuzz_histories import SOURCES, Mutant, Mutation, check, mutants
from schemafold.parse.splitter import split_sql
from schemafold.parse.tokens import blank_comments, tokenize
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import connect


def _source(name: str) -> object:
    return next(s for s in SOURCES if s.name == name)


def _mutant(source: str, command: str, *mutations: Mutation) -> Mutant:
    return Mutant(_source(source), tuple(mutations), command)  # type: ignore[arg-type]


def _assert_well_behaved(mutant: Mutant) -> None:
    with tempfile.TemporaryDirectory() as work:
        outcome, problems = check(mutant, Path(work))
    assert not problems, f"{mutant!r}:\n" + "\n".join(problems)


# The mutants the first runs found a traceback on, kept as examples.
_NESTED_COMMENT_CLOSED_BY_STARS = _mutant(
    "data_histories/kept_table_drops_its_type", "at", Mutation("nested_comment", 316, 2, 2))
_NON_UTF8_FILE_NAME = _mutant(
    "data_histories/backfill_not_null", "events", Mutation("bad_name", 397, 4416, 193))
_NON_UTF8_FILE_NAME_REPORT = _mutant(
    "data_histories/copy_from_stdin", "report", Mutation("bad_name", 110, 131071, 0))
_STRAY_DOLLAR = _mutant(
    "histories/renames", "squash", Mutation("stray_dollar", 0, 12, 1))
_TOKEN_SPANNING_LINES = _mutant(  # an error quoting a token of many lines, printed on one
    "data_histories/kept_table_implicit_names", "squash",
    Mutation("insert", 435, 253, 435), Mutation("insert", 435, 253, 435))
_DO_BODY_THAT_DOES_NOT_TOKENIZE = _mutant(  # rendering read the kept DO block's body as SQL
    "data_histories/barrier_owned_sequence", "report", Mutation("bad_name", 511, 298954, 809),
    Mutation("bad_name", 511, 298954, 809), Mutation("insert", 120, 44413, 690))
_VIEW_READING_ITSELF = _mutant(  # its ';' deleted, the view's query runs on into a GRANT on it
    "histories/column_order_combo", "blame", Mutation("delete_token", 0, 604744, 273))
_COPY_ROWS_THAT_DO_NOT_TOKENIZE = _mutant(  # a kept COPY's rows (U&' in one) read as SQL
    "data_histories/copy_from_stdin", "squash", Mutation("insert_at_token", 638, 733909, 135))
_NUL_BYTE = _mutant(
    "histories/enums", "squash", Mutation("insert", 0, 40, 0))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(mutant=mutants())
@example(mutant=_NESTED_COMMENT_CLOSED_BY_STARS)
@example(mutant=_NON_UTF8_FILE_NAME)
@example(mutant=_NON_UTF8_FILE_NAME_REPORT)
@example(mutant=_STRAY_DOLLAR)
@example(mutant=_NUL_BYTE)
@example(mutant=_COPY_ROWS_THAT_DO_NOT_TOKENIZE)
@example(mutant=_VIEW_READING_ITSELF)
@example(mutant=_TOKEN_SPANNING_LINES)
@example(mutant=_DO_BODY_THAT_DOES_NOT_TOKENIZE)
def test_mutated_histories_sample(mutant: Mutant) -> None:
    """A fixed sample (the same on every run): no traceback, every error one line with
    ``file:line``."""
    _assert_well_behaved(mutant)


@pytest.mark.property
def test_mutated_histories_property(examples: int) -> None:
    """The run at scale, outside CI: ``--examples N`` random mutants."""

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(mutant=mutants())
    def run(mutant: Mutant) -> None:
        _assert_well_behaved(mutant)

    run()


# -- the lexical rules the fuzzing found sqlglot wrong on ---------------------------------------


NESTED = [
    "/* a /* b */ */",
    "/* a /* b */*/",
    "/*/**/*/",
    "/* x /* y /* z */ */ */",
    "/* it's $$ \"q */",
]


@pytest.mark.parametrize("comment", NESTED)
def test_nested_block_comments_tokenize_as_postgresql_reads_them(comment: str) -> None:
    sql = f"CREATE TABLE t (a int {comment}, b {comment} text)"
    assert [t.text for t in tokenize(sql)] == ["CREATE", "TABLE", "t", "(", "a", "int", ",",
                                               "b", "text", ")"]
    split = split_sql(f"{sql};\n{comment} SELECT 1;\n")
    assert [s.text for s in split.statements] == [sql, "SELECT 1"]


def test_comment_marks_inside_quotes_are_not_comments() -> None:
    text = "SELECT '/* a', \"b /*\", $$ /* $$, E'\\' /* c */ ', $t$ -- $t$ /* d */ -- e"
    blanked = blank_comments(text)
    assert len(blanked) == len(text)
    assert blanked == text[: text.index("/* d */")].ljust(len(text))


def test_postgresql_accepts_the_nested_comments(pg_cluster: Cluster,
                                                fresh_db: object) -> None:
    """What the tests above assume, asked of PostgreSQL: each is one comment."""
    db = fresh_db()  # type: ignore[operator]
    with connect(pg_cluster.dsn(db)) as conn:
        for number, comment in enumerate(NESTED):
            conn.execute(f"CREATE TABLE t{number} (a int {comment}, b {comment} text)")
        count = conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid::regclass::text "
                             "LIKE 't%' AND attnum > 0").fetchone()
    assert count == (2 * len(NESTED),)


def test_a_stray_dollar_is_one_error_line_with_its_place(tmp_path: Path) -> None:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_init.sql").write_text("CREATE TABLE t (\n  id int $,\n  b text\n);\n")
    from fuzz_histories import run_in_process

    outcome = run_in_process(["squash", str(src), "--out", str(tmp_path / "out")])
    assert outcome.code == 2 and outcome.crash is None
    assert outcome.stderr.strip().splitlines() == [
        "schemafold: error: 0001_init.sql:2: syntax error at or near \"$\": id int $,"]


def test_a_nul_byte_is_refused_with_its_line(tmp_path: Path) -> None:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_init.sql").write_bytes(b"CREATE TABLE t (id int);\n-- \x00\n")
    from fuzz_histories import run_in_process

    outcome = run_in_process(["squash", str(src), "--out", str(tmp_path / "out")])
    assert outcome.code == 2, outcome.stderr
    assert outcome.stderr.startswith("schemafold: error: 0001_init.sql:2: a NUL byte")


def test_a_file_name_that_is_not_utf8_under_a_strict_utf8_locale(tmp_path: Path) -> None:
    """Printed with the bytes escaped (``\\xff``), in a process of its own whose locale makes
    Python's output strict UTF-8."""
    src = tmp_path / "migrations"
    src.mkdir()
    (src / os.fsdecode(b"0001_init\xff.sql")).write_text("CREATE TABLE t (id int);\nDROP x;\n")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    for command in (["events"], ["squash", "--out", str(tmp_path / "out")]):
        done = subprocess.run([sys.executable, "-m", "schemafold.cli", command[0], str(src),
                               *command[1:]], capture_output=True, env=env, check=False)
        assert b"Traceback" not in done.stderr, done.stderr.decode()
        assert b"0001_init\\xff.sql:2" in done.stderr, done.stderr.decode()


# -- squash exits 0 only on what PostgreSQL applies ---------------------------------------------


def _replays(cluster: Cluster, mutant: Mutant, src: Path) -> str | None:
    """None when the mutated history replays on ``cluster``; else PostgreSQL's error."""
    import uuid

    from replay_helpers import history_files
    from schemafold.verify.replay import ReplayError, ReplayFile, replay

    flags = list(mutant.source.flags)
    setup = [Path(flags[i + 1]) for i, flag in enumerate(flags) if flag == "--setup"]
    search = [flags[i + 1] for i, flag in enumerate(flags) if flag == "--search-path"]
    db = f"fuzz_{uuid.uuid4().hex[:10]}"
    try:
        replay(cluster.create_database(db),
               [*(ReplayFile(p.name, p.read_text()) for p in setup), *history_files(src)],
               session_setup=f"SET search_path TO {search[0]}" if search else None)
        return None
    except ReplayError as error:
        return str(error)
    finally:
        cluster.drop_database(db)
        with connect(cluster.dsn()) as conn:  # roles are the cluster's: drop what it made
            for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' "
                                        "AND rolname <> current_user").fetchall():
                conn.execute(f'DROP ROLE "{role}"')


@pytest.mark.property
def test_squashed_mutants_replay(examples: int) -> None:
    """Outside CI: of ``--examples N`` mutants, each that ``squash`` exits 0 on must replay on
    PostgreSQL. Known gaps (docs/squash.md): the SQL of view queries and function bodies is
    checked only for what holds of any SQL text, and the names they use only where their
    resolution is certain, so this run still finds some (``tests/fuzz_replay.py`` counts them
    on a seeded sample). A statement kept
    verbatim with a warning is counted apart (the summary counts it; ``--strict`` refuses)."""
    failures: list[str] = []
    warned: list[str] = []
    squashed = 0
    with Cluster.start() as cluster:

        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(mutant=mutants(("squash",)))
        def run(mutant: Mutant) -> None:
            nonlocal squashed
            with tempfile.TemporaryDirectory() as work:
                outcome, problems = check(mutant, Path(work))
                assert not problems, problems
                if outcome.code != 0:
                    return
                squashed += 1
                error = _replays(cluster, mutant, Path(work) / "migrations")
                if error is None:
                    return
                place = error.split(": ", 1)[0]
                if f"\n{place}: warning: " in f"\n{outcome.stderr}":
                    warned.append(error)  # kept verbatim, counted in the summary: --strict
                else:
                    failures.append(f"{mutant!r}: {error}")

        run()
    print(f"\n{squashed} squashed mutants: {len(failures)} do not replay on a statement the "
          f"fold checked, {len(warned)} on a statement it kept verbatim with a warning")
    assert not failures, "\n".join(failures)
