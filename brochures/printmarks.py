"""Make WeasyPrint's crop marks print on every plate: its marks are drawn in DeviceRGB black,
which PDF/X-4 with a CMYK output intent does not allow. Take the print PDF, give every RGB
colour operator in its form XObjects the CMYK registration colour, and save it reproducibly."""

from __future__ import annotations

import io

REGISTRATION = [1, 1, 1, 1]
CMYK_OPERATOR = {"rg": "k", "RG": "K"}


def registration_marks(data: bytes) -> bytes:
    """The PDF with RGB operators in form XObjects (the marks) set to registration CMYK."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        changed = False
        for page in pdf.pages:
            for xobject in (page.obj.Resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Form":
                    changed |= _recolour(pdf, xobject)
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


def _recolour(pdf: object, xobject: object) -> bool:
    import pikepdf

    operations = pikepdf.parse_content_stream(xobject)
    if not any(str(op) in CMYK_OPERATOR for _, op in operations):
        return False
    rewritten = [
        (REGISTRATION, pikepdf.Operator(CMYK_OPERATOR[str(op)])) if str(op) in CMYK_OPERATOR
        else (operands, op) for operands, op in operations]
    xobject.write(pikepdf.unparse_content_stream(rewritten))  # type: ignore[attr-defined]
    return True
