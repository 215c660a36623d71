"""Data histories (tests/data_histories): rows, sequence positions, statements kept verbatim and
opaque barriers, each folded, consolidated, replayed on both sides and compared under the equality
contract for every data policy its INDEX.toml entry lists; plus what each fixture must show in the
fold itself (ledger, notes, warnings), the keep-verbatim rule's error, and ``--data drop``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import tomllib

from cli_run import run_cli
from replay_helpers import history_files, replay_both, texts
from schemafold import fold
from schemafold.data_policy import split_data
from schemafold.fold import FoldResult
from schemafold.parse.splitter import split_sql
from schemafold.render.postgres import PREAMBLE, render_schema
from schemafold.verify.cluster import Cluster

HISTORIES = Path(__file__).parent / "data_histories"
INDEX = tomllib.loads((HISTORIES / "INDEX.toml").read_text())["fixture"]
FIXTURES = sorted(p.name for p in HISTORIES.iterdir() if p.is_dir())
CASES = [(name, policy) for name in FIXTURES for policy in INDEX.get(name, {}).get("policies", [])]


@cache
def folded(name: str) -> FoldResult:
    return fold(HISTORIES / name)


def consolidation(result: FoldResult, policy: str) -> list[tuple[str, str]]:
    split = split_data(result.schema, policy)
    files = [("0001_schema.sql", render_schema(split.schema))]
    if split.data_file:
        files.append(("0002_data.sql", "\n\n".join([PREAMBLE, *split.data_file]) + "\n"))
    return files


def test_every_fixture_is_indexed_with_what_it_shows() -> None:
    assert set(INDEX) == set(FIXTURES)
    for name, entry in INDEX.items():
        assert entry["shows"].strip(), name
        assert "keep" in entry["policies"], name
        assert set(entry["policies"]) <= {"keep", "separate"}, name


@pytest.mark.parametrize(("name", "policy"), CASES)
def test_consolidation_equals_history(name: str, policy: str,
                                      clusters: tuple[Cluster, Cluster]) -> None:
    result = folded(name)
    files = consolidation(result, policy)
    comparison = replay_both(clusters, history_files(HISTORIES / name), texts(files),
                             explicit_positions=result.data_notes.explicit_sequences)
    shown = "\n".join(text for _, text in files)
    assert comparison.equal, comparison.summary() + "\n" + shown
    assert set(result.data_notes.volatile_columns) <= set(comparison.masked_columns)


@pytest.mark.parametrize("name", FIXTURES)
def test_ledger_has_one_entry_per_statement(name: str) -> None:
    result = folded(name)
    count = sum(len(split_sql(p.read_text(), p.name).statements)
                for p in sorted((HISTORIES / name).glob("*.sql")))
    assert len(result.ledger) == count


def _outcomes(result: FoldResult) -> dict[str, str]:
    return {entry.where(): entry.describe() for entry in result.ledger}


def _rows(result: FoldResult, table: str) -> list[dict[str, str]]:
    return [dict(row.values) for row in result.schema.rows[("table", "public", table)]]


# ---------------------------------------------------------------------------------------------
# What each fixture shows in the fold


def test_backfill_is_evaluated_on_the_rows() -> None:
    result = folded("backfill_not_null")
    assert not result.schema.kept
    rows = {r["email"]: r for r in _rows(result, "users")}
    assert rows["'Ann@example.org'"]["handle"] == "'ann'"
    assert rows["'bob@example.org'"]["handle"] == "'bobby'"
    assert rows["'cy@example.org'"]["active"] == "false"
    assert rows["'Ann@example.org'"]["active"] == "true"
    assert "'dee@example.org'" not in rows  # deleted again
    assert _outcomes(result)["0003_more.sql:1"] == "superseded-by(0003_more.sql:5)"
    assert not result.warnings


def test_seed_rows_load_before_the_trigger_and_the_fired_insert_runs_after_it() -> None:
    result = folded("seed_then_trigger")
    assert [r["code"] for r in _rows(result, "plans")] == ["'free'", "'pro'"]
    assert _outcomes(result)["0003_team.sql:3"] == "kept-verbatim"
    [barrier] = result.data_notes.barriers
    assert barrier.where() == "0003_team.sql:3" and "trigger plans_reject_free" in barrier.reason
    assert not result.data_notes.rule_changes
    text = render_schema(result.schema)
    assert text.index("CREATE TRIGGER plans_reject_free") < text.index("('team', 25)")


def test_an_audited_insert_runs_after_its_trigger_with_what_the_trigger_writes() -> None:
    result = folded("audit_trigger")
    [barrier] = result.data_notes.barriers
    assert barrier.writes == (("table", "public", "accounts"), ("table", "public", "audit_log"))
    outcomes = _outcomes(result)
    assert [outcomes[f"0003_cleanup.sql:{n}"] for n in (2, 3, 4)] == [
        "kept-verbatim", "kept-verbatim", "absorbed-into(table public.notes)"]
    assert _rows(result, "accounts") == [{"id": "1", "name": "'seed'"}]


def test_not_valid_check_rows_and_the_separate_note() -> None:
    result = folded("not_valid_check")
    assert sorted(r["qty"] for r in _rows(result, "orders")) == ["-1", "0", "10", "14"]
    notes = split_data(result.schema, "separate").notes
    assert len(notes) == 1 and "orders_qty_positive" in notes[0]


def test_attune_update_reads_columns_dropped_later() -> None:
    result = folded("update_reads_dropped_column")
    assert not result.schema.kept
    rows = {r["id"]: (r["url"], r["config"]) for r in _rows(result, "webhooks")}
    # the values keep their columns' types inside the expression
    config = "jsonb_build_object('secret', ({})::text, 'retries', ({})::integer)"
    assert rows == {
        "1": ("'https://a.example/hook?v=2'", config.format("'s1'", 3)),
        "2": ("'https://b.example/hook'", config.format("NULL", 3)),
        "3": ("'https://c.example/hook'", config.format("'s3'", 5)),
        "4": ("'https://d.example/hook'", "'{\"retries\": 1}'"),
    }
    outcome = _outcomes(result)["0002_consolidate_config.sql:4"]
    assert outcome == "absorbed-into(table public.webhooks)"


def test_truncate_supersedes_rows_and_restarts_identity() -> None:
    result = folded("truncate_restart")
    outcomes = _outcomes(result)
    assert outcomes["0001_jobs.sql:11"] == "superseded-by(0002_truncate.sql:2)"
    assert outcomes["0002_truncate.sql:3"] == "superseded-by(0002_truncate.sql:5)"
    assert outcomes["0003_logs.sql:2"] == "superseded-by(0003_logs.sql:3)"
    assert _rows(result, "runs") == [{"id": "1", "job_id": "1", "note": "'w'"}]
    assert _rows(result, "jobs") == [{"id": "1", "name": "'c'"}]
    assert ("table", "public", "logs") not in result.schema.rows
    logs_seq = result.schema.objects[("sequence", "public", "logs_id_seq")]
    assert getattr(logs_seq, "position", None) == 2  # TRUNCATE without RESTART IDENTITY
    assert set(result.data_notes.explicit_sequences) == {"public.jobs_id_seq", "public.runs_id_seq"}


def test_explicit_ids_then_setval() -> None:
    result = folded("explicit_ids_setval")
    assert set(result.data_notes.explicit_sequences) == {"public.countries_id_seq",
                                                         "public.currencies_id_seq"}
    ids = sorted(int(r["id"]) for r in _rows(result, "countries"))
    assert ids == [1, 2, 5, 6, 50]
    assert sorted(int(r["id"]) for r in _rows(result, "currencies")) == [10, 20, 100, 110]
    assert not result.schema.kept and not result.warnings


def test_volatile_defaults_are_written_as_the_expression() -> None:
    result = folded("volatile_defaults")
    assert result.data_notes.volatile_columns == (
        "public.events.created_at", "public.events.day", "public.events.id",
        "public.events.seen_at")
    rows = {r["kind"]: r for r in _rows(result, "events")}
    assert set(rows) == {"'signup'", "'import'"}
    assert rows["'signup'"]["id"] == "gen_random_uuid()"
    assert rows["'import'"]["created_at"] == "'2020-01-01 00:00:00+00'"
    assert rows["'import'"]["seen_at"] == "clock_timestamp()"


def test_do_block_is_a_barrier() -> None:
    result = folded("do_block_column")
    [barrier] = result.data_notes.barriers
    assert barrier.writes == (("table", "public", "accounts"),)
    outcomes = _outcomes(result)
    for where in ("0002_legacy_flag.sql:3", "0002_legacy_flag.sql:13", "0003_drop_flag.sql:1",
                  "0003_drop_flag.sql:2"):
        assert outcomes[where] == "kept-verbatim", where
    assert outcomes["0003_drop_flag.sql:4"] == "absorbed-into(table public.notes)"
    assert any("folding stops here for public.accounts" in w.message for w in result.warnings)
    text = render_schema(result.schema)
    assert text.index("DO $$") < text.index("ADD COLUMN region") < text.index(
        "DROP COLUMN legacy_flag")


def test_top_level_selects_are_folded_or_kept() -> None:
    result = folded("top_level_selects")
    outcomes = _outcomes(result)
    assert outcomes["0002_settings.sql:2"] == "kept-verbatim"
    assert outcomes["0002_settings.sql:5"] == "absorbed-into(sequence public.invoice_no)"
    sequence = result.schema.objects[("sequence", "public", "invoice_no")]
    assert getattr(sequence, "position", None) == 2010
    text = render_schema(result.schema)
    assert "SELECT set_config('app.tenant', 'acme', false);" in text
    assert "SELECT pg_catalog.setval('invoice_no', 2010, true);" in text


def test_on_conflict_is_evaluated() -> None:
    result = folded("on_conflict_later_index")
    assert not result.schema.kept
    rows = {r["key"]: (r["value"], r["updated"]) for r in _rows(result, "settings")}
    assert rows == {"'theme'": ("'light'", "0"), "'lang'": ("'fr'", "1"),
                    "'tz'": ("'UTC'", "0")}


def test_cascades_and_the_rule_change_report() -> None:
    result = folded("cascade_and_kept")
    assert _rows(result, "books") == [{"id": "10", "author_id": "1", "title": "'A1'"}]
    assert sorted((r["id"], r["book_id"]) for r in _rows(result, "reviews")) == [
        ("100", "10"), ("200", "NULL"), ("201", "NULL")]
    [change] = result.data_notes.rule_changes
    assert (change.kind, change.name, change.where()) == (
        "check constraint", "book_stats_reviews_check", "0002_stats.sql:5")


def test_table_copy_enum_rename_typed_values_and_a_foreign_key_barrier() -> None:
    result = folded("copy_table_and_types")
    orders = {r["id"]: r for r in _rows(result, "orders")}
    assert [orders[i]["status"] for i in "1234"] == ["'new'", "'shipped'", "'shipped'",
                                                     "'shipped'"]
    assert orders["2"]["remark"] == "'b'" and orders["3"]["remark"] == "''"
    assert orders["3"]["amount"] == "round((6.50)::numeric(10,2))::integer"
    users = {r["id"]: r["meta"] for r in _rows(result, "users")}
    assert users["1"] == "('{}')::jsonb || '{\"vip\": true}'"
    outcomes = _outcomes(result)
    assert outcomes["0001_orders.sql:9"] == "superseded-by(0002_copy.sql:12)"
    assert outcomes["0003_changes.sql:12"] == outcomes["0003_changes.sql:13"] == "kept-verbatim"
    [barrier] = result.data_notes.barriers
    assert barrier.where() == "0003_changes.sql:12" and "orders_user_id_fkey" in barrier.reason
    split = split_data(result.schema, "separate")
    assert set(split.schema.rows) == {("table", "public", "orders"), ("table", "public", "users")}
    assert not split.data_file and len(split.notes) == 2


# ---------------------------------------------------------------------------------------------
# The keep-verbatim rule, and --data on the command line


def test_statement_naming_what_changes_later_starts_a_verbatim_tail(tmp_path: Path) -> None:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_base.sql").write_text(
        "CREATE TABLE legacy (id int, secret text);\n"
        "CREATE TABLE hooks (id int, secret text, config jsonb);\n"
        "INSERT INTO hooks (id) SELECT g FROM generate_series(1, 2) g;\n")
    (src / "0002_config.sql").write_text(
        "UPDATE hooks SET config = jsonb_build_object('secret', secret);\n"
        "ALTER TABLE hooks DROP COLUMN secret;\n")
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "1 file kept verbatim from 0002_config.sql on" in done.stdout
    strict = run_cli("squash", str(src), "--out", str(tmp_path / "strict"), "--strict")
    assert strict.returncode == 2
    message = strict.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "0002_config.sql:1" in message and "0001_base.sql:3" in message
    assert "column public.hooks.secret is dropped at 0002_config.sql:2" in message
    assert not (tmp_path / "strict").exists()


def test_data_drop_and_separate_on_the_command_line(tmp_path: Path) -> None:
    src = HISTORIES / "explicit_ids_setval"
    dropped = run_cli("squash", str(src), "--out", str(tmp_path / "drop"), "--data", "drop")
    assert dropped.returncode == 0, dropped.stderr
    assert "dropped 9 rows (--data drop)" in dropped.stdout
    written = "".join(p.read_text() for p in sorted((tmp_path / "drop").glob("*.sql")))
    assert "INSERT INTO" not in written and "setval" not in written
    separate = run_cli("squash", str(src), "--out", str(tmp_path / "separate"),
                       "--data", "separate")
    assert separate.returncode == 0, separate.stderr
    files = sorted(p.name for p in (tmp_path / "separate").glob("*.sql"))
    assert len(files) == 2 and files[-1].endswith("_data.sql")
    data = (tmp_path / "separate" / files[-1]).read_text()
    assert data.count("INSERT INTO") == 2 and "setval" in data
    assert "INSERT INTO" not in (tmp_path / "separate" / files[0]).read_text()


def test_data_drop_consolidation_differs_only_in_rows(tmp_path: Path,
                                                      clusters: tuple[Cluster, Cluster]) -> None:
    result = folded("cascade_and_kept")
    comparison = replay_both(clusters, history_files(HISTORIES / "cascade_and_kept"),
                             texts(consolidation(result, "drop")))
    assert not comparison.schema_diff
    assert {d.table for d in comparison.row_differences} == {
        "public.authors", "public.books", "public.reviews", "public.book_stats"}


def test_copies_from_empty_tables_are_no_ops_that_leave_no_trace() -> None:
    result = folded("empty_sources_copy")
    outcomes = _outcomes(result)
    for line in (8, 11, 13, 16, 21, 25):  # 25: a top-level WITH the parser keeps opaque
        assert outcomes[f"0002_copy.sql:{line}"].startswith("no-op(the query finds no row"), line
    assert outcomes["0002_copy.sql:23"].startswith("no-op(UPDATE ... FROM")
    assert outcomes["0002_copy.sql:24"].startswith("no-op(DELETE ... USING")
    # count(*) of an empty table is one row: not a no-op
    assert outcomes["0002_copy.sql:29"] == "absorbed-into(table public.stats)"
    assert _rows(result, "stats") == [{"events": "0", "any_event": "false"}]
    assert [r["body"] for r in _rows(result, "notes")] == ["'kept'", "'stale'"]
    assert _rows(result, "permissions") == [{"id": "1", "account_email": "'x@example.org'",
                                             "scope": "'write'", "ticket": "1"}]
    # DEFAULT VALUES: one row of defaults each, drawing from the sequences
    assert [(r["id"], r["ticket"]) for r in _rows(result, "counters")] == [("1", "2"),
                                                                           ("2", "3")]
    text = render_schema(result.schema)
    assert "JOIN" not in text and "DISTINCT" not in text and "USING grants" not in text
    assert "accounts" not in text and "grants" not in text
    assert not any("WITH statement" in w.message for w in result.warnings)


def test_joins_grouping_and_ordering_are_evaluated_on_the_tracked_rows() -> None:
    result = folded("evaluated_joins")
    assert not result.schema.kept
    outcomes = _outcomes(result)
    for where in ("0002_feed.sql:3", "0002_feed.sql:8", "0002_feed.sql:13", "0002_feed.sql:18",
                  "0002_feed.sql:19", "0002_feed.sql:22"):
        assert outcomes[where].startswith("absorbed-into("), where
    # ORDER BY p.score, p.id (NULLS LAST) numbered the rows: cy/c got 1, deleted by USING
    rows = _rows(result, "feed")
    # values of other types are copied as SQL text cast to their column's type; a copied now()
    # stays volatile (masked)
    assert rows[0]["meta"] == "('{\"tag\":\"x\", \"n\":1}')::jsonb"
    assert result.data_notes.volatile_columns == ("public.feed.posted",)
    feed = [(r["id"], r["author"], r["title"], r["score"]) for r in rows]
    assert sorted(feed) == [("2", "'ann'", "'a'", "5"), ("3", "'bob'", "'d'", "7"),
                            ("4", "'ann'", "'b'", "5"), ("5", "'new'", "NULL", "NULL")]
    stats = {r["author_id"]: (r["posts"], r["total"], r["best"])
             for r in _rows(result, "author_stats")}
    assert stats == {"1": ("2", "5", "5"), "2": ("1", "7", "7"), "3": ("1", "2", "2")}
    assert sorted(r["label"] for r in _rows(result, "active_names")) == ["'ann:1'", "'cy:3'"]
    assert _rows(result, "totals") == [{"n": "4", "some_unscored": "true"}]
    sequence = result.schema.objects[("sequence", "public", "feed_id_seq")]
    assert getattr(sequence, "position", None) == 5
    text = render_schema(result.schema)
    assert "JOIN" not in text and "DISTINCT" not in text and "GROUP BY" not in text


def test_an_unordered_join_into_a_serial_column_is_kept_verbatim() -> None:
    # which row draws which id is PostgreSQL's plan's choice: not evaluated
    from schemafold import fold_sql

    result = fold_sql(
        "CREATE TABLE a (id int, name text);\nCREATE TABLE b (a_id int);\n"
        "INSERT INTO a VALUES (1, 'x'), (2, 'y');\nINSERT INTO b VALUES (1), (2);\n"
        "CREATE TABLE q (id serial, name text);\n"
        "INSERT INTO q (name) SELECT a.name FROM a JOIN b ON b.a_id = a.id;\n"
        "INSERT INTO q (name) SELECT a.name FROM a JOIN b ON b.a_id = a.id ORDER BY a.name;\n")
    outcomes = [e.describe() for e in result.ledger]
    assert outcomes[5] == "kept-verbatim"
    assert any("the order of the rows is not known" in w.message for w in result.warnings)
    # ordering by text depends on the collation: not evaluated either
    assert outcomes[6] == "kept-verbatim"


def test_a_data_modifying_cte_acts_even_when_the_statement_finds_no_row() -> None:
    from schemafold import fold_sql

    result = fold_sql(
        "CREATE TABLE orgs (id int);\nCREATE TABLE teams (id int, org_id int);\n"
        "WITH made AS (INSERT INTO orgs VALUES (1) RETURNING id) "
        "UPDATE teams SET org_id = made.id FROM made;\n"
        "WITH gone AS (SELECT id FROM orgs) INSERT INTO teams SELECT id, id FROM gone;\n")
    outcomes = [e.describe() for e in result.ledger]
    assert outcomes[2] == "kept-verbatim"
    assert outcomes[3] == "kept-verbatim"  # orgs is touched by the barrier before it


def test_the_sequence_a_touched_table_owns_is_touched_too() -> None:
    result = folded("barrier_owned_sequence")
    assert _outcomes(result)["0002_folders.sql:6"] == "kept-verbatim"


def test_a_conversion_reads_each_value_as_the_old_type_stored_it() -> None:
    """Rows are read as their column stores them (1.5 given for an integer is 2), by the
    column's type; while ALTER COLUMN ... TYPE ... USING converts the rows, the column still
    holds its old type's value: 6.50 of a numeric(10, 2) times 100 is 650 in the integer it
    becomes, not 700 (the new type's rounding applied before the USING)."""
    from schemafold import fold_sql

    result = fold_sql("CREATE TABLE o (id int PRIMARY KEY, amount numeric(10,2), n int);\n"
                      "INSERT INTO o VALUES (1, 6.50, 1.5);\n"
                      "ALTER TABLE o ALTER COLUMN amount TYPE integer "
                      "USING (amount * 100)::integer;\n"
                      "DELETE FROM o WHERE n = 2;\n")
    assert ("table", "public", "o") not in result.schema.rows  # 1.5 was stored as 2
    result = fold_sql("CREATE TABLE o (id int PRIMARY KEY, amount numeric(10,2));\n"
                      "INSERT INTO o VALUES (1, 6.50);\n"
                      "ALTER TABLE o ALTER COLUMN amount TYPE integer "
                      "USING (amount * 100)::integer;\n")
    [row] = _rows(result, "o")
    assert "6.50" in row["amount"] and "7" not in row["amount"]
