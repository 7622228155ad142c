"""Take a fact sheet's render context and produce its PDF bytes (WeasyPrint, imported inside).

Print: PDF/X-4, A4 trim with 3 mm bleed, the print profile as output intent, every colour
in device-cmyk(), crop marks outside the bleed and no annotations (shared/pdf/printfinish).
Screen: tagged PDF/UA-1 with its language, title and links. Both are deterministic: dates
from the context, the document /ID and XMP DocumentID from a hash of the context.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from bmr_materials.errors import RenderError
from bmr_materials.kinds.factsheets.context import (
    PROJECT,
    TEMPLATES,
    FactSheet,
    css_colours,
    print_profile,
)
from bmr_materials.shared.pdf.templating import environment

ICON_PT = {"field": 64.0, "figure": 22.0}


def render_factsheet(sheet: FactSheet, cache_dir: Path) -> bytes:
    """The PDF of the fact sheet `sheet`."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from bmr_materials.shared.fonts import static_fonts
    from bmr_materials.shared.hyphenation import register
    from bmr_materials.shared.pdf.fetcher import project_fetcher

    cache_dir = Path(cache_dir)
    register(cache_dir)
    fetcher = project_fetcher(cache_dir)
    html = render_html(sheet, cache_dir, {k: p.as_uri() for k, p in static_fonts().items()})
    try:
        document = HTML(string=html, base_url=PROJECT.as_uri() + "/", url_fetcher=fetcher).render(
            font_config=_font_config()
        )
    except FatalURLFetchingError as exc:
        raise RenderError(f"fact sheet {sheet.id}-{sheet.lang}-{sheet.variant}: {exc}") from exc
    crowded = overfull_pages(document)
    if len(document.pages) != 2 or crowded:
        where = f"text runs into the foot of page {', '.join(map(str, crowded))}" if crowded else ""
        raise RenderError(
            f"fact sheet {sheet.id}-{sheet.lang}-{sheet.variant}: {len(document.pages)} pages"
            f"{', ' + where if where else ''}; a fact sheet is one sheet (2 pages): "
            "shorten the field's texts"
        )
    return _write(document, sheet)


def overfull_pages(document: Any) -> list[int]:
    """The pages whose `.flow` (the running text) reaches below their `.limit` (the foot)."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        ends = {"flow": 0.0, "limit": float("inf")}
        for box in page._page_box.descendants():
            classes = (box.element.get("class") or "").split() if box.element is not None else []
            if "flow" in classes:
                ends["flow"] = max(ends["flow"], box.position_y + box.margin_height())
            if "limit" in classes:
                ends["limit"] = min(ends["limit"], box.position_y)
        if ends["flow"] > ends["limit"]:
            found.append(number)
    return found


def render_html(sheet: FactSheet, cache_dir: Path, fonts: dict[str, str]) -> str:
    """The fact sheet's HTML: the template filled with `sheet` and its pictures' URLs."""
    env = environment(TEMPLATES, "factsheet.html.j2", tuple(sorted(sheet.labels.items())))
    return env.get_template("factsheet.html.j2").render(
        ctx=sheet, c=css_colours(sheet), assets=_pictures(sheet, cache_dir, fonts)
    )


def _pictures(sheet: FactSheet, cache_dir: Path, fonts: dict[str, str]) -> dict[str, Any]:
    """file: URLs of the fonts, icons, logo, QR code and print profile of this render."""
    from bmr_materials.shared.icons import icon_svg
    from bmr_materials.shared.pdf.pictures import (
        font_faces,
        logo_file,
        qr_file,
        staged_icc,
        svg_file,
    )

    cmyk = sheet.variant == "print"
    palette = sheet.colours if cmyk else None
    icc = staged_icc(print_profile(sheet)[0], cache_dir) if cmyk else None
    rgb = {name: c["rgb"] for name, c in sheet.colours.items()}

    def icon(name: str, colour: str, size: float) -> str:
        return svg_file(icon_svg(name, rgb[colour], size), cache_dir, palette).as_uri()

    return {
        "fonts": fonts,
        "brand_fonts": font_faces(sheet.files, cache_dir),
        "icc": icc.as_uri() if icc else None,
        "logo": logo_file(Path(sheet.files["logo"]), cache_dir, palette, icc).as_uri(),
        "qr": qr_file(sheet.contact.web, rgb["ink"], cache_dir, palette).as_uri(),
        "icon": icon(sheet.icon, "paper", ICON_PT["field"]) if sheet.icon else None,
        "figure_icons": {
            f.id: icon(f.icon, "primary", ICON_PT["figure"]) for f in sheet.figures if f.icon
        },
    }


def _write(document: Any, sheet: FactSheet) -> bytes:
    from bmr_materials.shared.pdf.pictures import stable_xmp
    from bmr_materials.shared.repro import document_digest

    digest = document_digest(sheet.as_dict())
    data: bytes = document.write_pdf(
        pdf_variant="pdf/x-4" if sheet.variant == "print" else "pdf/ua-1",
        pdf_identifier=digest[:32].encode(),
        finisher=lambda _document, pdf: stable_xmp(pdf, digest),
        uncompressed_pdf=False,
    )
    if sheet.variant == "print":
        from bmr_materials.shared.pdf.printfinish import finish_print_pdf

        _, condition, condition_text = print_profile(sheet)
        data = finish_print_pdf(data, condition, condition_text)
    return data


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
