"""schemafold: fold a history of SQL migrations into its net schema, and consolidate it.

The public API::

    from schemafold import fold, fold_sql, parse
    result = fold(Path("migrations"))        # a folder, a list of files, or events
    result.schema, result.lineage, result.ledger, result.warnings
    schema = introspect("host=... dbname=...")  # a live database, in the same model
    squashed = consolidate("migrations", naming="sqlx")  # the files a squash writes
    write(squashed, "squashed")                # atomically, all files or none
    verify("migrations", "squashed").equal     # replayed on a real PostgreSQL and compared
    report("migrations").markdown()            # what `schemafold report` prints
    blame("migrations", "users.email").rows    # every statement that touched an object
    at("migrations", "0007").sql()             # the schema as of a version
    events("migrations").events                # the parsed events, with provenance
    upto = consolidate_upto(Path("migrations"), "0042")  # squash --upto, as (path, text) pairs

The names are imported on first use (PEP 562), so ``import schemafold`` -- and with it
``schemafold --version`` and ``--help`` -- does not pay for sqlglot, the folder, the renderer or
verify. ``schemafold.fold`` is the function, as it always was, even after the subpackage of the
same name is imported (the import system would otherwise bind the subpackage over it); so are
``schemafold.verify``, ``schemafold.report``, ``schemafold.blame`` and ``schemafold.at``
(``import schemafold.verify`` and ``from schemafold.verify import ...`` still reach the
modules). ``schemafold.events`` stays the module of event classes (``from schemafold import
events as ev``), which called is ``schemafold.api.events`` (the typed spelling).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemafold.api import (
        UptoConsolidation,
        consolidate_upto,
        fold,
        fold_sql,
        parse,
        report,
        write,
    )
    from schemafold.at import SchemaAt, at
    from schemafold.blame import Blame, BlameRow, blame
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
    from schemafold.verify.run import VerifyResult, verify

__version__ = "0.1.0"

#: Each public name -> the module it lives in, imported when the name is first asked for.
_LAZY = {
    "Consolidation": "schemafold.consolidation",
    "consolidate": "schemafold.consolidation",
    "UptoConsolidation": "schemafold.api",
    "consolidate_upto": "schemafold.api",
    "fold": "schemafold.api",
    "fold_sql": "schemafold.api",
    "parse": "schemafold.api",
    "report": "schemafold.api",
    "write": "schemafold.api",
    "SchemaAt": "schemafold.at",
    "at": "schemafold.at",
    "Blame": "schemafold.blame",
    "BlameRow": "schemafold.blame",
    "blame": "schemafold.blame",
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
    "VerifyResult": "schemafold.verify.run",
    "verify": "schemafold.verify.run",
}

__all__ = [
    "Blame",
    "BlameRow",
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
    "SchemaAt",
    "SchemaWarning",
    "SchemafoldError",
    "UptoConsolidation",
    "VerifyResult",
    "__version__",
    "at",
    "blame",
    "build_report",
    "consolidate",
    "consolidate_upto",
    "events",
    "fold",
    "fold_events",
    "fold_sql",
    "introspect",
    "parse",
    "report",
    "verify",
    "write",
]


def __getattr__(name: str) -> Any:
    if name == "events":  # the module, callable as ``events()`` (see the docstring)
        return importlib.import_module("schemafold.events")
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
