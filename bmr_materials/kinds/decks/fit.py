"""Measure text with its fonts' own metrics; pick the largest size at which it fits a box.

Paragraphs are wrapped greedily by the advance widths of the static Source Sans 3 instances
(PIL) and stacked with the fonts' line height (OS/2 winAscent + winDescent) times the
paragraph's line spacing, plus the space before each paragraph: the way PowerPoint and
LibreOffice lay out a text frame. Characters the brand font lacks (Japanese) are measured with
the language's font (`fallback`, an installed family), and lines may break between any two
wide (CJK) characters, except before closing and after opening punctuation, as both
renderers do. A small safety margin on widths absorbs the renderers' differences in kerning
and rounding.

Fonts that travel: a presenter's machine may lack the brand font, and the renderer then draws
the text in a substitute. Text is therefore fitted against the metrics of the brand font and
of its likely substitutes at once (`SUBSTITUTES`, the wider of each word and the taller line):
DejaVu Sans, what fontconfig (LibreOffice on Linux) falls back to, the widest of them, and
Liberation Sans, metric twin of Arial, what PowerPoint substitutes for a missing sans face.
Text that fits both never overflows, whichever draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

WIDTH_SAFETY = 1.04  # measured widths are scaled up by this much
SUBSTITUTES = ("DejaVu Sans", "Liberation Sans")  # what draws the text without the brand font
_STYLES = {
    "regular": ("Regular", "Book"),
    "bold": ("Bold",),
    "italic": ("Italic", "Oblique"),
}
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


_BRAND: dict[str, Path] = {}  # the deck's brand font files; empty: Source Sans 3
MEASURE_KEY = "measure "  # in a deck context's "files": "measure <style>" -> brand font file


def use_brand_font(files: dict[str, str]) -> None:
    """Measure with the brand font files of a deck context's "files" from now on."""
    wanted = {
        k.removeprefix(MEASURE_KEY): Path(v) for k, v in files.items() if k.startswith(MEASURE_KEY)
    }
    if wanted != _BRAND:
        _BRAND.clear()
        _BRAND.update(wanted)
        for measured in (_font, _covered, line_factor, _length):
            measured.cache_clear()


def font_files() -> dict[str, Path]:
    """The brand font's files by style (regular, italic, bold, ...): the deck's, once
    use_brand_font named them, else Source Sans 3's static cuts."""
    from bmr_materials.shared.fonts import static_fonts

    return dict(_BRAND) or static_fonts()


# No line starts with these (closing punctuation, small kana) nor ends with the openers.
NO_START = set(
    "、。，．・：；？！ー）」』】〕〉》”’%ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々"
)
NO_END = set("（「『【〔〈《“‘")


@cache
def _font(style: str) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(font_files()[style]), _REF)


@cache
def substitute_files() -> tuple[tuple[str, str, Path], ...]:
    """(family, style, file) of each installed substitute in each style fitting uses."""
    import subprocess

    found = []
    for family in SUBSTITUTES:
        try:
            listed = subprocess.run(
                ["fc-list", f":family={family}", "file", "style", "family"],
                capture_output=True,
                text=True,
                check=False,
                timeout=30,
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        rows = []  # "file: Family,Other:style=Style,Other"
        for line in listed.splitlines():
            file, _, rest = line.partition(": ")
            names, _, styles = rest.partition(":style=")
            rows.append((names.split(",")[0], styles.split(",")[0], Path(file)))
        for style, wanted in _STYLES.items():
            hits = sorted(f for fam, sty, f in rows if fam == family and sty in wanted)
            if hits:
                found.append((family, style, hits[0]))
    return tuple(found)


@cache
def _substitutes(style: str) -> tuple[Any, ...]:
    from PIL import ImageFont

    return tuple(
        ImageFont.truetype(str(path), _REF) for _, sty, path in substitute_files() if sty == style
    )


@cache
def _fallback_font(family: str, bold: bool) -> Any:
    """The installed `family` (regular, or bold when it has one) at the reference size."""
    from PIL import ImageFont

    from bmr_materials.resources import installed_family

    files = installed_family(family)
    if not files:
        raise LookupError(f"font {family!r} is not installed (fc-list does not know it)")
    bolds = [f for f in files if "Bold" in f.name]
    return ImageFont.truetype(str(bolds[0] if bold and bolds else files[0]), _REF)


@cache
def _covered() -> frozenset[int]:
    """The code points the brand font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(font_files()["regular"], lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def _fallback_line_factor(family: str) -> float:
    from fontTools.ttLib import TTFont

    from bmr_materials.resources import installed_family

    with TTFont(installed_family(family)[0], fontNumber=0, lazy=True) as font:
        os2, upm = font["OS/2"], font["head"].unitsPerEm
        return float(os2.usWinAscent + os2.usWinDescent) / upm


@cache
def line_factor() -> float:
    """Line height per point of font size: the Windows metrics of the regular instance (or of
    a taller substitute), which PowerPoint (Windows) and LibreOffice lay out single-spaced
    lines by."""
    from fontTools.ttLib import TTFont

    factors = []
    files = [font_files()["regular"], *(p for _, s, p in substitute_files() if s == "regular")]
    for path in files:
        with TTFont(path, lazy=True) as font:
            os2, upm = font["OS/2"], font["head"].unitsPerEm
            factors.append(float(os2.usWinAscent + os2.usWinDescent) / upm)
    return max(factors)


def _style(bold: bool, italic: bool) -> str:
    if bold:
        return "bold"
    return "italic" if italic else "regular"


def text_width(
    text: str, size: float, bold: bool = False, italic: bool = False, fallback: str | None = None
) -> float:
    """Advance width of `text` in points at `size` pt (characters the brand font lacks in
    the `fallback` family)."""
    covered = _covered()
    if fallback is None or all(ord(c) in covered for c in text):
        return _length(text, _style(bold, italic)) * size / _REF * WIDTH_SAFETY
    total = 0.0
    for char in text:
        total += (
            _length(char, _style(bold, italic))
            if ord(char) in covered
            else float(_fallback_font(fallback, bold).getlength(char))
        )
    return total * size / _REF * WIDTH_SAFETY


@lru_cache(maxsize=16384)
def _length(text: str, style: str) -> float:
    """Advance width of `text` at the reference size in the brand font or its widest
    substitute: fitting tries each word at every size."""
    widths = [_font(style).getlength(text)]
    widths += [font.getlength(text) for font in _substitutes(style)]
    return float(max(widths))


def is_wide(char: str) -> bool:
    """Whether `char` is a wide (CJK) character, after which a line may break."""
    import unicodedata

    return unicodedata.east_asian_width(char) in "WF"


Word = tuple[list[tuple[str, bool, bool]], bool]  # styled pieces, whether a space precedes


def may_break(before: str, after: str) -> bool:
    """Whether a line may break between two characters with no space between them."""
    return (is_wide(before) or is_wide(after)) and after not in NO_START and before not in NO_END


def _words(para: Para) -> list[Word | None]:
    """Unbreakable words as lists of styled pieces, each with whether a space precedes it;
    None marks a forced line break."""
    words: list[Word | None] = []
    current: list[tuple[str, bool, bool]] = []
    spaced = space = False

    def flush() -> None:
        nonlocal current
        if current:
            words.append((current, spaced))
            current = []

    for text, bold, italic in para.runs:
        for char in text:
            if char in " \n":
                flush()
                if char == "\n":
                    words.append(None)
                space = char == " "
                continue
            if current and may_break(current[-1][0][-1], char):
                flush()
            if not current:
                spaced, space = space, False
            if current and current[-1][1:] == (bold, italic):
                current[-1] = (current[-1][0] + char, bold, italic)
            else:
                current.append((char, bold, italic))
    flush()
    return words


def count_lines(para: Para, size: float, width: float, fallback: str | None = None) -> int:
    """Lines `para` takes at `size` pt in a frame `width` pt wide."""
    width -= para.indent
    lines, used = 1, 0.0
    space = text_width(" ", size)
    for entry in _words(para):
        if entry is None:
            lines, used = lines + 1, 0.0
            continue
        word, spaced = entry
        gap = space if spaced else 0.0
        w = sum(text_width(t, size, b, i, fallback) for t, b, i in word)
        if used and used + gap + w > width:
            lines, used, gap = lines + 1, 0.0, 0.0
        if w > width:  # a word longer than the line breaks between characters
            extra = int(w // width)
            lines += extra
            w -= extra * width
        used = used + gap + w if used else w
    return lines


def _line_factor(para: Para, fallback: str | None) -> float:
    """The line height factor of `para`: its tallest font's."""
    covered = _covered()
    if fallback and any(
        ord(c) not in covered for text, _, _ in para.runs for c in text if not c.isspace()
    ):
        return max(line_factor(), _fallback_line_factor(fallback))
    return line_factor()


def text_height(
    paras: list[Para], scale: float, width: float, fallback: str | None = None
) -> float:
    """Height in points of `paras` at `scale` in a frame `width` pt wide."""
    total = 0.0
    for n, para in enumerate(paras):
        size = para.size * scale
        if n:
            total += para.before * scale
        total += (
            count_lines(para, size, width, fallback)
            * size
            * para.line
            * _line_factor(para, fallback)
        )
    return total * HEIGHT_SAFETY


def fit_scale(
    paras: list[Para], width: float, height: float, floor: float, fallback: str | None = None
) -> float | None:
    """The largest scale (1 or less, in whole points of the largest size) at which `paras`
    fit `width` x `height` pt with no paragraph under `floor` pt; None if none does.
    Characters the brand font lacks are measured in the `fallback` family."""
    if not paras:
        return 1.0
    top = max(p.size for p in paras)
    smallest = min(p.size for p in paras)
    size = round(top)
    while size > 0:
        scale = size / top
        if smallest * scale < floor - 0.01:
            return None
        if text_height(paras, scale, width, fallback) <= height:
            return scale
        size -= 1
    return None
