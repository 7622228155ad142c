"""Fault injection for the tests: make writes into a folder fail, or kill the build at a
named point. Outside the tests `BMR_FAULTS` is unset and nothing here does anything.

`BMR_FAULTS` holds ';'-separated entries:
  ENOSPC:/some/folder    every atomic write under the folder fails with that errno
  kill:outputs-written   the process kills itself (SIGKILL) when it reaches that point
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

VARIABLE = "BMR_FAULTS"


def _entries() -> list[tuple[str, str]]:
    text = os.environ.get(VARIABLE, "")
    parts = (entry.partition(":") for entry in text.split(";"))
    return [(point, action) for point, colon, action in parts if colon]


def check_write(path: Path) -> None:
    """Raise the OSError a fault entry asks for when `path` is inside its folder."""
    for name, folder in _entries():
        code = getattr(errno, name, None)
        if isinstance(code, int) and Path(path).is_relative_to(folder):
            raise OSError(code, os.strerror(code), str(path))


def reach(point: str) -> None:
    """Kill this process at `point` when a fault entry asks for it (a crash, no cleanup)."""
    if ("kill", point) in _entries():
        os.kill(os.getpid(), signal.SIGKILL)
