"""Check what the model alone cannot: references, ids, assets, colours and figure ages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from bmr_materials.content import markup
from bmr_materials.content.labels import has_catalog
from bmr_materials.content.model import Content, period_year
from bmr_materials.content.yamlsafe import KeyPath, Marked
from bmr_materials.errors import Problem
from bmr_materials.resources import builder_root

PROJECT = builder_root()
REQUIRED_COLOURS = ("primary", "secondary", "accent", "ink", "paper")
CHART_NEEDS = {"bar": "series", "line": "series", "compare": "figures", "share": "figures"}
SLIDE_NEEDS = {"key_figures": "figures", "chart": "chart", "field": "field", "text": "body"}


def add_unique(folder: str, into: dict[str, Any], item: Any, marked: Marked,
               origins: dict[str, Marked], problems: list[Problem]) -> None:
    """Add a field or deck under its id, reporting an id that another file already uses."""
    key = f"{folder}/{item.id}"
    if key in origins:
        problems.append(marked.problem(("id",), f"duplicate id {item.id!r}: "
                                       f"{origins[key].file} uses it already"))
        return
    into[item.id] = item
    origins[key] = marked


def check(content: Content, origins: dict[str, Marked]) -> list[Problem]:
    """Every cross-file problem and warning in `content`."""
    found: list[Problem] = []
    refs = _references(content, origins)
    names = {"figure": set(content.figures.figures), "chart": set(content.figures.charts),
             "series": set(content.figures.series), "field": set(content.fields)}
    for kind, marked, path, ref in refs:
        if ref not in names[kind]:
            found.append(_unknown(kind, ref, names[kind], marked, path))
    found += _charts(content, origins["figures"])
    found += _slides(content, origins)
    found += _ids(content, origins)
    found += _assets(content, origins["campaign"])
    found += _ages(content, refs, origins["figures"])
    for marked in origins.values():
        found += _links(marked, marked.data, ())
    return found


def _links(marked: Marked, data: Any, path: KeyPath) -> list[Problem]:
    """Links in texts may only go to http(s):, mailto: and tel:."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _links(marked, value, (*path, key))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in _links(marked, value, (*path, i))]
    if not isinstance(data, str):
        return []
    return [marked.problem(path, f"link {_short(url)!r} is not allowed "
                                 "(only https://, http://, mailto: and tel: links)")
            for url in markup.links(data) if not markup.ALLOWED_LINK.match(url)]


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _unknown(kind: str, ref: str, known: set[str], marked: Marked, path: KeyPath) -> Problem:
    import difflib

    near = difflib.get_close_matches(ref, sorted(known), n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return marked.problem(path, f"unknown {kind} {ref!r}{hint}")


def _references(content: Content, origins: dict[str, Marked]
                ) -> list[tuple[str, Marked, KeyPath, str]]:
    """(kind, file, key path, id) of every reference in the content."""
    refs: list[tuple[str, Marked, KeyPath, str]] = []

    def lists(marked: Marked, owner: Any, prefix: KeyPath = ()) -> None:
        refs.extend(("figure", marked, (*prefix, "figures", i), f)
                    for i, f in enumerate(owner.figures))
        refs.extend(("chart", marked, (*prefix, "charts", i), c)
                    for i, c in enumerate(getattr(owner, "charts", [])))

    lists(origins["region"], content.region)
    lists(origins["campus"], content.campus)
    for fid, spec in content.fields.items():
        lists(origins[f"fields/{fid}"], spec)
    for cid, chart in content.figures.charts.items():
        lists(origins["figures"], chart, ("charts", cid))
        if chart.series:
            refs.append(("series", origins["figures"], ("charts", cid, "series"), chart.series))
    for did, deck in content.decks.items():
        for i, slide in enumerate(deck.slides):
            marked, at = origins[f"decks/{did}"], ("slides", i)
            lists(marked, slide, at)
            if slide.chart:
                refs.append(("chart", marked, (*at, "chart"), slide.chart))
            if slide.field:
                refs.append(("field", marked, (*at, "field"), slide.field))
    return refs


def _charts(content: Content, marked: Marked) -> Iterator[Problem]:
    for cid, chart in content.figures.charts.items():
        need = CHART_NEEDS[chart.kind]
        if not getattr(chart, need):
            yield marked.problem(("charts", cid), f"a {chart.kind} chart needs {need!r}")
        if chart.kind == "share":
            for i, fid in enumerate(chart.figures):
                fig = content.figures.figures.get(fid)
                if fig and fig.unit != "percent":
                    yield marked.problem(
                        ("charts", cid, "figures", i),
                        f"a share chart needs percent figures, {fid!r} is {fig.unit}")


def _slides(content: Content, origins: dict[str, Marked]) -> Iterator[Problem]:
    for did, deck in content.decks.items():
        for i, slide in enumerate(deck.slides):
            need = SLIDE_NEEDS.get(slide.kind)
            if need and not getattr(slide, need):
                yield origins[f"decks/{did}"].problem(
                    ("slides", i), f"a {slide.kind} slide needs {need!r}")


def _ids(content: Content, origins: dict[str, Marked]) -> Iterator[Problem]:
    figures = content.figures
    for sid in figures.series:
        if sid in figures.figures:
            yield origins["figures"].problem(("series", sid), f"duplicate id {sid!r}: "
                                             "a figure has it already")
    orders: dict[int, str] = {}
    for fid, spec in sorted(content.fields.items()):
        if spec.order in orders:
            yield origins[f"fields/{fid}"].problem(
                ("order",), f"order {spec.order} is also used by field {orders[spec.order]!r}")
        orders.setdefault(spec.order, fid)


def _assets(content: Content, marked: Marked) -> Iterator[Problem]:
    """Asset paths are project paths: they stay inside assets/ (or templates/) and exist."""
    project = PROJECT
    assets = (project / "assets").resolve()
    templates = (project / "templates").resolve()
    profile = content.campaign.settings.print_profile
    for path, value, bases in (
        (("brand", "logo"), content.campaign.brand.logo, (assets,)),
        (("settings", "deck_template"), content.campaign.settings.deck_template,
         (assets, templates)),
        (("settings", "print_profile", "file"), profile.file if profile else None, (assets,)),
    ):
        if value is None:
            continue
        target = (project / value).resolve()
        if not any(target.is_relative_to(base) for base in bases):
            yield marked.problem(path, f"{value!r} is outside "
                                       f"{' and '.join(b.name + '/' for b in bases)}")
        elif not target.is_file():
            yield marked.problem(path, f"file {value!r} does not exist")
    missing = [c for c in REQUIRED_COLOURS if c not in content.campaign.brand.colours]
    if missing:
        yield marked.problem(("brand", "colours"), f"missing colours: {', '.join(missing)}")


def catalogs(languages: list[str], marked: Marked | None) -> Iterator[Problem]:
    """Warn for a language whose template labels have no translation catalog yet."""
    for lang in languages:
        if marked is not None and not has_catalog(lang):
            yield marked.problem(
                ("languages", lang),
                f"no label catalog for {lang!r}: labels stay English until "
                f"materials/locale/{lang}/LC_MESSAGES/messages.po exists (pybabel init)",
                severity="warning")


def _ages(content: Content, refs: list[tuple[str, Marked, KeyPath, str]],
          figures_file: Marked) -> Iterator[Problem]:
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
                f"figure {fid} is from {year}: check for a newer one "
                f"(older than {max_age} years)", severity="warning")
