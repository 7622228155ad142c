"""Take the content model and produce the typed render context of one fact sheet: a field
in one language and variant (print or screen).

The context holds everything the two pages show, already formatted for the language: the
field's title, icon, short text and points, its key figures with unit, period and source,
its lighthouse projects, the contact and the colours of the variant. `as_dict` turns it into
the JSON-serialisable dict the engine fingerprints and hands to a worker; `from_dict` turns
it back. Light imports only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bmr_materials.content.markup import shown_url, tel_href, to_html, to_inline_html
from bmr_materials.content.model import Content, Specialization
from bmr_materials.resources import builder_root
from bmr_materials.shared import charts
from bmr_materials.shared.i18n import Formatter, formatter
from bmr_materials.shared.pdf import inputs
from bmr_materials.shared.repro import build_timestamp

PROJECT = builder_root()
TEMPLATES = PROJECT / "templates" / "factsheets"
TEMPLATE_FILES = ("factsheet.html.j2", "factsheet.css")
VARIANTS = ("print", "screen")
CONTEXT_VERSION = "1"


@dataclass(frozen=True)
class KeyFigure:
    """One key figure as printed: value with unit, what it counts, period and source."""

    id: str
    value: str
    label: str
    period: str
    source: str
    url: str
    icon: str | None


@dataclass(frozen=True)
class Lighthouse:
    """A lighthouse project or institution: its name (inline HTML) and town."""

    name_html: str
    place: str | None


@dataclass(frozen=True)
class ContactCard:
    """How to reach the campaign, formatted for the language."""

    organisation: str
    department: str
    address: tuple[str, ...]
    phone: str | None
    phone_href: str | None
    email: str | None
    web: str
    web_shown: str


@dataclass(frozen=True)
class FactSheet:
    """Everything one fact sheet shows, for one field, language and variant."""

    version: str
    id: str
    lang: str
    tag: str
    variant: str
    title: str
    icon: str | None
    short_html: str
    lead_html: str
    body_html: str
    points_html: tuple[str, ...]
    figures: tuple[KeyFigure, ...]
    lighthouses: tuple[Lighthouse, ...]
    contact: ContactCard
    campaign: str
    claim: str
    date: str
    timestamp: str
    colours: dict[str, dict[str, Any]]
    font: str
    script_font: str | None
    labels: dict[str, str]
    print_profile: dict[str, str] | None
    files: dict[str, str]
    figure_ids: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The context as plain JSON data (tuples as lists)."""
        data: dict[str, Any] = asdict(self)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FactSheet:
        """The context `as_dict` gave (also after a JSON round trip)."""
        return cls(
            **{
                **data,
                "points_html": tuple(data["points_html"]),
                "figures": tuple(KeyFigure(**f) for f in data["figures"]),
                "lighthouses": tuple(Lighthouse(**h) for h in data["lighthouses"]),
                "contact": ContactCard(
                    **{**data["contact"], "address": tuple(data["contact"]["address"])}
                ),
                "figure_ids": tuple(data["figure_ids"]),
            }
        )


def factsheet_ids(content: Content) -> list[str]:
    """One fact sheet per field, in field order."""
    return [f.id for f in content.ordered_fields()]


def factsheet_context(content: Content, field_id: str, lang: str, variant: str) -> FactSheet:
    """Everything the template shows for the fact sheet of `field_id` in `lang`, `variant`."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown fact sheet variant {variant!r} (expected print or screen)")
    field = content.fields[field_id]
    fmt = formatter(lang, content)
    language = content.campaign.languages[lang]
    own = content.campaign.settings.print_profile
    return FactSheet(
        version=CONTEXT_VERSION,
        id=field_id,
        lang=lang,
        tag=language.tag,
        variant=variant,
        title=field.title[lang],
        icon=field.icon,
        short_html=str(to_inline_html(field.short[lang])),
        lead_html=str(to_inline_html(field.lead[lang])),
        body_html=str(to_html(field.body[lang])),
        points_html=tuple(str(to_inline_html(p[lang])) for p in field.points),
        figures=tuple(_figure(content, fid, fmt) for fid in field.figures),
        lighthouses=_lighthouses(field, lang),
        contact=_contact(content, lang),
        campaign=content.campaign.name,
        claim=content.campaign.claim[lang],
        date=fmt.date(content.campaign.settings.reference_date),
        timestamp=build_timestamp(content).isoformat(),
        colours=_palette(content),
        font=content.campaign.brand.font,
        script_font=language.font,
        labels=dict(sorted(content.labels.get(lang, {}).items())),
        print_profile=(
            {"file": own.file, "condition": own.condition} if own and variant == "print" else None
        ),
        files=inputs.asset_files(content),
        figure_ids=tuple(sorted(set(field.figures))),
    )


def input_files(sheet: FactSheet) -> list[Path]:
    """Every template, asset, font and profile file rendering `sheet` reads."""
    templates = [TEMPLATES / name for name in TEMPLATE_FILES]
    return inputs.input_files(
        templates, sheet.files, sheet.font, sheet.script_font, sheet.print_profile, sheet.variant
    )


def print_profile(sheet: FactSheet) -> tuple[Path, str, str]:
    """(ICC file, output condition identifier, condition) of a print fact sheet."""
    return inputs.print_profile(sheet.files, sheet.print_profile)


def _figure(content: Content, figure_id: str, fmt: Formatter) -> KeyFigure:
    fig = content.figures.figures[figure_id]
    return KeyFigure(
        id=figure_id,
        value=fmt.figure(fig),
        label=fig.label[fmt.code],
        period=fmt.period(fig.period),
        source=fig.source.name[fmt.code],
        url=fig.source.url,
        icon=fig.icon,
    )


def _lighthouses(field: Specialization, lang: str) -> tuple[Lighthouse, ...]:
    return tuple(
        Lighthouse(str(to_inline_html(item.name[lang])), item.place) for item in field.lighthouses
    )


def _contact(content: Content, lang: str) -> ContactCard:
    contact = content.campaign.contact
    return ContactCard(
        organisation=contact.organisation,
        department=contact.department[lang],
        address=tuple(contact.address),
        phone=contact.phone,
        phone_href=tel_href(contact.phone) if contact.phone else None,
        email=contact.email,
        web=contact.web,
        web_shown=shown_url(contact.web),
    )


def _palette(content: Content) -> dict[str, dict[str, Any]]:
    """The brand palette (RGB and CMYK per colour) with the tints the sheet uses."""
    found = charts.palette({n: c.model_dump() for n, c in content.campaign.brand.colours.items()})
    found["muted_text"] = charts.tint(found["ink"], 0.7)  # small text: K only, 5.6:1 on white
    return found


def css_colours(sheet: FactSheet) -> dict[str, str]:
    """The palette as CSS values of the variant: device-cmyk() in print, #RRGGBB on screen."""
    if sheet.variant == "print":
        return {name: charts.device_cmyk(c["cmyk"]) for name, c in sheet.colours.items()}
    return {name: c["rgb"] for name, c in sheet.colours.items()}
