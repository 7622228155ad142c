"""Inspect an asset file (a logo) before anything renders it; produce its problems and a
one-line description (format, size, resolution).

SVG is parsed with defusedxml and must be self-contained: no DOCTYPE or entity declarations,
no reference to anything but a #fragment of itself (href, xlink:href, src, CSS url() and
@import, xml-stylesheet), no script. PNG and JPEG are opened with Pillow within a pixel limit
(a "decompression bomb" is refused before it is decoded) and decoded once to find damage.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_SVG_BYTES = 2_000_000
MAX_SVG_ELEMENTS = 50_000
MAX_PIXELS = 25_000_000  # 5000 x 5000: far more than a logo needs
RASTER_FORMATS = ("PNG", "JPEG")
SVG_NS = "{http://www.w3.org/2000/svg}"
LINK_ATTRIBUTES = {"href", "src"}


@dataclass
class Finding:
    """What inspecting one asset found: problems as (line, column, message), and a summary."""

    problems: list[tuple[int, int, str]] = field(default_factory=list)
    summary: str = ""


def inspect(path: Path) -> Finding:
    """Inspect the asset at `path` by its content (not its name)."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        return inspect_svg(path)
    return inspect_raster(path)


# --- SVG ------------------------------------------------------------------------------------


def inspect_svg(path: Path) -> Finding:
    """Parse an SVG with defusedxml and list every way it reaches outside itself."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    found = Finding()
    size = path.stat().st_size
    if size > MAX_SVG_BYTES:
        found.problems.append(
            (1, 1, f"SVG file is {size:,} bytes, more than the limit of {MAX_SVG_BYTES:,}")
        )
        return found
    inspector = _SvgInspector(found)
    parser = DefusedXMLParser(
        target=inspector, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    inspector.expat = parser.parser
    try:
        parser.feed(path.read_bytes())
        parser.close()
    except DefusedXmlException:
        found.problems.append(
            (
                *inspector.position(),
                "a DOCTYPE or entity declaration: DTDs and entities are not allowed in an SVG",
            )
        )
    except ParseError as exc:
        line, column = exc.position
        what = str(exc).split(":")[0]
        found.problems.append((line, column + 1, f"malformed XML: {what}"))
    except _TooBig:
        found.problems.append(
            (*inspector.position(), f"more than {MAX_SVG_ELEMENTS:,} elements: refused")
        )
    if not found.problems and not found.summary:
        found.problems.append(
            (
                1,
                1,
                "not an SVG: the root element is not <svg> in the "
                'SVG namespace (xmlns="http://www.w3.org/2000/svg")',
            )
        )
    return found


class _TooBig(Exception):
    pass


class _SvgInspector:
    """A parser target that records each external reference with its line."""

    def __init__(self, found: Finding) -> None:
        self.found = found
        self.expat: Any = None
        self.elements = 0
        self.in_style = False
        self.style_line = 0
        self.style: list[str] = []

    def position(self) -> tuple[int, int]:
        return int(self.expat.CurrentLineNumber), int(self.expat.CurrentColumnNumber) + 1

    def problem(self, message: str, line: int | None = None) -> None:
        here = self.position()
        self.found.problems.append((line or here[0], here[1] if line is None else 1, message))

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_SVG_ELEMENTS:
            raise _TooBig
        name = tag.rpartition("}")[2]
        if self.elements == 1 and tag == SVG_NS + "svg":
            self.found.summary = _svg_summary(attrib)
        if name == "script":
            self.problem("<script> is not allowed in an SVG asset")
        for key, value in attrib.items():
            local = key.rpartition("}")[2]
            if local in LINK_ATTRIBUTES and not value.strip().startswith("#"):
                self.problem(
                    f"<{name} {local}={_short(value)!r}> refers to something outside "
                    "the file (only #fragment references are allowed)"
                )
            elif "url(" in value.lower() or local == "style":
                for bad in _css_references(value, declarations=local == "style"):
                    self.problem(f"<{name} {local}>: {bad}")
        if name == "style":  # its text starts on the line of its tag
            self.in_style, self.style, self.style_line = True, [], self.position()[0]

    def data(self, text: str) -> None:
        if self.in_style:
            self.style.append(text)

    def end(self, tag: str) -> None:
        if self.in_style and tag.rpartition("}")[2] == "style":
            self.in_style = False
            for line, bad in _css_sheet_references("".join(self.style)):
                self.problem(f"<style>: {bad}", (self.style_line or 1) + line - 1)

    def pi(self, target: str, text: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.problem("<?xml-stylesheet?> refers to a style sheet outside the file")

    def close(self) -> None:
        return None


def _svg_summary(attrib: dict[str, str]) -> str:
    box = attrib.get("viewBox", "").replace(",", " ").split()
    size = (
        f"{attrib['width']} x {attrib['height']}"
        if "width" in attrib and "height" in attrib
        else f"viewBox {box[2]} x {box[3]}"
        if len(box) == 4
        else "no size given"
    )
    return f"SVG, {size}, vector (any resolution)"


def _css_references(value: str, *, declarations: bool) -> list[str]:
    """url() references of a style attribute or presentation attribute that leave the file."""
    import tinycss2

    tokens = (
        tinycss2.parse_blocks_contents(value)
        if declarations
        else tinycss2.parse_component_value_list(value)
    )
    return [bad for _, bad in _walk(tokens)]


def _css_sheet_references(css: str) -> list[tuple[int, str]]:
    """(line, problem) for each @import and outside url() of a style sheet."""
    import tinycss2

    return list(_walk(tinycss2.parse_stylesheet(css)))


def _walk(nodes: Any) -> Iterator[tuple[int, str]]:
    for node in nodes or ():
        kind = getattr(node, "type", "")
        if kind == "at-rule" and node.lower_at_keyword == "import":
            yield node.source_line, "CSS @import of another file is not allowed"
            continue
        if kind == "url" and not node.value.strip().startswith("#"):
            yield node.source_line, f"CSS url({_short(node.value)}) refers outside the file"
        if kind == "function" and node.lower_name in ("url", "src", "image", "image-set"):
            for arg in node.arguments:
                if getattr(arg, "type", "") == "string" and not arg.value.startswith("#"):
                    yield (
                        node.source_line,
                        (f"CSS {node.lower_name}({_short(arg.value)!r}) refers outside the file"),
                    )
        for child in ("prelude", "content", "arguments", "value"):
            inner = getattr(node, child, None)
            if isinstance(inner, list):
                yield from _walk(inner)


# --- raster images --------------------------------------------------------------------------


def inspect_raster(path: Path) -> Finding:
    """Open a PNG or JPEG with Pillow: format, pixels, resolution; refuse bombs and damage."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    found = Finding()
    # Pillow's globals, set for this inspection only: the size is checked below, before
    # decoding; and a truncated file is damage (WeasyPrint, once imported, lets it pass).
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(path) as image:  # reads the header only
            _check_image(image, found)
    except UnidentifiedImageError:
        found.problems.append((1, 1, "not an image this builder reads: a logo is SVG, PNG or JPEG"))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        found.problems.append((1, 1, f"damaged image: {exc}"))
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = limit, truncated
    return found


def _check_image(image: Any, found: Finding) -> None:
    width, height = image.size
    kind = image.format or "unknown"
    if kind not in RASTER_FORMATS:
        found.problems.append((1, 1, f"a {kind} image: a logo is SVG, PNG or JPEG"))
        return
    if width * height > MAX_PIXELS:
        found.problems.append(
            (
                1,
                1,
                f"{kind} of {width:,} x {height:,} pixels is more than the "
                f"limit of {MAX_PIXELS // 1_000_000} megapixels: refused "
                "unread (a decompression bomb?)",
            )
        )
        return
    image.load()  # decode once: a truncated or damaged file fails here, not in a renderer
    dpi = image.info.get("dpi")
    shown = f"{round(float(dpi[0]))} dpi" if dpi else "no resolution stored"
    found.summary = f"{kind}, {width:,} x {height:,} pixels, {image.mode}, {shown}"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
