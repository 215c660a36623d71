"""schemafold: fold a history of SQL migrations into its net schema, and consolidate it.

The public API::

    from schemafold import fold, fold_sql, parse
    result = fold(Path("migrations"))        # a folder, a list of files, or events
    result.schema, result.lineage, result.ledger, result.warnings
    schema = introspect("host=... dbname=...")  # a live database, in the same model
    squashed = consolidate("migrations", naming="sqlx")  # the files a squash writes
    report = build_report(squashed.history, squashed.result, squashed.plan)
    upto = consolidate_upto(Path("migrations"), "0042")  # squash --upto, as (path, text) pairs

The names are imported on first use (PEP 562), so ``import schemafold`` -- and with it
``schemafold --version`` and ``--help`` -- does not pay for sqlglot, the folder, the renderer or
verify. ``schemafold.fold`` is the function, as it always was, even after the subpackage of the
same name is imported (the import system would otherwise bind the subpackage over it).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemafold.api import consolidate_upto, fold, fold_sql, parse
    from schemafold.consolidation import Consolidation, consolidate
    from schemafold.errors import (
        EnvironmentProblem,
        InputError,
        SchemafoldError,
        SchemaWarning,
    )
    from schemafold.fold import FoldResult, fold_events
    from schemafold.kinds import ObjectKey, ObjectKind
    from schemafold.lineage import LedgerEntry, LineageEntry
    from schemafold.model import Schema
    from schemafold.report import Report, build_report
    from schemafold.verify.introspect import introspect

__version__ = "0.1.0"

#: Each public name -> the module it lives in, imported when the name is first asked for.
_LAZY = {
    "Consolidation": "schemafold.consolidation",
    "consolidate": "schemafold.consolidation",
    "consolidate_upto": "schemafold.api",
    "fold": "schemafold.api",
    "fold_sql": "schemafold.api",
    "parse": "schemafold.api",
    "EnvironmentProblem": "schemafold.errors",
    "InputError": "schemafold.errors",
    "SchemafoldError": "schemafold.errors",
    "SchemaWarning": "schemafold.errors",
    "FoldResult": "schemafold.fold",
    "fold_events": "schemafold.fold",
    "ObjectKey": "schemafold.kinds",
    "ObjectKind": "schemafold.kinds",
    "LedgerEntry": "schemafold.lineage",
    "LineageEntry": "schemafold.lineage",
    "Schema": "schemafold.model",
    "Report": "schemafold.report",
    "build_report": "schemafold.report",
    "introspect": "schemafold.verify.introspect",
}

__all__ = [
    "Consolidation",
    "EnvironmentProblem",
    "FoldResult",
    "InputError",
    "LedgerEntry",
    "LineageEntry",
    "ObjectKey",
    "ObjectKind",
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


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'schemafold' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """Keeps ``schemafold.fold`` the function: importing the subpackage ``schemafold.fold``
    makes the import system set the package's attribute ``fold`` to the subpackage."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
