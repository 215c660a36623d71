"""``python -m schemafold.cli``."""

from schemafold import collect

collect.for_the_program()  # before the imports: see schemafold.collect

from schemafold.cli import program  # noqa: E402

program()
