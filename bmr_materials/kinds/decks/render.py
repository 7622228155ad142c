"""Take a deck's render context; produce the PPTX bytes: slides on the master's named layouts.

Each slide is added on the layout its kind names, its placeholders are filled (text stays
editable), text is measured and shrunk to fit (never under a floor size, else RenderError),
unused placeholders are removed, footer and slide number are added, every run gets the
deck's language tag, every picture its alt text. The package is then made reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from bmr_materials.errors import RenderError
from bmr_materials.kinds.decks import fit, layouts, theme
from bmr_materials.kinds.decks.context import DeckCtx, Paras, PictureCtx, SlideCtx
from bmr_materials.kinds.decks.fit import Para, fit_scale, text_width
from bmr_materials.kinds.decks.repro import normalise_package

# role -> smallest size in points a text may shrink to
FLOORS = {
    "title": 24.0,
    "subtitle": 16.0,
    "claim": 14.0,
    "figure": 14.0,
    "sources": 9.0,
    "source": 9.0,
    "caption": 10.0,
    "takeaway": 20.0,
    "points": 18.0,
    "ask": 20.0,
    "steps": 16.0,
    "credit": 8.0,
    "text": 14.0,
    "opportunities": 14.0,
    "left": 14.0,
    "right": 14.0,
    "qr_caption": 12.0,
}
PICTURES = ("chart", "qr", "picture", "icon", "map")  # slide context keys drawn as pictures
GAP = 411480  # 0.45 in between figure cells
SAME_SIZE = (("left", "right"),)


def render_deck(context: DeckCtx, cache_dir: Path) -> bytes:
    """The deck described by `context` as reproducible PPTX bytes."""
    fit.use_brand_font(context["files"])
    prs = layouts.open_template(Path(context["files"]["template"]))
    theme.apply_brand(prs, cast("dict[str, Any]", context), Path(cache_dir))
    theme.bullets_in_theme_font(prs)
    needed = [s["layout"] for s in context["slides"]]
    found = layouts.layouts_by_name(prs, needed, context["template"])
    inherit = layouts.Inheritance()  # what each layout's placeholders offer, found once
    for slide_ctx in context["slides"]:
        slide = prs.slides.add_slide(found[slide_ctx["layout"]])
        _SlideWriter(context, slide_ctx, slide, Path(cache_dir), inherit).write()
    _properties(prs, context)
    out = io.BytesIO()
    prs.save(out)
    return normalise_package(out.getvalue(), dt.datetime.fromisoformat(context["timestamp"]))


def _properties(prs: Any, context: DeckCtx) -> None:
    when = dt.datetime.fromisoformat(context["timestamp"]).astimezone(dt.UTC).replace(tzinfo=None)
    props = prs.core_properties
    props.title, props.subject = context["title"], context["subtitle"]
    props.author = props.last_modified_by = context["organisation"]
    props.language, props.revision = context["tag"], 1
    props.keywords, props.comments, props.category = "", "", ""
    props.created = props.modified = props.last_printed = when
    from pptx.oxml.ns import qn

    default = prs.part._element.find(qn("p:defaultTextStyle"))
    if default is not None:
        for rpr in default.iter(qn("a:defRPr")):
            rpr.set("lang", context["tag"])


class _SlideWriter:
    """Fills one slide from its context."""

    def __init__(
        self,
        deck: DeckCtx,
        ctx: SlideCtx,
        slide: Any,
        cache_dir: Path,
        inherit: layouts.Inheritance,
    ) -> None:
        self.deck, self.ctx, self.slide, self.cache_dir = deck, ctx, slide, cache_dir
        self.inherit = inherit
        self.tag = deck["tag"]
        self.script_font: str | None = deck.get("script_font")
        self.fonts = (deck["font"], self.script_font or deck["font"])

    def where(self) -> str:
        return f"deck {self.deck['deck_id']} ({self.deck['lang']}), slide {self.ctx['number']}"

    def write(self) -> None:
        texts = self.ctx["texts"]
        roles = list(texts)
        if "figures" in self.ctx:
            roles.append("figure")
        pictures: list[str] = [r for r in PICTURES if r in self.ctx]
        mapped = self.deck.get("placeholders", {}).get(self.ctx["layout"])
        found = layouts.resolve(
            self.slide, roles + pictures, self.deck["template"], mapped, self.inherit
        )
        scales = {role: self.fill(found[role][0], paras, role)[0] for role, paras in texts.items()}
        for group in SAME_SIZE:  # columns side by side get the same size
            shared = min((scales[r] for r in group if r in scales), default=1.0)
            for role in group:
                if role in scales and scales[role] != shared:
                    self.fill(found[role][0], texts[role], role, shared, shared)
        if "figures" in self.ctx:
            self.figures(found["figure"])
        if "chart" in self.ctx:
            self.chart(found["chart"][0])
        if "qr" in self.ctx:
            self.qr(found["qr"][0])
        if "picture" in self.ctx:
            self.picture(found["picture"][0], self.ctx["picture"])
        if "icon" in self.ctx:
            self.icon(found["icon"][0])
        if "map" in self.ctx:
            self.locator_map(found["map"][0])
        used = {ph.shape_id for role in found for ph in found[role]}
        for ph in list(self.slide.placeholders):
            if ph.shape_id not in used and ph.element.getparent() is not None:
                ph.element.getparent().remove(ph.element)
        self.footer()
        self.notes()
        tag_language(self.slide.element, self.tag, self.fonts)

    # --- text -------------------------------------------------------------------------------

    def fill(
        self,
        ph: Any,
        paras: Paras,
        role: str,
        scale: float | None = None,
        first: float | None = None,
    ) -> tuple[float, float]:
        """Write `paras` into placeholder `ph`, shrunk until they fit (or to `scale`, the
        first paragraph to `first`); return both scales."""
        frame = ph.text_frame
        write_paragraphs(frame, paras, self.tag)
        styles = [self.inherit.level_style(ph, p["level"]) for p in paras]
        measured = [
            Para(
                tuple((r["text"], r["bold"] or s.bold, r["italic"]) for r in p["runs"]),
                s.size,
                s.before,
                s.line,
                s.indent,
            )
            for p, s in zip(paras, styles, strict=True)
        ]
        box = self.inherit.frame(ph)
        one_line = 1.0
        if role == "figure":  # a key figure stays on one line, and is measured so
            value = measured[0]
            wide = sum(text_width(t, value.size, b, i, self.script_font) for t, b, i in value.runs)
            one_line = min(1.0, box.width / wide) if wide else 1.0
            fitted = [replace(value, size=value.size * one_line), *measured[1:]]
        else:
            fitted = measured
        # the smallest size for the role, unless the master's own size for it is smaller
        floor = min(FLOORS.get(role, 14.0), max(p.size for p in fitted))
        if scale is None:
            scale = fit_scale(fitted, box.width, box.height, floor, self.script_font)
        if scale is not None and first is None:
            first = scale * one_line
        if scale is None or first is None:
            start = " ".join("".join(r["text"] for r in p["runs"]) for p in paras)[:60]
            raise RenderError(
                f"{self.where()}: text does not fit its {role!r} placeholder "
                f"even at {floor:g} pt: {start!r}..."
            )
        for n, (paragraph, m) in enumerate(zip(frame.paragraphs, measured, strict=True)):
            factor = first if n == 0 else scale
            if factor < 1:
                size = math.floor(m.size * factor * 2) / 2  # never above the fitted size
                for run in paragraph.runs:
                    run.font.size = _pt(size)
                paragraph._p.get_or_add_endParaRPr().set("sz", str(int(size * 100)))
        return scale, first

    def figures(self, cells: list[Any]) -> None:
        """Key figures: one cell per figure; on a key-figures slide arranged in a grid over
        the layout's cells and centred in their area, elsewhere in the layout's own cells."""
        figures = self.ctx.get("figures", [])
        if len(figures) > len(cells):
            raise RenderError(
                f"{self.where()}: {len(figures)} figures but the layout has "
                f"{len(cells)} figure placeholders"
            )
        if not figures:  # a field without figures of its own: its cells go
            for cell in cells:
                cell.element.getparent().remove(cell.element)
            return
        if self.ctx["kind"] == "key_figures":
            self.grid(cells, len(figures))
        scales = [
            self.fill(cell, paras, "figure") for cell, paras in zip(cells, figures, strict=False)
        ]
        shared = min(s for s, _ in scales), min(f for _, f in scales)  # all figures alike
        for cell, paras, scale in zip(cells, figures, scales, strict=False):
            if scale != shared:
                self.fill(cell, paras, "figure", *shared)
        for cell in cells[len(figures) :]:
            cell.element.getparent().remove(cell.element)

    def grid(self, cells: list[Any], count: int) -> None:
        """Place the first `count` cells in rows of up to three, centred vertically in the
        area all the layout's cells span."""
        boxes = [self.inherit.box(c) for c in cells]
        left = min(b.left for b in boxes)
        top = min(b.top for b in boxes)
        right = max(b.left + b.width for b in boxes)
        bottom = max(b.top + b.height for b in boxes)
        cols = count if count <= 3 else (count + 1) // 2
        rows = (count + cols - 1) // cols
        height = boxes[0].height
        width = (right - left - (cols - 1) * GAP) // cols
        row_gap = GAP // 2
        start = top + (bottom - top - rows * height - (rows - 1) * row_gap) // 2
        for n, cell in enumerate(cells[:count]):
            cell.left = left + (n % cols) * (width + GAP)
            cell.top = start + (n // cols) * (height + row_gap)
            cell.width, cell.height = width, height

    # --- pictures and charts ----------------------------------------------------------------

    def chart(self, ph: Any) -> None:
        chart = self.ctx["chart"]
        if self.deck["native_charts"]:
            from bmr_materials.kinds.decks.nativechart import insert_native_chart

            frame = insert_native_chart(ph, chart, self.deck)
            set_alt(frame.element, chart["alt"], f"Chart {chart['id']}")
            return
        from bmr_materials.kinds.decks.context import picture_chart
        from bmr_materials.shared.charts import render_chart

        png = render_chart(picture_chart(chart), "png", self.cache_dir)
        insert_picture(ph, self.inherit.box(ph), png, chart["alt"], f"Chart {chart['id']}")

    def picture(self, ph: Any, picture: PictureCtx) -> None:
        data = Path(self.deck["files"][f"picture:{picture['file']}"]).read_bytes()
        insert_picture(
            ph, self.inherit.box(ph), data, picture["alt"], picture["name"], cover=picture["cover"]
        )

    def icon(self, ph: Any) -> None:
        from bmr_materials.shared.icons import icon_png

        icon = self.ctx["icon"]
        png = icon_png(icon["name"], icon["colour"], 512, self.cache_dir)
        insert_picture(ph, self.inherit.box(ph), png, icon["alt"], f"Icon {icon['name']}")

    def locator_map(self, ph: Any) -> None:
        from bmr_materials.shared.locator_map import City, MapContext, map_path

        given = dict(self.ctx["map"])
        given["outline"] = tuple(tuple(p) for p in given["outline"])
        given["cities"] = tuple(City(**c) for c in given["cities"])
        drawn = MapContext(**given)
        if "points" not in self.ctx["texts"]:  # no points beside it: the map takes the width
            box = self.inherit.box(ph)
            left, top, height = box.left, box.top, box.height
            width = self.slide.part.package.presentation_part.presentation.slide_width - 2 * left
            ph.left, ph.top, ph.width, ph.height = left, top, width, height
        png = map_path(drawn, "png", self.cache_dir).read_bytes()
        insert_picture(ph, self.inherit.box(ph), png, drawn.alt, "Locator map")

    def qr(self, ph: Any) -> None:
        import segno

        target = self.ctx["qr"]["url"]
        buffer = io.BytesIO()
        segno.make(target, error="m", micro=False).save(
            buffer, kind="png", scale=24, border=2, dark=self.deck["colours"]["ink"]
        )
        pic = insert_picture(
            ph, self.inherit.box(ph), buffer.getvalue(), self.ctx["qr"]["alt"], "QR code"
        )
        pic.click_action.hyperlink.address = target

    # --- footer and notes -------------------------------------------------------------------

    def footer(self) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER
        from pptx.oxml.ns import qn

        for layout_ph in self.slide.slide_layout.placeholders:
            kind = layout_ph.placeholder_format.type
            if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
                continue
            self.slide.shapes.clone_placeholder(layout_ph)
            sp = self.slide.shapes[-1]
            p = sp.text_frame.paragraphs[0]
            if kind == PP_PLACEHOLDER.FOOTER:
                p.add_run().text = self.deck["footer"]
            else:
                from lxml import etree

                fld = etree.SubElement(p._p, qn("a:fld"))
                fld.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
                fld.set("type", "slidenum")
                etree.SubElement(fld, qn("a:rPr"))
                etree.SubElement(fld, qn("a:t")).text = str(self.ctx["number"])

    def notes(self) -> None:
        notes = self.slide.notes_slide
        write_paragraphs(notes.notes_text_frame, self.ctx["notes"], self.tag)
        tag_language(notes.element, self.tag, self.fonts)


# --- helpers shared with the native charts ------------------------------------------------


def _pt(size: float) -> Any:
    from pptx.util import Pt

    return Pt(size)


def write_paragraphs(frame: Any, paras: Paras, tag: str) -> None:
    """Replace the text of `frame` by `paras` (levels, bold/italic runs, links, headings)."""
    from pptx.enum.dml import MSO_THEME_COLOR

    frame.clear()
    for n, spec in enumerate(paras):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.level = spec["level"]
        for item in spec["runs"]:
            run = paragraph.add_run()
            run.text = item["text"]
            if item["bold"]:
                run.font.bold = True
            if item["italic"]:
                run.font.italic = True
            if spec.get("heading"):
                run.font.color.theme_color = MSO_THEME_COLOR.TEXT_2
            if item.get("href"):
                run.hyperlink.address = item["href"]
        paragraph._p.get_or_add_endParaRPr().set("lang", tag)


def tag_language(element: Any, tag: str, fonts: tuple[str, str] | None = None) -> None:
    """Set lang on every run, field and paragraph end under `element`, and name its fonts:
    `fonts` is (latin, East Asian), the brand font and the language's font for the
    characters the brand font lacks."""
    from pptx.oxml.ns import qn

    for node in element.iter(qn("a:r"), qn("a:fld")):
        rpr = node.find(qn("a:rPr"))
        if rpr is None:
            from lxml import etree

            rpr = etree.Element(qn("a:rPr"))
            node.insert(0, rpr)
        rpr.set("lang", tag)
        if fonts:
            set_fonts(rpr, *fonts)
    for end in element.iter(qn("a:endParaRPr")):
        end.set("lang", tag)
        if fonts:
            set_fonts(end, *fonts)


# The children of a:rPr that come after a:latin and a:ea, in schema order.
_AFTER = {
    "latin": ("ea", "cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst"),
    "ea": ("cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst"),
}


def set_fonts(rpr: Any, latin: str, east_asian: str) -> None:
    """Name the latin (a:latin) and East Asian (a:ea) typeface of run properties `rpr`."""
    from lxml import etree
    from pptx.oxml.ns import qn

    for name, typeface in (("latin", latin), ("ea", east_asian)):
        node = rpr.find(qn(f"a:{name}"))
        if node is None:
            node = etree.SubElement(rpr, qn(f"a:{name}"))
            later = {qn(f"a:{t}") for t in _AFTER[name]}
            successor = next((c for c in rpr if c.tag in later and c is not node), None)
            if successor is not None:
                successor.addprevious(node)
        node.set("typeface", typeface)


def set_alt(element: Any, alt: str, name: str) -> None:
    """Alt text (descr) and a meaningful name on a picture or graphic frame."""
    from pptx.oxml.ns import qn

    cnvpr = next(element.iter(qn("p:cNvPr")))
    cnvpr.set("descr", alt)
    cnvpr.set("name", name)


def insert_picture(
    ph: Any, box: layouts.Box, png: bytes, alt: str, name: str, *, cover: bool = False
) -> Any:
    """Put `png` into placeholder `ph`: whole (no crop) and centred at its aspect ratio, or,
    with `cover`, filling the placeholder and cropped to it (a full-bleed photograph). `box`
    is where the placeholder is (Inheritance.box)."""
    from PIL import Image
    from pptx.shapes.placeholder import PicturePlaceholder

    left, top, width, height = box.left, box.top, box.width, box.height
    pic = PicturePlaceholder(ph.element, ph._parent).insert_picture(io.BytesIO(png))
    if cover:  # python-pptx crops the picture to fill the placeholder, centred
        set_alt(pic.element, alt, name)
        return pic
    pic.crop_left = pic.crop_right = pic.crop_top = pic.crop_bottom = 0
    w, h = Image.open(io.BytesIO(png)).size
    scale = min(width / w, height / h)
    pic.width, pic.height = int(w * scale), int(h * scale)
    pic.left = left + (width - int(pic.width)) // 2
    pic.top = top + (height - int(pic.height)) // 2
    set_alt(pic.element, alt, name)
    return pic


def measure(ph: Any) -> tuple[float, float]:
    """(height the text of placeholder `ph` needs, height it has) in points, measured the
    way the renderer fits text: for tests and checks of finished decks."""
    from bmr_materials.kinds.decks.fit import text_height

    paras = []
    for paragraph in ph.text_frame.paragraphs:
        style = layouts.level_style(ph, paragraph.level)
        sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
        size = sizes[0] if sizes else style.size
        runs = tuple(
            (r.text, bool(r.font.bold) or style.bold, bool(r.font.italic)) for r in paragraph.runs
        )
        paras.append(Para(runs, size, style.before * size / style.size, style.line, style.indent))
    box = layouts.frame(ph)
    return text_height(paras, 1.0, box.width, east_asian_font(ph)), box.height


def east_asian_font(shape: Any) -> str | None:
    """The a:ea typeface the runs of `shape` name when it is not their latin one."""
    from pptx.oxml.ns import qn

    for rpr in shape.element.iter(qn("a:rPr")):
        ea, latin = rpr.find(qn("a:ea")), rpr.find(qn("a:latin"))
        if ea is not None and (latin is None or latin.get("typeface") != ea.get("typeface")):
            return str(ea.get("typeface"))
    return None
