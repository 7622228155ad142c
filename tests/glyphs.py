"""Which glyph draws each character: of a PDF (from its embedded fonts) and of a PPTX run
(from the fonts it names). Helpers for tests/test_glyphs.py."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTCollection, TTFont

# --- PDF --------------------------------------------------------------------------------------


@dataclass
class PdfFont:
    """What the glyph checks need of one PDF font: how codes become glyphs."""

    name: str
    two_byte: bool
    glyph_of: Any  # code -> glyph id or name, None when the font has no glyph for it
    to_unicode: dict[int, str] = field(default_factory=dict)


@dataclass
class Drawn:
    """One character code shown with a font on a page."""

    page: int
    font: str
    code: int
    glyph: int | str | None
    text: str


def drawn_codes(data: bytes) -> Iterator[Drawn]:
    """Every character code shown in the PDF `data`, with the glyph its font draws for it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        cache_: dict[int, PdfFont] = {}
        for number, page in enumerate(pdf.pages, 1):
            yield from _walk(page.obj, page.obj.get("/Resources"), number, cache_, set())


def _walk(
    owner: Any, resources: Any, page: int, fonts: dict[int, PdfFont], seen: set[int]
) -> Iterator[Drawn]:
    current: PdfFont | None = None
    for operands, operator in pikepdf.parse_content_stream(owner):
        op = str(operator)
        if op == "Tf":
            current = _font(resources.Font[operands[0]], fonts)
        elif op in ("Tj", "'", '"', "TJ"):
            assert current is not None, "text shown without a font"
            strings = (
                operands[-1]
                if op != "TJ"
                else [s for s in operands[0] if isinstance(s, pikepdf.String)]
            )
            for string in [strings] if op != "TJ" else strings:
                yield from _codes(bytes(string), current, page)
        elif op == "Do" and resources is not None:
            xobject = resources.XObject[operands[0]]
            if xobject.Subtype == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                yield from _walk(xobject, xobject.get("/Resources", resources), page, fonts, seen)


def _codes(raw: bytes, font: PdfFont, page: int) -> Iterator[Drawn]:
    step = 2 if font.two_byte else 1
    for i in range(0, len(raw) - step + 1, step):
        code = int.from_bytes(raw[i : i + step], "big")
        yield Drawn(page, font.name, code, font.glyph_of(code), font.to_unicode.get(code, ""))


def _font(obj: Any, fonts: dict[int, PdfFont]) -> PdfFont:
    key = obj.objgen[0]
    if key not in fonts:
        fonts[key] = _read_font(obj)
    return fonts[key]


def _read_font(obj: Any) -> PdfFont:
    subtype = str(obj.Subtype)
    name = str(obj.get("/BaseFont", "?"))
    to_unicode = _to_unicode(obj)
    if subtype == "/Type0":
        descendant = obj.DescendantFonts[0]
        return PdfFont(name, True, _cid_glyphs(descendant), to_unicode)
    if subtype == "/TrueType":
        return PdfFont(name, False, _simple_truetype(obj), to_unicode)
    if subtype == "/Type1":
        return PdfFont(name, False, _simple_cff(obj), to_unicode)
    raise AssertionError(f"font {name} is {subtype}: no embedded glyph program to check")


def _program(descriptor: Any) -> tuple[str, bytes]:
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            stream = descriptor[key]
            if key == "/FontFile3" and stream.get("/Subtype") == "/OpenType":
                return "/OpenType", stream.read_bytes()
            return key, stream.read_bytes()
    raise AssertionError("font not embedded")


def _cff(kind: str, program: bytes) -> Any:
    """The top dict of a bare CFF program, or of the CFF table of an OpenType one."""
    if kind == "/OpenType":
        cff = TTFont(io.BytesIO(program))["CFF "].cff
    else:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program), None)
    return cff[cff.fontNames[0]]


def _cid_glyphs(descendant: Any) -> Any:
    kind, program = _program(descendant.FontDescriptor)
    if kind == "/FontFile2":
        count = TTFont(io.BytesIO(program), lazy=True)["maxp"].numGlyphs
        mapping = descendant.get("/CIDToGIDMap")
        if mapping is None or str(mapping) == "/Identity":
            table = None
        else:
            raw = mapping.read_bytes()
            table = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]

        def truetype(cid: int) -> int | None:
            gid = cid if table is None else (table[cid] if cid < len(table) else 0)
            return gid if 0 < gid < count else None

        return truetype
    top = _cff(kind, program)
    charset = top.charset
    if hasattr(top, "ROS"):
        names = set(charset)
        return lambda cid: f"cid{cid:05d}" if cid and f"cid{cid:05d}" in names else None
    return lambda cid: charset[cid] if 0 < cid < len(charset) else None


def _simple_truetype(obj: Any) -> Any:
    _, program = _program(obj.FontDescriptor)
    font = TTFont(io.BytesIO(program))
    maps = [(t.platformID, t.platEncID, t.cmap) for t in font["cmap"].tables]
    order = font.getGlyphOrder()

    def glyph(code: int) -> str | None:
        for platform, encoding, cmap in maps:
            for key in (0xF000 + code, code) if (platform, encoding) == (3, 0) else (code,):
                name = cmap.get(key)
                if name and name != ".notdef" and name in order:
                    return str(name)
        return None

    return glyph


def _simple_cff(obj: Any) -> Any:
    kind, program = _program(obj.FontDescriptor)
    if kind == "/FontFile":
        names, glyphs = _type1(program)
    else:
        top = _cff(kind, program)
        names = list(top.Encoding) if isinstance(top.Encoding, list) else []
        glyphs = set(top.charset)
    differences = (
        obj.get("/Encoding", {}).get("/Differences")
        if isinstance(obj.get("/Encoding"), pikepdf.Dictionary)
        else None
    )
    if differences is not None:
        code = 0
        for item in differences:
            if isinstance(item, int):
                code = int(item)
            else:
                while len(names) <= code:
                    names.append(".notdef")
                names[code] = str(item)[1:]
                code += 1
    return lambda c: (
        names[c] if c < len(names) and names[c] != ".notdef" and names[c] in glyphs else None
    )


def _type1(program: bytes) -> tuple[list[str], set[str]]:
    """The built-in encoding (code -> glyph name) and glyph names of a Type 1 program."""
    import tempfile

    from fontTools.t1Lib import T1Font

    with tempfile.NamedTemporaryFile(suffix=".pfa") as handle:
        handle.write(program)
        handle.flush()
        font = T1Font(handle.name, kind="OTHER")
        font.parse()
    encoding = font.font["Encoding"]
    names = (
        [str(encoding[c]) if c < len(encoding) else ".notdef" for c in range(256)]
        if isinstance(encoding, list)
        else []
    )
    return names, set(font.font["CharStrings"].keys())


def _to_unicode(obj: Any) -> dict[int, str]:
    """code -> text from the font's ToUnicode CMap (bfchar and bfrange entries)."""
    import re

    if "/ToUnicode" not in obj:
        return {}
    cmap = obj.ToUnicode.read_bytes().decode("latin-1")
    found: dict[int, str] = {}

    def text(hexes: str) -> str:
        return bytes.fromhex(hexes).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(src, 16)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                found[code] = chr(start + offset) if start + offset < 0x110000 else ""
    return found


# --- PPTX -------------------------------------------------------------------------------------


def is_east_asian(char: str) -> bool:
    """Characters PowerPoint and LibreOffice draw with the run's East Asian (a:ea) font."""
    return unicodedata.east_asian_width(char) in "WF"


@cache
def coverage(family: str) -> frozenset[int]:
    """The code points the installed or built-in font `family` has glyphs for."""
    from bmr_materials.resources import installed_family
    from bmr_materials.shared.fonts import FAMILY, static_fonts

    if family == FAMILY:
        path: Path = static_fonts()["regular"]
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap())
    files = installed_family(family)
    assert files, f"font {family!r} named in a deck is not installed"
    if files[0].suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(files[0], lazy=True)
        try:
            for face in collection.fonts:
                if face["name"].getDebugName(1) == family:
                    return frozenset(face.getBestCmap())
        finally:
            collection.close()
        raise AssertionError(f"{family!r} is not a face of {files[0]}")
    with TTFont(files[0], lazy=True) as font:
        return frozenset(font.getBestCmap())
