"""The Fragment value: SQL text as written whose tokens and queries are read once, and the
events and model objects that carry fragments rather than plain text."""

from __future__ import annotations

import copy
import pickle

import attrs
from hypothesis import given
from hypothesis import strategies as st

from schemafold import events as ev
from schemafold.api import fold_sql
from schemafold.fragment import (
    KEEP_TOKENS_CHARS,
    Fragment,
    fragment,
    fragment_or_none,
    spelled_as_word,
)
from schemafold.model import Function, Table, View
from schemafold.names import QName
from schemafold.parse import parse_sql
from schemafold.parse.tokens import tokenize


def test_a_fragment_is_its_text() -> None:
    text = "lower(name) || 'x'"
    f = Fragment(text)
    assert f == text and hash(f) == hash(text) and repr(f) == repr(text) and str(f) == text
    assert f"{f}" == text and f + "!" == text + "!" and type(f + "!") is str
    assert {text: 1}[f] == 1


def test_tokens_are_read_once_and_kept() -> None:
    f = Fragment("a + b * 2")
    first = f.tokens
    assert [t.text for t in first] == [t.text for t in tokenize("a + b * 2")]
    assert f.tokens is first  # the same tuple: not read again


def test_a_long_text_leaves_its_tokens_to_the_bounded_cache() -> None:
    long = Fragment("SELECT " + ", ".join(f"c{i}" for i in range(KEEP_TOKENS_CHARS)))
    assert len(long.tokens) == 2 * KEEP_TOKENS_CHARS and "_tokens" not in long.__dict__
    assert long.calls() == () and len(long.names()) == KEEP_TOKENS_CHARS + 1  # answers kept


def test_fragment_returns_a_fragment_unchanged() -> None:
    f = Fragment("now()")
    assert fragment(f) is f
    assert type(fragment("now()")) is Fragment
    assert fragment(None) is None and fragment_or_none(None) is None


def test_names_calls_sequences_identifiers() -> None:
    f = Fragment("nextval('s.seq'::regclass) + public.f(t.a, \"Q\") + x.y.z")
    assert f.calls() == (QName(None, "nextval"), QName("public", "f"))
    assert (QName("t", "a"), False) in f.names() and (QName(None, "t"), False) in f.names()
    assert (QName("y", "z"), False) in f.names() and (QName("x", "y"), False) in f.names()
    assert f.sequences() == (QName("s", "seq"),)
    assert {"nextval", "public", "f", "t", "a", "Q", "x", "y", "z"} <= f.identifiers()
    assert "q" not in f.identifiers()  # a quoted name as written


def test_strings_and_dollar_bodies_are_not_names() -> None:
    assert Fragment("'tbl' || $$other$$").names() == ()


def test_unreadable_text_is_read_best_effort() -> None:
    f = Fragment("g(1) + 'unterminated")
    assert f.tokens_or_none() is None and not f.readable
    assert (QName(None, "g"), True) in f.names()


def test_derived_answers_are_computed_once() -> None:
    calls: list[str] = []

    def count_words(text: Fragment) -> int:
        calls.append(text)
        return len(text.tokens)

    f = Fragment("select 1, 2")
    assert f.derived(count_words) == 4 and f.derived(count_words) == 4
    assert calls == ["select 1, 2"]


def test_pickle_and_copy_keep_the_text_only() -> None:
    f = Fragment("a + 1")
    f.tokens  # noqa: B018
    for back in (pickle.loads(pickle.dumps(f)), copy.deepcopy(f), copy.copy(f)):
        assert back == f and type(back) is Fragment and not back.__dict__


def test_events_carry_fragments() -> None:
    events = parse_sql(
        "CREATE TABLE t (a int DEFAULT f(1) CHECK (a > 0), b int GENERATED ALWAYS AS (a * 2) "
        "STORED);\nCREATE INDEX i ON t ((lower(a::text))) WHERE a > 1;\n"
        "CREATE VIEW v AS SELECT a FROM t;\n").events
    table, index, view = (e for e in events if not isinstance(e, ev.SessionStatement))
    assert isinstance(table, ev.CreateTable) and isinstance(index, ev.CreateIndex)
    assert isinstance(view, ev.CreateView)
    a, b = table.columns
    assert type(a.default) is Fragment and type(b.generated) is Fragment
    assert type(a.constraints[0].expression) is Fragment
    assert type(index.where) is Fragment and type(index.elements[0].expression) is Fragment
    assert type(view.query) is Fragment and type(view.origin.text) is Fragment
    # a changed copy is a fragment too (attrs converters)
    assert type(attrs.evolve(a, default="g(2)").default) is Fragment


def test_the_model_carries_fragments() -> None:
    result = fold_sql(
        "CREATE TABLE t (a int DEFAULT 1);\nCREATE VIEW v AS SELECT a FROM t;\n"
        "ALTER TABLE t RENAME COLUMN a TO b;\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;\n")
    objects = result.schema.objects
    table, view = objects[("table", "public", "t")], objects[("view", "public", "v")]
    function = objects[("function", "public", "f", ())]
    assert isinstance(table, Table) and isinstance(view, View) and isinstance(function, Function)
    assert type(table.columns[0].column.default) is Fragment
    assert type(view.query) is Fragment and view.query == "SELECT b AS a FROM t"  # renamed
    assert type(function.text) is Fragment and type(function.body) is Fragment


def test_may_spell_never_misses_a_name_the_text_spells() -> None:
    """``may_spell`` is the quick test before ``identifiers()`` (dropping a table or type asks
    every routine whether it spells the name): it may say yes wrongly, never no."""
    texts = [
        'CREATE FUNCTION F(a "Mood", b ſelect) RETURNS Widget LANGUAGE sql RETURN 1',
        'SELECT "we""ird", U&"\\0066oo", ÉTÉ, ' + "x" * 70 + ", Straße FROM t",
        "CREATE TYPE Ǆemo AS ENUM ('a')",
    ]
    for text in texts:
        f = Fragment(text)
        assert f.identifiers()
        assert all(f.may_spell(name) for name in f.identifiers()), text
        assert all(_words_find(f, name) for name in f.identifiers()), text
    assert not Fragment("CREATE FUNCTION f() RETURNS int RETURN 1").may_spell("widget")


def _words_find(f: Fragment, name: str) -> bool:
    """Whether the store's index of words (``ObjectStore.routines_spelling``) would offer
    ``f`` for ``name``: by its words where the name is one, else by ``may_spell``."""
    folded = name.casefold()
    if not spelled_as_word(folded):
        return f.may_spell(name, folded)
    return f.words is None or folded in f.words


def test_words_hold_every_name_spelled_and_not_its_parts() -> None:
    """A routine is found by the words of its text: a name that is a part of a longer word
    (``t135`` in ``t1358_touch``) is not one of them, while every name the text spells is,
    whatever the tokenizer makes of ``$``, digits first, or letters outside ASCII."""
    f = Fragment("CREATE FUNCTION t1358_touch() RETURNS trigger LANGUAGE plpgsql AS $$ $$")
    assert "t1358_touch" in f.words and "t135" not in f.words and "touch" not in f.words
    g = Fragment("SELECT a$b, 1abc, caf\u00e9, \"Mixed\", Stra\u00dfe, foo$$x$$ FROM t")
    assert {"a$b", "a", "b", "abc", "café", "mixed", "strasse", "foo$$x$$"} <= g.words
    assert all(_words_find(g, name) for name in g.identifiers())
    assert Fragment('SELECT U&"\\0066oo"').words is None  # an escape may spell any name
    long = "x" * 70
    assert not spelled_as_word(long[:63]) and spelled_as_word(long[:62])
    assert not spelled_as_word("a b") and not spelled_as_word("1a")


@given(st.lists(st.tuples(st.text(alphabet="aBzZ_$ſß1 &é", min_size=1, max_size=70),
                          st.booleans()), min_size=1, max_size=6))
def test_words_never_miss_a_name_the_text_spells(words: list[tuple[str, bool]]) -> None:
    written = ", ".join('"' + w.replace('"', '""') + '"' if quoted else "w" + w
                        for w, quoted in words)
    f = Fragment(f"SELECT {written}")
    if not f.readable:
        return
    assert all(_words_find(f, name) for name in f.identifiers())


@given(st.lists(st.tuples(st.text(alphabet="aBzZ_ſßÉéǄ1ıİ", min_size=1, max_size=70),
                          st.booleans()), min_size=1, max_size=6))
def test_may_spell_agrees_with_identifiers(words: list[tuple[str, bool]]) -> None:
    written = ", ".join('"' + w.replace('"', '""') + '"' if quoted else "w" + w
                        for w, quoted in words)
    f = Fragment(f"SELECT {written}")
    assert all(f.may_spell(name) for name in f.identifiers())
