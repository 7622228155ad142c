"""Take a built deck (PPTX, and the PDF beside it) and report what a presenter would trip over:
the wrong aspect ratio, text spilling out of its placeholder, slides without speaker notes,
pictures and charts without alt text, placeholders left empty, and characters no font named
on their run can draw (decks.fontcover); the deck's PDF gets the glyph checks of every PDF.

Text is measured with decks/fit.py (Source Sans 3's own metrics), with each paragraph's
size, spacing and indent resolved the way PowerPoint does: run, paragraph, the shape's list
style, the layout's and master's placeholder, then the master's text styles.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bmr_materials.shared.kind import Issue

if TYPE_CHECKING:
    from bmr_materials.kinds.decks.layouts import Inheritance

EMU_PER_PT = 12700
RATIO = 16 / 9
DEFAULT_INSETS = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}
DEFAULT_SIZE = 18.0
OVERFLOW_TOLERANCE = 1.0  # points
FILE_NAME = re.compile(r"^[\w\s.()-]*\.(png|jpe?g|gif|svg|emf|wmf|bmp|tiff?|webp)$", re.I)
STYLE_FOR = {"title": "p:titleStyle", "ctrTitle": "p:titleStyle"}
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}


def _x(element: Any, path: str) -> Any:
    """XPath with the a: and p: prefixes, on python-pptx and plain lxml elements alike."""
    from lxml import etree

    return etree._Element.xpath(element, path, namespaces=NS)


def _ph_type(element: Any) -> str | None:
    found = _x(element, "./*[1]/p:nvPr/p:ph")
    if not found:
        return None
    return str(found[0].get("type", "body"))


def _ph_idx(element: Any) -> int:
    found = _x(element, "./*[1]/p:nvPr/p:ph")
    return int(found[0].get("idx", 0)) if found else -1


def _master_type(ph_type: str) -> str:
    return {"ctrTitle": "title", "subTitle": "body", "obj": "body"}.get(ph_type, ph_type)


class _Layout(NamedTuple):
    """A layout's placeholders by idx, its master's by type (first of each) and its master."""

    by_idx: dict[int, Any]
    by_type: dict[str, Any]
    master: Any


# layout part (and slide part) -> what its slides inherit, listed once per deck (python-pptx
# would search the layout's shapes again on every look-up); an entry goes with its deck
_LAYOUTS: weakref.WeakKeyDictionary[Any, _Layout] = weakref.WeakKeyDictionary()


def _layout_of(slide: Any) -> _Layout:
    found = _LAYOUTS.get(slide.part)  # each slide's too: finding its layout takes a while
    if found is not None:
        return found
    layout = slide.slide_layout
    found = _LAYOUTS.get(layout.part)
    if found is None:
        by_idx: dict[int, Any] = {}
        for candidate in layout.placeholders:
            by_idx.setdefault(_ph_idx(candidate._element), candidate._element)
        by_type: dict[str, Any] = {}
        for candidate in layout.slide_master.placeholders:
            kind = _master_type(_ph_type(candidate._element) or "body")
            by_type.setdefault(kind, candidate._element)
        found = _Layout(by_idx, by_type, layout.slide_master._element)
        _LAYOUTS[layout.part] = found
    _LAYOUTS[slide.part] = found
    return found


def inherited(shape: Any, slide: Any) -> list[Any]:
    """The shape's own element, then its layout and master placeholders (when it is one)."""
    chain = [shape._element]
    ph_type = _ph_type(shape._element)
    if ph_type is None:
        return chain
    layout = _layout_of(slide)
    for found in (
        layout.by_idx.get(_ph_idx(shape._element)),
        layout.by_type.get(_master_type(ph_type)),
    ):
        if found is not None:
            chain.append(found)
    return chain


def _size(shape: Any, slide: Any) -> tuple[int, int]:
    """Width and height of `shape` in EMU, its own or inherited (0: none)."""
    chain = inherited(shape, slide)
    width = next((e.cx for e in chain if getattr(e, "cx", None) is not None), None)
    height = next((e.cy for e in chain if getattr(e, "cy", None) is not None), None)
    if width is None or height is None:  # what python-pptx finds otherwise
        width, height = shape.width, shape.height
    return int(width or 0), int(height or 0)


def level_styles(shape: Any, slide: Any, level: int) -> list[Any]:
    """The a:lvlNpPr elements that style paragraphs of `level`, nearest first."""
    tag = f"a:lvl{level + 1}pPr"
    found = []
    for element in inherited(shape, slide):
        found += _x(element, f"./p:txBody/a:lstStyle/{tag}")
    ph_type = _ph_type(shape._element)
    style = STYLE_FOR.get(ph_type or "", "p:bodyStyle") if ph_type else "p:otherStyle"
    found += _x(_layout_of(slide).master, f"./p:txStyles/{style}/{tag}")
    return found


def _first(elements: list[Any], path: str, attr: str) -> str | None:
    for element in elements:
        hits = _x(element, path) if path != "." else [element]
        for hit in hits:
            if hit.get(attr) is not None:
                return str(hit.get(attr))
    return None


def _spacing(p_pr: list[Any], name: str, size: float) -> float | None:
    """Points of a:spcBef / a:lnSpc (lnSpc as a factor), from the nearest style that sets it."""
    for element in p_pr:
        points = _x(element, f"./a:{name}/a:spcPts")
        if points:
            value = int(points[0].get("val")) / 100
            return value / size if name == "lnSpc" else value
        percent = _x(element, f"./a:{name}/a:spcPct")
        if percent:
            value = int(percent[0].get("val")) / 100000
            return value if name == "lnSpc" else value * size * 1.2  # % of a line
    return None


def paragraphs(shape: Any, slide: Any) -> list[Any]:
    """The shape's paragraphs as decks.fit.Para (sizes in points, at font scale 1)."""
    from bmr_materials.kinds.decks.fit import Para

    result = []
    for p in _x(shape.text_frame._txBody, "./a:p"):
        own = _x(p, "./a:pPr")
        level = int(own[0].get("lvl", 0)) if own else 0
        styles = own + level_styles(shape, slide, level)
        base_size = float(_first(styles, "./a:defRPr", "sz") or DEFAULT_SIZE * 100) / 100
        base_bold = _first(styles, "./a:defRPr", "b") in ("1", "true")
        runs, sizes = [], []
        for child in _x(p, "./a:r | ./a:br | ./a:fld"):
            if child.tag.endswith("}br"):
                runs.append(("\n", base_bold, False))
                continue
            r_pr = _x(child, "./a:rPr")
            size = r_pr[0].get("sz") if r_pr else None
            sizes.append(float(size) / 100 if size else base_size)
            bold = r_pr[0].get("b") if r_pr else None
            italic = r_pr[0].get("i") in ("1", "true") if r_pr else False
            runs.append(
                (
                    str(_x(child, "string(./a:t)")),
                    base_bold if bold is None else bold in ("1", "true"),
                    italic,
                )
            )
        if not sizes:
            end = _x(p, "./a:endParaRPr/@sz")
            sizes.append(float(end[0]) / 100 if end else base_size)
        size = max(sizes)
        indent = float(_first(styles, ".", "marL") or 0) / EMU_PER_PT
        result.append(
            Para(
                tuple(runs),
                size,
                _spacing(styles, "spcBef", size) or 0.0,
                _spacing(styles, "lnSpc", size) or 1.0,
                indent,
            )
        )
    return result


def _body_pr(shape: Any, slide: Any, attr: str) -> str | None:
    for element in inherited(shape, slide):
        value = next(iter(_x(element, f"./p:txBody/a:bodyPr/@{attr}")), None)
        if value is not None:
            return str(value)
    return None


def overflow(shape: Any, slide: Any) -> tuple[float, float] | None:
    """(points needed, points available) when the text of `shape` does not fit, else None."""
    from bmr_materials.kinds.decks import fit
    from bmr_materials.kinds.decks.fit import text_height

    body = shape.text_frame._txBody
    own_width, own_height = _size(shape, slide)
    if _x(body, "./a:bodyPr/a:spAutoFit") or not own_width or not own_height:
        return None  # the shape grows with its text
    insets = {
        k: float(_body_pr(shape, slide, k) or v) / EMU_PER_PT for k, v in DEFAULT_INSETS.items()
    }
    width = own_width / EMU_PER_PT - insets["lIns"] - insets["rIns"]
    height = own_height / EMU_PER_PT - insets["tIns"] - insets["bIns"]
    if _body_pr(shape, slide, "wrap") == "none":
        width = 1e6
    scale = float(next(iter(_x(body, "./a:bodyPr/a:normAutofit/@fontScale")), 100000)) / 1e5
    paras = paragraphs(shape, slide)
    if not "".join(t for p in paras for t, _, _ in p.runs).strip():
        return None
    # Measure with the fonts' exact metrics: the renderer's safety margins are for fitting,
    # an overflow reported here is text that really spills out.
    width_safety = getattr(fit, "WIDTH_SAFETY", 1.0)
    needed = text_height(paras, scale, width * width_safety) / getattr(fit, "HEIGHT_SAFETY", 1.0)
    return (needed, height) if needed > height + OVERFLOW_TOLERANCE else None


def shapes(container: Any) -> Iterator[Any]:
    """Every shape, group members included."""
    from pptx.shapes.group import GroupShape

    for shape in container:
        if isinstance(shape, GroupShape):
            yield from shapes(shape.shapes)
        else:
            yield shape


def _label(number: int, shape: Any) -> str:
    return f"slide {number} ({shape.name!r})"


# --- the checks ------------------------------------------------------------------------------


def check_ratio(prs: Any) -> Iterator[Issue]:
    """The slides are 16:9."""
    width, height = prs.slide_width, prs.slide_height
    if not width or not height or abs(width / height - RATIO) > 0.01:
        ratio = width / height if width and height else 0
        yield Issue(
            "error",
            f"slides are {width / 914400:.2f} x {height / 914400:.2f} in "
            f"(ratio {ratio:.3f}), expected 16:9 ({RATIO:.3f})",
        )


def check_text_fit(prs: Any) -> Iterator[Issue]:
    """No text needs more room than its placeholder or text box has."""
    for number, slide in enumerate(prs.slides, 1):
        for shape in shapes(slide.shapes):
            if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
                continue
            over = overflow(shape, slide)
            if over:
                yield Issue(
                    "error",
                    f"{_label(number, shape)}: text overflows, needs "
                    f"{over[0]:.0f} pt of height, has {over[1]:.0f} pt",
                )


def check_notes(prs: Any) -> Iterator[Issue]:
    """Every slide has speaker notes."""
    missing = [
        n
        for n, slide in enumerate(prs.slides, 1)
        if not slide.has_notes_slide
        or not slide.notes_slide.notes_text_frame
        or not slide.notes_slide.notes_text_frame.text.strip()
    ]
    if missing:
        yield Issue("error", f"no speaker notes on {_slides_text(missing)}")


def alt_text(shape: Any) -> str | None:
    """The shape's alt text (cNvPr descr); '' for decorative, None when it has none."""
    c_nv_pr = _x(shape._element, "./*[1]/p:cNvPr")
    if not c_nv_pr:
        return None
    if _x(c_nv_pr[0], ".//*[local-name()='decorative'][@val='1' or @val='true']"):
        return ""
    descr = str(c_nv_pr[0].get("descr", "")).strip()
    return descr or None


def check_alt_text(prs: Any) -> Iterator[Issue]:
    """Every picture, chart and table has alt text that is not a file name."""
    from pptx.shapes.graphfrm import GraphicFrame
    from pptx.shapes.picture import Picture

    for number, slide in enumerate(prs.slides, 1):
        for shape in shapes(slide.shapes):
            if not isinstance(shape, Picture | GraphicFrame):
                continue
            kind = "picture" if isinstance(shape, Picture) else "graphic"
            text = alt_text(shape)
            if text is None:
                yield Issue("error", f"{_label(number, shape)}: {kind} without alt text")
            elif FILE_NAME.match(text):
                yield Issue(
                    "error",
                    f"{_label(number, shape)}: the alt text of this {kind} is "
                    f"a file name ({text!r})",
                )


def check_placeholders(prs: Any) -> Iterator[Issue]:
    """No placeholder is left empty ("Click to add text" in the editor)."""
    from pptx.shapes.graphfrm import GraphicFrame
    from pptx.shapes.picture import Picture

    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.placeholders:
            if isinstance(shape, Picture | GraphicFrame):
                continue
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                kind = str(shape.placeholder_format.type).split(" ")[0].lower()
                yield Issue("error", f"{_label(number, shape)}: empty {kind} placeholder")


def check_font_coverage(prs: Any) -> Iterator[Issue]:
    """Every character of every run has a glyph in a font named on the run."""
    from bmr_materials.kinds.decks.fontcover import named_fonts, theme_fonts, uncovered

    themes: dict[int, dict[str, str]] = {}
    for number, slide in enumerate(prs.slides, 1):
        master = slide.slide_layout.slide_master
        theme = themes.setdefault(id(master), theme_fonts(master))
        for shape in shapes(slide.shapes):
            if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
                continue
            title = _ph_type(shape._element) in STYLE_FOR
            for p in _x(shape.text_frame._txBody, "./a:p"):
                own = _x(p, "./a:pPr")
                level = int(own[0].get("lvl", 0)) if own else 0
                inherited = [
                    d for s in own + level_styles(shape, slide, level) for d in _x(s, "./a:defRPr")
                ]
                for run in _x(p, "./a:r | ./a:fld"):
                    text = str(_x(run, "string(./a:t)"))
                    fonts = named_fonts(_x(run, "./a:rPr") + inherited, theme, title)
                    missing = uncovered(text, fonts)
                    if missing:
                        yield Issue(
                            "error",
                            f"{_label(number, shape)}: no font named on the "
                            f"text ({', '.join(fonts) or 'none'}) has "
                            f"'{missing}', in '{_short(text)}'",
                        )


# --- words per slide -------------------------------------------------------------------------

WORDS_WARNING, WORDS_ERROR = 40, 70
CJK_PER_WORD = 2.5  # kanji and kana per word (a Japanese word is 2-3 characters)
NOT_COUNTED = {"source", "sources", "credit"}  # small print: source lines and photo credits
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]+")  # a katakana loanword is one word
_WORD = re.compile(r"[^\W_]+(?:[-’'.,][^\W_]+)*")


def count_words(text: str) -> float:
    """Words in `text`: runs of letters and digits (joined by hyphens, apostrophes and
    number separators), a web or mail address one word; a run of katakana (a loanword) is one
    word and any other CJK character 1/2.5 of a word."""
    loanwords = len(_KATAKANA.findall(text))
    text = _KATAKANA.sub(" ", text)
    cjk = len(_CJK.findall(text))
    words = 0
    for token in _CJK.sub(" ", text).split():
        words += 1 if ("/" in token or "@" in token) else len(_WORD.findall(token))
    return words + loanwords + cjk / CJK_PER_WORD


def slide_words(slide: Any, inherit: Inheritance | None = None) -> float:
    """The words a slide shows: every text but the footer, slide number, source lines and
    credits (speaker notes are not on the slide)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    from bmr_materials.kinds.decks.layouts import FOOTER_TYPES, Inheritance

    inherit = inherit or Inheritance()
    total = 0.0
    for shape in shapes(slide.shapes):
        if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
            continue
        if shape.is_placeholder:
            kind = shape.placeholder_format.type
            if kind in FOOTER_TYPES or kind == PP_PLACEHOLDER.DATE:
                continue
            if inherit.role_name(shape) in NOT_COUNTED:
                continue
        total += count_words(shape.text_frame.text)
    return total


def check_words(prs: Any) -> Iterator[Issue]:
    """A pitch slide says one thing: a warning above 40 words, an error above 70."""
    from bmr_materials.kinds.decks.layouts import Inheritance

    inherit = Inheritance()
    for number, slide in enumerate(prs.slides, 1):
        words = slide_words(slide, inherit)
        if words > WORDS_ERROR or words > WORDS_WARNING:
            level = "error" if words > WORDS_ERROR else "warning"
            limit = WORDS_ERROR if level == "error" else WORDS_WARNING
            yield Issue(
                level,
                f"slide {number}: {words:.0f} words (more than {limit}); "
                "move the detail into the speaker notes",
            )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _slides_text(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10]) + (", ..." if len(numbers) > 10 else "")
    return f"slide{'s' if len(numbers) > 1 else ''} {shown}"


def deck_checks(path: Path) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The checks of a .pptx deck, by name, ready to run."""
    from pptx import Presentation

    prs = Presentation(str(path))
    return {
        "16:9": lambda: check_ratio(prs),
        "text fits": lambda: check_text_fit(prs),
        "speaker notes": lambda: check_notes(prs),
        "alt text": lambda: check_alt_text(prs),
        "empty placeholders": lambda: check_placeholders(prs),
        "font coverage": lambda: check_font_coverage(prs),
        "words per slide": lambda: check_words(prs),
    }


def deck_typefaces(pptx: Path) -> set[str]:
    """Every typeface a deck names: its theme fonts and each a:latin / a:ea / a:cs of its
    slides, masters and layouts."""
    from pptx import Presentation

    from bmr_materials.kinds.decks.fontcover import theme_fonts

    prs = Presentation(str(pptx))
    names = {v for master in prs.slide_masters for v in theme_fonts(master).values() if v}
    parts = [s.part for s in prs.slides] + [m.part for m in prs.slide_masters]
    parts += [layout.part for layout in prs.slide_layouts]
    for part in parts:
        names.update(
            str(v)
            for v in _x(part._element, ".//a:latin/@typeface | .//a:ea/@typeface")
            if v and not str(v).startswith("+")
        )
    return names


def _squeezed(name: str) -> str:
    return re.sub(r"[\s_-]", "", name).lower()


def check_fallback_fonts(pdf: Any, pptx: Path) -> Iterator[Issue]:
    """Every font in the deck's PDF is one the deck names (the brand's, the language's):
    none is a renderer's fallback (DejaVu Sans for a typeface the machine lacks)."""
    if not pptx.is_file():
        return
    named = {_squeezed(n) for n in deck_typefaces(pptx)}
    seen: set[str] = set()
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            base = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
            family = _squeezed(base.split("-", 1)[0])
            if base and base not in seen and not any(family.startswith(n) for n in named):
                seen.add(base)
                yield Issue(
                    "error",
                    f"font {base} is not one the deck names ({', '.join(sorted(named))}): "
                    "a renderer fell back to it",
                )


def deck_pdf_checks(pdf: Any, path: Path) -> dict[str, Callable[[], Iterator[Issue]]]:
    """The checks of the PDF LibreOffice made beside a deck."""
    from bmr_materials.shared.preflight.glyphs import glyph_checks
    from bmr_materials.shared.preflight.paint import painted_once
    from bmr_materials.shared.preflight.print_pdf import check_fonts

    def pages() -> Iterator[Issue]:
        pptx = path.with_suffix(".pptx")
        if pptx.is_file():
            from pptx import Presentation

            slides = len(Presentation(str(pptx)).slides)
            if slides != len(pdf.pages):
                yield Issue(
                    "error",
                    f"{len(pdf.pages)} pages for {slides} slides in "
                    f"{pptx.name}: the PDF is out of date or incomplete",
                )

    return {
        "slides match": pages,
        "fonts embedded": lambda: check_fonts(pdf),
        "no fallback font": lambda: check_fallback_fonts(pdf, path.with_suffix(".pptx")),
        **glyph_checks(pdf, painted_once(pdf)),
    }
