"""One process at a time per output folder: build, clean, watch (and serve) take the same
lock, so none of them deletes or records files another one is writing."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from bmr_materials.engine.folders import shown
from bmr_materials.errors import MaterialsError

NAME = ".lock"
_held: set[Path] = set()  # output folders this process holds (watch builds inside its lock)


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold `out` (created if missing) for this process, or refuse at once when another
    process holds it. Nested use in the same process (watch -> build) is allowed."""
    key = out.resolve()
    if key in _held:
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    with (out / NAME).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MaterialsError(
                f"another build, watch or clean is using {shown(out)}: wait for it to end"
            ) from None
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
            fcntl.flock(handle, fcntl.LOCK_UN)
