"""Mutated migration histories, for the fuzz tests: the project's own fixture histories with the
mistakes real migration folders carry (a token deleted, a file cut mid-statement, bytes inserted,
NUL among them, files swapped, a broken encoding, a nested block comment, a stray ``$``, a file
name that is not UTF-8), and running one command of the command line on one, in this process.

Only the project's own fixtures are mutated (tests/histories, tests/data_histories,
examples/attune): never another project's files.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import attrs
import tomllib
from hypothesis import strategies as st

from schemafold.cli import main

ROOT = Path(__file__).resolve().parent.parent


@attrs.frozen
class Source:
    """A fixture history: its folder and the flags it needs (setup files, search_path)."""

    name: str
    folder: Path
    flags: tuple[str, ...]


def _sources() -> list[Source]:
    sources = []
    for group in ("histories", "data_histories"):
        index = tomllib.loads((ROOT / "tests" / group / "INDEX.toml").read_text())
        for folder in sorted((ROOT / "tests" / group).iterdir()):
            if not folder.is_dir():
                continue
            table = index.get("fixture", {}).get(folder.name, {})
            flags: list[str] = []
            for setup in table.get("setup", ()):
                flags += ["--setup", str(folder / setup)]
            if "search_path" in table:
                flags += ["--search-path", table["search_path"]]
            sources.append(Source(f"{group}/{folder.name}", folder, tuple(flags)))
    attune = ROOT / "examples" / "attune"
    sources.append(Source("attune", attune / "migrations",
                          ("--setup", str(attune / "setup.sql"), "--search-path",
                           "attune,public")))
    return sources


SOURCES = _sources()

COMMANDS = ("squash", "events", "plan", "report", "graph", "at", "blame")

#: What an insertion puts in: bytes PostgreSQL rejects, and lexical traps it accepts.
INSERTS = (
    b"\x00", b"$", b" $ ", b"$$", b"$x$", b"'", b'"', b"(", b")", b";", b",", b"\\", b"\\.",
    b"/*", b"*/", b"/* a /* b */ */", b"/* a /* b */*/", b"--", b"\n\\set x 1\n", b"E'\\",
    b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\r", b" REPLACE ", b" nope ", b"::", b"U&'", b"[",
    b" BEGIN ATOMIC ", b" END ", b" CASE ", b"\t", b"\x1a", b"\x7f", b"\xe9",
)

_TOKEN = re.compile(rb"[A-Za-z_][A-Za-z_0-9$]*|[0-9]+|\$[A-Za-z_]*\$|'(?:[^']|'')*'|\"[^\"]*\"|\S")


@attrs.frozen
class Mutation:
    """One change to one file of a history; ``where`` and ``what`` are drawn as numbers and
    fitted to the file when applied, so that a mutation shrinks well."""

    kind: str
    file: int
    where: int
    what: int

    def describe(self) -> str:
        return f"{self.kind}(file {self.file}, at {self.where}, {self.what})"


KINDS = ("delete_token", "cut", "insert", "insert_at_token", "swap", "encoding", "nested_comment",
         "stray_dollar", "duplicate_token", "bad_name")


@attrs.frozen
class Mutant:
    source: Source
    mutations: tuple[Mutation, ...]
    command: str

    def __repr__(self) -> str:
        return (f"Mutant({self.source.name!r}, {self.command!r}, "
                f"[{', '.join(m.describe() for m in self.mutations)}])")


def mutations() -> st.SearchStrategy[Mutation]:
    return st.builds(Mutation, st.sampled_from(KINDS), st.integers(0, 1000),
                     st.integers(0, 10**6), st.integers(0, 1000))


def mutants(commands: Sequence[str] = COMMANDS) -> st.SearchStrategy[Mutant]:
    return st.builds(Mutant, st.sampled_from(SOURCES),
                     st.lists(mutations(), min_size=1, max_size=3).map(tuple),
                     st.sampled_from(tuple(commands)))


# -- applying -------------------------------------------------------------------------------------


def _sql_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.sql")
                  if p.is_file() and "setup" not in p.relative_to(folder).parts[:-1])


def materialize(mutant: Mutant, into: Path) -> Path:
    """Copy the mutant's history into ``into`` and apply its mutations; the folder."""
    target = into / "migrations"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(mutant.source.folder, target)
    for mutation in mutant.mutations:
        files = _sql_files(target)
        if files:
            _apply(mutation, files)
    return target


def _apply(m: Mutation, files: list[Path]) -> None:
    path = files[m.file % len(files)]
    data = path.read_bytes()
    tokens = list(_TOKEN.finditer(data))
    if m.kind == "swap":
        other = files[(m.file + 1 + m.what) % len(files)]
        if other != path:
            other_data = other.read_bytes()
            other.write_bytes(data)
            path.write_bytes(other_data)
        return
    if m.kind == "bad_name":
        name = os.fsencode(path.name)
        stem = name[:-4] if name.endswith(b".sql") else name
        new = stem + b"_\xff\xfe" + name[len(stem):]
        path.rename(path.with_name(os.fsdecode(new)))
        return
    if m.kind == "cut":
        path.write_bytes(data[: m.where % (len(data) + 1)])
        return
    if m.kind == "encoding":
        how = m.what % 4
        if how == 0:
            path.write_bytes(data.decode("utf-8", "replace").encode("utf-16"))
        elif how == 1:  # a latin-1 é where UTF-8 expects one
            at = m.where % (len(data) + 1)
            path.write_bytes(data[:at] + "é".encode("latin-1") + data[at:])
        elif how == 2:  # a UTF-8 sequence cut in half
            at = m.where % (len(data) + 1)
            path.write_bytes(data[:at] + "é".encode()[:1] + data[at:])
        else:
            path.write_bytes(b"\xef\xbb\xbf" + data)
        return
    if m.kind == "insert":
        at = m.where % (len(data) + 1)
        path.write_bytes(data[:at] + INSERTS[m.what % len(INSERTS)] + data[at:])
        return
    if not tokens:
        return
    token = tokens[m.where % len(tokens)]
    if m.kind == "delete_token":
        path.write_bytes(data[: token.start()] + data[token.end():])
    elif m.kind == "insert_at_token":
        at = token.end() if m.what % 2 else token.start()
        path.write_bytes(data[:at] + INSERTS[m.what % len(INSERTS)] + data[at:])
    elif m.kind == "nested_comment":
        comment = (b" /* a /* b */ */ ", b"/* x /* y /* z */ */ */", b" /* a /* b */*/ ",
                   b"/*/**/*/", b" /* $ ' \" */ ")[m.what % 5]
        path.write_bytes(data[: token.end()] + comment + data[token.end():])
    elif m.kind == "stray_dollar":
        path.write_bytes(data[: token.end()] + (b" $", b"$", b" $1", b"$ ")[m.what % 4]
                         + data[token.end():])
    elif m.kind == "duplicate_token":
        other = tokens[m.what % len(tokens)]
        path.write_bytes(data[: token.end()] + b" " + other.group() + data[token.end():])


# -- running ---------------------------------------------------------------------------------------


@attrs.frozen
class Outcome:
    code: int
    stdout: str
    stderr: str
    crash: str | None  # the traceback of an exception that escaped the command line


def arguments(mutant: Mutant, src: Path, out: Path) -> list[str]:
    """The command line for ``mutant.command`` on the history in ``src``; ``-v``, so that every
    warning is printed on a line of its own with its place (not grouped by kind)."""
    command = mutant.command
    flags = ["-v", *mutant.source.flags]
    if command == "squash":
        return ["squash", str(src), "--out", str(out), "--force", *flags]
    if command == "at":
        return ["at", str(src), _a_version(mutant.source.folder), *flags]
    if command == "blame":
        return ["blame", str(src), _a_table(mutant.source.folder), *flags]
    return [command, str(src), *flags]


def _a_version(folder: Path) -> str:
    names = sorted(p.name for p in folder.iterdir())
    middle = names[len(names) // 2]
    match = re.match(r"V?(\d+)", middle)
    return match.group(1) if match else "1"


def _a_table(folder: Path) -> str:
    for path in _sql_files(folder):
        match = re.search(r"CREATE TABLE (?:IF NOT EXISTS )?([\w.]+)", path.read_text(), re.I)
        if match:
            return match.group(1).lower()
    return "t"


def run_in_process(argv: Sequence[str]) -> Outcome:
    """``schemafold ARGV`` in this process, its output captured through strict UTF-8 streams
    (as a UTF-8 locale has them): an unencodable character crashes here as it would there."""
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="strict", write_through=True)
    crash = None
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        except BaseException:  # noqa: BLE001 - what the test looks for
            crash = traceback.format_exc()
            code = -1
        try:
            out.flush()
            err.flush()
        except UnicodeEncodeError:
            crash = crash or traceback.format_exc()
    return Outcome(code, out_bytes.getvalue().decode("utf-8", "replace"),
                   err_bytes.getvalue().decode("utf-8", "replace"), crash)


_ERROR = re.compile(r"^schemafold: error: (.+)$")
_PLACE = re.compile(r"^(.+):(\d+): \S")
_WARNING = re.compile(r"^.+:\d+: warning: ")
#: Errors about the command's own arguments (the OBJECT of ``blame``, the VERSION of ``at``),
#: which a mutation can make name nothing: they have no place in a file to name.
_ABOUT_ARGUMENTS = re.compile(r": no object named '|: --until ")


def problems(outcome: Outcome) -> list[str]:
    """What is wrong with an outcome: a traceback, an error without ``file:line``, an error or
    warning that spans lines."""
    found = []
    if outcome.crash:
        found.append("traceback:\n" + outcome.crash)
    lines = outcome.stderr.splitlines()
    errors = [line for line in lines if line.startswith("schemafold: error: ")]
    if outcome.code == 2:
        if len(errors) != 1:
            found.append(f"exit 2 with {len(errors)} error lines:\n{outcome.stderr}")
        for line in errors:
            match = _ERROR.match(line)
            assert match is not None
            if not _PLACE.match(match.group(1)) and not _ABOUT_ARGUMENTS.search(line):
                found.append(f"error without file:line: {line}")
        if errors and lines[-1] != errors[-1]:
            found.append(f"the error spans lines:\n{outcome.stderr}")
    for line in lines:
        if not (line.startswith("schemafold: ") or _WARNING.match(line)):
            found.append(f"stderr line neither error nor warning: {line!r}")
            break
    return found


def check(mutant: Mutant, workdir: Path) -> tuple[Outcome, list[str]]:
    """Materialize ``mutant`` under ``workdir``, run its command; the outcome and its
    problems."""
    src = materialize(mutant, workdir)
    outcome = run_in_process(arguments(mutant, src, workdir / "out"))
    return outcome, problems(outcome)


def say(text: str) -> None:
    print(text, file=sys.__stderr__)
