"""Icons: the Lucide set from its package, in brand colours, CMYK for print, PNG for decks;
an unknown icon in the content is a check error at its line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from PIL import Image

from bmr_materials.app.cli import main
from bmr_materials.content.iconset import icon_names
from bmr_materials.content.load import Loaded
from bmr_materials.shared.charts import palette
from bmr_materials.shared.icons import icon_png, icon_svg, icon_svg_cmyk

SVG = "{http://www.w3.org/2000/svg}"
PRIMARY = "#00596E"


def _palette(loaded: Loaded) -> dict[str, dict[str, object]]:
    colours = loaded.content.campaign.brand.colours
    return palette({n: {"rgb": c.rgb, "cmyk": list(c.cmyk)} for n, c in colours.items()})


def test_the_set_is_the_installed_package() -> None:
    assert len(icon_names()) > 1000
    assert {"heart-pulse", "dna", "leaf", "brain-circuit", "users"} <= icon_names()


def test_svg_is_drawn_in_the_brand_colour_at_its_size() -> None:
    root = fromstring(icon_svg("heart-pulse", PRIMARY.lower(), 18))
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "18pt",
        "18pt",
        "0 0 24 24",
    )
    group = root.find(f"{SVG}g")
    assert group is not None
    assert (group.get("stroke"), group.get("fill")) == (PRIMARY, "none")
    paths = group.findall(f"{SVG}path")
    assert len(paths) == 2 and all(p.get("d") for p in paths)


def test_every_icon_the_content_chooses_is_drawn(loaded: Loaded) -> None:
    content = loaded.content
    chosen = [f.icon for f in content.fields.values()] + [
        f.icon for f in content.figures.figures.values() if f.icon
    ]
    assert len([c for c in chosen if c]) >= 10
    for name in chosen:
        assert name is not None
        assert len(fromstring(icon_svg(name, PRIMARY, 24))) == 1


def test_print_icon_is_device_cmyk_only(loaded: Loaded) -> None:
    svg = icon_svg_cmyk("dna", PRIMARY, 24, _palette(loaded))
    assert 'stroke="device-cmyk(1 0.25 0.15 0.5)"' in svg
    assert "#" not in svg


def test_print_icon_reaches_the_pdf_in_cmyk(loaded: Loaded, tmp_path: Path) -> None:
    """The print path of the brochures (an SVG file in device-cmyk, drawn by WeasyPrint)."""
    import pikepdf
    from weasyprint import HTML

    icon = tmp_path / "icon.svg"
    icon.write_text(icon_svg_cmyk("leaf", PRIMARY, 36, _palette(loaded)), encoding="utf-8")
    html = f'<img src="{icon.as_uri()}" style="width:36pt;height:36pt">'
    pdf = pikepdf.open(io.BytesIO(HTML(string=html).write_pdf()))
    streams = b"".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))
    assert b"/DeviceCMYK CS\n1 0.25 0.15 0.5 SCN" in streams  # the stroke colour
    assert b"DeviceRGB" not in streams


def test_png_for_decks_is_the_colour_on_transparent_ground() -> None:
    data = icon_png("brain-circuit", PRIMARY, 128)
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    assert image.size == (128, 128)
    colours = {rgba for _, rgba in image.getcolors(128 * 128) or []}
    assert (0x00, 0x59, 0x6E, 255) in colours
    assert (0, 0, 0, 0) in colours  # transparent where there is no stroke
    assert icon_png("brain-circuit", PRIMARY, 128) == data  # same input, same bytes


def test_unknown_icon_in_code_names_the_nearest() -> None:
    with pytest.raises(ValueError, match=r"unknown icon 'heart-puls' \(did you mean 'heart-pulse'"):
        icon_svg("heart-puls", PRIMARY, 24)
    with pytest.raises(ValueError, match="#RRGGBB"):
        icon_svg("dna", "teal", 24)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "fields/medtech.yaml",
            "icon: brain-circuit",
            "icon: brain-circut",
            "icon: unknown icon 'brain-circut' (did you mean 'brain-circuit'?)",
        ),
        (
            "figures.yaml",
            "icon: bed-double",
            "icon: hospital-bed",
            "figures.hospital_beds.icon: unknown icon 'hospital-bed'",
        ),
    ],
)
def test_unknown_icon_in_content_is_a_check_error_at_its_line(
    content_copy: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    old: str,
    new: str,
    message: str,
) -> None:
    path = content_copy / file
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new in row)
    assert main(["check", "--content", str(content_copy)]) == 1
    err = capsys.readouterr().err
    assert f"content/{file}:{line}:" in err and message in err, err
    assert "Traceback" not in err


def test_deck_pngs_are_kept_in_the_render_cache(tmp_path: Path) -> None:
    drawn = icon_png("dna", PRIMARY, 96)
    assert icon_png("dna", PRIMARY, 96, tmp_path) == drawn  # the cache holds what is drawn
    kept = list((tmp_path / "deck-icons").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == drawn
    kept[0].write_bytes(b"kept")  # a second build reads the cache, draws nothing
    assert icon_png("dna", PRIMARY, 96, tmp_path) == b"kept"
    assert icon_png("dna", "#3AAA8C", 96, tmp_path) != b"kept"  # another colour, another file
    assert len(list((tmp_path / "deck-icons").iterdir())) == 2


def test_the_deck_logo_is_drawn_without_weasyprint(tmp_path: Path) -> None:
    import subprocess
    import sys

    logo = Path(__file__).parent.parent / "assets" / "logo" / "ihr-logo.svg"
    script = (
        "import sys; from pathlib import Path\n"
        "from bmr_materials.kinds.decks.theme import logo_png\n"
        f"sys.stdout.buffer.write(logo_png(Path({str(logo)!r}), Path({str(tmp_path)!r})))\n"
        "assert 'weasyprint' not in sys.modules\n"
    )
    png = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    assert image.size == (1607, 450)  # 450 px high at the SVG's aspect ratio
    word_mark = image.crop((560, 0, 1607, 450))  # right of the mark: the name in the brand font
    colours = {rgba for _, rgba in word_mark.getcolors(1047 * 450) or []}
    assert (0x00, 0x59, 0x6E, 255) in colours and (0x3A, 0xAA, 0x8C, 255) in colours
    assert png == next((tmp_path / "deck-logos").iterdir()).read_bytes()
