"""Helpers for testing schemafold and what it produces:

* :mod:`schemafold.testing.mutations`: mutation operators for consolidations;
* :mod:`schemafold.testing.strategies`: Hypothesis strategies that generate valid PostgreSQL DDL
  histories -- :func:`histories` draws a :class:`History` (its migrations' SQL, and
  ``write(folder)`` to put them on disk as plain numbered files) -- for property tests;
  :mod:`schemafold.testing.data_vocabulary` holds the operations on roles, privileges, an
  extension, partitions, inheritance, ``DO`` blocks, transactions and data it draws besides,
  :mod:`schemafold.testing.objects_vocabulary` those on schemas, functions, triggers, views,
  sequences, types and constraints, and :mod:`schemafold.testing.unmodelled_vocabulary` those
  on collations, aggregates and operators.

``histories``, ``History`` and ``OPERATION_KINDS`` are re-exported here. They need Hypothesis
(the ``testing`` extra: ``pip install 'schemafold[testing]'``), imported only when one of them
is first used, so that this package and :mod:`schemafold.testing.mutations` work without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemafold.testing.strategies import OPERATION_KINDS, History, histories

__all__ = ["OPERATION_KINDS", "History", "histories"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        try:
            from schemafold.testing import strategies
        except ImportError as error:
            from schemafold.errors import missing_dependency

            problem = missing_dependency(error)
            if problem is None:
                raise
            raise ImportError(str(problem), name=error.name) from None

        return getattr(strategies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
