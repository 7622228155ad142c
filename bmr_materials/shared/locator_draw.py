"""Draw the locator map with matplotlib: Europe with the country and the region marked, a
frame around the region, and beside it the region enlarged with its cities named.

`locator_map.py` holds the map's context, projection and data, and saves what this draws.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bmr_materials.shared.locator_map import (
    MapContext,
    Point,
    project,
    projected,
    projected_countries,
)
from bmr_materials.shared.map_geometry import Window, shown_rings

EUROPE = (-10.5, 35.5, 31.0, 62.5)  # west, south, east, north of the Europe view
# Land is simplified to within TOLERANCE points of the figure: 0.15 pt is 0.03 mm on the
# brochure's 128 mm wide map and half a pixel of the decks' PNG. It is clipped to its view
# widened by CLIP_MARGIN of its width, so the edges the clipping adds lie outside the view.
TOLERANCE = 0.15
CLIP_MARGIN = 0.02


@contextmanager
def drawn_map(context: MapContext, size: tuple[float, float], rgb: dict[str, str]) -> Iterator[Any]:
    """The drawn map, `size` inches, inside its style (saving needs the style too), closed
    afterwards; `rgb` maps the palette's names to #RRGGBB."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from bmr_materials.shared.fonts import register_matplotlib_family, register_matplotlib_fonts

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    register_matplotlib_fonts()
    families = [context.font]
    if context.script_font:
        register_matplotlib_family(context.script_font)
        families.append(context.script_font)
    style: Any = {
        "font.family": families,
        "svg.hashsalt": "ihr-maps",
        "svg.fonttype": "path",
        "text.parse_math": False,  # names are text, whatever they hold
        "text.color": rgb["ink"],
        "figure.facecolor": rgb["paper"],
        "savefig.facecolor": rgb["paper"],
        "path.simplify": False,
    }
    with plt.rc_context(style):
        fig = plt.figure(figsize=size)
        europe = fig.add_axes((0.0, 0.0, 0.5, 1.0))
        detail = fig.add_axes((0.53, 0.06, 0.45, 0.88))
        region = projected(context.outline)
        around = _bounds(region + [project(c.lon, c.lat) for c in context.cities], 0.18)
        window = _fitted(detail, around, crop=False)
        _draw_europe(europe, context, rgb, region, window)
        _draw_detail(detail, context, rgb, region, window)
        _connect(fig, europe, detail, window, rgb)
        try:
            yield fig
        finally:
            plt.close(fig)


def _land(ax: Any, context: MapContext, rgb: dict[str, str], edge: float, view: Window) -> None:
    """Every country in the land colour, the marked one in the primary tint; white borders.
    Only what `view` shows is drawn, simplified to TOLERANCE, as one compound path per colour
    (few, cheap SVG elements; the view's limits are set by `_frame`, not from the land)."""
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path

    x0, y0, x1, y1 = view
    room = (x1 - x0) * CLIP_MARGIN
    window = (x0 - room, y0 - room, x1 + room, y1 + room)
    points = ax.get_position().width * ax.figure.get_size_inches()[0] * 72
    tolerance = (x1 - x0) / points * TOLERANCE
    rings: dict[bool, list[Any]] = {True: [], False: []}
    for code, country in projected_countries():
        shown = shown_rings(country, window, tolerance)
        rings[code == context.country] += [Path([*ring, ring[0]], closed=True) for ring in shown]
    for marked, colour, zorder in ((False, rgb["land"], 1), (True, rgb["primary_tint"], 2)):
        ax.add_collection(
            PathCollection(
                [Path.make_compound_path(*rings[marked])],
                facecolors=colour,
                edgecolors=rgb["paper"],
                linewidths=edge,
                zorder=zorder,
            ),
            autolim=False,
        )


def _bounds(points: list[Point], margin: float) -> Window:
    """The window around `points`, widened by `margin` of their larger side."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    room = max(max(xs) - min(xs), max(ys) - min(ys)) * margin
    return min(xs) - room, min(ys) - room, max(xs) + room, max(ys) + room


def _fitted(ax: Any, window: Window, crop: bool) -> Window:
    """`window` in the proportions of the axes `ax`: widened on its short side, or (`crop`)
    cut on its long side, around the same centre."""
    x0, y0, x1, y1 = window
    box = ax.get_position()
    width, height = ax.figure.get_size_inches()
    aspect = (box.height * height) / (box.width * width)
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    pick = min if crop else max
    w, h = pick(w, h / aspect), pick(h, w * aspect)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _frame(ax: Any, window: Window) -> None:
    """Show exactly `window` (fitted to the axes), true to scale, without ticks."""
    x0, y0, x1, y1 = window
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])


def _draw_europe(
    ax: Any,
    context: MapContext,
    rgb: dict[str, str],
    region: list[Point],
    window: Window,
) -> None:
    from matplotlib.patches import Polygon, Rectangle

    west, south, east, north = EUROPE
    corners = [project(west, south), project(east, south), project(west, north)]
    corners.append(project(east, north))
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    view = _fitted(ax, (min(xs[0], xs[2]), min(ys[:2]), max(xs[1], xs[3]), max(ys[2:])), crop=True)
    _land(ax, context, rgb, 0.5, view)
    ax.add_patch(Polygon(region, closed=True, facecolor=rgb["primary"], linewidth=0, zorder=3))
    x0, y0, x1, y1 = window
    ax.add_patch(
        Rectangle(
            (x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=rgb["ink"], linewidth=0.8, zorder=4
        )
    )
    _frame(ax, view)
    ax.axis("off")


def _draw_detail(
    ax: Any,
    context: MapContext,
    rgb: dict[str, str],
    region: list[Point],
    window: Window,
) -> None:
    from matplotlib.patches import Polygon

    _land(ax, context, rgb, 1.2, window)
    ax.add_patch(
        Polygon(
            region,
            closed=True,
            facecolor=rgb["region_fill"],
            edgecolor=rgb["primary"],
            linewidth=1.6,
            joinstyle="round",
            zorder=3,
        )
    )
    _frame(ax, window)
    for spine in ax.spines.values():
        spine.set(color=rgb["ink"], linewidth=0.8, zorder=6)
    ax.text(
        0.04,
        0.95,
        context.label,
        transform=ax.transAxes,
        fontsize=16,
        fontweight=700,
        color=rgb["primary"],
        va="top",
        ha="left",
        zorder=7,
    )
    _cities(ax, context, rgb)


def _cities(ax: Any, context: MapContext, rgb: dict[str, str]) -> None:
    """A dot per city and its name beside it, where it overlaps no other name or dot."""
    from matplotlib import patheffects

    points = [project(c.lon, c.lat) for c in context.cities]
    ax.scatter(
        [p[0] for p in points],
        [p[1] for p in points],
        s=34,
        color=rgb["ink"],
        edgecolors=rgb["paper"],
        linewidths=1.2,
        zorder=5,
    )
    renderer = ax.figure.canvas.get_renderer()
    dots = [_dot_box(ax, p, renderer) for p in points]
    placed: list[Any] = []
    for city, point in zip(context.cities, points, strict=True):
        label = ax.text(*point, city.name, fontsize=11, fontweight=600, zorder=7)
        _place(label, point, renderer, placed + dots)
        placed.append(label.get_window_extent(renderer).expanded(1.06, 1.1))
        # a paper-coloured outline of the same text under it keeps it legible on lines
        halo = ax.text(*point, city.name, fontsize=11, fontweight=600, zorder=6)
        halo.update_from(label)
        halo.set(color=rgb["paper"], transform=label.get_transform())
        halo.set_path_effects([patheffects.Stroke(linewidth=3, foreground=rgb["paper"])])
        label.set_color(rgb["ink"])


PLACES = (  # offset in points, horizontal and vertical alignment
    ((7, 0), "left", "center"),
    ((-7, 0), "right", "center"),
    ((0, 6), "center", "bottom"),
    ((0, -6), "center", "top"),
    ((6, 4), "left", "bottom"),
    ((-6, -4), "right", "top"),
)


def _place(label: Any, point: Point, renderer: Any, taken: list[Any]) -> None:
    from matplotlib.transforms import offset_copy

    ax = label.axes
    for (dx, dy), ha, va in PLACES:
        label.set_transform(offset_copy(ax.transData, fig=ax.figure, x=dx, y=dy, units="points"))
        label.set_ha(ha)
        label.set_va(va)
        box = label.get_window_extent(renderer)
        if not any(box.overlaps(other) for other in taken):
            return
    label.set_transform(offset_copy(ax.transData, fig=ax.figure, x=7, y=0, units="points"))
    label.set_ha("left")
    label.set_va("center")


def _dot_box(ax: Any, point: Point, renderer: Any) -> Any:
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform(point)
    r = 4 * ax.figure.dpi / 72
    return Bbox([[x - r, y - r], [x + r, y + r]])


def _connect(fig: Any, europe: Any, detail: Any, window: Window, rgb: dict[str, str]) -> None:
    """Lines from the marked window on the Europe map to the enlarged view's corners."""
    from matplotlib.patches import ConnectionPatch

    _, y0, x1, y1 = window
    for corner, (tx, ty) in (((x1, y1), (0, 1)), ((x1, y0), (0, 0))):
        fig.add_artist(
            ConnectionPatch(
                xyA=corner,
                coordsA=europe.transData,
                xyB=(tx, ty),
                coordsB=detail.transAxes,
                color=rgb["muted"],
                linewidth=0.7,
                zorder=8,
            )
        )
