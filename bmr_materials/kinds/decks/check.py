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
from bmr_materials.kinds.decks.context import (
    LAYOUTS,
    PROJECT,
    SlideCtx,
    deck_context,
    template_path,
)
from bmr_materials.kinds.decks.layoutmap import check_map, placeholder_map
from bmr_materials.kinds.decks.render import PICTURES


def check_decks(
    content: Content, origins: dict[str, Marked], template: Path | None
) -> list[Problem]:
    """Every deck problem that depends on the content and the master it is built on."""
    path = template_path(content, template)
    campaign = origins["campaign"]
    try:
        prs = layouts.open_template(path)
    except TemplateError as exc:
        return [campaign.problem(("settings", "deck_template"), str(exc))]
    label = display_path(path)
    found = check_map(content, campaign, prs, label, tuple(LAYOUTS))
    if found:  # the slides would only repeat what the map lacks
        return found
    places = _Places(prs, label, placeholder_map(content))
    for did in sorted(content.decks):
        marked = origins[f"decks/{did}"]
        context = deck_context(
            content, did, content.languages[0], native_charts=False, template=template
        )
        for i, slide in enumerate(context["slides"]):
            problem = _slide_problem(places, slide, label)
            if problem:
                found.append(marked.problem(("slides", i, *problem[0]), problem[1]))
    return found


class _Places:
    """The placeholders each (layout, roles) pair offers, found once on a scratch slide."""

    def __init__(self, prs: Any, label: str, mapped: dict[str, dict[str, list[int]]]) -> None:
        self.prs, self.label, self.mapped = prs, label, mapped
        self.layouts = {layout.name: layout for layout in prs.slide_layouts}
        self.found: dict[tuple[str, tuple[str, ...]], dict[str, int] | str] = {}
        self.inherit = layouts.Inheritance()

    def of(self, layout: str, roles: tuple[str, ...]) -> dict[str, int] | str:
        """role -> number of placeholders, or why the layout cannot take the roles."""
        key = (layout, roles)
        if key not in self.found:
            slide = self.prs.slides.add_slide(self.layouts[layout])
            try:
                resolved = layouts.resolve(
                    slide, list(roles), self.label, self.mapped.get(layout), self.inherit
                )
                self.found[key] = {role: len(phs) for role, phs in resolved.items()}
            except TemplateError as exc:
                self.found[key] = str(exc)
        return self.found[key]


def _picture_problem(name: str) -> str | None:
    """Why the photograph `name` cannot be shown, or None: it must be a JPEG or PNG file
    under assets/."""
    from PIL import Image, UnidentifiedImageError

    assets = (PROJECT / "assets").resolve()
    path = (PROJECT / name).resolve()
    if not path.is_relative_to(assets):
        return f"picture {name!r} is not under assets/"
    if not path.is_file():
        return f"picture {name!r} not found"
    try:
        with Image.open(path) as image:
            kind = image.format
    except (UnidentifiedImageError, OSError):
        kind = None
    if kind not in ("JPEG", "PNG"):
        return f"picture {name!r} is not a JPEG or PNG image"
    return None


def _slide_problem(
    places: _Places, slide: SlideCtx, label: str
) -> tuple[tuple[str, ...], str] | None:
    """(key inside the slide, message) of what stops this slide, or None."""
    if slide["layout"] not in places.layouts:
        return ("kind",), (
            f"a {slide['kind']} slide needs the layout {slide['layout']!r}, "
            f"which deck template {label} lacks (its layouts: "
            f"{', '.join(repr(n) for n in places.layouts)})"
        )
    roles = list(slide["texts"]) + (["figure"] if "figures" in slide else [])
    roles += [r for r in PICTURES if r in slide]
    found = places.of(slide["layout"], tuple(roles))
    if isinstance(found, str):
        return ("kind",), found
    if "picture" in slide:
        problem = _picture_problem(slide["picture"]["file"])
        if problem:
            return ("picture", "file"), problem
    figures, room = len(slide.get("figures", [])), found.get("figure", 0)
    if figures > room:
        return ("figures",), (
            f"{figures} figures, but layout {slide['layout']!r} of {label} has places for {room}"
        )
    return None
