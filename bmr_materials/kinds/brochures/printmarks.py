"""Make WeasyPrint's crop marks print on every plate: it draws them in DeviceRGB black, which
PDF/X-4 with a CMYK output intent does not allow. Take the print PDF, give the black RGB
colour operators of its form XObjects (the marks) the CMYK registration colour, and save it
reproducibly. Any other RGB colour is left as it is, for preflight to report."""

from __future__ import annotations

import io
from typing import Any

REGISTRATION = [1, 1, 1, 1]
CMYK_OPERATOR = {"rg": "k", "RG": "K"}


def registration_marks(data: bytes) -> bytes:
    """The PDF with black RGB operators in form XObjects set to registration CMYK."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        changed = False
        for page in pdf.pages:
            for xobject in (page.obj.Resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Form":
                    changed |= _recolour(xobject)
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


def _is_black_rgb(instruction: Any) -> bool:
    operator = str(instruction.operator)
    return operator in CMYK_OPERATOR and [float(v) for v in instruction.operands] == [0, 0, 0]


def _recolour(xobject: Any) -> bool:
    import pikepdf

    operations = pikepdf.parse_content_stream(xobject)
    if not any(_is_black_rgb(instruction) for instruction in operations):
        return False
    rewritten: list[Any] = [
        pikepdf.ContentStreamInstruction(
            REGISTRATION, pikepdf.Operator(CMYK_OPERATOR[str(instruction.operator)]))
        if _is_black_rgb(instruction) else instruction for instruction in operations]
    xobject.write(pikepdf.unparse_content_stream(rewritten))
    return True
