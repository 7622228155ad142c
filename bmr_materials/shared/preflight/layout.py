"""Take a PDF that carries its layout measurements (the renderer's /PieceInfo record, measured
from the laid-out boxes) and report them: every page's fill of its type area, an inner page
under half full, a heading at a page's foot without its first lines, a group split across
pages, a widow or orphan of one line, and each photograph's effective resolution at its
printed size (print: error under 200 ppi, warning under 300, naming the file and the page).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pikepdf

from bmr_materials.shared.kind import Issue

PIECE = "/BMRMaterials"
MIN_FILL = 0.5
PPI_ERROR = 200
PPI_WARNING = 300


def layout_record(pdf: pikepdf.Pdf) -> dict[str, Any] | None:
    """The layout record the renderer left in the document's /PieceInfo, or None."""
    piece = pdf.Root.get("/PieceInfo")
    entry = piece.get(PIECE) if isinstance(piece, pikepdf.Dictionary) else None
    if not isinstance(entry, pikepdf.Dictionary) or "/Private" not in entry:
        return None
    found: dict[str, Any] = json.loads(bytes(entry.Private).decode("utf-8"))
    return found


def check_fill(record: dict[str, Any] | None) -> Iterator[Issue]:
    """Every page's fill (a note), and a warning for an inner page under half full."""
    if record is None:
        yield Issue("info", "no layout record (/PieceInfo): page fill not measured")
        return
    fills = record["fills"]
    shown = ", ".join(f"{n} {f * 100:.0f} %" for n, f in enumerate(fills, 1))
    yield Issue("info", f"layout {record.get('fit', '?')}, page fill: {shown}")
    for number, fill in enumerate(fills[1:-1], 2):
        if fill < MIN_FILL:
            yield Issue("warning", f"page {number} is {fill * 100:.0f} % filled (under 50 %)")


def check_breaks(record: dict[str, Any] | None) -> Iterator[Issue]:
    """Headings at a page foot, split groups, widows and orphans, as measured."""
    for warning in (record or {}).get("warnings", []):
        yield Issue("warning", warning)


def check_pictures(record: dict[str, Any] | None, print_variant: bool) -> Iterator[Issue]:
    """Each photograph's effective resolution at its printed size."""
    for picture in (record or {}).get("pictures", []):
        ppi = picture["pixels"] / (picture["width_mm"] / 25.4)
        size = f"{ppi:.0f} ppi at {picture['width_mm']:.0f} mm wide"
        where = f"{picture['file']} on page {picture['page']}: {size}"
        if print_variant and ppi < PPI_ERROR:
            yield Issue("error", f"{where} (under {PPI_ERROR} ppi: blurred in print)")
        elif print_variant and ppi < PPI_WARNING:
            yield Issue("warning", f"{where} (under {PPI_WARNING} ppi)")
        else:
            yield Issue("info", where)


def layout_checks(
    pdf: pikepdf.Pdf, print_variant: bool
) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The layout checks of a brochure PDF, by name, ready to run."""
    record = layout_record(pdf)
    return {
        "page fill": lambda: check_fill(record),
        "page breaks": lambda: check_breaks(record),
        "photographs": lambda: check_pictures(record, print_variant),
    }
