"""German and French words break where a dictionary (Duden, Robert) breaks them, in the
brochures as WeasyPrint sets them; lead paragraphs are not hyphenated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bmr_materials.shared.hyphenation import pattern, register
from tests.conftest import pdf_page_texts

# Every right break of each word; the renderer may use any of them, never another.
WORDS: list[tuple[str, str]] = [
    ("de", "dau-er-haft"),
    ("de", "be-darfs-ge-rech-ten"),
    ("de", "Ge-sund-heits-wirt-schaft"),
    ("de", "Deutsch-land"),
    ("de", "Zu-sam-men-ar-beit"),
    ("de", "Wis-sens-trans-fer"),
    ("de", "Fort-schritt"),
    ("de", "Kran-ken-haus-bet-ten"),
    ("de", "In-no-va-ti-ons-stand-ort"),
    ("de", "Le-bens-wis-sen-schaf-ten"),
    ("de", "Me-di-zin-tech-nik"),
    ("de", "For-schungs-ein-rich-tun-gen"),
    ("de", "Wert-schöp-fungs-ket-ten"),
    ("de", "Kreis-lauf-wirt-schaft"),
    ("fr", "éco-no-mie"),
    ("fr", "in-no-va-tion"),
    ("fr", "tech-no-lo-gies"),
    ("fr", "éta-blis-se-ments"),
    ("fr", "en-tre-prises"),
    ("fr", "dé-ve-lop-pe-ment"),
    ("fr", "hos-pi-ta-lier"),
    ("fr", "ac-com-pa-gne-ment"),
]
LEFT, RIGHT = 3, 4  # brochure.css: hyphenate-limit-chars: 6 3 4
HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character


def breaks(word: str) -> set[int]:
    """'dau-er-haft' -> {3, 5}."""
    found, count = set(), 0
    for char in word:
        if char == "-":
            found.add(count)
        else:
            count += 1
    return found


@pytest.fixture(scope="module")
def dictionaries(tmp_path_factory: pytest.TempPathFactory) -> None:
    register(tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize(("lang", "word"), WORDS)
def test_the_dictionary_breaks_only_at_right_places(
    dictionaries: None, lang: str, word: str
) -> None:
    import pyphen

    plain = word.replace("-", "")
    found = set(pyphen.Pyphen(lang=lang, left=LEFT, right=RIGHT).positions(plain))
    allowed = {b for b in breaks(word) if LEFT <= b <= len(plain) - RIGHT}
    assert found <= breaks(word), pyphen.Pyphen(lang=lang).inserted(plain)
    assert found == allowed or len(found) >= len(allowed) - 1, (found, allowed)


def test_an_exception_is_a_start_anchored_pattern() -> None:
    assert pattern("dau-er-haft") == ".d8a8u9e8r9h8a8f8t"


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_brochures_break_words_at_right_places_and_leave_leads_whole(
    tmp_path: Path, lang: str
) -> None:
    from bmr_materials.kinds.brochures.render import _render_document

    words = [w for word_lang, w in WORDS if word_lang == lang]
    columns = "".join(
        f'<p style="width: {width}mm; margin: 0 0 4mm">{w.replace("-", "")}</p>'
        for w in words
        for width in range(10, 36, 3)
    )
    leads = "".join(f'<p class="lead" style="width: 20mm">{w.replace("-", "")}</p>' for w in words)
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><body><div class="body">{columns}</div>'
        f"<p>LEADS</p>{leads}</body></html>"
    )
    document = _render_document(html, tmp_path)
    text = "\n".join(pdf_page_texts(document.write_pdf()))
    text, _, lead_text = text.partition("LEADS")
    assert lead_text and HYPHEN not in lead_text, "a lead paragraph is hyphenated"
    used: set[str] = set()
    pieces: list[str] = []
    for line in re.split(r"[\r\n]+", text):
        line = line.strip()
        if not line:
            continue
        pieces.append(line.removesuffix(HYPHEN))
        if line.endswith(HYPHEN):
            continue
        plain = "".join(pieces)
        word = next(w for w in words if w.replace("-", "") == plain)
        cuts = {sum(len(p) for p in pieces[:i]) for i in range(1, len(pieces))}
        assert cuts <= breaks(word), f"{word} set as {HYPHEN.join(pieces)}"
        if cuts:
            used.add(word)
        pieces = []
    assert len(used) >= len(words) // 2, used  # the narrow columns did make it hyphenate
