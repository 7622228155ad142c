"""The shape of a brochure's render context (context.py makes it, render.py and the template
read it): TypedDicts, so the context stays the plain JSON-serialisable dict the engine hashes
for fingerprints and PDF ids, while mypy checks every key that is read or written.
"""

from __future__ import annotations

from typing import Any, TypedDict

ChartCtx = dict[str, Any]  # shared.charts.chart_context: its keys are shared/charts.py's own


class ContactCtx(TypedDict):
    """How to reach the campaign, formatted for the language."""

    organisation: str
    department: str
    address: list[str]
    phone: str | None
    phone_href: str | None
    email: str | None
    web: str
    web_shown: str


class CampaignCtx(TypedDict):
    """The campaign's name, claim, imprint and contact."""

    name: str
    claim: str
    imprint_html: str
    contact: ContactCtx


class BrandColour(TypedDict):
    """A brand colour for the screen (#RRGGBB) and for print (C M Y K in %)."""

    rgb: str
    cmyk: list[float]


class PrintProfileCtx(TypedDict):
    """A print shop's own CMYK profile (its file as the content names it)."""

    file: str
    condition: str


class HelpBlock(TypedDict):
    """'How we help you' as the template shows it."""

    html: str
    name: str
    role: str | None
    email: str | None
    phone: str | None
    phone_href: str | None


class PhotoCtx(TypedDict):
    """A photograph the brochure shows (its place on this machine is in the files)."""

    file: str
    alt: str
    credit: str
    licence: str
    focal: list[float]


class ItemCtx(TypedDict):
    """A lighthouse, institution or company: name (inline HTML), town, text, address."""

    name: str
    place: str | None
    text_html: str | None
    url: str | None


class ReasonsCtx(TypedDict):
    title: str
    entries: list[str]


class BoxCtx(TypedDict):
    title: str
    html: str


class FieldLinkCtx(TypedDict):
    """A field as the overview lists it."""

    id: str
    title: str
    short_html: str


class KeyAreaCtx(TypedDict):
    title: str
    body_html: str
    opportunities_html: str | None


class OpportunityCtx(TypedDict):
    """A part of a field's highlighted box: untitled, or under its key area's title."""

    title: str | None
    html: str | None


class SitePartCtx(TypedDict):
    name: str
    text_html: str
    institutions: list[ItemCtx]


class BodyCtx(TypedDict):
    """What every brochure's body holds, whatever it is about."""

    title: str
    lead_html: str
    cover_line: str
    icon: str | None
    help: HelpBlock | None
    photos: list[PhotoCtx]


class OverviewBody(BodyCtx):
    """The region's overview brochure."""

    body_html: str | None
    reasons: ReasonsCtx | None
    measures: list[str]
    box: BoxCtx | None
    fields: list[FieldLinkCtx]


class FieldBody(BodyCtx):
    """One field's brochure."""

    body_html: str
    key_areas: list[KeyAreaCtx]
    lighthouses: list[ItemCtx]
    opportunities: list[OpportunityCtx]


class SiteBody(BodyCtx):
    """One site's brochure."""

    body_html: str
    parts: list[SitePartCtx]
    companies: list[ItemCtx]
    url: str | None


Body = OverviewBody | FieldBody | SiteBody


class CalloutCtx(TypedDict):
    """A key figure as printed, with its number in the sources."""

    id: str
    value: str
    label: str
    period: str
    icon: str | None
    ref: int


class SourceRow(TypedDict):
    """One value (or a run of a series' points) with its period and source."""

    period: str
    value: str
    source: str
    url: str
    url_shown: str
    note: str | None


class SourceCtx(TypedDict):
    """A figure or series shown, numbered as the callouts and charts refer to it."""

    n: int
    id: str
    label: str
    rows: list[SourceRow]


class CityCtx(TypedDict):
    name: str
    lon: float
    lat: float


class MapCtx(TypedDict):
    """shared.locator_map.MapContext as JSON gives it back (tuples as lists)."""

    lang: str
    country: str
    label: str
    alt: str
    outline: list[list[float]]
    cities: list[CityCtx]
    colours: dict[str, BrandColour]
    font: str
    script_font: str | None


class BrochureCtx(TypedDict):
    """Everything one brochure shows in one language and variant."""

    version: str
    id: str
    kind: str  # overview, field or site: which of the Body shapes `body` has
    lang: str
    tag: str
    labels: dict[str, str]
    keep_whole: list[str]
    script_font: str | None
    locale: str
    variant: str
    title: str
    timestamp: str
    date: str
    campaign: CampaignCtx
    colours: dict[str, str]  # CSS values by colour name: device-cmyk() in print, else #RRGGBB
    brand_colours: dict[str, BrandColour]
    logo: str
    print_profile: PrintProfileCtx | None
    font: str
    files: dict[str, str]  # where the assets are on this machine (left out of the PDF's id)
    body: Body
    callouts: list[CalloutCtx]
    map: MapCtx | None
    charts: list[ChartCtx]
    sources: list[SourceCtx]
    figure_ids: list[str]
