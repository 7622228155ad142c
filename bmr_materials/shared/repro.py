"""Fixed dates and atomic writes: the same input gives the same bytes, and no half files."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from bmr_materials.content.model import Content


def build_timestamp(content: Content) -> dt.datetime:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else the content's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    day = dt.date.fromisoformat(content.campaign.settings.reference_date)
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0, tzinfo=dt.UTC)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
