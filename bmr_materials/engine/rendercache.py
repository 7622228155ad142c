"""Keep the shared render cache (and the kept preflight findings) from growing without end.

Every file in them is named by a digest of what it depends on, so a changed figure leaves the
old chart behind. Builds hold the render cache shared while they render; at most once a day a
build that finds no other one rendering removes the files made more than MAX_AGE_DAYS ago. A
file still needed is simply made again (one chart, one layout choice).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from bmr_materials.resources import cache_root, render_cache

MAX_AGE_DAYS = 30
PRUNE_EVERY = 86400  # seconds between two clean-ups
LOCK, STAMP = ".lock", ".pruned"
# Registered once per process (a `serve` runs for days) and read when a language is first
# hyphenated: never removed under it. A new dictionary is a new file; they are few and small.
KEPT = ("hyphenation",)


@contextlib.contextmanager
def rendering() -> Iterator[None]:
    """Hold the render cache shared: no clean-up removes a file a renderer is about to read."""
    with _locked(fcntl.LOCK_SH) as held:
        assert held
        yield


def prune(now: float | None = None) -> int:
    """Remove the render cache's and the preflight record's files older than MAX_AGE_DAYS,
    unless that was done within a day or another build is rendering; how many were removed."""
    now = time.time() if now is None else now
    stamp = render_cache() / STAMP
    with contextlib.suppress(FileNotFoundError):
        if now - stamp.stat().st_mtime < PRUNE_EVERY:
            return 0
    with _locked(fcntl.LOCK_EX | fcntl.LOCK_NB) as held:
        if not held:
            return 0
        removed = sum(
            _remove_older(folder, now - MAX_AGE_DAYS * 86400)
            for folder in (render_cache(), cache_root() / "preflight")
        )
        stamp.touch()
        os.utime(stamp, (now, now))
    return removed


@contextlib.contextmanager
def _locked(how: int) -> Iterator[bool]:
    folder = render_cache()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, how)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_older(folder: Path, before: float) -> int:
    """Remove the files under `folder` (not its own dot files) last written before `before`."""
    removed = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not (Path(root) == folder and d in KEPT)]
        for name in names:
            path = Path(root) / name
            if name.startswith(".") and path.parent == folder:
                continue
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < before:
                    path.unlink()
                    removed += 1
    return removed
