"""Make tests/fixtures/blue-coast/assets/corporate.potx: a client's master (a .potx) whose
layouts and placeholders are named otherwise than the builder's, so the second campaign's
decks need the layout map in its campaign.yaml.

Run from the project root:  .venv/bin/python tests/make_client_master.py
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from pptx import Presentation

from bmr_materials.kinds.decks.repro import normalise_package

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "blue-coast" / "assets" / "corporate.potx"
NAMES = {
    "Title": "Cover",
    "Section": "Divider",
    "Key Figures": "Numbers",
    "Chart": "Graph",
    "Field": "Topic",
    "Two Columns": "Split",
    "Text": "Content",
    "Contact": "Reach us",
}


def build() -> bytes:
    prs = Presentation(str(ROOT / "templates" / "decks" / "master.pptx"))
    for layout in prs.slide_layouts:
        layout.name = NAMES[layout.name]
        for ph in layout.placeholders:
            ph.name = f"Placeholder {ph.placeholder_format.idx}"
    buffer = io.BytesIO()
    prs.save(buffer)
    when = dt.datetime(2026, 1, 1, 12, 0, 0)
    data = normalise_package(buffer.getvalue(), when)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"presentationml.presentation.main+xml", b"presentationml.template.main+xml"
                )
            target.writestr(info, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")
