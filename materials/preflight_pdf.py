"""Take a built PDF and report what a print shop (print variant) or an accessibility checker
(screen variant) would reject: boxes, fonts, pages, output intent, colours, image resolution;
tags, language, title, alt text and size.

Everything is read through pikepdf: dictionaries for boxes, fonts and the structure tree,
`pikepdf.parse_content_stream` for what the pages draw (with the transformation matrix
followed through q/Q, cm and form XObjects, so an image's printed size is known).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from materials.preflight import Issue

A4 = (595.276, 841.890)  # points
BLEED = 3 / 25.4 * 72  # 3 mm = 8.504 pt
BOX_TOLERANCE = 0.5
MIN_DPI = 300
SCREEN_MAX_BYTES = 5_000_000
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m x n in PDF's row-vector convention: apply m first, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _key(obj: Any) -> Any:
    """A key that identifies a PDF object (its object number when indirect)."""
    return obj.objgen if obj.is_indirect else id(obj)


def _boxes(page: pikepdf.Page, name: str) -> list[float] | None:
    box = page.obj.get(name)
    return [float(v) for v in box] if box is not None else None


# --- the resources and content streams a document uses ---------------------------------------


def resource_dicts(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Dictionary]]:
    """(page number, resources) of every page, form XObject, Type3 font, tiling pattern and
    annotation appearance, each once."""
    seen: set[Any] = set()

    def walk(res: Any, page: int) -> Iterator[tuple[int, pikepdf.Dictionary]]:
        if not isinstance(res, pikepdf.Dictionary) or _key(res) in seen:
            return
        seen.add(_key(res))
        yield page, res
        for group in ("/XObject", "/Font", "/Pattern"):
            for item in dict(res.get(group, {})).values():
                if isinstance(item, pikepdf.Stream | pikepdf.Dictionary) and "/Resources" in item:
                    yield from walk(item.Resources, page)

    for number, page in enumerate(pdf.pages, 1):
        yield from walk(page.obj.get("/Resources"), number)
        for annot in page.obj.get("/Annots", []):
            for state in _appearances(annot):
                yield from walk(state.get("/Resources"), number)


def _appearances(annot: Any) -> Iterator[Any]:
    ap = annot.get("/AP") if isinstance(annot, pikepdf.Dictionary) else None
    for entry in dict(ap or {}).values():
        if isinstance(entry, pikepdf.Stream):
            yield entry
        elif isinstance(entry, pikepdf.Dictionary):
            yield from (s for s in dict(entry).values() if isinstance(s, pikepdf.Stream))


@dataclass
class Drawn:
    """What the pages draw that matters to print: DeviceRGB use and placed images.

    DeviceRGB painted entirely outside a page's TrimBox (printer's marks, cut off) is kept
    apart.
    """

    rgb: dict[str, set[int]] = field(default_factory=dict)  # what -> pages
    marks: dict[str, set[int]] = field(default_factory=dict)  # DeviceRGB outside the trim
    images: list[tuple[int, str, int, int, Matrix]] = field(default_factory=list)
    fonts: dict[Any, set[int]] = field(default_factory=dict)  # font object -> pages using it

    def note_rgb(self, what: str, page: int, outside: bool = False) -> None:
        (self.marks if outside else self.rgb).setdefault(what, set()).add(page)


def is_rgb(space: Any, resources: Any = None) -> bool:
    """Whether a colour space is DeviceRGB (directly, by resource name or as Indexed base)."""
    if isinstance(space, pikepdf.Name):
        if space in ("/DeviceRGB", "/RGB"):
            return True
        named = resources.get("/ColorSpace", {}).get(space) if resources is not None else None
        return named is not None and is_rgb(named)
    if isinstance(space, pikepdf.Array) and len(space) >= 2 and space[0] in ("/Indexed", "/I"):
        return is_rgb(space[1], resources)
    return False


@dataclass
class State:
    """The graphics state that matters here: the matrix and whether colours are DeviceRGB."""

    ctm: Matrix = IDENTITY
    fill: str = ""  # how the fill colour was set when it is DeviceRGB, else ""
    stroke: str = ""

    def copy(self) -> State:
        return State(self.ctm, self.fill, self.stroke)


PAINT_FILL = {"f", "F", "f*", "B", "B*", "b", "b*"}
PAINT_STROKE = {"S", "s", "B", "B*", "b", "b*"}
SHOW_TEXT = {"Tj", "TJ", "'", '"'}
SET_COLOUR = {"g": "fill", "G": "stroke", "k": "fill", "K": "stroke"}


class Walker:
    """Follows one page's content (and the forms it draws), noting DeviceRGB and images."""

    def __init__(self, page: int, trim: list[float] | None, found: Drawn) -> None:
        self.page, self.trim, self.found = page, trim, found
        self.path: list[tuple[float, float]] = []

    def outside(self, points: list[tuple[float, float]]) -> bool:
        """Whether points (device space) lie entirely outside the page's TrimBox."""
        if not self.trim or not points:
            return False
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, y0, x1, y1 = self.trim
        tol = BOX_TOLERANCE
        return (max(xs) <= x0 + tol or min(xs) >= x1 - tol
                or max(ys) <= y0 + tol or min(ys) >= y1 - tol)

    def point(self, x: Any, y: Any, ctm: Matrix) -> tuple[float, float]:
        x, y = float(x), float(y)
        return (x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5])

    def run(self, instructions: Any, res: Any, state: State, forms: list[Any]) -> None:
        res = res if isinstance(res, pikepdf.Dictionary) else pikepdf.Dictionary()
        stack: list[State] = []
        for inst in instructions:
            if isinstance(inst, pikepdf.ContentStreamInlineImage):
                self.image("an inline image", inst.iimage.width, inst.iimage.height,
                           _inline_rgb(inst.iimage, res), state.ctm)
                continue
            op, args = str(inst.operator), list(inst.operands)
            if op == "q":
                stack.append(state.copy())
            elif op == "Q" and stack:
                state = stack.pop()
            elif op == "cm" and len(args) == 6:
                state.ctm = multiply(tuple(float(v) for v in args), state.ctm)  # type: ignore[arg-type]
            elif op in ("Do", "sh"):
                self.draw_object(op, args, res, state, forms)
            else:
                self.colour_or_path(op, args, res, state)

    def colour_or_path(self, op: str, args: list[Any], res: Any, state: State) -> None:
        if op in ("rg", "RG"):
            kind = "fill" if op == "rg" else "stroke"
            setattr(state, kind, f"DeviceRGB {kind} colour ({op})")
        elif op in ("cs", "CS") and args:
            kind = "fill" if op == "cs" else "stroke"
            setattr(state, kind, f"DeviceRGB colour space ({op} {args[0]})"
                    if is_rgb(args[0], res) else "")
        elif op in SET_COLOUR:
            setattr(state, SET_COLOUR[op], "")
        elif op in ("m", "l", "c", "v", "y"):
            self.path += [self.point(args[i], args[i + 1], state.ctm)
                          for i in range(0, len(args) - 1, 2)]
        elif op == "re" and len(args) == 4:
            x, y, w, h = (float(a) for a in args)
            self.path += [self.point(px, py, state.ctm)
                          for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
        elif op in PAINT_FILL | PAINT_STROKE | {"n"}:
            outside = self.outside(self.path)
            for used, paints in ((state.fill, PAINT_FILL), (state.stroke, PAINT_STROKE)):
                if used and op in paints:
                    self.found.note_rgb(used, self.page, outside)
            self.path = []
        elif op in SHOW_TEXT and state.fill:
            self.found.note_rgb(f"{state.fill} on text", self.page)
        elif op == "Tf" and args:
            font = res.get("/Font", {}).get(args[0])
            if font is not None:
                self.found.fonts.setdefault(_key(font), set()).add(self.page)

    def draw_object(self, op: str, args: list[Any], res: Any, state: State,
                    forms: list[Any]) -> None:
        if not args:
            return
        if op == "sh":
            shading = res.get("/Shading", {}).get(args[0])
            if shading is not None and is_rgb(shading.get("/ColorSpace"), res):
                self.found.note_rgb("a DeviceRGB shading", self.page)
            return
        xobj = res.get("/XObject", {}).get(args[0])
        if not isinstance(xobj, pikepdf.Stream):
            return
        if xobj.get("/Subtype") == "/Image":
            self.image(str(args[0]), int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0)),
                       is_rgb(xobj.get("/ColorSpace"), res), state.ctm)
        elif xobj.get("/Subtype") == "/Form" and _key(xobj) not in forms:
            group = xobj.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and is_rgb(group.get("/CS")):
                self.found.note_rgb("a DeviceRGB transparency group", self.page)
            inner = state.copy()
            matrix = tuple(float(v) for v in xobj.get("/Matrix", IDENTITY))
            inner.ctm = multiply(matrix, state.ctm)  # type: ignore[arg-type]
            self.run(pikepdf.parse_content_stream(xobj), xobj.get("/Resources", res), inner,
                     [*forms, _key(xobj)])

    def image(self, name: str, width: int, height: int, rgb: bool, ctm: Matrix) -> None:
        corners = [self.point(x, y, ctm) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
        if self.outside(corners):
            return
        self.found.images.append((self.page, name, int(width), int(height), ctm))
        if rgb:
            self.found.note_rgb(f"a DeviceRGB image ({name})", self.page)


def _inline_rgb(image: pikepdf.PdfInlineImage, res: Any) -> bool:
    try:
        space = image.colorspace
    except (NotImplementedError, ValueError, pikepdf.PdfError):
        return False
    return space is not None and is_rgb(pikepdf.Name(str(space)), res)


def drawn(pdf: pikepdf.Pdf) -> Drawn:
    """Follow every page's content stream (and the form XObjects it draws)."""
    found = Drawn()
    for number, page in enumerate(pdf.pages, 1):
        group = page.obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and is_rgb(group.get("/CS")):
            found.note_rgb("a DeviceRGB transparency group", number)
        walker = Walker(number, _boxes(page, "/TrimBox") or _boxes(page, "/MediaBox"), found)
        walker.run(pikepdf.parse_content_stream(page), page.obj.get("/Resources"), State(), [])
    return found


# --- print checks ----------------------------------------------------------------------------


def check_trim_box(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """Every page's TrimBox is A4."""
    for number, page in enumerate(pdf.pages, 1):
        box = _boxes(page, "/TrimBox")
        if box is None:
            yield Issue("error", f"page {number} has no TrimBox")
            return
        size = sorted((abs(box[2] - box[0]), abs(box[3] - box[1])))
        if any(abs(s - a) > BOX_TOLERANCE for s, a in zip(size, A4, strict=True)):
            yield Issue("error", f"page {number}: TrimBox is {size[0]:.2f} x {size[1]:.2f} pt, "
                                 f"expected A4 ({A4[0]:.2f} x {A4[1]:.2f} pt)")
            return


def check_bleed_box(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """Every page's BleedBox reaches 3 mm beyond the TrimBox on every side."""
    for number, page in enumerate(pdf.pages, 1):
        trim, bleed = _boxes(page, "/TrimBox"), _boxes(page, "/BleedBox")
        if trim is None or bleed is None:
            yield Issue("error", f"page {number} has no {'BleedBox' if trim else 'TrimBox'}: "
                                 "no 3 mm bleed")
            return
        beyond = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
        if any(abs(b - BLEED) > BOX_TOLERANCE for b in beyond):
            shown = ", ".join(f"{b / 72 * 25.4:.1f}" for b in beyond)
            yield Issue("error", f"page {number}: bleed is {shown} mm (left, bottom, right, top),"
                                 " expected 3 mm on every side")
            return


def unembedded_fonts(pdf: pikepdf.Pdf, used: dict[Any, set[int]] | None = None
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
                    pages = (used or {}).get(_key(font)) or {page}
                    missing.setdefault(f"{name} ({str(font.get('/Subtype')).lstrip('/')})",
                                       set()).update(pages)
    return missing


def check_fonts(pdf: pikepdf.Pdf, found: Drawn | None = None) -> Iterator[Issue]:
    """Every font is embedded (simple, composite, in form XObjects and Type3 resources)."""
    for name, pages in sorted(unembedded_fonts(pdf, found.fonts if found else None).items()):
        yield Issue("error", f"font {name} is not embedded ({pages_text(pages)})")


def check_page_count(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """A folded, stapled brochure has a multiple of 4 pages."""
    count = len(pdf.pages)
    if count % 4:
        yield Issue("error", f"{count} pages: a stapled brochure needs a multiple of 4 "
                             f"(add {4 - count % 4} or remove {count % 4})")


def check_output_intent(pdf: pikepdf.Pdf) -> Iterator[Issue]:
    """A PDF/X output intent with a CMYK destination profile."""
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if not intents:
        yield Issue("error", "no PDF/X output intent (/OutputIntents with /S /GTS_PDFX)")
        return
    profile = intents[0].get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        yield Issue("error", "the PDF/X output intent has no /DestOutputProfile (ICC profile)")
    elif int(profile.get("/N", 0)) != 4:
        yield Issue("error", f"the output profile has {profile.get('/N')} components, "
                             "expected a CMYK profile (4)")


def check_colour(pdf: pikepdf.Pdf, found: Drawn) -> Iterator[Issue]:
    """No DeviceRGB: PDF/X-4 with a CMYK output intent forbids it."""
    uses = dict(found.rgb)
    for page, res in resource_dicts(pdf):
        for name, space in dict(res.get("/ColorSpace", {})).items():
            if is_rgb(space):
                uses.setdefault(f"DeviceRGB colour space resource {name}", set()).add(page)
    for what, pages in sorted(uses.items()):
        yield Issue("error", f"{what} ({pages_text(pages)}): give print colours as "
                             "device-cmyk() and images in CMYK")
    marks = {w: p for w, p in found.marks.items() if w not in uses}
    if marks:
        ops = ", ".join(sorted(marks))
        pages = set().union(*marks.values())
        yield Issue("warning", f"printer's marks outside the trim box use {ops} "
                               f"({pages_text(pages)}): better DeviceCMYK (registration)")


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
            yield Issue("error", f"image {name} on page {page} is {dpi:.0f} dpi at its printed "
                                 f"size ({width} x {height} px over {mm[0]:.1f} x {mm[1]:.1f} mm)"
                                 f"; print needs {MIN_DPI} dpi")


def print_checks(pdf: pikepdf.Pdf, path: Path) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The checks of a print PDF, by name, ready to run."""
    found: list[Drawn] = []

    def draws() -> Drawn:
        if not found:
            found.append(drawn(pdf))
        return found[0]

    return {
        "trim box": lambda: check_trim_box(pdf),
        "bleed box": lambda: check_bleed_box(pdf),
        "fonts embedded": lambda: check_fonts(pdf, draws()),
        "page count": lambda: check_page_count(pdf),
        "output intent": lambda: check_output_intent(pdf),
        "CMYK colour": lambda: check_colour(pdf, draws()),
        "image resolution": lambda: check_images(draws()),
    }


# --- screen checks ---------------------------------------------------------------------------


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
        yield Issue("error", "/ViewerPreferences /DisplayDocTitle is not true: viewers show the "
                             "file name instead of the title")


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
        if not isinstance(node, pikepdf.Dictionary) or _key(node) in seen:
            continue
        seen.add(_key(node))
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
        yield Issue("warning", f"{size / 1e6:.1f} MB: too large to e-mail comfortably "
                               f"(keep it under {SCREEN_MAX_BYTES / 1e6:.0f} MB)")


def screen_checks(pdf: pikepdf.Pdf, path: Path) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The checks of a screen PDF, by name, ready to run."""
    return {
        "tagged": lambda: check_tagged(pdf),
        "language": lambda: check_language(pdf),
        "title": lambda: check_title(pdf),
        "alt text": lambda: check_alt_text(pdf),
        "file size": lambda: check_size(path),
    }


def pages_text(pages: set[int]) -> str:
    """'page 3' or 'pages 1, 2, 5' (at most 8 listed)."""
    ordered = sorted(pages)
    shown = ", ".join(str(p) for p in ordered[:8]) + (", ..." if len(ordered) > 8 else "")
    return f"page{'s' if len(ordered) > 1 else ''} {shown}"
