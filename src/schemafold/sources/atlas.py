"""Atlas versioned migrations: ``<version>_<name>.sql`` files and their ``atlas.sum``.

Names and order (Atlas's ``sql/migrate`` ``LocalDir``): every ``*.sql`` file directly in the
folder is a migration, in lexical order of the file names; the version is the name before its
first ``_`` (without ``.sql``), the name what follows; versions compare as text.

``atlas.sum`` (``HashFile``): one running SHA-256 is fed each file's name and then its bytes, in
that order; after each file its state so far, base64, is that file's ``h1:`` hash (a file whose
first line is ``atlas:sum ignore`` feeds its name only and gets no line). The first line,
``h1:<sum>``, is the base64 SHA-256 of every ``<name><hash>`` in turn. Atlas refuses a folder
whose ``atlas.sum`` is missing or does not match ("checksum mismatch"); schemafold reads it
anyway, with a warning naming the first file that differs.

Directives: a file's header (comment lines at its very start, ended by a blank line: Atlas reads
no directive from a header not followed by one, and schemafold warns when such a header looks
like it meant one) may say ``-- atlas:txmode none`` (run outside a transaction, statement by
statement) or ``-- atlas:txmode file`` (in one); ``all``, an unknown mode or two ``txmode``
directives are errors, as Atlas refuses them. Without one, Atlas's default ``--tx-mode file``
runs each file in its own transaction. ``-- atlas:checkpoint`` marks a checkpoint: a fresh
database runs the files from the last checkpoint on, so the files before it are skipped (one
warning). ``-- atlas:delimiter D`` as the first line makes ``D`` (``\\n``, ``\\r``, ``\\t``
unescaped) end statements instead of ``;``: the line is emptied and each ``D`` that ends a
statement (outside quotes, dollar quotes and parentheses) becomes a ``;`` (its line breaks
kept, so lines stay).

A file without ``txmode none`` holding a statement PostgreSQL refuses inside a transaction block
fails under Atlas: it is read as outside a transaction, with a warning.

Must not know: SQL meaning beyond ``refusals`` and the quoting the delimiter scan skips.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from schemafold.errors import InputError, SchemaWarning
from schemafold.sources.base import Body, Candidate, Listing, Scan, Tool
from schemafold.sources.refusals import refused_in_a_block

SUM_FILE = "atlas.sum"
MARKER = "-- atlas:txmode none"
_DIRECTIVE = re.compile(r"^([ -~]*)atlas:(\w+)(?: +([ -~]*))*", re.ASCII)


# ---------------------------------------------------------------------------------------------
# atlas.sum


def hash_files(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """Each file's ``h1:`` hash (without the ``h1:``), for ``(name, bytes)`` in lexical order of
    the names: one running SHA-256 fed every name and then its bytes (see the module
    docstring)."""
    running = hashlib.sha256()
    out = []
    for name, data in files:
        running.update(name.encode("utf-8"))
        mode = directive(data.decode("utf-8", errors="replace"), "sum")
        if mode == "ignore":
            continue
        running.update(data)
        out.append((name, base64.b64encode(running.copy().digest()).decode("ascii")))
    return out


def total(entries: Sequence[tuple[str, str]]) -> str:
    """The first line's sum: base64 SHA-256 of every name and hash in turn."""
    digest = hashlib.sha256()
    for name, value in entries:
        digest.update(name.encode("utf-8"))
        digest.update(value.encode("ascii"))
    return base64.b64encode(digest.digest()).decode("ascii")


def sum_text(files: Sequence[tuple[str, bytes]]) -> str:
    """The text of ``atlas.sum`` for ``files`` (``(name, bytes)``, sorted here by name), as
    ``atlas migrate hash`` writes it."""
    entries = hash_files(sorted(files))
    return f"h1:{total(entries)}\n" + "".join(f"{n} h1:{h}\n" for n, h in entries)


def parse_sum(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """``(sum, [(name, hash)])`` of an ``atlas.sum`` text, read as Atlas reads it; None when a
    line has no ``h1:``."""
    lines = text.splitlines()
    head = lines[0].removeprefix("h1:") if lines else ""
    entries = []
    for line in lines[1:]:
        name, sep, value = line.partition("h1:")
        if not sep:
            return None
        entries.append((name.strip(), value))
    return head, entries


def sum_warning(folder: Path, names: Sequence[str]) -> SchemaWarning | None:
    """A warning when ``atlas.sum`` is missing or does not match the ``.sql`` files ``names``."""
    files = [(name, (folder / name).read_bytes()) for name in sorted(names)]
    path = folder / SUM_FILE
    if not path.is_file():
        return SchemaWarning("no atlas.sum: Atlas refuses the folder (checksum file not "
                             "found); run 'atlas migrate hash'", file=SUM_FILE, line=1)
    parsed = parse_sum(path.read_bytes().decode("utf-8", errors="replace"))
    if parsed is None:
        return SchemaWarning("not an atlas.sum (a line without 'h1:'): Atlas refuses the "
                             "folder (checksum file format invalid)", file=SUM_FILE, line=1)
    head, recorded = parsed
    actual = hash_files(files)
    if head == total(recorded) == total(actual):
        return None
    differs = next((n for (n, h), (m, g) in zip(actual, recorded, strict=False)
                    if (n, h) != (m, g)), None)
    if differs is None and len(actual) != len(recorded):
        longer = actual if len(actual) > len(recorded) else recorded
        differs = longer[min(len(actual), len(recorded))][0]
    where = f" (first difference: {differs})" if differs else ""
    return SchemaWarning(f"atlas.sum does not match the migration files{where}: Atlas refuses "
                         "the folder (checksum mismatch); run 'atlas migrate hash' if the "
                         "change is meant", file=SUM_FILE, line=1)


# ---------------------------------------------------------------------------------------------
# Directives


def directive(content: str, name: str, prefix: str | None = None) -> str | None:
    """The argument of an ``atlas:<name>`` directive at the start of ``content`` (``""`` when it
    has none), or None; with ``prefix``, what comes before ``atlas:`` must be exactly it."""
    match = _DIRECTIVE.match(content)
    if match is None or match.group(2) != name:
        return None
    if prefix is not None and match.group(1) != prefix:
        return None
    return match.group(3) or ""


def header(text: str) -> tuple[list[str], bool]:
    """The comment lines at the start of ``text``, and whether a blank line ends them (only
    then are they file directives: Atlas's ``LocalFile.comments``)."""
    comments = []
    content = text
    while content.startswith(("#", "--")):
        end = content.find("\n")
        if end < 0:
            comments.append(content)
            content = ""
            break
        comments.append(content[:end].strip())
        content = content[end + 1:]
    return comments, content.startswith("\n")


def file_directives(text: str, name: str) -> list[str]:
    """The arguments of the file directives ``atlas:<name>`` of ``text``."""
    comments, ended = header(text)
    return [d for c in comments if (d := directive(c, name)) is not None] if ended else []


def is_checkpoint(text: str) -> bool:
    return bool(file_directives(text, "checkpoint"))


# ---------------------------------------------------------------------------------------------
# Custom delimiters

_DOLLAR = re.compile(r"\$([A-Za-z\u00c8-\u00ff_][\w\u00c8-\u00ff]*)*\$")


def with_delimiter_as_semicolons(text: str, file: str) -> str:
    """``text`` whose first line is ``-- atlas:delimiter D``: that line emptied and each ``D``
    that ends a statement turned into a ``;`` followed by the line breaks ``D`` held."""
    raw = directive(text, "delimiter", "-- ")
    if raw is None:
        return text
    delim = raw.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")
    if not delim:
        raise InputError("empty atlas:delimiter", file=file, line=1)
    first, sep, rest = text.partition("\n")
    if not sep:
        raise InputError(f"no input after the delimiter {raw!r}", file=file, line=1)
    out = ["\r" if first.endswith("\r") else "", "\n"]
    depth, i, n = 0, 0, len(rest)
    while i < n:
        char = rest[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char in "'\"`":
            end = rest.find(char, i + 1)
            end = n - 1 if end < 0 else end
            out.append(rest[i:end + 1])
            i = end + 1
            continue
        if depth == 0 and rest.startswith(delim, i):
            out.append(";" + "".join(c for c in delim if c in "\r\n"))
            i += len(delim)
            continue
        if char == "$" and (dollar := _DOLLAR.match(rest, i)):
            end = rest.find(dollar.group(0), dollar.end())
            end = n if end < 0 else end + len(dollar.group(0))
            out.append(rest[i:end])
            i = end
            continue
        for left, right in (("--", "\n"), ("/*", "*/")):
            if rest.startswith(left, i) and (end := rest.find(right, i + len(left))) >= 0:
                # the comment with its end (a line comment's line break too), as Atlas skips it
                out.append(rest[i:end + len(right)])
                i = end + len(right)
                break
        else:
            out.append(char)
            i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# The tool


def split_name(file_name: str) -> tuple[str, str]:
    """``(version, name)`` of an Atlas file name, as ``LocalFile.Version`` and ``Desc`` read
    it."""
    stem = file_name.removesuffix(".sql")
    version, _, name = stem.partition("_")
    return version, name


class Atlas(Tool):
    name: ClassVar[str] = "atlas"
    summary: ClassVar[str] = "<version>_<name>.sql with atlas.sum; -- atlas:txmode none"
    no_transaction_marker: ClassVar[str | None] = MARKER

    def claims(self, listing: Listing) -> bool:
        """``atlas.sum`` lies in the folder, beside no ``.up.sql``/``.down.sql`` file (Atlas also
        keeps a sum beside the golang-migrate files it can write, which golang-migrate runs)."""
        return SUM_FILE in listing.files and not any(
            name.endswith((".up.sql", ".down.sql")) for name in listing.files)

    def version_key(self, version: str) -> Any:
        return version

    def scan(self, folder: Path) -> Scan:
        names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix == ".sql")
        warnings: list[SchemaWarning] = []
        if names:
            warning = sum_warning(folder, names)
            warnings.extend([warning] if warning else [])
        texts = {n: (folder / n).read_bytes().decode("utf-8", errors="replace") for n in names}
        checkpoints = [i for i, n in enumerate(names) if is_checkpoint(texts[n])]
        if checkpoints and checkpoints[-1] > 0:
            start = checkpoints[-1]
            warnings.append(SchemaWarning(
                f"a checkpoint: Atlas runs a fresh database from the last checkpoint on, so "
                f"the {start} file{'s' if start != 1 else ''} before it "
                f"({names[0]} to {names[start - 1]}) are skipped", file=names[start], line=1))
            names = names[start:]
        found = []
        for file_name in names:
            version, name = split_name(file_name)
            found.append(Candidate(version, name, folder / file_name, file_name))
        return Scan(tuple(found), warnings=tuple(warnings))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        file = candidate.display
        modes = file_directives(text, "txmode")
        warnings: list[SchemaWarning] = []
        if len(modes) > 1:
            raise InputError(f"two atlas:txmode directives ({', '.join(modes)}); Atlas refuses "
                             "the file", file=file, line=1)
        mode = modes[0] if modes else ""
        if mode == "all":
            raise InputError("atlas:txmode all is not allowed in a file (Atlas refuses it; "
                             "use 'file')", file=file, line=1)
        if mode not in ("", "none", "file"):
            raise InputError(f"unknown atlas:txmode {mode!r} (Atlas refuses it)", file=file,
                             line=1)
        comments, ended = header(text)
        if not ended and any(directive(c, "txmode") is not None
                             or directive(c, "checkpoint") is not None for c in comments):
            warnings.append(SchemaWarning(
                "a directive in a header no blank line ends: Atlas reads file directives only "
                "from a header followed by a blank line, so it ignores this one", file=file,
                line=1))
        text = with_delimiter_as_semicolons(text, file)
        in_transaction = mode != "none"
        if in_transaction:
            refused = refused_in_a_block(text, file, "Atlas runs each file in a transaction "
                                         "unless its header says '-- atlas:txmode none'")
            if refused is not None:
                warnings.append(refused)
                in_transaction = False
        return Body(text, in_transaction=in_transaction, warnings=tuple(warnings))


TOOL = Atlas()
