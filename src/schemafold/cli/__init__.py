"""The ``schemafold`` command line.

Owns: the top-level parser, the flags every command shares, exit codes (0 ok, 1 differ or
warnings under ``--strict``, 2 bad input or usage, 3 environment) and one-line errors with no
traceback. Each command lives in a module of its own that registers its sub-parser.

Must not know: how anything is parsed, folded or rendered (commands call the library).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from schemafold import __version__
from schemafold.cli import at, blame, events, graph, plan, report, squash, verify
from schemafold.cli.common import HelpFormatter, Parser
from schemafold.errors import SchemafoldError

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
  schemafold report migrations/ --layout layout.toml > CONSOLIDATION.md
  schemafold blame migrations/ users.email
  schemafold at migrations/ 0007
  schemafold graph migrations/ --format dot | dot -Tsvg -o schema.svg

exit codes: 0 ok or equal; 1 differ, or warnings under --strict; 2 bad input or usage;
3 environment (no server, a missing extension).
"""

#: Command modules, in the order ``--help`` lists them; each has ``register(commands)``.
COMMANDS = (events, squash, plan, verify, report, blame, at, graph)


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        from schemafold.collect import fewer_collections

        with fewer_collections():
            return int(args.handler(args))
    except SchemafoldError as error:
        print(f"schemafold: error: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # the machine, not the input: a full disk, a folder not ours
        where = f"{error.filename}: " if error.filename else ""
        print(f"schemafold: error: {where}{error.strerror or error}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("schemafold: interrupted", file=sys.stderr)
        return 130
