"""Take the builder's neutral deck master and a deck context; brand the master in place: its
theme (colour scheme, font scheme, theme names), the colours drawn on master and layouts, the
logo pictures and the footer prompt, all from the content's brand.

Only a master that asks for it is branded: its theme is named MARKER (templates/decks/
make_master.py makes it so). The master draws the brand roles in plain colours (ink, paper,
primary, secondary, accent and their tints on white); the theme's colour scheme says which
colour plays which role, so each is replaced by the brand's colour at the same tint. A
client's own master (named otherwise) keeps its look.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

MARKER = "Campaign brand"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
# brand role -> the theme slot holding the master's colour for it
ROLES = {
    "ink": "dk1",
    "paper": "lt1",
    "primary": "accent1",
    "secondary": "accent2",
    "accent": "accent3",
}
TINTS = (0.0, 0.3, 0.45, 0.8, 0.9)  # the tints on white the master draws (0 = the colour)
LOGO_HEIGHT_PX = 450


def mix(rgb: str, amount: float) -> str:
    """`rgb` (RRGGBB) mixed with white: amount 0 is the colour, 1 is white."""
    parts = [int(rgb[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(p + (255 - p) * amount):02X}" for p in parts)


def branded(prs: Any) -> bool:
    """Whether the master asks to be branded (its theme is named MARKER)."""
    from lxml import etree

    return etree.fromstring(_theme_part(prs.slide_master).blob).get("name") == MARKER


def apply_brand(prs: Any, context: dict[str, Any], cache_dir: Path) -> None:
    """Brand the master of `prs` from the deck context (colours, font, name, logo file)."""
    if not branded(prs):
        return
    brand = {k: v.lstrip("#").upper() for k, v in context["colours"].items()}
    name = context["brand"]["name"]
    master = prs.slide_master
    theme = _theme_part(master)
    old = _scheme_colours(theme.blob)
    recolour = {
        mix(old[slot], t): mix(brand[role], t) for role, slot in ROLES.items() for t in TINTS
    }
    theme._blob = theme_xml(theme.blob, brand, context["font"], name)
    notes = _theme_part(prs.notes_master)
    notes._blob = theme_xml(notes.blob, brand, context["font"], f"{name} Notes")
    png = logo_png(Path(context["files"]["logo"]), cache_dir)
    for owner in (master, *prs.slide_layouts):
        _recolour(owner._element, recolour)
        _replace_logo(owner, png, f"Logo: {name}")
    _footer_prompt(master, context["footer"])


SYMBOL_FONTS = ("wingdings", "symbol", "webdings", "opensymbol")


def bullets_in_theme_font(prs: Any) -> None:
    """Every bullet of the master and its layouts drawn with the theme's body font: a bullet
    font the machine lacks (Arial, Wingdings) would make LibreOffice fall back to another face
    (OpenSymbol), which the deck does not name. A symbol font's private character becomes '•'."""
    from pptx.oxml.ns import qn

    for owner in (prs.slide_master, *prs.slide_layouts):
        for char in owner._element.iter(qn("a:buChar")):
            props = char.getparent()
            font = props.find(qn("a:buFont"))
            if font is None:
                font = props.makeelement(qn("a:buFont"), {})
                char.addprevious(font)
            typeface = font.get("typeface", "")
            if typeface.startswith("+"):
                continue
            if typeface.lower().startswith(SYMBOL_FONTS):
                char.set("char", "\u2022")
            font.attrib.clear()
            font.set("typeface", "+mn-lt")


def theme_xml(blob: bytes, brand: dict[str, str], font: str, name: str) -> bytes:
    """The theme with the brand's colour scheme, its font as theme font and its name."""
    from lxml import etree

    root = etree.fromstring(blob)
    root.set("name", name)
    scheme = root.find(f".//{{{A}}}clrScheme")
    assert scheme is not None
    scheme.set("name", name)
    wanted = {
        "dk1": brand["ink"],
        "lt1": brand["paper"],
        "dk2": brand["primary"],
        "lt2": mix(brand["primary"], 0.9),
        "accent1": brand["primary"],
        "accent2": brand["secondary"],
        "accent3": brand["accent"],
        "accent4": mix(brand["primary"], 0.45),
        "accent5": mix(brand["secondary"], 0.45),
        "accent6": brand["ink"],
        "hlink": brand["primary"],
        "folHlink": mix(brand["primary"], 0.3),
    }
    for slot, rgb in wanted.items():
        element = scheme.find(f"{{{A}}}{slot}")
        assert element is not None
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, f"{{{A}}}srgbClr", val=rgb)
    fonts = root.find(f".//{{{A}}}fontScheme")
    assert fonts is not None
    fonts.set("name", name)
    for latin in fonts.iter(f"{{{A}}}latin"):
        latin.set("typeface", font)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


LOGO_DRAWING = "cairosvg-1"  # how an SVG logo is drawn (part of its cache key)


def logo_png(path: Path, cache_dir: Path) -> bytes:
    """The brand logo as a PNG for the master, LOGO_HEIGHT_PX high (an SVG drawn by CairoSVG
    with the builder's brand font cuts, a PNG or JPEG logo converted as it is), cached by
    its bytes."""
    from bmr_materials.shared.svgpng import cached_png

    data = path.read_bytes()
    key = f"{LOGO_DRAWING} {hashlib.sha256(data).hexdigest()}"
    return cached_png(cache_dir, "deck-logos", key, lambda: _logo_png(data))


def _logo_png(data: bytes) -> bytes:
    if data[:512].lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        return _svg_png(data)
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGBA").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _svg_png(svg: bytes) -> bytes:
    import re

    from bmr_materials.shared.fonts import static_fonts
    from bmr_materials.shared.svgpng import svg_png

    match = re.search(rb'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg)
    w, h = (float(match.group(1)), float(match.group(2))) if match else (400.0, 112.0)
    fonts = static_fonts()
    return svg_png(
        svg, round(LOGO_HEIGHT_PX * w / h), LOGO_HEIGHT_PX, (fonts["regular"], fonts["bold"])
    )


def _theme_part(master: Any) -> Any:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return master.part.part_related_by(RT.THEME)


def _scheme_colours(blob: bytes) -> dict[str, str]:
    from lxml import etree

    scheme = etree.fromstring(blob).find(f".//{{{A}}}clrScheme")
    assert scheme is not None
    found = {}
    for slot in ROLES.values():
        colour = scheme.find(f"{{{A}}}{slot}/{{{A}}}srgbClr")
        system = scheme.find(f"{{{A}}}{slot}/{{{A}}}sysClr")
        value = colour.get("val") if colour is not None else None
        if value is None and system is not None:
            value = system.get("lastClr")
        found[slot] = (value or "000000").upper()
    return found


def _recolour(element: Any, mapping: dict[str, str]) -> None:
    for colour in element.iter(f"{{{A}}}srgbClr"):
        new = mapping.get(colour.get("val", "").upper())
        if new:
            colour.set("val", new)


def _replace_logo(owner: Any, png: bytes, alt: str) -> None:
    """Every picture named 'Logo' shows `png`, fitted into its box (right, centred)."""
    from PIL import Image

    width, height = Image.open(io.BytesIO(png)).size
    for shape in owner.shapes:
        if shape.shape_type != 13 or shape.name != "Logo":  # 13: MSO_SHAPE_TYPE.PICTURE
            continue
        _, rid = owner.part.get_or_add_image_part(io.BytesIO(png))
        blip = shape._element.blipFill.find(f"{{{A}}}blip")
        old = blip.get(R_EMBED)
        blip.set(R_EMBED, rid)
        if old != rid:
            owner.part.drop_rel(old)  # the master's stand-in picture leaves the package
        box = (shape.left, shape.top, shape.width, shape.height)
        scale = min(box[2] / width, box[3] / height)
        cx, cy = int(width * scale), int(height * scale)
        shape.left, shape.top = box[0] + box[2] - cx, box[1] + (box[3] - cy) // 2
        shape.width, shape.height = cx, cy
        shape._element.nvPicPr.cNvPr.set("descr", alt)


def _footer_prompt(master: Any, text: str) -> None:
    """The master's footer prompt says the footer the slides carry."""
    for shape in master.placeholders:
        runs = shape.text_frame.paragraphs[0].runs if shape.name.startswith("Footer") else ()
        if runs:
            runs[0].text = text
