"""Take a chart definition from the content and produce its data context and its pictures.

`chart_context` is pure and light: it turns a chart of the content into a JSON-serialisable
dict (labels, values, formatted values, sources) for one language. `render_chart` draws that
dict with matplotlib (imported there, not here) as SVG for screen, SVG with CMYK colours for
print, or PNG for decks, and caches the result under `<cache_dir>/charts/` by fingerprint.

Pictures never overstate: bars and lines start at zero, a share is drawn out of the whole 100.
The SVGs carry no title and no source line (the brochure prints both as text under the
chart); the PNG for decks draws the source line at its foot so it is on the slide.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content, Figure, Point, Series, Source
from bmr_materials.shared.i18n import N_, QUALIFIERS, Formatter, decimals_of, formatter
from bmr_materials.shared.repro import atomic_write, drawing_digest

CHART_STYLE_VERSION = "8"
MEDIA = {"svg": "svg", "svg-cmyk": "svg", "png": "png"}
FIGSIZE = {"svg": (8.0, 3.8), "svg-cmyk": (8.0, 3.8), "png": (8.0, 4.5)}  # png: 16:9
PNG_DPI = 240  # 1920 x 1080 pixels
DRAWING_CODE = ("bmr_materials.shared.charts", "bmr_materials.shared.fonts")

SOURCE = N_("Source")
SOURCES = N_("Sources")
PERIOD = N_("period")


# --- the context ----------------------------------------------------------------------------


def chart_context(content: Content, chart_id: str, lang: str) -> dict[str, Any]:
    """Everything a renderer needs to draw chart `chart_id` in language `lang`."""
    chart = content.figures.charts[chart_id]
    fmt = formatter(lang, content)
    if chart.series:
        series = content.figures.series[chart.series]
        data = _series_data(series, fmt)
        figure_ids = [chart.series]
    else:
        figs = [content.figures.figures[fid] for fid in chart.figures]
        data = _figure_data(figs, fmt)
        figure_ids = list(chart.figures)
    context = {
        "id": chart_id,
        "kind": chart.kind,
        "lang": lang,
        "locale": fmt.locale,
        "title": chart.title[lang],
        "alt": chart.alt[lang],
        "caption": chart.caption[lang] if chart.caption else None,
        **data,
        "figure_ids": figure_ids,
        "colours": {
            name: {"rgb": c.rgb.upper(), "cmyk": list(c.cmyk)}
            for name, c in content.campaign.brand.colours.items()
        },
        "font": content.campaign.brand.font,
        "script_font": content.campaign.languages[lang].font,
    }
    return {**context, **_shipped_font(content)}


def _shipped_font(content: Content) -> dict[str, Any]:
    """The brand font files the content ships: where they are ("files", left out of
    fingerprints) and their bytes' digest (so a changed file draws the chart again)."""
    from bmr_materials.content.brandfont import faces_digest
    from bmr_materials.shared.fonts import shipped_faces, shipped_font_files

    faces = shipped_faces(content)
    if not faces:
        return {}
    return {"files": shipped_font_files(content), "font_digest": faces_digest(faces)}


def _series_data(series: Series, fmt: Formatter) -> dict[str, Any]:
    points = series.points
    return {
        "categories": [p.period for p in points],
        "values": [float(p.value) for p in points],
        "value_labels": [fmt.figure(p, series) for p in points],
        "short_labels": [_short(p, decimals_of(p, series), series.unit, fmt) for p in points],
        "unit": series.unit,
        "scale": series.scale,
        "decimals": series.decimals,
        "axis_label": fmt.axis_words(series.unit, series.scale),
        "series_label": series.label[fmt.code],
        "period_label": series.period_label[fmt.code],
        "source_line": source_line([(p.source, p.period) for p in points], fmt),
    }


def _figure_data(figs: list[Figure], fmt: Formatter) -> dict[str, Any]:
    labels = [f.label[fmt.code] for f in figs]
    first = figs[0]
    return {
        "categories": distinct_parts(labels),
        "values": [float(f.value) for f in figs],
        "value_labels": [fmt.figure(f) for f in figs],
        "short_labels": [_short(f, f.decimals, f.unit, fmt) for f in figs],
        "unit": first.unit,
        "scale": first.scale,
        "decimals": first.decimals,
        "axis_label": fmt.axis_words(first.unit, first.scale),
        "series_label": labels[0] if len(labels) == 1 else "",
        "period_label": "",
        "source_line": source_line([(f.source, f.period) for f in figs], fmt),
    }


def _short(item: Figure | Point, decimals: int, unit: str, fmt: Formatter) -> str:
    """The number alone (unit on the axis), qualifier kept: 'ca. 21,50', '20,0 %'."""
    if fmt.units[unit].share:
        text = fmt.percent(item.value, decimals)
    else:
        text = fmt.number(item.value, decimals)
    if item.qualifier:
        text = fmt.gettext(QUALIFIERS[item.qualifier]).format(value=text)
    return text


def distinct_parts(labels: list[str]) -> list[str]:
    """Drop the words all labels share at their start: 'Beds in A', 'Beds in B' -> 'A', 'B'."""
    if len(labels) < 2:
        return labels
    words = [label.split() for label in labels]
    common = 0
    while all(len(w) > common + 1 and w[common] == words[0][common] for w in words):
        common += 1
    parts = [" ".join(w[common:]) for w in words]
    return [p[:1].upper() + p[1:] for p in parts] if common else parts


def source_line(items: list[tuple[Source, str]], fmt: Formatter) -> str:
    """'Source: A; period: 2022' or 'Sources: A (2016, 2017); B (2023)': every source and period."""
    by_source: dict[str, list[str]] = {}
    for source, period in items:
        shown = fmt.period(period)
        periods = by_source.setdefault(source.name[fmt.code], [])
        if shown not in periods:
            periods.append(shown)
    if len(by_source) == 1:
        ((name, periods),) = by_source.items()
        return (
            f"{fmt.labelled(fmt.gettext(SOURCE), name)}; "
            f"{fmt.labelled(fmt.gettext(PERIOD), ', '.join(periods))}"
        )
    parts = [f"{name} ({', '.join(periods)})" for name, periods in by_source.items()]
    return fmt.labelled(fmt.gettext(SOURCES), "; ".join(parts))


# --- colours --------------------------------------------------------------------------------


def palette(colours: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Brand colours plus the tints charts use, each with RGB and CMYK."""
    result = {
        name: {"rgb": c["rgb"].upper(), "cmyk": [float(v) for v in c["cmyk"]]}
        for name, c in colours.items()
    }
    for base, factor, name in (
        ("ink", 0.15, "rule"),
        ("ink", 0.55, "muted"),
        ("primary", 0.18, "primary_tint"),
        ("ink", 0.35, "neutral"),
    ):
        result[name] = tint(result[base], factor)
    return result


def tint(colour: dict[str, Any], factor: float) -> dict[str, Any]:
    """`colour` at `factor` strength on white, in RGB and in CMYK alike."""
    rgb = [int(colour["rgb"][i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - v) * factor) for v in rgb]
    return {
        "rgb": "#" + "".join(f"{v:02X}" for v in mixed),
        "cmyk": [round(v * factor, 2) for v in colour["cmyk"]],
    }


def device_cmyk(cmyk: list[float]) -> str:
    """CSS device-cmyk() of C M Y K given in percent."""
    return "device-cmyk(" + " ".join(f"{v / 100:.4g}" for v in cmyk) + ")"


# --- rendering ------------------------------------------------------------------------------


def chart_key(context: dict[str, Any], medium: str) -> str:
    """The fingerprint of one picture: context, medium, style version and the drawing code."""
    code = drawing_digest(DRAWING_CODE, ("matplotlib",))
    blob = json.dumps(
        [context, medium, CHART_STYLE_VERSION, code], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def cached_path(context: dict[str, Any], medium: str, cache_dir: Path) -> Path:
    """Where the picture of `context` in `medium` is cached (it may not be drawn yet)."""
    if medium not in MEDIA:
        raise ValueError(f"unknown chart medium {medium!r} (expected svg, svg-cmyk or png)")
    return Path(cache_dir) / "charts" / f"{chart_key(context, medium)}.{MEDIA[medium]}"


def drawn_medium(medium: str) -> str:
    """The medium drawn to make a picture in `medium`: the print SVG is the screen SVG in CMYK."""
    return "svg" if medium == "svg-cmyk" else medium


def chart_path(context: dict[str, Any], medium: str, cache_dir: Path) -> Path:
    """The cached picture file for `context` in `medium`, drawn if missing. The print SVG is
    the screen SVG with CMYK colours, so it is made from that one, which is drawn once."""
    path = cached_path(context, medium, cache_dir)
    if not path.is_file():
        if medium == "svg-cmyk":
            svg = chart_path(context, "svg", cache_dir).read_text(encoding="utf-8")
            atomic_write(path, svg_to_cmyk(svg, palette(context["colours"])).encode())
        else:
            atomic_write(path, _draw(context, medium))
    return path


def render_chart(context: dict[str, Any], medium: str, cache_dir: Path) -> bytes:
    """The chart as SVG ('svg'), SVG with device-cmyk colours ('svg-cmyk') or PNG ('png')."""
    return chart_path(context, medium, cache_dir).read_bytes()


def svg_to_cmyk(svg: str, colours: dict[str, dict[str, Any]]) -> str:
    """Replace every #RRGGBB in `svg` by the device-cmyk() of the palette colour it is."""
    table = {c["rgb"].upper(): device_cmyk(c["cmyk"]) for c in colours.values()}

    def swap(match: re.Match[str]) -> str:
        found = match.group(0).upper()
        if found not in table:
            raise ValueError(f"chart uses colour {found}, which has no CMYK value")
        return table[found]

    svg = re.sub(r"#[0-9A-Fa-f]{6}\b", swap, svg)
    ink = device_cmyk(colours["ink"]["cmyk"])
    return svg.replace("<svg ", f'<svg fill="{ink}" ', 1)


# --- drawing (matplotlib imported here only) ------------------------------------------------


def _draw(context: dict[str, Any], medium: str) -> bytes:
    """The chart drawn as SVG ('svg') or PNG ('png')."""
    with drawn(context, medium) as fig:
        return _save(fig, context, medium)


@contextmanager
def drawn(context: dict[str, Any], medium: str) -> Iterator[Any]:
    """The matplotlib figure of `context` in `medium`, closed afterwards."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from bmr_materials.shared.fonts import (
        brand_family_files,
        register_matplotlib_family,
        register_matplotlib_files,
        register_matplotlib_fonts,
        shipped_paths,
    )

    # A language's font may lack the semibold the labels ask for: its bold is the right one.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    register_matplotlib_fonts()
    if context.get("files"):  # the brand font the content ships
        register_matplotlib_files(shipped_paths(context["files"]))
    elif brand_family_files(context["font"]):  # an installed brand font
        register_matplotlib_family(context["font"])
    families = [context["font"]]
    if context.get("script_font"):
        register_matplotlib_family(context["script_font"])
        families.append(context["script_font"])
    colours = palette(context["colours"])
    rgb = {name: c["rgb"] for name, c in colours.items()}
    style: Any = {
        "font.family": families,
        "font.size": 12,
        "svg.hashsalt": "ihr-charts",
        "svg.fonttype": "none",  # text as text, set by WeasyPrint in the same font
        "text.parse_math": False,  # "US$ 5 and US$ 6" is text, not mathematics
        "axes.edgecolor": rgb["rule"],
        "axes.linewidth": 0.8,
        "text.color": rgb["ink"],
        "xtick.color": rgb["muted"],
        "ytick.color": rgb["muted"],
        "xtick.labelcolor": rgb["ink"],
        "ytick.labelcolor": rgb["ink"],
        "figure.facecolor": rgb["paper"],
        "axes.facecolor": rgb["paper"],
        "savefig.facecolor": rgb["paper"],
        "path.simplify": False,
        "axes.unicode_minus": True,
    }
    with plt.rc_context(style):
        fig = plt.figure(figsize=FIGSIZE[medium])
        try:
            footer = 0.0
            if medium == "png":
                source = _wrap(context["source_line"], 120)
                footer = 0.035 + 0.042 * (source.count("\n") + 1)
                fig.text(
                    0.025,
                    0.025,
                    source,
                    fontsize=10,
                    color=rgb["muted"],
                    va="bottom",
                    ha="left",
                    linespacing=1.0,
                )
            DRAWERS[context["kind"]](fig, context, rgb, footer)
            yield fig
        finally:
            plt.close(fig)


def _save(fig: Any, context: dict[str, Any], medium: str) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    if medium == "png":
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()
    fig.savefig(
        buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": context["title"]}
    )
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    """`text` in lines of about `width` narrow characters; a wide (CJK) character counts
    two, and text without spaces breaks between characters."""
    import textwrap
    import unicodedata

    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    if wide > len(text) // 3:
        width = max(1, width // 2)
    return "\n".join(textwrap.wrap(text, width)) or text


def _axis_formatter(context: dict[str, Any]) -> Any:
    from babel import numbers
    from matplotlib.ticker import FuncFormatter

    def label(value: float, _pos: int) -> str:
        decimals = 0 if float(value).is_integer() else 1
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return numbers.format_decimal(value, format=pattern, locale=context["locale"])

    return FuncFormatter(label)


def _plain_axes(ax: Any, keep: str) -> None:
    """Only the baseline `keep` ('bottom' or 'left') stays; no box around the plot."""
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(side == keep)
    ax.tick_params(length=0)


def span(values: list[float], headroom: float) -> tuple[float, float]:
    """Axis limits that hold every value and zero, with `headroom` (a share of the range)
    beyond the largest and below the smallest value for their labels."""
    low, high = min(0.0, *values), max(0.0, *values)
    room = (high - low or 1.0) * headroom
    return (low - room if low < 0 else 0.0), (high + room if high > 0 or low == 0 else 0.0)


def _baseline(ax: Any, values: list[float], rgb: dict[str, str], vertical: bool = False) -> None:
    """A zero line where some values are negative (the axis frame is then at the bottom)."""
    if min(values) < 0:
        line = ax.axvline if vertical else ax.axhline
        line(0, color=rgb["muted"], linewidth=0.9, zorder=2.5)


def _draw_bar(fig: Any, ctx: dict[str, Any], rgb: dict[str, str], footer: float) -> None:
    ax = fig.add_axes((0.06, 0.13 + footer, 0.9, 0.78 - footer))
    values, n = ctx["values"], len(ctx["values"])
    colours = [rgb["primary"]] * (n - 1) + [rgb["secondary"]]
    ax.bar(range(n), values, color=colours, width=0.62, zorder=2)
    low, high = span(values, 0.16)
    ax.set_ylim(low, high)
    gap = (high - low) * 0.02
    for i, (value, text) in enumerate(zip(values, ctx["short_labels"], strict=True)):
        below = value < 0
        ax.text(
            i,
            value - gap if below else value + gap,
            text,
            ha="center",
            va="top" if below else "bottom",
            fontsize=11,
            fontweight=600,
            color=rgb["ink"],
        )
    ax.set_xticks(range(n), ctx["categories"])
    ax.set_yticks([])
    _plain_axes(ax, "bottom")
    _baseline(ax, values, rgb)
    ax.tick_params(axis="x", labelsize=12, pad=6)
    if ctx["axis_label"]:
        ax.set_ylabel(ctx["axis_label"], color=rgb["muted"], fontsize=11)


def _draw_line(fig: Any, ctx: dict[str, Any], rgb: dict[str, str], footer: float) -> None:
    ax = fig.add_axes((0.1, 0.13 + footer, 0.86, 0.8 - footer))
    years = [int(c) for c in ctx["categories"]]
    values = ctx["values"]
    for i in range(len(years) - 1):
        (x0, x1), (y0, y1) = years[i : i + 2], values[i : i + 2]
        gap = x1 - x0 > 1
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=rgb["neutral"] if gap else rgb["primary"],
            linewidth=1.4 if gap else 2.6,
            linestyle=(0, (3, 3)) if gap else "-",
            zorder=2,
        )
    ax.plot(
        years,
        values,
        linestyle="none",
        marker="o",
        markersize=7,
        color=rgb["primary"],
        markeredgecolor=rgb["paper"],
        markeredgewidth=1.5,
        zorder=3,
    )
    low, high = span(values, 0.2)
    ax.set_ylim(low, high)
    offset = (high - low) * 0.045
    for x, y, text in zip(years, values, ctx["short_labels"], strict=True):
        below = y < 0
        ax.text(
            x,
            y - offset if below else y + offset,
            text,
            ha="center",
            va="top" if below else "bottom",
            fontsize=10.5,
            fontweight=600,
            color=rgb["ink"],
        )
    ax.set_xticks(range(years[0], years[-1] + 1))
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.yaxis.set_major_formatter(_axis_formatter(ctx))
    ax.grid(axis="y", color=rgb["rule"], linewidth=0.8, zorder=0)
    _plain_axes(ax, "bottom")
    _baseline(ax, values, rgb)
    if ctx["axis_label"]:
        ax.set_ylabel(ctx["axis_label"], color=rgb["muted"], fontsize=11)


def _draw_compare(fig: Any, ctx: dict[str, Any], rgb: dict[str, str], footer: float) -> None:
    ax = fig.add_axes((0.3, 0.2 + footer, 0.62, 0.72 - footer))
    values, n = ctx["values"], len(ctx["values"])
    order = list(range(n))[::-1]  # first figure on top
    colours = [rgb["primary"]] + [rgb["neutral"]] * (n - 1)
    ax.barh(order, values, color=colours, height=0.58, zorder=2)
    low, high = span(values, 0.12)
    ax.set_xlim(low, high)
    for y, value, text in zip(order, values, ctx["short_labels"], strict=True):
        _compare_label(ax, y, value, text, high - low, rgb)
    ax.set_yticks(order, [_wrap(c, 22) for c in ctx["categories"]])
    ax.tick_params(axis="y", labelsize=14, pad=8)
    ax.xaxis.set_major_formatter(_axis_formatter(ctx))
    ax.grid(axis="x", color=rgb["rule"], linewidth=0.8, zorder=0)
    _plain_axes(ax, "left")
    if min(values) < 0:  # the categories stay at the left edge, the zero line shows 0
        ax.spines["left"].set_visible(False)
        _baseline(ax, values, rgb, vertical=True)
    if ctx["axis_label"]:
        ax.set_xlabel(ctx["axis_label"], color=rgb["muted"], fontsize=11)


def _compare_label(
    ax: Any, y: float, value: float, text: str, width: float, rgb: dict[str, str]
) -> None:
    """A value inside the end of its bar, or beyond it when the bar is too short to hold it."""
    from matplotlib.transforms import Bbox

    label = ax.text(0, y, text, fontsize=20, fontweight=700, va="center")
    renderer = ax.figure.canvas.get_renderer()
    inner = Bbox(ax.transData.inverted().transform(label.get_window_extent(renderer)))
    room = inner.width * 1.15 + width * 0.02
    inside = abs(value) >= room
    sign = 1 if value >= 0 else -1
    at = value - sign * width * 0.02 if inside else value + sign * width * 0.02
    label.set_x(at)
    label.set_ha(("right" if inside else "left") if sign > 0 else ("left" if inside else "right"))
    label.set_color(rgb["paper"] if inside else rgb["ink"])


def _draw_share(fig: Any, ctx: dict[str, Any], rgb: dict[str, str], footer: float) -> None:
    from matplotlib.patches import Rectangle

    share = ctx["values"][0]
    filled = round(share)  # one square per percent, out of 100
    fig.text(
        0.05,
        0.62 + footer / 2,
        ctx["short_labels"][0],
        fontsize=54,
        fontweight=700,
        color=rgb["primary"],
        va="center",
        ha="left",
    )
    fig.text(
        0.05,
        0.42 + footer / 2,
        _wrap(ctx["series_label"], 36),
        fontsize=14,
        color=rgb["ink"],
        va="top",
        ha="left",
        linespacing=1.0,
    )
    ax = fig.add_axes((0.52, 0.08 + footer, 0.44, 0.84 - footer))
    ax.set_aspect("equal")
    for index in range(100):
        col, row = divmod(index, 10)
        colour = rgb["primary"] if index < filled else rgb["primary_tint"]
        ax.add_patch(Rectangle((col, 9 - row), 0.84, 0.84, color=colour, linewidth=0))
    ax.set_xlim(-0.1, 10)
    ax.set_ylim(-0.1, 10)
    ax.axis("off")


DRAWERS = {"bar": _draw_bar, "line": _draw_line, "compare": _draw_compare, "share": _draw_share}
