"""NOT NULL constraint names, as PostgreSQL 18 gives them: fixed when a column becomes NOT NULL,
kept through renames, numbered on a collision. Earlier majors accept the rendered name and ignore
it, so one consolidation serves every supported major. (Checked against a PostgreSQL 18 server on
every fixture history; these tests pin the rule on the model and the rendered text.)"""

from __future__ import annotations

from schemafold import fold_sql
from schemafold.model import Table
from schemafold.render.postgres import render_schema

HISTORY = """\
CREATE TABLE account (id int PRIMARY KEY, email text NOT NULL, nick text);
ALTER TABLE account RENAME TO member;
ALTER TABLE member RENAME COLUMN email TO mail;
CREATE TABLE account (id serial, code int CONSTRAINT account_code_required NOT NULL);
ALTER TABLE member ALTER COLUMN nick SET NOT NULL;
ALTER TABLE account ALTER COLUMN code DROP NOT NULL;
ALTER TABLE account ALTER COLUMN code SET NOT NULL;
"""


def _names(table: Table) -> dict[str, str | None]:
    return {c.name: c.not_null_name for c in table.columns}


def test_names_are_fixed_when_a_column_becomes_not_null() -> None:
    schema = fold_sql(HISTORY).schema
    member = schema.objects[("table", "public", "member")]
    account = schema.objects[("table", "public", "account")]
    assert isinstance(member, Table) and isinstance(account, Table)
    # under the table's first name, kept through both renames; nick became NOT NULL later
    assert _names(member) == {"id": "account_id_not_null", "mail": "account_email_not_null",
                              "nick": "member_nick_not_null"}
    # the new account's id collides with the renamed table's; code dropped its explicit name
    assert _names(account) == {"id": "account_id_not_null1", "code": "account_code_not_null"}


def test_only_names_postgresql_would_not_choose_itself_are_rendered() -> None:
    text = render_schema(fold_sql(HISTORY).schema)
    assert "id int CONSTRAINT account_id_not_null NOT NULL" in text
    assert "mail text CONSTRAINT account_email_not_null NOT NULL" in text
    assert "nick text NOT NULL" in text
    assert "id serial CONSTRAINT account_id_not_null1 NOT NULL" in text
    assert "code int NOT NULL" in text


def test_an_explicit_name_is_kept() -> None:
    schema = fold_sql("CREATE TABLE t (a int CONSTRAINT must_have_a NOT NULL);\n"
                      "ALTER TABLE t RENAME COLUMN a TO b;\n").schema
    table = schema.objects[("table", "public", "t")]
    assert isinstance(table, Table)
    assert _names(table) == {"b": "must_have_a"}
    assert "b int CONSTRAINT must_have_a NOT NULL" in render_schema(schema)


def test_like_copies_each_not_null_with_its_name() -> None:
    """PostgreSQL 18 (checked on 18.6): ``CREATE TABLE t (LIKE s)`` copies every NOT NULL
    constraint of ``s`` with its name — explicit, implicit, a primary key's, an identity's —
    where ``t``'s own would be ``t_<column>_not_null``. The suite's run on 18 found the copy
    rendered without them."""
    schema = fold_sql(
        "CREATE TABLE s (id serial, a int NOT NULL, b int CONSTRAINT b_named NOT NULL, "
        "k int PRIMARY KEY, g int GENERATED ALWAYS AS IDENTITY);\n"
        "CREATE TABLE t (LIKE s);\n").schema
    copy = schema.objects[("table", "public", "t")]
    assert isinstance(copy, Table)
    assert _names(copy) == {"id": "s_id_not_null", "a": "s_a_not_null", "b": "b_named",
                            "k": "s_k_not_null", "g": "s_g_not_null"}
    assert "    k int CONSTRAINT s_k_not_null NOT NULL," in render_schema(schema)


PARTITIONS = """\
CREATE TABLE m (a int NOT NULL, b date NOT NULL, c int) PARTITION BY RANGE (b);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE old (a int NOT NULL, b date NOT NULL, c int);
ALTER TABLE m ATTACH PARTITION old DEFAULT;
CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE m2 ALTER COLUMN c SET NOT NULL;
ALTER TABLE m ADD COLUMN d int NOT NULL;
"""


def test_partitions_take_the_parents_names_and_attached_tables_keep_theirs() -> None:
    """PostgreSQL 18 (checked on 18.6): ``PARTITION OF`` gives the parent's NOT NULL names;
    ``ATTACH PARTITION`` keeps the table's own; a partition's own ``SET NOT NULL`` is named
    for it; a column added to the parent reaches each partition under the parent's name."""
    schema = fold_sql(PARTITIONS).schema
    tables = {}
    for name in ("m1", "old", "m2"):
        table = schema.objects[("table", "public", name)]
        assert isinstance(table, Table)
        tables[name] = table
    assert _names(tables["m1"]) == {"a": "m_a_not_null", "b": "m_b_not_null", "c": None,
                                    "d": "m_d_not_null"}
    assert _names(tables["old"]) == {"a": "old_a_not_null", "b": "old_b_not_null", "c": None,
                                     "d": "m_d_not_null"}
    assert _names(tables["m2"])["c"] == "m2_c_not_null"


def test_a_partition_partition_of_would_not_name_so_is_created_then_attached() -> None:
    text = render_schema(fold_sql(PARTITIONS).schema)
    assert "CREATE TABLE m1 PARTITION OF m\n" in text  # the parent's names: as before
    assert "    a int NOT NULL,\n    b date NOT NULL,\n    c int,\n" in text  # old, own names
    assert "ALTER TABLE ONLY m ATTACH PARTITION old DEFAULT;" in text
    assert "    a int CONSTRAINT m_a_not_null NOT NULL," in text  # m2, with its own c NOT NULL
    assert "    c int NOT NULL,\n    d int CONSTRAINT m_d_not_null NOT NULL\n);" in text
    assert "ALTER TABLE ONLY m ATTACH PARTITION m2 FOR VALUES" in text


def test_set_not_null_on_a_parent_gives_the_parents_name_where_a_child_had_none() -> None:
    schema = fold_sql(
        "CREATE TABLE p (a int, b int) PARTITION BY LIST (a);\n"
        "CREATE TABLE p1 (a int, b int NOT NULL);\n"
        "ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1);\n"
        "ALTER TABLE p ALTER COLUMN b SET NOT NULL;\n"
        "ALTER TABLE p ADD PRIMARY KEY (a);\n"
        "ALTER TABLE p RENAME TO q;\n").schema
    child = schema.objects[("table", "public", "p1")]
    assert isinstance(child, Table)
    assert _names(child) == {"a": "p_a_not_null", "b": "p1_b_not_null"}
    assert "ALTER TABLE ONLY q ATTACH PARTITION p1 FOR VALUES IN (1);" in render_schema(schema)


def test_an_inheritance_childs_own_not_null_is_set_after_it_is_created() -> None:
    text = render_schema(fold_sql(
        "CREATE TABLE device (serial_no text NOT NULL, label text);\n"
        "CREATE TABLE sensor (unit text) INHERITS (device);\n"
        "ALTER TABLE sensor ALTER COLUMN label SET NOT NULL;\n").schema)
    assert "INHERITS (device);\n\nALTER TABLE ONLY sensor ALTER COLUMN label SET NOT NULL;" in text


def test_an_inheritance_childs_not_null_before_its_parents_is_set_before_the_parents() -> None:
    """PostgreSQL 18.6 keeps a child's own NOT NULL (its own name, local and inherited) when
    its parent's comes later; CREATE TABLE ... INHERITS would give it the parent's name, so the
    parent's column is made NOT NULL after the child's, as the history did."""
    sql = ("CREATE TABLE device (serial_no text, label text);\n"
           "CREATE TABLE sensor (unit text) INHERITS (device);\n"
           "ALTER TABLE ONLY sensor ALTER COLUMN serial_no SET NOT NULL;\n"
           "ALTER TABLE device ALTER COLUMN serial_no SET NOT NULL;\n")
    schema = fold_sql(sql).schema
    child = schema.objects[("table", "public", "sensor")]
    assert isinstance(child, Table)
    assert _names(child)["serial_no"] == "sensor_serial_no_not_null"
    text = render_schema(schema)
    assert "CREATE TABLE device (\n    serial_no text,\n    label text\n);" in text
    assert ("INHERITS (device);\n\nALTER TABLE ONLY sensor ALTER COLUMN serial_no SET NOT NULL;"
            "\n\nALTER TABLE device ALTER COLUMN serial_no SET NOT NULL;") in text
    # a second child with its own: the parent's NOT NULL cannot come after both, as before
    text = render_schema(fold_sql(
        sql.replace("ALTER TABLE device", "CREATE TABLE probe () INHERITS (device);\n"
                    "ALTER TABLE ONLY probe ALTER COLUMN serial_no SET NOT NULL;\n"
                    "ALTER TABLE device")).schema)
    assert "    serial_no text NOT NULL," in text
