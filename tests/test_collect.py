"""What keeps folding cheap without changing its answers (issue 16): the planner leaves no
reference cycle behind (the collector would have to find the whole fold result), the token
cache stays bounded and forgets its oldest texts first, and remembered answers are the answers.
Not timed: what is kept and what is freed is checked, not how long anything takes."""

from __future__ import annotations

import gc
import importlib

from schemafold import fold_sql
from schemafold.files import plan_files
from schemafold.fragment import fragment
from schemafold.layout import load_layout
from schemafold.order import names_in

tokens_module = importlib.import_module("schemafold.parse.tokens")

HISTORY = """
CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL CHECK (name <> ''));
CREATE TABLE child (id serial PRIMARY KEY, parent_id integer REFERENCES parent (id),
                    note text DEFAULT lower('X'));
CREATE INDEX child_parent ON child (parent_id);
ALTER TABLE child ADD COLUMN extra integer CHECK (extra > 0);
CREATE VIEW named AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
INSERT INTO parent (name) VALUES ('a'), ('b');
"""


def test_planning_leaves_no_reference_cycle() -> None:
    result = fold_sql(HISTORY)
    gc.collect()
    gc.disable()
    try:
        plan = plan_files(result, load_layout("single"))
        assert plan.files
        del plan, result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = {type(o).__qualname__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert "_Planner" not in left and "FoldResult" not in left, sorted(left)


def test_token_cache_is_bounded_and_forgets_the_oldest_first(monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(tokens_module, "_CACHE", {})
    monkeypatch.setattr(tokens_module, "_CACHE_ORDER", type(tokens_module._CACHE_ORDER)())
    monkeypatch.setattr(tokens_module, "_cached_chars", 0)
    monkeypatch.setattr(tokens_module, "_CACHE_ENTRIES", 3)
    texts = [f"SELECT {n}" for n in range(5)]
    fresh = [tokens_module.tokenize(text) for text in texts]
    assert list(tokens_module._CACHE) == texts[2:]
    assert list(tokens_module._CACHE_ORDER) == texts[2:]
    # a text read again after it was forgotten gives the same tokens
    again = tokens_module.tokenize(texts[0])
    assert [(t.token_type, t.text, t.start, t.end) for t in again] == [
        (t.token_type, t.text, t.start, t.end) for t in fresh[0]]
    assert len(tokens_module._CACHE) == 3


def test_names_in_reads_a_fragment_once() -> None:
    text = fragment("lower(app.users.name) || nextval('s') || t.c")
    assert text.names() is text.names()  # read once, kept on the fragment
    assert list(names_in(text)) == list(text.names())
    assert list(names_in(str(text))) == list(text.names())
    assert list(names_in("")) == [] and list(names_in(None)) == []
