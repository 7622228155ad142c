"""Name the folder and the reason when the output or cache folder cannot be written.

A read-only, full or forbidden folder, or a file where a folder should be, ends a build with
one line ("cannot write to the output folder out: No space left on device") instead of a
traceback; what was there before stays as it was (every write is atomic).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from bmr_materials.engine.project import CACHE
from bmr_materials.errors import FolderError


def shown(path: Path) -> str:
    """`path` relative to the current folder when inside it, else absolute."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return absolute.as_posix()


def _folders(out: Path) -> list[tuple[str, Path]]:
    from bmr_materials.shared.fonts import cache_root

    return [("cache folder", out / CACHE), ("cache folder", cache_root()), ("output folder", out)]


def _in_the_way(path: Path) -> Path:
    """The file that stands where `path` or one of its parents should be a folder."""
    for candidate in (path, *path.parents):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return path


def folder_error(exc: OSError, out: Path) -> FolderError | None:
    """The one-line error for an I/O failure inside the output or cache folder, else None."""
    if exc.filename is None:
        return None
    path = Path(os.fsdecode(exc.filename)).absolute()
    for label, folder in _folders(out):
        folder = folder.absolute()
        if path == folder or path.is_relative_to(folder):
            if exc.errno in (errno.ENOTDIR, errno.EEXIST):
                reason = f"{shown(_in_the_way(path))} is a file, not a folder"
            else:
                reason = os.strerror(exc.errno) if exc.errno else str(exc)
            return FolderError(f"cannot write to the {label} {shown(folder)}: {reason}")
    return None


@contextlib.contextmanager
def named_failures(out: Path) -> Iterator[None]:
    """Turn an OSError in the output or cache folder into a FolderError; others pass."""
    try:
        yield
    except OSError as exc:
        failure = folder_error(exc, out)
        if failure is None:
            raise
        raise failure from None


def probe_cache() -> None:
    """Write and remove an empty file in the builder's cache folder: one that cannot be
    written fails the build at once, not after half a minute of making the print profile."""
    from bmr_materials.shared.fonts import cache_root
    from bmr_materials.shared.repro import atomic_write

    probe = cache_root() / ".writable"
    atomic_write(probe, b"")
    probe.unlink()
