"""The consolidation cache: what ``squash`` wrote and printed, for the same history and options.

Owns: the key of a finished consolidation and reading and writing it through the incremental
cache's folder (``schemafold.cache.FoldCache``: the same bound, the same atomic writes, an entry
that cannot be read is ignored and removed). A warm ``squash`` or ``squash --check`` of a
history that has not changed reads the history's files, hashes them, and prints and writes what
the cold run did, without parsing, folding or planning (nor importing the modules that do).

The key: the entry format; the fold cache's key of the whole history (``cache.chain``:
schemafold's version and the bytes of its modules, sqlglot's, Python's, the initial
``search_path``, every setup file's name and bytes, every migration as it was read); the
history's format and the reader's warnings; the source folder's resolved path (the README
names it); and every option that changes what is written or printed besides where
(``--layout``, and a layout file's bytes, ``--naming``, ``--base-version``, ``--data``,
``--source-format``, ``--define``, ``--until``, ``--strict``). What is printed is not stored as
text: the values it is printed from are, and the command prints them as a cold run does (so
``--out``, ``--check``, ``--format``, ``-q``/``-v`` need not be part of the key).

Must not know: how a consolidation is made, argument parsing.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

from schemafold.cache import base_key, chain, current

#: The layout of an entry; raise it when what an entry holds changes shape.
FORMAT = 1
#: An entry's file name: ``<key>.squash`` (a fold state's is ``<key>.fold``).
SUFFIX = ".squash"


def squash_key(args: argparse.Namespace, search_path: tuple[str, ...]) -> bytes | None:
    """The key of ``squash``'s consolidation for ``args``, or None when there is no cache in
    use or the inputs cannot be read here (the command then runs as without the cache, and
    says what is wrong as it would)."""
    from schemafold.errors import SchemafoldError
    from schemafold.sources import read_history

    if current() is None:
        return None
    try:
        history = read_history(Path(args.src), source_format=args.source_format,
                               defines=dict(args.define),
                               until=getattr(args, "until", None),
                               strict=args.strict)
        setup = [Path(p) for p in args.setup]
        digest = hashlib.sha256(b"schemafold squash %d\0" % FORMAT)
        digest.update(chain(base_key(setup, search_path), history.migrations)[-1])
        options = (history.format, [(w.message, w.file, w.line, w.text) for w in
                                    history.warnings], str(Path(args.src).resolve()),
                   str(args.layout), args.naming, args.base_version, args.data,
                   args.source_format, sorted(dict(args.define).items()),
                   getattr(args, "until", None),
                   bool(args.strict))
        digest.update(repr(options).encode("utf-8", "surrogatepass") + b"\0")
        if str(args.layout) not in ("single", "by-origin"):
            digest.update(Path(args.layout).read_bytes())
    except (SchemafoldError, OSError, UnicodeError):
        return None
    return digest.digest()


def read(key: bytes | None) -> dict[str, Any] | None:
    """The consolidation stored under ``key``, or None."""
    cache = current()
    if key is None or cache is None:
        return None
    value = cache.read(key, SUFFIX)
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None
    return value


def write(key: bytes | None, value: dict[str, Any]) -> None:
    cache = current()
    if key is None or cache is None:
        return
    cache.write(key, {**value, "format": FORMAT}, suffix=SUFFIX)
