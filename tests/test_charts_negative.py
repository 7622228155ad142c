"""Negative values and zero in every chart kind: axes hold them, labels never collide."""

from __future__ import annotations

from typing import Any

import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.shared import charts

CASES = {
    "bar": [12.0, -4.5, 0.0, 7.25, -9.0],
    "line": [3.0, -2.0, -6.5, 0.0, 4.0],
    "compare": [-3.2, 0.0, 8.0],
}


def _context(loaded: Loaded, kind: str, values: list[float], lang: str) -> dict[str, Any]:
    """A chart context of the shipped content with other values (a growth rate may fall)."""
    chart_id = {"bar": "employees_trend", "line": "turnover_trend", "compare": "hospital_density"}[
        kind
    ]
    ctx = charts.chart_context(loaded.content, chart_id, lang)
    fmt = charts.formatter(lang, loaded.content)
    n = len(values)
    return {
        **ctx,
        "kind": kind,
        "values": values,
        "categories": (
            [str(2016 + i) for i in range(n)]
            if kind != "compare"
            else [f"Region {chr(65 + i)}" for i in range(n)]
        ),
        "short_labels": [fmt.number(v, 1) for v in values],
    }


def _boxes(fig: Any) -> tuple[Any, list[Any], list[Any]]:
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text()]
    ticks = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    return renderer, labels, ticks


@pytest.mark.parametrize("lang", ["de", "ja"])
@pytest.mark.parametrize("kind", sorted(CASES))
@pytest.mark.parametrize("medium", ["svg", "png"])
def test_negative_values_are_drawn_inside_the_axes_without_collisions(
    loaded: Loaded, kind: str, lang: str, medium: str
) -> None:
    values = CASES[kind]
    ctx = _context(loaded, kind, values, lang)
    with charts.drawn(ctx, medium) as fig:
        ax = fig.axes[0]
        low, high = ax.get_xlim() if kind == "compare" else ax.get_ylim()
        assert low < min(values) and high > max(values)
        renderer, labels, ticks = _boxes(fig)
        assert [t.get_text() for t in labels] == ctx["short_labels"]
        extents = [t.get_window_extent(renderer) for t in labels]
        for i, box in enumerate(extents):
            assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
            for other in extents[i + 1 :]:
                assert not box.overlaps(other), "two value labels overlap"
            for tick in ticks:
                assert not box.overlaps(tick.get_window_extent(renderer)), (
                    f"value label {labels[i].get_text()!r} overlaps axis label {tick.get_text()!r}"
                )


def test_a_short_or_zero_bar_has_its_value_beside_it_in_ink(loaded: Loaded) -> None:
    ctx = _context(loaded, "compare", [-3.2, 0.0, 8.0], "en")
    with charts.drawn(ctx, "svg") as fig:
        ink, paper = (charts.palette(ctx["colours"])[k]["rgb"] for k in ("ink", "paper"))
        colours = {t.get_text(): t.get_color().upper() for t in fig.axes[0].texts}
    assert colours["0.0"] == ink and colours["8.0"] == paper


def test_every_chart_kind_draws_a_negative_growth_rate(loaded: Loaded, tmp_path: Any) -> None:
    """The real pictures: a bar chart of a falling series renders to SVG and PNG."""
    ctx = _context(loaded, "bar", CASES["bar"], "fr")
    svg = charts.render_chart(ctx, "svg", tmp_path)
    assert svg.startswith(b"<?xml") and b"<path" in svg
    assert charts.render_chart(ctx, "png", tmp_path)[:4] == b"\x89PNG"


@pytest.mark.slow
def test_native_charts_hold_negative_values(loaded: Loaded, tmp_path: Any) -> None:
    """A native (editable) column chart of a falling series: the value axis reaches below the
    lowest value and the categories sit at its low end, clear of the bars."""
    import io

    from pptx import Presentation
    from pptx.oxml.ns import qn

    from bmr_materials.kinds.decks.context import deck_context
    from bmr_materials.kinds.decks.render import render_deck

    ctx = deck_context(
        loaded.content, "international-health-ruhr", "ja", native_charts=True, template=None
    )
    slide = next(s for s in ctx["slides"] if s.get("chart", {}).get("kind") == "bar")
    values = CASES["bar"] + [2.0, 1.0, -0.5][: len(slide["chart"]["values"]) - 5]
    fmt = charts.formatter("ja", loaded.content)
    slide["chart"] = {
        **slide["chart"],
        "values": values,
        "value_labels": [fmt.number(v, 1) for v in values],
    }
    deck = Presentation(io.BytesIO(render_deck(ctx, tmp_path)))
    chart = next(s for s in deck.slides[slide["number"] - 1].shapes if s.has_chart).chart
    assert list(chart.plots[0].series[0].values) == pytest.approx(values)
    assert chart.value_axis.minimum_scale < min(values)
    space = chart._chartSpace
    assert space.find(f".//{qn('c:catAx')}/{qn('c:tickLblPos')}").get("val") == "low"
    assert space.find(f".//{qn('c:invertIfNegative')}").get("val") == "0"
    eas = {e.get("typeface") for e in space.iter(qn("a:ea"))}
    assert eas == {"Noto Sans CJK JP"}
