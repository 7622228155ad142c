"""Take a chart context; put a native, editable PowerPoint chart into a slide placeholder.

The chart's data is embedded (PowerPoint's "Edit Data" opens it), its colours are the picture
charts' (shared/charts.py palette: the region in the brand colour, the comparison in neutral
grey), its numbers use the deck language's format (an Excel format code with the locale's
LCID). A series keeps the gaps in its years (an empty category, the line broken there), and
each value label is the value as its source gives it ("about 21.5", not "21.50"). A line's
labels sit above a point, or below it where the line comes down to it from both sides.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from babel import numbers

from bmr_materials.kinds.decks.context import DeckCtx

LCID = {
    "de_DE": "407",
    "en_GB": "809",
    "en_US": "409",
    "fr_FR": "40C",
    "nl_NL": "413",
    "ja_JP": "411",
}
OTHER = "Other"


def number_format(chart: dict[str, Any]) -> str:
    """An Excel number format that prints values as the chart's value labels do."""
    decimals = int(chart.get("decimals", 0))
    code = "#,##0" + ("." + "0" * decimals if decimals else "")
    affixes: Counter[tuple[str, str]] = Counter()
    for value, label in zip(chart["values"], chart["value_labels"], strict=True):
        plain = numbers.format_decimal(value, format=code, locale=chart["locale"])
        if plain in label:
            prefix, suffix = label.split(plain, 1)
            affixes[(prefix, suffix)] += 1
    prefix, suffix = min(affixes, key=lambda a: (len(a[0]), -affixes[a])) if affixes else ("", "")

    def quoted(text: str) -> str:
        return f'"{text}"' if text else ""

    lcid = LCID.get(chart["locale"])
    locale = f"[$-{lcid}]" if lcid else ""
    return f"{locale}{quoted(prefix)}{code}{quoted(suffix)}"


def insert_native_chart(ph: Any, chart: dict[str, Any], deck: DeckCtx) -> Any:
    """Replace placeholder `ph` by a native chart of `chart`; return the graphic frame."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import (
        XL_CHART_TYPE,
        XL_LABEL_POSITION,
        XL_LEGEND_POSITION,
        XL_TICK_LABEL_POSITION,
    )
    from pptx.shapes.placeholder import ChartPlaceholder
    from pptx.util import Pt

    kind = chart["kind"]
    fmt = number_format(chart)
    categories, values, labels_text = with_gaps(chart)
    if kind == "share":
        categories.append(deck.get("other_label", OTHER))
        values.append(100 - sum(v for v in values if v is not None))
        labels_text.append("")
    data = CategoryChartData(number_format=fmt)
    data.categories = categories
    data.add_series(chart.get("series_label") or chart["title"], values)
    chart_type = {
        "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "line": XL_CHART_TYPE.LINE_MARKERS,
        "compare": XL_CHART_TYPE.BAR_CLUSTERED,
        "share": XL_CHART_TYPE.DOUGHNUT,
    }[kind]
    frame = ChartPlaceholder(ph.element, ph._parent).insert_chart(chart_type, data)
    native = frame.chart
    native.font.name = chart.get("font") or deck["font"]
    from bmr_materials.shared.charts import palette

    shades = palette(chart["colours"])
    native.font.size = Pt(14)
    native.has_title = False
    colours = {k: v["rgb"].lstrip("#") for k, v in shades.items()}
    plot = native.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = fmt, False
    labels.font.size = Pt(14)
    series = plot.series[0]
    if kind == "share":
        native.has_legend = True
        native.legend.position, native.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        _colour_points(series, [colours["primary"], "D9DEE0"])
        labels.font.bold, labels.font.size = True, Pt(20)
        labels.font.color.rgb = _rgb("FFFFFF")
        labels.show_value = True
        share = series.points[0].data_label
        share.show_value, share.show_category_name = True, False
        share.font.bold, share.font.size = True, Pt(20)
        share.font.color.rgb = _rgb("FFFFFF")
        series.points[1].data_label.show_value = False  # only the share itself is labelled
        return _tag(frame, deck)
    native.has_legend = False
    if kind == "line":
        series.format.line.color.rgb = _rgb(colours["primary"])
        series.format.line.width = Pt(3)
        series.smooth = False
        labels.position = XL_LABEL_POSITION.ABOVE
        places = [
            XL_LABEL_POSITION.BELOW if below else XL_LABEL_POSITION.ABOVE for below in dips(values)
        ]
    else:
        plot.gap_width = 60
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        fills = [colours["primary"]] * len(values)
        if kind == "compare":
            fills = [colours["primary"]] + [colours["neutral"]] * (len(values) - 1)
            native.category_axis.reverse_order = True
        _colour_points(series, fills)
        series.invert_if_negative = False
        places = [XL_LABEL_POSITION.OUTSIDE_END] * len(values)
    _source_labels(series, values, labels_text, places, labels.font.size)
    value_axis = native.value_axis
    shown = [v for v in values if v is not None]
    low = min(0.0, *shown)
    value_axis.maximum_scale = _headroom(max(shown))  # room above the highest label
    # Negative values: the axis reaches below them and categories sit at its low end,
    # clear of the bars; positive ones start at zero.
    value_axis.minimum_scale = low * 1.15 if low < 0 else 0
    if low < 0:
        native.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("D9DEE0")
    value_axis.tick_labels.number_format = number_format({**chart, "decimals": 0})
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.visible = kind != "compare"
    return _tag(frame, deck)


def with_gaps(chart: dict[str, Any]) -> tuple[list[str], list[float | None], list[str]]:
    """Categories, values and value labels; a series over years gets every year between its
    first and last, with no value (None) where its source has none."""
    categories, values = list(chart["categories"]), list(chart["values"])
    labels = list(chart["short_labels"])
    if chart["kind"] not in ("bar", "line") or not all(c.isdigit() for c in categories):
        return categories, values, labels
    years = range(int(categories[0]), int(categories[-1]) + 1)
    known = {int(c): (v, t) for c, v, t in zip(categories, values, labels, strict=True)}
    return (
        [str(y) for y in years],
        [known[y][0] if y in known else None for y in years],
        [known[y][1] if y in known else "" for y in years],
    )


def dips(values: list[float | None]) -> list[bool]:
    """For each point of a line, whether both its neighbours (that have values) are higher,
    so that its label goes below it, clear of the line."""
    result = []
    for n, value in enumerate(values):
        near = [
            v
            for v in (values[n - 1] if n else None, values[n + 1] if n + 1 < len(values) else None)
            if v is not None
        ]
        result.append(value is not None and bool(near) and all(v > value for v in near))
    return result


def _headroom(high: float) -> float:
    """A round axis maximum about a fifth above `high`."""
    import math

    if high <= 0:
        return 0.0
    target = high * 1.2
    step = 10 ** math.floor(math.log10(target))
    return math.ceil(target / step) * step


def _source_labels(
    series: Any, values: list[float | None], texts: list[str], places: list[Any], size: Any
) -> None:
    """Each labelled point shows its value as the source gives it ('about 21.5'), placed
    at `places` (a label with its own text keeps no position of the series')."""
    for n, (value, label, place) in enumerate(zip(values, texts, places, strict=True)):
        if value is None or not label:
            continue
        data_label = series.points[n].data_label
        data_label.text_frame.text = label
        data_label.text_frame.paragraphs[0].runs[0].font.size = size
        data_label.position = place


def _rgb(hex_: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_)


def _colour_points(series: Any, fills: list[str]) -> None:
    for n, colour in enumerate(fills):
        point = series.points[n]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)


def _tag(frame: Any, deck: DeckCtx) -> Any:
    """The deck's language and fonts (brand, and the language's East Asian one) on the
    chart's text properties."""
    from pptx.oxml.ns import qn

    from bmr_materials.kinds.decks.render import set_fonts

    space = frame.chart._chartSpace
    for node in space.iter(qn("a:endParaRPr"), qn("a:defRPr"), qn("a:rPr")):
        if node.tag != qn("a:defRPr"):
            node.set("lang", deck["tag"])
        set_fonts(node, deck["font"], deck.get("script_font") or deck["font"])
    return frame
