"""Static Source Sans 3 instances: the right weights, names, cache and matplotlib's choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from bmr_materials.shared import fonts

WEIGHTS = {
    "regular": (400, False),
    "italic": (400, True),
    "semibold": (600, False),
    "bold": (700, False),
}


@pytest.fixture(scope="module")
def static() -> dict[str, Path]:
    return fonts.static_fonts()


def test_sources_are_the_variable_fonts() -> None:
    sources = fonts.font_sources()
    assert len(sources) == 2 and all(p.is_file() for p in sources)
    assert "Italic" not in sources[0].name and "Italic" in sources[1].name


def test_static_instances(static: dict[str, Path]) -> None:
    assert set(static) == set(WEIGHTS)
    for key, path in static.items():
        font = TTFont(path)
        weight, italic = WEIGHTS[key]
        assert "fvar" not in font and "gvar" not in font
        assert font["OS/2"].usWeightClass == weight
        assert bool(font["OS/2"].fsSelection & 1) == italic
        assert font["name"].getDebugName(16) == "Source Sans 3"
        assert path.parent == fonts.fonts_dir()


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IHR_CACHE_DIR", str(tmp_path))
    assert fonts.cache_root() == tmp_path
    assert fonts.fonts_dir().parent == tmp_path / "fonts"
    monkeypatch.delenv("IHR_CACHE_DIR")
    assert fonts.cache_root() == Path.home() / ".cache" / "ihr-materials"


@pytest.mark.slow
def test_cut_is_deterministic(static: dict[str, Path]) -> None:
    source = fonts.font_sources()[1]
    assert fonts.cut_instance(source, 400, True, "Italic") == static["italic"].read_bytes()


def test_matplotlib_uses_the_static_weights(static: dict[str, Path]) -> None:
    from matplotlib import font_manager

    fonts.register_matplotlib_fonts()
    for key, weight in (("regular", 400), ("semibold", 600), ("bold", 700)):
        prop = font_manager.FontProperties(family="Source Sans 3", weight=weight)
        found = font_manager.findfont(prop, fallback_to_default=False)
        assert Path(found) == static[key]


def test_brand_font_files_of_a_font_the_content_ships(tmp_path: Path) -> None:
    """The second campaign's STIXGeneral: styles read from the files' tables (the bold file
    is STIXGeneralBol.ttf), and its bytes in every output's brand digest."""
    import shutil

    from bmr_materials.content.load import load_content
    from bmr_materials.engine.plan import brand_digest

    fixture = Path(__file__).resolve().parent / "fixtures" / "blue-coast"
    shipped = fonts.brand_font_files(load_content(fixture).content)
    assert {k: p.name for k, p in shipped.items()} == {
        "regular": "STIXGeneral.ttf",
        "bold": "STIXGeneralBol.ttf",
        "italic": "STIXGeneralItalic.ttf",
    }
    copy = tmp_path / "blue-coast"
    shutil.copytree(fixture, copy)
    before = brand_digest(load_content(copy).content)
    (copy / "assets/fonts/STIXGeneral.ttf").write_bytes(
        (copy / "assets/fonts/STIXGeneralBol.ttf").read_bytes()
    )
    assert brand_digest(load_content(copy).content) != before


def test_brand_font_files_of_the_builders_own_font() -> None:
    from bmr_materials.content.load import load_content
    from tests.conftest import CONTENT

    assert fonts.brand_font_files(load_content(CONTENT).content) == fonts.static_fonts()
