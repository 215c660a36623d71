"""PL/pgSQL run statically: a reader and an interpreter of its deterministic subset.

``syntax`` reads a block into statements, ``values`` holds the values and the errors,
``run`` executes statements over a ``Host`` (the fold's catalog, in ``fold.procedures``): every
SQL statement the code runs goes to the host, which folds it like a statement of the history.
Must not know: the fold's state, events, rendering.
"""
