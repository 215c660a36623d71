"""Parsing: migration text to events. ``parse/postgres`` holds the PostgreSQL dialect."""
