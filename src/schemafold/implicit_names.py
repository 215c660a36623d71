"""The names PostgreSQL chooses for objects the history did not name.

Owns: PostgreSQL's ``makeObjectName`` / ``ChooseRelationName`` / ``ChooseConstraintName`` rules:
``<table>_pkey``, ``<table>_<cols>_key``, ``<table>_<cols>_fkey``, ``<table>_<col>_check`` (or
``<table>_check``), ``<table>_<cols>_excl``, ``<table>_<cols>_idx``, ``<table>_<col>_seq``;
names cut to 63 bytes by shortening the longer of the table and column parts; a taken name gets
a number (``_key1``). Knows nothing of events or SQL text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

NAMEDATALEN = 64  # PostgreSQL's identifier limit is NAMEDATALEN - 1 bytes


def _clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit].decode(errors="ignore")


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    overhead = 0
    if name2:
        overhead += 1
    if label:
        overhead += len(label.encode()) + 1
    available = NAMEDATALEN - 1 - overhead
    len1 = len(name1.encode())
    len2 = len(name2.encode()) if name2 else 0
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    # PostgreSQL clips by bytes at character boundaries (pg_mbcliplen).
    part1 = _clip(name1, len1)
    parts = [part1]
    if name2:
        parts.append(_clip(name2, len2))
    if label:
        parts.append(label)
    return "_".join(parts)


def choose_name(
    name1: str, name2: str | None, label: str, is_taken: Callable[[str], bool]
) -> str:
    """``make_object_name`` with PostgreSQL's collision rule: ``label``, then ``label1``..."""
    candidate = make_object_name(name1, name2, label)
    number = 0
    while is_taken(candidate):
        number += 1
        candidate = make_object_name(name1, name2, f"{label}{number}")
    return candidate


def column_part(columns: Iterable[str]) -> str:
    """PostgreSQL's ``ChooseIndexNameAddition``: column names joined by ``_``, up to the limit."""
    out = ""
    for name in columns:
        if out:
            out += "_"
        out += name
        if len(out.encode()) >= NAMEDATALEN:
            break
    return _clip(out, NAMEDATALEN - 1)
