"""Take a print page (TrimBox and a 3 mm BleedBox, as WeasyPrint writes it with `bleed: 3mm`)
and give it a print shop's sheet: a MediaBox a slug wider than the bleed, and crop marks in that
slug, outside the bleed, in the registration colour (a Separation "All", which prints on every
plate).

WeasyPrint draws its own `marks: crop` inside the bleed (its MediaBox is the BleedBox), over the
artwork that runs to the bleed edge, and in DeviceRGB; the template asks for none, and these are
drawn instead.
"""

from __future__ import annotations

from typing import Any

MM = 72 / 25.4
MARK_OFFSET = 4 * MM  # the marks start this far outside the trim (1 mm beyond the 3 mm bleed)
MARK_LENGTH = 6 * MM
SLUG = 12 * MM  # the MediaBox reaches this far beyond the trim
MARK_WIDTH = 0.25  # points: a hairline, as offset printers' marks are
MARKS_NAME = "/BMRCropMarks"


def registration_colour_space(pdf: Any) -> Any:
    """[/Separation /All /DeviceCMYK f]: the colour of printer's marks (100 % on every plate)."""
    import pikepdf

    tint = pdf.make_indirect(
        pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    )
    return pdf.make_indirect(
        pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint])
    )


def crop_marks(trim: list[float]) -> bytes:
    """The content stream of the eight crop marks around `trim` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = trim
    near, far = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * near, y, x + sx * far, y))  # horizontal, in line with the edge
            lines.append((x, y + sy * near, x, y + sy * far))  # vertical
    path = "".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S\n" for a, b, c, d in lines)
    return f"q /Reg CS 1 SCN {MARK_WIDTH} w 0 J [] 0 d\n{path}Q\n".encode()


def add_crop_marks(pdf: Any) -> None:
    """Every page: MediaBox and CropBox a slug beyond the trim, crop marks in the slug."""
    import pikepdf

    colour = registration_colour_space(pdf)
    forms: dict[tuple[float, ...], Any] = {}
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        media = [trim[0] - SLUG, trim[1] - SLUG, trim[2] + SLUG, trim[3] + SLUG]
        form = forms.get(tuple(trim))
        if form is None:
            form = forms[tuple(trim)] = pdf.make_stream(
                crop_marks(trim),
                Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Form,
                BBox=media,
                Resources=pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(Reg=colour)),
            )
        page.obj.MediaBox = pikepdf.Array(media)
        page.obj.CropBox = pikepdf.Array(media)
        page.obj.ArtBox = pikepdf.Array(trim)  # WeasyPrint sets the bleed; the art is the page
        if "/Resources" not in page.obj:
            page.obj.Resources = pikepdf.Dictionary()
        if "/XObject" not in page.obj.Resources:
            page.obj.Resources.XObject = pikepdf.Dictionary()
        page.obj.Resources.XObject[MARKS_NAME] = form
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(f"Q\n{MARKS_NAME} Do\n".encode()))
