"""``python -m schemafold.cli``."""

import sys

from schemafold import collect

collect.for_the_program()  # before the imports: see schemafold.collect

from schemafold.cli import main  # noqa: E402

sys.exit(main())
