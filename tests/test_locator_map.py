"""The locator map: Europe from the Natural Earth extract, the country and region of the
content marked in brand colours, its cities named; CMYK for print; same input, same bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from bmr_materials.app.cli import main
from bmr_materials.content.load import Loaded
from bmr_materials.shared import locator_map
from bmr_materials.shared.locator_map import MapContext, map_context, map_path, render_map
from bmr_materials.shared.map_geometry import clip_ring, shown_rings, simplify_ring

PRIMARY, REGION_FILL = "#00596E", "#8CB4BE"  # primary and its 45 % tint


@pytest.fixture(scope="module")
def context(loaded: Loaded) -> MapContext:
    found = map_context(loaded.content, "de")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def svg(context: MapContext) -> str:
    return render_map(context, "svg").decode()


def test_context_comes_from_the_content(context: MapContext, loaded: Loaded) -> None:
    assert context.country == "DE" and context.label == "Ruhrgebiet"
    assert [c.name for c in context.cities] == ["Bochum", "Dortmund", "Essen", "Witten"]
    assert len(context.outline) >= 10
    assert map_context(loaded.content, "ja").label == "ルール地方"  # type: ignore[union-attr]
    assert locator_map.map_palette(context.colours)["region_fill"]["rgb"] == REGION_FILL


def test_svg_marks_country_region_and_names_the_cities(svg: str) -> None:
    fills = [f.upper() for f in re.findall(r"fill: ?(#[0-9A-Fa-f]{6})", svg)]
    assert fills.count(REGION_FILL) == 1  # the region, enlarged
    assert PRIMARY in fills  # the region on the map of Europe, and its name
    assert "#D1E1E5" in fills  # Germany in the primary's 18 % tint
    rings = len(re.findall(r'^M |d="M ', svg, re.MULTILINE))
    assert rings > 150  # the outlines of the countries in view
    for text in ("Ruhrgebiet", "Bochum", "Dortmund", "Essen", "Witten"):
        assert f"<!-- {text} -->" in svg  # matplotlib names each text it draws as paths


def test_print_svg_has_only_device_cmyk(context: MapContext) -> None:
    cmyk = render_map(context, "svg-cmyk").decode()
    assert not re.search(r"#[0-9A-Fa-f]{6}\b", cmyk)
    assert "device-cmyk(1 0.25 0.15 0.5)" in cmyk  # the region's outline in the primary
    assert "device-cmyk(0.45 0.1125 0.0675 0.225)" in cmyk  # its fill


def test_png_for_decks_shows_the_region_in_brand_colour(context: MapContext) -> None:
    image = Image.open(io.BytesIO(render_map(context, "png"))).convert("RGB")
    assert image.size == (1920, 1080)
    counts = {rgb: n for n, rgb in image.getcolors(1920 * 1080) or []}
    assert counts.get((0x8C, 0xB4, 0xBE), 0) > 20_000  # the enlarged region's fill
    assert counts.get((0x00, 0x59, 0x6E), 0) > 1_000  # outline, marker and name


def test_svg_holds_only_what_its_printed_size_shows(svg: str) -> None:
    """Clipped to the views and simplified: a few thousand points, not the extract's 19,000
    twice over (which cost WeasyPrint seconds per brochure)."""
    points = len(re.findall(r'^[ML] |d="M ', svg, re.MULTILINE))
    assert 2_000 < points < 10_000, points
    assert len(re.findall("<path ", svg)) < 60  # land: one compound path per colour and view


def test_rings_are_clipped_to_the_window_and_simplified() -> None:
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    assert sorted(clip_ring(square, (1.0, 1.0, 2.0, 5.0))) == [
        (1.0, 1.0),
        (1.0, 4.0),
        (2.0, 1.0),
        (2.0, 4.0),
    ]
    assert clip_ring(square, (5.0, 5.0, 6.0, 6.0)) == []
    wobbly = [(x / 10, 0.001 * (-1) ** x) for x in range(41)] + [(4.0, 4.0), (0.0, 4.0)]
    assert simplify_ring(wobbly, 0.01) == [(0.0, 0.001), (4.0, 0.001), (4.0, 4.0), (0.0, 4.0)]
    assert len(simplify_ring(wobbly, 0.0001)) == len(wobbly)  # every wobble is kept
    assert shown_rings([square], (10.0, 10.0, 11.0, 11.0), 0.01) == []
    assert shown_rings([square], (-1.0, -1.0, 5.0, 5.0), 10.0) == []  # smaller than shown


def test_same_context_same_bytes(context: MapContext, svg: str, tmp_path: Path) -> None:
    assert render_map(context, "svg").decode() == svg
    png = render_map(context, "png")
    path = map_path(context, "png", tmp_path)
    assert path.read_bytes() == png and path.parent == tmp_path / "maps"
    assert map_path(context, "png", tmp_path) == path  # cached, not drawn again


def test_print_map_is_the_cached_screen_map_in_cmyk(
    context: MapContext, svg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    draw = locator_map.render_map
    monkeypatch.setattr(locator_map, "render_map", lambda c, m: drawn.append(m) or draw(c, m))
    cmyk = map_path(context, "svg-cmyk", tmp_path).read_text(encoding="utf-8")
    assert map_path(context, "svg", tmp_path).read_text(encoding="utf-8") == svg
    assert drawn == ["svg"]  # drawn once for both variants
    assert cmyk == render_map(context, "svg-cmyk").decode()


def test_no_map_in_the_content_gives_none(loaded: Loaded) -> None:
    plain = loaded.content.model_copy(
        update={"region": loaded.content.region.model_copy(update={"map": None})}
    )
    assert map_context(plain, "de") is None


def test_unknown_country_is_a_check_error_at_its_line(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = content_copy / "region.yaml"
    text = path.read_text(encoding="utf-8").replace("country: DE", "country: XX", 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "country: XX" in row)
    assert main(["check", "--content", str(content_copy)]) == 1
    err = capsys.readouterr().err
    assert f"content/region.yaml:{line}:" in err, err
    assert "country 'XX' is not on the map of Europe" in err
