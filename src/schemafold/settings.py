"""Settings written once: ``[tool.schemafold]`` in ``pyproject.toml`` or a ``schemafold.toml``.

This module owns finding the file (walking up from the migrations folder, or from the working
folder when no folder is named), reading and checking its keys, and merging it with the values
given on the command line and the built-in defaults into the effective settings, each with where
it came from. Paths in the file are relative to the file's folder. A command-line value always
wins over the file, and the file over the defaults.

It knows nothing of argparse, folding or PostgreSQL (docs/config.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError
from schemafold.sources import SOURCE_FORMATS

FILE_NAME = "schemafold.toml"
PYPROJECT = "pyproject.toml"

#: The keys a file may hold: (what the value is, the flag it stands for, a description).
KEYS: dict[str, tuple[str, str, str]] = {
    "source": ("path", "SRC", "the migrations folder (or one .sql file)"),
    "source_format": ("choice", "--source-format", "the migration tool the source follows"),
    "setup": ("paths", "--setup", "SQL files the history assumes exist"),
    "search_path": ("schemas", "--search-path", "the search_path the history runs under"),
    "layout": ("layout", "--layout", "single, by-origin or a TOML layout file"),
    "naming": ("choice", "--naming", "the migration tool whose file names squash writes"),
    "data": ("choice", "--data", "keep, drop or separate the rows the history leaves"),
    "dsn_env": ("env", "--dsn", "the environment variable holding the server to verify on"),
    "cache": ("bool", "--no-cache", "false: fold without the incremental cache"),
    "cache_dir": ("path", "--cache-dir", "the incremental cache's folder (docs/cache.md)"),
}

CHOICES: dict[str, tuple[str, ...]] = {
    "source_format": SOURCE_FORMATS,
    "naming": SOURCE_FORMATS,
    "data": ("keep", "drop", "separate"),
}

#: The built-in values of the settings that have one.
DEFAULTS: dict[str, Any] = {
    "source_format": None,
    "setup": [],
    "search_path": "$user,public",
    "layout": "single",
    "naming": None,
    "data": "keep",
    "dsn": None,
    "cache": True,
    "cache_dir": None,
}

BUILT_IN_LAYOUTS = ("single", "by-origin")


@attrs.frozen
class ConfigFile:
    """A settings file and its checked values (paths already made absolute)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    path: Path
    values: Mapping[str, Any]

    @property
    def label(self) -> str:
        section = "[tool.schemafold] of " if self.path.name == PYPROJECT else ""
        return f"{section}{self.path}"


@attrs.frozen
class Setting:
    """One effective setting: its value and where it came from ("flag", the file's label,
    "default", or the environment variable)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    key: str
    value: Any
    origin: str


def find_config(start: Path) -> ConfigFile | None:
    """The settings file for ``start`` (a folder or a file in one): the first folder, from
    ``start`` up to the root, holding a ``schemafold.toml`` or a ``pyproject.toml`` with a
    ``[tool.schemafold]`` table; None when there is none. Within one folder,
    ``schemafold.toml`` wins."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        own = candidate / FILE_NAME
        if own.is_file():
            return read_config(own)
        project = candidate / PYPROJECT
        if project.is_file():
            table = _load(project).get("tool", {}).get("schemafold")
            if table is not None:
                return _checked(project, table)
    return None


def read_config(path: Path) -> ConfigFile:
    """A ``schemafold.toml`` (its top level) or a ``pyproject.toml`` (its
    ``[tool.schemafold]``), checked."""
    data = _load(path)
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("schemafold", {})
    return _checked(path, data)


def _load(path: Path) -> dict[str, Any]:
    import tomllib  # only where a configuration file is found: start-up imports less

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8", file=str(path)) from None


def _checked(path: Path, data: Any) -> ConfigFile:
    where = str(path)
    if not isinstance(data, dict):
        raise InputError("the schemafold settings must be a table", file=where)
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InputError(f"unknown setting {', '.join(unknown)} (known: {', '.join(KEYS)})",
                         file=where)
    base = path.parent
    values: dict[str, Any] = {}
    for key, value in data.items():
        kind = KEYS[key][0]
        if kind == "paths":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise InputError(f"{key}: expected a file name or a list of them", file=where)
            values[key] = [base / v for v in items]
            continue
        if kind == "bool":
            if not isinstance(value, bool):
                raise InputError(f"{key}: expected true or false", file=where)
            values[key] = value
            continue
        if kind == "schemas" and isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise InputError(f"{key}: expected schema names", file=where)
            value = ",".join(value)
        if not isinstance(value, str) or not value:
            raise InputError(f"{key}: expected a non-empty string", file=where)
        if kind == "choice" and value not in CHOICES[key]:
            raise InputError(f"{key}: {value!r} is not one of {', '.join(CHOICES[key])}",
                             file=where)
        if kind == "path" or (kind == "layout" and value not in BUILT_IN_LAYOUTS):
            values[key] = base / value
        else:
            values[key] = value
    return ConfigFile(path=path, values=values)


def effective(given: Mapping[str, Any], config: ConfigFile | None,
              keys: tuple[str, ...], *, environ: Mapping[str, str] | None = None,
              defaults: Mapping[str, Any] | None = None) -> dict[str, Setting]:
    """The settings ``keys`` (setting names, ``dsn`` for ``dsn_env``) as a command sees them:
    the value ``given`` on the command line (None or empty: not given), else the file's, else
    the default."""
    environ = os.environ if environ is None else environ
    defaults = {**DEFAULTS, **(defaults or {})}
    values = config.values if config is not None else {}
    out: dict[str, Setting] = {}
    for key in keys:
        flag_value = given.get(key)
        if flag_value not in (None, []):
            out[key] = Setting(key, flag_value, "flag")
            continue
        if key == "dsn" and "dsn_env" in values:
            name = values["dsn_env"]
            assert config is not None
            if environ.get(name):
                out[key] = Setting(key, environ[name], f"${name} (dsn_env in {config.label})")
            else:
                out[key] = Setting(key, None, f"${name} is not set (dsn_env in {config.label})")
            continue
        if key in values:
            assert config is not None
            out[key] = Setting(key, values[key], config.label)
            continue
        out[key] = Setting(key, defaults.get(key), "default")
    return out
