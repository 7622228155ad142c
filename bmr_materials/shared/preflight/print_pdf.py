"""Take a print PDF and report what a print shop would reject: the TrimBox is not A4, the
bleed is not 3 mm, no room for crop marks outside the bleed, a font is not embedded, the page
count is not a multiple of 4, there is no CMYK PDF/X output intent naming its printing
condition, DeviceRGB is used, a raster image prints under 300 dpi; the ink checks of
preflight.inks and the glyph checks of preflight.glyphs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf

from bmr_materials.shared.kind import Issue, pages_text
from bmr_materials.shared.preflight import inks
from bmr_materials.shared.preflight.draw import (
    BOX_TOLERANCE,
    Drawn,
    Matrix,
    boxes,
    drawn,
    is_rgb,
    key,
    resource_dicts,
)
from bmr_materials.shared.preflight.glyphs import glyph_checks
from bmr_materials.shared.preflight.paint import Glyph, Paint, painted_once
from bmr_materials.shared.preflight.parse import Parsed

A4 = (595.276, 841.890)  # points
BLEED = 3 / 25.4 * 72  # 3 mm = 8.504 pt
MM = 72 / 25.4
MARK_ROOM = 6 * MM  # MediaBox beyond the BleedBox: a crop mark of 5 mm and a margin
MIN_DPI = 300
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def check_trim_box(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """Every page's TrimBox is A4."""
    for number, page in enumerate(pdf.pages, 1):
        box = boxes(page, "/TrimBox")
        if box is None:
            yield Issue("error", f"page {number} has no TrimBox")
            return
        size = sorted((abs(box[2] - box[0]), abs(box[3] - box[1])))
        if any(abs(s - a) > BOX_TOLERANCE for s, a in zip(size, A4, strict=True)):
            yield Issue(
                "error",
                f"page {number}: TrimBox is {size[0]:.2f} x {size[1]:.2f} pt, "
                f"expected A4 ({A4[0]:.2f} x {A4[1]:.2f} pt)",
            )
            return


def check_bleed_box(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """Every page's BleedBox reaches 3 mm beyond the TrimBox on every side."""
    for number, page in enumerate(pdf.pages, 1):
        trim, bleed = boxes(page, "/TrimBox"), boxes(page, "/BleedBox")
        if trim is None or bleed is None:
            yield Issue(
                "error", f"page {number} has no {'BleedBox' if trim else 'TrimBox'}: no 3 mm bleed"
            )
            return
        beyond = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
        if any(abs(b - BLEED) > BOX_TOLERANCE for b in beyond):
            shown = ", ".join(f"{b / 72 * 25.4:.1f}" for b in beyond)
            yield Issue(
                "error",
                f"page {number}: bleed is {shown} mm (left, bottom, right, top),"
                " expected 3 mm on every side",
            )
            return


def _bleed(pdf: pikepdf.Pdf, page: int) -> inks.Box:
    """The BleedBox of a page (1-based), or an empty box when it has none."""
    left, bottom, right, top = boxes(pdf.pages[page - 1], "/BleedBox") or [0.0, 0.0, 0.0, 0.0]
    return left, bottom, right, top


def check_crop_marks(pdf: pikepdf.Pdf, items: list[Glyph | Paint]) -> Iterator[Issue]:
    """Every page has its crop marks in registration colour outside the bleed, and a
    MediaBox with room for them."""
    for number, page in enumerate(pdf.pages, 1):
        media, bleed = boxes(page, "/MediaBox"), boxes(page, "/BleedBox")
        if media is None or bleed is None:
            continue  # the bleed box check reports it
        room = min(
            bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2], media[3] - bleed[3]
        )
        if room < MARK_ROOM - BOX_TOLERANCE:
            yield Issue(
                "error",
                f"page {number}: the MediaBox reaches {room / MM:.1f} mm beyond "
                f"the BleedBox, no room for crop marks outside the bleed "
                f"(at least {MARK_ROOM / MM:.0f} mm)",
            )
            return
    marks = [p for p in items if isinstance(p, Paint) and p.stroke and "All" in (p.inks or {})]
    inside = sorted({p.page for p in marks if inks.inside(p.box, _bleed(pdf, p.page))})
    if inside:
        yield Issue(
            "error",
            f"printer's marks inside the bleed ({pages_text(set(inside))}): "
            "they print on the artwork that runs to the bleed edge",
        )
    missing = sorted(set(range(1, len(pdf.pages) + 1)) - {p.page for p in marks})
    if missing:
        yield Issue("error", f"no crop marks in registration colour ({pages_text(set(missing))})")


def unembedded_fonts(
    pdf: pikepdf.Pdf, used: dict[Any, set[int]] | None = None
) -> dict[str, set[int]]:
    """Font name -> pages, for every font without an embedded font file: the pages that
    draw with it (from `used`), else the first page whose resources list it."""
    missing: dict[str, set[int]] = {}
    for page, res in resource_dicts(pdf):
        for font in dict(res.get("/Font", {})).values():
            if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") == "/Type3":
                continue  # Type3 glyphs are content streams (their resources are walked too)
            parts = list(font.get("/DescendantFonts", [])) or [font]
            for part in parts:
                descriptor = part.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in FONT_FILES):
                    name = str(part.get("/BaseFont", font.get("/BaseFont", "?"))).lstrip("/")
                    pages = (used or {}).get(key(font)) or {page}
                    missing.setdefault(
                        f"{name} ({str(font.get('/Subtype')).lstrip('/')})", set()
                    ).update(pages)
    return missing


def check_fonts(pdf: pikepdf.Pdf, found: Drawn | None = None) -> Iterator[Issue]:
    """Every font is embedded (simple, composite, in form XObjects and Type3 resources)."""
    for name, pages in sorted(unembedded_fonts(pdf, found.fonts if found else None).items()):
        yield Issue("error", f"font {name} is not embedded ({pages_text(pages)})")


def check_page_count(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """A folded, stapled brochure has a multiple of 4 pages."""
    count = len(pdf.pages)
    if count % 4:
        yield Issue(
            "error",
            f"{count} pages: a stapled brochure needs a multiple of 4 "
            f"(add {4 - count % 4} or remove {count % 4})",
        )


def check_output_intent(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """A PDF/X output intent with a CMYK destination profile."""
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if not intents:
        yield Issue("error", "no PDF/X output intent (/OutputIntents with /S /GTS_PDFX)")
        return
    if not str(intents[0].get("/OutputConditionIdentifier", "")).strip():
        yield Issue(
            "error",
            "the PDF/X output intent names no printing condition "
            "(/OutputConditionIdentifier, for example FOGRA39)",
        )
    profile = intents[0].get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        yield Issue("error", "the PDF/X output intent has no /DestOutputProfile (ICC profile)")
    elif int(profile.get("/N", 0)) != 4:
        yield Issue(
            "error",
            f"the output profile has {profile.get('/N')} components, expected a CMYK profile (4)",
        )


def check_colour(pdf: pikepdf.Pdf, found: Drawn) -> Iterator[Issue]:
    """No DeviceRGB: PDF/X-4 with a CMYK output intent forbids it."""
    uses = dict(found.rgb)
    for page, res in resource_dicts(pdf):
        for name, space in dict(res.get("/ColorSpace", {})).items():
            if is_rgb(space):
                uses.setdefault(f"DeviceRGB colour space resource {name}", set()).add(page)
    for what, pages in sorted(uses.items()):
        yield Issue(
            "error",
            f"{what} ({pages_text(pages)}): give print colours as device-cmyk() and images in CMYK",
        )
    marks = {w: p for w, p in found.marks.items() if w not in uses}
    if marks:
        ops = ", ".join(sorted(marks))
        pages = set().union(*marks.values())
        yield Issue(
            "warning",
            f"printer's marks outside the trim box use {ops} "
            f"({pages_text(pages)}): better DeviceCMYK (registration)",
        )


def image_dpi(width: int, height: int, ctm: Matrix) -> float | None:
    """The lower of an image's two resolutions at its printed size (None when not shown)."""
    across, down = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
    if across < 1e-6 or down < 1e-6 or not width or not height:
        return None
    return min(width / (across / 72), height / (down / 72))


def check_images(found: Drawn) -> Iterator[Issue]:
    """Raster images print at 300 dpi or more at the size they are placed at."""
    worst: dict[tuple[str, int, int], tuple[float, int, Matrix]] = {}
    for page, name, width, height, ctm in found.images:
        dpi = image_dpi(width, height, ctm)
        key = (name, width, height)
        if dpi is not None and (key not in worst or dpi < worst[key][0]):
            worst[key] = (dpi, page, ctm)
    for (name, width, height), (dpi, page, ctm) in sorted(worst.items()):
        if dpi < MIN_DPI - 0.5:
            mm = (math.hypot(ctm[0], ctm[1]) / 72 * 25.4, math.hypot(ctm[2], ctm[3]) / 72 * 25.4)
            yield Issue(
                "error",
                f"image {name} on page {page} is {dpi:.0f} dpi at its printed "
                f"size ({width} x {height} px over {mm[0]:.1f} x {mm[1]:.1f} mm)"
                f"; print needs {MIN_DPI} dpi",
            )


def print_checks(pdf: pikepdf.Pdf, path: Path) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The checks of a print PDF, by name, ready to run."""
    found: list[Drawn] = []
    parsed = Parsed()  # each page parsed once for both walks

    def draws() -> Drawn:
        if not found:
            found.append(drawn(pdf, parsed))
        return found[0]

    items = painted_once(pdf, parsed)
    return {
        "trim box": lambda: check_trim_box(pdf),
        "bleed box": lambda: check_bleed_box(pdf),
        "crop marks": lambda: check_crop_marks(pdf, items()),
        "fonts embedded": lambda: check_fonts(pdf, draws()),
        "page count": lambda: check_page_count(pdf),
        "output intent": lambda: check_output_intent(pdf),
        "CMYK colour": lambda: check_colour(pdf, draws()),
        "image resolution": lambda: check_images(draws()),
        "small text inks": lambda: inks.check_small_text(pdf, items()),
        "thin rule inks": lambda: inks.check_thin_rules(pdf, items()),
        "ink total": lambda: inks.check_ink_total(pdf, items()),
        "annotations": lambda: inks.check_annotations(pdf),
        "font names": lambda: inks.check_font_names(pdf),
        **glyph_checks(pdf, items),
    }
