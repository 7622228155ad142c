"""Take an SVG (a logo with text in the brand font, an icon) and produce a PNG of a given size
on a transparent ground, drawn by CairoSVG; a PNG is cached in the render cache by its input.

CairoSVG finds a text's font through fontconfig: the font files given are added to the
process's fontconfig first, so a logo's word-mark is drawn in the brand font it names (as
WeasyPrint draws it in a brochure) without WeasyPrint being imported for a deck. Usage:

    svg_png(svg_bytes, 1607, 450, fonts=[regular_ttf, bold_ttf])
    cached_png(cache_dir, "deck-icons", key, lambda: svg_png(...))
"""

from __future__ import annotations

import ctypes
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from bmr_materials.shared.repro import atomic_write

FONTCONFIG = "libfontconfig.so.1"  # as cairo itself loads it (Linux)
_ADDED: set[str] = set()


def svg_png(svg: bytes, width: int, height: int, fonts: Iterable[Path] = ()) -> bytes:
    """`svg` drawn `width` x `height` pixels; its texts may use the families of `fonts`."""
    for font in fonts:
        _add_font(font)
    import cairosvg

    png = cairosvg.svg2png(bytestring=svg, output_width=width, output_height=height)
    assert isinstance(png, bytes)
    return png


def cached_png(cache_dir: Path | None, folder: str, key: str, draw: Callable[[], bytes]) -> bytes:
    """The PNG `draw` makes, kept under `cache_dir/folder` named by a digest of `key` (which
    must say everything the picture depends on); without a cache folder, drawn each time."""
    if cache_dir is None:
        return draw()
    path = cache_dir / folder / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".png")
    if path.is_file():
        return path.read_bytes()
    png = draw()
    atomic_write(path, png)
    return png


def _add_font(path: Path) -> None:
    """Make the font file known to this process's fontconfig (once)."""
    if str(path) in _ADDED:
        return
    fontconfig = ctypes.CDLL(FONTCONFIG)
    fontconfig.FcConfigAppFontAddFile.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
    if not fontconfig.FcConfigAppFontAddFile(None, str(path).encode()):
        raise OSError(f"fontconfig cannot read the font file {path}")
    _ADDED.add(str(path))
