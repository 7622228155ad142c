"""Charts: the data context per language, honest pictures, CMYK for print, caching."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.shared import charts


@pytest.fixture(scope="module")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chart-cache")


def test_context_is_json_and_light(loaded: Loaded) -> None:
    for chart_id in loaded.content.figures.charts:
        for lang in loaded.content.languages:
            ctx = charts.chart_context(loaded.content, chart_id, lang)
            assert json.loads(json.dumps(ctx)) == ctx
            assert ctx["kind"] in {"bar", "line", "compare", "share"}
            assert len(ctx["categories"]) == len(ctx["values"]) == len(ctx["value_labels"])
            assert ctx["source_line"]
    code = "import sys, bmr_materials.shared.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_compare_and_share_figures(loaded: Loaded) -> None:
    de = charts.chart_context(loaded.content, "hospital_density", "de")
    en = charts.chart_context(loaded.content, "hospital_density", "en")
    assert de["values"] == [737.0, 573.0]
    assert de["categories"] == ["Im Ruhrgebiet", "In Deutschland"]
    assert en["categories"] == ["The Ruhr", "Germany"]
    assert de["axis_label"] == "je 100.000 Einwohner:innen"
    assert sorted(de["figure_ids"]) == ["germany_beds_per_100k", "ruhr_beds_per_100k"]
    share = charts.chart_context(loaded.content, "health_share", "de")
    assert share["value_labels"] == ["20,0\xa0%"]
    assert charts.chart_context(loaded.content, "health_share", "en")["value_labels"] == ["20.0%"]


def test_source_line_names_every_source_and_period(loaded: Loaded) -> None:
    ctx = charts.chart_context(loaded.content, "hospital_density", "de")
    assert ctx["source_line"].startswith("Quellen: ")
    assert "bpb" in ctx["source_line"] and "(2022)" in ctx["source_line"]
    share = charts.chart_context(loaded.content, "health_share", "en")
    assert share["source_line"].startswith("Source: ") and share["source_line"].endswith(
        "; period: 2023"
    )


def test_distinct_parts() -> None:
    assert charts.distinct_parts(["Beds in the Ruhr", "Beds in Germany"]) == ["The Ruhr", "Germany"]
    assert charts.distinct_parts(["A b", "A b"]) == ["B", "B"]
    assert charts.distinct_parts(["Only one"]) == ["Only one"]


def test_svg_cmyk_has_no_rgb_and_is_cached(loaded: Loaded, chart_cache: Path) -> None:
    ctx = charts.chart_context(loaded.content, "hospital_density", "en")
    svg = charts.render_chart(ctx, "svg-cmyk", chart_cache).decode()
    assert not re.search(r"#[0-9A-Fa-f]{6}\b", svg)
    assert "device-cmyk(1 0.25 0.15 0.5)" in svg  # primary
    path = charts.chart_path(ctx, "svg-cmyk", chart_cache)
    assert path.parent == chart_cache / "charts"
    before = path.stat().st_mtime_ns
    assert charts.render_chart(ctx, "svg-cmyk", chart_cache).decode() == svg
    assert path.stat().st_mtime_ns == before


def test_print_svg_is_the_screen_svg_in_cmyk_drawn_once(
    loaded: Loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = charts.chart_context(loaded.content, "employees_trend", "de")
    drawn: list[str] = []
    draw = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda c, m: drawn.append(m) or draw(c, m))
    cmyk = charts.render_chart(ctx, "svg-cmyk", tmp_path).decode()
    svg = charts.render_chart(ctx, "svg", tmp_path).decode()
    assert drawn == ["svg"]  # one drawing for the print and the screen variant
    assert cmyk == charts.svg_to_cmyk(svg, charts.palette(ctx["colours"]))
    assert "#" in svg and "device-cmyk(" in cmyk


def test_a_cached_chart_needs_no_matplotlib(loaded: Loaded, tmp_path: Path) -> None:
    ctx = charts.chart_context(loaded.content, "hospital_density", "en")
    path = charts.chart_path(ctx, "svg-cmyk", tmp_path)
    code = (
        "import json, sys; from pathlib import Path; from bmr_materials.shared import charts; "
        f"ctx = json.loads({json.dumps(json.dumps(ctx))}); "
        f"print(charts.chart_path(ctx, 'svg-cmyk', Path({str(tmp_path)!r})), "
        "'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(path), "False"]


def test_dollar_signs_are_text_not_mathematics(loaded: Loaded, tmp_path: Path) -> None:
    ctx = charts.chart_context(loaded.content, "hospital_density", "en")
    ctx["categories"] = ["Costs in US$ 5 and US$ 6", "Germany"]
    svg = charts.render_chart(ctx, "svg", tmp_path).decode()
    assert ">Costs in US$ 5 and US$</text>" in svg  # wrapped before "6"
    assert "DejaVu" not in svg  # mathtext's font


def test_svg_and_png_are_deterministic(loaded: Loaded, tmp_path: Path) -> None:
    ctx = charts.chart_context(loaded.content, "turnover_trend", "de")
    first = {m: charts.render_chart(ctx, m, tmp_path / "a") for m in ("svg", "png")}
    second = {m: charts.render_chart(ctx, m, tmp_path / "b") for m in ("svg", "png")}
    assert first == second
    assert b"<dc:date>" not in first["svg"]
    assert first["png"].startswith(b"\x89PNG")
    assert b"Software" not in first["png"][:4096]


def test_png_size_and_unknown_medium(loaded: Loaded, chart_cache: Path) -> None:
    import struct

    ctx = charts.chart_context(loaded.content, "employees_trend", "en")
    png = charts.render_chart(ctx, "png", chart_cache)
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1920, 1080)
    with pytest.raises(ValueError, match="unknown chart medium"):
        charts.render_chart(ctx, "gif", chart_cache)


def test_cmyk_rejects_unknown_colours() -> None:
    black = {"rgb": "#000000", "cmyk": [0, 0, 0, 100]}
    colours = charts.palette({"ink": black, "primary": black})
    with pytest.raises(ValueError, match="#123456"):
        charts.svg_to_cmyk('<svg x="1"><path fill="#123456"/></svg>', colours)


@pytest.mark.parametrize("lang", ["de", "ja"])
def test_chart_text_is_set_as_text_in_the_brand_font(
    loaded: Loaded, tmp_path: Path, lang: str
) -> None:
    """WeasyPrint sets the chart's words in the fonts the brochure declares: searchable, every
    glyph there (Japanese from the language's font), and no fallback font embedded."""
    import io

    import pikepdf
    import weasyprint

    from bmr_materials.shared.fonts import static_fonts
    from tests.conftest import pdf_page_texts

    ctx = charts.chart_context(loaded.content, "hospital_density", lang)
    svg = charts.chart_path(ctx, "svg-cmyk", tmp_path)
    assert b"<text " in svg.read_bytes()
    weights = {"regular": 400, "semibold": 600, "bold": 700}
    faces = "".join(
        f'@font-face {{ font-family: "Source Sans 3"; font-weight: {weight}; '
        f'src: url("{static_fonts()[key].as_uri()}"); }}'
        for key, weight in weights.items()
    )
    html = f'<style>{faces}</style><img src="{svg.as_uri()}" style="width: 170mm">'
    pdf = weasyprint.HTML(string=html).write_pdf()
    text = "".join(pdf_page_texts(pdf)[0].split())  # wrapped labels joined again
    for words in (*ctx["categories"], *ctx["short_labels"], ctx["axis_label"]):
        assert "".join(words.split()) in text, (words, text)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = {  # as WeasyPrint names them (the brochure cleans the names afterwards)
            str(font.BaseFont).split("+")[-1].strip(",")
            for font in document.pages[0].Resources.Font.values()
        }
    expected = {"Source-Sans-3", "Source-Sans-3-Bold"}
    assert fonts == (expected | {"Noto-Sans-CJK-JP"} if lang == "ja" else expected)
