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


def resolve(
    slide: Any,
    roles: list[str],
    label: str,
    by_index: dict[str, list[int]] | None = None,
    inherit: Inheritance | None = None,
) -> dict[str, list[Any]]:
    """role -> the slide placeholders that take it (several for 'figure'): those the content's
    layout map gives by idx, then by name, then by type in reading order."""
    known = inherit or Inheritance()

    def _reading_order(shapes: list[Any]) -> list[Any]:
        return sorted(shapes, key=lambda s: (known.box(s).top, known.box(s).left))

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
        hits = [ph for ph in free if known.role_name(ph) == name]
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


@dataclass(frozen=True)
class Box:
    """A shape's position and size in EMU, as it has them or inherits them."""

    left: int
    top: int
    width: int
    height: int


class Inheritance:
    """What the slide placeholders of one deck inherit from their layout and master
    placeholders, found once per layout placeholder: python-pptx searches the layout's and
    master's shapes again on every inherited read (position, size, name, text style)."""

    def __init__(self) -> None:
        self._bases: dict[tuple[Any, int], tuple[Any, Any]] = {}
        self._levels: dict[tuple[Any, int, int, bool], list[Any]] = {}
        self._by_idx: dict[Any, dict[int, Any]] = {}  # layout part -> its placeholders by idx
        self._layout_parts: dict[Any, Any] = {}  # slide part -> its layout's part
        self._boxes: dict[tuple[Any, int], list[int | None]] = {}  # what a slide ph inherits

    def bases(self, placeholder: Any) -> tuple[Any, Any]:
        """(layout placeholder, master placeholder) of a slide placeholder (None: none)."""
        key = self._key(placeholder)
        if key not in self._bases:
            layout_part, idx = key
            if layout_part not in self._by_idx:
                found: dict[int, Any] = {}
                for ph in layout_part.slide_layout.placeholders:  # python-pptx: the first
                    found.setdefault(ph._element.ph_idx, ph)
                self._by_idx[layout_part] = found
            layout_ph = self._by_idx[layout_part].get(idx)
            master_ph = layout_ph._base_placeholder if layout_ph is not None else None
            self._bases[key] = (layout_ph, master_ph)
        return self._bases[key]

    def _key(self, placeholder: Any) -> tuple[Any, int]:
        """A slide placeholder's layout part and idx: what it inherits depends on these."""
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        slide_part = placeholder.part
        if slide_part not in self._layout_parts:
            self._layout_parts[slide_part] = slide_part.part_related_by(RT.SLIDE_LAYOUT)
        return self._layout_parts[slide_part], placeholder._element.ph_idx

    def role_name(self, placeholder: Any) -> str:
        """The name of the layout placeholder `placeholder` comes from, without its number."""
        layout_ph, _ = self.bases(placeholder)
        base = layout_ph if layout_ph is not None else placeholder
        return str(base.name).lower().rstrip(" 0123456789")

    def box(self, shape: Any) -> Box:
        """Position and size of `shape`: its own, else its layout's, else its master's."""
        own = _own_box(shape._element)
        if None not in own or not shape._element.has_ph_elm:
            return Box(*(v or 0 for v in own))
        key = self._key(shape)
        if key not in self._boxes:
            found: list[int | None] = [None] * 4
            for base in (b for b in self.bases(shape) if b is not None):  # layout, then master
                values = _own_box(base._element)
                found = [v if v is not None else w for v, w in zip(found, values, strict=True)]
            self._boxes[key] = found
        inherited = self._boxes[key]
        return Box(*(v if v is not None else (w or 0) for v, w in zip(own, inherited, strict=True)))

    def level_sources(self, placeholder: Any, level: int) -> list[Any]:
        """a:lvlNpPr elements from the most to the least specific: slide, layout, master
        placeholder, master text styles."""
        tag = qn(f"a:lvl{level + 1}pPr")
        own = placeholder._element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{tag}")
        is_title = placeholder.placeholder_format.type in TITLE_TYPES
        layout_ph, master_ph = self.bases(placeholder)
        key = (*self._key(placeholder), level, is_title)
        if key not in self._levels:
            self._levels[key] = _inherited_levels(placeholder, layout_ph, master_ph, tag, is_title)
        return ([own] if own is not None else []) + self._levels[key]

    def level_style(self, placeholder: Any, level: int) -> Level:
        """The size, space before, line spacing and left margin a paragraph level inherits."""
        size = before_pts = before_pct = line = indent = bold = None
        for el in self.level_sources(placeholder, level):
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

    def frame(self, placeholder: Any) -> Frame:
        """The text area of `placeholder`: its size minus the insets of its body properties."""
        insets = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}
        chain = [placeholder, *(b for b in self.bases(placeholder) if b is not None)]
        for key in insets:
            for shape in chain:
                body = shape._element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
                if body is not None and body.get(key) is not None:
                    insets[key] = int(body.get(key))
                    break
        box = self.box(placeholder)
        width = box.width - insets["lIns"] - insets["rIns"]
        height = box.height - insets["tIns"] - insets["bIns"]
        return Frame(_pt(width), _pt(height))


def _own_box(element: Any) -> tuple[int | None, int | None, int | None, int | None]:
    """x, y, cx, cy the shape element sets itself (None: not set), read in one look-up."""
    xfrm = element.xfrm
    off = xfrm.find(qn("a:off")) if xfrm is not None else None
    ext = xfrm.find(qn("a:ext")) if xfrm is not None else None
    x, y = (int(off.get("x")), int(off.get("y"))) if off is not None else (None, None)
    cx, cy = (int(ext.get("cx")), int(ext.get("cy"))) if ext is not None else (None, None)
    return x, y, cx, cy


def _inherited_levels(
    placeholder: Any, layout_ph: Any, master_ph: Any, tag: str, is_title: bool
) -> list[Any]:
    found: list[Any] = []
    for shape in (layout_ph, master_ph):
        if shape is None:
            continue
        lst = shape._element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}")
        if lst is not None and lst.find(tag) is not None:
            found.append(lst.find(tag))
    master = placeholder.part.slide_layout.slide_master._element
    styles = master.find(qn("p:txStyles"))
    kind = "p:titleStyle" if is_title else "p:bodyStyle"
    if styles is not None and styles.find(qn(kind)) is not None:
        el = styles.find(qn(kind)).find(tag)
        if el is not None:
            found.append(el)
    return found


def level_style(placeholder: Any, level: int) -> Level:
    """The size, space before, line spacing and left margin a paragraph level inherits
    (for one placeholder; a deck keeps one Inheritance for all)."""
    return Inheritance().level_style(placeholder, level)


def _spacing(el: Any, outer: str, inner: str, divisor: int) -> float | None:
    found = el.find(f"{qn(outer)}/{qn(inner)}")
    return int(found.get("val")) / divisor if found is not None else None


def frame(placeholder: Any) -> Frame:
    """The text area of `placeholder` (for one placeholder; a deck keeps one Inheritance)."""
    return Inheritance().frame(placeholder)
