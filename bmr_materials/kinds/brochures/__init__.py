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
from bmr_materials.shared.kind import CatalogInfo, Checks, Options, Target


class Brochures:
    """The print and screen PDF brochures: the overview, one per field, the sites."""

    name = "brochure"
    group = "brochures"
    module = __name__
    code = ("bmr_materials.content", "bmr_materials.shared", __name__)
    max_workers = None
    files = (("*/brochures/*-print.pdf", "print"), ("*/brochures/*-screen.pdf", "screen"))
    catalog = CatalogInfo(
        heading=N_("Brochures"),
        page=N_("Page"),
        pages=N_("{count} pages"),
        labels={"print": N_("Print PDF"), "screen": N_("Screen PDF")},
        notes={"print": N_("PDF/X-4, 3 mm bleed"), "screen": N_("accessible, with links")},
        preview=("screen", "print"),
        thumb_width=300,
    )

    def targets(self, content: Content, options: Options) -> list[Target]:
        from bmr_materials.kinds.brochures import context as bc

        targets = []
        for lang in options.languages_of(content):
            for bid in bc.brochure_ids(content):
                if not content.makes(lang, bid):  # a language made for some outputs only
                    continue
                for variant in bc.VARIANTS:
                    ctx = bc.brochure_context(content, bid, lang, variant)
                    targets.append(
                        Target(
                            self.name,
                            bid,
                            lang,
                            variant,
                            [f"{lang}/brochures/{bid}-{lang}-{variant}.pdf"],
                            cast("dict[str, Any]", ctx),
                            bc.input_files(ctx),
                            bc.charts_needed(ctx),
                        )
                    )
        return targets

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

    def checks(self, variant: str, path: Path, opened: list[Any]) -> Checks:
        import pikepdf

        from bmr_materials.shared.preflight import layout, print_pdf, screen_pdf

        pdf = pikepdf.open(path)
        opened.append(pdf)
        checks = (
            print_pdf.print_checks(pdf, path)
            if variant == "print"
            else screen_pdf.screen_checks(pdf, path)
        )
        return {**checks, **layout.layout_checks(pdf, variant == "print")}

    def notes(self, targets: list[Target]) -> list[str]:
        return []


KIND = Brochures()
