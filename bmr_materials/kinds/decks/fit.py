"""Measure text with Source Sans 3's own metrics; pick the largest size at which it fits a box.

Paragraphs are wrapped greedily by the advance widths of the static font instances (PIL) and
stacked with the fonts' line height (OS/2 winAscent + winDescent) times the
paragraph's line spacing, plus the space before each paragraph: the way PowerPoint and
LibreOffice lay out a text frame. A small safety margin on widths absorbs the renderers'
differences in kerning and rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

WIDTH_SAFETY = 1.04  # measured widths are scaled up by this much
HEIGHT_SAFETY = 1.02
_REF = 200  # PIL measures at this size; widths scale linearly


@dataclass(frozen=True)
class Para:
    """A paragraph to measure: runs (text, bold, italic), size and spacing at scale 1."""

    runs: tuple[tuple[str, bool, bool], ...]
    size: float
    before: float = 0.0
    line: float = 1.0
    indent: float = 0.0


def font_files() -> dict[str, Path]:
    """Static Source Sans 3 TTFs: regular, italic, semibold, bold."""
    from bmr_materials.shared.fonts import static_fonts

    return static_fonts()


@cache
def _font(style: str) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(font_files()[style]), _REF)


@cache
def line_factor() -> float:
    """Line height per point of font size: the Windows metrics of the regular instance, which
    PowerPoint (Windows) and LibreOffice lay out single-spaced lines by."""
    from fontTools.ttLib import TTFont

    with TTFont(font_files()["regular"], lazy=True) as font:
        os2, upm = font["OS/2"], font["head"].unitsPerEm
        return float(os2.usWinAscent + os2.usWinDescent) / upm


def _style(bold: bool, italic: bool) -> str:
    if bold:
        return "bold"
    return "italic" if italic else "regular"


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of `text` in points at `size` pt."""
    return _length(text, _style(bold, italic)) * size / _REF * WIDTH_SAFETY


@lru_cache(maxsize=16384)
def _length(text: str, style: str) -> float:
    """Advance width of `text` at the reference size: fitting tries each word at every size."""
    return float(_font(style).getlength(text))


def _words(para: Para) -> list[list[tuple[str, bool, bool]] | None]:
    """Words as lists of styled pieces; None marks a forced line break."""
    words: list[list[tuple[str, bool, bool]] | None] = []
    current: list[tuple[str, bool, bool]] = []
    for text, bold, italic in para.runs:
        for i, line in enumerate(text.split("\n")):
            if i:
                if current:
                    words.append(current)
                    current = []
                words.append(None)
            for j, piece in enumerate(line.split(" ")):
                if j and current:
                    words.append(current)
                    current = []
                if piece:
                    current.append((piece, bold, italic))
    if current:
        words.append(current)
    return words


def count_lines(para: Para, size: float, width: float) -> int:
    """Lines `para` takes at `size` pt in a frame `width` pt wide."""
    width -= para.indent
    lines, used = 1, 0.0
    space = text_width(" ", size)
    for word in _words(para):
        if word is None:
            lines, used = lines + 1, 0.0
            continue
        w = sum(text_width(t, size, b, i) for t, b, i in word)
        if used and used + space + w > width:
            lines, used = lines + 1, 0.0
        if w > width:  # a word longer than the line breaks between characters
            extra = int(w // width)
            lines += extra
            w -= extra * width
        used = used + space + w if used else w
    return lines


def text_height(paras: list[Para], scale: float, width: float) -> float:
    """Height in points of `paras` at `scale` in a frame `width` pt wide."""
    total = 0.0
    for n, para in enumerate(paras):
        size = para.size * scale
        if n:
            total += para.before * scale
        total += count_lines(para, size, width) * size * para.line * line_factor()
    return total * HEIGHT_SAFETY


def fit_scale(paras: list[Para], width: float, height: float, floor: float) -> float | None:
    """The largest scale (1 or less, in whole points of the largest size) at which `paras`
    fit `width` x `height` pt with no paragraph under `floor` pt; None if none does."""
    if not paras:
        return 1.0
    top = max(p.size for p in paras)
    smallest = min(p.size for p in paras)
    size = round(top)
    while size > 0:
        scale = size / top
        if smallest * scale < floor - 0.01:
            return None
        if text_height(paras, scale, width) <= height:
            return scale
        size -= 1
    return None
