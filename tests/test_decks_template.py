"""Deck templates and the deck PDF: a template lacking a layout, the master itself, LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.errors import TemplateError
from bmr_materials.kinds.decks.context import DEFAULT_TEMPLATE, LAYOUTS, deck_context
from bmr_materials.kinds.decks.pdf import deck_pdf, libreoffice
from bmr_materials.kinds.decks.render import render_deck
from bmr_materials.kinds.decks.theme import MARKER

pptx = pytest.importorskip("pptx")


def test_master_is_16_9_with_named_brand_layouts() -> None:
    master = pptx.Presentation(str(DEFAULT_TEMPLATE))
    assert (master.slide_width, master.slide_height) == (12192000, 6858000)
    names = [layout.name for layout in master.slide_layouts]
    assert set(LAYOUTS.values()) <= set(names)
    assert "Section" in names
    theme = master.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob
    # neutral: no campaign's colour, name or logo; every build brands it (decks/theme.py)
    assert b'typeface="Source Sans 3"' in theme and b"00596E" not in theme
    assert f'name="{MARKER}"'.encode() in theme
    words = b"".join(part.blob for part in master.part.package.iter_parts())
    assert b"Ruhr" not in words and b"Bochum" not in words
    for layout in master.slide_layouts:
        kinds = {ph.placeholder_format.type for ph in layout.placeholders}
        if layout.name not in ("Title", "Picture"):  # a full-bleed photograph: no footer
            assert {13, 15} <= {int(k) for k in kinds}, layout.name  # slide number, footer


def test_template_lacking_a_layout_lists_its_layouts(loaded: Loaded, tmp_path: Path) -> None:
    master = pptx.Presentation(str(DEFAULT_TEMPLATE))
    chart = next(layout for layout in master.slide_layouts if layout.name == "Chart")
    master.slide_layouts.remove(chart)
    broken = tmp_path / "corporate.pptx"
    master.save(str(broken))
    ctx = deck_context(
        loaded.content, "international-health-ruhr", "en", native_charts=False, template=broken
    )
    assert ctx["template"] == str(broken)
    with pytest.raises(TemplateError) as raised:
        render_deck(ctx, tmp_path)
    message = str(raised.value)
    assert "lacks the layout 'Chart'" in message
    assert "its layouts are: 'Title', 'Section', 'Key Figures', 'Agenda', 'Field'" in message


def test_missing_template_is_a_template_error(loaded: Loaded, tmp_path: Path) -> None:
    ctx = deck_context(
        loaded.content,
        "life-science-medtech",
        "en",
        native_charts=False,
        template=tmp_path / "nowhere.pptx",
    )
    with pytest.raises(TemplateError, match="not found"):
        render_deck(ctx, tmp_path)


@pytest.mark.slow
def test_libreoffice_pdf_has_one_page_per_slide(loaded: Loaded, tmp_path: Path) -> None:
    if libreoffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-impress")
    import pikepdf

    ctx = deck_context(
        loaded.content, "international-health-ruhr", "de", native_charts=True, template=None
    )
    data = render_deck(ctx, tmp_path)
    stamp = dt.datetime.fromisoformat(ctx["timestamp"])
    pdf = deck_pdf(data, stamp)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == len(ctx["slides"])
        assert str(doc.docinfo["/CreationDate"]).startswith(stamp.strftime("D:%Y%m%d"))
        fonts = {
            str(f.get("/BaseFont", ""))
            for page in doc.pages
            for f in page.Resources.get("/Font", {}).values()
        }
    assert any("SourceSans3" in f for f in fonts), fonts
    assert deck_pdf(data, stamp) == pdf  # reproducible
