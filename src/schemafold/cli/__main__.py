"""``python -m schemafold.cli``."""

import sys

from schemafold.cli import main

sys.exit(main())
