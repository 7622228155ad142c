"""Cut static Source Sans 3 instances (400, 400 italic, 600, 700) from the variable fonts.

The font package ships variable fonts whose default instance is ExtraLight (200): matplotlib
and some PDF tools would pick that thinnest instance. We cut the weights the materials use
with HarfBuzz's instancer (hb-subset keeping every glyph, feature and name, in a few
milliseconds where fontTools' instancer took 7 s a weight, with the same outlines, advances and
kerning), name them cleanly with fontTools (family "Source Sans 3", styles Regular, Italic,
SemiBold, Bold), and cache them under `<cache>/fonts/<sha of the source fonts>/`, written
atomically. The cut is deterministic (the source's head.modified is kept), so two machines
produce the same files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from bmr_materials.resources import cache_root
from bmr_materials.shared.repro import atomic_write

if TYPE_CHECKING:
    from bmr_materials.content.brandfont import Face
    from bmr_materials.content.model import Content

FAMILY = "Source Sans 3"
FONT_CUT_VERSION = "2"  # 2: cut by HarfBuzz
# key -> (weight, italic, subfamily shown in name tables)
INSTANCES: dict[str, tuple[int, bool, str]] = {
    "regular": (400, False, "Regular"),
    "italic": (400, True, "Italic"),
    "semibold": (600, False, "SemiBold"),
    "bold": (700, False, "Bold"),
}


def font_sources() -> list[Path]:
    """The variable font files of the family (upright first), for fingerprints."""
    import fontpkg

    files = fontpkg.family(FAMILY).files
    return [f.path for f in sorted(files, key=lambda f: (f.style != "normal", str(f.path)))]


def _source_for(italic: bool) -> Path:
    sources = font_sources()
    wanted = [p for p in sources if ("Italic" in p.name) == italic]
    return wanted[0]


def fonts_dir() -> Path:
    """The folder holding the static instances of the installed font version."""
    return cache_root() / "fonts" / _sources_digest()


@cache
def _sources_digest() -> str:
    """Digest of the variable fonts and the cut (the package does not change mid-process)."""
    digest = hashlib.sha256(FONT_CUT_VERSION.encode())
    for path in font_sources():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def static_fonts() -> dict[str, Path]:
    """Key (regular, italic, semibold, bold) -> path of the static TTF, cut on first use."""
    return dict(_static_fonts(str(cache_root())))


@cache
def _static_fonts(_root: str) -> tuple[tuple[str, Path], ...]:
    folder = fonts_dir()
    result = []
    for key, (weight, italic, style) in INSTANCES.items():
        path = folder / f"SourceSans3-{style}.ttf"
        if not path.is_file():
            atomic_write(path, cut_instance(_source_for(italic), weight, italic, style))
        result.append((key, path))
    return tuple(result)


def cut_instance(source: Path, weight: int, italic: bool, style: str) -> bytes:
    """A static instance of the variable font `source` at `weight`, as TTF bytes."""
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(_pinned(source, weight)), recalcTimestamp=False)
    _rename(font, weight, italic, style)
    buffer = BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _pinned(source: Path, weight: int) -> bytes:
    """The variable font `source` with its weight axis pinned at `weight` by HarfBuzz: every
    glyph (same ids), code point, name, script and feature kept; only the DSIG table dropped."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(source.read_bytes()))
    keep = hb.SubsetInput()
    everything = (
        hb.SubsetInputSets.UNICODE,
        hb.SubsetInputSets.GLYPH_INDEX,
        hb.SubsetInputSets.NAME_ID,
        hb.SubsetInputSets.NAME_LANG_ID,
        hb.SubsetInputSets.LAYOUT_FEATURE_TAG,
        hb.SubsetInputSets.LAYOUT_SCRIPT_TAG,
    )
    for which in everything:
        chosen = keep.sets(which)
        chosen.clear()
        chosen.invert()  # the empty set inverted: all
    dropped = keep.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    dropped.clear()
    dropped.add(int.from_bytes(b"DSIG", "big"))
    keep.flags = (
        hb.SubsetFlags.RETAIN_GIDS
        | hb.SubsetFlags.NOTDEF_OUTLINE
        | hb.SubsetFlags.GLYPH_NAMES
        | hb.SubsetFlags.NAME_LEGACY
        | hb.SubsetFlags.NO_PRUNE_UNICODE_RANGES
        | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
    )
    keep.pin_axis_location(face, "wght", weight)
    pinned = hb.subset(face, keep)
    if pinned is None:
        raise RuntimeError(f"HarfBuzz could not cut weight {weight} of {source}")
    return bytes(pinned.blob.data)


def _rename(font: object, weight: int, italic: bool, style: str) -> None:
    """Clean name table and style bits: RIBBI styles in family FAMILY, others on their own."""
    ribbi = style in ("Regular", "Italic", "Bold", "Bold Italic")
    family = FAMILY if ribbi else f"{FAMILY} {style}"
    subfamily = style if ribbi else "Regular"
    postscript = f"SourceSans3-{style.replace(' ', '')}"
    names = {
        1: family,
        2: subfamily,
        3: f"3.052;ADBO;{postscript}",
        4: f"{FAMILY} {style}",
        6: postscript,
        16: FAMILY,
        17: style,
    }
    table = font["name"]  # type: ignore[index]
    for name_id in (1, 2, 3, 4, 6, 16, 17):
        table.removeNames(nameID=name_id)
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
    os2 = font["OS/2"]  # type: ignore[index]
    os2.usWeightClass = weight
    selection = os2.fsSelection & ~0b1100001  # clear ITALIC, BOLD, REGULAR
    if italic:
        selection |= 1
    if style == "Bold":
        selection |= 1 << 5
    if style == "Regular":
        selection |= 1 << 6
    os2.fsSelection = selection
    head = font["head"]  # type: ignore[index]
    head.macStyle = (1 if style == "Bold" else 0) | (2 if italic else 0)


def register_matplotlib_fonts() -> None:
    """Make matplotlib use the static instances (never the variable font's thinnest one)."""
    from matplotlib import font_manager

    known = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    for path in static_fonts().values():
        if path not in known:
            font_manager.fontManager.addfont(str(path))


def brand_family_files(family: str) -> tuple[Path, ...]:
    """The files of a brand font other than the builder's own (an installed family, found by
    fontconfig); none for Source Sans 3, which the builder cuts itself."""
    from bmr_materials.resources import installed_family

    return () if family.casefold() == FAMILY.casefold() else installed_family(family)


def brand_font_files(content: Content) -> dict[str, Path]:
    """Style (regular, italic, bold, ... as `Face.style` names them) -> file of the brand
    font: the files the content ships in assets/fonts/, else the installed family's, else
    Source Sans 3's static cuts. regular, italic and bold are always there (a style the
    family lacks is its nearest one: italic -> regular, bold -> semibold -> regular)."""
    from bmr_materials.content.brandfont import read_face

    family = content.campaign.brand.font
    faces = shipped_faces(content)
    if not faces and family.casefold() == FAMILY.casefold():
        return static_fonts()
    if not faces:
        read = (read_face(p) for p in brand_family_files(family))
        faces = [f for f in read if f is not None]
    found: dict[str, Path] = {}
    for face in faces:
        found.setdefault(face.style, face.path)
    if "regular" not in found and found:
        found["regular"] = next(iter(found.values()))
    if "regular" in found:
        found.setdefault("italic", found["regular"])
        found.setdefault("bold", found.get("semibold", found["regular"]))
    return found


def shipped_faces(content: Content) -> list[Face]:
    """The faces of the brand font the content ships in its assets/fonts/ (none when the
    family is installed or the builder's own)."""
    from bmr_materials.content.brandfont import family_faces

    return family_faces(content.folder, content.campaign.brand.font)


_KNOWN: dict[str, Path] = {}  # family (casefolded) -> regular file of a shipped brand font


def know_shipped_font(content: Content) -> None:
    """Make the brand font `content` ships known to `shipped_font_file` (the deck preflight,
    which sees only the files, looks its family up there)."""
    if shipped_faces(content):
        _KNOWN[content.campaign.brand.font.casefold()] = brand_font_files(content)["regular"]


def shipped_font_file(family: str) -> Path | None:
    """The regular file of a shipped brand font made known by `know_shipped_font`."""
    return _KNOWN.get(family.casefold())


SHIPPED_KEY = "font "  # in a context's "files": "font <style>" -> path of a shipped face


def shipped_font_files(content: Content) -> dict[str, str]:
    """Entries for a context's "files" (absolute paths the fingerprint leaves out; the font
    bytes count in the brand's digest): the brand font files the content ships."""
    return {f"{SHIPPED_KEY}{face.style}": str(face.path) for face in shipped_faces(content)}


def shipped_paths(files: dict[str, str]) -> list[Path]:
    """The shipped brand font files among a context's "files"."""
    return [Path(path) for key, path in sorted(files.items()) if key.startswith(SHIPPED_KEY)]


def register_matplotlib_files(paths: Iterable[str | Path]) -> None:
    """Make font files (a brand font the content ships) known to matplotlib."""
    from matplotlib import font_manager

    known = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    for path in map(Path, paths):
        if path not in known:
            font_manager.fontManager.addfont(str(path))


def register_matplotlib_family(family: str) -> None:
    """Make an installed family (a language's font) known to matplotlib, whatever its cache."""
    from matplotlib import font_manager

    from bmr_materials.resources import installed_family

    known = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    for path in installed_family(family):
        if path not in known:
            font_manager.fontManager.addfont(str(path))
