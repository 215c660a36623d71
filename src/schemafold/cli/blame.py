"""``schemafold blame SRC OBJECT``: every statement of the history that touched an object."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from typing import Any

from schemafold.cli.common import (
    add_history_arguments,
    history_options,
    progress_printer,
    report_warnings,
    search_path,
)
from schemafold.errors import InputError
from schemafold.kinds import ObjectKey, ObjectKind

EPILOG = """\
OBJECT is a name as the history ends up calling it, optionally qualified by its schema, its
table (for a column or trigger) and a kind:
  users                     the table (or view, type, function...) named users
  users.email               the column email of users
  public.users              users in schema public
  function:touch_updated    only functions
  trigger:users.audit       the trigger audit on users

examples:
  schemafold blame migrations/ users
  schemafold blame migrations/ users.email --format json
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "blame", help="every statement of the history that touched an object",
        description="Fold the history and list, in history order, each statement that "
        "created, altered, renamed, commented on, granted on, filled or dropped OBJECT, with "
        "its file and line. A table's list includes what happened to its columns. Objects "
        "dropped along the way can be named too.",
        epilog=EPILOG)
    add_history_arguments(parser, src_optional=False)
    parser.add_argument("object", metavar="OBJECT", help="the object (see below)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def spellings(key: tuple[object, ...]) -> set[str]:
    """The names OBJECT may give for ``key``: qualified by schema or not; a trigger or policy
    also by its own name alone."""
    return ObjectKey.from_tuple(key).spellings()

def matching_keys(lineage: Any, wanted: str) -> list[ObjectKey]:
    kind, sep, name = wanted.partition(":")
    if not sep:
        kind, name = "", wanted
    name = name.strip()
    found = []
    for key in lineage:
        if kind and key[0] != kind:
            continue
        names = spellings(key)
        if name in names or name.lower() in names:
            found.append(key)
    return found


def run(args: argparse.Namespace) -> int:
    from schemafold.api import fold
    from schemafold.lineage import Action, LineageEntry, describe_key
    from schemafold.model import Key

    result = fold(args.src, setup=args.setup, search_path=search_path(args.search_path),
                  progress=progress_printer(),
                  **history_options(args))
    keys = matching_keys(result.lineage, args.object)
    if not keys:
        raise InputError(f"no object named {args.object!r} in the history "
                         "(name it as the history ends up calling it)", file=str(args.src))
    objects = [describe_key(k) for k in keys]
    # a table's columns belong to its story
    for key in list(keys):
        if key[0] == ObjectKind.TABLE:
            keys += [k for k in result.lineage
                     if k[0] == ObjectKind.COLUMN and k[1:3] == key[1:3] and k not in keys]
    order = {(e.file, e.line): i for i, e in enumerate(result.ledger)}
    texts = {(e.file, e.line): e.text for e in result.ledger}
    # one row per account of a statement: the table says "altered" where its column says what
    # happened to it (the same account): keep the column's
    chosen: list[tuple[Key, LineageEntry]] = []
    at: dict[tuple[str, int], list[int]] = defaultdict(list)  # indexes into chosen
    for key in keys:
        for entry in result.lineage[key]:
            place = (entry.file, entry.line)
            same = next((i for i in at[place] if chosen[i][1].same_account(entry)), None)
            if same is None:
                at[place].append(len(chosen))
                chosen.append((key, entry))
            elif chosen[same][1].action == Action.ALTERED:
                chosen[same] = (key, entry)
    rows: list[dict[str, Any]] = []
    for key, entry in chosen:
        row: dict[str, Any] = {
            "file": entry.file, "line": entry.line, "action": entry.action.value,
            "object": describe_key(key), "description": entry.description,
            "statement": texts.get((entry.file, entry.line), "")}
        row.update((k, v) for k, v in entry.to_dict().items() if k not in row)
        rows.append(row)
    entries = sorted(rows, key=lambda r: (order.get((r["file"], r["line"]), len(order)),
                                          r["line"]))
    if args.format == "json":
        print(json.dumps({"object": args.object, "matches": objects, "statements": entries},
                         indent=2))
    else:
        print("\n".join(f"# {name}" for name in objects))
        for row in entries:
            print(f"{row['file']}:{row['line']}\t{row['action']}\t{row['description']}")
    return report_warnings(result.warnings, args)
