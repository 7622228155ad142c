"""Take what a print PDF's pages paint (preflight.paint) and report what would print badly on
an offset press: text under 12 pt or thin rules in more than one ink (four-colour "rich black"
small type blurs when the plates are a hair out of register), and colours whose inks add up
to more than 300 % (they smear and dry slowly). Printer's marks outside the TrimBox (in the
registration colour, 100 % of every ink) are left out. Also: annotations inside the trim, and
fonts not under their own PostScript names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pikepdf

from bmr_materials.shared.kind import Issue, pages_text
from bmr_materials.shared.preflight.paint import (
    CMYK,
    Box,
    Glyph,
    Inks,
    Paint,
    page_box,
    postscript_name,
)

SMALL_TEXT = 12.0  # points
THIN_RULE = 1.0  # points: a stroke this wide or narrower, or a filled bar this thin
MAX_INK = 300.0  # percent
NO_INK = 0.005  # an ink below 0.5 % does not print
REGISTRATION = "All"  # the Separation that prints on every plate


def inks_in(inks: Inks) -> list[str]:
    """The inks a colour puts on paper ("All": every process ink)."""
    used = [name for name, value in (inks or {}).items() if value > NO_INK]
    return list(CMYK) if REGISTRATION in used else used


def ink_total(inks: Inks) -> float:
    """The colour's total ink coverage in percent (registration counts as four inks)."""
    return sum(v * (4 if n == REGISTRATION else 1) for n, v in (inks or {}).items()) * 100


def colour_text(inks: Inks) -> str:
    """'C 30 M 10 Y 10 K 88' (percent, inks in use only)."""
    return " ".join(f"{n} {v * 100:.0f}" for n, v in (inks or {}).items() if v > NO_INK)


def inside(box: Box, trim: Box) -> bool:
    """Whether `box` reaches into `trim` (marks in the slug do not)."""
    return box[2] > trim[0] and box[0] < trim[2] and box[3] > trim[1] and box[1] < trim[3]


@dataclass
class Group:
    """Drawings of one colour: their pages, count, smallest size and some of their text."""

    pages: set[int] = field(default_factory=set)
    count: int = 0
    smallest: float = 1e9
    text: str = ""

    def add(self, page: int, size: float, text: str = "") -> None:
        self.pages.add(page)
        self.count += 1
        self.smallest = min(self.smallest, size)
        if len(self.text) < 40:
            self.text += text


def _in_trim(pdf: pikepdf.Pdf, items: Iterable[Glyph | Paint]) -> Iterator[Glyph | Paint]:
    trims = {n: page_box(p) for n, p in enumerate(pdf.pages, 1)}
    return (i for i in items if inside(i.box, trims[i.page]))


def _thin(paint: Paint) -> float | None:
    """The width of a thin rule (stroke or filled bar), None when it is not one."""
    if paint.stroke:
        return paint.width if paint.width <= THIN_RULE else None
    w, h = paint.box[2] - paint.box[0], paint.box[3] - paint.box[1]
    return min(w, h) if 0 < min(w, h) <= THIN_RULE and max(w, h) >= 5 * THIN_RULE else None


def check_small_text(pdf: pikepdf.Pdf, items: list[Glyph | Paint]) -> Iterator[Issue]:
    """Text under 12 pt is in one ink (K 100 or a K-only grey), never rich black."""
    groups: dict[str, Group] = {}
    for glyph in _in_trim(pdf, items):
        if (
            isinstance(glyph, Glyph)
            and glyph.visible
            and glyph.size < SMALL_TEXT
            and len(inks_in(glyph.inks)) > 1
        ):
            groups.setdefault(colour_text(glyph.inks), Group()).add(
                glyph.page, glyph.size, glyph.text
            )
    for colour, group in sorted(groups.items()):
        yield Issue(
            "error",
            f"{group.count} glyphs of text under {SMALL_TEXT:.0f} pt in "
            f"{len(colour.split()) // 2} inks ({colour}), down to "
            f"{group.smallest:.1f} pt ({pages_text(group.pages)}, "
            f"'{group.text.strip()[:40]}'): small text in K only",
        )


def check_thin_rules(pdf: pikepdf.Pdf, items: list[Glyph | Paint]) -> Iterator[Issue]:
    """Rules of 1 pt or thinner are in one ink."""
    groups: dict[str, Group] = {}
    for paint in _in_trim(pdf, items):
        if isinstance(paint, Paint) and len(inks_in(paint.inks)) > 1:
            width = _thin(paint)
            if width is not None:
                groups.setdefault(colour_text(paint.inks), Group()).add(paint.page, width)
    for colour, group in sorted(groups.items()):
        yield Issue(
            "error",
            f"{group.count} rules of {THIN_RULE:.0f} pt or thinner in "
            f"{len(colour.split()) // 2} inks ({colour}), down to "
            f"{group.smallest:.2f} pt ({pages_text(group.pages)}): thin rules "
            "in K only",
        )


def check_ink_total(pdf: pikepdf.Pdf, items: list[Glyph | Paint]) -> Iterator[Issue]:
    """No colour in use puts more than 300 % ink on paper."""
    groups: dict[str, Group] = {}
    for item in _in_trim(pdf, items):
        total = ink_total(item.inks)
        if total > MAX_INK + 0.5:
            groups.setdefault(colour_text(item.inks), Group()).add(item.page, -total)
    for colour, group in sorted(groups.items()):
        yield Issue(
            "error",
            f"{colour}: {-group.smallest:.0f} % ink in total "
            f"({pages_text(group.pages)}), more than {MAX_INK:.0f} %",
        )


def check_annotations(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """No annotation (a link, a comment) inside the trim: paper has none."""
    found: dict[str, set[int]] = {}
    for number, page in enumerate(pdf.pages, 1):
        trim = page_box(page)
        for annot in page.obj.get("/Annots", []):
            kind = str(annot.get("/Subtype", "/?")).lstrip("/")
            rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
            box = (
                min(rect[0], rect[2]),
                min(rect[1], rect[3]),
                max(rect[0], rect[2]),
                max(rect[1], rect[3]),
            )
            if kind not in ("PrinterMark", "TrapNet") and inside(box, trim):
                found.setdefault(kind, set()).add(number)
    for kind, pages in sorted(found.items()):
        yield Issue(
            "error",
            f"{kind} annotations inside the trim ({pages_text(pages)}): a print PDF has none",
        )


def check_font_names(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """Every embedded font is named by its own PostScript name (after the subset tag)."""
    seen: set[str] = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
            continue
        name = str(obj.get("/FontName", "")).lstrip("/")
        own = postscript_name(obj)
        bare = name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name
        if own is not None and bare != own and name not in seen:
            seen.add(name)
            yield Issue("error", f"font {name!r} is not named as the font calls itself ({own!r})")
