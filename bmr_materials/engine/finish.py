"""Finish a build after its outputs: refresh the catalog (index.html and its thumbnails) and
preflight the files that have not passed yet; record both in the manifest, written last.

Both belong to what a build must finish: a build killed or failed before them leaves the
manifest without their record, and the next build does them even when no output is outdated.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content
from bmr_materials.engine.manifest import Manifest
from bmr_materials.shared.faults import reach
from bmr_materials.shared.kind import Options, OutputKind


def finish(
    out: Path, content: Content, kinds: Sequence[OutputKind], select: Options, *, preflight: bool
) -> list[Any]:
    """Bring the catalog and the preflight record up to date; the preflight Results (none
    when every selected file passed as it is). Files with errors are checked again next time."""
    from bmr_materials.engine.catalog import catalog_key, write_catalog

    manifest = Manifest(out)
    key = catalog_key(manifest.outputs(), content)
    if manifest.catalog != key or not (out / "index.html").is_file():
        write_catalog(out, content, kinds)
        reach("catalog-written")
        manifest.catalog = key
        manifest.save()
    return _preflight(out, content, kinds, manifest, select) if preflight else []


def _preflight(
    out: Path, content: Content, kinds: Sequence[OutputKind], manifest: Manifest, select: Options
) -> list[Any]:
    """Preflight the selected outputs unless all of them passed as they are; record the
    files that passed."""
    from bmr_materials.engine.preflight import inspect, output_rows

    langs, only = list(select.languages), list(select.only)
    rows = output_rows(out, kinds, langs, only)
    if all(manifest.preflighted.get(row["path"]) == row.get("sha256") for row in rows):
        return []
    results = inspect(out, content, kinds, langs, only)
    failed = {r.path for r in results if any(i.severity == "error" for i in r.issues)}
    for row in rows:
        if row["path"] not in failed:
            manifest.preflighted[row["path"]] = row["sha256"]
    manifest.save()
    return results
