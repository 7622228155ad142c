"""Check what the model alone cannot: references, ids, links, assets, colours, shares, periods
after the reference date and figure ages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from bmr_materials.content import assets, brandfont, languages, markup
from bmr_materials.content.assetfiles import AssetRefused, find_asset
from bmr_materials.content.model import Content, Figure, Point, Series, period_year
from bmr_materials.content.validators import link_problem
from bmr_materials.content.yamlsafe import KeyPath, Marked, format_path
from bmr_materials.errors import Problem, did_you_mean, display_path
from bmr_materials.resources import assets_dir, installed_family

REQUIRED_COLOURS = ("primary", "secondary", "accent", "ink", "paper")
CHART_NEEDS = {"bar": "series", "line": "series", "compare": "figures", "share": "figures"}
SLIDE_NEEDS = {
    "key_figures": "figures",
    "chart": "chart",
    "field": "field",
    "site": "site",
    "text": "body",
    "picture": "picture",
    "partners": "names",
    "closing": "ask",
}


def add_unique(
    folder: str,
    into: dict[str, Any],
    item: Any,
    marked: Marked,
    origins: dict[str, Marked],
    problems: list[Problem],
) -> None:
    """Add a field or deck under its id, reporting an id that another file already uses."""
    key = f"{folder}/{item.id}"
    if key in origins:
        problems.append(
            marked.problem(
                ("id",), f"duplicate id {item.id!r}: {origins[key].file} uses it already"
            )
        )
        return
    into[item.id] = item
    origins[key] = marked


# Where each file refers to ids of another: (key pattern, kind); "*" is any key or index.
REFERENCES: dict[str, tuple[tuple[KeyPath, str], ...]] = {
    "texts": ((("figures", "*"), "figure"), (("charts", "*"), "chart")),
    "figures": (
        (("figures", "*", "unit"), "unit"),
        (("series", "*", "unit"), "unit"),
        (("charts", "*", "series"), "series"),
        (("charts", "*", "figures", "*"), "figure"),
    ),
    "decks": (
        (("slides", "*", "figures", "*"), "figure"),
        (("slides", "*", "chart"), "chart"),
        (("slides", "*", "field"), "field"),
        (("slides", "*", "site"), "site"),
    ),
}
Reference = tuple[str, Marked, KeyPath, str]


def references(files: dict[str, Marked]) -> tuple[list[Reference], list[Problem]]:
    """Every reference in the files as written (whether or not the rest of a file is valid),
    and a problem for each one naming an id that does not exist. Ids are taken from the files
    as written too, so references are checked in the same run as everything else."""
    names = _names(files)
    refs: list[Reference] = []
    for key, marked in files.items():
        group = key.split("/")[0]
        group = {"fields": "texts", "region": "texts", "sites": "texts"}.get(group, group)
        for pattern, kind in REFERENCES.get(group, ()):
            refs += [(kind, marked, path, ref) for path, ref in _matches(marked.data, pattern)]
    found = []
    for kind, marked, path, ref in refs:
        known = names.get(kind)
        if known is not None and ref not in known:
            found.append(_unknown(kind, ref, known, marked, path))
    return refs, found


def _names(files: dict[str, Marked]) -> dict[str, set[str] | None]:
    """The ids of each kind as written; None for a kind whose file could not be read."""
    figures = files["figures"].data if "figures" in files else None
    names: dict[str, set[str] | None] = {}
    for kind, key in (
        ("figure", "figures"),
        ("series", "series"),
        ("chart", "charts"),
        ("unit", "units"),
    ):
        table = figures.get(key) if isinstance(figures, dict) else None
        names[kind] = {str(k) for k in table} if isinstance(table, dict) else None
    for kind, folder in (("field", "fields/"), ("site", "sites/")):
        found = set()
        for key, marked in files.items():
            if key.startswith(folder):
                given = marked.data.get("id") if isinstance(marked.data, dict) else None
                found.add(given if isinstance(given, str) else key.removeprefix(folder))
        names[kind] = found
    return names


def _matches(data: Any, pattern: KeyPath, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if not pattern:
        if isinstance(data, str):
            yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if isinstance(data, dict):
        items: list[tuple[Any, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return
    for key, value in items:
        if head == "*" or key == head:
            yield from _matches(value, rest, (*path, key))


def check(content: Content, origins: dict[str, Marked], refs: list[Reference]) -> list[Problem]:
    """Every cross-file problem and warning of a structurally valid `content`."""
    found: list[Problem] = []
    found += _charts(content, origins["figures"])
    found += _shares(content, origins["figures"])
    found += _units(content, origins["figures"])
    found += languages.locales_and_fonts(content, origins["campaign"])
    found += languages.unknown_outputs(content, origins["campaign"])
    found += languages.missing_texts(content, origins)
    found += _slides(content, origins)
    found += _ids(content, origins)
    found += _output_ids(content, origins)
    found += _assets(content, origins["campaign"])
    found += _ages(content, refs, origins["figures"])
    found += _future(content, origins["figures"])
    found += _map(content, origins["region"])
    return found


EUROPE_MAP = ("maps", "europe.geojson")  # under the builder's assets: Natural Earth's countries


@cache
def map_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of the countries the Europe extract holds."""
    path = assets_dir().joinpath(*EUROPE_MAP)
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return frozenset(f["properties"]["iso_a2"] for f in features)


def _map(content: Content, marked: Marked) -> Iterator[Problem]:
    """The locator map's country is one the map of Europe has."""
    given = content.region.map
    if given is not None and given.country not in map_countries():
        hint = did_you_mean(given.country, map_countries())
        yield marked.problem(
            ("map", "country"), f"country {given.country!r} is not on the map of Europe{hint}"
        )


def links(marked: Marked, data: Any, path: KeyPath = ()) -> list[Problem]:
    """Links in texts are plain links to http(s):, mailto: and tel:."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in links(marked, value, (*path, key))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in links(marked, value, (*path, i))]
    if not isinstance(data, str):
        return []
    found = (link_problem(url) for url in markup.links(data))
    return [marked.problem(path, problem) for problem in found if problem]


def _unknown(kind: str, ref: str, known: set[str], marked: Marked, path: KeyPath) -> Problem:
    return marked.problem(path, f"unknown {kind} {ref!r}{did_you_mean(ref, known)}")


def _charts(content: Content, marked: Marked) -> Iterator[Problem]:
    for cid, chart in content.figures.charts.items():
        need = CHART_NEEDS[chart.kind]
        if not getattr(chart, need):
            yield marked.problem(("charts", cid), f"a {chart.kind} chart needs {need!r}")
        figs = [
            (i, fid, content.figures.figures[fid])
            for i, fid in enumerate(chart.figures)
            if fid in content.figures.figures
        ]
        if chart.kind == "share":
            yield from _share(cid, figs, marked, content)
        if chart.kind == "compare" and figs:
            first = figs[0][2]
            for i, fid, fig in figs[1:]:
                if (fig.unit, fig.scale) != (first.unit, first.scale):
                    yield marked.problem(
                        ("charts", cid, "figures", i),
                        f"a compare chart draws figures of one unit: {fid!r} is "
                        f"{_unit(fig)}, {figs[0][1]!r} is {_unit(first)}",
                    )


def _unit(fig: Figure) -> str:
    return f"{fig.unit} ({fig.scale})" if fig.scale else fig.unit


def _share(
    cid: str, figs: list[tuple[int, str, Figure]], marked: Marked, content: Content
) -> Iterator[Problem]:
    """A share chart draws one figure in a share unit out of 100."""
    if len(figs) > 1:
        yield marked.problem(
            ("charts", cid, "figures", 1), f"a share chart draws one figure, not {len(figs)}"
        )
    for i, fid, fig in figs:
        unit = content.figures.units.get(fig.unit)
        if unit is not None and not unit.share:
            yield marked.problem(
                ("charts", cid, "figures", i),
                f"a share chart needs figures in a share unit, {fid!r} is in {fig.unit}",
            )
        elif not 0 <= fig.value <= 100:
            yield marked.problem(
                ("charts", cid, "figures", i),
                f"figure {fid!r} is {fig.value:g} %, but a share is between 0 and 100 %",
            )


def _shares(content: Content, marked: Marked) -> Iterator[Problem]:
    """A share (percent of a whole) lies between 0 and 100; a growth rate may not."""
    units = content.figures.units

    def bad(item: Figure | Point, owner: Figure | Series) -> bool:
        unit = units.get(owner.unit)
        return bool(unit and unit.share and not 0 <= item.value <= 100)

    for fid, fig in content.figures.figures.items():
        if bad(fig, fig):
            yield marked.problem(("figures", fid, "value"), _share_message(fig.value, fig.unit))
    for sid, series in content.figures.series.items():
        for i, point in enumerate(series.points):
            if bad(point, series):
                yield marked.problem(
                    ("series", sid, "points", i, "value"), _share_message(point.value, series.unit)
                )


def _units(content: Content, marked: Marked) -> Iterator[Problem]:
    """A CLDR unit Babel can format, and one way of writing each unit."""
    from babel.numbers import is_currency
    from babel.units import UnknownUnitError, get_unit_name

    for uid, unit in content.figures.units.items():
        ways = [w for w in ("share", "currency", "cldr", "symbol") if getattr(unit, w)]
        if len(ways) > 1:
            yield marked.problem(
                ("units", uid), f"a unit is written one way: {' or '.join(ways)} (choose one)"
            )
        if unit.currency and not is_currency(unit.currency):
            yield marked.problem(
                ("units", uid, "currency"), f"{unit.currency!r} is not an ISO 4217 currency code"
            )
        if unit.cldr:
            try:
                get_unit_name(unit.cldr, locale="en")
            except UnknownUnitError:
                yield marked.problem(
                    ("units", uid, "cldr"),
                    f"{unit.cldr!r} is not a CLDR unit "
                    "Babel knows (e.g. mass-tonne, power-gigawatt)",
                )


def _share_message(value: float, unit: str) -> str:
    return (
        f"{value:g} is not a share: a value in {unit!r} (share: true) lies between 0 and "
        "100 (a growth rate needs a unit without share)"
    )


def _future(content: Content, marked: Marked) -> Iterator[Problem]:
    """Periods are not after the reference date: a figure cannot come from the future."""
    reference = dt.date.fromisoformat(content.campaign.settings.reference_date)
    dated: list[tuple[KeyPath, str]] = [
        (("figures", fid, "period"), fig.period) for fid, fig in content.figures.figures.items()
    ]
    dated += [
        (("series", sid, "points", i, "period"), point.period)
        for sid, series in content.figures.series.items()
        for i, point in enumerate(series.points)
    ]
    for path, period in dated:
        year = period_year(period)
        if year is None:
            continue
        after = (
            year > reference.year if len(period) == 4 else dt.date.fromisoformat(period) > reference
        )
        if after:
            yield marked.problem(
                path,
                f"period {period} is after the reference date "
                f"{reference.isoformat()} (settings.reference_date in "
                "campaign.yaml)",
            )


def _slides(content: Content, origins: dict[str, Marked]) -> Iterator[Problem]:
    for did, deck in content.decks.items():
        for lang in deck.audience.languages if deck.audience else []:
            if lang not in content.campaign.languages:
                yield origins[f"decks/{did}"].problem(
                    ("audience", "languages"),
                    f"language {lang!r} is not one of campaign.yaml's languages "
                    f"({', '.join(content.campaign.languages)})",
                )
        for i, slide in enumerate(deck.slides):
            if slide.kind == "map" and content.region.map is None:
                yield origins[f"decks/{did}"].problem(
                    ("slides", i), "a map slide needs the locator map (map: in region.yaml)"
                )
            need = SLIDE_NEEDS.get(slide.kind)
            if need and not getattr(slide, need):
                yield origins[f"decks/{did}"].problem(
                    ("slides", i), f"a {slide.kind} slide needs {need!r}"
                )
            region = content.region
            if slide.kind == "measures" and not (region.measures or region.box):
                yield origins[f"decks/{did}"].problem(
                    ("slides", i, "kind"),
                    f"a measures slide shows the measures and the box of {origins['region'].file}"
                    ", which has neither",
                )


def _ids(content: Content, origins: dict[str, Marked]) -> Iterator[Problem]:
    figures = content.figures
    for sid in figures.series:
        if sid in figures.figures:
            yield origins["figures"].problem(
                ("series", sid), f"duplicate id {sid!r}: a figure has it already"
            )
    orders: dict[int, str] = {}
    for fid, spec in sorted(content.fields.items()):
        if spec.order in orders:
            yield origins[f"fields/{fid}"].problem(
                ("order",), f"order {spec.order} is also used by field {orders[spec.order]!r}"
            )
        orders.setdefault(spec.order, fid)


def _output_ids(content: Content, origins: dict[str, Marked]) -> Iterator[Problem]:
    """Two outputs never share an id: it names their files and `--only` picks by it."""
    owners = [
        ("region", content.region.id),
        *((f"fields/{f.id}", f.id) for f in content.ordered_fields()),
        *((f"sites/{sid}", sid) for sid in sorted(content.sites)),
        *((f"decks/{did}", did) for did in sorted(content.decks)),
    ]
    files: dict[str, list[str]] = {}
    for origin, oid in owners:
        files.setdefault(oid, []).append(origins[origin].file)
    for origin, oid in owners:
        others = [f for f in files[oid] if f != origins[origin].file]
        if others:
            yield origins[origin].problem(
                ("id",),
                f"id {oid!r} is also the id of {' and '.join(others)}: "
                "two outputs cannot share an id (it names their files)",
            )


def asset_files(content: Content) -> list[tuple[KeyPath, str, tuple[str, ...]]]:
    """(key path, value, folders it may be in) of every asset the campaign names."""
    found: list[tuple[KeyPath, str, tuple[str, ...]]] = [
        (("brand", "logo"), content.campaign.brand.logo, ("assets",))
    ]
    if content.campaign.settings.deck_template is not None:
        found.append(
            (
                ("settings", "deck_template"),
                content.campaign.settings.deck_template,
                ("assets", "templates"),
            )
        )
    profile = content.campaign.settings.print_profile
    if profile is not None:
        found.append((("settings", "print_profile", "file"), profile.file, ("assets",)))
    return found


def inspect_assets(content: Content, marked: Marked) -> tuple[list[Problem], list[str]]:
    """Problems in the image assets' own files (at their line), and what each one is."""
    problems: list[Problem] = []
    notes: list[str] = []
    for path, value, bases in asset_files(content):
        if path != ("brand", "logo"):
            continue
        try:
            target = find_asset(content.folder, value, bases)
        except AssetRefused:
            continue
        finding = assets.inspect(target)
        shown = display_path(target)
        problems += [
            Problem(shown, line, column, "", f"{format_path(path)} in {marked.file}: {message}")
            for line, column, message in finding.problems
        ]
        if finding.summary:
            notes.append(f"{format_path(path)}: {shown}: {finding.summary}")
    return problems, notes


def _assets(content: Content, marked: Marked) -> Iterator[Problem]:
    """Asset paths stay inside assets/ (or templates/) of the content folder or the builder,
    and name a file."""
    for path, value, bases in asset_files(content):
        try:
            find_asset(content.folder, value, bases)
        except AssetRefused as refused:
            yield marked.problem(path, str(refused))
    yield from _brand_font(content, marked)
    missing = [c for c in REQUIRED_COLOURS if c not in content.campaign.brand.colours]
    if missing:
        yield marked.problem(("brand", "colours"), f"missing colours: {', '.join(missing)}")


def _brand_font(content: Content, marked: Marked) -> Iterator[Problem]:
    """The brand font is shipped in the content's assets/fonts/ (with a licence that allows
    embedding) or installed, or it is the builder's own Source Sans 3."""
    font = content.campaign.brand.font
    if brandfont.family_faces(content.folder, font):
        for message in brandfont.shipped_problems(content.folder, font):
            yield marked.problem(("brand", "font"), message)
        return
    if font.casefold() == "source sans 3" or installed_family(font):
        return
    shipped = sorted({f.family for f in brandfont.shipped_faces(content.folder)})
    has = f" (assets/fonts/ has {', '.join(map(repr, shipped))})" if shipped else ""
    yield marked.problem(
        ("brand", "font"),
        f"font {font!r} is neither in the content's assets/fonts/{has} nor installed (fc-list "
        "does not know it): ship its files with their licence in assets/fonts/, install its "
        "Debian package, or use Source Sans 3, the builder's own",
    )


def _ages(content: Content, refs: list[Reference], figures_file: Marked) -> Iterator[Problem]:
    """Warn once for each shown headline figure older than the configured age."""
    max_age = content.campaign.settings.figure_max_age_years
    this_year = dt.date.today().year
    shown = sorted({ref for kind, _, _, ref in refs if kind == "figure"})
    for fid in shown:
        fig = content.figures.figures.get(fid)
        year = period_year(fig.period) if fig else None
        if year is not None and this_year - year > max_age:
            yield figures_file.problem(
                ("figures", fid, "period"),
                f"figure {fid} is from {year}: check for a newer one (older than {max_age} years)",
                severity="warning",
            )
