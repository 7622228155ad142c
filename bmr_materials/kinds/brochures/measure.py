"""Take a laid-out WeasyPrint document and measure its layout: how much of each page's type
area is filled, and what a designer would mark (a heading at the foot of a page without its
first lines, a group split that belongs together, a paragraph leaving one line behind or
carrying one line over, a photograph's effective resolution).

Measured from WeasyPrint's boxes, not from pixels. A page's fill is the share of its type
area's height that carries content: lines, pictures, rules and tinted boxes, with the gaps
between them up to GAP counted as part of the text they separate (a page of running text is
full, however its paragraphs are spaced). The result is a `LayoutReport`, plain data that the
renderer embeds in the PDF (shared.preflight.layout reads it back).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict

PX_PER_MM = 96 / 25.4
GAP = 12 * PX_PER_MM  # white space up to 12 mm between two blocks belongs to the text
HEADINGS = ("h1", "h2", "h3")
# Groups that must not be split across pages, by class (or, for lists, by length).
GROUP_CLASSES = {
    "callouts": "key-figure grid",
    "card": "card",
    "source": "source entry",
    "contact-block": "contact block",
    "photo": "photograph",
}
SHORT_LIST = 5


@dataclass(frozen=True)
class Picture:
    """A photograph as laid out: its file, page, printed width in mm and pixels across."""

    file: str
    page: int
    width_mm: float
    pixels: int

    @property
    def ppi(self) -> float:
        """Its effective resolution at the printed size."""
        return self.pixels / (self.width_mm / 25.4)


class PictureRecord(TypedDict):
    file: str
    page: int
    width_mm: float
    pixels: int


class LayoutRecord(TypedDict):
    """A layout report as embedded in the PDF (JSON)."""

    fills: list[float]
    warnings: list[str]
    pictures: list[PictureRecord]


@dataclass
class LayoutReport:
    """Per page fill (0 to 1, by page number from 1), layout warnings, photographs."""

    fills: list[float] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)

    def inner_fills(self) -> list[float]:
        """The fills of the pages between the covers."""
        return self.fills[1:-1]

    def as_json(self) -> LayoutRecord:
        """The report as JSON-ready data (embedded in the PDF)."""
        return {
            "fills": [round(f, 3) for f in self.fills],
            "warnings": self.warnings,
            "pictures": [
                {
                    "file": p.file,
                    "page": p.page,
                    "width_mm": round(p.width_mm, 1),
                    "pixels": p.pixels,
                }
                for p in self.pictures
            ],
        }


def measure(document: Any) -> LayoutReport:
    """The layout report of a rendered WeasyPrint document."""
    report = LayoutReport()
    seen: dict[int, list[tuple[int, Any, int]]] = {}  # element -> [(page, box, lines)]
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        roots = [c for c in box.children if type(c).__name__ != "MarginBox"]
        report.fills.append(_fill(box, roots))
        report.warnings += _foot_headings(number, roots)
        for element_box, lines in _blocks(roots):
            seen.setdefault(id(element_box.element), []).append((number, element_box, lines))
        report.pictures += _pictures(number, roots)
    report.warnings += _splits(seen)
    return report


# --- fill ------------------------------------------------------------------------------------


def _fill(page: Any, roots: list[Any]) -> float:
    top = page.content_box_y()
    height = page.height
    spans = sorted(
        (max(a, top), min(b, top + height))
        for root in roots
        for a, b in _ink(root)
        if b > top and a < top + height
    )
    covered, start, end = 0.0, None, None
    for a, b in spans:
        if start is None or end is None or a > end + GAP:
            covered += (end - start) if start is not None and end is not None else 0.0
            start, end = a, b
        else:
            end = max(end, b)
    if start is not None and end is not None:
        covered += end - start
    return min(1.0, covered / height) if height else 0.0


def _ink(box: Any) -> Iterator[tuple[float, float]]:
    """Vertical extents of what a box draws: lines, pictures, borders, backgrounds."""
    kind = type(box).__name__
    if kind == "LineBox" or "Replaced" in kind:
        yield box.position_y, box.position_y + box.margin_height()
        return
    style = box.style
    if _tinted(style) or any(style[f"border_{s}_width"] for s in ("top", "bottom")):
        y = box.border_box_y()
        yield y, y + box.border_height()
    for child in getattr(box, "children", ()):
        yield from _ink(child)


def _tinted(style: Any) -> bool:
    colour = style["background_color"]
    return bool(getattr(colour, "alpha", 0))


# --- headings, groups, lines -----------------------------------------------------------------


def _flow(box: Any) -> Iterator[Any]:
    """The line boxes and pictures of a box in reading order."""
    kind = type(box).__name__
    if kind == "LineBox" or "Replaced" in kind:
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _flow(child)


def _foot_headings(number: int, roots: list[Any]) -> list[str]:
    """A heading that ends a page, or is followed there by fewer than two lines."""
    items = [(_heading_of(b), b) for root in roots for b in _heading_boxes(root)]
    warnings = []
    for index, (text, _box) in enumerate(items):
        if text is None:
            continue
        after = [b for t, b in items[index + 1 :] if t is None]
        if len(after) < 2:
            warnings.append(f"page {number}: heading “{text}” at the foot without its first lines")
    return warnings


def _heading_boxes(box: Any) -> Iterator[Any]:
    """Headings (as their block box) and other lines, in reading order."""
    if getattr(box, "element_tag", None) in HEADINGS:
        yield box
        return
    kind = type(box).__name__
    if kind == "LineBox" or "Replaced" in kind:
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _heading_boxes(child)


def _heading_of(box: Any) -> str | None:
    if getattr(box, "element_tag", None) not in HEADINGS:
        return None
    return " ".join("".join(box.element.itertext()).split())[:60]


def _blocks(roots: list[Any]) -> Iterator[tuple[Any, int]]:
    """Blocks that matter for splitting (paragraphs, list items, groups) with their lines."""
    todo = list(roots)
    while todo:
        box = todo.pop(0)
        if getattr(box, "element", None) is not None and _watched(box):
            lines = sum(1 for c in getattr(box, "children", ()) if type(c).__name__ == "LineBox")
            yield box, lines
        todo[0:0] = list(getattr(box, "children", ()))


def _watched(box: Any) -> bool:
    tag = box.element_tag
    return tag in ("p", "li", "ul", "ol") or bool(_group(box))


def _group(box: Any) -> str | None:
    classes = (box.element.get("class") or "").split()
    for name in classes:
        if name in GROUP_CLASSES:
            return GROUP_CLASSES[name]
    items = box.element.findall("li")
    grouped = any("source" in (i.get("class") or "").split() for i in items)
    if box.element_tag in ("ul", "ol") and len(items) <= SHORT_LIST and not grouped:
        return "short list"
    return None


def _splits(seen: dict[int, list[tuple[int, Any, int]]]) -> list[str]:
    warnings = []
    for parts in seen.values():
        pages = sorted({p for p, _b, _n in parts})
        if len(pages) < 2:
            continue
        box = parts[0][1]
        group = _group(box)
        where = f"pages {pages[0]}–{pages[-1]}"
        if group:
            warnings.append(f"{where}: {group} split across pages ({_text(box)})")
        elif box.element_tag in ("p", "li") and len(parts) == 2:
            first, last = parts[0][2], parts[-1][2]
            if first == 1:
                warnings.append(f"{where}: orphan, one line left at the foot ({_text(box)})")
            if last == 1:
                warnings.append(f"{where}: widow, one line carried over ({_text(box)})")
    return warnings


def _text(box: Any) -> str:
    words = " ".join("".join(box.element.itertext()).split())
    return f"“{words[:40]}…”" if len(words) > 40 else f"“{words}”"


# --- photographs -----------------------------------------------------------------------------


def _pictures(number: int, roots: list[Any]) -> list[Picture]:
    found = []
    for root in roots:
        for box in _flow(root):
            if "Replaced" not in type(box).__name__:
                continue
            source = box.element.get("data-file") if box.element is not None else None
            if not source:
                continue
            pixels = int(box.element.get("data-pixels", "0"))
            found.append(Picture(source, number, box.width / PX_PER_MM, pixels))
    return found
