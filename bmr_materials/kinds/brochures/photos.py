"""Take a photograph the content places and produce the file one brochure variant shows: cut
to the brochure's picture frame around the content's focal point; for print colour-managed
from the picture's own ICC profile (sRGB when it has none) into the CMYK output profile with
LittleCMS (Pillow's ImageCms), at its full resolution; for the screen in sRGB, downsampled to
SCREEN_PPI at its printed size. The file's pixel width goes with it, so the layout record can
give the effective resolution (measure.py) that preflight checks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FRAME_MM = (166.0, 88.0)  # width, height of a photograph in the type area
SCREEN_PPI = 150
MAX_PRINT_PPI = 450  # more only makes the file larger


@dataclass(frozen=True)
class Prepared:
    """A photograph ready for the template: its file and its width in pixels."""

    path: Path
    pixels: int


def prepare(
    source: Path, focal: tuple[float, float], variant: str, profile: Path | None, cache_dir: Path
) -> Prepared:
    """The photograph `source` for `variant` (print needs the CMYK `profile`), cached."""
    from PIL import Image

    with Image.open(source) as image:
        image.load()
        icc = image.info.get("icc_profile")
        cut = crop(image.convert("RGB"), focal, FRAME_MM[0] / FRAME_MM[1])
    width_in = FRAME_MM[0] / 25.4
    limit = round((MAX_PRINT_PPI if variant == "print" else SCREEN_PPI) * width_in)
    if cut.width > limit:
        cut = cut.resize((limit, round(limit * cut.height / cut.width)), Image.Resampling.LANCZOS)
    data = _print_jpeg(cut, icc, profile) if variant == "print" else _screen_jpeg(cut, icc)
    from bmr_materials.shared.pdf.pictures import cached_file

    return Prepared(cached_file(cache_dir, "photos", data, ".jpg"), cut.width)


def crop(image: Any, focal: tuple[float, float], aspect: float) -> Any:
    """`image` cut to `aspect` (width / height), the focal point as near the middle as the
    picture's edges allow."""
    width, height = image.size
    if width / height > aspect:  # too wide: keep the height
        w, h = round(height * aspect), height
    else:
        w, h = width, round(width / aspect)
    left = min(max(round(focal[0] * width - w / 2), 0), width - w)
    top = min(max(round(focal[1] * height - h / 2), 0), height - h)
    return image.crop((left, top, left + w, top + h))


def _source_profile(icc: bytes | None) -> Any:
    from PIL import ImageCms

    if icc:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ImageCms.createProfile("sRGB")


def _print_jpeg(image: Any, icc: bytes | None, profile: Path | None) -> bytes:
    from PIL import ImageCms

    if profile is None:
        raise ValueError("print photographs need the CMYK output profile")
    cmyk = ImageCms.profileToProfile(
        image,
        _source_profile(icc),
        str(profile),
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        outputMode="CMYK",
    )
    if cmyk is None:  # only when converting in place, which this does not
        raise ValueError("colour conversion gave no picture")
    buffer = io.BytesIO()
    cmyk.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _screen_jpeg(image: Any, icc: bytes | None) -> bytes:
    from PIL import ImageCms

    srgb = ImageCms.createProfile("sRGB")
    if icc:
        image = ImageCms.profileToProfile(image, _source_profile(icc), srgb, outputMode="RGB")
        if image is None:
            raise ValueError("colour conversion gave no picture")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, icc_profile=ImageCms.ImageCmsProfile(srgb).tobytes())
    return buffer.getvalue()
