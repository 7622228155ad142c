"""Take validated content; produce the problems that would otherwise stop or spoil a brochure
render: an SVG logo with a colour the print variant cannot turn into CMYK (it is not a brand
colour). Two outputs with one id are a content check (content.crosscheck).
"""

from __future__ import annotations

import re

from bmr_materials.content.assetfiles import AssetRefused, find_asset
from bmr_materials.content.model import Content
from bmr_materials.content.yamlsafe import Marked
from bmr_materials.errors import Problem, display_path
from bmr_materials.shared.charts import palette

HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")  # the colours charts.svg_to_cmyk converts


def check_brochures(content: Content, origins: dict[str, Marked]) -> list[Problem]:
    """Every brochure problem that depends on the content."""
    return _logo_colours(content, origins["campaign"])


def _logo_colours(content: Content, marked: Marked) -> list[Problem]:
    """Print brochures show the SVG logo in CMYK: each of its colours must be a brand colour."""
    try:
        path = find_asset(content.folder, content.campaign.brand.logo)
        data = path.read_bytes()
    except (AssetRefused, OSError):
        return []  # the content check has reported it
    if not data[:512].lstrip().startswith(b"<"):
        return []
    known = {
        c["rgb"]
        for c in palette(
            {n: c.model_dump() for n, c in content.campaign.brand.colours.items()}
        ).values()
    }
    found = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        for match in HEX.finditer(line):
            if match.group(0).upper() not in known:
                found.append(
                    Problem(
                        display_path(path),
                        number,
                        match.start() + 1,
                        "",
                        f"brand.logo in {marked.file}: colour {match.group(0)} is not a brand "
                        "colour, so print brochures cannot show it in CMYK (use a colour of "
                        "brand.colours)",
                    )
                )
    return found
