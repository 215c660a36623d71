"""The ``schemafold`` command line.

Owns: the top-level parser, the flags every command shares, exit codes (0 ok, 1 differ or
warnings under ``--strict``, 2 bad input or usage, 3 environment) and one-line errors with no
traceback. Each command lives in a module of its own that registers its sub-parser.

Must not know: how anything is parsed, folded or rendered (commands call the library).
"""

from __future__ import annotations

# First of all, when this is the program (the ``schemafold`` script, ``python -m``): a Ctrl-C (or
# SIGTERM, SIGHUP) while the rest is imported ends the command quietly with 128 + the signal's
# number, never with a traceback.
import os  # noqa: I001
import sys

from schemafold import signals

if sys.argv[:1] == ["-m"] or os.path.basename(sys.argv[0] if sys.argv else "") == "schemafold":
    signals.install(quiet_interrupt=True)
    from schemafold import collect

    collect.for_the_program()

import argparse  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import NoReturn  # noqa: E402

from schemafold import __version__  # noqa: E402
from schemafold.cli import (  # noqa: E402
    adopt,
    at,
    blame,
    config,
    diff,
    events,
    graph,
    plan,
    report,
    squash,
    verify,
)
from schemafold.cli.common import HelpFormatter, Parser, colour, fold_cache  # noqa: E402
from schemafold.errors import SchemafoldError, missing_dependency, printable  # noqa: E402

DESCRIPTION = """\
Fold a history of SQL migrations into its net schema, and consolidate ("squash") it into a clean
set of files that builds exactly the same database.
"""

EPILOG = """\
Run 'schemafold COMMAND --help' for a command's options.

examples:
  schemafold events migrations/
  schemafold squash migrations/ --out squashed/
  schemafold squash migrations/ --out squashed/ --setup bootstrap.sql --search-path app,public
  schemafold squash migrations/ --out squashed/ --layout by-origin --naming dbmate
  schemafold plan migrations/ --layout layout.toml
  schemafold verify migrations/ squashed/
  schemafold squash migrations/ --out squashed/ --verify
  schemafold squash migrations/ --out squashed/ --check
  schemafold report migrations/ --layout layout.toml > CONSOLIDATION.md
  schemafold blame migrations/ users.email
  schemafold at migrations/ 0007
  schemafold graph migrations/ --format dot | dot -Tsvg -o schema.svg
  schemafold squash migrations/ --upto 0042 --out squashed/
  schemafold adopt migrations/ --upto 0042 --dsn "$DATABASE_URL" --dry-run
  schemafold diff migrations/ --dsn "$DATABASE_URL"
  schemafold config

exit codes: 0 ok or equal; 1 differ (or stale, with --check), or warnings under --strict;
2 bad input or usage; 3 environment (no server, a missing extension, an extra not installed).
"""

#: Command modules, in the order ``--help`` lists them; each has ``register(commands)``.
COMMANDS = (events, squash, plan, verify, report, blame, at, graph, adopt, diff, config)


class _HelpFormatter(HelpFormatter):
    """Lists the commands one a line under "commands:", without argparse's extra COMMAND line."""

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(sub) for sub in action._get_subactions())
        return super()._format_action(action)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="schemafold", description=DESCRIPTION, epilog=EPILOG,
                    formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"schemafold {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND",
                                     parser_class=Parser)
    for module in COMMANDS:
        module.register(commands)
    # the commands first, then the few options of the top level
    groups = parser._action_groups
    groups.insert(0, groups.pop())
    return parser


def program() -> NoReturn:
    """The ``schemafold`` script (and ``python -m schemafold``): the command, then the end of
    the process with its exit code (``collect.exit_program``)."""
    from schemafold.collect import exit_program

    exit_program(main())


def main(argv: Sequence[str] | None = None) -> int:
    signals.install(quiet_interrupt=True)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if getattr(args, "configurable", False):
            from schemafold.cli.common import apply_settings

            args.settings = apply_settings(args)
        from schemafold.collect import fewer_collections, program_done

        try:
            with fewer_collections():
                cache = fold_cache(args)  # None: --no-cache, or a command that does not fold
                if cache is None:
                    return int(args.handler(args))
                from schemafold.cache import use

                with use(cache):
                    return int(args.handler(args))
        finally:
            program_done()
    except SchemafoldError as error:
        print(f"schemafold: {colour('error', '31')}: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except ImportError as error:  # an optional package: one line naming its extra
        problem = missing_dependency(error)
        if problem is None:
            raise
        print(f"schemafold: error: {problem}", file=sys.stderr)
        return problem.exit_code
    except OSError as error:  # the machine, not the input: a full disk, a folder not ours
        where = f"{error.filename}: " if error.filename else ""
        print(f"schemafold: error: {printable(f'{where}{error.strerror or error}')}",
              file=sys.stderr)
        return 3
    except (KeyboardInterrupt, signals.Terminated) as stop:
        # what was started (clusters, databases) has been cleaned up on the way here
        signum = stop.signum if isinstance(stop, signals.Terminated) else 2
        print("schemafold: interrupted" if signum == 2 else
              f"schemafold: terminated ({signals.Terminated(signum).name})", file=sys.stderr)
        return 128 + signum
