"""The writer interface, versions, and the README every output folder gets.

Owns: what every tool's writer shares (the body of a file, with the preamble), numbering files,
the README. Must not know: any one tool's conventions (``writers.tools``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from schemafold.errors import InputError
from schemafold.files import FilePlan, PlannedFile
from schemafold.render.postgres import PREAMBLE

__all__ = ["Writer", "default_base_version", "readme", "versions"]

#: The narrowest version a writer pads to.
MIN_WIDTH = 4


class Writer:
    """One tool's conventions. ``files`` gives the paths and texts of one migration;
    ``no_transaction`` says how the tool is told to run it outside a transaction."""

    name: ClassVar[str]
    no_transaction: ClassVar[str]
    apply_with: ClassVar[str]

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        raise NotImplementedError

    def versions(self, base: str, count: int) -> list[str]:
        """The versions of ``count`` files from ``base`` (see ``versions``)."""
        return versions(base, count)

    def folder_files(self) -> list[tuple[str, str]]:
        """Files the tool wants once beside the migrations (none, unless it says otherwise)."""
        return []

    def closing_files(self, written: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """Files written once after every migration, from the migrations' ``(path, text)``
        (a journal, a checksum file); by default ``folder_files``."""
        return self.folder_files()

    def body(self, file: PlannedFile, statements: Sequence[str] | None = None) -> str:
        """The SQL of a file: the preamble (files in a transaction), then each statement
        (``statements`` when the tool wraps the file's own), separated by a blank line. A file
        outside a transaction holds its one statement only: a tool sending it together with a
        SET would make it a transaction block again."""
        if file.verbatim:
            text = "\n".join(file.statements if statements is None else statements)
            return text if text.endswith("\n") else text + "\n"
        parts = ([PREAMBLE, *file.session] if file.in_transaction else []) + list(
            file.statements if statements is None else statements)
        return "\n\n".join(parts) + "\n"


def default_base_version(history_versions: Sequence[str]) -> str:
    """The first version of the history when it is a plain number (diesel's dashes dropped),
    so a consolidation starts where its history started; otherwise ``0001``."""
    if history_versions:
        first = history_versions[0].replace("-", "")
        if first.isdigit():
            return first
    return "1".zfill(MIN_WIDTH)


def versions(base: str, count: int, min_width: int = MIN_WIDTH) -> list[str]:
    """``count`` consecutive versions from ``base``, all of one width (at least ``base``'s and
    ``min_width`` digits), so that lexical order is apply order."""
    if not base.isdigit():
        raise InputError(f"--base-version {base!r}: a version is a number (digits only)")
    start = int(base)
    width = max(min_width, len(base), len(str(start + max(count - 1, 0))))
    return [str(start + i).zfill(width) for i in range(count)]


def readme(
    plan: FilePlan, writer: Writer, written: list[tuple[str, PlannedFile]], source: str,
    deploy: Sequence[str] = (),
) -> str:
    """What each file holds, in apply order, which parts moved forward, and (``deploy``, for a
    consolidation of part of a history) what to do on existing databases and on fresh ones."""
    origin = f" from `{source}`" if source else ""
    lines = [
        "# Consolidated migrations",
        "",
        f"Written by schemafold{origin} with the layout `{plan.layout}`, in {writer.name}'s "
        f"naming. Apply them in this order with {writer.apply_with}; each runs in one "
        "transaction unless noted. They build the history's net schema: every object created "
        "once, with its final definition.",
        "",
    ]
    for number, (path, file) in enumerate(written, 1):
        lines.append(f"## {number}. `{path}`")
        lines.append("")
        if file.description:
            lines.append(file.description[0].upper() + file.description[1:] + ".")
            lines.append("")
        if not file.in_transaction:
            lines.append(f"Runs outside a transaction ({writer.no_transaction}).")
            lines.append("")
        if file.items:
            lines.append(f"Holds {len(file.items)} object{'s' if len(file.items) != 1 else ''}:")
            lines.append("")
            lines.extend(f"- {item}" for item in file.items)
            lines.append("")
    if plan.moves:
        lines.append("## Parts moved to a later file")
        lines.append("")
        lines.extend(f"- {m.part}: file {m.from_file} → {m.to_file}, because it {m.reason}"
                     for m in plan.moves)
        lines.append("")
    if deploy:
        lines.append("## Deploying")
        lines.append("")
        lines.extend(deploy)
        lines.append("")
    return "\n".join(lines)
