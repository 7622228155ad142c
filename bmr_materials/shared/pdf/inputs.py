"""What a PDF kind's render reads besides its context: the asset files the content names, the
print profile, and the list of input files its fingerprint hashes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bmr_materials.content.assetfiles import find_asset
from bmr_materials.content.model import Content


def asset_files(content: Content) -> dict[str, str]:
    """Where the assets the content names are (its own folder first, then the builder's):
    absolute paths, so the fingerprint leaves them out and hashes the files instead."""
    from bmr_materials.shared.fonts import shipped_font_files

    found = {"logo": str(find_asset(content.folder, content.campaign.brand.logo))}
    found.update(shipped_font_files(content))
    own = content.campaign.settings.print_profile
    if own:
        found["print_profile"] = str(find_asset(content.folder, own.file))
    return found


def print_profile(files: Mapping[str, str], own: Mapping[str, Any] | None) -> tuple[Path, str, str]:
    """(ICC file, output condition identifier, condition) of a print PDF: the print shop's own
    profile named in the content (`own`, found in `files`), else FOGRA39."""
    if own:
        return Path(files["print_profile"]), own["condition"], own["condition"]
    from bmr_materials.shared.printprofile import CONDITION, CONDITION_TEXT, output_profile

    return output_profile(), CONDITION, CONDITION_TEXT


def input_files(
    templates: list[Path],
    files: Mapping[str, str],
    font: str,
    script_font: str | None,
    own_profile: Mapping[str, Any] | None,
    variant: str,
) -> list[Path]:
    """The `templates`, the logo, the fonts and (for print) the profile a render reads. Fonts
    count by their variable sources (the static cuts follow from them), so planning never
    cuts."""
    from bmr_materials.resources import installed_family
    from bmr_materials.shared.fonts import brand_family_files, font_sources, shipped_paths

    read = [*templates, Path(files["logo"]), *font_sources()]
    read += shipped_paths(dict(files)) or brand_family_files(font)
    if script_font:
        read += installed_family(script_font)
    if variant == "print":
        read.append(print_profile(files, own_profile)[0])
    return read
