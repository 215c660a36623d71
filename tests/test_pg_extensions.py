"""The objects of the extensions PostgreSQL ships, as ``pg_extension_objects.txt`` records
them, asked again of the real server the suite runs on."""

from __future__ import annotations

from collections.abc import Callable

from schemafold.pg_extensions import extension_objects
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import connect

_MEMBERS = """
SELECT {column} FROM pg_depend d JOIN {catalog} o ON o.oid = d.objid
 WHERE d.classid = '{catalog}'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = %s)
"""


def test_every_shipped_extension_creates_what_the_file_says(
        pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    with connect(pg_cluster.dsn(pg_cluster.maintenance_db)) as conn:
        available = [name for (name,) in conn.execute(
            "SELECT name FROM pg_available_extensions WHERE name <> 'plpgsql' ORDER BY 1")]
    assert "pgcrypto" in available and "pg_stat_statements" in available
    for name in available:
        with connect(pg_cluster.dsn(fresh_db())) as conn:
            conn.execute(f'CREATE EXTENSION "{name}" CASCADE')
            found = {
                kind: frozenset(row[0] for row in conn.execute(
                    _MEMBERS.format(column=column, catalog=catalog), (name,)))
                for kind, column, catalog in (("relations", "o.relname", "pg_class"),
                                              ("types", "o.typname", "pg_type"),
                                              ("functions", "o.proname", "pg_proc"))}
            required = {extension for (extension,) in conn.execute(
                "SELECT extname FROM pg_extension")} - {"plpgsql", name}
        recorded = extension_objects([name])
        assert recorded is not None, f"{name} is missing from pg_extension_objects.txt"
        for kind, names in found.items():
            assert names <= getattr(recorded, kind), (name, kind, names - getattr(recorded, kind))
        alone = extension_objects(required)
        assert alone is not None
        assert alone.functions <= recorded.functions, name  # CASCADE's requirements are in


def test_an_extension_postgresql_does_not_ship_is_unknown() -> None:
    assert extension_objects(["postgis"]) is None
    assert extension_objects(["pgcrypto", "timescaledb"]) is None


def test_what_the_common_extensions_create() -> None:
    nothing = extension_objects(["plpgsql"])
    assert nothing is not None and not (nothing.relations or nothing.types or nothing.functions)
    common = extension_objects(["uuid-ossp", "pgcrypto", "citext"])
    assert common is not None
    assert not common.relations
    assert {"uuid_generate_v4", "gen_random_bytes", "crypt"} <= common.functions
    assert "citext" in common.types
    # earthdistance requires cube: its functions come with it
    distance = extension_objects(["earthdistance"])
    assert distance is not None and {"ll_to_earth", "cube_distance"} <= distance.functions
    statements = extension_objects(["pg_stat_statements"])
    assert statements is not None and "pg_stat_statements" in statements.relations
