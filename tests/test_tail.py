"""Never refuse what PostgreSQL may accept: where the fold cannot follow a history, the files
from there on are kept as written after the consolidation (``schemafold.tail``), and
``squash --verify`` proves the result equal on a real PostgreSQL; ``--strict`` refuses instead.
A history the fold knows to be wrong (no opaque statement could have changed what it names) is
still refused, with one line naming file and line."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import run_cli
from schemafold import fold
from schemafold.api import fold_history
from schemafold.errors import FoldLimit, InputError
from schemafold.sources import read_history


def _history(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


# A data statement the fold cannot evaluate (its rows come from a set-returning function) whose
# column a later file drops: kept verbatim at the end, it could not run.
UNKEEPABLE = {
    "0001_base.sql": "CREATE TABLE hooks (id int PRIMARY KEY, secret text, config jsonb);\n"
                     "INSERT INTO hooks (id, secret)\n"
                     "  SELECT g, 'k' || g FROM generate_series(1, 3) g;\n",
    "0002_config.sql": "UPDATE hooks SET config = jsonb_build_object('secret', secret);\n"
                       "ALTER TABLE hooks DROP COLUMN secret;\n",
    "0003_more.sql": "CREATE TABLE later (id int);\n",
}

# An opaque DO block builds a table's name at run time; a later file alters that table, which
# the fold never saw created.
HIDDEN_TABLE = {
    "0001_base.sql": "CREATE TABLE seen (id int);\n",
    "0002_hidden.sql": "DO $$ BEGIN IF random() >= 0 THEN\n"
                       "  EXECUTE 'CREATE TABLE ' || 'made' || '_by_do (id int)';\n"
                       "END IF; END $$;\n",
    "0003_alter.sql": "ALTER TABLE made_by_do ADD COLUMN note text;\n"
                      "INSERT INTO made_by_do VALUES (1, 'x');\n",
}


def test_a_statement_the_fold_cannot_keep_starts_a_verbatim_tail_proved_equal(
        tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", UNKEEPABLE)
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "2 files kept verbatim from 0002_config.sql on" in done.stdout
    written = sorted(p.name for p in out.glob("*.sql"))
    assert len(written) == 3
    # the tail is the history's text, byte for byte, without the consolidation's preamble
    assert (out / written[1]).read_text() == UNKEEPABLE["0002_config.sql"]
    assert (out / written[2]).read_text() == UNKEEPABLE["0003_more.sql"]
    assert "0001_base" not in (out / written[0]).read_text()


def test_the_ledger_accounts_for_the_tail_and_json_names_it(tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", UNKEEPABLE)
    tailed = fold_history(read_history(src))
    assert [m.path for m in tailed.folded] == ["0001_base.sql"]
    assert [m.path for m in tailed.tail] == ["0002_config.sql", "0003_more.sql"]
    assert isinstance(tailed.limit, FoldLimit)
    assert (tailed.limit.file, tailed.limit.line) == ("0001_base.sql", 2)  # the kept INSERT
    assert tailed.limit.cut == "0002_config.sql"  # the file that drops what it names
    tail_entries = [e for e in tailed.result.ledger if e.file != "0001_base.sql"]
    assert len(tail_entries) == 3
    assert all(e.outcome == "kept-verbatim" and e.reason and "verbatim tail" in e.reason
               for e in tail_entries)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"), "--format", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert len(summary["kept_as_written"]["files"]) == 2
    assert "kept verbatim from 0002_config.sql on" in summary["kept_as_written"]["why"]


def test_strict_refuses_what_the_fold_cannot_follow_in_one_line(tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", UNKEEPABLE)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"), "--strict")
    assert done.returncode == 2
    message = done.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "0001_base.sql:2" in message or "0002_config.sql:1" in message
    assert "column public.hooks.secret is dropped at 0002_config.sql:2" in message
    assert not (tmp_path / "out").exists()


def test_a_statement_on_what_an_opaque_block_made_is_kept_with_what_follows(
        tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", HIDDEN_TABLE)
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "1 file kept verbatim from 0003_alter.sql on" in done.stdout
    assert "0002_hidden.sql:1" in done.stdout  # the opaque statement the fold could not see into


def test_what_postgresql_rejects_is_still_refused(tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", {
        "0001_base.sql": "CREATE TABLE t (id int);\n",
        "0002_bad.sql": "ALTER TABLE missing ADD COLUMN b text;\n",
    })
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "0002_bad.sql:1" in done.stderr and "\n" not in done.stderr.strip()
    try:
        fold(src)
    except FoldLimit:  # pragma: no cover - the assertion below reports it
        raise AssertionError("a certain error must not be a fold limit") from None
    except InputError as error:
        assert error.file == "0002_bad.sql"


def test_concurrently_in_the_tail_runs_in_any_tool(tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", {
        **UNKEEPABLE,
        "0004_index.sql": "-- no-transaction\nCREATE INDEX CONCURRENTLY later_id ON later (id);\n",
    })
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--naming", "golang-migrate",
                   "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    last = sorted(out.glob("*.up.sql"))[-1].read_text()
    assert "CREATE INDEX later_id ON later (id);" in last and "CONCURRENTLY" not in last


def test_a_kept_concurrent_index_runs_in_the_consolidation_transaction(tmp_path: Path) -> None:
    # After an opaque block touches the table, its index is kept verbatim: without CONCURRENTLY
    # it needs no file of its own, and tools without a no-transaction marker can run it.
    src = _history(tmp_path / "migrations", {
        "0001_base.sql": "CREATE TABLE t (id int);\n"
                         "DO $$ BEGIN IF random() >= 0 THEN PERFORM pg_notify('t', 'x'); END IF;"
                         " INSERT INTO t VALUES (1); END $$;\n",
        "0002_index.sql": "-- no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n",
    })
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    written = [p.read_text() for p in sorted(out.glob("*.sql"))]
    assert len(written) == 1 and "CONCURRENTLY" not in written[0]
    assert "CREATE INDEX t_id ON t (id);" in written[0]


def test_an_opaque_block_changing_default_privileges_keeps_what_follows_in_order(
        tmp_path: Path) -> None:
    # The role name is built at run time: the fold cannot know what the block grants, and the
    # grant reaches every table created after it, so nothing after it can be folded past it.
    src = _history(tmp_path / "migrations", {
        "0001_role.sql": "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                         "'reader_sf') THEN CREATE ROLE reader_sf NOLOGIN; END IF; END $$;\n",
        "0002_defaults.sql": "DO $$ DECLARE r text := 'reader' || '_sf'; BEGIN\n"
                             "  IF random() >= 0 THEN EXECUTE 'ALTER DEFAULT PRIVILEGES GRANT "
                             "SELECT ON TABLES TO ' || r; END IF;\nEND $$;\n",
        "0003_table.sql": "CREATE TABLE later (id int);\n",
    })
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "2 files kept verbatim from 0002_defaults.sql on" in done.stdout
    assert "may change default privileges" in done.stdout


def test_report_names_where_the_history_is_kept_as_written(tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", UNKEEPABLE)
    done = run_cli("report", str(src))
    assert done.returncode == 0, done.stderr
    barriers = done.stdout.split("## Barriers: where folding stopped (1)", 1)[1]
    assert "at 0002_config.sql:1 (the history is kept as written from here" in barriers
    assert "2. config | 0002_config.sql kept as written" in done.stdout


# Rows written after a materialized view was populated, and no REFRESH after them: the history's
# view is stale, the consolidation would populate it with every row.
STALE_VIEW = {
    "0001_base.sql": "CREATE TABLE item (id serial PRIMARY KEY, n int);\n"
                     "INSERT INTO item (n) VALUES (1);\n"
                     "CREATE VIEW item_v AS SELECT id, n FROM item;\n"
                     "CREATE MATERIALIZED VIEW item_m AS SELECT id, n FROM item_v;\n",
    "0002_rows.sql": "INSERT INTO item (n) VALUES (2);\n",
    "0003_more.sql": "CREATE TABLE later (id int);\n",
}


def test_a_materialized_view_left_stale_starts_a_verbatim_tail_proved_equal(
        tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", STALE_VIEW)
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "2 files kept verbatim from 0002_rows.sql on" in done.stdout
    assert "materialized view public.item_m is not refreshed after" in done.stdout


def test_a_materialized_view_refreshed_after_the_rows_is_folded(tmp_path: Path) -> None:
    files = {**STALE_VIEW, "0004_refresh.sql": "REFRESH MATERIALIZED VIEW item_m;\n"}
    tailed = fold_history(read_history(_history(tmp_path / "migrations", files)))
    assert tailed.tail == ()
    files["0005_rows.sql"] = "DELETE FROM item WHERE n = 2;\n"  # stale again after the REFRESH
    tailed = fold_history(read_history(_history(tmp_path / "again", files)))
    assert [m.path.rsplit("/", 1)[-1] for m in tailed.tail] == ["0005_rows.sql"]


# Inheritance children whose own NOT NULL names PostgreSQL 18 keeps where no statement 15 also
# takes can give them: two children's own NOT NULL before their parent's, and a child renamed
# after its own (checked on 15.18 and 18.6: the whole history folded is not equal on 18).
CHILD_NOT_NULL_NAMES = {
    "0001_devices.sql": (
        "-- children with NOT NULL constraints of their own on columns their parent gives\n"
        "CREATE TABLE device (serial_no text, label text, vendor text);\n"
        "CREATE TABLE sensor (unit text) INHERITS (device);\n"
        "CREATE TABLE meter (scale int) INHERITS (device);\n"
        "CREATE TABLE probe (depth int) INHERITS (device);\n"
        "ALTER TABLE ONLY sensor ALTER COLUMN label SET NOT NULL;\n"
        "ALTER TABLE ONLY probe ALTER COLUMN vendor SET NOT NULL;\n"),
    "0002_parent_not_null.sql": (
        "-- the parent's NOT NULL after two children's own: PostgreSQL 18 keeps each\n"
        "-- child's name\n"
        "ALTER TABLE ONLY sensor ALTER COLUMN serial_no SET NOT NULL;\n"
        "ALTER TABLE ONLY meter ALTER COLUMN serial_no SET NOT NULL;\n"
        "ALTER TABLE device ALTER COLUMN serial_no SET NOT NULL;\n"),
    "0003_rename.sql": (
        "-- a child renamed after its own NOT NULL: 18 keeps the name sensor_label_not_null\n"
        "ALTER TABLE sensor RENAME TO gauge;\n"
        "COMMENT ON TABLE gauge IS 'renamed';\n"),
    "0004_probe.sql": (
        "-- a child whose NOT NULL has the name its statement gave folds as before\n"
        "ALTER TABLE probe ADD COLUMN note text;\n"),
}


def test_a_not_null_name_only_postgresql_18_can_write_starts_a_verbatim_tail(
        tmp_path: Path) -> None:
    """The fold keeps the history as written from the first file that made such a name (the
    last statement touching the child, again until none is left), so the consolidation is
    equal on 15 and on 18 (CI runs this file on both); a child whose own NOT NULL keeps the
    name its statement gives folds as before."""
    src = _history(tmp_path / "migrations", CHILD_NOT_NULL_NAMES)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "3 files kept verbatim from 0002_parent_not_null.sql on" in done.stdout
    assert 'PostgreSQL 18 keeps the NOT NULL of "gauge"."label"' in done.stdout
    folded = {name: text for name, text in CHILD_NOT_NULL_NAMES.items()
              if name in ("0001_devices.sql", "0004_probe.sql")}
    src = _history(tmp_path / "folded", folded)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out2"), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "kept verbatim from" not in done.stdout


def test_a_cycle_of_views_is_kept_as_written_from_the_file_that_closed_it(
        tmp_path: Path) -> None:
    """PostgreSQL 15 creates views that read each other (CREATE OR REPLACE VIEW va over vb,
    which reads va) and fails only when one is queried; no order of CREATE VIEWs builds them,
    so the history is kept as written from the file that closed the cycle, and the
    consolidation is equal (found by fuzzing: squash named no place, then refused it). A later
    statement on a view of the cycle moves the cut back to that file; --strict refuses, naming
    the statement."""
    files = {"0001_a.sql": "CREATE TABLE t (a int);\nCREATE VIEW va AS SELECT a FROM t;\n"
                           "CREATE VIEW vb AS SELECT a FROM va;\n",
             "0002_b.sql": "COMMENT ON TABLE t IS 'x';\n"
                           "CREATE OR REPLACE VIEW va AS SELECT a FROM vb;\n",
             "0003_c.sql": "CREATE TABLE u (b int);\nCOMMENT ON VIEW vb IS 'reads va';\n"}
    src = _history(tmp_path / "migrations", files)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert ("2 files kept verbatim from 0002_b.sql on, because at 0003_c.sql:2 dependency "
            "cycle: view va -> view vb -> view va") in done.stdout, done.stdout
    done = run_cli("squash", str(src), "--out", str(tmp_path / "strict"), "--strict")
    assert done.returncode == 2
    assert done.stderr.startswith("schemafold: error: 0003_c.sql:2: dependency cycle: view va "
                                  "-> view vb -> view va"), done.stderr


def test_default_privileges_for_a_role_the_history_did_not_create_limit_what_follows(
        tmp_path: Path) -> None:
    """``ALTER DEFAULT PRIVILEGES FOR ROLE postgres`` (pg_dump writes it) applies to what the
    migrations create only if they run as ``postgres``, which the fold cannot know: the history
    is kept as written from the first file creating something it may apply to, and the result is
    proved equal (the throwaway cluster runs the migrations as its own superuser). A rule for a
    role the history created applies only under ``SET ROLE`` to it, and still folds."""
    src = _history(tmp_path / "migrations", {
        "0001_base.sql": "CREATE TABLE early (id int);\n"
                         "CREATE ROLE tail_rule_owner NOLOGIN;\n"
                         "ALTER DEFAULT PRIVILEGES FOR ROLE tail_rule_owner\n"
                         "  GRANT SELECT ON TABLES TO PUBLIC;\n"
                         "CREATE TABLE still_folded (id int);\n"
                         "ALTER DEFAULT PRIVILEGES FOR ROLE postgres\n"
                         "  GRANT SELECT ON TABLES TO PUBLIC;\n",
        "0002_more.sql": "CREATE TABLE later (id int);\n",
        "0003_more.sql": "CREATE TABLE last (id int);\n",
    })
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert "2 files kept verbatim from 0002_more.sql on" in done.stdout
    assert "FOR ROLE postgres (0001_base.sql:6)" in done.stdout


# A seed with explicit ids in a file the fold cannot follow: the history leaves the sequence
# behind its column, and the consolidation, which runs that file as written, must not.
SEEDED_IN_THE_TAIL = {
    "0001_base.sql": "CREATE TABLE items (id serial PRIMARY KEY, name text);\n"
                     "CREATE TABLE hooks (id int PRIMARY KEY, secret text);\n"
                     "INSERT INTO hooks (id, secret) SELECT g, 'k' || g"
                     " FROM generate_series(1, 3) g;\n",
    "0002_seed.sql": "ALTER TABLE hooks DROP COLUMN secret;\n"
                     "INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b');\n",
}


def test_sequences_the_tail_leaves_behind_are_brought_level_after_it(tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", SEEDED_IN_THE_TAIL)
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    written = sorted(p.name for p in out.glob("*.sql"))
    assert written == ["0001_schema.sql", "0002_seed.sql", "0003_sequences_level.sql"]
    assert (out / written[1]).read_text() == SEEDED_IN_THE_TAIL["0002_seed.sql"]
    assert "pg_catalog.setval(item.seq, top)" in (out / written[2]).read_text()
    assert "Sequences the files kept as written left behind" in (out / "README.md").read_text()


def test_a_position_the_tail_sets_stays_where_the_history_set_it(tmp_path: Path) -> None:
    history = dict(SEEDED_IN_THE_TAIL)
    history["0003_reset.sql"] = "SELECT setval('items_id_seq', 1, false);\n"
    src = _history(tmp_path / "migrations", history)
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    level = (out / "0004_sequences_level.sql").read_text()
    assert "to_regclass('items_id_seq')" in level


def test_no_catch_up_where_no_column_can_have_a_sequence(tmp_path: Path) -> None:
    src = _history(tmp_path / "migrations", UNKEEPABLE)
    out = tmp_path / "out"
    assert run_cli("squash", str(src), "--out", str(out)).returncode == 0
    assert not list(out.glob("*sequences_level*"))


def test_upto_gives_the_catch_up_a_version_when_one_is_left_and_says_so_when_not(
        tmp_path: Path) -> None:
    history = {"0001_base.sql": SEEDED_IN_THE_TAIL["0001_base.sql"],
               "0002_extra.sql": "CREATE TABLE extra (id int);\n",
               "0003_seed.sql": SEEDED_IN_THE_TAIL["0002_seed.sql"],
               "0004_later.sql": "CREATE TABLE later (id int);\n"}
    src = _history(tmp_path / "migrations", history)
    # up to 0003: the schema, the seed kept as written, the catch-up, one version each
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--upto", "0003", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in out.glob("*.sql")) == [
        "0001_schema.sql", "0002_seed.sql", "0003_sequences_level.sql", "0004_later.sql"]
    # with the seed in the second file, up to it no version is left for the catch-up: left
    # out, with a warning naming the cause
    src = _history(tmp_path / "migrations2", {
        **SEEDED_IN_THE_TAIL, "0003_later.sql": "CREATE TABLE later (id int);\n"})
    out = tmp_path / "out2"
    done = run_cli("squash", str(src), "--upto", "0002", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "leaves no version for the file that would do it" in done.stderr
    assert sorted(p.name for p in out.glob("*.sql")) == [
        "0001_schema.sql", "0002_seed.sql", "0003_later.sql"]
