"""Take a validated deck and one language; produce the JSON render context of its slides.

The context is everything the deck shows, already in the deck's language: titles, texts as
paragraphs of styled runs, formatted figures, chart contexts, speaker notes, alt texts and the
QR target. The renderer needs nothing else (besides the template file), so the plan can
fingerprint exactly what a deck renders. Light imports only: no pptx, no matplotlib.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bmr_materials.content.assetfiles import AssetRefused, find_asset
from bmr_materials.content.markup import Block, Run, shown_url, tel_href, to_blocks
from bmr_materials.content.model import Content, Deck, Slide
from bmr_materials.kinds.decks.layoutmap import layout_of, placeholder_map
from bmr_materials.resources import builder_root
from bmr_materials.shared.i18n import N_, Formatter, formatter
from bmr_materials.shared.repro import build_timestamp

PROJECT = builder_root()
DEFAULT_TEMPLATE = PROJECT / "templates" / "decks" / "master.pptx"

# slide kind -> the master layout it is built on (by name)
LAYOUTS = {
    "title": "Title",
    "key_figures": "Key Figures",
    "chart": "Chart",
    "field": "Field",
    "site": "Two Columns",
    "measures": "Two Columns",
    "contact": "Contact",
    "text": "Text",
}

AT_A_GLANCE = N_("Key figures at a glance")
OPPORTUNITIES = N_("Opportunities for international partners")
KEY_AREAS = N_("Key areas")
LIGHTHOUSES = N_("Lighthouse projects and institutions")
COMPANIES = N_("Companies on the campus")
MEASURES = N_("Project measures")
CONTACT = N_("Contact")
SCAN = N_("Scan for the campaign page")
QR_ALT = N_("QR code linking to the campaign page")
MORE = N_("More about the campus")
OTHER = N_("Other")


def deck_ids(content: Content) -> list[str]:
    """The decks of the content, in id order."""
    return sorted(content.decks)


def template_path(content: Content, template: Path | None) -> Path:
    """--deck-template > the content's deck_template setting (in the content folder, else the
    builder's) > the builder's master."""
    if template is not None:
        return Path(template)
    setting = content.campaign.settings.deck_template
    if not setting:
        return DEFAULT_TEMPLATE
    try:
        return find_asset(content.folder, setting, ("assets", "templates"))
    except AssetRefused:  # check reports it; opening it names the file
        return PROJECT / setting


def _files(content: Content, template: Path | None) -> dict[str, str]:
    """Where the master and the logo are on this machine (the fingerprint hashes the files)."""
    return {
        "template": str(template_path(content, template).resolve()),
        "logo": str(find_asset(content.folder, content.campaign.brand.logo)),
    }


def _shown_path(content: Content, template: Path | None) -> str:
    """The master as the user named it: the option, the content's setting, or the default."""
    if template is None and content.campaign.settings.deck_template:
        return content.campaign.settings.deck_template
    path = template_path(content, template)
    try:
        return path.resolve().relative_to(PROJECT).as_posix()
    except ValueError:
        return str(path)


def deck_context(
    content: Content, deck_id: str, lang: str, *, native_charts: bool, template: Path | None
) -> dict[str, Any]:
    """Everything deck `deck_id` shows in language `lang`, JSON-serialisable."""
    deck = content.decks[deck_id]
    fmt = formatter(lang, content)
    builder = _Builder(content, deck, fmt)
    slides = [builder.slide(slide, n) for n, slide in enumerate(deck.slides, 1)]
    figure_ids = sorted({fid for s in slides for fid in s.pop("_figure_ids")})
    return {
        "deck_id": deck_id,
        "lang": lang,
        "tag": fmt.language.tag,
        "script_font": fmt.language.font,
        "locale": fmt.locale,
        "title": deck.title[lang],
        "subtitle": deck.subtitle[lang],
        "organisation": content.campaign.contact.organisation,
        "footer": content.campaign.name,
        "brand": {"name": content.campaign.name, "logo": content.campaign.brand.logo},
        "placeholders": placeholder_map(content),
        "other_label": fmt.gettext(OTHER),
        "template": _shown_path(content, template),
        "files": _files(content, template),
        "native_charts": native_charts,
        "timestamp": build_timestamp(content).isoformat(),
        "colours": {k: c.rgb.upper() for k, c in content.campaign.brand.colours.items()},
        "font": content.campaign.brand.font,
        "figure_ids": figure_ids,
        "slides": slides,
    }


def input_files(context: dict[str, Any]) -> list[Path]:
    """Files a deck is made from besides the content: template, logo, font sources (and the
    language's own font, which text fitting measures)."""
    from bmr_materials.resources import installed_family
    from bmr_materials.shared.fonts import brand_family_files, font_sources

    files = context["files"]
    script = installed_family(context["script_font"]) if context["script_font"] else ()
    brand = brand_family_files(context["font"])
    return [Path(files["template"]), Path(files["logo"]), *font_sources(), *brand, *script]


# --- paragraphs -------------------------------------------------------------------------------


def para(
    runs: list[Run] | tuple[Run, ...], level: int = 0, *, heading: bool = False
) -> dict[str, Any]:
    """One paragraph: level 0 a plain paragraph, level 1 a bullet item (or a figure label)."""
    return {
        "level": level,
        "heading": heading,
        "runs": [
            {"text": r.text, "bold": r.bold or heading, "italic": r.italic, "href": r.href}
            for r in runs
        ],
    }


def text(
    value: str,
    level: int = 0,
    *,
    heading: bool = False,
    bold: bool = False,
    href: str | None = None,
) -> dict[str, Any]:
    return para([Run(value, bold=bold, href=href)], level, heading=heading)


def markup(value: str) -> list[dict[str, Any]]:
    """Content markup (paragraphs, bullets, bold, italic, links) as paragraphs."""
    return [para(block.runs, 1 if block.bullet else 0) for block in to_blocks(value)]


def _plain_runs(blocks: list[Block]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for n, block in enumerate(blocks):
        runs += [Run(" ")] if n else []
        runs += block.runs
    return tuple(runs)


# --- slides -----------------------------------------------------------------------------------


class _Builder:
    """Builds the context of each slide kind; one method per kind."""

    def __init__(self, content: Content, deck: Deck, fmt: Formatter) -> None:
        self.content, self.deck, self.fmt, self.lang = content, deck, fmt, fmt.code

    def t(self, value: dict[str, str]) -> str:
        return value[self.lang]

    def slide(self, slide: Slide, number: int) -> dict[str, Any]:
        ctx: dict[str, Any] = {
            "number": number,
            "kind": slide.kind,
            "layout": layout_of(self.content, slide.kind, LAYOUTS[slide.kind]),
            "_figure_ids": [],
        }
        ctx.update(getattr(self, f"_{slide.kind}")(slide, ctx))
        if slide.title:
            ctx["texts"]["title"] = [text(self.t(slide.title))]
        ctx["notes"] = markup(self.t(slide.notes))
        return ctx

    def _title(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        return {
            "texts": {
                "title": [text(self.t(self.deck.title))],
                "subtitle": [text(self.t(self.deck.subtitle))],
                "claim": [text(self.t(self.content.campaign.claim))],
            }
        }

    def _key_figures(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        from bmr_materials.shared.charts import source_line

        figures = self.content.figures.figures
        cells, used = [], []
        for fid in slide.figures:
            fig = figures[fid]
            label = f"{self.t(fig.label)} ({self.fmt.period(fig.period)})"
            cells.append([text(self.fmt.figure(fig)), text(label, 1)])
            used.append((fig.source, fig.period))
        ctx["_figure_ids"] += list(slide.figures)
        return {
            "texts": {
                "title": [text(self.fmt.gettext(AT_A_GLANCE))],
                "sources": [text(source_line(used, self.fmt))],
            },
            "figures": cells,
        }

    def _chart(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        from bmr_materials.shared.charts import chart_context

        assert slide.chart is not None
        chart = chart_context(self.content, slide.chart, self.lang)
        ctx["_figure_ids"] += chart["figure_ids"]
        caption = markup(chart["caption"]) if chart["caption"] else []
        return {
            "texts": {
                "title": [text(chart["title"])],
                "caption": caption,
                "source": [text(chart["source_line"])],
            },
            "chart": chart,
        }

    def _field(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        assert slide.field is not None
        spec = self.content.fields[slide.field]
        left = markup(self.t(spec.lead))
        if spec.key_areas:
            left.append(text(self.fmt.gettext(KEY_AREAS), heading=True))
            left += [text(self.t(area.title), 1) for area in spec.key_areas]
        if spec.lighthouses:
            left.append(text(self.fmt.gettext(LIGHTHOUSES), heading=True))
            left += [text(self.t(item.name), 1) for item in spec.lighthouses]
        right = [text(self.fmt.gettext(OPPORTUNITIES), heading=True)]
        if spec.opportunities:
            right += markup(self.t(spec.opportunities))
        for area in spec.key_areas:
            if area.opportunities:
                right.append(text(self.t(area.title), bold=True))
                right += markup(self.t(area.opportunities))
        return {
            "texts": {"title": [text(self.t(spec.title))], "text": left, "opportunities": right}
        }

    def _site(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        assert slide.site is not None
        campus = self.content.sites[slide.site]
        left = markup(self.t(campus.lead))
        if campus.companies:
            left.append(text(self.fmt.gettext(COMPANIES), heading=True))
            left += [text(self.t(item.name), 1) for item in campus.companies]
        if campus.url:
            shown = shown_url(campus.url)
            more = self.fmt.labelled(self.fmt.gettext(MORE), "")
            left.append(para([Run(more), Run(shown, href=campus.url)]))
        right: list[dict[str, Any]] = []
        for part in campus.parts:
            right.append(text(self.t(part.name), heading=True))
            if part.institutions:
                right += [text(self.t(item.name), 1) for item in part.institutions]
            else:
                right += markup(self.t(part.text))
        return {"texts": {"title": [text(self.t(campus.title))], "left": left, "right": right}}

    def _measures(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        region = self.content.region
        left = [para(_plain_runs(to_blocks(self.t(m))), 1) for m in region.measures]
        box = region.box
        right = [text(self.t(box.title), heading=True), *markup(self.t(box.body))] if box else []
        return {
            "texts": {"title": [text(self.fmt.gettext(MEASURES))], "left": left, "right": right}
        }

    def _contact(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        contact = self.content.campaign.contact
        web = contact.web
        shown = shown_url(web)
        lines = [
            text(contact.organisation, bold=True),
            text(self.t(contact.department)),
            *[text(line) for line in contact.address],
        ]
        if contact.phone:
            lines.append(text(contact.phone, href=tel_href(contact.phone)))
        if contact.email:
            lines.append(text(contact.email, href="mailto:" + contact.email))
        lines.append(text(shown, href=web))
        return {
            "texts": {
                "title": [text(self.fmt.gettext(CONTACT))],
                "text": lines,
                "qr_caption": [text(self.fmt.gettext(SCAN))],
            },
            "qr": {"url": web, "alt": self.fmt.labelled(self.fmt.gettext(QR_ALT), shown)},
        }

    def _text(self, slide: Slide, ctx: dict[str, Any]) -> dict[str, Any]:
        assert slide.body is not None
        return {
            "texts": {"title": [text(self.t(self.deck.title))], "text": markup(self.t(slide.body))}
        }


def charts_needed(context: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The (chart context, medium) pairs this deck draws as pictures, to render them ahead."""
    if context["native_charts"]:
        return []
    return [
        (picture_chart(slide["chart"]), "png") for slide in context["slides"] if slide.get("chart")
    ]


def picture_chart(chart: dict[str, Any]) -> dict[str, Any]:
    """The chart as drawn into a picture: its source line is editable text under it."""
    return {**chart, "source_line": ""}
