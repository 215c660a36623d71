"""``ALTER TYPE ... RENAME VALUE``: PostgreSQL stores an enum constant as the label's OID, so
every expression that reads the label as the enum — a CHECK, a default, a generated column, an
index predicate, a view — prints the new label afterwards. The fold rewrites those literals
(and no text literal that only reads the same), and the squash equals the history."""

from __future__ import annotations

import pytest

from replay_helpers import replay_both, texts
from schemafold import fold_sql
from schemafold.model import Index, Table, View
from schemafold.render.postgres import render_schema
from schemafold.rewrite import rename_label
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import ReplayFile

FIRST = """\
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE person (
    id serial PRIMARY KEY,
    feeling mood DEFAULT 'sad'::mood CHECK (feeling <> 'sad' OR id > 0),
    note text DEFAULT 'sad' CHECK (note <> 'sad'),
    glum boolean GENERATED ALWAYS AS (feeling = 'sad') STORED
);
CREATE INDEX person_sad ON person (id) WHERE feeling IN ('sad', 'ok');
CREATE VIEW sad_people AS SELECT id, note FROM person WHERE feeling = 'sad' AND note = 'sad';
INSERT INTO person (feeling, note) VALUES ('happy', 'fine'), (('sad')::mood, 'meh');
"""
SECOND = "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';\n"


def test_the_fold_renames_what_reads_the_label_as_the_enum() -> None:
    schema = fold_sql(FIRST + SECOND).schema
    table = schema.objects[("table", "public", "person")]
    assert isinstance(table, Table)
    feeling, note, glum = (table.column(n) for n in ("feeling", "note", "glum"))
    assert feeling is not None and feeling.column.default == "'blue'::mood"
    assert note is not None and note.column.default == "'sad'"  # text: untouched
    assert glum is not None and glum.column.generated is not None
    assert "'blue'" in glum.column.generated
    checks = sorted(c.constraint.expression or "" for c in table.constraints
                    if c.constraint.kind == "check")
    assert checks == ["feeling <> 'blue' OR id > 0", "note <> 'sad'"]
    index = schema.objects[("index", "public", "person_sad")]
    assert isinstance(index, Index) and index.where == "feeling IN ('blue', 'ok')"
    view = schema.objects[("view", "public", "sad_people")]
    assert isinstance(view, View)
    assert "feeling = 'blue' AND note = 'sad'" in view.query
    rows = [dict(r.values) for r in schema.rows[("table", "public", "person")]]
    assert [(r["feeling"], r["note"]) for r in rows] == [("'happy'", "'fine'"),
                                                         ("'blue'", "'meh'")]


@pytest.mark.parametrize("text, expected", [
    ("c <> 'sad'", "c <> 'blue'"),
    ("'sad' = c", "'blue' = c"),
    ("t.c NOT IN ('ok', 'sad')", "t.c NOT IN ('ok', 'blue')"),
    ("('sad')::public.mood", "('blue')::public.mood"),
    ("c::text = 'sad'", "c::text = 'sad'"),  # compared as text
    ("other = 'sad'", "other = 'sad'"),
    ("lower('sad')", "lower('sad')"),
])
def test_which_literals_follow(text: str, expected: str) -> None:
    assert rename_label(text, "sad", "blue", frozenset({"mood"}), frozenset({"c"})) == expected


def test_a_label_with_a_quote_follows() -> None:
    assert rename_label("c = 'it''s'", "it's", "ok", frozenset({"mood"}),
                        frozenset({"c"})) == "c = 'ok'"


def test_the_squash_equals_the_history(clusters: tuple[Cluster, Cluster]) -> None:
    history = [ReplayFile("0001_first.sql", FIRST), ReplayFile("0002_second.sql", SECOND)]
    rendered = render_schema(fold_sql(FIRST + SECOND).schema)
    comparison = replay_both(clusters, history, texts([("0001_schema.sql", rendered)]))
    assert comparison.equal, comparison.text()
