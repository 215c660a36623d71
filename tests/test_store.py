"""The fold's object store keeps its name index right through every way a dict changes, and
through a transaction's deep copy; folding uses it to pick the names PostgreSQL picks."""

from __future__ import annotations

import copy

import attrs

from model_builders import col, constraint, q, w
from schemafold import fold_sql
from schemafold.fold.store import COLUMN_TYPE, ObjectStore
from schemafold.fold.uses import _type_matches
from schemafold.model import Table
from schemafold.names import QName

#: column types whose base names are among a, b and c (a row type, an array, a qualified
#: name, a quoted one), and some that are not
_COLUMN_TYPES = ("a", "b[]", "s.c", 'public."a"[]', "int", '"A"', "text", "c ARRAY")


def table(name: str, constraints: tuple[str, ...], not_nulls: tuple[str, ...] = ()) -> Table:
    columns = tuple(attrs.evolve(col(f"c{i}"), not_null_name=n) for i, n in enumerate(not_nulls))
    return Table(name=q(name), written=w(name), columns=columns,
                 constraints=tuple(constraint("check", c, expression="true")
                                   for c in constraints))


def test_counts_follow_set_replace_delete_pop_and_copies() -> None:
    store = ObjectStore([(("table", "public", "a"), table("a", ("a_x_check",), ("a_c0_nn",)))])
    assert store.constraint_name_used("public", "a_x_check")
    assert store.not_null_name_used("public", "a_c0_nn")
    assert not store.constraint_name_used("other", "a_x_check")
    store[("table", "public", "b")] = table("b", ("shared",))
    store[("table", "public", "a")] = table("a", ("shared",))  # replaced: a_x_check is gone
    assert not store.constraint_name_used("public", "a_x_check")
    assert not store.not_null_name_used("public", "a_c0_nn")
    snapshot = copy.deepcopy(store)
    del store[("table", "public", "b")]
    assert store.constraint_name_used("public", "shared")  # a still has it
    store.pop(("table", "public", "a"))
    assert not store.constraint_name_used("public", "shared")
    assert store.pop(("table", "public", "a"), None) is None
    # the snapshot a transaction would restore has its own, intact counts
    assert snapshot.constraint_name_used("public", "shared")
    snapshot.update({("table", "public", "c"): table("c", ("c_check",))})
    assert snapshot.constraint_name_used("public", "c_check")
    snapshot.clear()
    assert not snapshot.constraint_name_used("public", "shared")


def test_implicit_names_count_up_past_every_table_of_the_schema() -> None:
    result = fold_sql(
        "CREATE TABLE a (x int, CONSTRAINT b_x_check CHECK (x > 0));\n"
        "CREATE TABLE b (x int CHECK (x > 1));\n"
        "SAVEPOINT s;\nCREATE TABLE c (x int, CONSTRAINT c_x_check CHECK (x > 2));\n"
        "ROLLBACK TO SAVEPOINT s;\n"
        "CREATE TABLE c (x int CHECK (x > 3));\n"
    )
    names = {key[2]: [c.name for c in obj.constraints]
             for key, obj in result.schema.objects.items() if isinstance(obj, Table)}
    assert names == {"a": ["b_x_check"], "b": ["b_x_check1"], "c": ["c_x_check"]}


def test_of_type_and_on_table_follow_the_map_in_its_order() -> None:
    """Through random sets, replacements (also moving a trigger to another table, or a key to
    another type), deletes and copies, ``of_type``, ``on_table`` and the lookups by name
    answer what a pass over every object would, in the same order."""
    import random

    from model_builders import trigger
    from schemafold.model import Trigger, View

    draw = random.Random(5)
    store = ObjectStore()
    for step in range(3000):
        name = f"o{draw.randrange(40)}"
        key = ("x", draw.choice(["public", "s"]), name)
        choice = draw.random()
        if choice < 0.15 and key in store:
            del store[key]
        elif choice < 0.2:
            store = copy.deepcopy(store) if step % 2 else copy.copy(store)
        elif choice < 0.6:
            store[key] = trigger(name, draw.choice(["a", "b", "c"]), "f", timing="AFTER",
                                 events="INSERT")
        elif choice < 0.8:
            store[key] = attrs.evolve(
                table(name, ()), inherits=(q(draw.choice("abc")),) if draw.random() < 0.5 else (),
                constraints=(attrs.evolve(constraint("foreign key", f"{name}_fk"),
                                          target=q(draw.choice("abc"))),),
                columns=tuple(col(f"c{i}", draw.choice(_COLUMN_TYPES))
                              for i in range(draw.randrange(3))))
        else:
            store[key] = View(name=q(name), written=w(name), query="SELECT 1")
        for kind in (Table, Trigger, View):
            assert store.of_type(kind) == [(k, o) for k, o in store.items() if type(o) is kind]
        assert store.of_type(Table, View) == [(k, o) for k, o in store.items()
                                              if type(o) in (Table, View)]
        assert store.keys_of_kind("x") == list(store)
        assert store.keys_named("x", "public", "o1") == [
            k for k in store if k[1:] == ("public", "o1")]
        assert store.keys_called("x", "o1") == [k for k in store if k[2] == "o1"]
        assert store.any_called(("y", "x"), "o2") == any(k[2] == "o2" for k in store)
        assert not store.any_called(("y",), "o2")
        for on in "abc":
            assert store.related(("target", q(on)), ("inherits", q(on))) == [
                (k, o) for k, o in store.items() if isinstance(o, Table) and (
                    q(on) in o.inherits or any(c.target == q(on) for c in o.constraints))]
            assert store.related((COLUMN_TYPE, QName(None, on))) == [
                (k, o) for k, o in store.items() if isinstance(o, Table) and any(
                    _type_matches(c.column.type, QName(s, on), None)
                    for c in o.columns for s in ("public", "s"))]
            assert store.on_table(q(on), Trigger) == [
                (k, o) for k, o in store.items() if isinstance(o, Trigger) and o.table == q(on)]


def test_routines_spelling_answers_what_reading_every_routine_would() -> None:
    """Dropping or renaming a table or type asks which routines spell its name: the index of
    words offers every routine whose text spells it outside a dollar-quoted body (the
    identifiers' own test), in the map's order, through replacements and a deep copy; not one
    whose name only contains it (``t135`` in ``t1358_touch``) nor one that writes it only in
    its body's string."""
    from schemafold.model import Function

    texts = {
        "touch": "CREATE FUNCTION t1358_touch() RETURNS trigger LANGUAGE plpgsql AS $f$"
                 " BEGIN UPDATE t135 SET n = 1; RETURN NEW; END $f$",
        "row": "CREATE FUNCTION first_row() RETURNS T135 LANGUAGE sql AS $$ SELECT 1 $$",
        "standard": "CREATE FUNCTION n() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT count(*)"
                    " FROM t135; END",
        "quoted": "CREATE FUNCTION q() RETURNS int LANGUAGE sql AS 'SELECT 1 FROM t135'",
        "escaped": 'CREATE FUNCTION e() RETURNS U&"\\0074135" LANGUAGE sql AS $$ SELECT 1 $$',
        "spaced": 'CREATE FUNCTION s(x "t135 b") RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
    }
    bodies = {"touch": " BEGIN UPDATE t135 SET n = 1; RETURN NEW; END ", "row": " SELECT 1 ",
              "standard": "BEGIN ATOMIC SELECT count(*) FROM t135; END",
              "quoted": "SELECT 1 FROM t135", "escaped": " SELECT 1 ", "spaced": " SELECT 1 "}
    store = ObjectStore()
    for name, text in texts.items():
        store[("function", "public", name, ())] = Function(
            name=q(name), written=w(name), arg_types=(), text=text, language="sql",
            body=bodies[name])

    def offered(store: ObjectStore, name: str) -> list[str]:
        return [key[2] for key, _ in store.routines_spelling(name, name.casefold())]

    def spelling(store: ObjectStore, name: str) -> list[str]:
        return [key[2] for key, f in store.items() if isinstance(f, Function)
                and name in f.text.identifiers()]

    # "t135 b" has the word too: offered, and its identifiers then say no
    assert offered(store, "t135") == ["row", "standard", "quoted", "escaped", "spaced"]
    for name in ("t135", "T135", "t1358_touch", "first_row", "t135 b", "count"):
        assert set(spelling(store, name)) <= set(offered(store, name)), name
    assert offered(store, "t135 b") == ["escaped", "spaced"]  # read as may_spell reads
    assert offered(store, "touch") == ["escaped"]  # a part of a word; the escape may spell it
    store[("function", "public", "row", ())] = attrs.evolve(
        store[("function", "public", "row", ())], text=texts["row"].replace("T135", "int"))
    snapshot = copy.deepcopy(store)
    del store[("function", "public", "standard", ())]
    assert offered(store, "t135") == ["quoted", "escaped", "spaced"]
    assert offered(snapshot, "t135") == ["standard", "quoted", "escaped", "spaced"]
