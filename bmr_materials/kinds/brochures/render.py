"""Take a brochure's render context and produce its PDF bytes (WeasyPrint, imported inside).

Both variants are laid out in the layout variant that fits the content (fit.py: 4, 8 or 12
pages, every inner page at least half full), and carry the layout's measurements (measure.py)
in the PDF's /PieceInfo for preflight. Print: PDF/X-4, A4 trim with 3 mm bleed, FOGRA39 output
intent (shared.printprofile), crop marks outside the bleed and no annotations (printfinish).
Screen: tagged PDF/UA-1 with /Lang, title and links. Both are deterministic: dates come from
the context's timestamp and the document /ID and XMP DocumentID from a hash of the context.

What is expensive to set up (Jinja environments, the font configuration, the parsed static
stylesheet) is kept at module level, so a worker rendering many brochures stays warm.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmr_materials.errors import RenderError
from bmr_materials.kinds.brochures.context import PROJECT, TEMPLATES, print_profile
from bmr_materials.kinds.brochures.context_types import BrochureCtx
from bmr_materials.shared.pdf.pictures import cached_file, stable_xmp, staged_icc
from bmr_materials.shared.pdf.templating import environment

if TYPE_CHECKING:
    from bmr_materials.kinds.brochures.fit import Laid

PIECE = "/BMRMaterials"  # the /PieceInfo entry holding the layout report
_STATE: dict[str, Any] = {}
atexit.register(_STATE.clear)  # release WeasyPrint's font state while the interpreter is whole


def render_brochure(context: BrochureCtx, cache_dir: Path) -> bytes:
    """The PDF of the brochure described by `context`."""
    from weasyprint.urls import FatalURLFetchingError

    cache_dir = Path(cache_dir)
    _STATE["images"] = {}  # parsed pictures, kept for this brochure's layouts only
    try:
        laid = _layout(context, cache_dir)
        return _write(laid, context)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(
            f"brochure {context['id']}-{context['lang']}-{context['variant']}: {cause}"
        ) from exc
    finally:
        forget_warm_state()  # a worker keeps its renderer, not the last brochure's pictures


def render_html(
    context: BrochureCtx,
    cache_dir: Path,
    fit: str = "regular",
    blanks: int = 0,
    assets: dict[str, Any] | None = None,
) -> str:
    """The brochure's HTML in layout variant `fit`: the template filled with `context` and the
    pictures' URLs (`assets`, made when not given), with `blanks` empty pages before the back
    cover."""
    env = environment(TEMPLATES, "brochure.html.j2", tuple(sorted(context["labels"].items())))
    template = env.get_template("brochure.html.j2")
    found = assets if assets is not None else _assets(context, Path(cache_dir))
    html = template.render(ctx=context, assets=found, fit=fit, blanks=blanks)
    return keep_names_whole(html, context["keep_whole"])


# Words with inner capitals ("NeuroCareTech", "GesundheitsCampus") are names: never hyphenated.
INNER_CAPITAL = r"\w*[a-zäöüß][A-ZÄÖÜ]\w*"
# Web addresses in running text ("(example-site.org)") are not broken at their hyphens either.
DOMAIN = re.compile(r"(?<![\w.@/-])[a-z][\w-]*(?:\.[a-z][\w-]*)*\.[a-z]{2,}\b(?![.@\w])")
_TEXT = re.compile(r">([^<]+)<")


def name_pattern(names: list[str]) -> re.Pattern[str]:
    """The names of a language's keep_whole list ('Harbour*' ends in any letters) as one pattern."""
    parts = [
        re.escape(n[:-1]) + r"\w*" if n.endswith("*") else re.escape(n)
        for n in names
        if not _wide(n)
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join([*parts, INNER_CAPITAL]) + r")(?![\w])")


def _wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in "WF" for c in text)


def keep_names_whole(html: str, names: list[str]) -> str:
    """`html` with `names` and inner-capital words in the body's text wrapped in
    <span class="nh"> (never hyphenated), and web addresses and names in a script written
    without spaces (Japanese: lines break between any two characters) in <span class="nobr">."""
    head, sep, body = html.partition("<body")
    if not sep:
        return html
    keep = name_pattern(names)
    wide = sorted((n for n in names if _wide(n)), key=len, reverse=True)
    unbroken = re.compile("|".join(map(re.escape, wide))) if wide else None

    def text(match: re.Match[str]) -> str:
        wrapped = DOMAIN.sub(r'<span class="nobr">\g<0></span>', match.group(1))
        wrapped = keep.sub(r'<span class="nh">\g<0></span>', wrapped)
        if unbroken is not None:
            wrapped = unbroken.sub(r'<span class="nobr">\g<0></span>', wrapped)
        return f">{wrapped}<"

    return head + sep + _TEXT.sub(text, body)


# --- layout ---------------------------------------------------------------------------------


def _layout(context: BrochureCtx, cache_dir: Path) -> Laid:
    """Lay the brochure out in the variant that fits its content (fit.choose). Should none
    fit 4, 8 or 12 pages, the tightest layout gets blank pages up to the next of them (the
    preflight then reports the empty pages). The variant chosen is remembered in the render
    cache under a hash of everything the layout depends on, so rendering the same brochure
    again lays it out once (the same inputs choose the same variant: same bytes)."""
    from bmr_materials.kinds.brochures.fit import FITS, PAGE_COUNTS, Laid, choose
    from bmr_materials.kinds.brochures.measure import measure

    assets = _assets(context, cache_dir)  # once for all the variants laid out

    def layout(fit: str, blanks: int = 0) -> Laid:
        html = render_html(context, cache_dir, fit, blanks, assets)
        document = _render_document(html, cache_dir)
        return Laid(fit, document, measure(document))

    remembered = _remembered_fit(context, cache_dir)
    known = remembered.read_text() if remembered.is_file() else None
    laid = layout(known) if known in FITS else choose(layout)
    if known and laid.fit == known and not (laid.pages in PAGE_COUNTS and laid.filled()):
        laid = choose(layout)  # the record does not fit (it cannot, unless edited): search
    if known != laid.fit:
        from bmr_materials.shared.repro import atomic_write

        atomic_write(remembered, laid.fit.encode())
    if laid.pages not in PAGE_COUNTS and context["variant"] == "print":
        target = next((n for n in PAGE_COUNTS if n >= laid.pages), -(-laid.pages // 4) * 4)
        laid = layout(laid.fit, target - laid.pages)
    return laid


def _remembered_fit(context: BrochureCtx, cache_dir: Path) -> Path:
    """Where the variant chosen for `context` is kept: named by a hash of the context, the
    template, the style sheet, the fitting code, the fonts and WeasyPrint's version."""
    import weasyprint

    from bmr_materials.kinds.brochures import fit, measure
    from bmr_materials.shared.fonts import static_fonts
    from bmr_materials.shared.repro import without_files

    digest = hashlib.sha256(json.dumps(without_files(context), sort_keys=True).encode())
    for path in (
        TEMPLATES / "brochure.html.j2",
        TEMPLATES / "brochure.css",
        Path(fit.__file__),
        Path(measure.__file__),
        Path(__file__),
    ):
        digest.update(path.read_bytes())
    for name, font in sorted(static_fonts().items()):
        digest.update(f"{name}:{font.name}:{font.stat().st_size}".encode())
    digest.update(weasyprint.__version__.encode())
    return Path(cache_dir) / "fits" / f"{digest.hexdigest()[:32]}.txt"


def _render_document(html: str, cache_dir: Path) -> Any:
    from weasyprint import HTML

    from bmr_materials.shared.pdf.fetcher import project_fetcher

    if "hyphenation" not in _STATE:
        from bmr_materials.shared.hyphenation import register

        register(cache_dir)
        _STATE["hyphenation"] = True
    fetcher = project_fetcher(cache_dir)
    return HTML(string=html, base_url=PROJECT.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[_stylesheet(fetcher)],
        font_config=_font_config(),
        cache=_STATE.setdefault("images", {}),
    )


def _write(laid: Laid, context: BrochureCtx) -> bytes:
    from bmr_materials.shared.repro import document_digest

    digest = document_digest(context)
    variant = "pdf/x-4" if context["variant"] == "print" else "pdf/ua-1"

    def finisher(_document: Any, pdf: Any) -> None:
        stable_xmp(pdf, digest)
        _record_layout(pdf, laid, context["timestamp"])

    data: bytes = laid.document.write_pdf(
        pdf_variant=variant,
        pdf_identifier=digest[:32].encode(),
        finisher=finisher,
        uncompressed_pdf=False,
    )
    if context["variant"] == "print":
        from bmr_materials.shared.pdf.printfinish import finish_print_pdf

        _, condition, condition_text = print_profile(context)
        data = finish_print_pdf(data, condition, condition_text)
    return data


def _record_layout(pdf: Any, laid: Laid, timestamp: str) -> None:
    """The layout report as page-piece data of the document (/PieceInfo, PDF 1.3 and later),
    where preflight reads it: the variant chosen, each page's fill, the warnings."""
    import pydyf

    record = {"fit": laid.fit, **laid.report.as_json()}
    when = timestamp.replace("-", "").replace(":", "").replace("T", "")[:14]
    pdf.catalog["PieceInfo"] = pydyf.Dictionary(
        {
            PIECE[1:]: pydyf.Dictionary(
                {
                    "LastModified": pydyf.String(f"D:{when}Z"),
                    "Private": pydyf.String(json.dumps(record, sort_keys=True)),
                }
            )
        }
    )


# --- warm state -----------------------------------------------------------------------------


def forget_warm_state() -> None:
    """Drop the pictures kept while rendering (after each brochure; a long-running preview
    also calls this before it renders again: an asset may have changed under the same URL)."""
    _STATE.pop("images", None)


def _font_config() -> Any:
    if "fonts" not in _STATE:
        from weasyprint.text.fonts import FontConfiguration

        _STATE["fonts"] = FontConfiguration()
    return _STATE["fonts"]


def _stylesheet(fetcher: Any) -> Any:
    """brochure.css, parsed once per process (again only when the file changed)."""
    from weasyprint import CSS

    path = TEMPLATES / "brochure.css"
    key = f"css:{path.stat().st_mtime_ns}"
    if key not in _STATE:
        _STATE[key] = CSS(filename=str(path), url_fetcher=fetcher, font_config=_font_config())
    return _STATE[key]


# --- pictures and fonts ---------------------------------------------------------------------


def _assets(context: BrochureCtx, cache_dir: Path) -> dict[str, Any]:
    """file: URLs of fonts, charts, logo, QR code and ICC profile for this render (the logo
    and QR code made as the fact sheets make them: shared.pdf.pictures)."""
    from bmr_materials.shared import charts
    from bmr_materials.shared.fonts import static_fonts
    from bmr_materials.shared.pdf.pictures import font_faces, logo_file, qr_file

    cmyk = context["variant"] == "print"
    logo, icc = Path(context["files"]["logo"]), print_profile(context)[0] if cmyk else None
    web, ink = context["campaign"]["contact"]["web"], context["brand_colours"]["ink"]["rgb"]
    medium = "svg-cmyk" if cmyk else "svg"
    brand: dict[str, dict[str, Any]] = {n: {**c} for n, c in context["brand_colours"].items()}
    palette = charts.palette(brand)  # a brochure may have no chart
    found: dict[str, Any] = {
        "fonts": {k: p.as_uri() for k, p in static_fonts().items()},
        "brand_fonts": font_faces(context["files"], cache_dir),
        "charts": {
            c["id"]: charts.chart_path(c, medium, cache_dir).as_uri() for c in context["charts"]
        },
        "logo": logo_file(logo, cache_dir, palette if cmyk else None, icc).as_uri(),
        "qr": qr_file(web, ink, cache_dir, palette if cmyk else None).as_uri(),
        "icons": _icons(context, cache_dir, palette),
        # Vector in both variants: WeasyPrint names a raster image by a hash of its URL, and
        # the render cache's path differs between output folders (same input, same bytes).
        "map": _map(context, medium, cache_dir),
        "photos": _photos(context, cache_dir),
    }
    if icc:
        found["icc"] = staged_icc(icc, cache_dir).as_uri()
    return found


ICON_COLOURS = {"cover": "accent", "heading": "primary", "figure": "primary"}


def _icons(context: BrochureCtx, cache_dir: Path, palette: dict[str, Any]) -> dict[str, str]:
    """file: URLs of the icons shown, by '<role>:<name>' (role: cover, heading, figure)."""
    from bmr_materials.shared.icons import icon_svg, icon_svg_cmyk

    wanted = [(r, context["body"].get("icon")) for r in ("cover", "heading")]
    wanted += [("figure", c.get("icon")) for c in context["callouts"]]
    found = {}
    for role, name in wanted:
        if not name:
            continue
        colour = palette[ICON_COLOURS[role]]["rgb"]
        svg = (
            icon_svg_cmyk(name, colour, 24, palette)
            if context["variant"] == "print"
            else icon_svg(name, colour, 24)
        )
        found[f"{role}:{name}"] = cached_file(cache_dir, "icons", svg.encode(), ".svg").as_uri()
    return found


def _photos(context: BrochureCtx, cache_dir: Path) -> dict[str, dict[str, Any]]:
    """The photographs as this variant shows them: file: URL and width in pixels, by file."""
    from bmr_materials.kinds.brochures.photos import prepare

    profile = print_profile(context)[0] if context["variant"] == "print" else None
    found = {}
    for photo in context["body"].get("photos", []):
        source = Path(context["files"][f"photo:{photo['file']}"])
        focal = (photo["focal"][0], photo["focal"][1])
        ready = prepare(source, focal, context["variant"], profile, cache_dir)
        found[photo["file"]] = {"uri": ready.path.as_uri(), "pixels": ready.pixels}
    return found


def _map(context: BrochureCtx, medium: str, cache_dir: Path) -> str | None:
    """file: URL of the locator map (overview), drawn once per context and medium."""
    if not context["map"]:
        return None
    from bmr_materials.shared.locator_map import City, MapContext, map_path

    given: dict[str, Any] = {
        **context["map"],
        "outline": tuple(tuple(p) for p in context["map"]["outline"]),
        "cities": tuple(City(**c) for c in context["map"]["cities"]),
    }
    return map_path(MapContext(**given), medium, cache_dir).as_uri()
