"""Take a PDF and follow what its pages draw: every resource dictionary reachable from the
pages (forms, Type3 fonts, patterns, annotation appearances), and every content stream parsed
by preflight.parse (once per document), the transformation matrix followed through q/Q, cm and
form XObjects. The result says where DeviceRGB is used (and whether only in printer's marks
outside the TrimBox), where each raster image is placed, and which pages use which font.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from bmr_materials.shared.preflight.parse import INLINE_IMAGE, Instruction, Parsed

BOX_TOLERANCE = 0.5  # points

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m x n in PDF's row-vector convention: apply m first, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def key(obj: Any) -> Any:
    """A key that identifies a PDF object (its object number when indirect)."""
    return obj.objgen if obj.is_indirect else id(obj)


def boxes(page: pikepdf.Page, name: str) -> list[float] | None:
    box = page.obj.get(name)
    return [float(v) for v in box] if box is not None else None


# --- the resources and content streams a document uses ---------------------------------------


def resource_dicts(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Dictionary]]:
    """(page number, resources) of every page, form XObject, Type3 font, tiling pattern and
    annotation appearance, each once."""
    seen: set[Any] = set()

    def walk(res: Any, page: int) -> Iterator[tuple[int, pikepdf.Dictionary]]:
        if not isinstance(res, pikepdf.Dictionary) or key(res) in seen:
            return
        seen.add(key(res))
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

    def __init__(self, page: int, trim: list[float] | None, found: Drawn, parsed: Parsed) -> None:
        self.page, self.trim, self.found, self.parsed = page, trim, found, parsed
        self.path: list[tuple[float, float]] = []

    def outside(self, points: list[tuple[float, float]]) -> bool:
        """Whether points (device space) lie entirely outside the page's TrimBox."""
        if not self.trim or not points:
            return False
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, y0, x1, y1 = self.trim
        tol = BOX_TOLERANCE
        return (
            max(xs) <= x0 + tol or min(xs) >= x1 - tol or max(ys) <= y0 + tol or min(ys) >= y1 - tol
        )

    def point(self, x: Any, y: Any, ctm: Matrix) -> tuple[float, float]:
        x, y = float(x), float(y)
        return (x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5])

    def run(
        self, instructions: list[Instruction], res: Any, state: State, forms: list[Any]
    ) -> None:
        res = res if isinstance(res, pikepdf.Dictionary) else pikepdf.Dictionary()
        stack: list[State] = []
        for op, args in instructions:
            if op == INLINE_IMAGE:
                image = args[0]
                self.image(
                    "an inline image", image.width, image.height, _inline_rgb(image, res), state.ctm
                )
            elif op == "q":
                stack.append(state.copy())
            elif op == "Q" and stack:
                state = stack.pop()
            elif op == "cm" and len(args) == 6:
                state.ctm = multiply(tuple(args), state.ctm)
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
            setattr(
                state,
                kind,
                f"DeviceRGB colour space ({op} {args[0]})" if is_rgb(args[0], res) else "",
            )
        elif op in SET_COLOUR:
            setattr(state, SET_COLOUR[op], "")
        elif op in ("m", "l", "c", "v", "y"):
            self.path += [
                self.point(args[i], args[i + 1], state.ctm) for i in range(0, len(args) - 1, 2)
            ]
        elif op == "re" and len(args) == 4:
            x, y, w, h = (float(a) for a in args)
            self.path += [
                self.point(px, py, state.ctm)
                for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))
            ]
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
                self.found.fonts.setdefault(key(font), set()).add(self.page)

    def draw_object(
        self, op: str, args: list[Any], res: Any, state: State, forms: list[Any]
    ) -> None:
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
            self.image(
                str(args[0]),
                int(xobj.get("/Width", 0)),
                int(xobj.get("/Height", 0)),
                is_rgb(xobj.get("/ColorSpace"), res),
                state.ctm,
            )
        elif xobj.get("/Subtype") == "/Form" and key(xobj) not in forms:
            group = xobj.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and is_rgb(group.get("/CS")):
                self.found.note_rgb("a DeviceRGB transparency group", self.page)
            inner = state.copy()
            matrix = tuple(float(v) for v in xobj.get("/Matrix", IDENTITY))
            inner.ctm = multiply(matrix, state.ctm)  # type: ignore[arg-type]
            self.run(
                self.parsed(xobj),
                xobj.get("/Resources", res),
                inner,
                [*forms, key(xobj)],
            )

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


def drawn(pdf: pikepdf.Pdf, parsed: Parsed | None = None) -> Drawn:
    """Follow every page's content stream (and the form XObjects it draws); `parsed` holds
    the streams parsed already (shared with preflight.paint)."""
    parsed = parsed or Parsed()
    found = Drawn()
    for number, page in enumerate(pdf.pages, 1):
        group = page.obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and is_rgb(group.get("/CS")):
            found.note_rgb("a DeviceRGB transparency group", number)
        trim = boxes(page, "/TrimBox") or boxes(page, "/MediaBox")
        walker = Walker(number, trim, found, parsed)
        walker.run(parsed(page), page.obj.get("/Resources"), State(), [])
    return found
