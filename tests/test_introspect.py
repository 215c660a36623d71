"""Introspection on a real PostgreSQL: a database read back into the model loses nothing (rendered
and replayed, it dumps equal to the original), and the static fold of every fixture history,
replayed and read back, equals the history's database read back, field by field."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomllib

import schemafold
from schemafold import fold
from schemafold.model import Function, Index, Role, Schema, SchemaObj, Sequence, Table, View
from schemafold.names import quote_ident
from schemafold.render.postgres import render_schema
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import Comparison, compare_databases
from schemafold.verify.introspect import introspect, not_held, schema_differences
from schemafold.verify.replay import ReplayFile, connect, replay
from schemafold.verify.run import read_side

HISTORIES = Path(__file__).parent / "histories"
FIXTURES = sorted(p.name for p in HISTORIES.iterdir() if p.is_dir())
INDEX = tomllib.loads((HISTORIES / "INDEX.toml").read_text())

#: Fixture histories whose static fold the server shows to differ from the history, with why.
#: The fold is another module's; each entry is a bug to fix there (strict: it must still fail).
FOLD_BUGS: dict[str, str] = {}


def reset(cluster: Cluster) -> None:
    """Drop every database but the maintenance ones, and every role a replay created."""
    with connect(cluster.dsn()) as conn:
        databases = [r[0] for r in conn.execute(
            "SELECT datname FROM pg_database WHERE datname NOT IN "
            "('postgres', 'template0', 'template1')").fetchall()]
        for name in databases:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        for (name,) in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' AND oid <> 10"
        ).fetchall():
            conn.execute(f'DROP OWNED BY "{name}" CASCADE')
            conn.execute(f'DROP ROLE "{name}"')


def environment(name: str) -> tuple[list[Path], tuple[str, ...]]:
    """A fixture's setup files and search_path (INDEX.toml's ``[fixture.<name>]``)."""
    table = INDEX.get("fixture", {}).get(name, {})
    path = tuple(s.strip() for s in table.get("search_path", "$user,public").split(","))
    return [HISTORIES / name / f for f in table.get("setup", ())], path


def session(path: tuple[str, ...]) -> str:
    return "SET search_path TO " + ", ".join(quote_ident(s) for s in path)


def setup_files(name: str) -> list[ReplayFile]:
    return [ReplayFile(p.name, p.read_text()) for p in environment(name)[0]]


class Histories:
    """One cluster per fixture history, with the history replayed into database ``h``; started
    the first time a test asks for it, stopped when the module ends."""

    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}

    def get(self, name: str) -> Cluster:
        if name not in self.clusters:
            cluster = Cluster.start()
            self.clusters[name] = cluster
            cluster.create_database("h")
            path = environment(name)[1]
            replay(cluster.dsn("h"), [*setup_files(name), *read_side(HISTORIES / name)],
                   session_setup=session(path))
        return self.clusters[name]

    def close(self) -> None:
        for cluster in self.clusters.values():
            cluster.stop()


@pytest.fixture(scope="module")
def histories() -> Iterator[Histories]:
    found = Histories()
    try:
        yield found
    finally:
        found.close()


@pytest.fixture(scope="module")
def scratch() -> Iterator[Cluster]:
    """A cluster to replay rendered schemas into; emptied after each test that uses it."""
    with Cluster.start() as cluster:
        yield cluster


@pytest.fixture
def target(scratch: Cluster) -> Iterator[tuple[Cluster, str]]:
    name = f"t_{uuid.uuid4().hex[:10]}"
    scratch.create_database(name)
    yield scratch, name
    reset(scratch)


# ---------------------------------------------------------------------------------------------
# Introspection loses nothing


def round_trip(source: Cluster, dbname: str, target: tuple[Cluster, str]
               ) -> tuple[Schema, Comparison]:
    """Introspect ``dbname`` on ``source``, render the schema read and replay it into
    ``target``; the two databases must be equal under the contract."""
    schema = introspect(source.dsn(dbname))
    text = render_schema(schema)
    cluster, db = target
    replay(cluster.dsn(db), [ReplayFile("introspected.sql", text)])
    comparison = compare_databases((source, dbname), (cluster, db))
    assert comparison.equal, comparison.summary() + "\n" + text
    return schema, comparison


@pytest.mark.parametrize("name", FIXTURES)
def test_introspection_rendered_and_replayed_dumps_equal(
    name: str, histories: Histories, target: tuple[Cluster, str]
) -> None:
    _, comparison = round_trip(histories.get(name), "h", target)
    assert not comparison.roles_diff


# A history touching every kind of object the model holds, each with its less common options.
KITCHEN_SINK = """
CREATE ROLE ks_owner NOLOGIN;
CREATE ROLE ks_reader LOGIN CONNECTION LIMIT 3 VALID UNTIL '2030-01-01';
CREATE ROLE ks_app NOLOGIN IN ROLE ks_reader;
ALTER ROLE ks_app SET statement_timeout = '5s';
COMMENT ON ROLE ks_reader IS 'reads';
CREATE SCHEMA app AUTHORIZATION ks_owner;
COMMENT ON SCHEMA app IS 'the app';
GRANT USAGE ON SCHEMA app TO ks_reader;
CREATE EXTENSION fuzzystrmatch WITH SCHEMA public;
CREATE EXTENSION btree_gist;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
CREATE TYPE app.pair AS (a int, b text COLLATE "C");
CREATE DOMAIN app.posint AS int DEFAULT 1 NOT NULL CHECK (VALUE > 0)
    CONSTRAINT small CHECK (VALUE < 1000);
CREATE TYPE app.floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
COMMENT ON TYPE app.mood IS 'feelings';
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
GRANT USAGE ON TYPE app.mood TO ks_reader;
CREATE SEQUENCE app.counter AS smallint INCREMENT BY 5 MINVALUE 5 MAXVALUE 5000 START 10
    CACHE 2 CYCLE;
SELECT setval('app.counter', 55);
CREATE SEQUENCE app.fresh START 7;
ALTER SEQUENCE app.fresh RESTART WITH 70;
CREATE TABLE app.person (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 2),
    name text NOT NULL COLLATE "C",
    mood app.mood DEFAULT 'ok',
    age app.posint,
    born date,
    token uuid DEFAULT gen_random_uuid(),
    shout text GENERATED ALWAYS AS (upper(name)) STORED,
    pair app.pair,
    tags text[] DEFAULT '{}'::text[],
    ticket int DEFAULT nextval('app.counter'),
    PRIMARY KEY (id) INCLUDE (name),
    CONSTRAINT person_name_key UNIQUE NULLS NOT DISTINCT (name) DEFERRABLE INITIALLY DEFERRED,
    CHECK (born > '1900-01-01') NO INHERIT
) WITH (fillfactor = 70);
ALTER TABLE app.person ADD CONSTRAINT later CHECK (age < 200) NOT VALID;
COMMENT ON COLUMN app.person.name IS 'full name';
COMMENT ON CONSTRAINT later ON app.person IS 'checked later';
CREATE TABLE app.booking (
    id serial PRIMARY KEY,
    person bigint REFERENCES app.person (id) ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE,
    room int,
    during tsrange,
    weight float8,
    EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0)
);
ALTER TABLE app.booking ADD CONSTRAINT booking_person_fk2 FOREIGN KEY (person)
    REFERENCES app.person (id) MATCH FULL NOT VALID;
CREATE UNLOGGED TABLE app.scratch (k text, v jsonb);
CREATE TABLE app.base (id int, note text);
CREATE TABLE app.derived (extra int) INHERITS (app.base);
CREATE TABLE app.log (at date NOT NULL, msg text, CHECK (msg <> '')) PARTITION BY RANGE (at);
CREATE TABLE app.log_2024 PARTITION OF app.log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX person_lower_idx ON app.person USING btree
    (lower(name) text_pattern_ops DESC NULLS LAST, born) INCLUDE (mood)
    WITH (fillfactor = 50) WHERE (age > 1);
CREATE UNIQUE INDEX booking_room ON app.booking (room, (weight * 2)) WHERE room IS NOT NULL;
CREATE INDEX scratch_v ON app.scratch USING gin (v jsonb_path_ops);
COMMENT ON INDEX app.scratch_v IS 'gin';
CREATE VIEW app.adults WITH (security_barrier) AS
    SELECT id, name FROM app.person WHERE age >= 18 WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW app.names AS SELECT name FROM app.person WITH NO DATA;
CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.booking;
COMMENT ON COLUMN app.adults.name IS 'adult name';
GRANT SELECT (name), UPDATE (name) ON app.person TO ks_reader;
GRANT SELECT ON app.adults TO ks_reader WITH GRANT OPTION;
CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.weight := coalesce(NEW.weight, 0) + 1;
  RETURN NEW;
END $$;
CREATE FUNCTION app.add(a int, b int DEFAULT 2, OUT s int) LANGUAGE sql IMMUTABLE
    AS 'SELECT a + b';
CREATE PROCEDURE app.nothing(x app.mood) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION app.total(VARIADIC xs int[]) RETURNS int LANGUAGE sql
    RETURN (SELECT sum(x) FROM unnest(xs) x);
REVOKE EXECUTE ON FUNCTION app.add(int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.add(int, int) TO ks_reader;
COMMENT ON FUNCTION app.stamp() IS 'stamps';
ALTER FUNCTION app.stamp() OWNER TO ks_owner;
CREATE TRIGGER booking_stamp BEFORE INSERT OR UPDATE OF weight, room ON app.booking
    FOR EACH ROW WHEN (NEW.room IS NOT NULL) EXECUTE FUNCTION app.stamp();
CREATE FUNCTION app.audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER booking_audit AFTER DELETE ON app.booking REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION app.audit('a', 'b''c');
CREATE CONSTRAINT TRIGGER person_check AFTER INSERT ON app.person
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.audit();
COMMENT ON TRIGGER booking_stamp ON app.booking IS 'stamp it';
ALTER TABLE app.person ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.person FORCE ROW LEVEL SECURITY;
CREATE POLICY own ON app.person AS RESTRICTIVE FOR UPDATE TO ks_reader, ks_app
    USING (name = current_user) WITH CHECK (age > 0);
CREATE POLICY everyone ON app.person USING (true);
COMMENT ON POLICY own ON app.person IS 'mine';
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO ks_reader;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE ks_owner GRANT USAGE ON SEQUENCES TO ks_reader
    WITH GRANT OPTION;
ALTER TABLE app.scratch OWNER TO ks_owner;
GRANT ALL ON app.scratch TO ks_app;
COMMENT ON SCHEMA public IS 'changed';
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CREATE ON SCHEMA public TO ks_app;
INSERT INTO app.person (name, mood, age, born, pair, tags)
    VALUES ('Ann', 'happy', 30, '1990-05-01', '(1,x)', '{a,"b c"}'), ('Bob', NULL, 12, NULL,
    NULL, '{}');
INSERT INTO app.person (name, age) VALUES ('it''s', 50);
INSERT INTO app.booking (person, room, during, weight)
    VALUES (100, 1, '[2024-01-01,2024-01-02)', 0.1), (NULL, 2, NULL, NULL);
INSERT INTO app.derived VALUES (1, 'x', 2);
INSERT INTO app.base VALUES (3, 'only base');
INSERT INTO app.log VALUES ('2024-03-01', 'hello');
REFRESH MATERIALIZED VIEW app.counts;
INSERT INTO app.scratch VALUES ('k', '{"a": [1, 2.50]}'), ('nul', NULL);
"""


@pytest.fixture(scope="module")
def kitchen_sink() -> Iterator[Cluster]:
    with Cluster.start() as cluster:
        cluster.create_database("ks")
        replay(cluster.dsn("ks"), [ReplayFile("0001_all.sql", KITCHEN_SINK)])
        yield cluster


def test_every_kind_of_object_survives_the_round_trip(
    kitchen_sink: Cluster, target: tuple[Cluster, str]
) -> None:
    schema, _ = round_trip(kitchen_sink, "ks", target)
    cluster, db = target
    # Read back again, the copy is the same model: nothing was lost on the way.
    assert schema_differences(schema, introspect(cluster.dsn(db))) == []


def test_introspection_reads_the_model_fields(kitchen_sink: Cluster) -> None:
    schema = introspect(kitchen_sink.dsn("ks"))
    person = schema.objects[("table", "app", "person")]
    assert isinstance(person, Table)
    assert [c.name for c in person.columns] == [
        "id", "name", "mood", "age", "born", "token", "shout", "pair", "tags", "ticket",
    ]
    id_column = person.columns[0].column
    assert (id_column.type, id_column.identity, id_column.default) == ("bigint", "ALWAYS", None)
    assert person.columns[1].column.collation == 'pg_catalog."C"'
    assert person.columns[1].comment == "full name"
    assert person.columns[6].column.generated == "GENERATED ALWAYS AS (upper(name)) STORED"
    assert person.rls_enabled and person.rls_forced
    assert person.options == "WITH (fillfactor='70')"
    later = person.constraint_named("later")
    assert later is not None and later.constraint.not_valid and later.comment == "checked later"
    unique = person.constraint_named("person_name_key")
    assert unique is not None and unique.constraint.nulls_not_distinct
    assert unique.constraint.deferrable and unique.constraint.initially_deferred
    assert {(p.grantee, p.privilege, p.column) for p in person.acl} == {
        ("ks_reader", "SELECT", "name"), ("ks_reader", "UPDATE", "name"),
    }
    assert [r.values[1] for r in schema.rows[("table", "app", "person")]] == [
        ("name", "'Ann'"), ("name", "'Bob'"), ("name", "'it''s'"),
    ]
    add = schema.objects[("function", "app", "add", ("integer", "integer"))]
    assert isinstance(add, Function) and add.text.startswith("CREATE OR REPLACE FUNCTION app.add(")
    assert {(p.grantee, p.privilege, p.revoke) for p in add.acl} == {
        ("PUBLIC", "EXECUTE", True), ("ks_reader", "EXECUTE", False),
    }
    stamp = schema.objects[("function", "app", "stamp", ())]
    assert stamp.owner == "ks_owner" and stamp.comment == "stamps"
    counter = schema.objects[("sequence", "app", "counter")]
    assert isinstance(counter, Sequence)
    assert (counter.options.increment, counter.options.cycle, counter.position) == (5, True, 75)
    fresh = schema.objects[("sequence", "app", "fresh")]
    assert isinstance(fresh, Sequence) and (fresh.restart_with, fresh.position) == (70, None)
    index = schema.objects[("index", "app", "person_lower_idx")]
    assert isinstance(index, Index)
    assert index.elements[0].expression == "lower(name)"
    assert index.elements[0].suffix == "text_pattern_ops DESC NULLS LAST"
    assert index.include == ("mood",) and index.where == "((age)::integer > 1)"
    view = schema.objects[("view", "app", "adults")]
    assert isinstance(view, View) and view.check_option == "LOCAL"
    assert view.column_comments == (("name", "adult name"),)
    reader = schema.objects[("role", "ks_reader")]
    assert isinstance(reader, Role) and reader.comment == "reads"
    public = schema.objects[("schema", "public")]
    assert isinstance(public, SchemaObj) and public.external
    assert public.comment == "changed"
    assert {(p.grantee, p.privilege, p.revoke) for p in public.acl} == {
        ("ks_app", "CREATE", False),
    }
    assert schema.default_privileges == (
        "ALTER DEFAULT PRIVILEGES FOR ROLE ks_owner GRANT USAGE ON SEQUENCES TO ks_reader "
        "WITH GRANT OPTION",
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA app GRANT SELECT ON TABLES TO "
        "ks_reader",
    )
    partition = schema.objects[("table", "app", "log_2024")]
    assert isinstance(partition, Table) and partition.partition_of is not None
    assert all(c.inherited for c in partition.columns)


def test_rows_can_be_left_out(kitchen_sink: Cluster) -> None:
    assert introspect(kitchen_sink.dsn("ks"), rows=False).rows == {}


def test_owner_names_the_role_whose_objects_get_no_owner(kitchen_sink: Cluster) -> None:
    schema = introspect(kitchen_sink.dsn("ks"), owner="ks_owner", exclude_roles=["ks_app"])
    assert schema.objects[("function", "app", "stamp", ())].owner is None
    assert schema.objects[("table", "app", "person")].owner == "postgres"
    assert ("role", "ks_app") not in schema.objects
    assert ("role", "ks_owner") not in schema.objects


def test_not_held_names_what_the_model_cannot_hold(fresh_db: object, pg_cluster: Cluster) -> None:
    db = fresh_db()  # type: ignore[operator]
    replay(pg_cluster.dsn(db), [ReplayFile("x.sql", """
        CREATE TABLE t (x int);
        CREATE AGGREGATE my_sum(int) (SFUNC = int4pl, STYPE = int);
        CREATE RULE quiet AS ON DELETE TO t DO INSTEAD NOTHING;
    """)])
    found = not_held(pg_cluster.dsn(db))
    assert found == {"aggregates": ["public.my_sum(integer)"], "rules": ["quiet on public.t"]}


def test_introspect_is_part_of_the_public_api() -> None:
    assert schemafold.introspect is introspect


# ---------------------------------------------------------------------------------------------
# The static fold, checked through the server


def _fold_params() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=FOLD_BUGS[name]))
        if name in FOLD_BUGS else name
        for name in FIXTURES
    ]


@pytest.mark.parametrize("name", _fold_params())
def test_static_fold_equals_the_history_field_by_field(
    name: str, histories: Histories, target: tuple[Cluster, str]
) -> None:
    source = histories.get(name)
    setup, path = environment(name)
    consolidation = render_schema(fold(HISTORIES / name, setup=setup, search_path=path).schema)
    cluster, db = target
    replay(cluster.dsn(db), [*setup_files(name), ReplayFile("0001_schema.sql", consolidation)],
           session_setup=session(path))
    # Both sides are read by the server, so type names and expressions are spelled alike.
    differences = schema_differences(introspect(source.dsn("h")), introspect(cluster.dsn(db)))
    assert differences == [], "\n".join(differences) + "\n" + consolidation
