"""``schemafold adopt SRC --upto VERSION --dsn URL``: record a consolidation as applied on a
database that ran the history up to VERSION."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from schemafold.cli.common import add_history_arguments, history_options, progress_printer

EPILOG = """\
What it does, in order:
  1. folds SRC up to VERSION into the consolidation 'squash --upto VERSION' writes (same
     --layout, same versions and file texts);
  2. builds the history up to VERSION on a throwaway PostgreSQL and compares its schema with
     the database's, object by object, with owners and privileges (rows are not compared): if
     they differ it names each difference and changes nothing (exit 1);
  3. in ONE transaction, rewrites the migration tool's table so the tool takes the
     consolidation's files as applied and the replaced files as gone: _sqlx_migrations (SHA-384
     checksums), _prisma_migrations (SHA-256), flyway_schema_history (the baseline's CRC-32),
     schema_migrations (dbmate, golang-migrate), goose_db_version,
     __diesel_schema_migrations -- exactly as the tool writes them. The table is created first
     if the tool never ran there.
Run it once per database (staging, production...) before deploying the squashed folder; it is
what 'prisma migrate resolve --applied', 'supabase migration repair' or a hand-written script
would otherwise do.

examples:
  schemafold adopt migrations/ --upto 0042 --dsn "$DATABASE_URL" --dry-run
  schemafold adopt migrations/ --upto 0042 --dsn postgresql://app@db.internal/app

exit codes: 0 adopted (or, with --dry-run, would be); 1 the database differs from the history
at VERSION (nothing changed); 2 bad input (an unknown VERSION, a tool without bookkeeping);
3 environment (no server, cannot connect).
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "adopt", help="record a squash --upto as applied on a live database",
        description="Make a database that ran the history up to VERSION accept the "
        "consolidation 'schemafold squash SRC --upto VERSION' writes: check that the database "
        "equals the history at VERSION, then rewrite the migration tool's bookkeeping in one "
        "transaction, so that the tool counts the consolidation's files as applied and the "
        "files they replace as gone (like Django's squashed 'replaces', or 'prisma migrate "
        "resolve' for each folder).",
        epilog=EPILOG)
    add_history_arguments(parser, until=False)
    parser.add_argument("--upto", required=True, metavar="VERSION",
                        help="the last version the database ran, and the consolidation folds")
    parser.add_argument("--dsn", required=True, metavar="URL",
                        help="the database to adopt (libpq connection string or URI)")
    parser.add_argument("--layout", default="single", metavar="FILE|single|by-origin",
                        help="the layout the consolidation was written with (default: single)")
    parser.add_argument("--role", default=None, metavar="NAME",
                        help="replay the history as this role for the check (default: the "
                        "--dsn connection's role, unless it is postgres)")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the database and print the SQL, but change nothing")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="what to print (default: text)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.api import consolidate_upto
    from schemafold.cli.common import search_path
    from schemafold.cli.diff import history_search_path
    from schemafold.live import apply_statements, drift, recorded_rows, script
    from schemafold.sources import History

    options = history_options(args)
    options.pop("until")
    upto = consolidate_upto(args.src, args.upto, layout=args.layout, setup=args.setup,
                            search_path=search_path(args.search_path), **options)
    bookkeeping = upto.bookkeeping
    statements = [bookkeeping.ddl, *bookkeeping.adopt(upto.replaced, upto.written)]
    rows = recorded_rows(args.dsn, bookkeeping.table, bookkeeping.recorded)
    unrecorded = bookkeeping.missing(upto.replaced, rows) if rows is not None else []
    if unrecorded:
        shown = ", ".join(unrecorded[:5]) + (", ..." if len(unrecorded) > 5 else "")
        print(f"schemafold: refusing to adopt: {bookkeeping.table} does not record "
              f"{len(unrecorded)} of the migrations up to {args.upto} as applied ({shown}): "
              f"this database has not run the history up to {args.upto}; migrate it there "
              "with the old folder first; nothing was changed", file=sys.stderr)
        return 1
    history = History(upto.replaced, upto.naming)
    checked = drift(history, args.dsn, table=bookkeeping.table, also=bookkeeping.also,
                    setup=args.setup,
                    search_path=history_search_path(args.search_path), role=args.role,
                    label=f"{args.src} up to {args.upto} ({len(upto.replaced)} {upto.naming} "
                    "file(s))", progress=progress_printer())
    summary: dict[str, Any] = {
        "tool": upto.naming, "upto": args.upto, "table": bookkeeping.table,
        "consolidation": [w.path for w in upto.written],
        "replaced": [m.path for m in upto.replaced],
        "check": checked.to_dict(), "sql": statements,
        "applied": False, "dry_run": args.dry_run,
    }
    if not checked.equal:
        if args.format == "json":
            print(json.dumps(summary, indent=2))
        else:
            sys.stdout.write(checked.text())
            print(f"schemafold: refusing to adopt: the database differs from {args.src} at "
                  f"{args.upto} in {len(checked.differences)} object(s); nothing was changed",
                  file=sys.stderr)
        return 1
    if not args.dry_run:
        apply_statements(args.dsn, statements)
        summary["applied"] = True
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    elif args.dry_run:
        print(f"-- the database equals {args.src} at {args.upto}; schemafold adopt would run:")
        sys.stdout.write(script(statements))
    else:
        print(f"adopted: {bookkeeping.table} now records "
              f"{', '.join(w.path for w in upto.written)} as applied in place of "
              f"{len(upto.replaced)} replaced migration(s) (one transaction)")
    return 0
