"""Name the icons the content may choose: the Lucide set (ISC licence) as the installed
`lucide` package ships it, one SVG per icon in its `lucide.zip`.

The content layer validates `icon:` keys here (an unknown name is a content error with a
near-miss hint); `shared/icons.py` draws the icons from the same files.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache

from bmr_materials.errors import did_you_mean

ICON_PACKAGE = "lucide"
ICON_ARCHIVE = "lucide.zip"


@cache
def _archive() -> zipfile.ZipFile:
    """The set's archive, read once per process (its directory is parsed once)."""
    from importlib.resources import files

    data = (files(ICON_PACKAGE) / ICON_ARCHIVE).read_bytes()
    return zipfile.ZipFile(io.BytesIO(data))


@cache
def icon_names() -> frozenset[str]:
    """Every icon name the installed set has ('heart-pulse', 'microscope', ...)."""
    return frozenset(
        name.removesuffix(".svg") for name in _archive().namelist() if name.endswith(".svg")
    )


@cache
def icon_set_version() -> str:
    """The installed icon package's version (icons of one version never change)."""
    from importlib.metadata import version

    return version(ICON_PACKAGE)


@cache
def icon_source(name: str) -> bytes:
    """The icon's SVG file as the set ships it; KeyError for an unknown name."""
    if name not in icon_names():
        raise KeyError(name)
    return _archive().read(f"{name}.svg")


def known_icon(value: str) -> str:
    """An icon name the set has (validator for `icon:` keys)."""
    if value not in icon_names():
        hint = did_you_mean(value, icon_names()) or " (see the names at lucide.dev/icons)"
        raise ValueError(f"unknown icon {value!r}{hint}")
    return value
