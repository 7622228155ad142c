"""Find the brand font a content folder ships in its own `assets/fonts/` (TTF or OTF files with
their licence file beside them), and say what is wrong with it.

A file's family and style come from its own tables (fontTools), never from its name: the
typographic family (name ID 16, else 1), the weight (OS/2 usWeightClass) and italic (OS/2
fsSelection bit 0). A font may be embedded in a PDF only when its OS/2 fsType allows it
(0 installable, 4 preview & print, 8 editable; bit 1 alone, restricted, forbids it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

FONT_FOLDER = ("assets", "fonts")
FONT_SUFFIXES = (".ttf", ".otf")
LICENCE_NAMES = ("ofl", "license", "licence", "copying")
RESTRICTED = 0x0002  # fsType: restricted licence embedding
NO_SUBSET = 0x0100  # fsType: the whole font must be embedded (PDFs embed subsets)


@dataclass(frozen=True)
class Face:
    """One font file: where it is and what its tables say."""

    path: Path
    family: str
    weight: int
    italic: bool
    fs_type: int
    postscript: str

    @property
    def style(self) -> str:
        """regular, italic, semibold, bold, bolditalic, ... (the weight in words)."""
        words = {400: "regular", 600: "semibold", 700: "bold"}
        word = words.get(self.weight, str(self.weight))
        if not self.italic:
            return word
        return "italic" if word == "regular" else f"{word}italic"


def font_folder(folder: Path | None) -> Path | None:
    """`<folder>/assets/fonts` when the content ships fonts there (not a link out of it)."""
    if folder is None:
        return None
    fonts = folder.joinpath(*FONT_FOLDER)
    if not fonts.is_dir() or not fonts.resolve().is_relative_to(folder.resolve()):
        return None
    return fonts.resolve()


def read_face(path: Path) -> Face | None:
    """The family, weight and style `path` declares; None when it is no readable font."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(str(path), lazy=True) as font:
            names = font["name"]
            family = names.getDebugName(16) or names.getDebugName(1) or ""
            os2 = font["OS/2"]
            return Face(
                path=path,
                family=family,
                weight=int(os2.usWeightClass),
                italic=bool(os2.fsSelection & 1),
                fs_type=int(os2.fsType),
                postscript=names.getDebugName(6) or "",
            )
    except (TTLibError, KeyError, OSError, AssertionError):
        return None


def shipped_faces(folder: Path | None) -> list[Face]:
    """Every readable font file in the content's `assets/fonts/` (files linked out of the
    folder are left out), sorted by path."""
    fonts = font_folder(folder)
    if fonts is None:
        return []
    faces = []
    for path in sorted(fonts.iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
            continue
        if not path.resolve().is_relative_to(fonts):
            continue
        face = read_face(path.resolve())
        if face is not None:
            faces.append(face)
    return faces


def family_faces(folder: Path | None, family: str) -> list[Face]:
    """The shipped faces of `family` (names compared without case)."""
    return [f for f in shipped_faces(folder) if f.family.casefold() == family.casefold()]


def licence_files(folder: Path | None) -> list[Path]:
    """The licence files beside the shipped fonts (OFL.txt, LICENSE*, LICENCE*, COPYING*)."""
    fonts = font_folder(folder)
    if fonts is None:
        return []
    return sorted(
        p for p in fonts.iterdir() if p.is_file() and p.name.lower().startswith(LICENCE_NAMES)
    )


def shipped_problems(folder: Path | None, family: str) -> list[str]:
    """What keeps the shipped `family` from being used: no licence file, or a licence that
    does not allow embedding. Empty when the content ships no face of it."""
    faces = family_faces(folder, family)
    if not faces:
        return []
    problems = []
    if not licence_files(folder):
        problems.append(
            f"font {family!r} in assets/fonts/ has no licence file beside it: add the font's "
            "licence (OFL.txt, LICENSE...) that allows shipping it"
        )
    for face in faces:
        if face.fs_type & RESTRICTED or face.fs_type & NO_SUBSET:
            what = "restricted" if face.fs_type & RESTRICTED else "no subsetting"
            problems.append(
                f"font file assets/fonts/{face.path.name} may not be embedded in a PDF (its "
                f"licence bits, OS/2 fsType {face.fs_type:#06x}, say {what}): use a font "
                "whose licence allows embedding (e.g. one under the OFL)"
            )
    return problems


def faces_digest(faces: list[Face]) -> str:
    """The bytes of `faces` as one digest (for fingerprints)."""
    digest = hashlib.sha256()
    for face in faces:
        digest.update(face.path.name.encode() + b"\0" + face.path.read_bytes())
    return digest.hexdigest()[:16]
