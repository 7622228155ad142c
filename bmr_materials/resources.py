"""Where the builder's own files are: templates, default assets and schemas.

In a source checkout they are the top-level folders beside the package (`bmr_materials/data/`
links to them); an installed wheel carries them as real folders under `bmr_materials/data/`.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def builder_root() -> Path:
    """The folder that holds `templates/`, `assets/` and `schema/`: in a source checkout the
    project folder (the package's `data/` only links to it), in a wheel the package's `data/`."""
    package = Path(str(files("bmr_materials")))
    packaged = package / "data"
    return package.parent if (packaged / "templates").is_symlink() else packaged


def templates_dir(kind: str = "") -> Path:
    """The templates of one output kind (or all of them)."""
    return builder_root() / "templates" / kind if kind else builder_root() / "templates"


def assets_dir() -> Path:
    """The default assets (logo, fonts, maps) that ship with the builder."""
    return builder_root() / "assets"


def labels_dir() -> Path:
    """The builder's label catalogs, one gettext folder per language."""
    return Path(str(files("bmr_materials"))) / "shared" / "locale"


@cache
def installed_family(family: str) -> tuple[Path, ...]:
    """The font files fontconfig knows for `family` (e.g. a CJK font from a Debian package),
    regular before bold; empty when it is not installed."""
    import subprocess

    try:
        found = subprocess.run(
            ["fc-list", f":family={family}", "file", "style"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    rows = sorted(line.split(":", 1) for line in found.splitlines() if ":" in line)
    regular = [Path(f) for f, style in rows if "Regular" in style]
    return tuple(dict.fromkeys([*regular, *(Path(f) for f, _ in rows)]))


def cache_root() -> Path:
    """The builder's cache folder (cut fonts, the print profile, LibreOffice's profile, build
    stamps): $IHR_CACHE_DIR, else ~/.cache/ihr-materials."""
    env = os.environ.get("IHR_CACHE_DIR", "").strip()
    return Path(env) if env else Path.home() / ".cache" / "ihr-materials"


def render_cache() -> Path:
    """Where renderers keep what they made from their inputs (charts, maps, chosen layouts,
    staged pictures), each file named by a digest of all it depends on: shared by every
    output folder and build, so a new output folder (a CI shard, a clean checkout) starts
    warm."""
    return cache_root() / "render"
