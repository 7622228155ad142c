"""Fact sheets: one A4 sheet (front and back) per field, print and screen, from the field's
key figures, points, icon and the campaign's contact; model -> typed context (`FactSheet`)
-> HTML (Jinja2) -> PDF (WeasyPrint).

`KIND` is this package's output kind for the engine's registry; rendering imports WeasyPrint
only in the worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content
from bmr_materials.content.yamlsafe import Marked
from bmr_materials.errors import Problem
from bmr_materials.shared.i18n import N_
from bmr_materials.shared.kind import CatalogInfo, Checks, Issue, Options, Target

PAGES = 2  # one sheet, printed on both sides


class FactSheets:
    """The print and screen PDF fact sheets, one per field."""

    name = "factsheet"
    group = "factsheets"
    module = __name__
    code = ("bmr_materials.content", "bmr_materials.shared", __name__)
    max_workers = None
    files = (("*/factsheets/*-print.pdf", "print"), ("*/factsheets/*-screen.pdf", "screen"))
    catalog = CatalogInfo(
        heading=N_("Fact sheets"),
        page=N_("Page"),
        pages=N_("{count} pages"),
        labels={"print": N_("Print PDF"), "screen": N_("Screen PDF")},
        notes={"print": N_("PDF/X-4, 3 mm bleed"), "screen": N_("accessible, with links")},
        preview=("screen", "print"),
        thumb_width=300,
    )

    def targets(self, content: Content, options: Options) -> list[Target]:
        from bmr_materials.kinds.factsheets import context as fc

        targets = []
        for lang in options.languages_of(content):
            for sid in fc.factsheet_ids(content):
                if not content.makes(lang, sid):
                    continue
                for variant in fc.VARIANTS:
                    sheet = fc.factsheet_context(content, sid, lang, variant)
                    path = f"{lang}/{self.group}/{sid}-{lang}-{variant}.pdf"
                    targets.append(
                        Target(
                            self.name,
                            sid,
                            lang,
                            variant,
                            [path],
                            sheet.as_dict(),
                            fc.input_files(sheet),
                        )
                    )
        return targets

    def check(
        self, content: Content, origins: dict[str, Marked], options: Options
    ) -> list[Problem]:
        return []

    def order(self, content: Content) -> list[str]:
        from bmr_materials.kinds.factsheets.context import factsheet_ids

        return factsheet_ids(content)

    def title(self, content: Content, item_id: str, lang: str) -> str:
        field = content.fields.get(item_id)
        return field.title[lang] if field else item_id

    def render(self, context: dict[str, Any], paths: list[str], cache: Path) -> dict[str, bytes]:
        from bmr_materials.kinds.factsheets.context import FactSheet
        from bmr_materials.kinds.factsheets.render import render_factsheet

        return {paths[0]: render_factsheet(FactSheet.from_dict(context), cache)}

    def checks(self, variant: str, path: Path, opened: list[Any]) -> Checks:
        import pikepdf

        from bmr_materials.shared.preflight import print_pdf, screen_pdf

        pdf = pikepdf.open(path)
        opened.append(pdf)
        found = (print_pdf.print_checks if variant == "print" else screen_pdf.screen_checks)(
            pdf, path
        )
        # one sheet, not a stapled brochure: two pages, where brochures need a multiple of 4
        found["page count"] = lambda: _page_count(len(pdf.pages))
        return found

    def notes(self, targets: list[Target]) -> list[str]:
        return []


def _page_count(count: int) -> Iterator[Issue]:
    if count != PAGES:
        yield Issue("error", f"{count} pages: a fact sheet is one sheet, front and back (2 pages)")


KIND = FactSheets()
