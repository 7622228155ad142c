"""Fixed dates and atomic writes: the same input gives the same bytes, and no half files."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from functools import cache
from importlib import metadata, util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmr_materials.shared.faults import check_write

if TYPE_CHECKING:  # atomic writes need no content model (a build with nothing to do)
    from bmr_materials.content.model import Content


def build_timestamp(content: Content) -> dt.datetime:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else the content's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    day = dt.date.fromisoformat(content.campaign.settings.reference_date)
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0, tzinfo=dt.UTC)


def document_digest(context: Mapping[str, Any]) -> str:
    """A hex digest of what a document shows, for its PDF /ID and XMP DocumentID: the render
    context without "files" at any depth (where the assets lie on this machine), so that a
    build in another folder gives the same bytes."""
    return hashlib.sha256(json.dumps(without_files(context), sort_keys=True).encode()).hexdigest()


def without_files(value: Any) -> Any:
    """`value` without the "files" of its dicts at any depth (where assets lie on this
    machine: a context's logo, a chart's shipped font files)."""
    if isinstance(value, dict):
        return {k: without_files(v) for k, v in value.items() if k != "files"}
    if isinstance(value, list):
        return [without_files(v) for v in value]
    return value


@cache
def drawing_digest(modules: tuple[str, ...], packages: tuple[str, ...] = ()) -> str:
    """sha256 of the code of `modules` and the versions of `packages`: part of the name of a
    picture kept in the shared render cache, so a changed drawing code or library draws it
    again (no import of the library: reading its version is enough)."""
    digest = hashlib.sha256()
    for module in modules:
        spec = util.find_spec(module)
        assert spec is not None and spec.origin is not None, module
        digest.update(module.encode() + b"\0" + Path(spec.origin).read_bytes())
    for package in packages:
        digest.update(f"{package} {metadata.version(package)}".encode())
    return digest.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    The temporary file (`.<name>.<random>.part`) stays locked while it is written, so
    `remove_stale_parts` can tell a live writer's file from one a killed process left."""
    check_write(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


STARTED = time.time()  # this process's start, near enough: when this module was imported


def remove_stale_parts(folder: Path) -> None:
    """Delete the `.part` files under `folder` that no live process is writing (killed
    writes): a file older than this process whose lock this process can take has no writer
    any more. A younger one may be a live writer's between its creation and its lock. A
    folder that another process removes meanwhile (a finished LibreOffice conversion) is
    passed over."""
    for root, _, names in os.walk(folder):
        for name in names:
            if name.startswith(".") and name.endswith(".part"):
                _remove_if_stale(Path(root) / name)


def _remove_if_stale(part: Path) -> None:
    with contextlib.suppress(FileNotFoundError), part.open("rb") as handle:
        if os.fstat(handle.fileno()).st_mtime >= STARTED:
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        part.unlink(missing_ok=True)
