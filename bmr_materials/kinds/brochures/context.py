"""Take the content model and produce the render context of one brochure, language and variant.

The context (a `BrochureCtx`, context_types.py) is a JSON-serialisable dict holding everything
the template shows: texts already rendered to safe HTML, figures formatted for the language,
chart contexts, contact, colours for the variant (device-cmyk() for print, RGB for screen) and
the sources of exactly the figures shown. The build engine hashes it as the brochure's
fingerprint, so it holds no absolute paths. Light imports only: no WeasyPrint, matplotlib or
pptx here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from bmr_materials.content.assetfiles import find_asset
from bmr_materials.content.markup import shown_url, tel_href, to_html, to_inline_html
from bmr_materials.content.model import (
    Content,
    Helper,
    Item,
    Point,
    Region,
    Series,
    Site,
    Source,
    Specialization,
    Text,
)
from bmr_materials.kinds.brochures.context_types import (
    Body,
    BodyCtx,
    BrochureCtx,
    CalloutCtx,
    CampaignCtx,
    ChartCtx,
    FieldBody,
    HelpBlock,
    ItemCtx,
    MapCtx,
    OpportunityCtx,
    OverviewBody,
    PrintProfileCtx,
    SiteBody,
    SourceCtx,
    SourceRow,
)
from bmr_materials.resources import builder_root
from bmr_materials.shared import charts
from bmr_materials.shared.i18n import Formatter, formatter
from bmr_materials.shared.pdf import inputs
from bmr_materials.shared.repro import build_timestamp

PROJECT = builder_root()
TEMPLATES = PROJECT / "templates" / "brochures"
TEMPLATE_FILES = ("brochure.html.j2", "brochure.css")
VARIANTS = ("print", "screen")
CONTEXT_VERSION = "1"


def brochure_ids(content: Content) -> list[str]:
    """The overview's id, the field ids in field order, the site ids (all from the content)."""
    return content.brochure_ids()


def brochure_title(content: Content, brochure_id: str, lang: str) -> str:
    """The title of a brochure in `lang` (its id when the content has none)."""
    if brochure_id == content.region.id:
        return content.region.title[lang]
    if brochure_id in content.sites:
        return content.sites[brochure_id].title[lang]
    if brochure_id in content.fields:
        return content.fields[brochure_id].title[lang]
    return brochure_id


def brochure_context(content: Content, brochure_id: str, lang: str, variant: str) -> BrochureCtx:
    """Everything the template shows for brochure `brochure_id` in `lang` and `variant`."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown brochure variant {variant!r} (expected print or screen)")
    if brochure_id not in brochure_ids(content):
        raise ValueError(
            f"unknown brochure {brochure_id!r} (expected one of {', '.join(brochure_ids(content))})"
        )
    fmt = formatter(lang, content)
    own = _own(content, brochure_id)
    kind, body = _body(content, own, fmt)
    figure_ids = _own_first(content, brochure_id, list(own.figures))
    chart_list: list[ChartCtx] = [charts.chart_context(content, cid, lang) for cid in own.charts]
    # Sources are numbered as the brochure shows them: callouts first, then the charts.
    order = list(dict.fromkeys([*figure_ids, *(f for c in chart_list for f in c["figure_ids"])]))
    return {
        "version": CONTEXT_VERSION,
        "id": brochure_id,
        "kind": kind,
        "lang": lang,
        "tag": content.campaign.languages[lang].tag,
        "labels": dict(sorted(content.labels.get(lang, {}).items())),
        "keep_whole": list(content.campaign.languages[lang].keep_whole),
        "script_font": content.campaign.languages[lang].font,
        "locale": fmt.locale,
        "variant": variant,
        "title": body["title"],
        "timestamp": build_timestamp(content).isoformat(),
        "date": fmt.date(content.campaign.settings.reference_date),
        "campaign": _campaign(content, fmt),
        "colours": _colours(content, variant),
        "brand_colours": {
            name: {"rgb": c.rgb.upper(), "cmyk": list(c.cmyk)}
            for name, c in content.campaign.brand.colours.items()
        },
        "logo": content.campaign.brand.logo,
        "print_profile": _print_profile(content) if variant == "print" else None,
        "font": content.campaign.brand.font,
        "files": {**inputs.asset_files(content), **_photo_files(content, own)},
        "body": body,
        "callouts": [_callout(content, fid, fmt, order.index(fid) + 1) for fid in figure_ids],
        "map": _map(content, lang) if kind == "overview" else None,
        "charts": chart_list,
        "sources": _sources(content, order, fmt),
        "figure_ids": sorted(order),
    }


def input_files(context: BrochureCtx) -> list[Path]:
    """Every template, CSS, asset, font and ICC file rendering `context` reads."""
    photos = [Path(path) for key, path in context["files"].items() if key.startswith("photo:")]
    templates = [TEMPLATES / name for name in TEMPLATE_FILES]
    return photos + inputs.input_files(
        templates,
        context["files"],
        context["font"],
        context["script_font"],
        context["print_profile"],
        context["variant"],
    )


def print_profile(context: BrochureCtx) -> tuple[Path, str, str]:
    """(ICC file, output condition identifier, condition) of a print brochure."""
    return inputs.print_profile(context["files"], context["print_profile"])


def _photo_files(content: Content, own: Specialization | Site | Region) -> dict[str, str]:
    return {f"photo:{p.file}": str(find_asset(content.folder, p.file)) for p in own.photos}


def _print_profile(content: Content) -> PrintProfileCtx | None:
    own = content.campaign.settings.print_profile
    return {"file": own.file, "condition": own.condition} if own else None


# --- parts ----------------------------------------------------------------------------------


def _campaign(content: Content, fmt: Formatter) -> CampaignCtx:
    campaign, lang = content.campaign, fmt.code
    contact = campaign.contact
    return {
        "name": campaign.name,
        "claim": campaign.claim[lang],
        "imprint_html": str(to_html(campaign.imprint[lang])),
        "contact": {
            "organisation": contact.organisation,
            "department": contact.department[lang],
            "address": list(contact.address),
            "phone": contact.phone,
            "phone_href": tel_href(contact.phone) if contact.phone else None,
            "email": contact.email,
            "web": contact.web,
            "web_shown": shown_url(contact.web),
        },
    }


def _colours(content: Content, variant: str) -> dict[str, str]:
    """Brand colours as CSS values: device-cmyk() in print, #RRGGBB on screen."""
    found = charts.palette({n: c.model_dump() for n, c in content.campaign.brand.colours.items()})
    # Small secondary text (footers, sources, captions at 7.5 to 9 pt) needs more contrast than
    # the charts' light "muted" tint gives it: about 5.6:1 on white instead of 3.5:1.
    found["muted_text"] = charts.tint(found["ink"], 0.7)
    if variant == "print":
        return {name: charts.device_cmyk(c["cmyk"]) for name, c in found.items()}
    return {name: c["rgb"] for name, c in found.items()}


def _html(text: str | None) -> str | None:
    return str(to_html(text)) if text else None


def _item(item: Item, lang: str) -> ItemCtx:
    return {
        "name": str(to_inline_html(item.name[lang])),
        "place": item.place,
        "text_html": _html(item.text[lang]) if item.text else None,
        "url": item.url,
    }


def _own(content: Content, brochure_id: str) -> Specialization | Site | Region:
    """What brochure `brochure_id` is about: the region, a site or a field."""
    if brochure_id == content.region.id:
        return content.region
    if brochure_id in content.sites:
        return content.sites[brochure_id]
    return content.fields[brochure_id]


def _body(
    content: Content, own: Specialization | Site | Region, fmt: Formatter
) -> tuple[str, Body]:
    """The brochure's kind (overview, site or field) and its body."""
    lang = fmt.code
    common: BodyCtx = {
        "title": own.title[lang],
        "lead_html": str(to_inline_html(own.lead[lang])),
        "cover_line": _cover_line(content, own, lang),
        "icon": own.icon if isinstance(own, Specialization) else None,
        "help": _helper(own.help, lang) if own.help else None,
        "photos": [
            {
                "file": p.file,
                "alt": p.alt[lang],
                "credit": p.credit,
                "licence": p.licence,
                "focal": list(p.focal),
            }
            for p in own.photos
        ],
    }
    if isinstance(own, Region):
        return "overview", _overview(content, common, fmt)
    if isinstance(own, Site):
        return "site", _site(own, common, fmt)
    return "field", _field(own, common, fmt)


def _overview(content: Content, common: BodyCtx, fmt: Formatter) -> OverviewBody:
    region, lang = content.region, fmt.code
    return {
        **common,
        "body_html": _html(region.body[lang]) if region.body else None,
        "reasons": {
            "title": region.reasons.title[lang],
            "entries": [str(to_inline_html(s[lang])) for s in region.reasons.items],
        }
        if region.reasons
        else None,
        "measures": [str(to_inline_html(m[lang])) for m in region.measures],
        "box": {"title": region.box.title[lang], "html": str(to_html(region.box.body[lang]))}
        if region.box
        else None,
        "fields": [
            {"id": f.id, "title": f.title[lang], "short_html": str(to_inline_html(f.short[lang]))}
            for f in content.ordered_fields()
        ],
    }


def _field(field: Specialization, common: BodyCtx, fmt: Formatter) -> FieldBody:
    lang = fmt.code
    # The highlighted box holds the field's opportunities; a field without them gathers
    # its key areas' opportunities there instead (each under its key area's title).
    own = field.opportunities is not None
    boxed: list[OpportunityCtx] = (
        [{"title": None, "html": _html(field.opportunities[lang])}]
        if field.opportunities
        else [
            {"title": k.title[lang], "html": _html(k.opportunities[lang])}
            for k in field.key_areas
            if k.opportunities
        ]
    )
    return {
        **common,
        "body_html": str(to_html(field.body[lang])),
        "key_areas": [
            {
                "title": k.title[lang],
                "body_html": str(to_html(k.body[lang])),
                "opportunities_html": _html(k.opportunities[lang])
                if k.opportunities and own
                else None,
            }
            for k in field.key_areas
        ],
        "lighthouses": [_item(i, lang) for i in field.lighthouses],
        "opportunities": boxed,
    }


def _site(campus: Site, common: BodyCtx, fmt: Formatter) -> SiteBody:
    lang = fmt.code
    return {
        **common,
        "body_html": str(to_html(campus.body[lang])),
        "parts": [
            {
                "name": p.name[lang],
                "text_html": str(to_html(p.text[lang])),
                "institutions": [_item(i, lang) for i in p.institutions],
            }
            for p in campus.parts
        ],
        "companies": [_item(i, lang) for i in campus.companies],
        "url": campus.url,
    }


def _callout(content: Content, figure_id: str, fmt: Formatter, ref: int) -> CalloutCtx:
    """A key figure and its number `ref` in the sources."""
    fig = content.figures.figures[figure_id]
    return {
        "id": figure_id,
        "value": fmt.figure(fig),
        "label": fig.label[fmt.code],
        "period": fmt.period(fig.period),
        "icon": fig.icon,
        "ref": ref,
    }


def _map(content: Content, lang: str) -> MapCtx | None:
    """The locator map's context (shared.locator_map) as JSON-ready data, or None."""
    from dataclasses import asdict

    from bmr_materials.shared.locator_map import map_context

    found = map_context(content, lang)
    return cast("MapCtx", json_ready(asdict(found))) if found else None


def json_ready(value: Any) -> Any:
    """`value` with tuples as lists, as JSON gives it back (contexts are compared as JSON)."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def _cover_line(content: Content, own: Specialization | Site | Region, lang: str) -> str:
    """The brochure's own line on its cover: from the content, else a field's short text,
    else the campaign's claim."""
    if own.cover_line:
        return own.cover_line[lang]
    if isinstance(own, Specialization):
        return own.short[lang]
    return content.campaign.claim[lang]


def _helper(helper: Helper, lang: str) -> HelpBlock:
    return {
        "html": str(to_html(helper.text[lang])),
        "name": helper.name,
        "role": helper.role[lang] if helper.role else None,
        "email": helper.email,
        "phone": helper.phone,
        "phone_href": tel_href(helper.phone) if helper.phone else None,
    }


def _own_first(content: Content, brochure_id: str, figure_ids: list[str]) -> list[str]:
    """A field's own figures (those no other field shows) before the region's."""
    if brochure_id not in content.fields:
        return figure_ids
    others = {f for fid, fld in content.fields.items() if fid != brochure_id for f in fld.figures}
    return sorted(figure_ids, key=lambda f: f in others)


def _sources(content: Content, shown: list[str], fmt: Formatter) -> list[SourceCtx]:
    """One entry per figure or series shown, numbered as the callouts refer to them. A series'
    points from one source without notes share one row (their periods as a range): the values
    are on the chart."""
    lang, entries = fmt.code, list[SourceCtx]()
    for number, ident in enumerate(shown, start=1):
        if ident in content.figures.figures:
            fig = content.figures.figures[ident]
            rows = [_row(fmt.period(fig.period), fmt.figure(fig), fig.source, fig.note, lang)]
            label = fig.label[lang]
        else:
            series = content.figures.series[ident]
            rows = _series_rows(series, fmt)
            label = f"{series.label[lang]} ({series.period_label[lang]})"
        entries.append({"n": number, "id": ident, "label": label, "rows": rows})
    return entries


def _row(period: str, value: str, source: Source, note: Text | None, lang: str) -> SourceRow:
    return {
        "period": period,
        "value": value,
        "source": source.name[lang],
        "url": source.url,
        "url_shown": short_url(source.url),
        "note": note[lang] if note else None,
    }


SHORT_URL = 38  # characters: a longer address is printed as its site's name only


def short_url(url: str) -> str:
    """A web address short enough to type from paper: 'site.org/page' as people read it, or
    only the site ('site.org') when the whole address is longer than SHORT_URL."""
    shown = shown_url(url)
    return shown if len(shown) <= SHORT_URL else shown.split("/", 1)[0]


def _series_rows(series: Series, fmt: Formatter) -> list[SourceRow]:
    rows: list[SourceRow] = []
    run: list[Point] = []
    for point in [*series.points, None]:
        if run and (point is None or point.note or run[-1].note or point.source != run[-1].source):
            first, last = run[0], run[-1]
            if len(run) == 1:
                rows.append(
                    _row(
                        fmt.period(first.period),
                        fmt.figure(first, series),
                        first.source,
                        first.note,
                        fmt.code,
                    )
                )
            else:
                period = f"{fmt.period(first.period)}–{fmt.period(last.period)}"
                rows.append(_row(period, "", first.source, None, fmt.code))
            run = []
        if point is not None:
            run.append(point)
    return rows


def charts_needed(context: BrochureCtx) -> list[tuple[ChartCtx, str]]:
    """The (chart context, medium) pairs this brochure draws, to render them ahead once."""
    medium = "svg-cmyk" if context["variant"] == "print" else "svg"
    return [(chart, medium) for chart in context["charts"]]
