"""``python -m schemafold``: the command line, as the ``schemafold`` script runs it."""

from schemafold.cli import main

raise SystemExit(main())
