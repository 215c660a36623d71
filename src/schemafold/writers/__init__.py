"""Writers: a file plan as a migration tool's files, plus a README saying what each holds.

Owns: versions (from ``--base-version`` or the history's first version, zero-padded so that
lexical order is apply order), each tool's file names and markers (one small class per tool in
``writers.tools``), the preamble, and the output folder's ``README.md``.

Must not know: SQL meaning beyond "does this statement hold a ``;`` before its end", the schema,
layouts, databases. Writing to disk is the command line's (``write_folder_atomically``).
"""

from __future__ import annotations

from collections.abc import Sequence

from schemafold.errors import InputError
from schemafold.files import FilePlan, PlannedFile
from schemafold.writers.base import Writer, default_base_version, readme, versions
from schemafold.writers.tools import WRITERS

__all__ = ["NAMINGS", "WRITERS", "Writer", "default_base_version", "versions", "write"]

#: ``--naming`` values.
NAMINGS = tuple(WRITERS)


def write(
    plan: FilePlan, naming: str, *, base_version: str, source: str = "",
    writer: Writer | None = None, numbers: Sequence[str] | None = None,
    deploy: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """The files of ``plan`` as ``naming``'s migrations, and a ``README.md`` (naming the
    history as ``source``: a folder name, never a path, so that the output is the same
    wherever the history lies).

    ``writer`` replaces ``WRITERS[naming]`` (a writer set up otherwise, such as
    ``Drizzle(last_when=...)``); ``numbers`` gives each file's version instead of numbering
    from ``base_version`` (``squash --upto``: see ``schemafold.bookkeeping``); ``deploy`` are
    the README's lines on deploying the folder (Markdown)."""
    writer = writer or WRITERS.get(naming)
    if writer is None:
        raise InputError(f"unknown naming {naming!r} (known: {', '.join(WRITERS)})")
    if numbers is None:
        numbers = writer.versions(base_version, len(plan.files))
    out: list[tuple[str, str]] = []
    written: list[tuple[str, PlannedFile]] = []
    for version, file in zip(numbers, plan.files, strict=True):
        paths = writer.files(version, file.name, file)
        out.extend(paths)
        written.append((paths[0][0], file))
    out.extend(writer.closing_files(out))
    out.append(("README.md", readme(plan, writer, written, source, deploy)))
    return out
