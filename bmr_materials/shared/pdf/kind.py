"""What an output kind of print and screen PDFs (WeasyPrint) shares: one print and one screen
file per item and language (`<lang>/<group>/<id>-<lang>-<variant>.pdf`), the catalog's words
for them, and the print or screen preflight checks. A kind subclasses `PdfKind` and says how
one target is made (`target`), which items there are (`order`) and how one is rendered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content
from bmr_materials.shared.i18n import N_
from bmr_materials.shared.kind import CatalogInfo, Checks, Options, Target

VARIANTS = ("print", "screen")


class PdfKind:
    """The common part of a kind with a print and a screen PDF per item and language."""

    max_workers: int | None = None

    def __init__(self, name: str, group: str, module: str, heading: str) -> None:
        self.name = name
        self.group = group
        self.module = module
        self.code = ("bmr_materials.content", "bmr_materials.shared", module)
        self.files = ((f"*/{group}/*-print.pdf", "print"), (f"*/{group}/*-screen.pdf", "screen"))
        self.catalog = CatalogInfo(
            heading=heading,
            page=N_("Page"),
            pages=N_("{count} pages"),
            labels={"print": N_("Print PDF"), "screen": N_("Screen PDF")},
            notes={"print": N_("PDF/X-4, 3 mm bleed"), "screen": N_("accessible, with links")},
            preview=("screen", "print"),
            thumb_width=300,
        )

    def order(self, content: Content) -> list[str]:
        """The ids of this kind's items in the content's order."""
        raise NotImplementedError

    def target(self, content: Content, item_id: str, lang: str, variant: str) -> Target:
        """The target of one item in one language and variant."""
        raise NotImplementedError

    def targets(self, content: Content, options: Options) -> list[Target]:
        return [
            self.target(content, item_id, lang, variant)
            for lang in options.languages_of(content)
            for item_id in self.order(content)
            if content.makes(lang, item_id)  # a language made for some outputs only
            for variant in VARIANTS
        ]

    def path(self, item_id: str, lang: str, variant: str) -> str:
        """Where one item's file goes in the output folder."""
        return f"{lang}/{self.group}/{item_id}-{lang}-{variant}.pdf"

    def checks(self, variant: str, path: Path, opened: list[Any]) -> Checks:
        import pikepdf

        pdf = pikepdf.open(path)
        opened.append(pdf)
        return self.pdf_checks(variant, pdf, path)

    def pdf_checks(self, variant: str, pdf: Any, path: Path) -> Checks:
        """The print (PDF/X) or screen (PDF/UA) checks of one opened file; a kind adds its own."""
        from bmr_materials.shared.preflight import print_pdf, screen_pdf

        if variant == "print":
            return print_pdf.print_checks(pdf, path)
        return screen_pdf.screen_checks(pdf, path)

    def notes(self, targets: list[Target]) -> list[str]:
        return []
