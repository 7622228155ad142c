"""Generate templates/decks/master.pptx: a neutral 16:9 PowerPoint master with named layouts.

Run from the project root:  .venv/bin/python templates/decks/make_master.py

Takes python-pptx's default package (valid, opens everywhere), sets 16:9, writes a neutral
palette into its theme (named "Campaign brand", theme fonts "Source Sans 3"), redraws the slide
master (a transparent stand-in logo, accent line, footer, slide number) and replaces its layouts
with the named layouts the deck renderer fills: Title, Section, Key Figures, Chart, Field, Two
Columns, Text, Contact. No campaign is in it: every build brands it from the content's brand
(bmr_materials/kinds/decks/theme.py). The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.util import Emu, Inches

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bmr_materials.kinds.decks.repro import normalise_package  # noqa: E402
from bmr_materials.kinds.decks.theme import mix, theme_xml  # noqa: E402

NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OUT = ROOT / "templates" / "decks" / "master.pptx"
FONT = "Source Sans 3"
W, H = 12192000, 6858000
M = Inches(0.6)  # side margin
NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    cx: int
    cy: int

    def xfrm(self) -> str:
        return (
            f'<a:xfrm><a:off x="{self.x}" y="{self.y}"/>'
            f'<a:ext cx="{self.cx}" cy="{self.cy}"/></a:xfrm>'
        )


def inch(x: float, y: float, cx: float, cy: float) -> Box:
    return Box(*(int(Inches(v)) for v in (x, y, cx, cy)))


# --- geometry shared by the layouts (inches) ------------------------------------------------
SIDE = 0.6
CONTENT_W = 13.333 - 2 * SIDE
TITLE = inch(SIDE, 0.35, CONTENT_W - 2.3, 1.05)
BODY_TOP, BODY_BOTTOM = 1.7, 6.7
FOOTER = inch(SIDE, 6.95, 8.0, 0.36)
SLDNUM = inch(13.333 - SIDE - 1.2, 6.95, 1.2, 0.36)
LOGO = inch(13.333 - SIDE - 2.0, 0.42, 2.0, 0.62)
THEME = "Campaign brand"  # theme.MARKER: builds brand a master of this name
NEUTRAL = {
    "primary": "2F4A6D",
    "secondary": "5B8C6E",
    "accent": "C98A3B",
    "ink": "262626",
    "paper": "FFFFFF",
}


def colours() -> dict[str, str]:
    """The neutral palette a build replaces, role by role, with the content's brand colours."""
    return dict(NEUTRAL)


def grey(c: dict[str, str]) -> str:
    return mix(c["ink"], 0.3)


# --- XML snippets -----------------------------------------------------------------------------


def rpr(
    size: int | None = None,
    *,
    bold: bool = False,
    colour: str | None = None,
    scheme: str | None = None,
    tag: str = "defRPr",
    major: bool = False,
) -> str:
    """Run properties that name the theme's fonts (major for titles, minor for the rest), so
    no client falls back to a face of its own choosing."""
    attrs = f' sz="{size * 100}"' if size else ""
    attrs += ' b="1"' if bold else ' b="0"'
    fill = ""
    if colour:
        fill = f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
    elif scheme:
        fill = f'<a:solidFill><a:schemeClr val="{scheme}"/></a:solidFill>'
    return f"<a:{tag}{attrs}>{fill}{theme_fonts(major)}</a:{tag}>"


def theme_fonts(major: bool = False) -> str:
    """a:latin, a:ea and a:cs naming the theme's major (+mj) or minor (+mn) fonts."""
    kind = "mj" if major else "mn"
    return (
        f'<a:latin typeface="+{kind}-lt"/><a:ea typeface="+{kind}-ea"/>'
        f'<a:cs typeface="+{kind}-cs"/>'
    )


def lvl(
    n: int,
    size: int,
    *,
    bold: bool = False,
    colour: str | None = None,
    scheme: str | None = "tx1",
    bullet: str | None = None,
    bullet_colour: str = "",
    before: int = 6,
    align: str = "l",
    line: int = 100,
    major: bool = False,
) -> str:
    """One a:lvlNpPr: paragraph spacing, bullet (in the theme's minor font) and run defaults."""
    if bullet:
        mar = int(Inches(0.32))
        indent = f' marL="{mar}" indent="-{mar}"'
        bu = (
            f'<a:buClr><a:srgbClr val="{bullet_colour}"/></a:buClr>'
            f'<a:buFont typeface="+mn-lt"/><a:buChar char="{bullet}"/>'
        )
    else:
        indent, bu = ' marL="0" indent="0"', "<a:buNone/>"
    return (
        f'<a:lvl{n}pPr{indent} algn="{align}">'
        f'<a:lnSpc><a:spcPct val="{line * 1000}"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{before * 100}"/></a:spcBef>'
        f'<a:spcAft><a:spcPts val="0"/></a:spcAft>{bu}'
        f"{rpr(size, bold=bold, colour=colour, scheme=None if colour else scheme, major=major)}"
        f"</a:lvl{n}pPr>"
    )


def placeholder(
    sid: int,
    name: str,
    ph: str,
    box: Box | None,
    *,
    lst: str = "",
    anchor: str = "t",
    prompt: str = "",
    fill: str | None = None,
    inset: float = 0.1,
) -> str:
    """A placeholder shape; `ph` is the p:ph attribute text, e.g. 'type="title"'."""
    spr = box.xfrm() if box else ""
    if fill:
        colour = fill if fill.startswith("<") else f'<a:srgbClr val="{fill}"/>'
        spr += f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>{colour}</a:solidFill>'
    ins = int(Inches(inset))
    body = (
        f'<a:bodyPr vert="horz" wrap="square" lIns="{ins}" tIns="45720" rIns="{ins}" '
        f'bIns="45720" rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr>'
    )
    fonts = theme_fonts('type="title"' in ph or 'type="ctrTitle"' in ph)
    text = f'<a:r><a:rPr lang="en-GB">{fonts}</a:rPr><a:t>{prompt}</a:t></a:r>' if prompt else ""
    field = ""
    if 'type="sldNum"' in ph:
        field = (
            '<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum">'
            f'<a:rPr lang="en-GB">{fonts}</a:rPr><a:t>‹#›</a:t></a:fld>'
        )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr>'
        f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>'
        f"<p:spPr>{spr}</p:spPr><p:txBody>{body}<a:lstStyle>{lst}</a:lstStyle>"
        f'<a:p>{text}{field}<a:endParaRPr lang="en-GB">{fonts}</a:endParaRPr></a:p>'
        "</p:txBody></p:sp>"
    )


def rect(sid: int, name: str, box: Box, colour: str) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr/>'
        f'<p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>{box.xfrm()}'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        f"</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p>"
        f'<a:endParaRPr lang="en-GB">{theme_fonts()}</a:endParaRPr></a:p></p:txBody></p:sp>'
    )


def picture(sid: int, name: str, box: Box, rid: str, descr: str) -> str:
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{sid}" name="{name}" descr="{descr}"/>'
        f'<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr userDrawn="1"/>'
        f'</p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        f'</a:stretch></p:blipFill><p:spPr>{box.xfrm()}<a:prstGeom prst="rect"><a:avLst/>'
        f"</a:prstGeom></p:spPr></p:pic>"
    )


def sp_tree(shapes: list[str]) -> str:
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
        '</p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
        '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
        + "".join(shapes)
        + "</p:spTree>"
    )


def background(colour: str | None) -> str:
    if colour is None:
        return ""
    return (
        f'<p:bg><p:bgPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        f"<a:effectLst/></p:bgPr></p:bg>"
    )


# --- master -----------------------------------------------------------------------------------


def text_styles(c: dict[str, str]) -> str:
    title = lvl(1, 32, bold=True, colour=c["primary"], before=0, line=90, major=True)
    body = "".join(
        [
            lvl(1, 20, before=8),
            lvl(2, 20, bullet="•", bullet_colour=c["secondary"], before=6),
            lvl(3, 18, bullet="–", bullet_colour=c["secondary"], before=4),
        ]
    )
    other = lvl(1, 18, before=0)
    return (
        f"<p:txStyles><p:titleStyle>{title}</p:titleStyle>"
        f"<p:bodyStyle>{body}</p:bodyStyle><p:otherStyle>{other}</p:otherStyle></p:txStyles>"
    )


def footer_shapes(c: dict[str, str], start: int, *, light: bool = False) -> list[str]:
    colour = "FFFFFF" if light else grey(c)
    small = lvl(1, 11, colour=colour, before=0)
    right = lvl(1, 11, colour=colour, before=0, align="r")
    return [
        placeholder(
            start,
            "Footer Placeholder",
            'type="ftr" sz="quarter" idx="11"',
            FOOTER,
            lst=small,
            anchor="ctr",
            prompt="Footer",
        ),
        placeholder(
            start + 1,
            "Slide Number Placeholder",
            'type="sldNum" sz="quarter" idx="12"',
            SLDNUM,
            lst=right,
            anchor="ctr",
        ),
    ]


def master_xml(c: dict[str, str], layout_ids: str, logo_rid: str, logo_box: Box) -> str:
    shapes = [
        placeholder(
            2,
            "Title Placeholder",
            'type="title"',
            TITLE,
            anchor="b",
            prompt="Click to edit the title",
        ),
        placeholder(
            3,
            "Text Placeholder",
            'type="body" idx="1"',
            inch(SIDE, BODY_TOP, CONTENT_W, BODY_BOTTOM - BODY_TOP),
            prompt="Click to edit the text",
        ),
        rect(4, "Accent Line", inch(SIDE, 1.5, 1.3, 0.07), c["secondary"]),
        rect(5, "Footer Rule", inch(SIDE, 6.88, CONTENT_W, 0.014), mix(c["ink"], 0.8)),
        picture(6, "Logo", logo_box, logo_rid, "Logo"),
        *footer_shapes(c, 7),
    ]
    return (
        f"<p:sldMaster {NS}><p:cSld>{background(c['paper'])}{sp_tree(shapes)}</p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" '
        'accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" '
        'accent6="accent6" hlink="hlink" folHlink="folHlink"/>'
        f"{layout_ids}{text_styles(c)}</p:sldMaster>"
    )


# --- layouts ----------------------------------------------------------------------------------


def layout_xml(
    name: str, shapes: list[str], *, bg: str | None = None, show_master: bool = True
) -> str:
    flag = "" if show_master else ' showMasterSp="0"'
    return (
        f'<p:sldLayout {NS} preserve="1" userDrawn="1"{flag}><p:cSld name="{name}">'
        f"{background(bg)}{sp_tree(shapes)}</p:cSld>"
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )


def title_ph(sid: int = 2, box: Box = TITLE) -> str:
    return placeholder(sid, "Title", 'type="title"', box, anchor="b", prompt="Click to add a title")


def body_ph(
    sid: int,
    name: str,
    idx: int,
    box: Box,
    *,
    lst: str = "",
    anchor: str = "t",
    fill: str | None = None,
    inset: float = 0.1,
    kind: str = "body",
) -> str:
    return placeholder(
        sid,
        name,
        f'type="{kind}" idx="{idx}"',
        box,
        lst=lst,
        anchor=anchor,
        prompt=f"{name}",
        fill=fill,
        inset=inset,
    )


def layouts(c: dict[str, str]) -> dict[str, tuple[list[str], dict[str, object]]]:
    """Layout name -> (shapes, options); shape names say the role the renderer fills."""
    top, height = BODY_TOP, BODY_BOTTOM - BODY_TOP
    white = "FFFFFF"
    title_big = lvl(1, 44, bold=True, colour=white, before=0, line=90, major=True)
    sub = lvl(1, 24, colour=white, before=0)
    claim = lvl(1, 18, colour=c["ink"], before=0)
    fig_value = lvl(1, 44, bold=True, colour=c["primary"], before=0, line=90)
    fig_label = lvl(2, 18, colour=c["ink"], before=4)
    small = lvl(1, 12, colour=grey(c), before=2)
    gap, col = 0.45, (CONTENT_W - 0.45) / 2
    cell_w, cell_h = (CONTENT_W - 2 * gap) / 3, 1.95
    figure_cells = [
        body_ph(
            10 + i,
            f"Figure {i + 1}",
            21 + i,
            inch(
                SIDE + (i % 3) * (cell_w + gap),
                top + 0.1 + (i // 3) * (cell_h + 0.3),
                cell_w,
                cell_h,
            ),
            lst=fig_value + fig_label,
            inset=0.05,
        )
        for i in range(6)
    ]
    band = 4.55
    agenda = (
        f'<a:lvl2pPr marL="{int(Inches(0.55))}" indent="-{int(Inches(0.55))}">'
        '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="1800"/></a:spcBef>'
        f'<a:buClr><a:srgbClr val="{c["secondary"]}"/></a:buClr><a:buFont typeface="+mn-lt"/>'
        '<a:buAutoNum type="arabicPeriod"/>'
        f"{rpr(28, colour=c['ink'])}</a:lvl2pPr>"
    )
    return {
        "Title": (
            [
                rect(2, "Brand Band", inch(0, 0, 13.333, band), c["primary"]),
                rect(3, "Accent Line", inch(SIDE, band - 0.35, 1.3, 0.07), c["secondary"]),
                placeholder(
                    4,
                    "Title",
                    'type="ctrTitle"',
                    inch(SIDE, 0.9, 11.5, 1.9),
                    anchor="b",
                    lst=title_big,
                    prompt="Click to add a title",
                ),
                placeholder(
                    5,
                    "Subtitle",
                    'type="subTitle" idx="1"',
                    inch(SIDE, 2.85, 11.5, 1.15),
                    lst=sub,
                    prompt="Subtitle",
                ),
                body_ph(6, "Claim", 13, inch(SIDE, band + 0.55, 7.6, 1.5), lst=claim),
            ],
            {"show_master": False, "logo": inch(13.333 - SIDE - 2.6, band + 0.7, 2.6, 0.8)},
        ),
        "Section": (
            [
                placeholder(
                    2,
                    "Title",
                    'type="title"',
                    inch(SIDE, 2.0, CONTENT_W, 1.6),
                    anchor="b",
                    lst=title_big,
                    prompt="Click to add a title",
                ),
                body_ph(3, "Subtitle", 1, inch(SIDE, 3.8, CONTENT_W, 1.4), lst=sub),
                *footer_shapes(c, 4, light=True),
            ],
            {"show_master": False, "bg": c["primary"]},
        ),
        "Key Figures": (
            [
                title_ph(),
                *figure_cells,
                body_ph(
                    20, "Sources", 30, inch(SIDE, 6.05, CONTENT_W, 0.75), lst=small, anchor="b"
                ),
                *footer_shapes(c, 21),
            ],
            {},
        ),
        "Agenda": (
            [
                title_ph(),
                body_ph(3, "Text", 1, inch(SIDE, top + 0.2, 9.0, height - 0.4), lst=agenda),
                *footer_shapes(c, 4),
            ],
            {},
        ),
        "Chart": (
            [
                title_ph(),
                placeholder(3, "Chart", 'idx="14"', inch(SIDE, top, 7.6, 4.275), prompt="Chart"),
                body_ph(
                    4,
                    "Takeaway",
                    15,
                    inch(SIDE + 7.9, top + 0.2, CONTENT_W - 7.9, 2.6),
                    lst=lvl(1, 32, bold=True, colour=c["primary"], before=0, line=95),
                ),
                body_ph(5, "Source", 19, inch(SIDE, top + 4.3, CONTENT_W, 0.85), lst=small),
                *footer_shapes(c, 6),
            ],
            {},
        ),
        "Field": (
            [
                title_ph(),
                placeholder(3, "Icon", 'type="pic" idx="23"', inch(SIDE, top, 0.95, 0.95)),
                *[
                    body_ph(
                        4 + i,
                        f"Figure {i + 1}",
                        21 + i,
                        inch(SIDE, top + 1.05 + i * 1.8, 5.5, 1.75),
                        lst=lvl(1, 44, bold=True, colour=c["primary"], before=0, line=90)
                        + lvl(2, 15, colour=c["ink"], before=4),
                        inset=0.05,
                    )
                    for i in range(2)
                ],
                body_ph(
                    6,
                    "Points",
                    16,
                    inch(SIDE + 6.0, top + 0.1, CONTENT_W - 6.0, 4.3),
                    lst=lvl(2, 24, bullet="•", bullet_colour=c["secondary"], before=18),
                ),
                body_ph(7, "Source", 19, inch(SIDE, 6.3, CONTENT_W, 0.5), lst=small, anchor="b"),
                *footer_shapes(c, 8),
            ],
            {},
        ),
        "Picture": (
            [
                placeholder(2, "Picture", 'type="pic" idx="24"', inch(0, 0, 13.333, 7.5)),
                placeholder(
                    3,
                    "Title",
                    'type="title"',
                    inch(SIDE, 5.4, 9.0, 1.15),
                    anchor="ctr",
                    lst=lvl(1, 32, bold=True, colour=white, before=0, line=90, major=True),
                    fill=c["primary"],
                    inset=0.25,
                ),
                body_ph(
                    4,
                    "Credit",
                    25,
                    inch(13.333 - 5.2, 7.5 - 0.36, 5.2, 0.36),
                    lst=lvl(1, 9, colour=white, before=0, align="r"),
                    anchor="ctr",
                    fill='<a:srgbClr val="000000"><a:alpha val="55000"/></a:srgbClr>',
                ),
            ],
            {"show_master": False},
        ),
        "Map": (
            [
                title_ph(),
                placeholder(3, "Map", 'type="pic" idx="28"', inch(SIDE, top, 7.6, height)),
                body_ph(
                    4,
                    "Points",
                    16,
                    inch(SIDE + 8.0, top + 0.1, CONTENT_W - 8.0, 4.3),
                    lst=lvl(2, 22, bullet="•", bullet_colour=c["secondary"], before=14),
                ),
                *footer_shapes(c, 5),
            ],
            {},
        ),
        "Closing": (
            [
                title_ph(),
                body_ph(
                    3,
                    "Ask",
                    26,
                    inch(SIDE, top, 7.7, 1.6),
                    lst=lvl(1, 28, bold=True, colour=c["primary"], before=0, line=95),
                ),
                body_ph(
                    4,
                    "Steps",
                    27,
                    inch(SIDE, top + 1.75, 7.7, height - 1.85),
                    lst=lvl(2, 20, bullet="•", bullet_colour=c["secondary"], before=10),
                ),
                body_ph(
                    5,
                    "Text",
                    1,
                    inch(SIDE + 8.1, top, CONTENT_W - 8.1, 2.55),
                    lst=lvl(1, 14, colour=c["ink"], before=2),
                ),
                placeholder(
                    6,
                    "QR Code",
                    'type="pic" idx="17"',
                    inch(SIDE + 8.1 + 0.6, top + 2.7, 2.2, 2.2),
                    prompt="QR code",
                ),
                *footer_shapes(c, 7),
            ],
            {},
        ),
        "Two Columns": (
            [
                title_ph(),
                body_ph(3, "Left", 1, inch(SIDE, top, col, height)),
                body_ph(4, "Right", 2, inch(SIDE + col + gap, top, col, height)),
                *footer_shapes(c, 5),
            ],
            {},
        ),
        "Text": (
            [
                title_ph(),
                body_ph(3, "Text", 1, inch(SIDE, top, CONTENT_W, height)),
                *footer_shapes(c, 4),
            ],
            {},
        ),
        "Contact": (
            [
                title_ph(),
                body_ph(3, "Text", 1, inch(SIDE, top, 7.4, height)),
                placeholder(
                    4,
                    "QR Code",
                    'type="pic" idx="17"',
                    inch(9.35, top + 0.1, 3.0, 3.0),
                    prompt="QR code",
                ),
                body_ph(
                    5,
                    "QR Caption",
                    18,
                    inch(8.85, top + 3.2, 4.0, 1.2),
                    lst=lvl(1, 14, colour=c["ink"], before=0, align="ctr"),
                ),
                *footer_shapes(c, 6),
            ],
            {},
        ),
    }


def logo_png() -> bytes:
    """A transparent stand-in of the logo box's shape: each build puts the brand's logo there."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (400, 124), (0, 0, 0, 0)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def fit_box(box: Box, png: bytes) -> Box:
    """`png` scaled into `box`, kept at its aspect ratio, aligned right and centred vertically."""
    from PIL import Image

    w, h = Image.open(io.BytesIO(png)).size
    scale = min(box.cx / w, box.cy / h)
    cx, cy = int(w * scale), int(h * scale)
    return Box(box.x + box.cx - cx, box.y + (box.cy - cy) // 2, cx, cy)


def add_layout(prs: Presentation, number: int) -> None:
    """Append a layout part (a copy of the first, rewritten later) to the master."""
    import copy

    from pptx.opc.packuri import PackURI
    from pptx.parts.slide import SlideLayoutPart

    master = prs.slide_master
    source = prs.slide_layouts[0].part
    part = SlideLayoutPart(
        PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml"),
        source.content_type,
        source.package,
        copy.deepcopy(source._element),
    )
    part.relate_to(master.part, RT.SLIDE_MASTER)
    rid = master.part.relate_to(part, RT.SLIDE_LAYOUT)
    ids = master._element.get_or_add_sldLayoutIdLst()
    new = etree.SubElement(ids, f"{{{NS_P}}}sldLayoutId")
    new.set("id", str(max(int(i.get("id")) for i in ids if i.get("id")) + 1))
    new.set(f"{{{NS_R}}}id", rid)


def build() -> bytes:
    c = colours()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(W), Emu(H)
    master = prs.slide_master
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = theme_xml(theme.blob, c, FONT, THEME)  # type: ignore[attr-defined]
    specs = layouts(c)
    existing = list(prs.slide_layouts)
    for extra in existing[len(specs) :]:
        prs.slide_layouts.remove(extra)
    for number in range(len(existing) + 1, len(specs) + 1):  # more layouts than the default
        add_layout(prs, number)
    logo = logo_png()
    for layout, (name, (shapes, options)) in zip(prs.slide_layouts, specs.items(), strict=True):
        part = layout.part
        if "logo" in options:
            _, rid = part.get_or_add_image_part(io.BytesIO(logo))
            box = fit_box(options["logo"], logo)  # type: ignore[arg-type]
            shapes = [*shapes, picture(20, "Logo", box, rid, "Logo")]
        part._element = parse_xml(
            layout_xml(
                name,
                shapes,
                bg=options.get("bg"),  # type: ignore[arg-type]
                show_master=bool(options.get("show_master", True)),
            )
        )
    _, rid = master.part.get_or_add_image_part(io.BytesIO(logo))
    ids = etree.tostring(master._element.get_or_add_sldLayoutIdLst()).decode()
    ids = re.sub(r' xmlns:\w+="[^"]+"', "", ids)
    master.part._element = parse_xml(master_xml(c, ids, rid, fit_box(LOGO, logo)))
    notes_theme = prs.notes_master.part.part_related_by(RT.THEME)
    notes_theme._blob = theme_xml(notes_theme.blob, c, FONT, f"{THEME} Notes")  # type: ignore[attr-defined]
    props = prs.core_properties
    props.title, props.author = "Deck master", ""
    props.subject, props.keywords, props.comments = "", "", ""
    props.last_modified_by, props.revision = "make_master.py", 1
    import datetime as dt

    when = dt.datetime(2026, 1, 1, 12, 0, 0)
    props.created = props.modified = props.last_printed = when
    out = io.BytesIO()
    prs.save(out)
    return normalise_package(out.getvalue(), when)


def main() -> None:
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
