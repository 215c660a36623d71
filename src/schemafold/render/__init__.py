"""Rendering a net schema as SQL text, one module per dialect (``render.postgres``).

Owns: model → statements, in pg_dump's phases. Must not know: files, layouts, migration tools,
databases; the order of objects comes from ``schemafold.order``.
"""

from __future__ import annotations

from schemafold.render.postgres import PREAMBLE, Statement, render_schema, render_statements

__all__ = ["PREAMBLE", "Statement", "render_schema", "render_statements"]
