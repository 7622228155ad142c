"""Photographs in brochures: a generated RGB picture with an ICC profile is colour-managed into
CMYK for print (no DeviceRGB), downsampled to 150 ppi for the screen, its credit and licence
printed beside it, and its effective resolution in the layout record that preflight reports;
an undersized picture is a preflight error naming the file and the page."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms, ImageDraw

from bmr_materials.content.load import Loaded
from bmr_materials.content.model import Content, Photo
from bmr_materials.kinds.brochures.context import brochure_context
from bmr_materials.kinds.brochures.photos import crop
from bmr_materials.kinds.brochures.render import render_brochure
from bmr_materials.shared.kind import Issue
from bmr_materials.shared.preflight.layout import layout_checks

FILE = "assets/photos/harbour.jpg"


def _picture(path: Path, width: int, height: int) -> None:
    """An RGB JPEG with an embedded sRGB ICC profile: a gradient with a few shapes."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(200, 40, 60))
    draw.rectangle((width // 2, height // 3, width - 10, height - 10), fill=(20, 120, 200))
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90, icc_profile=icc)


def _with_photo(content: Content, folder: Path, width: int, height: int) -> Content:
    _picture(folder / FILE, width, height)
    photo = Photo(
        file=FILE,
        alt={lang: "A harbour at dusk" for lang in content.languages},
        credit="Photo: Test Person",
        licence="CC BY 4.0",
        focal=(0.3, 0.4),
    )
    field = content.fields["green-health"].model_copy(update={"photos": [photo]})
    return content.model_copy(
        update={"folder": folder, "fields": {**content.fields, "green-health": field}}
    )


def _checks(data: bytes, variant: str) -> dict[str, list[Issue]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {n: list(c()) for n, c in layout_checks(pdf, variant == "print").items()}


def _render(content: Content, variant: str, cache: Path) -> bytes:
    return render_brochure(brochure_context(content, "green-health", "en", variant), cache)


@pytest.mark.slow
def test_a_photograph_in_print_and_on_screen(loaded: Loaded, tmp_path: Path) -> None:
    content = _with_photo(loaded.content, tmp_path / "content", 3000, 1700)
    data = _render(content, "print", tmp_path / "cache")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        images = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
        spaces = [str(o.get("/ColorSpace")) for o in images]
        assert "/DeviceCMYK" in spaces and not any("RGB" in s for s in spaces), spaces
        for page in pdf.pages:
            operators = {str(i.operator) for i in pikepdf.parse_content_stream(page)}
            assert not operators & {"rg", "RG"}  # no DeviceRGB colours either
    from tests.conftest import pdf_page_texts

    assert any("Photo: Test Person · CC BY 4.0" in t for t in pdf_page_texts(data))
    found = _checks(data, "print")["photographs"]
    assert [i.severity for i in found] == ["info"]
    assert found[0].message.startswith(f"{FILE} on page ") and "450 ppi" in found[0].message

    screen = _checks(_render(content, "screen", tmp_path / "cache"), "screen")["photographs"]
    assert [i.severity for i in screen] == ["info"] and "150 ppi" in screen[0].message


@pytest.mark.slow
def test_an_undersized_photograph_is_a_preflight_error(loaded: Loaded, tmp_path: Path) -> None:
    content = _with_photo(loaded.content, tmp_path / "content", 900, 480)
    data = _render(content, "print", tmp_path / "cache")
    found = _checks(data, "print")["photographs"]
    assert [i.severity for i in found] == ["error"]
    assert found[0].message.startswith(f"{FILE} on page 2: 138 ppi"), found[0].message


@pytest.mark.parametrize(
    ("size", "focal", "box"),
    [
        ((400, 100), (0.0, 0.5), (0, 0, 200, 100)),  # too wide: the left end kept
        ((400, 100), (0.5, 0.5), (100, 0, 300, 100)),
        ((400, 100), (1.0, 0.5), (200, 0, 400, 100)),
        ((100, 400), (0.5, 0.9), (0, 350, 100, 400)),  # too tall: near the bottom
    ],
)
def test_crop_keeps_the_focal_point(
    size: tuple[int, int], focal: tuple[float, float], box: tuple[int, int, int, int]
) -> None:
    image = Image.new("RGB", size)
    cut = crop(image, focal, 2.0)
    assert cut.size == (box[2] - box[0], box[3] - box[1])
