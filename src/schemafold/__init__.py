"""schemafold: fold a history of SQL migrations into its net schema, and consolidate it.

The public API::

    from schemafold import fold, fold_sql, parse
    result = fold(Path("migrations"))        # a folder, a list of files, or events
    result.schema, result.lineage, result.ledger, result.warnings
    schema = introspect("host=... dbname=...")  # a live database, in the same model
    squashed = consolidate("migrations", naming="sqlx")  # the files a squash writes
    report = build_report(squashed.history, squashed.result, squashed.plan)
    upto = consolidate_upto(Path("migrations"), "0042")  # squash --upto, as (path, text) pairs
"""

from schemafold.api import consolidate_upto, fold, fold_sql, parse
from schemafold.consolidate import Consolidation, consolidate
from schemafold.errors import EnvironmentProblem, InputError, SchemafoldError, SchemaWarning
from schemafold.fold import FoldResult, fold_events
from schemafold.lineage import LedgerEntry, LineageEntry
from schemafold.model import Schema
from schemafold.report import Report, build_report
from schemafold.verify.introspect import introspect

__version__ = "0.1.0"

__all__ = [
    "Consolidation",
    "EnvironmentProblem",
    "FoldResult",
    "InputError",
    "LedgerEntry",
    "LineageEntry",
    "Report",
    "Schema",
    "SchemaWarning",
    "SchemafoldError",
    "__version__",
    "build_report",
    "consolidate",
    "consolidate_upto",
    "fold",
    "fold_events",
    "fold_sql",
    "introspect",
    "parse",
]
