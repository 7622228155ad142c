"""Take a master template; find its layouts by name, their placeholders by role, and the text
style (size, spacing, indent) each placeholder level inherits from layout and master.

Placeholders are found by name first (the brand master names them: "Title", "Figure 1",
"Caption", "QR Code" ...), then by type in reading order, so a corporate template with
its own placeholder names works when its layouts carry the names the decks need.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu

from bmr_materials.errors import TemplateError

TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
TEXT_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.OBJECT}
PICTURE_TYPES = {PP_PLACEHOLDER.PICTURE, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.CHART}
FOOTER_TYPES = {PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}
# role -> placeholder name the brand master uses for it
ROLES = (
    "title",
    "subtitle",
    "claim",
    "figure",
    "sources",
    "source",
    "chart",
    "caption",
    "takeaway",
    "text",
    "points",
    "opportunities",
    "left",
    "right",
    "ask",
    "steps",
    "credit",
    "picture",
    "icon",
    "map",
)
ROLE_NAMES = {**{role: role for role in ROLES}, "qr": "qr code", "qr_caption": "qr caption"}
PICTURE_ROLES = {"chart", "qr", "picture", "icon", "map"}


@cache
def template_bytes(path: str, mtime_ns: int) -> bytes:
    """The template file's bytes, read once per process and version of the file."""
    return Path(path).read_bytes()


def open_template(path: Path) -> Any:
    """A fresh Presentation on `path`, with any example slides of the template removed."""
    from pptx import Presentation

    if not path.is_file():
        raise TemplateError(f"deck template {path} not found")
    try:
        data = _as_presentation(template_bytes(str(path), path.stat().st_mtime_ns))
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:
        raise TemplateError(f"deck template {path} cannot be opened: {exc}") from None
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)
    return prs


def _as_presentation(data: bytes) -> bytes:
    """A .potx (template) package as a .pptx one: only its main part's content type differs."""
    import zipfile

    template = b"presentationml.template.main+xml"
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = (
            source.read("[Content_Types].xml")
            if "[Content_Types].xml" in source.namelist()
            else b""
        )
        if template not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                body = source.read(info)
                if info.filename == "[Content_Types].xml":
                    body = body.replace(template, b"presentationml.presentation.main+xml")
                target.writestr(info, body)
    return out.getvalue()


def layouts_by_name(prs: Any, needed: list[str], label: str) -> dict[str, Any]:
    """The layouts named in `needed`; TemplateError lists the missing and the available."""
    found = {layout.name: layout for layout in prs.slide_layouts}
    missing = sorted({name for name in needed if name not in found})
    if missing:
        raise TemplateError(
            f"deck template {label} lacks the layout{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}; its layouts are: "
            f"{', '.join(repr(n) for n in found)}"
        )
    return {name: found[name] for name in needed}


def _reading_order(shapes: list[Any]) -> list[Any]:
    return sorted(shapes, key=lambda s: (int(s.top or 0), int(s.left or 0)))


def _role_name(ph: Any) -> str:
    """The name of the layout placeholder `ph` comes from, without its number."""
    base = ph._base_placeholder
    return str((base if base is not None else ph).name).lower().rstrip(" 0123456789")


def resolve(
    slide: Any, roles: list[str], label: str, by_index: dict[str, list[int]] | None = None
) -> dict[str, list[Any]]:
    """role -> the slide placeholders that take it (several for 'figure'): those the content's
    layout map gives by idx, then by name, then by type in reading order."""
    free = [ph for ph in slide.placeholders if ph.placeholder_format.type not in FOOTER_TYPES]
    result: dict[str, list[Any]] = {}
    for role, indices in (by_index or {}).items():
        hits = [ph for i in indices for ph in free if ph.placeholder_format.idx == i]
        if role in roles and hits:
            result[role] = hits
            free = [ph for ph in free if ph not in hits]
    for role in roles:  # by name
        if role in result:
            continue
        name = ROLE_NAMES[role]
        hits = [ph for ph in free if _role_name(ph) == name]
        if hits:
            result[role] = _reading_order(hits)
            free = [ph for ph in free if ph not in hits]
    for role in roles:  # then by type, in reading order
        if role in result:
            continue
        types = (
            TITLE_TYPES
            if role == "title"
            else PICTURE_TYPES
            if role in PICTURE_ROLES
            else TEXT_TYPES
        )
        hits = [ph for ph in _reading_order(free) if ph.placeholder_format.type in types]
        if not hits:
            have = ", ".join(f"{ph.name!r}" for ph in slide.placeholders) or "none"
            raise TemplateError(
                f"layout {slide.slide_layout.name!r} of deck template {label} "
                f"has no placeholder for {role!r} (it has: {have})"
            )
        take = hits if role == "figure" else hits[:1]
        result[role] = take
        free = [ph for ph in free if ph not in take]
    return result


# --- inherited text style -------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """Style of one paragraph level of a placeholder, in points."""

    size: float
    before: float
    line: float
    indent: float
    bold: bool = False


@dataclass(frozen=True)
class Frame:
    """A placeholder's text area in points, insets removed."""

    width: float
    height: float


def _pt(emu: int) -> float:
    return float(Emu(emu).pt)


def _lvl_sources(placeholder: Any, level: int) -> list[Any]:
    """a:lvlNpPr elements from the most to the least specific: slide, layout, master
    placeholder, master text styles."""
    tag = qn(f"a:lvl{level + 1}pPr")
    found: list[Any] = []
    layout_ph = placeholder._base_placeholder
    master_ph = layout_ph._base_placeholder if layout_ph is not None else None
    for shape in (placeholder, layout_ph, master_ph):
        if shape is None:
            continue
        lst = shape._element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}")
        if lst is not None and lst.find(tag) is not None:
            found.append(lst.find(tag))
    master = placeholder.part.slide_layout.slide_master._element
    styles = master.find(qn("p:txStyles"))
    is_title = placeholder.placeholder_format.type in TITLE_TYPES
    kind = "p:titleStyle" if is_title else "p:bodyStyle"
    if styles is not None and styles.find(qn(kind)) is not None:
        el = styles.find(qn(kind)).find(tag)
        if el is not None:
            found.append(el)
    return found


def level_style(placeholder: Any, level: int) -> Level:
    """The size, space before, line spacing and left margin a paragraph level inherits."""
    size = before_pts = before_pct = line = indent = bold = None
    for el in _lvl_sources(placeholder, level):
        rpr = el.find(qn("a:defRPr"))
        if size is None and rpr is not None and rpr.get("sz"):
            size = int(rpr.get("sz")) / 100
        if bold is None and rpr is not None and rpr.get("b") is not None:
            bold = rpr.get("b") in ("1", "true")
        if before_pts is None and before_pct is None:
            before_pts = _spacing(el, "a:spcBef", "a:spcPts", 100)
            before_pct = _spacing(el, "a:spcBef", "a:spcPct", 100000)
        if line is None:
            line = _spacing(el, "a:lnSpc", "a:spcPct", 100000)
        if indent is None and el.get("marL") is not None:
            indent = _pt(int(el.get("marL")))
    size = size or 18.0
    before = before_pts if before_pts is not None else (before_pct or 0.0) * size * 1.2
    return Level(size, before, line or 1.0, indent or 0.0, bool(bold))


def _spacing(el: Any, outer: str, inner: str, divisor: int) -> float | None:
    found = el.find(f"{qn(outer)}/{qn(inner)}")
    return int(found.get("val")) / divisor if found is not None else None


def frame(placeholder: Any) -> Frame:
    """The text area of `placeholder`: its size minus the insets of its body properties."""
    insets = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}
    chain = [placeholder, placeholder._base_placeholder]
    if chain[1] is not None:
        chain.append(chain[1]._base_placeholder)
    for key in insets:
        for shape in chain:
            if shape is None:
                continue
            body = shape._element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
            if body is not None and body.get(key) is not None:
                insets[key] = int(body.get(key))
                break
    width = int(placeholder.width) - insets["lIns"] - insets["rIns"]
    height = int(placeholder.height) - insets["tIns"] - insets["bIns"]
    return Frame(_pt(width), _pt(height))
