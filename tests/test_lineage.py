"""Structured lineage and ledger (schemafold.lineage): each entry carries what happened as data
(action, part, cause, origin, how it is worded) and its description is derived from that data;
the report and blame read the data. What the lineage says was dropped, PostgreSQL has dropped
too (the history is replayed on a real server)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cli_run import run_cli
from schemafold import fold_sql
from schemafold.events import Origin
from schemafold.files import plan_files
from schemafold.fold import FoldResult
from schemafold.layout import load_layout
from schemafold.lineage import (
    Account,
    Action,
    Change,
    LineageEntry,
    Outcome,
    Part,
    describe_key,
)
from schemafold.report import build_report
from schemafold.sources import History, Migration
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import ReplayFile, connect, replay

SQL = """\
CREATE TABLE "Owner" (id int PRIMARY KEY, note text);
CREATE INDEX "Owner_note_idx" ON "Owner" (note);
CREATE TABLE item (id int PRIMARY KEY, owner int, label text);
ALTER TABLE item ADD CONSTRAINT "item owner fk" FOREIGN KEY (owner) REFERENCES "Owner" (id);
ALTER TABLE item ADD CONSTRAINT "label check" CHECK (label <> '');
CREATE INDEX item_label_idx ON item (label);
ALTER TABLE item DROP CONSTRAINT "label check";
ALTER TABLE item DROP COLUMN label;
DROP TABLE "Owner" CASCADE;
SAVEPOINT s;
RELEASE SAVEPOINT s;
"""

OWNER = ("table", "public", "Owner")
ITEM = ("table", "public", "item")
LABEL = ("column", "public", "item", "label")


@pytest.fixture(scope="module")
def result() -> FoldResult:
    return fold_sql(SQL, file="m.sql")


def facts(entry: LineageEntry) -> tuple[object, ...]:
    return (entry.line, entry.action, entry.change, entry.part, entry.cause, entry.description)


def test_entries_carry_what_happened_as_data(result: FoldResult) -> None:
    assert [facts(e) for e in result.lineage[ITEM]] == [
        (3, Action.CREATED, Change.STATEMENT, None, None, "create table item"),
        # a key declared in CREATE TABLE is added to it as ALTER TABLE would
        (3, Action.ALTERED, Change.ADDED, Part("constraint", "item_pkey", Action.CREATED), None,
         "constraint item_pkey added"),
        (4, Action.ALTERED, Change.ADDED, Part("constraint", "item owner fk", Action.CREATED),
         None, "constraint item owner fk added"),
        (5, Action.ALTERED, Change.ADDED, Part("constraint", "label check", Action.CREATED),
         None, "constraint label check added"),
        (7, Action.ALTERED, Change.STATEMENT, Part("constraint", "label check", Action.DROPPED),
         None, "drop constraint label check on item"),
        (8, Action.ALTERED, Change.PART_DROPPED, Part("column", "label", Action.DROPPED), None,
         "column label dropped"),
        (9, Action.ALTERED, Change.PART_DROPPED_BY_CASCADE,
         Part("constraint", "item owner fk", Action.DROPPED), OWNER,
         "constraint item owner fk dropped by cascade"),
    ]
    index = result.lineage[("index", "public", "item_label_idx")]
    assert [facts(e) for e in index][-1] == (
        8, Action.DROPPED, Change.INDEX_DROPPED_WITH_COLUMN, None, LABEL,
        "index public.item_label_idx dropped with its column")
    owner_index = result.lineage[("index", "public", "Owner_note_idx")]
    # the description writes the table as the history names it, quoted; the cause is its key
    assert [facts(e) for e in owner_index][-1] == (
        9, Action.DROPPED, Change.DROPPED_WITH, None, OWNER,
        'dropped with table public."Owner"')
    note = result.lineage[("column", "public", "Owner", "note")]
    assert [facts(e) for e in note] == [
        (1, Action.CREATED, Change.DECLARED, Part("column", "note", Action.CREATED), None,
         "column note text"),
        (9, Action.DROPPED, Change.DROPPED_WITH_ITS, None, OWNER, "dropped with its table")]
    assert [facts(e) for e in result.lineage[OWNER]][-1] == (
        9, Action.DROPPED, Change.KIND_DROPPED, None, None, "table dropped")
    for key, entries in result.lineage.items():
        assert all(e.key == key and e.origin.file == "m.sql" for e in entries)
        assert all(e.origin.text == SQL.splitlines()[e.line - 1].rstrip(";") for e in entries)


def test_the_description_is_derived_from_the_data() -> None:
    origin = Origin("m.sql", 3, "ALTER TABLE t ...")
    entry = LineageEntry(Action.ALTERED, origin, Account(
        Change.CLONED, Part("constraint", "c_1", Action.CREATED), names=('"c"',)))
    assert entry.description == 'constraint c_1 cloned from "c"'
    assert LineageEntry(Action.DATA, origin, Account(
        Change.EMPTY_THEN, names=("delete", "t"))).description == \
        "delete on t, then empty: no effect"
    ran = LineageEntry(Action.CREATED, origin, Account(Change.IDENTITY_SEQUENCE),
                       run_by="function f")
    assert ran.description == "identity sequence (run by function f)"
    assert ran.to_dict() == {"file": "m.sql", "line": 3, "action": "created",
                             "description": "identity sequence (run by function f)",
                             "change": "identity_sequence", "run_by": "function f"}
    # every template formats with what its call sites give it: no stray braces
    for change in Change:
        fields = change.value.count("{") - change.value.count("{statement}") - \
            change.value.count("{part_")
        text = Account(change, Part("column", "a"), names=("x",) * fields).describe()
        assert "{" not in text and "}" not in text, change
    assert str(Action.CREATED) == f"{Action.CREATED}" == "created" == Action.CREATED
    assert json.dumps([Action.DROPPED, Outcome.NO_OP]) == '["dropped", "no-op"]'


def test_transaction_control_no_ops_are_marked_in_the_ledger(result: FoldResult) -> None:
    ledger = {e.line: e for e in result.ledger}
    assert (ledger[10].outcome, ledger[10].reason, ledger[10].transaction) == (
        Outcome.NO_OP, "savepoint s", True)
    assert ledger[11].transaction and ledger[11].reason == "savepoint s released"
    assert not any(e.transaction for line, e in ledger.items() if line < 10)
    assert ledger[9].origin.text == 'DROP TABLE "Owner" CASCADE'


def test_the_report_reads_parts_and_causes(result: FoldResult) -> None:
    """Read from the data, the report finds what prose matching missed: a constraint whose
    name has a space, and what went with a table whose name is quoted."""
    history = History((Migration("1", "m", "m.sql", SQL),), "plain")
    plan = plan_files(result, load_layout("single"), history.migrations)
    found = {f["object"]: f for f in (x.to_dict() for x in build_report(
        history, result, plan).sections["created_then_dropped"])}
    assert found["table public.Owner"] == {
        "object": "table public.Owner", "created": "m.sql:1", "dropped": "m.sql:9",
        "with": ["index public.Owner_note_idx", "constraint public.Owner.Owner_pkey"],
        "kind": "table", "key": ["table", "public", "Owner"]}
    assert found["constraint public.item.label check"] == {
        "object": "constraint public.item.label check", "created": "m.sql:5",
        "dropped": "m.sql:7", "kind": "constraint", "key": ["table", "public", "item"],
        "part": {"kind": "constraint", "name": "label check"}}
    fk = found["constraint public.item.item owner fk"]
    assert (fk["dropped"], fk["cause"]) == ("m.sql:9", "table public.Owner")
    assert found["index public.item_label_idx"]["dropped"] == "m.sql:8"
    assert found["column public.item.label"]["dropped"] == "m.sql:8"


def test_comments_rewritten_are_grouped_by_what_they_are_on() -> None:
    """Two comments on one column, written once through the table's name and once qualified:
    one finding (its description is the first comment's)."""
    sql = ("CREATE TABLE t (a int);\nCOMMENT ON COLUMN t.a IS 'one';\n"
           "COMMENT ON COLUMN public.t.a IS 'two';\n")
    folded = fold_sql(sql, file="m.sql")
    history = History((Migration("1", "m", "m.sql", sql),), "plain")
    plan = plan_files(folded, load_layout("single"), history.migrations)
    changed = [f.to_dict() for f in build_report(history, folded, plan).sections["changed"]]
    assert changed == [{"object": "comment on column t.a", "steps": ["m.sql:2", "m.sql:3"],
                        "final": "m.sql:3", "note": "comment rewritten", "kind": "column",
                        "key": ["table", "public", "t"],
                        "part": {"kind": "column", "name": "a"}}]


def test_blame_json_carries_the_structured_fields(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_m.sql").write_text(SQL)
    done = run_cli("blame", str(folder), "item", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["statements"]
    by_line = {(r["line"], r["object"]): r for r in rows}
    # the table's "altered" gives way to the column's own account of the same statement
    assert by_line[(8, "column public.item.label")] == {
        "file": "0001_m.sql", "line": 8, "action": "dropped",
        "object": "column public.item.label", "description": "column label dropped",
        "statement": "ALTER TABLE item DROP COLUMN label", "change": "part_dropped",
        "part": {"kind": "column", "name": "label", "action": "dropped"}}
    assert (8, "table public.item") not in by_line
    cascade = by_line[(9, "table public.item")]
    assert (cascade["cause"], cascade["part"]) == (
        "table public.Owner", {"kind": "constraint", "name": "item owner fk",
                               "action": "dropped"})
    text = run_cli("blame", str(folder), "item").stdout.splitlines()
    assert text[0] == "# table public.item"
    assert text[-1].endswith(":9\taltered\tconstraint item owner fk dropped by cascade")


def test_postgresql_drops_what_the_lineage_says(
        result: FoldResult, pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    """The history is valid PostgreSQL, and what its lineage says went with the drops is gone
    there; what it says remains, remains."""
    dsn = pg_cluster.dsn(fresh_db())
    replay(dsn, [ReplayFile("m.sql", SQL)])
    with connect(dsn) as conn:
        relations = {r[0] for r in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace")}
        constraints = {r[0] for r in conn.execute(
            # PostgreSQL 18 lists NOT NULL as constraints too (contype 'n'); 15 does not
            "SELECT conname FROM pg_constraint WHERE conrelid = 'item'::regclass "
            "AND contype <> 'n'")}
        columns = {r[0] for r in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'item'::regclass "
            "AND attnum > 0 AND NOT attisdropped")}
    dropped = {key for key, entries in result.lineage.items()
               if entries[-1].action == Action.DROPPED}
    assert {describe_key(k) for k in dropped} == {
        "table public.Owner", "index public.Owner_note_idx", "column public.Owner.id",
        "column public.Owner.note", "index public.item_label_idx",
        "column public.item.label"}
    assert relations == {"item", "item_pkey"}
    assert constraints == {"item_pkey"}
    assert columns == {"id", "owner"}


RECURSIVE = """\
CREATE SCHEMA app;
CREATE TABLE app.member (id int);
CREATE TABLE measure (id int, at date, CONSTRAINT positive CHECK (id > 0), PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE INDEX measure_at ON measure (at);
CREATE TABLE measure_2026 PARTITION OF measure FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE plain (id int NOT NULL, at date NOT NULL, CONSTRAINT positive CHECK (id > 0));
CREATE INDEX plain_at ON plain (at);
ALTER TABLE measure ATTACH PARTITION plain FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE measure ADD COLUMN note text;
DROP SCHEMA app CASCADE;
DROP TABLE measure;
"""


def test_recursive_drops_and_inherited_parts_name_their_cause(
        pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    """A member of a dropped schema, a partition of a dropped table, and the parts a partition
    takes from its parent (columns, CHECKs, cloned keys, attached indexes) name that object as
    their ``cause`` (a key). PostgreSQL drops the schema's members and the partitions with
    them (checked on the server below)."""
    folded = fold_sql(RECURSIVE, file="m.sql")
    lineage = folded.lineage

    def last(key: tuple[str, ...]) -> LineageEntry:
        return lineage[key][-1]

    member = last(("table", "app", "member"))
    assert (member.action, member.cause) == (Action.DROPPED, ("schema", "app"))
    for child in ("measure_2026", "plain"):
        dropped = last(("table", "public", child))
        assert (dropped.action, dropped.cause) == (Action.DROPPED, ("table", "public", "measure"))
    parent = ("table", "public", "measure")
    child_entries = lineage[("table", "public", "measure_2026")]
    taken = {(e.change, e.part.name if e.part else None): e.cause for e in child_entries
             if e.change in (Change.CLONED, Change.INHERITED, Change.INHERITED_FROM)}
    assert taken == {(Change.CLONED, "measure_2026_pkey"): parent,
                     (Change.INHERITED_FROM, "note"): parent}
    attached = [e for e in lineage[("index", "public", "plain_at")] if e.change is Change.ATTACHED]
    assert [e.cause for e in attached] == [("index", "public", "measure_at")]
    made = [e for e in lineage[("index", "public", "measure_2026_at_idx")]
            if e.change is Change.FOR_PARTITION]
    assert [e.cause for e in made] == [("index", "public", "measure_at")]
    assert "cause" in made[0].to_dict()

    dsn = pg_cluster.dsn(fresh_db())
    replay(dsn, [ReplayFile("m.sql", RECURSIVE)])
    with connect(dsn) as conn:
        left = {r[0] for r in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace IN "
            "('public'::regnamespace) AND relkind IN ('r', 'p', 'i', 'I')")}
        schemas = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace")}
    assert left == set() and "app" not in schemas
