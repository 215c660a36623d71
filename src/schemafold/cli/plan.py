"""``schemafold plan SRC``: which object goes to which file of the consolidation, and why.

Also the pieces ``squash`` shares with it: the ``--layout`` flag, and reading, folding and
planning a history in one step.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from schemafold.cli.common import (
    add_history_arguments,
    history_options,
    progress_printer,
    report_warnings,
    search_path,
)

if TYPE_CHECKING:
    from schemafold.files import FilePlan
    from schemafold.fold import FoldResult
    from schemafold.sources import History

LAYOUT_HELP = ("how to split the consolidation into files: 'single' (one file, the default), "
               "'by-origin' (one file per migration that created objects) or a TOML layout "
               "file (see docs/layouts.md)")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "plan", help="which object goes to which file of the consolidation, and why",
        description="Fold the history and show how a layout splits the consolidation into "
        "files: each object's file and the reason (the selector that took it, the object it "
        "follows, the migration that created it), and every part moved to a later file "
        "because it needs something created there (a column whose type comes later, a "
        "foreign key deferred past the table it references). Nothing is written.",
        epilog="examples:\n  schemafold plan migrations/ --layout by-origin\n"
        "  schemafold plan migrations/ --layout layout.toml --format json")
    add_history_arguments(parser)
    add_layout_argument(parser)
    parser.add_argument("--upto", metavar="VERSION", default=None,
                        help="plan 'squash --upto VERSION': the consolidation of the history up "
                        "to VERSION, the versions its files take, and the later files copied "
                        "as written")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def add_layout_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layout", default=None, metavar="FILE|single|by-origin",
                        help=LAYOUT_HELP)


def fold_and_plan(args: argparse.Namespace) -> tuple[History, FoldResult, FilePlan]:
    """Read, fold and plan the history the flags name (``consolidation.fold_and_plan``)."""
    from schemafold.consolidation import fold_and_plan as library_fold_and_plan

    return library_fold_and_plan(args.src, setup=args.setup,
                                 search_path=search_path(args.search_path), layout=args.layout,
                                 progress=progress_printer(), **history_options(args))


def run(args: argparse.Namespace) -> int:
    if args.upto is not None:
        return _run_upto(args)
    _, result, plan = fold_and_plan(args)
    if args.format == "json":
        print(json.dumps(as_json(plan), indent=2, sort_keys=True))
    else:
        print(as_text(plan), end="")
    return report_warnings(result.warnings, args)


def as_json(plan: FilePlan) -> dict[str, Any]:
    return {
        "layout": plan.layout,
        "move_forward": plan.move_forward,
        "files": [
            {
                "file": number,
                "name": name,
                "description": description,
                "objects": [{"object": i.label, "reason": i.reason}
                            for i in plan.items if i.file == number],
                "written": [{"name": f.name, "in_transaction": f.in_transaction,
                             "statements": len(f.statements)}
                            for f in plan.files if f.layout_file == number],
            }
            for number, (name, description) in enumerate(plan.layout_files, 1)
        ],
        "moves": [{"part": m.part, "from": m.from_file, "to": m.to_file, "reason": m.reason}
                  for m in plan.moves],
    }


def as_text(plan: FilePlan) -> str:
    moving = "on" if plan.move_forward else "off"
    lines = [f"layout {plan.layout} (move_forward {moving}): {len(plan.layout_files)} "
             f"file{'s' if len(plan.layout_files) != 1 else ''}"]
    for number, (name, description) in enumerate(plan.layout_files, 1):
        lines.append("")
        lines.append(f"file {number}: {name}" + (f" ({description})" if description else ""))
        written = [f for f in plan.files if f.layout_file == number]
        if not written:
            lines.append("  (nothing: not written)")
        for f in written[1:] if len(written) > 1 else []:
            mode = "" if f.in_transaction else ", outside a transaction"
            lines.append(f"  + file {f.name} ({len(f.statements)} statement"
                         f"{'s' if len(f.statements) != 1 else ''}{mode})")
        items = [i for i in plan.items if i.file == number]
        width = max((len(i.label) for i in items), default=0)
        lines.extend(f"  {i.label.ljust(width)}  {i.reason}" for i in items)
    if plan.moves:
        lines.append("")
        lines.append("moved to a later file:")
        lines.extend(f"  {m.part}: file {m.from_file} -> {m.to_file}: {m.reason}"
                     for m in plan.moves)
    return "\n".join(lines) + "\n"


def _run_upto(args: argparse.Namespace) -> int:
    """``plan --upto VERSION``: the plan of the consolidation ``squash --upto`` writes, its
    files' versions and the later files it copies."""
    from schemafold.api import consolidate_upto
    from schemafold.errors import InputError

    if args.until is not None:
        raise InputError("--upto and --until: give one")
    options = history_options(args)
    options.pop("until")
    upto = consolidate_upto(args.src, args.upto, layout=args.layout, setup=args.setup,
                            search_path=search_path(args.search_path), **options)
    if args.format == "json":
        data = as_json(upto.plan)
        data.update(upto=args.upto, versions=[w.version for w in upto.written],
                    written=[w.path for w in upto.written],
                    replaced=[m.path for m in upto.replaced], copied=list(upto.later))
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        print(as_text(upto.plan), end="")
        print()
        print(f"--upto {args.upto}: {len(upto.replaced)} migration(s) replaced by "
              f"{', '.join(w.path for w in upto.written)}")
        print(f"copied as written ({len(upto.later)} file(s)):")
        for name in upto.later:
            print(f"  {name}")
    return report_warnings(upto.result.warnings, args)
