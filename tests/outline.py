"""Structural outlines of outputs for snapshot tests: what a reader would notice changing
(pages, boxes, fonts, text; slides, layouts, placeholders, texts, notes), not raw bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_outline(path: Path) -> dict[str, Any]:
    """Pages with their boxes (pt, rounded), the fonts each page draws with, and its text."""
    import pikepdf
    import pypdfium2

    pages = []
    with pikepdf.open(path) as pdf:
        document = pypdfium2.PdfDocument(path)
        try:
            for page, textpage in zip(pdf.pages, document, strict=True):
                fonts = sorted(
                    {
                        str(font.get("/BaseFont", "")).split("+")[-1]
                        for font in (page.resources.get("/Font") or {}).values()
                    }
                )
                pages.append(
                    {
                        "boxes": {
                            name: [round(float(v), 1) for v in page.obj[f"/{name}"]]
                            for name in ("MediaBox", "TrimBox", "BleedBox")
                            if f"/{name}" in page.obj
                        },
                        "fonts": fonts,
                        "text": _words(textpage.get_textpage().get_text_range()),
                    }
                )
        finally:
            document.close()
    return {"pages": pages}


def deck_outline(path: Path) -> dict[str, Any]:
    """Slides with their layout, each placeholder's type and text, other shapes' text, notes."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(path.read_bytes()))
    slides = []
    for slide in prs.slides:
        shapes = []
        for shape in slide.shapes:
            kind = (
                f"placeholder {shape.placeholder_format.type}".split(" (")[0]
                if shape.is_placeholder
                else shape.shape_type and str(shape.shape_type)
            )
            text = _words(shape.text_frame.text) if shape.has_text_frame else ""
            shapes.append({"name": shape.name, "kind": kind, "text": text})
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append({"layout": slide.slide_layout.name, "shapes": shapes, "notes": _words(notes)})
    return {"size": [prs.slide_width, prs.slide_height], "slides": slides}


def outline(path: Path) -> dict[str, Any]:
    """The outline of a PDF or a PPTX."""
    return pdf_outline(path) if path.suffix == ".pdf" else deck_outline(path)
