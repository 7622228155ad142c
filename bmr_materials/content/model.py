"""The typed, immutable content model: what each YAML file under content/ may hold.

Each class is one kind of mapping in the content; each field's description is what an editor
sees when their editor completes the key from the exported JSON Schema. The model knows
nothing of YAML files, templates or renderers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from bmr_materials.content.iconset import known_icon
from bmr_materials.content.validators import (
    known_locale,
    language_tag,
    located,
    ordered_periods,
    plain_email,
    plain_link,
    real_date,
    unknown_language,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
PERIOD_PATTERN = r"^(\d{4}|\d{4}-\d{2}-\d{2}|as-stated)$"
Id = Annotated[
    str, Field(pattern=ID_PATTERN, description="An id: lower-case letters, digits, - and _.")
]
Url = Annotated[
    str,
    Field(
        pattern=r"^(https?://|mailto:|tel:)\S+$",
        description="A link: http(s)://, mailto: or tel: only.",
    ),
    AfterValidator(plain_link),
]
WebUrl = Annotated[
    str,
    Field(pattern=r"^https?://\S+$", description="A web page: http(s):// only."),
    AfterValidator(plain_link),
]
Period = Annotated[str, Field(pattern=PERIOD_PATTERN), AfterValidator(real_date)]
IconName = Annotated[
    str,
    Field(
        description="An icon of the Lucide set by its name, e.g. heart-pulse (lucide.dev/icons)."
    ),
    AfterValidator(known_icon),
]
Longitude = Annotated[float, Field(ge=-180, le=180, description="Longitude in degrees (WGS 84).")]
Latitude = Annotated[float, Field(ge=-90, le=90, description="Latitude in degrees (WGS 84).")]


MAX_VALUE = 1e12  # larger numbers are typos: values are given in their unit and scale
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _all_languages(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    for lang, text in value.items():
        bad = CONTROL.search(text)
        if bad:
            raise ValueError(
                f"text in {lang!r} has control character U+{ord(bad.group(0)):04X} (not printable)"
            )
    languages: list[str] = (info.context or {}).get("languages", [])
    # A language made for some outputs only is needed where they show it (check finds those).
    required: list[str] = (info.context or {}).get("complete", languages)
    for lang in value:
        if languages and lang not in languages:
            raise unknown_language(lang, languages)
    missing = [lang for lang in required if not str(value.get(lang, "")).strip()]
    if missing:
        raise ValueError(
            f"text missing in language {', '.join(repr(m) for m in missing)}"
            f" (expected a text for every language: {', '.join(required)})"
        )
    return value


def text_missing(value: dict[str, str], lang: str) -> bool:
    """Whether the text `value` has nothing in language `lang`."""
    return not str(value.get(lang, "")).strip()


Text = Annotated[
    dict[str, str],
    AfterValidator(_all_languages),
    Field(
        description="A text per language code, e.g. {de: ..., en: ...}. May use **bold**, "
        "*italic*, [links](https://...) and '- ' bullet lists."
    ),
]


class Strict(BaseModel):
    """Base: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- campaign -------------------------------------------------------------------------------


class Language(Strict):
    """A language the materials are made in."""

    locale: Annotated[str, AfterValidator(known_locale)] = Field(
        description="Babel locale for numbers and dates, e.g. de_DE, en_GB."
    )
    tag: Annotated[str, AfterValidator(language_tag)] = Field(
        description="BCP 47 language tag written into PDFs and decks, e.g. de-DE."
    )
    name: str = Field(description="The language's own name, e.g. Deutsch.")
    compact: Literal["short", "long"] = Field(
        "short", description="Large numbers as 'Mrd.' (short) or 'billion' (long)."
    )
    outputs: list[Id] | None = Field(
        None,
        description="Only these outputs (brochure or deck ids) are made in this language; "
        "every output when absent. Texts are then needed only where these "
        "outputs show them.",
    )
    keep_whole: list[str] = Field(
        default_factory=list,
        description="Names never hyphenated or broken in this language (places, institutions, "
        "brands); a trailing * also matches longer words: 'Metropol*'.",
    )
    font: str | None = Field(
        None,
        description="An installed font family for the characters the brand font lacks "
        "in this language, e.g. Noto Sans CJK JP for Japanese.",
    )

    @model_validator(mode="after")
    def _same_language(self) -> Language:
        """The tag and the locale name the same language (de-DE with de_DE)."""
        tag, locale = self.tag.split("-")[0].lower(), self.locale.split("_")[0].lower()
        if tag != locale:
            raise located(
                f"tag {self.tag!r} is language {tag!r}, but locale {self.locale!r} is {locale!r}",
                "tag",
            )
        return self


class Colour(Strict):
    """A brand colour for screen (RGB) and print (CMYK)."""

    rgb: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", description="Screen colour, #RRGGBB.")]
    cmyk: Annotated[
        list[Annotated[float, Field(ge=0, le=100)]],
        Field(min_length=4, max_length=4, description="Print colour, C M Y K in %."),
    ]


class Brand(Strict):
    """The campaign's look: colours, font and logo."""

    colours: dict[Id, Colour] = Field(
        description="Named colours; needs primary, secondary, accent, ink and paper."
    )
    font: str = Field(
        description="Font family name: shipped in the content's assets/fonts/ (TTF/OTF with "
        "its licence file), installed, or Source Sans 3 (the default)."
    )
    logo: str = Field(description="Logo file under assets/: SVG (self-contained), PNG or JPEG.")


class Contact(Strict):
    """How international partners reach the campaign."""

    organisation: str
    department: Text
    address: list[str] = Field(min_length=1, description="Address lines.")
    phone: str | None = Field(None, description="Phone number in international format.")
    email: Annotated[str, AfterValidator(plain_email)] | None = Field(
        None, description="One plain e-mail address, e.g. info@example.org."
    )
    web: WebUrl = Field(description="The campaign page; the QR codes point here.")


class PrintProfile(Strict):
    """A print shop's own CMYK output profile, used instead of FOGRA39."""

    file: str = Field(description="The CMYK ICC profile (.icc), a path under assets/.")
    condition: str = Field(
        min_length=1,
        description="Its output condition identifier, as the print shop names it "
        "(for example FOGRA51 or PSO Coated v3).",
    )


class LayoutMap(Strict):
    """Which layout of the deck master plays one slide kind, and, where its placeholders'
    names are not the builder's role names, which placeholders (by idx) take which role."""

    layout: str = Field(min_length=1, description="The layout's name in the master.")
    placeholders: dict[str, list[Annotated[int, Field(ge=0)]]] = Field(
        default_factory=dict,
        description="Role (title, subtitle, claim, figure, sources, source, chart, caption, "
        "text, opportunities, left, right, qr, qr_caption) -> the idx of the placeholders "
        "that take it, e.g. figure: [13, 14, 15].",
    )


class Settings(Strict):
    """Build settings that belong to the content."""

    figure_max_age_years: int = Field(
        3, ge=1, description="A headline figure older than this many years gives a warning."
    )
    reference_date: Annotated[str, AfterValidator(real_date)] = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Date printed in the imprint and stored in the files (reproducible builds).",
    )
    native_charts: bool = Field(False, description="Decks get native, editable PowerPoint charts.")
    deck_template: str | None = Field(
        None,
        description="A .pptx or .potx master under assets/ (or templates/) to use for decks.",
    )
    deck_layouts: dict[str, LayoutMap] = Field(
        default_factory=dict,
        description="Slide kind (title, key_figures, chart, field, site, measures, contact, "
        "text) -> the master's layout for it, when its names differ from the builder's.",
    )
    print_profile: PrintProfile | None = Field(
        None,
        description="The print brochures' output profile, when the print shop gives its "
        "own (default: FOGRA39, coated offset).",
    )


class Campaign(Strict):
    """content/campaign.yaml: the campaign, its languages, contact, brand and imprint."""

    name: str
    claim: Text
    languages: dict[Annotated[str, Field(pattern=r"^[a-z]{2}$")], Language] = Field(
        min_length=1, description="Languages the materials are made in, by code."
    )
    contact: Contact
    brand: Brand
    imprint: Text
    settings: Settings


# --- figures, series, charts ----------------------------------------------------------------

Scale = Literal["thousand", "million", "billion"]


class Unit(Strict):
    """A unit of measure: how a number in it is written in every language."""

    share: bool = Field(
        False,
        description="A share of a whole in percent: shown with the "
        "language's percent sign, only 0 to 100 allowed.",
    )
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        None, description="An ISO 4217 currency code (EUR): symbol and its place per language."
    )
    cldr: str | None = Field(
        None,
        description="A CLDR unit Babel knows, e.g. area-square-meter, "
        "mass-tonne, power-gigawatt, length-kilometer.",
    )
    symbol: Text | None = Field(
        None,
        description="Symbol or word per language written with the "
        "number ('TEU', 'Betten'/'beds'); a pattern "
        "with {0} for the number places it exactly "
        "('{0}床').",
    )
    position: Literal["before", "after"] = Field("after", description="Where the symbol goes.")
    axis: Text | None = Field(
        None,
        description="What a chart axis in this unit is labelled, "
        "when not the symbol ('per 100,000 inhabitants').",
    )


class Source(Strict):
    """Where a figure was published."""

    name: Text
    url: Url


class Figure(Strict):
    """One number the materials print, with unit, period and source."""

    value: float = Field(
        allow_inf_nan=False,
        ge=-MAX_VALUE,
        le=MAX_VALUE,
        description="The plain number, e.g. 6000 or 23.62.",
    )
    unit: Id = Field(description="The unit's id under units: (e.g. eur, count, percent).")
    scale: Scale | None = Field(
        None, description="The value is in thousands, millions or billions of the unit."
    )
    decimals: int = Field(0, ge=0, le=3, description="Decimals to print.")
    qualifier: Literal["more_than", "about"] | None = Field(
        None, description="When the source says 'more than' or 'about'."
    )
    period: Period = Field(
        description="YYYY, YYYY-MM-DD, or as-stated when the source gives no reference date."
    )
    label: Text = Field(description="What the number counts.")
    source: Source
    note: Text | None = Field(None, description="How a computed value was computed.")
    icon: IconName | None = Field(None, description="The icon shown beside the figure.")


class Point(Strict):
    """One point of a time series."""

    period: Annotated[str, Field(pattern=r"^\d{4}$")] = Field(description="The report year.")
    value: float = Field(allow_inf_nan=False, ge=-MAX_VALUE, le=MAX_VALUE)
    decimals: int | None = Field(
        None,
        ge=0,
        le=3,
        description=(
            "Decimals for this point when its source is less precise than the series "
            "(e.g. 'rund 21,5 Milliarden': 1)."
        ),
    )
    qualifier: Literal["more_than", "about"] | None = None
    source: Source
    note: Text | None = None


class Series(Strict):
    """A time series of one quantity, e.g. employees by report year."""

    label: Text
    unit: Id = Field(description="The unit's id under units:.")
    scale: Scale | None = None
    decimals: int = Field(0, ge=0, le=3)
    period_label: Text = Field(description="What the periods are, e.g. 'report year'.")
    points: Annotated[list[Point], AfterValidator(ordered_periods)] = Field(
        min_length=2, description="The points in time order, one per period."
    )


ChartKind = Literal["bar", "line", "compare", "share"]


class Chart(Strict):
    """A chart of a series or of figures side by side."""

    kind: ChartKind = Field(
        description="bar or line (a series), compare (figures side by "
        "side), share (one figure in a share unit)."
    )
    title: Text
    series: Id | None = Field(None, description="For bar and line: the series to draw.")
    figures: list[Id] = Field(
        default_factory=list, description="For compare and share: the figures to draw."
    )
    caption: Text | None = Field(None, description="A sentence under the chart.")
    alt: Text = Field(description="What the chart shows, for people who cannot see it.")


class Figures(Strict):
    """content/figures.yaml: every unit, figure, series and chart."""

    units: dict[Id, Unit] = Field(description="The units figures are given in, by id.")
    figures: dict[Id, Figure]
    series: dict[Id, Series]
    charts: dict[Id, Chart]


# --- region, fields, sites ------------------------------------------------------------------


class Item(Strict):
    """A named thing with a short text: a lighthouse project, an institution, a measure."""

    name: Text
    place: str | None = Field(None, description="The town it is in.")
    text: Text | None = None
    url: WebUrl | None = None


class Photo(Strict):
    """A photograph placed in a brochure, with what it shows and who may be credited."""

    file: str = Field(
        description="The picture (JPEG or PNG) under assets/, the content's folder first."
    )
    alt: Text = Field(description="What the photograph shows, for people who cannot see it.")
    credit: str = Field(description="Who made it, printed beside it, e.g. 'Photo: A. Person'.")
    licence: str = Field(description="Its licence, printed with the credit, e.g. 'CC BY 4.0'.")
    focal: tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] = Field(
        (0.5, 0.5),
        description="The point kept when the picture is cropped: x and y from 0 to 1 "
        "(left to right, top to bottom).",
    )


class Helper(Strict):
    """'How we help you': what the team does for a partner, and the person to talk to."""

    text: Text = Field(description="What the team offers partners, in a few sentences.")
    name: str = Field(description="The contact person's name.")
    role: Text | None = Field(None, description="The person's role, e.g. project manager.")
    email: Annotated[str, AfterValidator(plain_email)] | None = None
    phone: str | None = Field(None, description="Phone number in international format.")


class KeyArea(Strict):
    """A key area (Schlüsselbereich) of a field."""

    title: Text
    body: Text
    opportunities: Text | None = Field(None, description="What the key area offers partners.")


class Specialization(Strict):
    """content/fields/<id>.yaml: one specialization field (its own brochure, id = its id)."""

    id: Id = Field(description="The field's id: its brochure's id and file names.")
    order: int = Field(ge=1, description="Position among the fields.")
    title: Text
    icon: IconName | None = Field(None, description="The field's icon (covers, slides, sheets).")
    short: Text = Field(description="One or two sentences for the overview.")
    points: list[Text] = Field(
        default_factory=list,
        max_length=3,
        description="Up to three short points on what the field offers, one line each "
        "(fact sheets, slides); facts from the field's own texts.",
    )
    lead: Text
    body: Text
    cover_line: Text | None = Field(
        None, description="The line on the brochure's cover (default: its short text)."
    )
    help: Helper | None = Field(
        None, description="'How we help you' with a named contact (left out when absent)."
    )
    photos: list[Photo] = Field(
        default_factory=list, description="Photographs the brochure shows after its intro."
    )
    key_areas: list[KeyArea] = Field(default_factory=list)
    lighthouses: list[Item] = Field(
        default_factory=list, description="Lighthouse projects and institutions."
    )
    opportunities: Text | None = Field(None, description="Anknüpfungspunkte for partners.")
    deck_points: list[Text] = Field(
        default_factory=list,
        max_length=3,
        description="Up to three points of a few words each for a deck's field slide (a slide "
        "says at most 40 words; the longer texts go to the speaker notes). Without them the "
        "slide shows `points`.",
    )
    figures: list[Id] = Field(default_factory=list, description="Figures the brochure shows.")
    charts: list[Id] = Field(
        default_factory=list, description="Charts the brochure shows (none when empty)."
    )


class Reasons(Strict):
    """A titled list of short statements, e.g. why partners should choose the region."""

    title: Text = Field(description="The list's heading.")
    items: list[Text] = Field(min_length=1, description="The statements, one sentence each.")


class Box(Strict):
    """A titled box of text, set apart from the rest (a model, an offer, a programme)."""

    title: Text = Field(description="The box's heading.")
    body: Text


class City(Strict):
    """A place marked on the locator map."""

    name: str = Field(description="The place's name as the map prints it (a proper name).")
    lon: Longitude
    lat: Latitude


class RegionMap(Strict):
    """The locator map: Europe with the country and the region marked, and its cities."""

    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = Field(
        description="The country to mark, as ISO 3166-1 alpha-2 code (DE)."
    )
    label: Text = Field(description="The region's name as the map prints it.")
    alt: Text = Field(description="What the map shows, for people who cannot see it.")
    outline: list[Annotated[list[float], Field(min_length=2, max_length=2)]] = Field(
        min_length=3,
        description="The region's outline as [longitude, latitude] points (WGS 84), in order.",
    )
    outline_source: str = Field(description="Where the outline comes from (for the credits).")
    cities: list[City] = Field(default_factory=list, description="Places to mark and name.")

    @model_validator(mode="after")
    def _on_earth(self) -> RegionMap:
        """Every outline point is a longitude and a latitude."""
        for i, (lon, lat) in enumerate(self.outline):
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise located(f"[{lon}, {lat}] is not a [longitude, latitude] point", "outline", i)
        return self


class Region(Strict):
    """content/region.yaml: the overview brochure (the region, its reasons, the measures)."""

    id: Id = Field(description="The overview brochure's id: its file names, e.g. overview.")
    title: Text
    lead: Text
    cover_line: Text | None = Field(
        None, description="The line on the brochure's cover (default: the campaign's claim)."
    )
    help: Helper | None = Field(
        None, description="'How we help you' with a named contact (left out when absent)."
    )
    photos: list[Photo] = Field(
        default_factory=list, description="Photographs the brochure shows after its intro."
    )
    body: Text | None = Field(None, description="The paragraph after the lead.")
    reasons: Reasons | None = Field(
        None, description="A titled list of reasons, shown after the body."
    )
    measures: list[Text] = Field(
        default_factory=list, description="The project's measures (shown when given)."
    )
    box: Box | None = Field(None, description="A titled box of text after the measures.")
    figures: list[Id] = Field(default_factory=list, description="Headline figures.")
    charts: list[Id] = Field(
        default_factory=list, description="Charts the overview shows (none when empty)."
    )
    map: RegionMap | None = Field(None, description="The locator map of the region.")


class SitePart(Strict):
    """One part of a site, with its institutions."""

    name: Text
    text: Text
    institutions: list[Item] = Field(default_factory=list)


class Site(Strict):
    """content/sites/<id>.yaml: one site (a campus, a park) and its own brochure."""

    id: Id = Field(description="The site's id: its brochure's id and file names.")
    title: Text
    lead: Text
    body: Text
    cover_line: Text | None = Field(
        None, description="The line on the brochure's cover (default: the campaign's claim)."
    )
    help: Helper | None = Field(
        None, description="'How we help you' with a named contact (left out when absent)."
    )
    photos: list[Photo] = Field(
        default_factory=list, description="Photographs the brochure shows after its intro."
    )
    parts: list[SitePart] = Field(min_length=1)
    companies: list[Item] = Field(default_factory=list)
    figures: list[Id] = Field(default_factory=list)
    charts: list[Id] = Field(
        default_factory=list, description="Charts the brochure shows (none when empty)."
    )
    url: WebUrl | None = None


# --- decks ----------------------------------------------------------------------------------

SlideKind = Literal[
    "title",
    "agenda",
    "section",
    "key_figures",
    "chart",
    "field",
    "picture",
    "map",
    "site",
    "measures",
    "partners",
    "closing",
    "contact",
    "text",
]


class Picture(Strict):
    """A photograph shown full-bleed on a picture slide."""

    file: str = Field(description="The image (JPEG or PNG), a path under assets/.")
    credit: str = Field(description="Photographer and licence, printed small on the picture.")
    alt: Text = Field(description="What the photograph shows, for people who cannot see it.")


class Person(Strict):
    """A named contact for the closing slide."""

    name: str
    role: Text
    email: Annotated[str, AfterValidator(plain_email)] | None = None
    phone: str | None = Field(None, description="Phone number in international format.")


class Slide(Strict):
    """One slide of a deck: its kind, what it shows, and the presenter's notes."""

    kind: SlideKind
    title: Text | None = Field(None, description="Overrides the slide's default title.")
    subtitle: Text | None = Field(None, description="For section: a line under the title.")
    figures: list[Id] = Field(
        default_factory=list,
        description="For key_figures; for field, which of the field's figures lead (default "
        "its first).",
    )
    chart: Id | None = Field(None, description="For chart.")
    field: Id | None = Field(None, description="For field: the field's id.")
    site: Id | None = Field(None, description="For site: the site's id.")
    body: Text | None = Field(None, description="For text slides.")
    picture: Picture | None = Field(None, description="For picture: the photograph.")
    names: list[str] = Field(
        default_factory=list,
        description="For partners: the hosts' or partners' names, in their official form.",
    )
    ask: Text | None = Field(None, description="For closing: what you ask the audience for.")
    points: list[Text] = Field(
        default_factory=list,
        max_length=3,
        description="For closing: up to three next steps; for map: up to three short points.",
    )
    contact: Person | None = Field(None, description="For closing: the person to contact.")
    notes: Text = Field(description="Speaker notes: what the presenter says, not the slide text.")


class Audience(Strict):
    """Who a deck is for: the title and closing slides name them."""

    name: Text = Field(description="The delegation or event, e.g. 'Delegation of ...'.")
    date: Annotated[str, AfterValidator(real_date)] = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}$", description="The day of the visit: YYYY-MM-DD."
    )
    place: str = Field(description="Where the deck is presented.")
    languages: list[str] = Field(
        min_length=1,
        description="The audience's languages: the deck is made in these only.",
    )


class Deck(Strict):
    """content/decks/<id>.yaml: a pitch deck composed of slides."""

    id: Id
    title: Text
    subtitle: Text
    audience: Audience | None = Field(
        None, description="For a delegation or event: who, when, where, which language."
    )
    slides: list[Slide] = Field(min_length=1)


# --- the whole content ----------------------------------------------------------------------


class Content(Strict):
    """Everything under content/, validated and cross-checked."""

    campaign: Campaign
    figures: Figures
    region: Region
    fields: dict[Id, Specialization]
    sites: dict[Id, Site] = Field(default_factory=dict)
    decks: dict[Id, Deck]

    labels: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Template labels per language: msgid -> text."
    )
    folder: Path | None = Field(
        None,
        exclude=True,
        description="The content folder read: its assets/ are found before the builder's.",
    )

    @property
    def languages(self) -> list[str]:
        """The configured language codes, in content order."""
        return list(self.campaign.languages)

    def makes(self, lang: str, output_id: str) -> bool:
        """Whether output `output_id` is made in language `lang`."""
        outputs = self.campaign.languages[lang].outputs
        return outputs is None or output_id in outputs

    def ordered_fields(self) -> list[Specialization]:
        """The fields in their configured order."""
        return sorted(self.fields.values(), key=lambda f: (f.order, f.id))

    def brochure_ids(self) -> list[str]:
        """Every brochure's id: the overview, the fields in order, the sites by id."""
        return [self.region.id, *(f.id for f in self.ordered_fields()), *sorted(self.sites)]

    def output_ids(self) -> list[str]:
        """Every output's id: the brochures, then the decks by id."""
        return [*self.brochure_ids(), *sorted(self.decks)]


def period_year(period: str) -> int | None:
    """The year of a period, or None for as-stated."""
    match = re.match(r"^(\d{4})", period)
    return int(match.group(1)) if match else None
