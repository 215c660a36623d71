"""``schemafold graph``: entity-relationship diagrams of the net schema in Mermaid and Graphviz
notation — the tables the history leaves, their columns' final types and keys, and the foreign
keys between them, in a stable order."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from cli_run import run_cli
from schemafold import fold_sql
from schemafold.diagram import dot, entities_and_relationships, mermaid

HISTORY = """
CREATE TABLE team (id serial PRIMARY KEY, name text UNIQUE NOT NULL);
CREATE TABLE person (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                     team_id int NOT NULL REFERENCES team (id), mentor bigint,
                     salary numeric(10, 2), "odd <name>" text);
ALTER TABLE person ADD CONSTRAINT person_mentor_fkey FOREIGN KEY (mentor) REFERENCES person (id);
ALTER TABLE person ALTER COLUMN team_id TYPE bigint;
CREATE TABLE gone (id int REFERENCES team (id));
DROP TABLE gone;
CREATE TABLE log (at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE log_2026 PARTITION OF log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
"""


def test_what_the_diagram_shows() -> None:
    entities, relationships = entities_and_relationships(fold_sql(HISTORY).schema)
    assert [e.name for e in entities] == ["log", "person", "team"]  # no partition, no dropped
    person = dict((name, (type_, keys)) for name, type_, keys in entities[1].columns)
    assert person["team_id"] == ("bigint", ("FK",))  # the final type
    assert person["id"] == ("bigint", ("PK",))
    assert person["salary"] == ("numeric(10, 2)", ())
    assert dict((n, k) for n, _, k in entities[2].columns) == {"id": ("PK",), "name": ("UK",)}
    assert [(r.child, r.parent, r.label, r.optional) for r in relationships] == [
        ("person", "person", "person_mentor_fkey", True),
        ("person", "team", "person_team_id_fkey", False),
    ]


def test_mermaid() -> None:
    text = mermaid(fold_sql(HISTORY).schema)
    assert text.startswith("erDiagram\n")
    assert "    team {\n        serial id PK\n        text name UK\n    }" in text
    assert '    person }o--|| team : "person_team_id_fkey"' in text
    assert '    person }o--o| person : "person_mentor_fkey"' in text
    # Mermaid's words: no spaces, commas or angle brackets inside a type or a name
    for line in text.splitlines():
        if line.startswith("        "):
            type_, name, *marks = line.split()
            assert re.fullmatch(r"[A-Za-z_][\w\-()\[\]]*", type_), line
            assert re.fullmatch(r"[A-Za-z_][\w\-()\[\]]*", name), line
    assert "text odd__name_" in text


def test_dot_is_well_formed() -> None:
    text = dot(fold_sql(HISTORY).schema)
    assert text.startswith("digraph schema {") and text.endswith("}\n")
    labels = re.findall(r"label=<(.*?)>\];", text)
    assert len(labels) == 3
    for label in labels:  # each HTML-like label is well-formed XML
        ElementTree.fromstring(label)
    assert "odd &lt;name&gt;" in text
    assert '"person" -> "team" [label="person_team_id_fkey"];' in text
    assert '"person" -> "person" [label="person_mentor_fkey", style="dashed"];' in text


def test_graph_command_and_determinism(tmp_path: Path) -> None:
    source = tmp_path / "migrations"
    source.mkdir()
    (source / "0001_init.sql").write_text(HISTORY)
    first = run_cli("graph", str(source))
    assert first.returncode == 0, first.stderr
    assert first.stdout == mermaid(fold_sql(HISTORY).schema)
    assert run_cli("graph", str(source)).stdout == first.stdout
    as_dot = run_cli("graph", str(source), "--format", "dot")
    assert as_dot.returncode == 0 and as_dot.stdout.startswith("digraph")
