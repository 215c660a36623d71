"""Rendering the model as PostgreSQL SQL (schemafold.render): golden strings for each kind of
object, and a hand-built schema whose rendering must build the same database as the history it
stands for, on a real PostgreSQL."""

from __future__ import annotations

import textwrap
import uuid

import attrs

from model_builders import col, constraint, make, q, table, w
from model_builders import trigger as make_trigger
from schemafold.events import Column, Constraint, IndexElement, SequenceOptions
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    KeptStatement,
    Policy,
    Privilege,
    RangeType,
    Role,
    Row,
    Schema,
    SchemaObj,
    SchemaObject,
    Sequence,
    Table,
    View,
)
from schemafold.render import render_schema, render_statements
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import normalise_dump
from schemafold.verify.dump import dump_schema
from schemafold.verify.replay import ReplayFile, connect, replay

# ---------------------------------------------------------------------------------------------
# Building schemas by hand


def statements(*objects: SchemaObject, **kwargs: object) -> list[str]:
    return [sql for _, _, sql in render_statements(make(*objects, **kwargs))]


# ---------------------------------------------------------------------------------------------
# Golden strings


def test_script_shape() -> None:
    schema = make(
        EnumType(name=q("mood"), written=w("mood"), labels=("sad", "it's ok")),
        table("t", col("m", "mood")),
    )
    assert render_schema(schema) == textwrap.dedent(
        """\
        SET check_function_bodies = false;

        CREATE TYPE mood AS ENUM ('sad', 'it''s ok');

        CREATE TABLE t (
            m mood
        );
        """
    )


def test_roles_schemas_extensions() -> None:
    assert statements(
        Role(name="app", statements=("CREATE ROLE app NOLOGIN", "ALTER ROLE app SET x = 1;")),
        SchemaObj(name="public", comment="standard"),
        SchemaObj(name="Audit", owner="app", created=1),
        Extension(name="uuid-ossp", schema="Audit", version="1.1", created=2),
        Extension(name="citext", created=3),
    ) == [
        "CREATE ROLE app NOLOGIN;",
        "ALTER ROLE app SET x = 1;",
        'CREATE SCHEMA "Audit" AUTHORIZATION app;',
        'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA "Audit" VERSION \'1.1\';',
        "CREATE EXTENSION IF NOT EXISTS citext;",
        "COMMENT ON SCHEMA public IS 'standard';",
    ]


def test_types() -> None:
    assert statements(
        CompositeType(
            name=q("pair"),
            written=q("pair", "app"),
            attributes=(
                Column(name="a", type="integer"),
                Column(name="B", type="text", collation='"C"'),
            ),
        ),
        Domain(
            name=q("email"),
            written=w("email"),
            base_type="citext",
            default="''",
            not_null=True,
            checks=(
                Constraint(kind="check", name="email_at", expression="VALUE ~ '@'"),
                Constraint(kind="check", expression="length(VALUE) < 200"),
                Constraint(kind="check", name="later", expression="VALUE <> 'x'", not_valid=True),
            ),
            created=1,
        ),
        RangeType(
            name=q("floatrange"),
            written=w("floatrange"),
            subtype="float8",
            options="subtype = float8, subtype_diff = float8mi",
            created=2,
        ),
    ) == [
        'CREATE TYPE app.pair AS (\n    a integer,\n    "B" text COLLATE "C"\n);',
        "CREATE DOMAIN email AS citext DEFAULT '' NOT NULL\n"
        "    CONSTRAINT email_at CHECK (VALUE ~ '@')\n"
        "    CHECK (length(VALUE) < 200);",
        "CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);",
        "ALTER DOMAIN email ADD CONSTRAINT later CHECK (VALUE <> 'x') NOT VALID;",
    ]


def test_sequences_and_positions() -> None:
    assert statements(
        Sequence(
            name=q("s"),
            written=w("s"),
            options=SequenceOptions(
                as_type="integer",
                increment=5,
                no_minvalue=True,
                maxvalue=1000,
                start=10,
                cache=2,
                cycle=False,
            ),
            position=42,
        ),
        Sequence(name=q("plain"), written=q("plain"), restart_with=7, created=1),
    ) == [
        "CREATE SEQUENCE s AS integer INCREMENT BY 5 NO MINVALUE MAXVALUE 1000 START WITH 10 "
        "CACHE 2 NO CYCLE;",
        "CREATE SEQUENCE public.plain;",
        "SELECT pg_catalog.setval('s', 42, true);",
        "SELECT pg_catalog.setval('public.plain', 7, false);",
    ]


def test_function_text_verbatim_and_terminated() -> None:
    text = "CREATE FUNCTION f() RETURNS int\nLANGUAGE sql AS $$ SELECT 1; $$ -- trailing note\n"
    fn = Function(
        name=q("f"),
        written=w("f"),
        arg_types=(),
        text=text,
        owner="app",
        comment="one",
        acl=(
            Privilege(grantee="public", privilege="EXECUTE", revoke=True),
            Privilege(grantee="app", privilege="EXECUTE", revoke=True, grant_option=True),
            Privilege(grantee="app_ro", privilege="EXECUTE"),
        ),
    )
    proc = Function(
        name=q("p"),
        written=w("p"),
        arg_types=("integer", "text[]"),
        procedure=True,
        text="CREATE PROCEDURE p(a int, b text[]) LANGUAGE sql AS $$ SELECT 1 $$;",
        created=1,
    )
    assert statements(fn, proc) == [
        "CREATE FUNCTION f() RETURNS int\nLANGUAGE sql AS $$ SELECT 1; $$;",
        "CREATE PROCEDURE p(a int, b text[]) LANGUAGE sql AS $$ SELECT 1 $$;",
        "COMMENT ON FUNCTION f() IS 'one';",
        "ALTER FUNCTION f() OWNER TO app;",
        "REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;",
        "REVOKE GRANT OPTION FOR EXECUTE ON FUNCTION f() FROM app;",
        "GRANT EXECUTE ON FUNCTION f() TO app_ro;",
    ]


def test_table_columns_and_constraints() -> None:
    t = table(
        "Orders",
        col("id", "bigint", identity="BY DEFAULT", identity_options="START WITH 5", not_null=True),
        col("code", "text", collation='"C"', default="'x'", not_null=True),
        col("total", "numeric(10,2)", generated="price * 2"),
        col("select", "integer"),
        constraints=(
            constraint("check", "total_positive", expression="total > 0"),
            constraint("check", "only_here", expression="code <> ''", no_inherit=True),
            constraint("check", "later_check", expression="(select > 0)", not_valid=True),
            constraint("primary key", "Orders_pkey", columns=("id",)),
            constraint(
                "unique",
                "orders_code_key",
                columns=("code",),
                nulls_not_distinct=True,
                index_options="INCLUDE (total)",
                deferrable=True,
            ),
            constraint(
                "exclude",
                "no_overlap",
                method="gist",
                expression="code WITH =",
                where="id > 0",
            ),
            constraint(
                "foreign key",
                "orders_parent_fkey",
                columns=("select",),
                references=q("Orders"),
                ref_columns=("id",),
                on_delete="CASCADE",
                on_update="SET NULL",
                match="full",
                deferrable=True,
                initially_deferred=True,
                not_valid=True,
            ),
        ),
        written=q("Orders"),
        unlogged=True,
        options="WITH (fillfactor = 70)",
    )
    assert statements(t) == [
        'CREATE UNLOGGED TABLE public."Orders" (\n'
        "    id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 5),\n"
        "    code text COLLATE \"C\" DEFAULT 'x' NOT NULL,\n"
        "    total numeric(10,2) GENERATED ALWAYS AS (price * 2) STORED,\n"
        '    "select" integer,\n'
        "    CONSTRAINT total_positive CHECK (total > 0),\n"
        "    CONSTRAINT only_here CHECK (code <> '') NO INHERIT\n"
        ")\n"
        "WITH (fillfactor = 70);",
        'ALTER TABLE ONLY public."Orders" ADD CONSTRAINT "Orders_pkey" PRIMARY KEY (id);',
        'ALTER TABLE ONLY public."Orders" ADD CONSTRAINT orders_code_key UNIQUE NULLS NOT '
        "DISTINCT (code) INCLUDE (total) DEFERRABLE;",
        'ALTER TABLE ONLY public."Orders" ADD CONSTRAINT no_overlap EXCLUDE USING gist '
        "(code WITH =) WHERE (id > 0);",
        'ALTER TABLE ONLY public."Orders" ADD CONSTRAINT orders_parent_fkey FOREIGN KEY '
        '("select") REFERENCES public."Orders" (id) MATCH FULL ON UPDATE SET NULL ON DELETE '
        "CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID;",
        'ALTER TABLE public."Orders" ADD CONSTRAINT later_check CHECK (select > 0) NOT VALID;',
    ]


def test_serial_columns() -> None:
    seq = Sequence(
        name=q("t_id_seq"),
        written=w("t_id_seq"),
        implicit=True,
        owned_by=(q("t"), "id"),
        options=SequenceOptions(increment=2),
        position=3,
    )
    renamed = Sequence(
        name=q("old_n_seq"),
        written=w("old_n_seq"),
        implicit=True,
        owned_by=(q("t"), "n"),
        options=SequenceOptions(as_type="integer"),
    )
    t = table(
        "t",
        col("id", "bigserial", not_null=True, serial_sequence=w("t_id_seq")),
        col(
            "n",
            "bigint",
            not_null=True,
            serial_sequence=w("old_n_seq"),
            default="nextval('old_n_seq'::regclass)",
        ),
        # serial implies NOT NULL whatever the declaration said: no DROP NOT NULL follows.
        col("m", "integer", serial_sequence=w("t_m_seq")),
        created=1,
    )
    declared_null = Sequence(
        name=q("t_m_seq"), written=w("t_m_seq"), implicit=True, owned_by=(q("t"), "m")
    )
    assert statements(seq, renamed, declared_null, t) == [
        # A serial whose sequence a rename left behind is rendered as pg_dump does.
        "CREATE SEQUENCE old_n_seq AS integer;",
        "CREATE TABLE t (\n"
        "    id bigserial NOT NULL,\n"
        "    n bigint DEFAULT nextval('old_n_seq'::regclass) NOT NULL,\n"
        "    m serial\n"
        ");",
        "ALTER SEQUENCE t_id_seq INCREMENT BY 2;",
        "SELECT pg_catalog.setval('t_id_seq', 3, true);",
        "ALTER SEQUENCE old_n_seq OWNED BY t.n;",
    ]


def test_identity_sequence_named_before_a_rename() -> None:
    seq = Sequence(
        name=q("old_id_seq"), written=w("old_id_seq"), identity=True, owned_by=(q("t"), "id")
    )
    t = table("t", col("id", "integer", identity="ALWAYS", not_null=True))
    rows = {t.key(): (Row(values=(("id", "1"),)), Row(values=(("id", "2"),)))}
    assert statements(seq, t, rows=rows) == [
        "CREATE TABLE t (\n"
        "    id integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME old_id_seq)\n"
        ");",
        "INSERT INTO t (id) OVERRIDING SYSTEM VALUE VALUES\n    (1),\n    (2);",
        # rows with ids the unused sequence would give again: brought level with them
        "SELECT pg_catalog.setval('old_id_seq', 2, true);",
    ]


def test_partitions_and_inheritance() -> None:
    parent = table(
        "events",
        col("at", "date", not_null=True),
        col("v", "text"),
        partition_by="RANGE (at)",
        constraints=(constraint("check", "v_short", expression="length(v) < 9"),),
    )
    part = table(
        "events_2024",
        col("at", "date", not_null=True),
        col("v", "text"),
        partition_of=q("events"),
        partition_of_written=w("events"),
        partition_bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        constraints=(constraint("check", "v_short", expression="length(v) < 9"),),
        created=1,
    )
    attached = table(
        "events_old",
        col("v", "text"),
        col("at", "date", not_null=True),
        partition_of=q("events"),
        partition_of_written=w("events"),
        partition_bound="DEFAULT",
        constraints=(constraint("check", "v_short", expression="length(v) < 9"),),
        created=2,
    )
    base = table("base", col("id"), created=3)
    # "id" given by base (inherited); a column the child declared too would be written here
    child = table("child", attrs.evolve(col("id"), inherited=True), col("extra", "text"),
                  inherits=(q("base"),), created=4)
    assert statements(parent, part, attached, base, child) == [
        "CREATE TABLE events (\n    at date NOT NULL,\n    v text,\n"
        "    CONSTRAINT v_short CHECK (length(v) < 9)\n)\nPARTITION BY RANGE (at);",
        "CREATE TABLE events_2024 PARTITION OF events\n"
        "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
        # ATTACH PARTITION needs the parent's CHECKs on the table already.
        "CREATE TABLE events_old (\n    v text,\n    at date NOT NULL,\n"
        "    CONSTRAINT v_short CHECK (length(v) < 9)\n);",
        "ALTER TABLE ONLY events ATTACH PARTITION events_old DEFAULT;",
        "CREATE TABLE base (\n    id integer\n);",
        "CREATE TABLE child (\n    extra text\n)\nINHERITS (base);",
    ]


def test_views() -> None:
    t = table("t", col("a"))
    assert statements(
        t,
        View(
            name=q("v"),
            written=w("v"),
            query="SELECT a FROM t;",
            columns=("x",),
            options="security_barrier",
            check_option="local",
            created=1,
            comment="v",
            column_comments=(("x", "the a"),),
        ),
        View(
            name=q("m"),
            written=w("m"),
            query="SELECT a FROM t",
            materialized=True,
            created=2,
            owner="app",
        ),
        View(
            name=q("m0"),
            written=w("m0"),
            query="SELECT a FROM t",
            materialized=True,
            with_data=False,
            created=3,
        ),
    ) == [
        "CREATE TABLE t (\n    a integer\n);",
        "CREATE VIEW v (x) WITH (security_barrier) AS\nSELECT a FROM t\nWITH LOCAL CHECK OPTION;",
        "CREATE MATERIALIZED VIEW m AS\nSELECT a FROM t\nWITH NO DATA;",
        "CREATE MATERIALIZED VIEW m0 AS\nSELECT a FROM t\nWITH NO DATA;",
        "REFRESH MATERIALIZED VIEW m;",
        "COMMENT ON VIEW v IS 'v';",
        "COMMENT ON COLUMN v.x IS 'the a';",
        "ALTER MATERIALIZED VIEW m OWNER TO app;",
    ]


def test_indexes_triggers_policies() -> None:
    t = table("t", col("a"), col("b", "text"), rls_enabled=True, rls_forced=True)
    index = Index(
        name=q("t_lower_idx"),
        table=q("t"),
        table_written=w("t"),
        elements=(
            IndexElement(expression="lower(b)", suffix="text_pattern_ops DESC"),
            IndexElement(column="a", suffix=""),
        ),
        unique=True,
        method="btree",
        include=("b",),
        nulls_not_distinct=True,
        options="WITH (fillfactor = 50)",
        where="a > 0",
        only=True,
        comment="it's",
        created=1,
    )
    trigger = make_trigger(
        "t_audit", "t", "audit",
        function_written=q("audit"),
        timing="AFTER",
        events="INSERT OR UPDATE OF a",
        for_each_row=True,
        when="NEW.a > 0",
        function_args="'x', 1",
        created=2,
        comment="audits",
    )
    statement_trigger = make_trigger(
        "t_stmt", "t", "audit",
        timing="AFTER",
        events="DELETE",
        referencing="REFERENCING OLD TABLE AS gone",
        created=3,
    )
    constraint_trigger = make_trigger(
        "t_check", "t", "audit",
        timing="AFTER",
        events="INSERT",
        constraint=True,
        deferral="DEFERRABLE INITIALLY DEFERRED",
        for_each_row=True,
        created=4,
    )
    policy = Policy(
        name="mine",
        table=q("t"),
        table_written=w("t"),
        permissive=False,
        command="select",
        roles=("app", "Public", "current_user"),
        using="a = 1",
        check="(b <> '')",
        created=5,
    )
    assert statements(t, index, trigger, statement_trigger, constraint_trigger, policy) == [
        "CREATE TABLE t (\n    a integer,\n    b text\n);",
        "CREATE UNIQUE INDEX t_lower_idx ON ONLY t USING btree ((lower(b)) text_pattern_ops DESC, "
        "a) INCLUDE (b) NULLS NOT DISTINCT WITH (fillfactor = 50) WHERE (a > 0);",
        "CREATE TRIGGER t_audit AFTER INSERT OR UPDATE OF a ON t FOR EACH ROW WHEN (NEW.a > 0) "
        "EXECUTE FUNCTION public.audit('x', 1);",
        "CREATE TRIGGER t_stmt AFTER DELETE ON t REFERENCING OLD TABLE AS gone FOR EACH STATEMENT "
        "EXECUTE FUNCTION audit();",
        "CREATE CONSTRAINT TRIGGER t_check AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION audit();",
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE t FORCE ROW LEVEL SECURITY;",
        "CREATE POLICY mine ON t AS RESTRICTIVE FOR SELECT TO app, PUBLIC, CURRENT_USER "
        "USING (a = 1) WITH CHECK (b <> '');",
        "COMMENT ON INDEX t_lower_idx IS 'it''s';",
        "COMMENT ON TRIGGER t_audit ON t IS 'audits';",
    ]


def test_data_kept_statements_grants_and_default_privileges() -> None:
    t = table(
        "t",
        col("a"),
        col("b", "text", comment="bee"),
        constraints=(constraint("primary key", "t_pkey", columns=("a",), comment="key"),),
        owner="app",
        acl=(
            Privilege(grantee="app_ro", privilege="SELECT"),
            Privilege(grantee="app_ro", privilege="INSERT"),
            Privilege(grantee="Writer", privilege="UPDATE", column="b", grant_option=True),
            Privilege(grantee="PUBLIC", privilege="SELECT", column="a"),
        ),
    )
    rows = (
        Row(values=(("a", "1"), ("b", "'x'"))),
        Row(values=(("a", "2"), ("b", "NULL"))),
        Row(values=(("a", "3"),)),
    )
    kept = (
        KeptStatement(text="DO $$ BEGIN PERFORM 1; END $$", file="2.sql", line=1, ordinal=9),
        KeptStatement(
            text="UPDATE t SET b = upper(b) -- shout\n",
            file="1.sql",
            line=3,
            ordinal=5,
            data=True,
        ),
        KeptStatement(text="SELECT cron.schedule('x');", file="1.sql", line=1, ordinal=2),
    )
    assert statements(
        t,
        rows={t.key(): rows},
        kept=kept,
        default_privileges=("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app_ro",),
    ) == [
        "CREATE TABLE t (\n    a integer,\n    b text\n);",
        "INSERT INTO t (a, b) VALUES\n    (1, 'x'),\n    (2, NULL);",
        "INSERT INTO t (a) VALUES\n    (3);",
        "UPDATE t SET b = upper(b);",
        "ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (a);",
        "SELECT cron.schedule('x');",
        "DO $$ BEGIN PERFORM 1; END $$;",
        "COMMENT ON COLUMN t.b IS 'bee';",
        "COMMENT ON CONSTRAINT t_pkey ON t IS 'key';",
        "ALTER TABLE t OWNER TO app;",
        "GRANT SELECT, INSERT ON TABLE t TO app_ro;",
        'GRANT UPDATE (b) ON TABLE t TO "Writer" WITH GRANT OPTION;',
        "GRANT SELECT (a) ON TABLE t TO PUBLIC;",
        "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app_ro;",
    ]


def test_external_objects_are_not_rendered_but_still_ordered() -> None:
    users = table(
        "users",
        col("id"),
        schema="auth",
        written=q("users", "auth"),
        external=True,
        comment="from the setup",
        owner="platform",
    )
    auth = SchemaObj(name="auth", external=True)
    profiles = table(
        "profiles",
        col("user_id"),
        created=-1,
        constraints=(
            constraint(
                "foreign key",
                "profiles_user_id_fkey",
                columns=("user_id",),
                references=q("users", "auth"),
                ref_columns=("id",),
                target=q("users", "auth"),
            ),
        ),
    )
    out = render_statements(make(auth, users, profiles))
    assert [(phase, key) for phase, key, _ in out] == [
        ("pre-data", ("table", "public", "profiles")),
        ("post-data", ("fk", ("table", "public", "profiles"), "profiles_user_id_fkey")),
    ]
    assert out[1][2].endswith("REFERENCES auth.users (id);")


def test_public_schema_attributes_are_rendered_though_it_is_external() -> None:
    public = SchemaObj(
        name="public",
        external=True,
        owner="app",
        comment="ours",
        acl=(
            Privilege(grantee="app_ro", privilege="USAGE"),
            Privilege(grantee="PUBLIC", privilege="USAGE", revoke=True),
        ),
    )
    assert statements(public) == [
        "COMMENT ON SCHEMA public IS 'ours';",
        "ALTER SCHEMA public OWNER TO app;",
        "GRANT USAGE ON SCHEMA public TO app_ro;",
        "REVOKE USAGE ON SCHEMA public FROM PUBLIC;",
    ]


def test_render_is_deterministic() -> None:
    objects: list[SchemaObject] = [
        EnumType(name=q("mood"), written=w("mood"), labels=("a",), created=2),
        table("b", col("m", "mood"), created=1),
        table("a", col("id"), created=1),
        View(name=q("v"), written=w("v"), query="SELECT * FROM a, b", created=0),
    ]
    forwards = render_schema(make(*objects))
    assert forwards == render_schema(make(*reversed(objects)))
    assert forwards.index("CREATE TYPE mood") < forwards.index("CREATE TABLE b")
    assert forwards.index("CREATE TABLE b") < forwards.index("CREATE VIEW v")


# ---------------------------------------------------------------------------------------------
# On a real database


TOUCH = """CREATE FUNCTION touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$"""


def history(reader: str, owner: str) -> list[str]:
    """A history a developer might have written, in three files (a value added to an enum
    cannot be used before commit); ``library(reader, owner)`` is its net schema."""
    first = textwrap.dedent(
        f"""\
        CREATE ROLE {reader} NOLOGIN;
        CREATE ROLE {owner} NOLOGIN;
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        ALTER TYPE mood ADD VALUE 'happy';
        """
    )
    second = textwrap.dedent(
        f"""\
        CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
        CREATE TABLE authors (
            id serial PRIMARY KEY,
            name text NOT NULL,
            email email UNIQUE,
            mood mood DEFAULT 'ok',
            mentor_id integer REFERENCES authors (id)
        );
        CREATE TABLE books (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            author_id integer NOT NULL REFERENCES authors ON DELETE CASCADE,
            title text NOT NULL,
            price numeric(10,2) CONSTRAINT books_price_positive CHECK (price > 0),
            updated_at timestamptz
        );
        ALTER TABLE authors ADD COLUMN favourite_book_id bigint
            REFERENCES books (id) DEFERRABLE INITIALLY DEFERRED;
        ALTER TABLE books ADD CONSTRAINT books_title_nonempty CHECK (title <> '') NOT VALID;
        CREATE INDEX books_lower_title_idx ON books (lower(title)) WHERE price IS NOT NULL;
        CREATE VIEW book_authors AS
            SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id;
        $TOUCH;
        CREATE TRIGGER books_touch BEFORE UPDATE ON books
            FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE books ENABLE ROW LEVEL SECURITY;
        CREATE POLICY cheap_only ON books FOR SELECT TO {reader} USING (price < 100);
        CREATE SEQUENCE invoice_no START WITH 1000;
        CREATE TABLE invoices (no integer NOT NULL DEFAULT nextval('invoice_no'), total numeric);
        ALTER SEQUENCE invoice_no OWNED BY invoices.no;
        SELECT setval('invoice_no', 1042);
        CREATE SCHEMA audit AUTHORIZATION {owner};
        COMMENT ON SCHEMA audit IS 'Who did what';
        CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA audit;
        CREATE TABLE audit.log (id uuid DEFAULT audit.uuid_generate_v4(), note text);
        CREATE EXTENSION citext;
        ALTER TABLE authors ADD COLUMN handle citext;
        COMMENT ON TABLE books IS 'Books, one row per edition''s title';
        COMMENT ON COLUMN authors.name IS 'Display name';
        COMMENT ON CONSTRAINT books_price_positive ON books IS 'No free books';
        GRANT SELECT ON books, book_authors TO {reader};
        GRANT SELECT (name) ON authors TO {reader};
        GRANT USAGE ON SCHEMA audit TO {reader};
        INSERT INTO authors (name, email, mood) VALUES
            ('Ann', 'ann@example.org', 'happy'), ('Bob', NULL, 'sad');
        UPDATE authors SET mentor_id = 1 WHERE id = 2;
        INSERT INTO books (author_id, title, price) VALUES (1, 'First', 10.50);
        """
    ).replace("$TOUCH", TOUCH)
    # Deferred foreign-key checks are pending until commit, and block ALTER TABLE.
    third = textwrap.dedent(
        f"""\
        ALTER TABLE authors OWNER TO {owner};
        ALTER FUNCTION touch() OWNER TO {owner};
        REVOKE EXECUTE ON FUNCTION touch() FROM PUBLIC;
        ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {reader};
        """
    )
    return [first, second, third]


def library(reader: str, owner: str) -> Schema:
    """The net schema of ``history(reader, owner)``, built by hand, in a shuffled order."""
    authors = table(
        "authors",
        col("id", "serial", not_null=True, serial_sequence=w("authors_id_seq")),
        col("name", "text", not_null=True, comment="Display name"),
        col("email", "email"),
        col("mood", "mood", default="'ok'"),
        col("mentor_id", "integer"),
        col("favourite_book_id", "bigint"),
        col("handle", "citext"),
        constraints=(
            constraint("primary key", "authors_pkey", columns=("id",)),
            constraint("unique", "authors_email_key", columns=("email",)),
            constraint(
                "foreign key",
                "authors_mentor_id_fkey",
                columns=("mentor_id",),
                references=w("authors"),
                ref_columns=("id",),
                target=q("authors"),
            ),
            constraint(
                "foreign key",
                "authors_favourite_book_id_fkey",
                columns=("favourite_book_id",),
                references=w("books"),
                ref_columns=("id",),
                target=q("books"),
                deferrable=True,
                initially_deferred=True,
            ),
        ),
        owner=owner,
        acl=(Privilege(grantee=reader, privilege="SELECT", column="name"),),
        created=5,
    )
    books = table(
        "books",
        col("id", "bigint", identity="ALWAYS", not_null=True),
        col("author_id", "integer", not_null=True),
        col("title", "text", not_null=True),
        col("price", "numeric(10,2)"),
        col("updated_at", "timestamptz"),
        constraints=(
            constraint("primary key", "books_pkey", columns=("id",)),
            constraint(
                "foreign key",
                "books_author_id_fkey",
                columns=("author_id",),
                references=w("authors"),
                target=q("authors"),
                on_delete="CASCADE",
            ),
            constraint(
                "check", "books_price_positive", expression="price > 0", comment="No free books"
            ),
            constraint("check", "books_title_nonempty", expression="title <> ''", not_valid=True),
        ),
        rls_enabled=True,
        comment="Books, one row per edition's title",
        acl=(Privilege(grantee=reader, privilege="SELECT"),),
        created=7,
    )
    invoices = table(
        "invoices",
        col("no", "integer", not_null=True, default="nextval('invoice_no')"),
        col("total", "numeric"),
        created=15,
    )
    objects: list[SchemaObject] = [
        View(
            name=q("book_authors"),
            written=w("book_authors"),
            query="SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id",
            acl=(Privilege(grantee=reader, privilege="SELECT"),),
            created=10,
        ),
        books,
        make_trigger(
            "books_touch", "books", "touch",
            timing="BEFORE",
            events="UPDATE",
            for_each_row=True,
            created=12,
        ),
        Function(
            name=q("touch"),
            written=w("touch"),
            arg_types=(),
            text=TOUCH,
            returns_trigger=True,
            language="plpgsql",
            owner=owner,
            acl=(Privilege(grantee="PUBLIC", privilege="EXECUTE", revoke=True),),
            created=11,
        ),
        Policy(
            name="cheap_only",
            table=q("books"),
            table_written=w("books"),
            command="SELECT",
            roles=(reader,),
            using="price < 100",
            created=13,
        ),
        Index(
            name=q("books_lower_title_idx"),
            table=q("books"),
            table_written=w("books"),
            elements=(IndexElement(expression="lower(title)"),),
            where="price IS NOT NULL",
            created=9,
        ),
        authors,
        Sequence(
            name=q("authors_id_seq"),
            written=w("authors_id_seq"),
            implicit=True,
            owned_by=(q("authors"), "id"),
            position=2,
            owner=owner,
            created=5,
        ),
        Sequence(
            name=q("books_id_seq"),
            written=w("books_id_seq"),
            identity=True,
            owned_by=(q("books"), "id"),
            position=1,
            created=7,
        ),
        invoices,
        Sequence(
            name=q("invoice_no"),
            written=w("invoice_no"),
            options=SequenceOptions(start=1000),
            owned_by=(q("invoices"), "no"),
            position=1042,
            created=14,
        ),
        Domain(
            name=q("email"),
            written=w("email"),
            base_type="text",
            checks=(Constraint(kind="check", name="email_check", expression="VALUE LIKE '%@%'"),),
            created=4,
        ),
        EnumType(name=q("mood"), written=w("mood"), labels=("sad", "ok", "happy"), created=3),
        Role(name=owner, statements=(f"CREATE ROLE {owner} NOLOGIN",), created=2),
        Role(name=reader, statements=(f"CREATE ROLE {reader} NOLOGIN",), created=1),
        SchemaObj(
            name="audit",
            owner=owner,
            comment="Who did what",
            acl=(Privilege(grantee=reader, privilege="USAGE"),),
            created=16,
        ),
        Extension(name="uuid-ossp", schema="audit", created=17),
        Table(
            name=q("log", "audit"),
            written=q("log", "audit"),
            columns=(col("id", "uuid", default="audit.uuid_generate_v4()"), col("note", "text")),
            created=18,
        ),
        Extension(name="citext", created=19),  # created after the table that uses it
    ]
    rows = {
        authors.key(): (
            Row(
                values=(
                    ("id", "1"),
                    ("name", "'Ann'"),
                    ("email", "'ann@example.org'"),
                    ("mood", "'happy'"),
                    ("mentor_id", "NULL"),
                    ("favourite_book_id", "NULL"),
                    ("handle", "NULL"),
                )
            ),
            Row(
                values=(
                    ("id", "2"),
                    ("name", "'Bob'"),
                    ("email", "NULL"),
                    ("mood", "'sad'"),
                    ("mentor_id", "1"),
                    ("favourite_book_id", "NULL"),
                    ("handle", "NULL"),
                )
            ),
        ),
        books.key(): (
            Row(
                values=(
                    ("id", "1"),
                    ("author_id", "1"),
                    ("title", "'First'"),
                    ("price", "10.50"),
                    ("updated_at", "NULL"),
                )
            ),
        ),
    }
    return make(
        *objects,
        rows=rows,
        default_privileges=(f"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {reader}",),
    )


def _drop_roles(cluster: Cluster, *roles: str) -> None:
    with connect(cluster.dsn()) as conn:
        for role in roles:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _build(
    cluster: Cluster, files: list[str], roles: tuple[str, str]
) -> tuple[str, dict[str, object]]:
    """Replay ``files`` in a fresh database; return its schema dump and its data, then drop the
    database and the roles (each side creates them: roles are cluster-wide)."""
    dbname = f"render_{uuid.uuid4().hex[:12]}"
    cluster.create_database(dbname)
    try:
        replay(cluster.dsn(dbname), [ReplayFile(f"{i}.sql", sql) for i, sql in enumerate(files, 1)])
        dump = dump_schema(cluster, dbname)
        with connect(cluster.dsn(dbname)) as conn:
            data: dict[str, object] = {
                table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("authors", "books", "invoices", "audit.log")
            }
            for sequence in ("authors_id_seq", "books_id_seq", "invoice_no"):
                data[sequence] = conn.execute(
                    f"SELECT last_value, is_called FROM {sequence}"
                ).fetchone()
            data["book_authors"] = conn.execute("SELECT * FROM book_authors").fetchall()
    finally:
        cluster.drop_database(dbname)
        _drop_roles(cluster, *roles)
    return dump, data


def test_rendered_schema_builds_the_same_database_as_its_history(pg_cluster: Cluster) -> None:
    suffix = uuid.uuid4().hex[:8]
    roles = (f"reader_{suffix}", f"owner_{suffix}")
    rendered = render_schema(library(*roles))

    history_dump, history_data = _build(pg_cluster, history(*roles), roles)
    rendered_dump, rendered_data = _build(pg_cluster, [rendered], roles)

    assert normalise_dump(rendered_dump) == normalise_dump(history_dump)
    assert rendered_data == history_data
    # The objects the dump must show, so that equality above means something.
    normal = normalise_dump(rendered_dump)
    for needle in (
        "CREATE TYPE public.mood AS ENUM",
        "CREATE DOMAIN public.email",
        "CREATE TRIGGER books_touch",
        "CREATE POLICY cheap_only",
        "ALTER TABLE public.books ENABLE ROW LEVEL SECURITY",
        "authors_favourite_book_id_fkey",
        "books_title_nonempty",
        f"GRANT SELECT(name) ON TABLE public.authors TO {roles[0]}",
        f"ALTER TABLE public.authors OWNER TO {roles[1]}",
        "REVOKE ALL ON FUNCTION public.touch() FROM PUBLIC",
        "ALTER DEFAULT PRIVILEGES",
        'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA audit',
        "COMMENT ON CONSTRAINT books_price_positive",
    ):
        assert needle in normal, needle


def test_rendered_foreign_key_cycle_applies(pg_cluster: Cluster) -> None:
    a = table(
        "a",
        col("id", not_null=True),
        col("b_id"),
        constraints=(
            constraint("primary key", "a_pkey", columns=("id",)),
            constraint(
                "foreign key", "a_b_fk", columns=("b_id",), references=w("b"), target=q("b")
            ),
        ),
        created=1,
    )
    b = table(
        "b",
        col("id", not_null=True),
        col("a_id"),
        constraints=(
            constraint("primary key", "b_pkey", columns=("id",)),
            constraint(
                "foreign key", "b_a_fk", columns=("a_id",), references=w("a"), target=q("a")
            ),
        ),
        created=2,
    )
    rows = {
        a.key(): (Row(values=(("id", "1"), ("b_id", "1"))),),
        b.key(): (Row(values=(("id", "1"), ("a_id", "1"))),),
    }
    dbname = f"render_{uuid.uuid4().hex[:12]}"
    pg_cluster.create_database(dbname)
    try:
        replay(pg_cluster.dsn(dbname), [ReplayFile("x.sql", render_schema(make(a, b, rows=rows)))])
        with connect(pg_cluster.dsn(dbname)) as conn:
            count = conn.execute(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
            ).fetchone()
            assert count == (2,)
    finally:
        pg_cluster.drop_database(dbname)
