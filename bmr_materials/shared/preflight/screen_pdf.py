"""Take a screen PDF and report what an accessibility checker or a reader would trip over:
no tags, no document language, no title shown, figures without alt text, a file too large to
e-mail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf

from bmr_materials.shared.kind import Issue, pages_text
from bmr_materials.shared.preflight.draw import key
from bmr_materials.shared.preflight.glyphs import glyph_checks
from bmr_materials.shared.preflight.paint import painted_once

SCREEN_MAX_BYTES = 5_000_000


def check_tagged(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """Tagged: /MarkInfo /Marked true and a structure tree."""
    info: Any = pdf.Root.get("/MarkInfo", pikepdf.Dictionary())
    marked = info.get("/Marked")
    if marked is not True:
        yield Issue("error", "not tagged: /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in pdf.Root:
        yield Issue("error", "not tagged: no /StructTreeRoot (structure tree)")


def check_language(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """The document states its language (/Lang)."""
    if not str(pdf.Root.get("/Lang", "")).strip():
        yield Issue("error", "no document language (/Lang): screen readers guess it")


def check_title(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """A title (document info or XMP dc:title) that viewers show instead of the file name."""
    title = str(pdf.docinfo.get("/Title", "")).strip() if "/Info" in pdf.trailer else ""
    if not title:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            title = str(meta.get("dc:title", "") or "").strip()
    if not title:
        yield Issue("error", "no title (document info /Title or XMP dc:title)")
    prefs: Any = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    if prefs.get("/DisplayDocTitle") is not True:
        yield Issue(
            "error",
            "/ViewerPreferences /DisplayDocTitle is not true: viewers show the "
            "file name instead of the title",
        )


def figures_without_alt(pdf: pikepdf.Pdf) -> tuple[int, list[int | None]]:
    """(number of Figure elements, pages of those without /Alt) in the structure tree."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0, []
    roles: dict[Any, Any] = dict(root.get("/RoleMap", pikepdf.Dictionary()))
    count, missing, seen = 0, [], set()
    todo = [root.get("/K")]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Array):
            todo.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or key(node) in seen:
            continue
        seen.add(key(node))
        role = node.get("/S")
        if role is not None and roles.get(str(role), role) == "/Figure":
            count += 1
            if not str(node.get("/Alt", "")).strip():
                missing.append(_page_of(pdf, node))
        todo.append(node.get("/K"))
    return count, missing


def _page_of(pdf: pikepdf.Pdf, node: pikepdf.Dictionary) -> int | None:
    page = node.get("/Pg")
    if page is None:
        return None
    for number, candidate in enumerate(pdf.pages, 1):
        if candidate.obj.objgen == page.objgen:
            return number
    return None


def check_alt_text(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """Every /Figure structure element has alternative text (/Alt)."""
    count, missing = figures_without_alt(pdf)
    if missing:
        pages = {p for p in missing if p is not None}
        where = f" ({pages_text(pages)})" if pages else ""
        yield Issue("error", f"{len(missing)} of {count} figures have no alt text (/Alt){where}")


def check_size(path: Path) -> Iterator[Issue]:
    """A screen PDF small enough to send by e-mail."""
    size = path.stat().st_size
    if size > SCREEN_MAX_BYTES:
        yield Issue(
            "warning",
            f"{size / 1e6:.1f} MB: too large to e-mail comfortably "
            f"(keep it under {SCREEN_MAX_BYTES / 1e6:.0f} MB)",
        )


def screen_checks(pdf: pikepdf.Pdf, path: Path) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The checks of a screen PDF, by name, ready to run."""
    return {
        **glyph_checks(pdf, painted_once(pdf)),
        "tagged": lambda: check_tagged(pdf),
        "language": lambda: check_language(pdf),
        "title": lambda: check_title(pdf),
        "alt text": lambda: check_alt_text(pdf),
        "file size": lambda: check_size(path),
    }
