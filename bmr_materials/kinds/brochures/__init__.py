"""Brochures: model -> render context -> HTML (Jinja2) -> PDF (WeasyPrint), print and screen.

`KIND` is this package's output kind for the engine's registry. Importing it is light: the
renderer (WeasyPrint) is imported only when a worker renders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from bmr_materials.content.model import Content
from bmr_materials.content.yamlsafe import Marked
from bmr_materials.errors import Problem
from bmr_materials.shared.i18n import N_
from bmr_materials.shared.kind import Checks, Options, Target
from bmr_materials.shared.pdf.kind import PdfKind


class Brochures(PdfKind):
    """The print and screen PDF brochures: the overview, one per field, the sites."""

    def target(self, content: Content, item_id: str, lang: str, variant: str) -> Target:
        from bmr_materials.kinds.brochures import context as bc

        ctx = bc.brochure_context(content, item_id, lang, variant)
        return Target(
            self.name,
            item_id,
            lang,
            variant,
            [self.path(item_id, lang, variant)],
            cast("dict[str, Any]", ctx),
            bc.input_files(ctx),
            bc.charts_needed(ctx),
        )

    def check(
        self, content: Content, origins: dict[str, Marked], options: Options
    ) -> list[Problem]:
        from bmr_materials.kinds.brochures.check import check_brochures

        return check_brochures(content, origins)

    def order(self, content: Content) -> list[str]:
        from bmr_materials.kinds.brochures.context import brochure_ids

        return brochure_ids(content)

    def title(self, content: Content, item_id: str, lang: str) -> str:
        from bmr_materials.kinds.brochures.context import brochure_title

        return brochure_title(content, item_id, lang)

    def render(self, context: dict[str, Any], paths: list[str], cache: Path) -> dict[str, bytes]:
        from bmr_materials.kinds.brochures.context_types import BrochureCtx
        from bmr_materials.kinds.brochures.render import render_brochure

        return {paths[0]: render_brochure(cast("BrochureCtx", context), cache)}

    def pdf_checks(self, variant: str, pdf: Any, path: Path) -> Checks:
        from bmr_materials.shared.preflight import layout

        return {
            **super().pdf_checks(variant, pdf, path),
            **layout.layout_checks(pdf, variant == "print"),
        }


KIND = Brochures("brochure", "brochures", __name__, N_("Brochures"))
