"""Preflight sees what a reader sees: a word running off the page and glyphs a font does not
have (drawn as empty boxes) are errors naming the page and the text, in real builds."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from bmr_materials.app.cli import main
from bmr_materials.engine import preflight
from bmr_materials.kinds.registry import load_kinds
from bmr_materials.shared.preflight.glyphs import check_missing, check_outside
from bmr_materials.shared.preflight.paint import Glyph, painted
from tests.conftest import set_value

EMOJI = "\U0001f469\u200d\U0001f52c"  # woman scientist: a ZWJ sequence
WORD = ("Gesundheitswirtschaft" * 15)[:300]


def _errors(results: list[preflight.Result], path: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for result in results:
        if result.path == path:
            for issue in result.issues:
                if issue.severity == "error":
                    found.setdefault(result.check, []).append(issue.message)
    return found


@pytest.mark.slow
def test_a_long_word_and_an_emoji_in_a_title_fail_with_page_and_text(
    content_copy: Path, tmp_path: Path
) -> None:
    set_value(content_copy, "fields/medtech.yaml", ["title", "en"], f"MedTech {EMOJI} {WORD}")
    out = tmp_path / "out"
    assert (
        main(
            [
                "build",
                "--content",
                str(content_copy),
                "--out",
                str(out),
                "--only",
                "medtech",
                "--lang",
                "en",
                "--jobs",
                "1",
                "--no-preflight",
                "--quiet",
            ]
        )
        == 0
    )
    results = preflight.inspect(out, None, load_kinds())
    for variant in ("print", "screen"):
        errors = _errors(results, f"en/brochures/medtech-en-{variant}.pdf")
        assert set(errors) == {"glyphs on the page", "missing glyphs"}, errors
        outside = errors["glyphs on the page"]
        assert any(
            m.startswith("page 1: ")
            and "glyphs drawn outside the page" in m
            and "Gesundheitswirtschaft" in m
            for m in outside
        ), outside
        missing = errors["missing glyphs"]
        assert any(
            m.startswith("page 1: ") and "\U0001f469" in m and "\U0001f52c" in m for m in missing
        ), missing


def test_the_painter_places_glyphs_where_pdfium_does(built: Path) -> None:
    import pypdfium2

    path = built / "en" / "brochures" / "medtech-en-print.pdf"
    with pikepdf.open(path) as pdf:
        glyphs = [
            g for g in painted(pdf) if isinstance(g, Glyph) and g.page == 2 and g.text.strip()
        ]
        assert list(check_outside(pdf, glyphs)) == []
        assert list(check_missing(pdf, glyphs, {})) == []
    document = pypdfium2.PdfDocument(str(path))
    try:
        textpage = document[1].get_textpage()
        boxes = [
            textpage.get_charbox(i)
            for i in range(textpage.count_chars())
            if textpage.get_text_range(i, 1).strip()
        ]
        texts = "".join(textpage.get_text_range(i, 1) for i in range(textpage.count_chars()))
    finally:
        document.close()
    assert "".join(g.text for g in glyphs) == "".join(texts.split())
    at = 0
    for glyph in glyphs:  # a ligature glyph ("fi") is two characters to PDFium
        left, bottom, right, top = boxes[at]
        at += len(glyph.text)
        assert glyph.box[0] <= left + 1 and glyph.box[2] >= right - 1, (glyph, left, right)
        assert glyph.box[1] <= bottom + 1 and glyph.box[3] >= top - 1, (glyph, bottom, top)
