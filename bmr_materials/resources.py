"""Where the builder's own files are: templates, default assets and schemas.

In a source checkout they are the top-level folders beside the package; an installed wheel
carries them inside the package, under `data/`.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def builder_root() -> Path:
    """The folder that holds `templates/`, `assets/` and `schema/`."""
    package = Path(str(files("bmr_materials")))
    packaged = package / "data"
    return packaged if packaged.is_dir() else package.parent


def templates_dir(kind: str = "") -> Path:
    """The templates of one output kind (or all of them)."""
    return builder_root() / "templates" / kind if kind else builder_root() / "templates"


def assets_dir() -> Path:
    """The default assets (logo, fonts, maps) that ship with the builder."""
    return builder_root() / "assets"


def labels_dir() -> Path:
    """The builder's label catalogs, one gettext folder per language."""
    return Path(str(files("bmr_materials"))) / "shared" / "locale"
