"""Proving a consolidation: replay SQL on a real PostgreSQL and compare the databases built."""

from schemafold.verify.compare import Comparison, RowDifference, compare_databases, normalise_dump
from schemafold.verify.engine import (
    Cluster,
    ReplayError,
    ReplayFile,
    connect,
    dump_roles,
    dump_schema,
    find_postgres_bin,
    replay,
)

__all__ = [
    "Cluster",
    "Comparison",
    "ReplayError",
    "ReplayFile",
    "RowDifference",
    "compare_databases",
    "connect",
    "dump_roles",
    "dump_schema",
    "find_postgres_bin",
    "normalise_dump",
    "replay",
]
