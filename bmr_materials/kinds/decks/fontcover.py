"""Take a run of slide text and the fonts named on it, and find the characters none of those
fonts has a glyph for (PowerPoint and LibreOffice then draw empty boxes or pick a stranger
font).

The fonts named on a run are its own a:latin, a:ea, a:cs and a:sym typefaces, else those its
paragraph, shape, layout and master text styles give, with the theme's "+mn-lt"/"+mj-ea" ...
resolved to the theme's fonts. A typeface is looked up first among the builder's own fonts
(shared.fonts: Source Sans 3, and a brand font the content ships, once the engine made it
known: shared.fonts.know_shipped_font), then through fontconfig (`fc-match`); a family
fontconfig does not have covers nothing. Coverage is the font's cmap, read with fontTools.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

SCRIPTS = ("latin", "ea", "cs", "sym")
THEME_SLOTS = {"mn": "minorFont", "mj": "majorFont"}
THEME_SCRIPTS = {"lt": "latin", "ea": "ea", "cs": "cs"}
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def needs_glyph(char: str) -> bool:
    """Whether a character is drawn (not a space, a control, a joiner or a selector)."""
    if char.isspace() or "\ufe00" <= char <= "\ufe0f":
        return False
    return unicodedata.category(char) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def font_file(family: str) -> tuple[Path, int] | None:
    """The file of a font family: the builder's own cut or the content's shipped brand font,
    else fontconfig's exact match."""
    from bmr_materials.shared.fonts import FAMILY, shipped_font_file, static_fonts

    if family.casefold() == FAMILY.casefold():
        return static_fonts()["regular"], 0
    shipped = shipped_font_file(family)
    return (shipped, 0) if shipped is not None else _installed_file(family)


@cache
def _installed_file(family: str) -> tuple[Path, int] | None:
    """fontconfig's exact match for `family`."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    done = subprocess.run(
        [fc_match, "-f", "%{family}\n%{file}\n%{index}", family],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) < 3:
        return None
    families = {f.strip().casefold() for f in lines[0].split(",")}
    index = int(lines[2]) if lines[2].isdigit() else 0
    return (Path(lines[1]), index) if family.casefold() in families else None


def coverage(family: str) -> frozenset[int]:
    """The code points a font family has glyphs for (none when it is not installed)."""
    found = font_file(family)
    return frozenset() if found is None else _cmap(*found)


@cache
def _cmap(path: Path, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=index) as font:
        return frozenset(font.getBestCmap() or {})


def theme_fonts(master: Any) -> dict[str, str]:
    """'+mn-lt' -> 'Source Sans 3' ... from the master's theme."""
    from lxml import etree

    found: dict[str, str] = {}
    for rel in master.part.rels.values():
        if rel.reltype.endswith("/theme"):
            theme = etree.fromstring(rel.target_part.blob)
            for slot, tag in THEME_SLOTS.items():
                for short, script in THEME_SCRIPTS.items():
                    hit = theme.xpath(
                        f".//a:fontScheme/a:{tag}/a:{script}/@typeface", namespaces=NS
                    )
                    found[f"+{slot}-{short}"] = str(hit[0]) if hit else ""
    return found


def named_fonts(r_prs: Iterable[Any], theme: dict[str, str], title: bool) -> list[str]:
    """The typefaces named for a run: per script, the nearest a:rPr/a:defRPr that names one,
    else the theme's body (or title) font."""
    from lxml import etree

    chosen: dict[str, str] = {}
    for r_pr in r_prs:
        for script in SCRIPTS:
            if script not in chosen:
                hit = etree._Element.xpath(r_pr, f"./a:{script}/@typeface", namespaces=NS)
                if hit:
                    chosen[script] = str(hit[0])
    slot = "mj" if title else "mn"
    for short, script in THEME_SCRIPTS.items():
        chosen.setdefault(script, f"+{slot}-{short}")
    names = [theme.get(v, "") if v.startswith("+") else v for v in chosen.values()]
    return [n for n in dict.fromkeys(names) if n]


def uncovered(text: str, fonts: list[str]) -> str:
    """The characters of `text` that none of `fonts` has a glyph for."""
    covered = [coverage(f) for f in fonts]
    return "".join(c for c in text if needs_glyph(c) and not any(ord(c) in s for s in covered))
