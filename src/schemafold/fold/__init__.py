"""Folding a history of events into the net schema, with lineage and a ledger.

``fold_events(events)`` applies each event to the schema in history order, the way PostgreSQL
would. The working state lives in ``state`` (with the dispatch table from event class to
handler); ``folder`` composes the mixins; what each event kind does lives in the module of its
family, named like the parser's: ``tables`` (tables, columns, constraints), ``types`` (enums,
composite types, domains, ranges), ``relations`` (indexes, sequences, views), ``routines``
(functions, triggers, policies), ``generic`` (schemas, extensions, DROP, RENAME), with ``uses``
(which expressions use a column); ``partitions`` (what parents give partitions and children),
``like``, ``moves`` (``SET SCHEMA``), ``transactions`` (sessions, transactions, rollbacks, roles,
``search_path`` and how names are written), ``data`` and ``verbatim`` (rows, session and opaque
statements), ``procedures`` (PL/pgSQL run statically) and ``privileges`` (owners, comments,
grants).

Cost: objects are immutable and replaced one at a time (``attrs.evolve``); the working maps are
updated in place while folding and frozen into a ``Schema`` at the end, so an event costs what the
object it changes costs.
"""

from schemafold.fold.folder import Folder, fold_events
from schemafold.fold.state import FoldResult
from schemafold.fold.types import canonical_type_name

__all__ = ["FoldResult", "Folder", "canonical_type_name", "fold_events"]
