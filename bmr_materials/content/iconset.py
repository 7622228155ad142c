"""Name the icons the content may choose: the Lucide set (ISC licence) as the installed
`lucide` package ships it, one SVG per icon in its `lucide.zip`.

The content layer validates `icon:` keys here (an unknown name is a content error with a
near-miss hint); `shared/icons.py` draws the icons from the same files.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from bmr_materials.errors import did_you_mean

ICON_PACKAGE = "lucide"
ICON_ARCHIVE = "lucide.zip"


@contextmanager
def _archive() -> Iterator[zipfile.ZipFile]:
    from importlib.resources import files

    with (files(ICON_PACKAGE) / ICON_ARCHIVE).open("rb") as handle, zipfile.ZipFile(handle) as zf:
        yield zf


@cache
def icon_names() -> frozenset[str]:
    """Every icon name the installed set has ('heart-pulse', 'microscope', ...)."""
    with _archive() as archive:
        return frozenset(
            name.removesuffix(".svg") for name in archive.namelist() if name.endswith(".svg")
        )


@cache
def icon_source(name: str) -> bytes:
    """The icon's SVG file as the set ships it; KeyError for an unknown name."""
    if name not in icon_names():
        raise KeyError(name)
    with _archive() as archive:
        return archive.read(f"{name}.svg")


def known_icon(value: str) -> str:
    """An icon name the set has (validator for `icon:` keys)."""
    if value not in icon_names():
        hint = did_you_mean(value, icon_names()) or " (see the names at lucide.dev/icons)"
        raise ValueError(f"unknown icon {value!r}{hint}")
    return value
