"""Take a validated deck and one language; produce the JSON render context of its slides.

The context is everything the deck shows, already in the deck's language: titles, texts as
paragraphs of styled runs, formatted figures, chart contexts, speaker notes, alt texts and the
QR target. The renderer needs nothing else (besides the template file), so the plan can
fingerprint exactly what a deck renders. Light imports only: no pptx, no matplotlib.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NotRequired, TypedDict

from bmr_materials.content.assetfiles import AssetRefused, find_asset
from bmr_materials.content.markup import Block, Run, shown_url, tel_href, to_blocks
from bmr_materials.content.model import Content, Deck, Person, Slide, period_year
from bmr_materials.kinds.decks.layoutmap import layout_of, placeholder_map
from bmr_materials.resources import builder_root
from bmr_materials.shared.i18n import N_, Formatter, formatter
from bmr_materials.shared.repro import build_timestamp

PROJECT = builder_root()
DEFAULT_TEMPLATE = PROJECT / "templates" / "decks" / "master.pptx"

# slide kind -> the master layout it is built on (by name)
LAYOUTS = {
    "title": "Title",
    "agenda": "Agenda",
    "section": "Section",
    "key_figures": "Key Figures",
    "chart": "Chart",
    "field": "Field",
    "picture": "Picture",
    "map": "Map",
    "site": "Field",
    "measures": "Two Columns",
    "partners": "Two Columns",
    "closing": "Closing",
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
AGENDA = N_("Agenda")
NEXT_STEPS = N_("Next steps")
PARTNERS = N_("Our hosts and partners")
METHOD = N_("Method")
FOR_AUDIENCE = N_("{audience} · {place}, {date}")
THANKS = N_("Thank you, {audience}")
ICON = N_("Icon of the field {name}")


class RunCtx(TypedDict):
    """A run of text with its style and link."""

    text: str
    bold: bool
    italic: bool
    href: str | None


class ParaCtx(TypedDict):
    """A paragraph: level 0 plain, level 1 a bullet item (or a figure label)."""

    level: int
    heading: bool
    runs: list[RunCtx]


Paras = list[ParaCtx]


class QrCtx(TypedDict):
    url: str
    alt: str


class IconCtx(TypedDict):
    """A Lucide icon in a brand colour."""

    name: str
    colour: str
    alt: str


class PictureCtx(TypedDict):
    """An image file (as the content names it; its place is in the deck's files) shown in a
    picture placeholder."""

    file: str
    alt: str
    name: str
    cover: bool  # fill the placeholder (cropped) rather than fit inside it


class SlideCtx(TypedDict):
    """One slide: its kind and layout, the texts by placeholder role, what else it shows."""

    number: int
    kind: str
    layout: str
    texts: dict[str, Paras]
    notes: Paras
    figures: NotRequired[list[Paras]]
    chart: NotRequired[dict[str, Any]]
    map: NotRequired[dict[str, Any]]  # shared.locator_map.MapContext as a dict
    icon: NotRequired[IconCtx]
    qr: NotRequired[QrCtx]
    picture: NotRequired[PictureCtx]


class DeckCtx(TypedDict):
    """Everything one deck shows in one language; JSON-serialisable."""

    deck_id: str
    lang: str
    tag: str
    script_font: str | None
    locale: str
    title: str
    subtitle: str
    organisation: str
    footer: str
    brand: dict[str, str]
    other_label: str
    template: str
    placeholders: dict[str, dict[str, list[int]]]  # a client master: layout -> role -> indices
    files: dict[str, str]  # where the template, logo and pictures are on this machine
    native_charts: bool
    timestamp: str
    colours: dict[str, str]
    font: str
    figure_ids: list[str]
    slides: list[SlideCtx]


def deck_ids(content: Content) -> list[str]:
    """The decks of the content, in id order."""
    return sorted(content.decks)


def deck_languages(content: Content, deck_id: str) -> list[str] | None:
    """The languages a deck is made in when its audience names them, else None (all)."""
    audience = content.decks[deck_id].audience
    return list(audience.languages) if audience else None


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
    """Where the master, the logo and the brand font are on this machine (the fingerprint
    hashes the files)."""
    from bmr_materials.kinds.decks.fit import MEASURE_KEY
    from bmr_materials.shared.fonts import brand_font_files

    fonts = {
        f"{MEASURE_KEY}{style}": str(path) for style, path in brand_font_files(content).items()
    }
    return {
        "template": str(template_path(content, template).resolve()),
        "logo": str(find_asset(content.folder, content.campaign.brand.logo)),
        **fonts,
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
) -> DeckCtx:
    """Everything deck `deck_id` shows in language `lang`, JSON-serialisable."""
    deck = content.decks[deck_id]
    fmt = formatter(lang, content)
    builder = _Builder(content, deck, fmt)
    slides = [builder.slide(slide, n) for n, slide in enumerate(deck.slides, 1)]
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
        "files": {**_files(content, template), **builder.files},
        "native_charts": native_charts,
        "timestamp": build_timestamp(content).isoformat(),
        "colours": {k: c.rgb.upper() for k, c in content.campaign.brand.colours.items()},
        "font": content.campaign.brand.font,
        "figure_ids": sorted(builder.figure_ids),
        "slides": slides,
    }


def input_files(context: DeckCtx) -> list[Path]:
    """Files a deck is made from besides the content: template, logo, pictures, font sources
    (and the language's own font and the brand font's substitutes, which fitting measures)."""
    from bmr_materials.kinds.decks.fit import substitute_files
    from bmr_materials.resources import installed_family
    from bmr_materials.shared.fonts import brand_family_files, font_sources

    files = context["files"]
    script = installed_family(context["script_font"]) if context["script_font"] else ()
    brand = brand_family_files(context["font"])
    pictures = [Path(v) for k, v in sorted(files.items()) if k.startswith("picture:")]
    substitutes = [path for _, _, path in substitute_files()]
    return [
        Path(files["template"]),
        Path(files["logo"]),
        *pictures,
        *font_sources(),
        *brand,
        *script,
        *substitutes,
    ]


# --- paragraphs -------------------------------------------------------------------------------


def para(runs: list[Run] | tuple[Run, ...], level: int = 0, *, heading: bool = False) -> ParaCtx:
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
) -> ParaCtx:
    return para([Run(value, bold=bold, href=href)], level, heading=heading)


def markup(value: str) -> Paras:
    """Content markup (paragraphs, bullets, bold, italic, links) as paragraphs."""
    return [para(block.runs, 1 if block.bullet else 0) for block in to_blocks(value)]


def _plain_runs(blocks: list[Block]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for n, block in enumerate(blocks):
        runs += [Run(" ")] if n else []
        runs += block.runs
    return tuple(runs)


# --- slides -----------------------------------------------------------------------------------

Parts = dict[str, Any]  # what one kind's method adds to a slide: texts, figures, chart, notes


class _Builder:
    """Builds the context of each slide kind; one method per kind."""

    def __init__(self, content: Content, deck: Deck, fmt: Formatter) -> None:
        self.content, self.deck, self.fmt, self.lang = content, deck, fmt, fmt.code
        self.figure_ids: set[str] = set()
        self.files: dict[str, str] = {}  # picture:<name> -> where the picture is

    def t(self, value: dict[str, str]) -> str:
        return value[self.lang]

    def slide(self, slide: Slide, number: int) -> SlideCtx:
        parts: Parts = getattr(self, f"_{slide.kind}")(slide)
        extra_notes: Paras = parts.pop("notes", [])
        ctx: SlideCtx = {
            "number": number,
            "kind": slide.kind,
            "layout": layout_of(self.content, slide.kind, LAYOUTS[slide.kind]),
            "texts": parts.pop("texts"),
            "notes": markup(self.t(slide.notes)) + extra_notes,
        }
        ctx.update(parts)  # type: ignore[typeddict-item]
        if slide.title:
            ctx["texts"]["title"] = [text(self.t(slide.title))]
        return ctx

    def _sources(self, fids: list[str]) -> str:
        from bmr_materials.shared.charts import source_line

        figures = self.content.figures.figures
        self.figure_ids.update(fids)
        return source_line([(figures[f].source, figures[f].period) for f in fids], self.fmt)

    def _audience_line(self) -> str | None:
        audience = self.deck.audience
        if audience is None:
            return None
        return self.fmt.gettext(FOR_AUDIENCE).format(
            audience=self.t(audience.name), place=audience.place, date=self.fmt.date(audience.date)
        )

    def _title(self, slide: Slide) -> Parts:
        audience = self._audience_line()
        claim = (
            [text(audience, bold=True)] if audience else [text(self.t(self.content.campaign.claim))]
        )
        return {
            "texts": {
                "title": [text(self.t(self.deck.title))],
                "subtitle": [text(self.t(self.deck.subtitle))],
                "claim": claim,
            }
        }

    def _agenda(self, slide: Slide) -> Parts:
        items = [
            text(self.t(s.title), 1)
            for s in self.deck.slides
            if s.kind == "section" and s.title is not None
        ]
        return {"texts": {"title": [text(self.fmt.gettext(AGENDA))], "text": items}}

    def _section(self, slide: Slide) -> Parts:
        texts = {"title": [text(self.t(slide.title or self.deck.title))]}
        if slide.subtitle:
            texts["subtitle"] = [text(self.t(slide.subtitle))]
        return {"texts": texts}

    def _key_figures(self, slide: Slide) -> Parts:
        cells = [self._figure_cell(fid) for fid in slide.figures]
        sources = self._sources(list(slide.figures))
        return {
            "texts": {
                "title": [text(self.fmt.gettext(AT_A_GLANCE))],
                "sources": [text(sources)],
            },
            "figures": cells,
            "notes": [text(sources)],
        }

    def _figure_cell(self, fid: str) -> Paras:
        fig = self.content.figures.figures[fid]
        label = self.t(fig.label)
        year = period_year(fig.period)
        if year is not None:  # the year; the source line gives the full date, or says none
            label += f" ({year})"
        return [text(self.fmt.figure(fig)), text(label, 1)]

    def _chart(self, slide: Slide) -> Parts:
        from bmr_materials.kinds.decks.takeaway import takeaway
        from bmr_materials.shared.charts import chart_context

        assert slide.chart is not None
        chart = chart_context(self.content, slide.chart, self.lang)
        self.figure_ids.update(chart["figure_ids"])
        categories = chart["categories"]
        if chart["kind"] == "compare":  # the labels' own words, as they read in a sentence
            from bmr_materials.kinds.decks.takeaway import own_words

            figures = self.content.figures.figures
            chart_spec = self.content.figures.charts[slide.chart]
            categories = own_words([self.t(figures[f].label) for f in chart_spec.figures])
        unit, scale, decimals = chart.get("unit"), chart.get("scale"), chart.get("decimals", 0)
        amount = (lambda value: self.fmt.quantity(value, unit, scale, decimals)) if unit else None
        line = takeaway(chart["kind"], categories, chart["values"], self.fmt, amount)
        notes: Paras = []
        if chart["caption"]:
            method = self.fmt.labelled(self.fmt.gettext(METHOD), "")
            notes.append(para((Run(method, bold=True), *_plain_runs(to_blocks(chart["caption"])))))
        notes.append(text(chart["source_line"]))
        texts = {"title": [text(chart["title"])], "source": [text(chart["source_line"])]}
        if line:
            texts["takeaway"] = [text(line)]
        return {"texts": texts, "chart": chart, "notes": notes}

    def _field(self, slide: Slide) -> Parts:
        assert slide.field is not None
        spec = self.content.fields[slide.field]
        fids = list(slide.figures) or spec.figures[:1]
        chosen = spec.deck_points or spec.points
        if chosen:
            points = [text(self.t(point), 1) for point in chosen]
        else:
            points = [text(self.t(item.name), 1) for item in spec.lighthouses[:3]]
        notes = markup(self.t(spec.lead))
        if spec.opportunities:
            notes.append(text(self.fmt.gettext(OPPORTUNITIES), bold=True))
            notes += markup(self.t(spec.opportunities))
        for area in spec.key_areas:
            if area.opportunities:
                notes.append(text(self.t(area.title), bold=True))
                notes += markup(self.t(area.opportunities))
        parts: Parts = {
            "texts": {"title": [text(self.t(spec.title))], "points": points},
            "figures": [self._figure_cell(fid) for fid in fids],
        }
        if spec.icon:
            colour = self.content.campaign.brand.colours["primary"].rgb.upper()
            alt = self.fmt.gettext(ICON).format(name=self.t(spec.title))
            parts["icon"] = {"name": spec.icon, "colour": colour, "alt": alt}
        if fids:
            sources = self._sources(fids)
            parts["texts"]["source"] = [text(sources)]
            notes.append(text(sources))
        parts["notes"] = notes
        return parts

    def _picture(self, slide: Slide) -> Parts:
        assert slide.picture is not None
        picture = slide.picture
        texts = {"credit": [text(picture.credit)]}
        if slide.title:
            texts["title"] = [text(self.t(slide.title))]
        self.files[f"picture:{picture.file}"] = str(find_asset(self.content.folder, picture.file))
        shown: PictureCtx = {
            "file": picture.file,
            "alt": self.t(picture.alt),
            "name": "Photograph",
            "cover": True,
        }
        return {"texts": texts, "picture": shown}

    def _map(self, slide: Slide) -> Parts:
        from dataclasses import asdict

        from bmr_materials.shared.locator_map import map_context

        drawn = map_context(self.content, self.lang)
        if drawn is None:  # check refuses a map slide without a map in region.yaml
            raise ValueError("a map slide needs a map: in region.yaml")
        texts = {"title": [text(drawn.label)]}
        if slide.points:
            texts["points"] = [text(self.t(point), 1) for point in slide.points]
        return {"texts": texts, "map": asdict(drawn)}

    def _site(self, slide: Slide) -> Parts:
        """The site as a pitch: its figure, its parts and companies as three short points;
        the lead, the parts' institutions and texts and the web address in the notes."""
        assert slide.site is not None
        campus = self.content.sites[slide.site]
        points = [text(self.t(part.name), 1) for part in campus.parts][:2]
        names = ", ".join(self.t(item.name) for item in campus.companies)
        if names:
            points.append(text(self.fmt.labelled(self.fmt.gettext(COMPANIES), names), 1))
        notes = markup(self.t(campus.lead))
        for part in campus.parts:
            notes.append(text(self.t(part.name), bold=True))
            if part.institutions:  # a part lists its institutions, or says what it is
                notes += [text(self.t(item.name), 1) for item in part.institutions]
            else:
                notes += markup(self.t(part.text))
        if campus.url:
            more = self.fmt.labelled(self.fmt.gettext(MORE), "")
            notes.append(para([Run(more), Run(shown_url(campus.url), href=campus.url)]))
        fids = list(slide.figures) or campus.figures[:1]
        parts: Parts = {
            "texts": {"title": [text(self.t(campus.title))], "points": points},
            "figures": [self._figure_cell(fid) for fid in fids],
        }
        if fids:
            sources = self._sources(fids)
            parts["texts"]["source"] = [text(sources)]
            notes.append(text(sources))
        parts["notes"] = notes
        return parts

    def _measures(self, slide: Slide) -> Parts:
        region = self.content.region
        left = [para(_plain_runs(to_blocks(self.t(m))), 1) for m in region.measures]
        box = region.box
        right = [text(self.t(box.title), heading=True), *markup(self.t(box.body))] if box else []
        return {
            "texts": {"title": [text(self.fmt.gettext(MEASURES))], "left": left, "right": right}
        }

    def _partners(self, slide: Slide) -> Parts:
        names = [text(name, 1) for name in slide.names]
        half = (len(names) + 1) // 2
        texts = {"title": [text(self.fmt.gettext(PARTNERS))], "left": names[:half]}
        if names[half:]:
            texts["right"] = names[half:]
        return {"texts": texts}

    def _contact_lines(self, person: Person | None) -> Paras:
        contact = self.content.campaign.contact
        lines: Paras = []
        if person is not None:
            lines += [text(person.name, bold=True), text(self.t(person.role))]
        lines += [text(contact.organisation, bold=person is None), text(self.t(contact.department))]
        phone = person.phone if person and person.phone else contact.phone
        email = person.email if person and person.email else contact.email
        if phone:
            lines.append(text(phone, href=tel_href(phone)))
        if email:
            lines.append(text(email, href="mailto:" + email))
        return lines  # the QR code beside them opens the web page

    def _qr(self) -> QrCtx:
        web = self.content.campaign.contact.web
        return {"url": web, "alt": self.fmt.labelled(self.fmt.gettext(QR_ALT), shown_url(web))}

    def _closing(self, slide: Slide) -> Parts:
        assert slide.ask is not None
        audience = self.deck.audience
        title = (
            self.fmt.gettext(THANKS).format(audience=self.t(audience.name))
            if audience
            else self.fmt.gettext(NEXT_STEPS)
        )
        return {
            "texts": {
                "title": [text(title)],
                "ask": [text(self.t(slide.ask))],
                "steps": [text(self.t(step), 1) for step in slide.points],
                "text": self._contact_lines(slide.contact),
            },
            "qr": self._qr(),
        }

    def _contact(self, slide: Slide) -> Parts:
        contact = self.content.campaign.contact
        lines = [
            text(contact.organisation, bold=True),
            text(self.t(contact.department)),
            *[text(line) for line in contact.address],
        ]
        if contact.phone:
            lines.append(text(contact.phone, href=tel_href(contact.phone)))
        if contact.email:
            lines.append(text(contact.email, href="mailto:" + contact.email))
        lines.append(text(shown_url(contact.web), href=contact.web))
        return {
            "texts": {
                "title": [text(self.fmt.gettext(CONTACT))],
                "text": lines,
                "qr_caption": [text(self.fmt.gettext(SCAN))],
            },
            "qr": self._qr(),
        }

    def _text(self, slide: Slide) -> Parts:
        assert slide.body is not None
        return {
            "texts": {"title": [text(self.t(self.deck.title))], "text": markup(self.t(slide.body))}
        }


def charts_needed(context: DeckCtx) -> list[tuple[dict[str, Any], str]]:
    """The (chart context, medium) pairs this deck draws as pictures, to render them ahead."""
    if context["native_charts"]:
        return []
    return [
        (picture_chart(slide["chart"]), "png") for slide in context["slides"] if "chart" in slide
    ]


def picture_chart(chart: dict[str, Any]) -> dict[str, Any]:
    """The chart as drawn into a picture: its source line is editable text under it."""
    return {**chart, "source_line": ""}
