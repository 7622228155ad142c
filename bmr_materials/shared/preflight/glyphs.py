"""Take the glyphs a PDF draws (preflight.paint) and report what a reader would not see:
glyphs drawn outside the page's TrimBox (else its CropBox or MediaBox), such as a long word
running off the page, and missing glyphs: .notdef (glyph 0, drawn as an empty box), or a glyph
the embedded font does not have.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

import pikepdf

from bmr_materials.shared.kind import Issue
from bmr_materials.shared.preflight.paint import Glyph, Paint, page_box

OUTSIDE_TOLERANCE = 1.0  # points a glyph's box may reach beyond the page
SHOWN = 40  # characters of text quoted in a message


def _blank(text: str) -> bool:
    return not text or all(
        c.isspace() or unicodedata.category(c) in ("Zs", "Cf", "Cc") for c in text
    )


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= SHOWN else text[:SHOWN] + "…") + "'"


def check_outside(pdf: pikepdf.Pdf, items: list[Glyph | Paint]) -> Iterator[Issue]:
    """No glyph is drawn (partly) outside its page's trim box."""
    boxes = {n: page_box(p) for n, p in enumerate(pdf.pages, 1)}
    found: dict[int, list[Glyph]] = {}
    for glyph in items:
        if not isinstance(glyph, Glyph) or not glyph.visible or _blank(glyph.text):
            continue
        x0, y0, x1, y1 = boxes[glyph.page]
        b, tol = glyph.box, OUTSIDE_TOLERANCE
        if b[0] < x0 - tol or b[1] < y0 - tol or b[2] > x1 + tol or b[3] > y1 + tol:
            found.setdefault(glyph.page, []).append(glyph)
    for page, glyphs in sorted(found.items()):
        x0, y0, x1, y1 = boxes[page]
        beyond = max(
            max(x0 - g.box[0], y0 - g.box[1], g.box[2] - x1, g.box[3] - y1) for g in glyphs
        )
        yield Issue(
            "error",
            f"page {page}: {len(glyphs)} glyphs drawn outside the page "
            f"(up to {beyond:,.0f} pt beyond it): "
            f"{_quote(''.join(g.text for g in glyphs))}",
        )


def check_missing(
    pdf: pikepdf.Pdf, items: list[Glyph | Paint], counts: dict[str, int | None]
) -> Iterator[Issue]:
    """No glyph is .notdef (glyph 0) or beyond the glyphs its embedded font has. `counts`:
    font name -> number of glyphs in its embedded file (None when unknown)."""
    found: dict[tuple[int, str], list[Glyph]] = {}
    for glyph in items:
        if not isinstance(glyph, Glyph) or glyph.gid is None or not glyph.visible:
            continue
        count = counts.get(glyph.font)
        if glyph.gid == 0 or (count is not None and glyph.gid >= count):
            found.setdefault((glyph.page, glyph.font), []).append(glyph)
    for (page, font), glyphs in sorted(found.items()):
        text = "".join(g.text for g in glyphs)
        shown = _quote(text) if text.strip() else "(no text mapped)"
        yield Issue(
            "error",
            f"page {page}: {len(glyphs)} missing glyphs (shown as empty "
            f"boxes) in font {font}: {shown}",
        )


def font_glyph_counts(pdf: pikepdf.Pdf) -> dict[str, int | None]:
    """Font name (as preflight.paint reports it) -> glyphs in its embedded font file."""
    from bmr_materials.shared.preflight.paint import glyph_count

    counts: dict[str, int | None] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            counts[str(obj.get("/FontName", "")).lstrip("/")] = glyph_count(obj)
    return counts


def glyph_checks(
    pdf: pikepdf.Pdf, items: Callable[[], list[Glyph | Paint]]
) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The glyph checks of any PDF, by name, ready to run; `items` gives what it paints."""
    return {
        "glyphs on the page": lambda: check_outside(pdf, items()),
        "missing glyphs": lambda: check_missing(pdf, items(), font_glyph_counts(pdf)),
    }
