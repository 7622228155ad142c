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
from bmr_materials.shared.kind import Checks, Issue, Options, Target
from bmr_materials.shared.pdf.kind import PdfKind

PAGES = 2  # one sheet, printed on both sides


class FactSheets(PdfKind):
    """The print and screen PDF fact sheets, one per field."""

    def target(self, content: Content, item_id: str, lang: str, variant: str) -> Target:
        from bmr_materials.kinds.factsheets import context as fc

        sheet = fc.factsheet_context(content, item_id, lang, variant)
        path = self.path(item_id, lang, variant)
        return Target(
            self.name, item_id, lang, variant, [path], sheet.as_dict(), fc.input_files(sheet)
        )

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

    def pdf_checks(self, variant: str, pdf: Any, path: Path) -> Checks:
        found = super().pdf_checks(variant, pdf, path)
        # one sheet, not a stapled brochure: two pages, where brochures need a multiple of 4
        found["page count"] = lambda: _page_count(len(pdf.pages))
        return found


def _page_count(count: int) -> Iterator[Issue]:
    if count != PAGES:
        yield Issue("error", f"{count} pages: a fact sheet is one sheet, front and back (2 pages)")


KIND = FactSheets("factsheet", "factsheets", __name__, N_("Fact sheets"))
