"""``schemafold report``: judged against examples/attune/expected-findings.json, the findings
written by hand from the Attune facts before any report code existed. Every expected finding
must be in the report, at the same places (a report names the statement; the oracle sometimes
names a line inside it, such as a column of a CREATE TABLE: that line must fall within the
statement the report names)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cli_run import run_cli
from schemafold import fold, fold_sql
from schemafold.files import plan_files
from schemafold.layout import load_layout
from schemafold.report import Report, build_report
from schemafold.sources import History, Migration, read_history

ATTUNE = Path(__file__).resolve().parents[1] / "examples" / "attune"
EXPECTED = json.loads((ATTUNE / "expected-findings.json").read_text())
OPTIONS = ["--setup", str(ATTUNE / "setup.sql"), "--search-path", "attune,public",
           "--layout", str(ATTUNE / "layout.toml")]


@cache
def attune() -> tuple[Report, dict[str, tuple[int, int]]]:
    """The report, and each statement's line span by ``file:line``."""
    history = read_history(ATTUNE / "migrations")
    result = fold(history, setup=[ATTUNE / "setup.sql"], search_path=["attune", "public"])
    plan = plan_files(result, load_layout(str(ATTUNE / "layout.toml")), history.migrations)
    spans = {e.where(): (e.line, e.line + e.text.count("\n")) for e in result.ledger}
    return build_report(history, result, plan, source=str(ATTUNE / "migrations")), spans


def same_place(reported: str | None, expected: str) -> bool:
    """``reported`` names the statement that holds ``expected``'s line."""
    if reported is None:
        return False
    spans = attune()[1]
    file, _, line = expected.rpartition(":")
    if reported == expected:
        return True
    if not reported.startswith(file + ":") or reported not in spans:
        return False
    first, last = spans[reported]
    return first <= int(line) <= last


def normal(name: str) -> str:
    """An object's name without the schema (the oracle leaves it out) and with the types
    spelled one way."""
    name = name.replace("attune.", "").replace("character varying", "varchar")
    return re.sub(r"\s+\(.*\)$", "", name) if name.startswith("rows ") else name


def findings(section: str) -> list[dict[str, Any]]:
    return [f.to_dict() for f in attune()[0].sections[section]]


def matching(section: str, expected: dict[str, Any], roles: tuple[str, ...]) -> list[dict]:
    return [f for f in findings(section) if normal(f["object"]) == normal(expected["object"])
            and all(same_place(f.get(role), expected[role]) for role in roles
                    if role in expected)]


@pytest.mark.parametrize("expected", EXPECTED["created_then_dropped"],
                         ids=lambda e: e["object"])
def test_created_then_dropped(expected: dict[str, Any]) -> None:
    found = matching("created_then_dropped", expected, ("created", "dropped"))
    assert len(found) == 1, (expected, [f for f in findings("created_then_dropped")
                                        if normal(f["object"]) == normal(expected["object"])])
    if "via" in expected:
        assert normal(found[0]["via"]) == expected["via"]
    reported_with = {normal(w) for w in found[0].get("with", [])}
    objects = [w for w in expected.get("with", []) if not w[0].isdigit()]  # "2 grants to ..."
    assert {normal(w) for w in objects} <= reported_with


def test_nothing_else_was_created_then_dropped() -> None:
    expected = {normal(e["object"]) for e in EXPECTED["created_then_dropped"]}
    assert {normal(f["object"]) for f in findings("created_then_dropped")} == expected


@pytest.mark.parametrize("expected", EXPECTED["added_later"], ids=lambda e: e["object"])
def test_added_later(expected: dict[str, Any]) -> None:
    assert len(matching("added_later", expected, ("table_created", "added"))) == 1


@pytest.mark.parametrize("expected", EXPECTED["changed"], ids=lambda e: e["object"])
def test_changed_step_by_step(expected: dict[str, Any]) -> None:
    found = [f for f in findings("changed") if normal(f["object"]) == normal(expected["object"])]
    assert len(found) == 1, expected
    steps = found[0]["steps"]
    assert len(steps) == len(expected["steps"])
    assert all(same_place(r, e) for r, e in zip(steps, expected["steps"], strict=True))
    assert same_place(found[0]["final"], expected["final"])


@pytest.mark.parametrize("expected", EXPECTED["wiped"], ids=lambda e: e["object"])
def test_wiped_rows(expected: dict[str, Any]) -> None:
    assert len(matching("wiped", expected, ("inserted", "wiped"))) == 1


@pytest.mark.parametrize("expected", EXPECTED["no_ops_on_a_fresh_database"],
                         ids=lambda e: f"{e['object']} {e['at']}")
def test_no_effect(expected: dict[str, Any]) -> None:
    """A statement without effect is reported as such, or — where the fold could not prove it
    (the rows it looks for were inserted by statements it cannot evaluate) — as a barrier,
    never silently."""
    places = {f["at"] for f in findings("no_effect")}
    kept = {f["at"] for f in findings("barriers") + findings("kept_verbatim")}
    assert expected["at"] in places or expected["at"] in kept


def test_counts_agree_with_the_oracle() -> None:
    counts = {c.what: (c.history, c.consolidation) for c in attune()[0].counts}
    oracle = EXPECTED["counts"]
    assert counts["migration files"] == (oracle["files"], 13)
    assert counts["versions"][0] == oracle["versions"]
    assert counts["statements"][0] == oracle["statements"]
    assert counts["tables"] == (oracle["tables_created"], oracle["tables_at_end"])
    assert counts["types"] == (oracle["enums_created"], oracle["enums_at_end"])
    assert counts["functions"] == (oracle["functions_created"], oracle["functions_at_end"])
    assert counts["views"] == (oracle["views_created"], oracle["views_at_end"])
    assert counts["triggers"][1] == oracle["triggers_at_end"]
    assert counts["columns"][1] == oracle["columns_at_end"]
    assert counts["rows at the end"][1] == oracle["runtime_rows_at_end"]


def test_the_command_writes_markdown_and_json(tmp_path: Path) -> None:
    markdown = run_cli("report", str(ATTUNE / "migrations"), *OPTIONS)
    assert markdown.returncode == 0, markdown.stderr
    text = markdown.stdout
    assert text.startswith("# Consolidation report: ")
    for _, title in (("", "Created, then dropped (24)"), ("", "Rows wiped"),
                     ("", "The consolidation")):
        assert f"## {title}" in text
    assert "| 13. notify_triggers |" in text
    as_json = json.loads(run_cli("report", str(ATTUNE / "migrations"), *OPTIONS,
                                 "--format", "json").stdout)
    assert as_json == json.loads(json.dumps(attune()[0].to_dict()))  # same content both ways
    assert run_cli("report", str(ATTUNE / "migrations"), *OPTIONS).stdout == text  # stable


def test_a_small_history() -> None:
    sql = ("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int);\n"
           "ALTER TABLE a ADD COLUMN note text;\nCREATE INDEX a_note ON a (note);\n"
           "DROP INDEX a_note;\nINSERT INTO b VALUES (1);\nDELETE FROM b;\n"
           "DROP TABLE IF EXISTS nothing;\n")
    result = fold_sql(sql, file="m.sql")
    history = History((Migration("1", "m", "m.sql", sql),), "plain")
    plan = plan_files(result, load_layout("single"), history.migrations)
    report = build_report(history, result, plan)
    sections = {name: [f.to_dict() for f in found] for name, found in report.sections.items()}
    assert sections["created_then_dropped"] == [
        {"object": "index public.a_note", "created": "m.sql:4", "dropped": "m.sql:5",
         "kind": "index", "key": ["index", "public", "a_note"]}]
    assert sections["added_later"] == [{"object": "column public.a.note",
                                        "table_created": "m.sql:1", "added": "m.sql:3",
                                        "kind": "column",
                                        "key": ["column", "public", "a", "note"]}]
    assert sections["wiped"] == [{"object": "rows b", "inserted": "m.sql:6",
                                  "wiped": "m.sql:7"}]
    assert [f["at"] for f in sections["no_effect"]] == ["m.sql:8"]


def test_committed_report_is_what_the_readme_command_writes() -> None:
    """examples/attune/REPORT.md is the output of the command the example's README shows, run
    from the repository root, byte for byte."""
    readme = (ATTUNE / "README.md").read_text()
    section = readme[readme.index("## The report"):readme.index("## Where the seed")]
    command = re.search(r"```sh\n(.*?)```", section, re.S)
    assert command is not None
    argv = command.group(1).replace("\\\n", " ").split()
    assert argv[:2] == ["schemafold", "report"]
    done = run_cli(*argv[1:], cwd=ATTUNE.parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ATTUNE / "REPORT.md").read_text()
    stated = {name.split(" (")[0]: number
              for name, number in re.findall(r"^\| ([^|]+?) \| (\d+)", section, re.M)}
    sizes = {name: len(found) for name, found in attune()[0].sections.items()}
    assert int(stated["created, then dropped"]) == sizes["created_then_dropped"]
    assert int(stated["added later"]) == sizes["added_later"]
    assert int(stated["changed"]) == sizes["changed"]
    assert int(stated["rows wiped"]) == sizes["wiped"]
    assert int(stated["statements without effect on a fresh database"]) == sizes["no_effect"]
