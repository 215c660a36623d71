"""Helpers for testing schemafold and what it produces: mutation operators for consolidations
(:mod:`schemafold.testing.mutations`)."""
