"""Writing an output folder: all of it or nothing, never over another run's.

Owns: ``write_folder_atomically``, which every command that writes a folder (``squash``,
``Consolidation.write``) uses. Must not know: what the files hold.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from schemafold.errors import SchemafoldError

__all__ = ["write_folder_atomically"]


def write_folder_atomically(out: Path, files: Sequence[tuple[str, str]], *,
                            force: bool = False) -> None:
    """Write ``files`` into a fresh sibling folder, then move it into place in one rename.

    Without ``force`` an existing DIR is refused, also when another run creates it while this
    one writes: the final rename never replaces a folder that has files (``rename(2)`` fails
    with ``ENOTEMPTY``), so of two runs writing the same DIR at once, one fails. With ``force``
    the old DIR is first renamed aside, then removed once the new one is in place."""
    if out.exists() and not force:
        raise SchemafoldError(f"{out} exists (use --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    aside: Path | None = None
    try:
        # mkdtemp makes the folder private (0700); the output is an ordinary folder
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        for name, text in files:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if not any(staging.iterdir()):
            # an empty folder would replace an empty DIR silently: hold the place with a file
            (staging / ".schemafold").write_text("", encoding="utf-8")
        if force and (out.exists() or out.is_symlink()):
            aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, aside / out.name)
        try:
            os.rename(staging, out)
        except OSError as error:
            if aside is not None and not out.exists():
                os.replace(aside / out.name, out)  # put the old DIR back
            if error.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                raise SchemafoldError(f"{out} exists: another run wrote it meanwhile (use "
                                      "--force to replace it)") from None
            raise
    except OSError as error:  # name the folder asked for, never the staging folder
        _discard(staging, aside)
        name = str(error.filename or "")
        shown = name.replace(str(staging), str(out)) if name else str(out)
        raise OSError(error.errno, error.strerror, shown) from None
    except BaseException:
        _discard(staging, aside)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _discard(staging: Path, aside: Path | None) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
