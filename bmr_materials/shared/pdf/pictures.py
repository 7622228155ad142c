"""Take the pictures a WeasyPrint page shows (logo, QR code, icons, the print profile, the
font files a content ships) and produce files in the render cache the fetcher serves: SVG
colours as device-cmyk() in print, a raster logo as a CMYK JPEG through the print profile.
Also: a PDF/X file's XMP DocumentID made stable. Brochures and fact sheets both use these.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path
from typing import Any

from bmr_materials.errors import RenderError
from bmr_materials.shared.charts import svg_to_cmyk
from bmr_materials.shared.repro import atomic_write


def cached_file(cache_dir: Path, folder: str, data: bytes, suffix: str) -> Path:
    """`data` as a file under `cache_dir/folder`, named by its digest, written once."""
    path = cache_dir / folder / (hashlib.sha256(data).hexdigest()[:24] + suffix)
    if not path.is_file():
        atomic_write(path, data)
    return path


def font_faces(files: dict[str, str], cache_dir: Path) -> list[dict[str, Any]]:
    """@font-face values (url, weight, style) of the brand font files a context names in its
    `files` (see shared.fonts.shipped_font_files), staged in the render cache."""
    from bmr_materials.content.brandfont import read_face
    from bmr_materials.shared.fonts import shipped_paths

    faces = []
    for path in shipped_paths(files):
        face = read_face(path)
        if face is None:
            raise RenderError(f"font file {path.name}: not a font fontTools can read")
        staged = cached_file(cache_dir, "fonts", path.read_bytes(), path.suffix.lower())
        style = "italic" if face.italic else "normal"
        faces.append({"url": staged.as_uri(), "weight": face.weight, "style": style})
    return faces


def svg_file(svg: str, cache_dir: Path, palette: dict[str, Any] | None) -> Path:
    """An SVG picture as a cached file, its colours as device-cmyk() when `palette` is given."""
    if palette is not None:
        svg = svg_to_cmyk(svg, palette)
    return cached_file(cache_dir, "pictures", svg.encode(), ".svg")


def logo_file(
    path: Path, cache_dir: Path, palette: dict[str, Any] | None, icc: Path | None
) -> Path:
    """The logo staged in the render cache (the fetcher serves no content folder): as it is
    on screen; in print (`palette` and `icc` given) an SVG in device-cmyk() colours or a
    raster logo as a CMYK JPEG."""
    raster = not path.read_bytes()[:512].lstrip().startswith((b"<", b"\xef\xbb\xbf<"))
    if palette is None or icc is None:
        return cached_file(cache_dir, "pictures", path.read_bytes(), path.suffix.lower())
    if raster:
        return _raster_for_print(path, cache_dir, icc)
    return svg_file(path.read_text(encoding="utf-8"), cache_dir, palette)


def _raster_for_print(path: Path, cache_dir: Path, profile: Path) -> Path:
    """A PNG or JPEG as a CMYK JPEG through the print profile (transparency on white)."""
    import io

    from PIL import Image, ImageCms

    with Image.open(path) as image:
        dpi = image.info.get("dpi") or (300, 300)
        if image.mode == "CMYK":
            cmyk = image.copy()
        else:
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            converted = ImageCms.profileToProfile(
                flat, ImageCms.createProfile("sRGB"), str(profile), outputMode="CMYK"
            )
            cmyk = converted if converted is not None else flat.convert("CMYK")
    buffer = io.BytesIO()
    cmyk.save(buffer, "JPEG", quality=95, dpi=tuple(round(float(d)) for d in dpi))
    return cached_file(cache_dir, "pictures", buffer.getvalue(), ".jpg")


def qr_file(url: str, dark: str, cache_dir: Path, palette: dict[str, Any] | None) -> Path:
    """A QR code of `url` in colour `dark` (#RRGGBB), with the quiet zone of 4 modules."""
    import io

    import segno

    buffer = io.BytesIO()
    qr = segno.make(url, error="m", micro=False)
    qr.save(
        buffer,
        kind="svg",
        dark=dark,
        light=None,
        border=4,
        scale=10,
        xmldecl=False,
        svgns=True,
        nl=False,
    )
    return svg_file(buffer.getvalue().decode(), cache_dir, palette)


def staged_icc(source: Path, cache_dir: Path) -> Path:
    """The CMYK print profile, copied into the render cache so the fetcher may serve it."""
    from PIL import ImageCms

    try:
        space = ImageCms.getOpenProfile(str(source)).profile.xcolor_space.strip()
    except (OSError, ImageCms.PyCMSError) as exc:
        raise RenderError(f"print profile {source.name}: not an ICC profile ({exc})") from exc
    if space != "CMYK":
        raise RenderError(f"print profile {source.name}: a {space} profile, print needs CMYK")
    return cached_file(cache_dir, "icc", source.read_bytes(), ".icc")


def stable_xmp(pdf: Any, digest: str) -> None:
    """Replace WeasyPrint's random XMP DocumentID (PDF/X) by one derived from `digest`."""
    stable = f"xmp.did:{uuid.UUID(digest[:32])}".encode()
    for obj in pdf.objects:
        stream = getattr(obj, "stream", None)
        if (
            isinstance(stream, list)
            and stream
            and isinstance(stream[0], bytes)
            and b"xpacket" in stream[0]
        ):
            obj.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}", stable, part) for part in stream]
