"""Take a PDF page and follow what it paints, as a reader's eye or a printing plate sees it:
every glyph (its character, glyph id, font, size in points, fill colour and its box on the
page) and every filled or stroked path (its colour, line width and extent).

Content streams come from preflight.parse (once per document), the graphics and text state
followed through q/Q, cm, BT/ET, Tf, Tm, Td, TD, T*, Tc, Tw, Tz, TL, Ts, Tr and form XObjects.
Glyph advances come from the font's /W or /Widths, the characters from its /ToUnicode CMap,
glyph ids from /CIDToGIDMap (composite fonts) or the embedded font's cmap (simple TrueType).
Colours are kept as inks: DeviceCMYK and CMYK ICC-based spaces as C, M, Y, K; DeviceGray as K;
a Separation as its colorant ("All" for registration); DeviceN as its colorants.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pikepdf

from bmr_materials.shared.preflight.draw import IDENTITY, Matrix, key, multiply
from bmr_materials.shared.preflight.parse import Instruction, Parsed

Inks = dict[str, float] | None  # ink name -> coverage 0..1; None: not inks (RGB, a pattern)
Box = tuple[float, float, float, float]
Point = tuple[float, float]
CMYK = ("C", "M", "Y", "K")
COLOUR_OPERATORS = {"k", "K", "g", "G", "rg", "RG", "cs", "CS", "sc", "SC", "scn", "SCN"}


@dataclass(frozen=True)
class Glyph:
    """One glyph drawn: its character ('' when the font does not say), glyph id (None when
    unknown), the font's name, size in points on the page, fill inks and box on the page."""

    page: int
    text: str
    gid: int | None
    font: str
    size: float
    inks: Inks
    box: Box
    visible: bool


@dataclass(frozen=True)
class Paint:
    """One painted path: fill or stroke, its inks, line width (points) and extent."""

    page: int
    stroke: bool
    inks: Inks
    width: float
    box: Box


@dataclass
class State:
    ctm: Matrix = IDENTITY
    fill: Inks = field(default_factory=lambda: {"K": 1.0})
    stroke: Inks = field(default_factory=lambda: {"K": 1.0})
    fill_space: Any = None
    stroke_space: Any = None
    line_width: float = 1.0
    font: Any = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    mode: int = 0


def _point(x: float, y: float, m: Matrix) -> tuple[float, float]:
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


def _box(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


# --- colours as inks ------------------------------------------------------------------------


def space_inks(space: Any, values: list[float], res: Any) -> Inks:
    """The inks of colour `values` in colour space `space` (a name or an array)."""
    if isinstance(space, pikepdf.Name) and space not in (
        "/DeviceCMYK",
        "/DeviceGray",
        "/DeviceRGB",
        "/Pattern",
    ):
        named = res.get("/ColorSpace", {}).get(space) if res is not None else None
        return space_inks(named, values, None) if named is not None else None
    family = (
        space
        if isinstance(space, pikepdf.Name)
        else space[0]
        if isinstance(space, pikepdf.Array) and len(space)
        else None
    )
    if family == "/DeviceCMYK" and len(values) == 4:
        return dict(zip(CMYK, values, strict=True))
    if family == "/DeviceGray" and len(values) == 1:
        return {"K": 1 - values[0]}
    if family == "/ICCBased" and isinstance(space, pikepdf.Array):
        components = int(space[1].get("/N", 0))
        return (
            dict(zip(CMYK, values, strict=True))
            if components == 4 == len(values)
            else {"K": 1 - values[0]}
            if components == 1 == len(values)
            else None
        )
    if family == "/Separation" and values:
        return {str(space[1]).lstrip("/"): values[0]}
    if family == "/DeviceN" and isinstance(space, pikepdf.Array):
        return {str(n).lstrip("/"): v for n, v in zip(space[1], values, strict=False)}
    return None


# --- fonts ------------------------------------------------------------------------------------


HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _utf16(data: bytes) -> str:
    return bytes.fromhex(data.decode()).decode("utf-16-be", "replace")


def to_unicode(font: Any) -> dict[int, str]:
    """Character code -> text, from the font's /ToUnicode CMap (bfchar and bfrange)."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    data = stream.read_bytes()
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        pairs = HEX.findall(block)
        for src, dst in zip(pairs[::2], pairs[1::2], strict=False):
            found[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(rb"<(\w+)>\s*<(\w+)>\s*(<\w+>|\[[^\]]*\])", block):
            targets = HEX.findall(rest)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                if rest.startswith(b"["):
                    if offset < len(targets):
                        found[code] = _utf16(targets[offset])
                else:
                    value = int(targets[0], 16) + offset
                    found[code] = _utf16(f"{value:0{len(targets[0])}X}".encode())
    return found


@dataclass
class Font:
    """What following text needs of a font: code length, widths, characters, glyph ids."""

    name: str
    two_bytes: bool
    widths: dict[int, float]
    default_width: float
    chars: dict[int, str]
    gids: dict[int, int] | None  # code -> glyph id; None when unknown
    ascent: float
    descent: float

    def codes(self, data: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)


def _cid_widths(w: Any) -> dict[int, float]:
    widths: dict[int, float] = {}
    items, i = list(w or []), 0
    while i < len(items) - 1:
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            widths.update({first + n: float(v) for n, v in enumerate(items[i + 1])})
            i += 2
        else:
            widths.update({c: float(items[i + 2]) for c in range(first, int(items[i + 1]) + 1)})
            i += 3
    return widths


def embedded_font(descriptor: Any) -> Any:
    """The embedded TrueType/OpenType font of a font descriptor (fontTools), or None."""
    if descriptor is None:
        return None
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    if stream is None:
        return None
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return TTFont(io.BytesIO(stream.read_bytes()), lazy=True)
    except (TTLibError, ValueError, AssertionError, KeyError):
        return None


def postscript_name(descriptor: Any) -> str | None:
    """The PostScript name in the name table of a descriptor's embedded font, if any."""
    font = embedded_font(descriptor)
    try:
        name = font["name"].getDebugName(6) if font is not None and "name" in font else None
    except (KeyError, ValueError, AssertionError):
        return None
    return re.sub(r"[^!-~]|[\[\](){}<>/%]", "", name) if name else None


def glyph_count(descriptor: Any) -> int | None:
    """How many glyphs a descriptor's embedded font has, if it can be read."""
    font = embedded_font(descriptor)
    try:
        return len(font.getGlyphOrder()) if font is not None else None
    except (KeyError, ValueError, AssertionError):
        return None


def _simple_gids(font: Any, descriptor: Any) -> dict[int, int] | None:
    """Code -> glyph id of a simple TrueType font through its embedded cmap (3,0 or 1,0)."""
    if font.get("/Subtype") != "/TrueType":
        return None
    embedded = embedded_font(descriptor)
    try:
        tables = embedded["cmap"].tables if embedded is not None and "cmap" in embedded else []
        order = embedded.getGlyphOrder() if embedded is not None else []
    except (KeyError, ValueError, AssertionError):
        return None
    index = {name: gid for gid, name in enumerate(order)}
    for platform, encoding in ((3, 0), (1, 0)):
        for table in tables:
            if (table.platformID, table.platEncID) == (platform, encoding):
                gids = {code & 0xFF: index.get(name, 0) for code, name in table.cmap.items()}
                return {code: gids.get(code, 0) for code in range(256)}
    return None


def _cid_gids(part: Any, embedded: Any) -> dict[int, int] | None:
    mapping = part.get("/CIDToGIDMap")
    if isinstance(mapping, pikepdf.Stream):
        data = mapping.read_bytes()
        return {i // 2: int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)}
    if mapping == "/Identity" or part.get("/Subtype") == "/CIDFontType2":
        return None  # identity: the code is the glyph id
    return None


def read_font(font: Any) -> Font:
    """What following text needs of a font dictionary."""
    composite = font.get("/Subtype") == "/Type0"
    part = font.DescendantFonts[0] if composite and "/DescendantFonts" in font else font
    descriptor = part.get("/FontDescriptor")
    name = str(part.get("/BaseFont", font.get("/BaseFont", "?"))).lstrip("/")
    ascent = float(descriptor.get("/Ascent", 800)) if descriptor is not None else 800.0
    descent = float(descriptor.get("/Descent", -200)) if descriptor is not None else -200.0
    if composite:
        identity = str(font.get("/Encoding", "")) in ("/Identity-H", "/Identity-V") or isinstance(
            font.get("/Encoding"), pikepdf.Stream
        )
        gids = _cid_gids(part, None) if identity else None
        return Font(
            name,
            True,
            _cid_widths(part.get("/W")),
            float(part.get("/DW", 1000)),
            to_unicode(font),
            gids if gids is not None else ({} if identity else None),
            ascent,
            descent,
        )
    first = int(font.get("/FirstChar", 0))
    widths = {first + i: float(v) for i, v in enumerate(font.get("/Widths", []))}
    return Font(
        name, False, widths, 0.0, to_unicode(font), _simple_gids(font, descriptor), ascent, descent
    )


def glyph_id(font: Font, code: int) -> int | None:
    """The glyph id a code draws (composite fonts with an identity map: the code itself)."""
    if font.gids is None:
        return None
    if font.two_bytes and not font.gids:
        return code
    return font.gids.get(code, code if font.two_bytes else 0)


# --- the walk ---------------------------------------------------------------------------------


PATH_POINTS = {"m", "l", "c", "v", "y"}
PAINT_FILL = {"f", "F", "f*", "B", "B*", "b", "b*"}
PAINT_STROKE = {"S", "s", "B", "B*", "b", "b*"}
TEXT_STATE = {
    "Tc": "char_space",
    "Tw": "word_space",
    "Tz": "scale",
    "TL": "leading",
    "Ts": "rise",
    "Tr": "mode",
}


class Painter:
    """Follows one page's content (and the forms it draws), yielding Glyph and Paint."""

    def __init__(self, page: int, fonts: dict[Any, Font], parsed: Parsed) -> None:
        self.page, self.fonts, self.parsed = page, fonts, parsed

    def run(
        self, instructions: list[Instruction], res: Any, state: State, forms: list[Any]
    ) -> Iterator[Glyph | Paint]:
        res = res if isinstance(res, pikepdf.Dictionary) else pikepdf.Dictionary()
        stack: list[State] = []
        path: list[Point] = []
        tm = tlm = IDENTITY
        for op, args in instructions:
            if op in PATH_POINTS:
                m = state.ctm
                path += [
                    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
                    for x, y in zip(args[::2], args[1::2], strict=False)
                ]
            elif op == "re" and len(args) == 4:
                x, y, w, h = args
                path += [
                    _point(px, py, state.ctm)
                    for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))
                ]
            elif op in PAINT_FILL or op in PAINT_STROKE or op == "n":
                if path and op != "n":
                    yield from self.paint(op, state, path)
                path = []
            elif op == "q":
                stack.append(replace(state))
            elif op == "Q" and stack:
                state = stack.pop()
            elif op == "cm" and len(args) == 6:
                state.ctm = multiply(tuple(args), state.ctm)
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tm" and len(args) == 6:
                tm = tlm = tuple(args)
            elif op in ("Td", "TD") and len(args) == 2:
                if op == "TD":
                    state.leading = -args[1]
                tm = tlm = multiply((1, 0, 0, 1, args[0], args[1]), tlm)
            elif op in ("T*", "'", '"'):
                tm = tlm = multiply((1, 0, 0, 1, 0, -state.leading), tlm)
                if op != "T*":
                    if op == '"':
                        state.word_space, state.char_space = args[0], args[1]
                    tm = yield from self.show([args[-1]], state, tm)
            elif op in ("Tj", "TJ") and args:
                tm = yield from self.show(args[0] if op == "TJ" else [args[0]], state, tm)
            elif op == "Do" and args:
                yield from self.form(args[0], res, state, forms)
            else:
                self.other(op, args, res, state)

    def paint(self, op: str, state: State, path: list[Point]) -> Iterator[Paint]:
        """The fill and stroke of a path painted by `op`."""
        box = _box(path)
        if op in PAINT_FILL:
            yield Paint(self.page, False, state.fill, 0.0, box)
        if op in PAINT_STROKE:
            m = state.ctm
            scale = abs(m[0] * m[3] - m[1] * m[2]) ** 0.5
            yield Paint(self.page, True, state.stroke, state.line_width * scale, box)

    def other(self, op: str, args: list[Any], res: Any, state: State) -> None:
        """Text state and colour operators."""
        if op == "Tf" and len(args) == 2:
            state.font, state.size = res.get("/Font", {}).get(args[0]), float(args[1])
        elif op in TEXT_STATE and args:
            value = float(args[0]) / 100 if op == "Tz" else float(args[0])
            setattr(state, TEXT_STATE[op], int(value) if op == "Tr" else value)
        elif op == "w" and args:
            state.line_width = float(args[0])
        elif op in COLOUR_OPERATORS:
            self.colour(op, args, res, state)

    @staticmethod
    def colour(op: str, args: list[Any], res: Any, state: State) -> None:
        values = [float(v) for v in args if not isinstance(v, pikepdf.Name)]
        fixed = {
            "k": "/DeviceCMYK",
            "K": "/DeviceCMYK",
            "g": "/DeviceGray",
            "G": "/DeviceGray",
            "rg": "/DeviceRGB",
            "RG": "/DeviceRGB",
        }
        stroke = op.isupper()
        if op in fixed:
            space = pikepdf.Name(fixed[op])
            setattr(state, "stroke_space" if stroke else "fill_space", space)
            setattr(state, "stroke" if stroke else "fill", space_inks(space, values, res))
        elif op in ("cs", "CS") and args:
            setattr(state, "stroke_space" if stroke else "fill_space", args[0])
        elif op in ("sc", "scn", "SC", "SCN"):
            space = state.stroke_space if stroke else state.fill_space
            inks = space_inks(space, values, res) if space is not None and values else None
            setattr(state, "stroke" if stroke else "fill", inks)

    def show(self, items: list[Any], state: State, tm: Matrix) -> Generator[Glyph, None, Matrix]:
        """The glyphs of a Tj/TJ; returns the text matrix after them.

        Within one show the text matrix only moves along its x axis, so each glyph's box is
        its advance `tx` (text space) carried through the one matrix text space -> page."""
        if state.font is None:
            return tm
        font = self.fonts.get(key(state.font))
        if font is None:
            font = self.fonts[key(state.font)] = read_font(state.font)
        size, h, rise = state.size, state.scale, state.rise
        visible = state.mode not in (3, 7)
        a, b, c, d, e, f = multiply(tm, state.ctm)
        height = abs(size) * (c * c + d * d) ** 0.5
        low, high = font.descent / 1000 * size + rise, font.ascent / 1000 * size + rise
        ys = ((c * low + e, d * low + f), (c * high + e, d * high + f))
        tx = 0.0
        for item in items:
            if not isinstance(item, bytes):
                tx -= float(item) / 1000 * size * h
                continue
            for code in font.codes(item):
                width = font.widths.get(code, font.default_width) / 1000
                xs = [(a * u, b * u) for u in (tx, tx + width * size * h)]
                corners = [(x + ye, y + yf) for x, y in xs for ye, yf in ys]
                yield Glyph(
                    self.page,
                    font.chars.get(code, ""),
                    glyph_id(font, code),
                    font.name,
                    height,
                    state.fill,
                    _box(corners),
                    visible,
                )
                space = state.word_space if code == 32 and not font.two_bytes else 0.0
                tx += (width * size + state.char_space + space) * h
        return multiply((1, 0, 0, 1, tx, 0), tm)

    def form(self, name: Any, res: Any, state: State, forms: list[Any]) -> Iterator[Glyph | Paint]:
        xobj = res.get("/XObject", {}).get(name)
        if (
            not isinstance(xobj, pikepdf.Stream)
            or xobj.get("/Subtype") != "/Form"
            or key(xobj) in forms
        ):
            return
        inner = replace(state)
        matrix = tuple(float(v) for v in xobj.get("/Matrix", IDENTITY))
        inner.ctm = multiply(matrix, state.ctm)  # type: ignore[arg-type]
        yield from self.run(
            self.parsed(xobj), xobj.get("/Resources", res), inner, [*forms, key(xobj)]
        )


def painted(pdf: pikepdf.Pdf, parsed: Parsed | None = None) -> Iterator[Glyph | Paint]:
    """Every glyph and painted path of every page, in drawing order; `parsed` holds the
    streams parsed already (shared with preflight.draw)."""
    parsed = parsed or Parsed()
    fonts: dict[Any, Font] = {}
    for number, page in enumerate(pdf.pages, 1):
        yield from Painter(number, fonts, parsed).run(
            parsed(page), page.obj.get("/Resources"), State(), []
        )


def painted_once(
    pdf: pikepdf.Pdf, parsed: Parsed | None = None
) -> Callable[[], list[Glyph | Paint]]:
    """A function giving `list(painted(pdf, parsed))`, followed on the first call only."""
    found: list[list[Glyph | Paint]] = []

    def items() -> list[Glyph | Paint]:
        if not found:
            found.append(list(painted(pdf, parsed)))
        return found[0]

    return items


def page_box(page: pikepdf.Page) -> Box:
    """The page's TrimBox, else its CropBox or MediaBox (x0, y0, x1, y1)."""
    for name in ("/TrimBox", "/CropBox", "/MediaBox"):
        box = page.obj.get(name)
        if box is not None:
            x0, y0, x1, y1 = (float(v) for v in box)
            return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return (0.0, 0.0, 0.0, 0.0)
