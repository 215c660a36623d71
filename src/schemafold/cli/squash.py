"""``schemafold squash SRC --out DIR``: fold and write the consolidation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from schemafold.cli.common import (
    SOURCE_FORMATS,
    add_history_arguments,
    refuse_inside_source,
    report_warnings,
    write_folder_atomically,
)
from schemafold.cli.plan import add_layout_argument, fold_and_plan
from schemafold.cli.verify import add_server_arguments, early_engine, verify_before_writing


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "squash", help="fold a history and write the consolidation into a new folder",
        description="Fold the history into its net schema and write it into a new folder: "
        "every object created once, with its final definition, in dependency order; nothing "
        "created and then dropped. --layout splits it into files (moving a part to a later "
        "file where it needs something created there); --naming writes them as a migration "
        "tool's files, with a README.md saying what each holds. The folder is written "
        "atomically; the source folder is never written to.")
    add_history_arguments(parser)
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="the folder to write (must not exist inside SRC)")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists")
    add_layout_argument(parser)
    parser.add_argument("--naming", choices=SOURCE_FORMATS, default=None,
                        help="the migration tool whose file names and markers to write "
                        "(default: the source's; see docs/squash.md)")
    parser.add_argument("--base-version", default=None, metavar="N",
                        help="the first file's version (default: the history's first version "
                        "when it is a number, else 0001); versions are zero-padded")
    parser.add_argument("--verify", action="store_true",
                        help="replay SRC and the consolidation on PostgreSQL and compare them "
                        "(see 'schemafold verify'): DIR is written only when they are equal, "
                        "otherwise DIR.rejected is, and the exit code is 1")
    parser.add_argument("--data", choices=("keep", "drop", "separate"), default="keep",
                        help="what to do with the rows the history leaves (and the sequence "
                        "positions and data statements that go with them): 'keep' them in the "
                        "data phase (the default), 'drop' them (the count is printed), or put "
                        "them in a 'separate' file of their own after all others "
                        "(see docs/data.md)")
    add_server_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="what to print: a summary line (text, the default) or, for "
                        "scripts, a JSON object with the files written, the counts, the "
                        "warnings and the verification's result")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    refuse_inside_source(args.out, args.src)
    engine = early_engine(args) if args.verify else None
    try:
        return _run(args, engine)
    finally:
        if engine is not None:
            engine.close()


def _run(args: argparse.Namespace, engine: Any) -> int:
    from schemafold.writers import default_base_version, write

    history, result, plan = fold_and_plan(args)
    plan, data_note = _apply_data_policy(args, history, result, plan)
    naming = args.naming or history.format
    base = args.base_version or default_base_version([m.version for m in history.migrations])
    files = write(plan, naming, base_version=base, source=args.src.resolve().name)
    summary: dict[str, Any] = {
        "out": str(args.out),
        "written": True,
        "naming": naming,
        "files": [{"name": name, "bytes": len(text.encode())} for name, text in files],
        "statements": len(result.ledger),
        "objects": len(result.schema.objects),
        "kept_verbatim": sum(1 for e in result.ledger if e.outcome == "kept-verbatim"),
        "moved_forward": len(plan.moves),
        "kept_as_written": {"files": [f.name for f in plan.files if f.verbatim],
                            "why": plan.tail_note or None},
        "data": {"policy": args.data, "note": data_note or None},
        "warnings": [{"file": w.file, "line": w.line, "message": w.message}
                     for w in result.warnings],
        "verify": None,
    }
    report = ""
    code = 0
    if args.verify:
        verified, report = verify_before_writing(args, files, naming, engine=engine)
        summary["verify"] = verified.to_dict()
        if not verified.equal:
            rejected = args.out.with_name(args.out.name + ".rejected")
            refuse_inside_source(rejected, args.src)
            write_folder_atomically(rejected, files, force=True)
            summary.update(written=False, rejected=str(rejected))
            summary["verify"]["consolidation"] = str(rejected)
            code = 1
        else:
            summary["verify"]["consolidation"] = str(args.out)
    if code == 0:
        write_folder_atomically(args.out, files, force=args.force)
    if args.format == "json":
        print(json.dumps(summary, indent=2))
        return report_warnings(result.warnings, args.strict) or code
    if code:
        sys.stdout.write(report)
        print(f"schemafold: the consolidation is not equal to the history: written to "
              f"{summary['rejected']}, not {args.out}", file=sys.stderr)
        return code
    print(f"folded {summary['statements']} statements into {len(plan.files)} {naming} file"
          f"{'s' if len(plan.files) != 1 else ''} in {args.out} ({summary['objects']} "
          f"objects, {summary['kept_verbatim']} statements kept verbatim, "
          f"{summary['moved_forward']} parts moved forward)")
    if plan.tail_note:
        print(plan.tail_note)
    if data_note:
        print(data_note)
    sys.stdout.write(report)
    return report_warnings(result.warnings, args.strict)


def _apply_data_policy(args: argparse.Namespace, history: Any, result: Any,
                       plan: Any) -> tuple[Any, str]:
    """``--data drop|separate``: plan the schema without its data; ``separate`` adds the data
    as the last file. Returns the plan and a line saying what happened to the rows."""
    if args.data == "keep":
        return plan, ""
    import attrs

    from schemafold.data_policy import split_data
    from schemafold.files import PlannedFile, plan_files, without_tail
    from schemafold.layout import load_layout

    split = split_data(result.schema, args.data)
    # the verbatim tail (if any) stays last: the rows it finds are the folded files' rows
    note = plan.tail_note
    plan, tail = without_tail(plan)
    folded = history.migrations[:len(history.migrations) - len(tail)]
    plan = plan_files(attrs.evolve(result, schema=split.schema), load_layout(args.layout),
                      folded)
    what = f"{split.rows} row{'s' if split.rows != 1 else ''}"
    if split.statements:
        what += f" and {split.statements} data statement{'s' if split.statements != 1 else ''}"
    if args.data == "drop":
        return _retail(plan, tail, note), f"dropped {what} (--data drop)"
    for warning in split.notes:
        print(f"schemafold: warning: {warning}", file=sys.stderr)
    if not split.data_file:
        return _retail(plan, tail, note), "no rows to separate (--data separate)"
    description = "the rows the history leaves, loaded after everything else (--data separate)"
    session = next((f.session for f in plan.files if f.in_transaction), ())
    data_file = PlannedFile(name="data", description=description, statements=split.data_file,
                            layout_file=len(plan.layout_files) + 1, session=session)
    plan = attrs.evolve(plan, files=(*plan.files, data_file),
                        layout_files=(*plan.layout_files, ("data", description)))
    return _retail(plan, tail, note), f"moved {what} into the last file (--data separate)"


def _retail(plan: Any, tail: tuple[Any, ...], note: str) -> Any:
    """``plan`` with the verbatim tail's files put back after its own."""
    import attrs

    first = len(plan.layout_files) + 1
    files = tuple(attrs.evolve(f, layout_file=first + i) for i, f in enumerate(tail))
    return attrs.evolve(plan, files=(*plan.files, *files), tail_note=note,
                        layout_files=(*plan.layout_files,
                                      *((f.name, f.description) for f in files)))
