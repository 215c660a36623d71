"""Proving a consolidation: replay SQL on a real PostgreSQL and compare the databases built.

``verify`` (module ``run``) does it end to end; ``servers`` picks where (``--dsn``, local binaries,
a pip-installed server); ``cluster`` runs throwaway clusters; ``replay`` replays SQL files on a
server; ``dump`` runs pg_dump; ``snapshot`` reads one side; ``compare`` applies the equality
contract; ``introspect`` reads a database back into the fold's model.
"""

from schemafold.verify.cluster import (
    Cluster,
    Server,
    find_postgres_bin,
    locate_server,
    pip_server_bin,
)
from schemafold.verify.compare import (
    Comparison,
    Metric,
    ObjectDifference,
    RowDifference,
    compare_databases,
    compare_snapshots,
    normalise_dump,
)
from schemafold.verify.dump import dump_roles, dump_schema
from schemafold.verify.replay import ReplayError, ReplayFile, connect, replay
from schemafold.verify.run import Verifier, VerifyResult, verify
from schemafold.verify.snapshot import Snapshot, take_snapshot

__all__ = [
    "Cluster",
    "Comparison",
    "Metric",
    "ObjectDifference",
    "ReplayError",
    "ReplayFile",
    "RowDifference",
    "Server",
    "Snapshot",
    "Verifier",
    "VerifyResult",
    "compare_databases",
    "compare_snapshots",
    "connect",
    "dump_roles",
    "dump_schema",
    "find_postgres_bin",
    "locate_server",
    "normalise_dump",
    "pip_server_bin",
    "replay",
    "take_snapshot",
    "verify",
]
