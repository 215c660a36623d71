"""schemafold: fold a history of SQL migrations into its net schema, and consolidate it.

The public API::

    from schemafold import fold, fold_sql, parse
    result = fold(Path("migrations"))        # a folder, a list of files, or events
    result.schema, result.lineage, result.ledger, result.warnings
    schema = introspect("host=... dbname=...")  # a live database, in the same model
    report = build_report(history, result, plan)  # the consolidation analysis
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemafold.api import fold, fold_sql, parse
    from schemafold.errors import EnvironmentProblem, InputError, SchemafoldError, SchemaWarning
    from schemafold.fold import FoldResult, fold_events
    from schemafold.lineage import LedgerEntry, LineageEntry
    from schemafold.model import Schema
    from schemafold.report import Report, build_report
    from schemafold.verify.introspect import introspect

# The public names are imported when first used, not when the package is: the command line
# imports ``schemafold.cli`` first of all, so that it handles Ctrl-C from its first moments
# (importing the whole library takes a second or more) instead of printing a traceback.
_PUBLIC = {
    "fold": "schemafold.api", "fold_sql": "schemafold.api", "parse": "schemafold.api",
    "EnvironmentProblem": "schemafold.errors", "InputError": "schemafold.errors",
    "SchemafoldError": "schemafold.errors", "SchemaWarning": "schemafold.errors",
    "FoldResult": "schemafold.fold", "fold_events": "schemafold.fold",
    "LedgerEntry": "schemafold.lineage", "LineageEntry": "schemafold.lineage",
    "Schema": "schemafold.model",
    "Report": "schemafold.report", "build_report": "schemafold.report",
    "introspect": "schemafold.verify.introspect",
}


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'schemafold' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
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
    "fold",
    "fold_events",
    "fold_sql",
    "introspect",
    "parse",
]
