"""Pitch decks: content -> slides on the master template's named layouts -> PPTX (and PDF).

`KIND` is this package's output kind for the engine's registry. Importing it is light: pptx
and LibreOffice are used only when a worker renders.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bmr_materials.shared.kind import N_, CatalogInfo, Checks, Options, Target

if TYPE_CHECKING:  # a build with nothing to do imports this package, but not the content model
    from bmr_materials.content.model import Content
    from bmr_materials.content.yamlsafe import Marked
    from bmr_materials.errors import Problem


class Decks:
    """PowerPoint pitch decks with speaker notes, and a PDF of each made by LibreOffice."""

    name = "deck"
    group = "decks"
    module = __name__
    code = ("bmr_materials.content", "bmr_materials.shared", __name__)
    max_workers = 1  # LibreOffice converts one deck at a time
    files = (("*/decks/*.pptx", "pptx"), ("*/decks/*.pdf", "pdf"))
    catalog = CatalogInfo(
        heading=N_("Pitch decks"),
        page=N_("Slide"),
        pages=N_("{count} slides"),
        labels={"pptx": N_("PowerPoint"), "pdf": N_("PDF")},
        notes={"pptx": N_("16:9, speaker notes"), "pdf": N_("made with LibreOffice")},
        preview=("pdf",),
        thumb_width=320,
        no_preview="Install LibreOffice Impress (sudo apt-get install libreoffice-impress) and "
        "build again to get slide previews and a PDF of each deck.",
    )

    def targets(self, content: Content, options: Options) -> list[Target]:
        from bmr_materials.kinds.decks import context as dc
        from bmr_materials.kinds.decks.pdf import libreoffice
        from bmr_materials.shared.fonts import shipped_font_files, shipped_paths

        native = options.native_charts or content.campaign.settings.native_charts
        with_pdf = libreoffice() is not None
        targets = []
        for lang in options.languages_of(content):
            for did in dc.deck_ids(content):
                if not content.makes(lang, did):  # a language made for some outputs only
                    continue
                only = dc.deck_languages(content, did)  # a deck for one audience
                if only is not None and lang not in only:
                    continue
                ctx = dc.deck_context(
                    content, did, lang, native_charts=native, template=options.deck_template
                )
                ctx["files"].update(shipped_font_files(content))  # LibreOffice's brand font
                paths = [f"{lang}/decks/{did}-{lang}.pptx"]
                if with_pdf:
                    paths.append(f"{lang}/decks/{did}-{lang}.pdf")
                targets.append(
                    Target(
                        self.name,
                        did,
                        lang,
                        "",
                        paths,
                        cast("dict[str, Any]", ctx),
                        [*dc.input_files(ctx), *shipped_paths(ctx["files"])],
                        dc.charts_needed(ctx),
                    )
                )
        return targets

    def check(
        self, content: Content, origins: dict[str, Marked], options: Options
    ) -> list[Problem]:
        from bmr_materials.kinds.decks.check import check_decks

        return check_decks(content, origins, options.deck_template)

    def order(self, content: Content) -> list[str]:
        from bmr_materials.kinds.decks.context import deck_ids

        return deck_ids(content)

    def title(self, content: Content, item_id: str, lang: str) -> str:
        deck = content.decks.get(item_id)
        return deck.title[lang] if deck else item_id

    def warm_up(self, context: dict[str, Any], paths: list[str]) -> None:
        """Start LibreOffice now when the deck gets a PDF: it starts in the background while
        the engine draws the charts and the first deck is laid out."""
        if len(paths) > 1:
            from bmr_materials.kinds.decks.pdf import start_warm_office
            from bmr_materials.shared.fonts import shipped_paths

            start_warm_office(tuple(shipped_paths(context["files"])))

    def render(self, context: dict[str, Any], paths: list[str], cache: Path) -> dict[str, bytes]:
        from bmr_materials.kinds.decks.context import DeckCtx
        from bmr_materials.kinds.decks.render import render_deck
        from bmr_materials.shared.fonts import shipped_paths

        fonts = tuple(shipped_paths(context["files"]))  # a brand font the content ships
        if len(paths) > 1:  # LibreOffice starts while the deck is laid out
            from bmr_materials.kinds.decks.pdf import start_warm_office

            start_warm_office(fonts)
        pptx = render_deck(cast("DeckCtx", context), cache)
        files = {paths[0]: pptx}
        if len(paths) > 1:
            from bmr_materials.kinds.decks.pdf import deck_pdf

            stamp = datetime.fromisoformat(context["timestamp"])
            files[paths[1]] = deck_pdf(pptx, stamp, fonts)
        return files

    def close(self) -> None:
        """End the LibreOffice this process keeps running for the decks' PDFs, if any."""
        import sys

        pdf = sys.modules.get("bmr_materials.kinds.decks.pdf")
        if pdf is not None:
            pdf.close()

    def checks(self, variant: str, path: Path, opened: list[Any]) -> Checks:
        from bmr_materials.kinds.decks import preflight

        if variant == "pptx":
            return preflight.deck_checks(path)
        import pikepdf

        pdf = pikepdf.open(path)
        opened.append(pdf)
        return preflight.deck_pdf_checks(pdf, path)

    def notes(self, targets: list[Target]) -> list[str]:
        from bmr_materials.kinds.decks.pdf import LIBREOFFICE_HINT, libreoffice

        return [LIBREOFFICE_HINT] if targets and libreoffice() is None else []


KIND = Decks()
