"""schemafold: fold a history of SQL migrations into its net schema, and consolidate it.

The public API::

    from schemafold import fold, fold_sql, parse
    result = fold(Path("migrations"))        # a folder, a list of files, or events
    result.schema, result.lineage, result.ledger, result.warnings
    schema = introspect("host=... dbname=...")  # a live database, in the same model
    report = build_report(history, result, plan)  # the consolidation analysis
"""

# When this is the command line (the ``schemafold`` script, ``python -m schemafold``): a Ctrl-C,
# SIGTERM or SIGHUP while the library is imported (a second or more) ends it quietly with 128 +
# the signal's number instead of a traceback. A library user's signals are left as they are.
import os as _os
import sys as _sys

if _sys.argv[:1] == ["-m"] or _os.path.basename(_sys.argv[0] if _sys.argv else "") == "schemafold":
    from schemafold import signals as _signals

    _signals.install(quiet_interrupt=True)

from schemafold.api import fold, fold_sql, parse  # noqa: E402
from schemafold.errors import EnvironmentProblem, InputError, SchemafoldError, SchemaWarning  # noqa: E402
from schemafold.fold import FoldResult, fold_events  # noqa: E402
from schemafold.lineage import LedgerEntry, LineageEntry  # noqa: E402
from schemafold.model import Schema  # noqa: E402
from schemafold.report import Report, build_report  # noqa: E402
from schemafold.verify.introspect import introspect  # noqa: E402

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
