"""Take the content's layout map (`settings.deck_layouts`) and a deck master; produce which
layout each slide kind is built on, which placeholders (by idx) take which role, and every
problem of the map, at its line in campaign.yaml, with what the master has instead.

A client's master names its layouts and placeholders its own way: the map says which of its
layouts plays the title, key figures, chart ... slide, and which placeholder idx takes a role
whose placeholder is not named as the builder names it.
"""

from __future__ import annotations

from typing import Any

from bmr_materials.content.model import Content
from bmr_materials.content.yamlsafe import Marked
from bmr_materials.errors import Problem, did_you_mean
from bmr_materials.kinds.decks import layouts

ROLES = (*layouts.ROLES, "qr", "qr_caption")  # the roles a layout map may place by idx


def layout_of(content: Content, kind: str, default: str) -> str:
    """The master layout slide kind `kind` is built on: the map's, else the builder's name."""
    mapped = content.campaign.settings.deck_layouts.get(kind)
    return mapped.layout if mapped else default


def placeholder_map(content: Content) -> dict[str, dict[str, list[int]]]:
    """Layout name -> role -> placeholder idx values, from the map."""
    return {
        m.layout: {role: list(idx) for role, idx in m.placeholders.items()}
        for m in content.campaign.settings.deck_layouts.values()
        if m.placeholders
    }


def check_map(
    content: Content, marked: Marked, prs: Any, label: str, kinds: tuple[str, ...]
) -> list[Problem]:
    """Every slide kind, layout and placeholder the map names that the master lacks."""
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    found: list[Problem] = []
    for kind, mapped in content.campaign.settings.deck_layouts.items():
        at = ("settings", "deck_layouts", kind)
        if kind not in kinds:
            found.append(
                marked.problem(at, f"unknown slide kind {kind!r}{did_you_mean(kind, kinds)}")
            )
            continue
        layout = layouts.get(mapped.layout)
        if layout is None:
            have = ", ".join(repr(n) for n in layouts)
            found.append(
                marked.problem(
                    (*at, "layout"),
                    f"deck template {label} has no layout {mapped.layout!r} (its layouts: {have})",
                )
            )
            continue
        found += _placeholders(marked, at, layout, mapped.placeholders, label)
    return found


def _placeholders(
    marked: Marked, at: tuple[str, ...], layout: Any, wanted: dict[str, list[int]], label: str
) -> list[Problem]:
    have = {ph.placeholder_format.idx: ph for ph in layout.placeholders}
    shown = ", ".join(
        f"{idx} {ph.name!r} ({str(ph.placeholder_format.type).split()[0].lower()})"
        for idx, ph in sorted(have.items())
    )
    found = []
    for role, indices in wanted.items():
        if role not in ROLES:
            found.append(
                marked.problem(
                    (*at, "placeholders", role),
                    f"unknown role {role!r}{did_you_mean(role, ROLES)}",
                )
            )
            continue
        missing = [i for i in indices if i not in have]
        if missing:
            found.append(
                marked.problem(
                    (*at, "placeholders", role),
                    f"layout {layout.name!r} of deck template {label} has no "
                    f"placeholder idx {', '.join(map(str, missing))} (it has: {shown})",
                )
            )
    return found
