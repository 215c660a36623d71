"""The dependency graph and the order objects are created in (schemafold.order), and the
consolidation split into the files of a layout (schemafold.files): moved parts and why, foreign
key cycles under every layout, statements outside a transaction; each file plan is replayed on a
real PostgreSQL and compared with the history under the equality contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from model_builders import col, constraint, make, q, table, w
from model_builders import trigger as make_trigger
from schemafold import fold
from schemafold.digraph import DiGraph, lexicographical_topological_sort
from schemafold.errors import InputError
from schemafold.events import Column, IndexElement
from schemafold.files import FilePlan, plan_files
from schemafold.layout import BUILT_IN, BY_ORIGIN, Layout, load_layout, parse_layout
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    Key,
    Policy,
    RangeType,
    Role,
    Schema,
    SchemaObj,
    SchemaObject,
    Sequence,
    Table,
    TableConstraint,
    View,
)
from schemafold.names import QName
from schemafold.order import build_graph, fk_node, names_in, order, type_name
from schemafold.parse.splitter import split_sql
from schemafold.render.postgres import PREAMBLE
from schemafold.sources import read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import Comparison, compare_databases
from schemafold.verify.replay import ReplayFile, replay

SRC = Path(__file__).resolve().parents[1] / "src"


# ---------------------------------------------------------------------------------------------
# Building schemas by hand


def check(name: str, expression: str) -> TableConstraint:
    return constraint("check", name, expression=expression)


def fk(name: str, columns: tuple[str, ...], target: str, **kwargs: object) -> TableConstraint:
    return constraint("foreign key", name, columns=columns, references=w(target),
                      ref_columns=("id",), target=q(target), **kwargs)


def view(name: str, query: str, **kwargs: object) -> View:
    return View(name=q(name), written=w(name), query=query, **kwargs)  # type: ignore[arg-type]


def function(name: str, *args: str, text: str = "", **kwargs: object) -> Function:
    text = text or f"CREATE FUNCTION {name}() RETURNS integer LANGUAGE sql AS 'SELECT 1'"
    return Function(name=q(name), written=w(name), arg_types=args, text=text, **kwargs)  # type: ignore[arg-type]


def enum(name: str, *labels: str, created: int = 0) -> EnumType:
    return EnumType(name=q(name), written=w(name), labels=labels or ("a",), created=created)


def T(name: str, schema: str = "public") -> Key:
    return ("table", schema, name)


def edges(schema: Schema) -> set[tuple[Key, Key]]:
    return set(build_graph(schema).edges)


def before(schema: Schema, first: Key, then: Key) -> bool:
    keys = order(schema)
    return keys.index(first) < keys.index(then)


# ---------------------------------------------------------------------------------------------
# Finding names


def test_names_in_finds_qualified_names_and_calls() -> None:
    found = list(names_in("app.f(x) + lower(\"Name\") > 'skip(me)' AND t.c"))
    assert (QName("app", "f"), True) in found
    assert (QName(None, "lower"), True) in found
    assert (QName(None, "Name"), False) in found
    assert (QName("t", "c"), False) in found
    assert (QName(None, "t"), False) in found
    assert all(name.name != "skip" for name, _ in found)


def test_type_name_strips_typmods_and_arrays() -> None:
    assert type_name("public.mood[]") == QName("public", "mood")
    assert type_name('"My Type"[][]') == QName(None, "My Type")
    assert type_name("varchar(20)") == QName(None, "varchar")
    assert type_name("numeric(10, 2) ARRAY") == QName(None, "numeric")
    assert type_name("double precision") is None
    assert type_name("timestamp(3) with time zone") is None


# ---------------------------------------------------------------------------------------------
# Edges, one kind at a time


def test_table_after_the_types_of_its_columns() -> None:
    schema = make(
        enum("mood"),
        EnumType(name=q("mood", "app"), written=q("mood", "app"), labels=("x",)),
        Domain(name=q("email"), written=w("email"), base_type="text"),
        table("t", col("m", "mood"), col("e", "email[]"), col("v", "varchar(20)")),
        table("u", col("m", "app.mood")),
        table("x", col("m", "mood"), schema="app"),
    )
    found = edges(schema)
    assert (("type", "public", "mood"), T("t")) in found
    assert (("type", "public", "email"), T("t")) in found
    # Qualified names resolve in their schema; unqualified ones in the table's own first.
    assert (("type", "app", "mood"), T("u")) in found
    assert (("type", "public", "mood"), T("u")) not in found
    assert (("type", "app", "mood"), T("x", "app")) in found
    assert (("type", "public", "mood"), T("x", "app")) not in found


def test_types_after_the_types_they_use() -> None:
    schema = make(
        enum("mood"),
        Domain(name=q("happy"), written=w("happy"), base_type="mood"),
        CompositeType(
            name=q("pair"),
            written=w("pair"),
            attributes=(Column(name="a", type="happy"), Column(name="b", type="text")),
        ),
        RangeType(
            name=q("moodrange"),
            written=w("moodrange"),
            subtype="mood",
            options="(subtype = mood, subtype_diff = mood_diff)",
        ),
        function("mood_diff", "mood", "mood"),
    )
    found = edges(schema)
    assert (("type", "public", "mood"), ("type", "public", "happy")) in found
    assert (("type", "public", "happy"), ("type", "public", "pair")) in found
    assert (("type", "public", "mood"), ("type", "public", "moodrange")) in found
    mood_diff = ("function", "public", "mood_diff", ("mood", "mood"))
    assert (mood_diff, ("type", "public", "moodrange")) in found
    assert (("type", "public", "mood"), mood_diff) in found


def test_sequences_before_the_tables_whose_defaults_use_them() -> None:
    schema = make(
        Sequence(name=q("invoice_no"), written=w("invoice_no")),
        table("invoices", col("no", default="nextval('public.invoice_no'::regclass)")),
    )
    assert (("sequence", "public", "invoice_no"), T("invoices")) in edges(schema)


def test_implicit_and_identity_sequences_after_their_table() -> None:
    serial = Sequence(
        name=q("t_id_seq"), written=w("t_id_seq"), implicit=True, owned_by=(q("t"), "id")
    )
    identity = Sequence(
        name=q("t_n_seq"), written=w("t_n_seq"), identity=True, owned_by=(q("t"), "n")
    )
    schema = make(
        serial,
        identity,
        table(
            "t",
            col("id", "serial", not_null=True, serial_sequence=w("t_id_seq")),
            col("n", "bigint", identity="ALWAYS", not_null=True),
        ),
    )
    found = edges(schema)
    assert (T("t"), serial.key()) in found
    assert (T("t"), identity.key()) in found
    assert (serial.key(), T("t")) not in found
    order(schema)  # no cycle


def test_functions_called_by_defaults_checks_and_generated_columns() -> None:
    schema = make(
        function("next_code"),
        function("is_valid", "text"),
        function("double_it", "integer"),
        table(
            "t",
            col("code", "text", default="next_code()"),
            col("n"),
            col("n2", generated="double_it(n)"),
            constraints=(check("t_code_check", "public.is_valid(code)"),),
        ),
    )
    found = edges(schema)
    assert (("function", "public", "next_code", ()), T("t")) in found
    assert (("function", "public", "is_valid", ("text",)), T("t")) in found
    assert (("function", "public", "double_it", ("integer",)), T("t")) in found


def test_foreign_keys_are_nodes_after_both_tables() -> None:
    schema = make(
        table("a", col("id")),
        table("b", col("id"), col("a_id"), constraints=(fk("b_a_id_fkey", ("a_id",), "a"),)),
    )
    graph = build_graph(schema)
    node = fk_node(T("b"), "b_a_id_fkey")
    assert set(graph.predecessors(node)) == {T("a"), T("b")}
    assert (T("a"), T("b")) not in graph.edges
    assert node not in order(schema)


def test_foreign_key_after_a_unique_index_it_may_rest_on() -> None:
    index = Index(
        name=q("a_code_key"),
        table=q("a"),
        table_written=w("a"),
        elements=(IndexElement(column="code"),),
        unique=True,
    )
    schema = make(
        table("a", col("code")),
        index,
        table("b", col("a_code"), constraints=(fk("b_fk", ("a_code",), "a"),)),
    )
    assert (index.key(), fk_node(T("b"), "b_fk")) in edges(schema)


def test_index_after_its_table_and_the_functions_it_calls() -> None:
    index = Index(
        name=q("t_norm_idx"),
        table=q("t"),
        table_written=w("t"),
        elements=(IndexElement(expression="norm(name)"),),
        where="active(flag)",
    )
    schema = make(
        table("t", col("name", "text"), col("flag", "boolean")),
        function("norm", "text"),
        function("active", "boolean"),
        index,
    )
    found = edges(schema)
    assert (T("t"), index.key()) in found
    assert (("function", "public", "norm", ("text",)), index.key()) in found
    assert (("function", "public", "active", ("boolean",)), index.key()) in found


def test_index_on_a_materialized_view() -> None:
    mv = view("totals", "SELECT 1 AS n", materialized=True)
    index = Index(
        name=q("totals_n_idx"),
        table=q("totals"),
        table_written=w("totals"),
        elements=(IndexElement(column="n"),),
    )
    assert (mv.key(), index.key()) in edges(make(mv, index))


def test_view_after_the_relations_and_functions_its_query_names() -> None:
    schema = make(
        table("books", col("id"), col("author_id")),
        table("authors", col("id"), col("name", "text"), schema="lib"),
        function("fmt", "text"),
        view(
            "book_authors",
            "SELECT b.id, fmt(a.name) FROM books b JOIN lib.authors a ON a.id = b.author_id",
        ),
        view("top", "SELECT * FROM book_authors LIMIT 1"),
        Sequence(name=q("ticket"), written=w("ticket")),
        view("next_ticket", "SELECT nextval('ticket') AS n"),
    )
    found = edges(schema)
    ba = ("view", "public", "book_authors")
    assert (T("books"), ba) in found
    assert (T("authors", "lib"), ba) in found
    assert (("function", "public", "fmt", ("text",)), ba) in found
    assert (ba, ("view", "public", "top")) in found
    assert (("sequence", "public", "ticket"), ("view", "public", "next_ticket")) in found
    keys = order(schema)
    assert keys.index(T("books")) < keys.index(ba) < keys.index(("view", "public", "top"))


def test_trigger_after_table_and_function() -> None:
    trigger = make_trigger("t_touch", "t", "touch", timing="BEFORE", events="UPDATE",
                           for_each_row=True)
    schema = make(trigger, function("touch", returns_trigger=True), table("t", col("id")))
    found = edges(schema)
    assert (T("t"), trigger.key()) in found
    assert (("function", "public", "touch", ()), trigger.key()) in found


def test_constraint_trigger_after_the_table_its_from_clause_names() -> None:
    trigger = make_trigger("t_check", "t", "check_ref", timing="AFTER", events="INSERT",
                           for_each_row=True, constraint=True, from_table=w("parent"))
    schema = make(trigger, function("check_ref", returns_trigger=True), table("t", col("id")),
                  table("parent", col("id")))
    assert (T("parent"), trigger.key()) in edges(schema)


def test_policy_after_table_and_functions_and_relations_in_its_expressions() -> None:
    policy = Policy(
        name="mine",
        table=q("t"),
        table_written=w("t"),
        using="owner = current_owner() AND org IN (SELECT org FROM members)",
    )
    schema = make(policy, table("t", col("owner")), table("members"), function("current_owner"))
    found = edges(schema)
    assert (T("t"), policy.key()) in found
    assert (T("members"), policy.key()) in found
    assert (("function", "public", "current_owner", ()), policy.key()) in found


def test_function_after_the_types_of_its_signature() -> None:
    returns_setof = function(
        "all_books",
        "mood",
        text="CREATE FUNCTION all_books(m mood) RETURNS SETOF books LANGUAGE sql AS $$ x $$",
    )
    returns_table = function(
        "pairs",
        text="CREATE FUNCTION pairs() RETURNS TABLE (a integer, p public.pair) AS $$ x $$",
    )
    pair = CompositeType(name=q("pair"), written=w("pair"), attributes=())
    schema = make(enum("mood"), table("books", col("id")), pair, returns_setof, returns_table)
    found = edges(schema)
    assert (("type", "public", "mood"), returns_setof.key()) in found
    assert (T("books"), returns_setof.key()) in found
    assert (pair.key(), returns_table.key()) in found


def test_begin_atomic_function_after_the_tables_it_reads() -> None:
    atomic = function(
        "count_books",
        text="CREATE FUNCTION count_books() RETURNS bigint LANGUAGE sql "
        "BEGIN ATOMIC SELECT count(*) FROM books; END",
    )
    quoted = function(
        "count_quoted",
        text="CREATE FUNCTION count_quoted() RETURNS bigint LANGUAGE sql "
        "AS 'SELECT count(*) FROM books'",
    )
    schema = make(table("books"), atomic, quoted)
    found = edges(schema)
    assert (T("books"), atomic.key()) in found
    assert (T("books"), quoted.key()) not in found  # bodies in strings are not checked


def test_partitions_and_inheritance_after_parents() -> None:
    schema = make(
        table("events", col("at", "date"), partition_by="RANGE (at)"),
        table(
            "events_2024",
            partition_of=q("events"),
            partition_of_written=w("events"),
            partition_bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        ),
        table("base", col("id")),
        table("child", col("id"), inherits=(q("base"),)),
    )
    found = edges(schema)
    assert (T("events"), T("events_2024")) in found
    assert (T("base"), T("child")) in found


def test_schema_extension_and_role_before_what_uses_them() -> None:
    schema = make(
        Role(name="owner", statements=("CREATE ROLE owner",), created=9),
        SchemaObj(name="app", created=5),
        Extension(name="citext", schema="app", created=7),
        Table(
            name=q("t", "app"),
            written=q("t", "app"),
            columns=(col("c", "app.citext"),),
            owner="owner",
            created=1,
        ),
    )
    found = edges(schema)
    assert (("schema", "app"), T("t", "app")) in found
    assert (("schema", "app"), ("extension", "citext")) in found
    assert (("extension", "citext"), T("t", "app")) in found
    assert (("role", "owner"), T("t", "app")) in found
    assert order(schema)[-1] == T("t", "app")


# ---------------------------------------------------------------------------------------------
# Cycles


def test_returns_trigger_is_the_pseudo_type_not_a_table_named_trigger() -> None:
    touch = function("touch", text="CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql "
                     "AS $$ BEGIN RETURN NEW; END $$", returns_trigger=True)
    own = function("rows_of", text="CREATE FUNCTION rows_of() RETURNS SETOF public.trigger "
                   "LANGUAGE sql AS 'SELECT * FROM public.trigger'")
    schema = make(table("trigger", col("id")), touch, own)
    assert edges(schema) == {(T("trigger"), ("function", "public", "rows_of", ()))}


def test_foreign_key_cycles_order_fine_with_keys_after_both_tables() -> None:
    schema = make(
        table("a", col("id"), col("b_id"), constraints=(fk("a_b_fk", ("b_id",), "b"),)),
        table("b", col("id"), col("a_id"), constraints=(fk("b_a_fk", ("a_id",), "a"),)),
        table("s", col("id"), col("parent"), constraints=(fk("s_parent_fk", ("parent",), "s"),)),
    )
    keys = order(schema)
    assert sorted(keys) == sorted([T("a"), T("b"), T("s")])
    graph = build_graph(schema)
    full = lexicographical_topological_sort(graph, key=repr)
    for node, tables in [
        (fk_node(T("a"), "a_b_fk"), ("a", "b")),
        (fk_node(T("b"), "b_a_fk"), ("a", "b")),
        (fk_node(T("s"), "s_parent_fk"), ("s",)),
    ]:
        for name in tables:
            assert full.index(T(name)) < full.index(node)


def test_view_cycle_is_an_error_naming_both_views() -> None:
    schema = make(view("a", "SELECT * FROM b"), view("b", "SELECT * FROM a"))
    with pytest.raises(InputError) as caught:
        order(schema)
    message = str(caught.value)
    assert message.startswith("dependency cycle: ")
    assert "view a" in message and "view b" in message
    assert message in (
        "dependency cycle: view a -> view b -> view a",
        "dependency cycle: view b -> view a -> view b",
    )


def test_domain_cycle_is_an_error() -> None:
    schema = make(
        Domain(name=q("d1"), written=w("d1"), base_type="d2"),
        Domain(name=q("d2"), written=w("d2"), base_type="d1[]"),
    )
    with pytest.raises(InputError, match=r"dependency cycle: domain d\d -> domain d\d"):
        order(schema)


# ---------------------------------------------------------------------------------------------
# Determinism


def _sample_objects() -> list[SchemaObject]:
    return [
        enum("mood", created=3),
        table("z_first", col("id"), created=1),
        table("a_second", col("id"), col("m", "mood"), created=2),
        table("same_created_b", created=4),
        table("same_created_a", created=4),
        view("v", "SELECT * FROM a_second JOIN z_first USING (id)", created=5),
        function("f", created=0),
        Sequence(name=q("s"), written=w("s"), created=6),
    ]


def test_ties_broken_by_creation_then_key() -> None:
    keys = order(make(*_sample_objects()))
    assert keys == [
        ("function", "public", "f", ()),
        T("z_first"),
        ("type", "public", "mood"),
        T("a_second"),
        T("same_created_a"),
        T("same_created_b"),
        ("view", "public", "v"),
        ("sequence", "public", "s"),
    ]


def test_same_order_whatever_the_insertion_order() -> None:
    objects = _sample_objects()
    forwards = make(*objects)
    backwards = make(*reversed(objects))
    assert list(forwards.objects) != list(backwards.objects)
    assert order(forwards) == order(backwards)
    assert sorted(build_graph(forwards).edges, key=repr) == sorted(
        build_graph(backwards).edges, key=repr
    )


def test_same_order_whatever_the_hash_seed() -> None:
    script = "\n".join(
        [
            "import json, sys",
            f"sys.path.insert(0, {str(Path(__file__).parent)!r})",
            "import test_order",
            "from schemafold.order import order",
            "schema = test_order.make(*test_order._sample_objects())",
            "print(json.dumps([repr(k) for k in order(schema)]))",
        ]
    )
    outputs = []
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(SRC)}
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1] == outputs[2]


# ---------------------------------------------------------------------------------------------
# Files: a layout applied, parts moved forward, and the result replayed


def write_history(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def plan_of(folder: Path, layout: Layout) -> FilePlan:
    return plan_files(fold(folder), layout, read_history(folder).migrations)


def replays_equal(cluster: Cluster, fresh_db: Callable[..., str], folder: Path,
                  plan: FilePlan) -> Comparison:
    """Replay the history and the planned files in two databases; compare them."""
    left, right = fresh_db("history"), fresh_db("files")
    history = []
    for m in read_history(folder).migrations:
        statements = None if m.in_transaction else tuple(
            s.text for s in split_sql(m.text, m.path).statements)
        history.append(ReplayFile(m.path, m.text, m.in_transaction, statements))
    replay(cluster.dsn(left), history)
    replay(cluster.dsn(right), [
        ReplayFile(f.name, "\n\n".join(([PREAMBLE] if f.in_transaction else [])
                                       + list(f.statements)), f.in_transaction)
        for f in plan.files
    ])
    return compare_databases((cluster, left), (cluster, right))


def statements_of(plan: FilePlan, name: str) -> list[str]:
    return [s for f in plan.files if f.name == name for s in f.statements]


LATE_TYPE = {
    "0001_base.sql": (
        "CREATE TABLE person (id int PRIMARY KEY, name text, state text);\n"
        "CREATE INDEX person_name_idx ON person (name);\n"
        "INSERT INTO person (id, name, state) VALUES (1, 'ann', 'happy');\n"
    ),
    "0002_mood.sql": (
        "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
        "ALTER TABLE person ALTER COLUMN state TYPE mood USING state::mood;\n"
        "ALTER TABLE person ADD CONSTRAINT person_state_check CHECK (state <> 'sad');\n"
        "COMMENT ON COLUMN person.state IS 'how they feel';\n"
    ),
    "0003_more.sql": "ALTER TABLE person ADD COLUMN note text;\n"
                     "CREATE INDEX person_state_idx ON person (state);\n",
}


def test_a_column_whose_type_a_later_migration_creates_moves_under_by_origin(
    tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    folder = write_history(tmp_path / "late_type", LATE_TYPE)
    plan = plan_of(folder, BY_ORIGIN)
    assert [f.name for f in plan.files] == ["base", "mood", "more"]
    base, mood = statements_of(plan, "base"), statements_of(plan, "mood")
    assert base[0] == "CREATE TABLE person (\n    id int NOT NULL,\n    name text\n);"
    assert mood[:4] == [
        "CREATE TYPE mood AS ENUM ('happy', 'sad');",
        "ALTER TABLE person ADD COLUMN state mood;",
        "ALTER TABLE person ADD COLUMN note text;",  # keeps its place after state
        "ALTER TABLE person ADD CONSTRAINT person_state_check CHECK (state <> 'sad');",
    ]
    assert "CREATE INDEX person_name_idx ON person (name);" in base
    assert "ALTER TABLE ONLY person ADD CONSTRAINT person_pkey PRIMARY KEY (id);" in base
    moves = {m.part: (m.from_file, m.to_file, m.reason) for m in plan.moves}
    assert moves["column person.state"] == (
        1, 2, 'needs type mood, which is in file 2 ("mood")')
    assert moves["column person.note"] == (
        1, 2, 'keeps its place after column person.state, which is in file 2 ("mood")')
    assert moves["check constraint person_state_check on person"][:2] == (1, 2)
    comparison = replays_equal(pg_cluster, fresh_db, folder, plan)
    assert comparison.equal, comparison.summary()


@pytest.mark.parametrize("data", ["keep", "drop", "separate"])
def test_the_graph_is_built_once_per_consolidation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str
) -> None:
    """The file planner and the renderer share one dependency order, also when columns are
    carved out of their CREATE TABLE (rendered again) and when --data re-plans the schema
    without its rows: the graph is built once (counted, the real function still runs)."""
    import schemafold.order as order_module
    from schemafold.consolidation import consolidate

    folder = write_history(tmp_path / "late_type", LATE_TYPE)
    builds: list[int] = []
    real = order_module.build_graph

    def counting(schema: Schema) -> DiGraph:
        builds.append(1)
        return real(schema)

    monkeypatch.setattr(order_module, "build_graph", counting)
    made = consolidate(folder, layout="by-origin", data=data)
    assert len(builds) == 1
    assert "column person.state" in [m.part for m in made.plan.moves]  # carved: rendered twice
    statements = [s for f in made.plan.files for s in f.statements]
    assert any(s.startswith("INSERT INTO") for s in statements) is (data != "drop")


def test_without_move_forward_such_a_dependency_is_an_error_naming_both(tmp_path: Path) -> None:
    folder = write_history(tmp_path / "late_type", LATE_TYPE)
    layout = parse_layout(
        "[[file]]\nname = 'tables'\nselect = ['table:*']\n"
        "[[file]]\nname = 'types'\nselect = ['type:*']\n", "strict.toml")
    with pytest.raises(InputError) as caught:
        plan_of(folder, layout)
    assert str(caught.value) == (
        'strict.toml: column person.state in file 1 ("tables") needs type mood, which is in '
        'file 2 ("types"): order the files so that it comes first, or set move_forward = true '
        "to move the part there"
    )
    moved = plan_of(folder, attrs.evolve(layout, move_forward=True))
    assert [m.part for m in moved.moves][:1] == ["column person.state"]


CYCLES = {
    "0001_tables.sql": (
        "CREATE TABLE a (id int PRIMARY KEY, b_id int);\n"
        "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));\n"
        "CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node (id));\n"
    ),
    "0002_cycle.sql": (
        "ALTER TABLE a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES b (id);\n"
        "INSERT INTO a (id) VALUES (1);\n"
        "INSERT INTO b (id, a_id) VALUES (1, 1);\n"
        "UPDATE a SET b_id = 1 WHERE id = 1;\n"
        "INSERT INTO node (id, parent) VALUES (1, NULL), (2, 1);\n"
    ),
    "0003_more.sql": "CREATE INDEX b_a_idx ON b (a_id);\n",
}

#: Layouts for the cycle: the built-ins, and a before b (and after) without move_forward.
CYCLE_LAYOUTS = {
    "single": "single",
    "by-origin": "by-origin",
    "a-first": "[[file]]\nname = 'a'\nselect = ['table:a']\n"
               "[[file]]\nname = 'rest'\nrest = true\n",
    "b-first": "[[file]]\nname = 'b'\nselect = ['table:b', 'table:node']\n"
               "[[file]]\nname = 'a'\nselect = ['table:a']\n"
               "[[file]]\nname = 'keys'\nselect = ['foreign_key:*', 'index:*']\n",
}


@pytest.mark.parametrize("name", list(CYCLE_LAYOUTS))
def test_foreign_key_cycles_and_self_references_under_every_layout(
    name: str, tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    folder = write_history(tmp_path / "cycles", CYCLES)
    spec = CYCLE_LAYOUTS[name]
    layout = load_layout(spec) if spec in BUILT_IN else parse_layout(spec, f"{name}.toml")
    plan = plan_of(folder, layout)
    text = "\n".join(s for f in plan.files for s in f.statements)
    assert text.count("FOREIGN KEY") == 3
    assert "ALTER TABLE ONLY node ADD CONSTRAINT node_parent_fkey FOREIGN KEY (parent) " \
           "REFERENCES node (id);" in text
    if name == "a-first":  # a's key on b waits for b, in the later file
        assert [m.part for m in plan.moves] == ["foreign key a_b_fkey on a"]
        assert plan.moves[0].reason == 'needs table b, which is in file 2 ("rest")'
    comparison = replays_equal(pg_cluster, fresh_db, folder, plan)
    assert comparison.equal, comparison.summary()


ROWS = {
    "0001_base.sql": (
        "CREATE TABLE item (id int PRIMARY KEY, seen text);\n"
        "INSERT INTO item (id) VALUES (1), (2);\n"
    ),
    "0002_touch.sql": (
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN NEW.seen := 'touched'; RETURN NEW; END $$;\n"
        "CREATE TRIGGER item_touch BEFORE INSERT ON item FOR EACH ROW EXECUTE FUNCTION touch();\n"
    ),
    "0003_more.sql": "ALTER TABLE item ADD COLUMN note text;\n",
}


def test_rows_in_a_later_file_take_the_triggers_acting_on_them_along(
    tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    folder = write_history(tmp_path / "rows", ROWS)
    text = ("[[file]]\nname = 'schema'\nrest = true\n"
            "[[file]]\nname = 'seed'\nselect = ['data:*']\n")
    with pytest.raises(InputError, match=r"trigger item_touch on item in file 1 \(\"schema\"\) "
                       r"needs rows of table item, which is in file 2 \(\"seed\"\)"):
        plan_of(folder, parse_layout(text, "seed.toml"))
    plan = plan_of(folder, parse_layout("move_forward = true\n" + text, "seed.toml"))
    assert statements_of(plan, "seed")[0].startswith("INSERT INTO item (id, seen, note) VALUES")
    assert statements_of(plan, "seed")[-1].startswith("CREATE TRIGGER item_touch")
    comparison = replays_equal(pg_cluster, fresh_db, folder, plan)
    assert comparison.equal, comparison.summary()


def test_statements_outside_a_transaction_get_files_of_their_own(
    tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    folder = write_history(tmp_path / "notx", {
        "0001_base.sql": "CREATE TABLE t (id int);\n",
        "0002_block.sql": "-- no-transaction\n"
                          "DO $$ DECLARE n int; BEGIN n := 1; PERFORM pg_notify('c', n::text); "
                          "END $$;\n",
        "0003_more.sql": "CREATE TABLE u (id int);\n",
    })
    plan = plan_of(folder, load_layout("single"))
    assert [(f.name, f.in_transaction, len(f.statements)) for f in plan.files] == [
        ("schema", True, 2), ("schema_no_transaction", False, 1)]
    assert plan.files[1].statements[0].startswith("DO $$ DECLARE n int;")
    assert "outside a transaction" in plan.files[1].description
    comparison = replays_equal(pg_cluster, fresh_db, folder, plan)
    assert comparison.equal, comparison.summary()
    system = plan_of(write_history(tmp_path / "system", {
        "0001_a.sql": "CREATE TABLE t (id int);\nALTER SYSTEM SET work_mem = '8MB';\n"
                      "CREATE TABLE u (id int);\nCOMMENT ON TABLE u IS 'after';\n"}),
        load_layout("single"))
    assert [(f.name, f.in_transaction) for f in system.files] == [
        ("schema", True), ("schema_no_transaction", False), ("schema_continued", True)]


def test_a_kept_do_block_that_adds_an_enum_value_commits_before_the_next_statement(
    tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    """PostgreSQL refuses a new enum value before the transaction that added it commits
    ("unsafe use of new value"); in the history the value is used in a later file."""
    folder = write_history(tmp_path / "enum_do", {
        "0001_base.sql": "CREATE TYPE kind AS ENUM ('standard');\n"
                         "CREATE TABLE bucket (id int PRIMARY KEY, kind kind);\n",
        # current_setting: the blocks depend on the session, so they are not run statically
        "0002_add.sql": "DO $$ DECLARE wanted text := coalesce(current_setting('app.kind', "
                        "true), 'vector'); BEGIN\n"
                        "  IF NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = wanted) THEN\n"
                        "    ALTER TYPE kind ADD VALUE 'vector';\n"
                        "  END IF;\nEND $$;\n",
        "0003_use.sql": "DO $$ DECLARE n int := coalesce(current_setting('app.n', true), "
                        "'1')::int; BEGIN\n"
                        "  CREATE TABLE vector_bucket (id int, kind kind DEFAULT 'vector');\n"
                        "  INSERT INTO vector_bucket (id) VALUES (n);\n"
                        "END $$;\n",
    })
    plan = plan_of(folder, load_layout("single"))
    assert [(f.name, f.in_transaction) for f in plan.files] == [
        ("schema", True), ("schema_no_transaction", False), ("schema_continued", True)]
    assert plan.files[1].statements[0].startswith("DO $$ DECLARE wanted text := coalesce(")
    comparison = replays_equal(pg_cluster, fresh_db, folder, plan)
    assert comparison.equal, comparison.summary()
