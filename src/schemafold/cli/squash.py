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
    refuse_inputs_inside,
    refuse_inside_source,
    report_warnings,
)
from schemafold.cli.plan import add_layout_argument
from schemafold.cli.verify import add_server_arguments, early_engine, verify_before_writing
from schemafold.errors import InputError
from schemafold.output import write_folder_atomically


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
    parser.add_argument("--check", action="store_true",
                        help="write nothing: compare DIR (the committed consolidation) with "
                        "what SRC squashes to now, print the files and lines that differ, and "
                        "exit 1 when it is stale, 0 when it is current (for CI and pre-commit)")
    add_layout_argument(parser)
    parser.add_argument("--naming", choices=SOURCE_FORMATS, default=None,
                        help="the migration tool whose file names and markers to write "
                        "(default: the source's; see docs/squash.md)")
    parser.add_argument("--base-version", default=None, metavar="N",
                        help="the first file's version (default: the history's first version "
                        "when it is a number, else 0001); versions are zero-padded")
    parser.add_argument("--upto", metavar="VERSION", default=None,
                        help="squash only the history up to and including VERSION, and copy "
                        "every later file byte for byte under its own name (like Django's "
                        "squashmigrations app VERSION, or a Flyway baseline migration): the "
                        "consolidation's files take versions that databases which already ran "
                        "the history skip, and README.md says what to do on existing and fresh "
                        "databases (see docs/deploy.md)")
    parser.add_argument("--verify", action="store_true",
                        help="replay SRC and the consolidation on PostgreSQL and compare them "
                        "(see 'schemafold verify'): DIR is written only when they are equal, "
                        "otherwise DIR.rejected is, and the exit code is 1")
    parser.add_argument("--data", choices=("keep", "drop", "separate"), default=None,
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
    if str(args.out) == "-":
        raise InputError("--out -: squash writes a folder of files (and their README), not one "
                         "stream; give a folder (for the net schema as one SQL script on "
                         "standard output: schemafold at SRC VERSION)")
    if args.check and args.verify:
        raise InputError("--check compares with DIR and writes nothing; --verify proves what "
                         "is written: give one of them")
    refuse_inside_source(args.out, args.src)
    inputs = _inputs(args)
    refuse_inputs_inside(args.out, inputs)
    refuse_inputs_inside(args.out.with_name(args.out.name + ".rejected"), inputs)
    engine = early_engine(args) if args.verify else None
    try:
        if args.upto is not None:
            return _run_upto(args, engine)
        return _run(args, engine)
    finally:
        if engine is not None:
            engine.close()


def _run(args: argparse.Namespace, engine: Any) -> int:
    from schemafold import squash_cache
    from schemafold.cli.common import search_path

    # a consolidation squashed before from the same history and options (docs/cache.md):
    # printed and written as the run that made it, without folding again
    key = squash_cache.squash_key(args, search_path(args.search_path))
    done = squash_cache.read(key)
    if done is None:
        done = _consolidate(args)
        squash_cache.write(key, done)
    files: list[tuple[str, str]] = [(name, text) for name, text in done["files"]]
    warnings, naming, data_note = done["warnings"], done["naming"], done["data_note"]
    for note in done["data_notes"]:
        print(f"schemafold: warning: {note}", file=sys.stderr)
    if args.check:
        return _check(args, files, warnings)
    summary: dict[str, Any] = {
        "out": str(args.out),
        "written": True,
        "naming": naming,
        "files": [{"name": name, "bytes": len(text.encode())} for name, text in files],
        "statements": done["statements"],
        # what the README the squash writes counts ("Holds N objects"), file by file
        "objects": done["objects"],
        "source_format": done["source_format"],
        "source_format_detected": args.source_format is None,
        "kept_verbatim": done["kept_verbatim"],
        "moved_forward": done["moved_forward"],
        "kept_as_written": {"files": list(done["kept_as_written"]),
                            "why": done["tail_note"] or None},
        "data": {"policy": args.data, "note": data_note or None},
        "warnings": [{"file": w.file, "line": w.line, "message": w.message}
                     for w in warnings],
        "verify": None,
    }
    code, report = _verify_and_write(args, files, naming, summary, engine)
    if args.format == "json":
        print(json.dumps(summary, indent=2))
        return report_warnings(warnings, args) or code
    if code:
        sys.stdout.write(report)
        print(f"schemafold: the consolidation is not equal to the history: written to "
              f"{summary['rejected']}, not {args.out}", file=sys.stderr)
        return code
    if args.quiet:
        return report_warnings(warnings, args)
    detected = " (detected)" if args.source_format is None else ""
    count, planned = done["migrations"], done["planned_files"]
    print(f"read {count} {done['source_format']} migration{'s' if count != 1 else ''}"
          f"{detected}; folded {summary['statements']} statements into {planned} {naming} "
          f"file{'s' if planned != 1 else ''} in {args.out} ({summary['objects']} "
          f"object{'s' if summary['objects'] != 1 else ''}, {summary['kept_verbatim']} "
          f"statements kept verbatim, {summary['moved_forward']} parts moved forward)")
    if done["tail_note"]:
        print(done["tail_note"])
    if data_note:
        print(data_note)
    sys.stdout.write(report)
    return report_warnings(warnings, args)


def _consolidate(args: argparse.Namespace) -> dict[str, Any]:
    """Fold, plan and write the consolidation in memory: what ``_run`` prints and writes
    (and the consolidation cache keeps), as plain values."""
    from schemafold.cli.common import history_options, progress_printer, search_path
    from schemafold.consolidation import consolidate

    consolidation = consolidate(
        args.src, setup=args.setup, search_path=search_path(args.search_path),
        layout=args.layout, naming=args.naming, base_version=args.base_version, data=args.data,
        progress=progress_printer(), **history_options(args))
    result, plan = consolidation.result, consolidation.plan
    return {
        "files": list(consolidation.files),
        "naming": consolidation.naming,
        "warnings": tuple(result.warnings),
        "data_note": consolidation.data_note,
        "data_notes": tuple(consolidation.data_notes),
        "statements": len(result.ledger),
        "objects": sum(len(f.items) for f in plan.files),
        "source_format": consolidation.history.format,
        "migrations": len(consolidation.history.migrations),
        "planned_files": len(plan.files),
        "kept_verbatim": sum(1 for e in result.ledger if e.outcome == "kept-verbatim"),
        "moved_forward": len(plan.moves),
        "kept_as_written": tuple(f.name for f in plan.files if f.verbatim),
        "tail_note": plan.tail_note,
    }


def _verify_and_write(args: argparse.Namespace, files: list[tuple[str, str]], naming: str,
                      summary: dict[str, Any], engine: Any) -> tuple[int, str]:
    """Write DIR; with ``--verify``, only when the files replay equal to the history, else
    ``DIR.rejected`` (exit code 1). Returns the exit code and the verification's report, and
    records both in ``summary``."""
    report = ""
    if args.verify:
        verified, report = verify_before_writing(args, files, naming, engine=engine)
        summary["verify"] = verified.to_dict()
        if not verified.equal:
            rejected = args.out.with_name(args.out.name + ".rejected")
            refuse_inside_source(rejected, args.src)
            write_folder_atomically(rejected, files, force=True)
            summary.update(written=False, rejected=str(rejected))
            summary["verify"]["consolidation"] = str(rejected)
            return 1, report
        summary["verify"]["consolidation"] = str(args.out)
    write_folder_atomically(args.out, files, force=args.force)
    return 0, report


def _check(args: argparse.Namespace, files: list[tuple[str, str]], warnings: Any) -> int:
    """``--check``: DIR against what would be written; nothing is written."""
    stale = stale_files(args.out, files)
    if args.format == "json":
        print(json.dumps({"out": str(args.out), "current": not stale,
                          "differences": stale}, indent=2))
    elif stale:
        sys.stdout.write("".join(d["diff"] for d in stale))
        names = ", ".join(f"{d['name']} ({d['status']})" for d in stale)
        print(f"schemafold: {args.out} is not what {args.src} squashes to now: {names}; "
              f"rewrite it with the same command, --force instead of --check",
              file=sys.stderr)
    else:
        print(f"{args.out} is current: {len(files)} files, as {args.src} squashes to now")
    return 1 if stale else report_warnings(warnings, args)


def stale_files(out: Path, files: list[tuple[str, str]]) -> list[dict[str, str]]:
    """What differs between the folder ``out`` and ``files``: each name with its status
    (differs, missing, not written) and a unified diff of its lines. Hidden files in ``out``
    (``.gitkeep``) are not compared."""
    import difflib

    if not out.is_dir():
        return [{"name": str(out), "status": "missing",
                 "diff": f"{out}: no such folder (nothing committed yet)\n"}]
    committed = {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*"))
                 if p.is_file() and not any(part.startswith(".")
                                            for part in p.relative_to(out).parts)}
    wanted = dict(files)
    found: list[dict[str, str]] = []
    for name in sorted(committed.keys() | wanted.keys()):
        old = (committed[name].read_text(encoding="utf-8", errors="replace")
               if name in committed else "")
        new = wanted.get(name, "")
        if name in committed and name in wanted and old == new:
            continue
        status = ("new" if name not in committed else
                  "no longer written" if name not in wanted else "differs")
        diff = "".join(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"{out}/{name}" if name in committed else "/dev/null",
            tofile=f"{out}/{name} (squashed now)" if name in wanted else "/dev/null"))
        if diff and not diff.endswith("\n"):
            diff += "\n"
        found.append({"name": name, "status": status, "diff": diff})
    return found


def _run_upto(args: argparse.Namespace, engine: Any) -> int:
    """``squash --upto VERSION``: the consolidation of the history up to VERSION, then every
    later file as it is (``api.consolidate_upto``)."""
    from schemafold.api import consolidate_upto
    from schemafold.errors import InputError

    if args.until is not None:
        raise InputError("--upto and --until: give one (--upto squashes up to VERSION and "
                         "keeps the later files; --until reads no further than VERSION)")
    if args.data != "keep" or args.base_version is not None:
        raise InputError("--upto chooses the versions itself and keeps the data: --data and "
                         "--base-version do not go with it")
    from schemafold.cli.common import history_options, progress_printer, search_path

    options = history_options(args)
    options.pop("until")
    upto = consolidate_upto(args.src, args.upto, naming=args.naming, layout=args.layout,
                            setup=args.setup, search_path=search_path(args.search_path),
                            progress=progress_printer(), **options)
    result, files = upto.result, list(upto.files)
    if args.check:
        return _check(args, files, result.warnings)
    summary: dict[str, Any] = {
        "out": str(args.out),
        "written": True,
        "naming": upto.naming,
        "upto": args.upto,
        "files": [{"name": name, "bytes": len(text.encode())} for name, text in files],
        "consolidation": [w.path for w in upto.written],
        "replaced": [m.path for m in upto.replaced],
        "copied": list(upto.later),
        "statements": len(result.ledger),
        "objects": len(result.schema.objects),
        "kept_verbatim": sum(1 for e in result.ledger if e.outcome == "kept-verbatim"),
        "warnings": [{"file": w.file, "line": w.line, "message": w.message}
                     for w in result.warnings],
        "verify": None,
    }
    code, report = _verify_and_write(args, files, upto.naming, summary, engine)
    if args.format == "json":
        print(json.dumps(summary, indent=2))
        return report_warnings(result.warnings, args) or code
    if code:
        sys.stdout.write(report)
        print(f"schemafold: the consolidation and the later files are not equal to the "
              f"history: written to {summary['rejected']}, not {args.out}", file=sys.stderr)
        return code
    count = len(upto.written)
    print(f"folded {len(upto.replaced)} {upto.naming} migrations up to {args.upto} "
          f"({summary['statements']} statements) into {count} file{'s' if count != 1 else ''} "
          f"({', '.join(w.version for w in upto.written)}) in {args.out}, and copied "
          f"{len(upto.later)} later file{'s' if len(upto.later) != 1 else ''} as written; "
          "README.md says how to deploy it")
    sys.stdout.write(report)
    return report_warnings(result.warnings, args)


def _inputs(args: argparse.Namespace) -> list[Path]:
    """The files besides SRC that the command reads: ``--setup`` files and a layout file."""
    inputs = list(args.setup)
    if args.layout not in ("single", "by-origin"):
        inputs.append(Path(args.layout))
    return inputs

