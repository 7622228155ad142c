"""Take validated content and the deck master; produce the problems that would otherwise stop
a deck render: a slide kind whose layout the master lacks, a layout without a placeholder
for what the slide shows, more key figures than the layout has places, a chart without the
caption its layout shows.

Each slide is laid on its layout in a scratch presentation (no text is written or measured),
so `check` finds these before any renderer runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content
from bmr_materials.content.yamlsafe import Marked
from bmr_materials.errors import Problem, TemplateError, display_path
from bmr_materials.kinds.decks import layouts
from bmr_materials.kinds.decks.context import deck_context, template_path


def check_decks(content: Content, origins: dict[str, Marked],
                template: Path | None) -> list[Problem]:
    """Every deck problem that depends on the content and the master it is built on."""
    path = template_path(content, template)
    campaign = origins["campaign"]
    try:
        prs = layouts.open_template(path)
    except TemplateError as exc:
        return [campaign.problem(("settings", "deck_template"), str(exc))]
    label = display_path(path)
    names = {layout.name: layout for layout in prs.slide_layouts}
    found: list[Problem] = []
    for did in sorted(content.decks):
        marked = origins[f"decks/{did}"]
        context = deck_context(content, did, content.languages[0], native_charts=False,
                               template=template)
        for i, slide in enumerate(context["slides"]):
            problem = _slide_problem(prs, names, slide, label)
            if problem:
                found.append(marked.problem(("slides", i, *problem[0]), problem[1]))
    return found


def _slide_problem(prs: Any, names: dict[str, Any], slide: dict[str, Any],
                   label: str) -> tuple[tuple[str, ...], str] | None:
    """(key inside the slide, message) of what stops this slide, or None."""
    layout = names.get(slide["layout"])
    if layout is None:
        return ("kind",), (f"a {slide['kind']} slide needs the layout {slide['layout']!r}, "
                           f"which deck template {label} lacks (its layouts: "
                           f"{', '.join(repr(n) for n in names)})")
    roles = list(slide["texts"]) + (["figure"] if "figures" in slide else [])
    roles += [r for r in ("chart", "qr") if r in slide]
    try:
        found = layouts.resolve(prs.slides.add_slide(layout), roles, label)
    except TemplateError as exc:
        return ("kind",), str(exc)
    if "caption" in found and not slide["texts"].get("caption"):
        return ("chart",), (f"chart {slide['chart']['id']!r} has no caption, but layout "
                            f"{slide['layout']!r} of {label} shows one (give the chart a "
                            "caption in figures.yaml)")
    figures, places = len(slide.get("figures", [])), len(found.get("figure", []))
    if figures > places:
        return ("figures",), (f"{figures} figures, but layout {slide['layout']!r} of {label} "
                              f"has places for {places}")
    return None
