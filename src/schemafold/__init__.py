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

# When this is the command line (the ``schemafold`` script, ``python -m schemafold``): a Ctrl-C,
# SIGTERM or SIGHUP while the library is imported (a second or more) ends it quietly with 128 +
# the signal's number instead of a traceback. A library user's signals are left as they are.
import os as _os
import sys as _sys

if _sys.argv[:1] == ["-m"] or _os.path.basename(_sys.argv[0] if _sys.argv else "") == "schemafold":
    from schemafold import signals as _signals

    _signals.install(quiet_interrupt=True)

from schemafold.api import consolidate_upto, fold, fold_sql, parse  # noqa: E402
from schemafold.consolidate import Consolidation, consolidate  # noqa: E402
from schemafold.errors import EnvironmentProblem, InputError, SchemafoldError, SchemaWarning  # noqa: E402
from schemafold.fold import FoldResult, fold_events  # noqa: E402
from schemafold.lineage import LedgerEntry, LineageEntry  # noqa: E402
from schemafold.model import Schema  # noqa: E402
from schemafold.report import Report, build_report  # noqa: E402
from schemafold.verify.introspect import introspect  # noqa: E402

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
