"""The names of the functions every database has in ``pg_catalog``.

Owns: :func:`function_names`, the union of ``SELECT DISTINCT proname FROM pg_proc`` on a fresh
PostgreSQL 15 and 18 cluster (``pg_catalog_functions.txt`` beside this module, one name a line,
sorted bytewise), so that the fold can tell a name no function of any supported major has
(``default_fn()`` where nothing made ``default_fn``) from one the server provides (``now()``).
A name only; argument types are not compared: the list serves to keep statements verbatim (or to
refuse) only where no function of that name exists at all.

Regenerate on a fresh cluster of each major (the file is the sorted union)::

    psql -At -c "SELECT DISTINCT proname FROM pg_proc ORDER BY 1" postgres

Must not know: the fold, SQL text, databases.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["function_names", "is_catalog_function", "setting_names"]


@cache
def function_names() -> frozenset[str]:
    """Every ``proname`` of ``pg_catalog`` on PostgreSQL 15 or 18, as stored (case kept)."""
    text = files("schemafold").joinpath("pg_catalog_functions.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line)


def is_catalog_function(name: str) -> bool:
    """Whether a function of name ``name`` (as PostgreSQL stores it: folded unless quoted)
    exists in ``pg_catalog`` on PostgreSQL 15 or 18."""
    return name in function_names()


@cache
def setting_names() -> frozenset[str]:
    """The names of PostgreSQL's own configuration parameters, lower case: every ``SELECT
    lower(name) FROM pg_settings`` of PostgreSQL 15, the few it hides there (``role``,
    ``seed``, ``default_with_oids`` ...) and the old names it still maps (``sort_mem``), and
    those of the later majors' ``guc_parameters.dat`` (``pg_settings_names.txt``, sorted)."""
    text = files("schemafold").joinpath("pg_settings_names.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line)
