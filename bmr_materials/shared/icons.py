"""Take an icon name of the content and produce the icon in a brand colour: SVG for
brochures and fact sheets, SVG with device-cmyk() colours for print, PNG for decks.

The icons are the Lucide set (ISC licence) from the installed `lucide` package
(`content/iconset.py` reads it and validates the content's `icon:` keys). Usage:

    from bmr_materials.shared.icons import icon_png, icon_svg, icon_svg_cmyk

    icon_svg("heart-pulse", "#00A19A", 24)              # screen: stroke in the colour
    icon_svg_cmyk("heart-pulse", "#00A19A", 24, colours)  # print: colours = charts.palette(...)
    icon_png("heart-pulse", "#00A19A", 512)             # decks (python-pptx takes no SVG)

Same name, colour and size give the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from bmr_materials.content.iconset import icon_names, icon_set_version, icon_source
from bmr_materials.errors import did_you_mean
from bmr_materials.shared.charts import svg_to_cmyk

SVG_NS = "http://www.w3.org/2000/svg"
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
STROKE = ("stroke-width", "stroke-linecap", "stroke-linejoin")


def icon_svg(name: str, colour_hex: str, size_pt: float) -> str:
    """Icon `name` as a standalone SVG `size_pt` points square, drawn in `colour_hex`."""
    if not HEX.match(colour_hex):
        raise ValueError(f"colour {colour_hex!r} is not #RRGGBB")
    if size_pt <= 0:
        raise ValueError(f"icon size must be positive, got {size_pt}")
    from defusedxml.ElementTree import fromstring

    root = fromstring(_source(name))
    strokes = "".join(f' {key}="{root.get(key)}"' for key in STROKE if root.get(key))
    shapes = "".join(_plain(child) for child in root)
    size = f"{size_pt:g}pt"
    # fill="none" sits on the group, not the root: print adds the ink as the root's fill
    return (
        f'<svg xmlns="{SVG_NS}" width="{size}" height="{size}" '
        f'viewBox="{root.get("viewBox", "0 0 24 24")}">'
        f'<g fill="none" stroke="{colour_hex.upper()}"{strokes}>{shapes}</g></svg>'
    )


def icon_svg_cmyk(name: str, colour_hex: str, size_pt: float, colours: dict[str, Any]) -> str:
    """`icon_svg` for print: its colour as device-cmyk() from `colours` (a palette as
    `charts.palette` gives it, which must hold `colour_hex`), as the charts go to print."""
    return svg_to_cmyk(icon_svg(name, colour_hex, size_pt), colours)


def icon_png(name: str, colour_hex: str, px: int, cache_dir: Path | None = None) -> bytes:
    """Icon `name` as a PNG `px` pixels square on a transparent ground (rendered by CairoSVG),
    kept in the render cache `cache_dir` by name, colour, size and icon set version."""
    from bmr_materials.shared.svgpng import cached_png, svg_png

    def draw() -> bytes:
        svg = icon_svg(name, colour_hex, px * 0.75)  # 1 px = 0.75 pt
        return svg_png(svg.encode(), px, px)

    key = f"{name} {colour_hex.upper()} {px} lucide {icon_set_version()}"
    return cached_png(cache_dir, "deck-icons", key, draw)


def _source(name: str) -> bytes:
    try:
        return icon_source(name)
    except KeyError:
        raise ValueError(f"unknown icon {name!r}{did_you_mean(name, icon_names())}") from None


def _plain(element: ElementTree.Element) -> str:
    """`element` serialised without the SVG namespace prefix (the root declares it)."""
    for node in element.iter():
        node.tag = node.tag.removeprefix("{" + SVG_NS + "}")
    return ElementTree.tostring(element, encoding="unicode").strip()
