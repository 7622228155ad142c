"""No tofu: every character of every built PDF is drawn with a glyph of an embedded font, and
every run of every PPTX names fonts that have its characters (de, en, fr and ja)."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bmr_materials.content.load import Loaded
from tests.conftest import pdf_page_texts
from tests.glyphs import coverage, drawn_codes, is_east_asian

pptx = pytest.importorskip("pptx")
from pptx.oxml.ns import qn  # noqa: E402


def _pdfs(built: Path) -> list[Path]:
    found = sorted(built.glob("*/brochures/*.pdf")) + sorted(built.glob("*/decks/*.pdf"))
    assert found
    return found


def test_every_language_and_kind_was_built(built: Path, loaded: Loaded) -> None:
    langs = {p.parts[-3] for p in _pdfs(built)}
    assert langs == set(loaded.content.languages) == {"de", "en", "fr", "ja"}
    ja = {p.name for p in built.glob("ja/*/*")}
    assert ja == {
        "overview-ja-print.pdf",
        "overview-ja-screen.pdf",
        "international-health-ruhr-ja.pptx",
        "international-health-ruhr-ja.pdf",
    }


def test_every_character_in_every_pdf_is_a_glyph_of_an_embedded_font(built: Path) -> None:
    for path in _pdfs(built):
        data = path.read_bytes()
        codes = list(drawn_codes(data))
        assert codes, path.name
        missing = Counter((d.font, d.code, d.text) for d in codes if d.glyph is None)
        assert not missing, f"{path.name}: .notdef or missing glyphs: {missing.most_common(5)}"
        drawn = {c for d in codes for c in d.text}
        pages = pdf_page_texts(data)
        assert not any(p in page for page in pages for p in ("{label}", "{value}", "{unit}")), (
            f"{path.name}: a label placeholder is shown"
        )
        shown = {c for page in pages for c in page if not c.isspace() and c not in "\ufffe\xad\x02"}
        assert shown <= drawn | {"-"}, (
            f"{path.name}: text without a font glyph: {sorted(shown - drawn)[:10]}"
        )


def test_japanese_pdfs_show_japanese_text_from_the_content(built: Path, loaded: Loaded) -> None:
    title = loaded.content.region.title["ja"]
    for path in built.glob("ja/*/*.pdf"):
        text = "".join(pdf_page_texts(path.read_bytes()))
        assert "ルール地方" in text, path.name
    overview = "".join(pdf_page_texts((built / "ja/brochures/overview-ja-screen.pdf").read_bytes()))
    assert title in overview.replace("\r\n", "").replace("\n", "")


def _parts(deck: Any) -> list[tuple[str, Any]]:
    parts: list[tuple[str, Any]] = []
    for master in deck.slide_masters:
        parts.append(("master", master))
        parts += [(f"layout {layout.name}", layout) for layout in master.slide_layouts]
    for n, slide in enumerate(deck.slides, 1):
        parts.append((f"slide {n}", slide))
        if slide.has_notes_slide:
            parts.append((f"notes {n}", slide.notes_slide))
    return parts


def _theme_fonts(deck: Any) -> dict[str, str]:
    """+mj-lt, +mn-lt, +mj-ea, +mn-ea -> the typefaces of the master's theme."""
    from lxml import etree

    master = deck.slide_masters[0]
    theme_part = next(
        rel.target_part for rel in master.part.rels.values() if rel.reltype.endswith("/theme")
    )
    theme = etree.fromstring(theme_part.blob)
    fonts = {}
    for kind, short in (("majorFont", "mj"), ("minorFont", "mn")):
        node = theme.find(f".//{qn('a:' + kind)}")
        fonts[f"+{short}-lt"] = node.find(qn("a:latin")).get("typeface")
        fonts[f"+{short}-ea"] = node.find(qn("a:ea")).get("typeface")
    return fonts


def _run_fonts(rpr: Any, theme: dict[str, str]) -> tuple[str, str]:
    def named(tag: str, default: str) -> str:
        node = rpr.find(qn(tag)) if rpr is not None else None
        face = node.get("typeface") if node is not None else default
        return theme.get(face, face)

    latin = named("a:latin", "+mn-lt")
    return latin, named("a:ea", "+mn-ea") or latin


def test_every_run_of_every_deck_names_fonts_that_have_its_characters(built: Path) -> None:
    decks = sorted(built.glob("*/decks/*.pptx"))
    assert len(decks) >= 5  # de, en, fr, ja main deck and the English delegation deck
    for path in decks:
        deck = pptx.Presentation(io.BytesIO(path.read_bytes()))
        theme = _theme_fonts(deck)
        japanese = path.name.endswith("-ja.pptx")
        for where, part in _parts(deck):
            for run in part.element.iter(qn("a:r"), qn("a:fld")):
                rpr = run.find(qn("a:rPr"))
                latin, east = _run_fonts(rpr, theme)
                text = "".join(t.text or "" for t in run.iter(qn("a:t")))
                for char in set(text) - {" ", "\u00a0", "\u202f", "\t"}:
                    code = ord(char)
                    ok = (
                        code in coverage(east)
                        if is_east_asian(char)
                        else code in coverage(latin) or code in coverage(east)
                    )
                    assert ok, (
                        f"{path.name}, {where}: {char!r} in {text[:40]!r} is in "
                        f"neither {latin!r} nor {east!r}"
                    )
                if where.startswith(("slide", "notes")) and text.strip():
                    assert rpr is not None and rpr.find(qn("a:latin")) is not None, where
                    if japanese:
                        assert east == "Noto Sans CJK JP", (path.name, where, text[:30])


def test_the_check_finds_a_character_no_font_has() -> None:
    """A Linear B syllable no installed font draws: WeasyPrint shows .notdef, which is found."""
    from weasyprint import HTML

    data = HTML(string="<p lang='en'>Ruhr \U00010000 Ruhr</p>").write_pdf()
    missing = [d for d in drawn_codes(data) if d.glyph is None]
    assert missing and {d.text for d in missing} == {"\U00010000"}
    assert any(d.glyph is not None and d.text == "R" for d in drawn_codes(data))


def test_the_deck_check_needs_the_east_asian_font_for_japanese() -> None:
    assert ord("ル") not in coverage("Source Sans 3") and ord("ル") in coverage("Noto Sans CJK JP")
    assert is_east_asian("ル") and is_east_asian("（") and not is_east_asian("é")
