"""Check that every language is complete: its texts where its outputs show them, its labels.

A language with `outputs:` in campaign.yaml is made only for those outputs, so its texts are
needed only where they show them: `texts_shown` lists every text (file, key path, text) an
output shows, and `missing_texts` reports those without the language. Labels come from the
builder's catalogs (de, fr) and the content's own `labels/<lang>.po`, which wins; a label
missing in both is a warning (it would stay English), so `check --strict` fails on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bmr_materials.content.labels import Entry, label_ids, read_catalog, shipped
from bmr_materials.content.model import Content, Slide, text_missing
from bmr_materials.content.yamlsafe import KeyPath, Marked
from bmr_materials.errors import Problem, display_path

Shown = tuple[str, KeyPath, dict[str, str]]  # origin ("fields/medtech"), key path, the text


def output_ids(content: Content) -> list[str]:
    """Every output id: the brochures (overview, fields, sites) and the decks."""
    return content.output_ids()


# --- texts ----------------------------------------------------------------------------------


def texts_shown(content: Content, output_id: str) -> list[Shown]:
    """Every text output `output_id` shows, with the file and key path it comes from."""
    found = list(_walk("campaign", (), content.campaign, ("claim", "imprint", "contact")))
    if output_id in content.decks:
        found += _deck(content, output_id)
    elif output_id == content.region.id:
        region = content.region
        found += _walk("region", (), region)
        for spec in content.ordered_fields():
            found += _pick(f"fields/{spec.id}", spec, ("title", "short"))
        found += _figures(content, region.figures, region.charts)
    elif output_id in content.fields:
        spec = content.fields[output_id]
        found += _walk(f"fields/{output_id}", (), spec)
        found += _figures(content, spec.figures, spec.charts)
    elif output_id in content.sites:
        site = content.sites[output_id]
        found += _walk(f"sites/{output_id}", (), site)
        found += _figures(content, site.figures, site.charts)
    return found


def missing_texts(content: Content, origins: dict[str, Marked]) -> list[Problem]:
    """Every text missing in a language made for only some outputs, once, where it is."""
    problems: dict[tuple[str, KeyPath, str], Problem] = {}
    for lang, language in content.campaign.languages.items():
        for output_id in language.outputs or []:
            for origin, path, text in texts_shown(content, output_id):
                if text_missing(text, lang) and (origin, path, lang) not in problems:
                    problems[(origin, path, lang)] = origins[origin].problem(
                        path, f"text missing in language {lang!r} (shown in {output_id})"
                    )
    return list(problems.values())


def unknown_outputs(content: Content, marked: Marked) -> Iterator[Problem]:
    """A language's `outputs` naming an output the content does not define."""
    import difflib

    known = output_ids(content)
    for lang, language in content.campaign.languages.items():
        for i, output_id in enumerate(language.outputs or []):
            if output_id not in known:
                near = difflib.get_close_matches(output_id, known, n=1)
                hint = (
                    f"did you mean {near[0]!r}?" if near else f"expected one of: {', '.join(known)}"
                )
                yield marked.problem(
                    ("languages", lang, "outputs", i), f"unknown output {output_id!r} ({hint})"
                )


def locales_and_fonts(content: Content, marked: Marked) -> Iterator[Problem]:
    """A language's locale that Babel has no number and date formats for, or a font of a
    language that is not installed."""
    from babel import Locale, UnknownLocaleError

    from bmr_materials.resources import installed_family

    for lang, language in content.campaign.languages.items():
        try:
            Locale.parse(language.locale)
        except (UnknownLocaleError, ValueError):
            yield marked.problem(
                ("languages", lang, "locale"),
                f"{language.locale!r} is not a locale Babel knows (e.g. de_DE, fr_FR, ja_JP)",
            )
        if language.font and not installed_family(language.font):
            yield marked.problem(
                ("languages", lang, "font"),
                f"font {language.font!r} is not installed (fc-list does not "
                "know it; Noto Sans CJK JP comes with Debian's fonts-noto-cjk)",
            )


def _deck(content: Content, deck_id: str) -> list[Shown]:
    deck, origin = content.decks[deck_id], f"decks/{deck_id}"
    found = _pick(origin, deck, ("title", "subtitle"))
    if deck.audience:
        found += _walk(origin, ("audience",), deck.audience)
    for i, slide in enumerate(deck.slides):
        found += _walk(origin, ("slides", i), slide)
        found += _slide(content, slide)
    return found


def _slide(content: Content, slide: Slide) -> list[Shown]:
    if slide.kind == "key_figures":
        return _figures(content, slide.figures, [])
    if slide.chart:
        return _figures(content, [], [slide.chart])
    if slide.kind == "field" and slide.field in content.fields:
        spec, origin = content.fields[slide.field], f"fields/{slide.field}"
        found = _pick(origin, spec, ("title", "lead", "opportunities"))
        if spec.deck_points:
            found += _walk(origin, ("deck_points",), spec.deck_points)
        else:
            found += _walk(origin, ("points",), spec.points)
        found += _figures(content, list(slide.figures) or spec.figures[:1], [])
        for i, area in enumerate(spec.key_areas):
            found += _pick(origin, area, ("title", "opportunities"), ("key_areas", i))
        for i, item in enumerate(spec.lighthouses):
            found += _pick(origin, item, ("name",), ("lighthouses", i))
        return found
    if slide.kind == "site" and slide.site in content.sites:
        site = content.sites[slide.site]
        return _site_slide(content, slide.site) + _figures(
            content, list(slide.figures) or site.figures[:1], []
        )
    if slide.kind == "measures":
        region = content.region
        return [
            *_walk("region", ("measures",), region.measures),
            *_pick("region", region, ("box",)),
        ]
    return []


def _site_slide(content: Content, site_id: str) -> list[Shown]:
    site, origin = content.sites[site_id], f"sites/{site_id}"
    found = _pick(origin, site, ("title", "lead"))
    for i, item in enumerate(site.companies):
        found += _pick(origin, item, ("name",), ("companies", i))
    for i, part in enumerate(site.parts):
        found += _pick(
            origin, part, ("name",) if part.institutions else ("name", "text"), ("parts", i)
        )
        for j, item in enumerate(part.institutions):
            found += _pick(origin, item, ("name",), ("parts", i, "institutions", j))
    return found


def _figures(content: Content, figure_ids: list[str], chart_ids: list[str]) -> list[Shown]:
    figures, found = content.figures, list[Shown]()
    for cid in chart_ids:
        chart = figures.charts.get(cid)
        if chart is None:
            continue
        found += _walk("figures", ("charts", cid), chart)
        figure_ids = [*figure_ids, *chart.figures, *([chart.series] if chart.series else [])]
    for ident in dict.fromkeys(figure_ids):
        owner = figures.figures.get(ident) or figures.series.get(ident)
        table = "figures" if ident in figures.figures else "series"
        if owner is not None:
            found += _walk("figures", (table, ident), owner)
            found += _walk("figures", ("units", owner.unit), figures.units.get(owner.unit))
    return found


def _pick(origin: str, owner: BaseModel, names: tuple[str, ...], at: KeyPath = ()) -> list[Shown]:
    return [s for name in names for s in _walk(origin, (*at, name), getattr(owner, name))]


def _walk(origin: str, path: KeyPath, value: Any, only: tuple[str, ...] = ()) -> Iterator[Shown]:
    """Every text (a mapping of language -> str) inside `value`, with its key path."""
    if isinstance(value, BaseModel):
        for name in only or tuple(type(value).model_fields):
            yield from _walk(origin, (*path, name), getattr(value, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(origin, (*path, i), item)
    elif isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        yield origin, path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(origin, (*path, key), item)


# --- labels ---------------------------------------------------------------------------------


def read_labels(
    root: Path, languages: list[str], problems: list[Problem]
) -> dict[str, dict[str, Entry]]:
    """The content's own label catalogs, `labels/<lang>.po`, for the configured languages."""
    found: dict[str, dict[str, Entry]] = {}
    for lang in languages:
        path = root / "labels" / f"{lang}.po"
        if not path.is_file():
            continue
        try:
            found[lang] = read_catalog(path, lang)
        except Exception as exc:  # Babel raises several kinds for a broken file
            problems.append(
                Problem(display_path(path), 1, 1, "", f"label catalog cannot be read: {exc}")
            )
    return found


def merged_labels(
    own: dict[str, dict[str, Entry]], languages: list[str]
) -> dict[str, dict[str, str]]:
    """Per language: the shipped labels, overridden by the content's own."""
    return {
        lang: {**shipped(lang), **{k: e.text for k, e in own.get(lang, {}).items() if e.text}}
        for lang in languages
    }


def label_problems(
    root: Path,
    own: dict[str, dict[str, Entry]],
    labels: dict[str, dict[str, str]],
    campaign: Marked,
) -> Iterator[Problem]:
    """Every label without a translation (at its catalog entry, or at the language in
    campaign.yaml when the content has no catalog), and every label no template uses."""
    wanted = label_ids()
    for lang, texts in labels.items():
        if lang == "en":
            continue
        entries = own.get(lang, {})
        file = display_path(root / "labels" / f"{lang}.po")
        for msgid in wanted:
            if texts.get(msgid):
                continue
            message = f"label {msgid!r} has no translation in {lang!r} (it stays English)"
            if msgid in entries:
                yield Problem(file, entries[msgid].line, 1, "", message, "warning")
            else:
                yield campaign.problem(
                    ("languages", lang), f"{message}: add it to {file}", severity="warning"
                )
        for msgid, entry in entries.items():
            if msgid not in wanted:
                yield Problem(
                    file,
                    entry.line,
                    1,
                    "",
                    f"unknown label {msgid!r}: no template shows it",
                    "warning",
                )
