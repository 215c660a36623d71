"""The fold's object store keeps its name index right through every way a dict changes, and
through a transaction's deep copy; folding uses it to pick the names PostgreSQL picks."""

from __future__ import annotations

import copy

import attrs

from model_builders import col, constraint, q, w
from schemafold import fold_sql
from schemafold.fold.store import ObjectStore
from schemafold.model import Table


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
