"""Render one target to its files: the code that runs in a worker process.

Renderers are looked up by kind and imported on first use, so each worker imports only what
it renders and keeps it warm for the next target.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import importlib
import time
from pathlib import Path
from typing import Any

from bmr_materials.engine.folders import folder_error
from bmr_materials.errors import MaterialsError, RenderError
from bmr_materials.shared.kind import OutputKind
from bmr_materials.shared.repro import atomic_write


def render_files(
    module: str, context: dict[str, Any], paths: list[str], cache_dir: Path
) -> dict[str, bytes]:
    """Every file of one target as bytes, keyed by its output path: the kind is imported
    from `module` on first use, so a worker imports only the renderers it needs."""
    return _kind(module).render(context, paths, cache_dir)


def warm_up(module: str, context: dict[str, Any], paths: list[str]) -> None:
    """Let the kind of the next target start what it keeps running (a kind may have a
    `warm_up(context, paths)`: the decks start LibreOffice), so that it starts while this
    process does other work first (the charts)."""
    start = getattr(_kind(module), "warm_up", None)
    if start is not None:
        start(context, paths)


def _kind(module: str) -> OutputKind:
    """The kind in `module`, imported on first use, as the one this process renders now."""
    kind: OutputKind = importlib.import_module(module).KIND
    if _LOADED and next(reversed(_LOADED)) != module:
        close_renderers()  # a worker that moves on to another kind ends what the last kept
    _LOADED.pop(module, None)
    _LOADED[module] = kind  # the last one rendered is last
    return kind


_LOADED: dict[str, OutputKind] = {}


def close_renderers() -> None:
    """End what the kinds rendering in this process keep running (a kind may have a
    `close()`: the decks end their LibreOffice); what the last kind kept warm may be
    collected again."""
    for kind in _LOADED.values():
        close = getattr(kind, "close", None)
        if close is not None:
            close()
    gc.unfreeze()


def render_target(
    module: str, name: str, context: dict[str, Any], paths: list[str], out: Path, cache_dir: Path
) -> dict[str, Any]:
    """Render and write one target atomically; return sizes, digests and the time taken.

    All files are rendered before any is written, so a failure leaves the previous good
    files in place.
    """
    started = time.perf_counter()
    try:
        files = render_files(module, context, paths, cache_dir)
        info = {
            path: {
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "pages": _pages(path, data),
            }
            for path, data in files.items()
        }
        for path, data in files.items():
            atomic_write(out / path, data)
    except MaterialsError as exc:
        raise RenderError(f"{name}: {exc}") from None
    except OSError as exc:  # a full or read-only folder stops the build, named
        failure = folder_error(exc, out)
        if failure is not None:
            raise failure from None
        raise RenderError(f"{name}: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # a renderer bug: report it with the target's name
        raise RenderError(f"{name}: {type(exc).__name__}: {exc}") from exc
    del files
    _give_back_memory()
    return {"files": info, "seconds": time.perf_counter() - started}


def _give_back_memory() -> None:
    """Return the freed heap of a finished target to the system: a warm worker keeps its
    renderer, not the last document's pages.

    What survives the first target's collection (modules, fonts, the parsed style sheet) is
    frozen: later collections, here and during rendering, skip it and only look at what
    the next targets made (a full collection of the warm renderer took 0.3 s). Only the
    first: what is frozen is never collected, and a later target's leftovers may die."""
    gc.collect()
    if not gc.get_freeze_count():
        gc.freeze()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _pages(path: str, data: bytes) -> int | None:
    """Page count of a PDF (slides of a deck are counted by its PDF)."""
    if not path.endswith(".pdf"):
        return None
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)
