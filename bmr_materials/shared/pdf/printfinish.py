"""Take the print PDF WeasyPrint wrote and finish it for a print shop: crop marks outside the
bleed (printmarks), no annotations (links are for the screen variant), fonts under their
PostScript names ("ABCDEF+SourceSans3-SemiBold", not WeasyPrint's "Source-Sans-3-Semi-Bold" or
"Source-Sans-3,"), and an output intent that names its printing condition the way PDF/X
expects (OutputConditionIdentifier and the ICC registry). Saved reproducibly.
"""

from __future__ import annotations

import io
import re
from typing import Any

from bmr_materials.shared.pdf.printmarks import add_crop_marks
from bmr_materials.shared.preflight.paint import postscript_name

ICC_REGISTRY = "http://www.color.org"
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def finish_print_pdf(data: bytes, condition: str, condition_text: str) -> bytes:
    """The print PDF `data`, finished (see the module's docstring)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        add_crop_marks(pdf)
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
        clean_font_names(pdf)
        name_output_condition(pdf, condition, condition_text)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


def name_output_condition(pdf: Any, condition: str, text: str) -> None:
    """The PDF/X output intent names `condition` (for example FOGRA39) in the ICC registry."""
    import pikepdf

    for intent in pdf.Root.get("/OutputIntents", []):
        if intent.get("/S") == "/GTS_PDFX":
            intent.OutputConditionIdentifier = pikepdf.String(condition)
            intent.OutputCondition = pikepdf.String(text)
            intent.Info = pikepdf.String(text)
            intent.RegistryName = pikepdf.String(ICC_REGISTRY)


def clean_font_names(pdf: Any) -> None:
    """Every embedded font's /BaseFont and /FontName become its own PostScript name (name
    table entry 6), keeping the subset tag."""
    import pikepdf

    for font in _fonts(pdf):
        parts = list(font.get("/DescendantFonts", [])) or [font]
        for part in parts:
            descriptor = part.get("/FontDescriptor")
            postscript = postscript_name(descriptor)
            if postscript is None:
                continue
            tag = SUBSET_TAG.match(str(part.get("/BaseFont", "")).lstrip("/"))
            name = pikepdf.Name("/" + (tag.group(0) if tag else "") + postscript)
            part.BaseFont = name
            descriptor.FontName = name
            font.BaseFont = name


def _fonts(pdf: Any) -> list[Any]:
    """Every font dictionary of the file, composite fonts without their descendants."""
    import pikepdf

    return [
        obj
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary)
        and obj.get("/Type") == "/Font"
        and obj.get("/Subtype") not in ("/CIDFontType2", "/CIDFontType0", "/Type3")
    ]
