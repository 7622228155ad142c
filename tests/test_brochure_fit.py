"""Brochures fitted to their content: a field with little text is a 4-page leaflet, one with
much text 8 pages; every inner page at least half full, no page repeating another's text, and
the layout record (page fill, layout warnings) that preflight reads from the PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.content.model import Content, KeyArea, Specialization
from bmr_materials.kinds.brochures.context import brochure_context
from bmr_materials.kinds.brochures.fit import FITS, Laid, choose
from bmr_materials.kinds.brochures.measure import LayoutReport
from bmr_materials.kinds.brochures.render import render_brochure
from bmr_materials.shared.preflight.layout import layout_checks, layout_record
from tests.conftest import pdf_page_texts

WORDS = [
    "partners",
    "region",
    "hospitals",
    "research",
    "data",
    "care",
    "companies",
    "networks",
    "institutes",
    "patients",
    "projects",
    "markets",
    "clinics",
    "science",
    "innovation",
    "founders",
    "talent",
    "services",
    "therapies",
    "devices",
]


def _sentences(seed: int, count: int) -> str:
    """`count` distinct English sentences (no two pages can share one)."""
    out = []
    for n in range(count):
        words = [WORDS[(seed * 7 + n * 3 + k * 5) % len(WORDS)] for k in range(14)]
        out.append(f"Sentence {seed}-{n} tells how {' '.join(words)} work together.")
    return " ".join(out)


def _text(seed: int, count: int, langs: list[str]) -> dict[str, str]:
    return {lang: _sentences(seed, count) for lang in langs}


def _field(content: Content, base: str, key_areas: int, sentences: int) -> Content:
    """The shipped content with field `base` rewritten: its body and `key_areas` key areas of
    `sentences` sentences each (every language the same English text)."""
    field = content.fields[base]
    langs = list(field.title)
    areas = [
        KeyArea(title=_text(100 + i, 1, langs), body=_text(200 + i, sentences, langs))
        for i in range(key_areas)
    ]
    changed: Specialization = field.model_copy(
        update={"body": _text(1, sentences, langs), "key_areas": areas, "opportunities": None}
    )
    return content.model_copy(update={"fields": {**content.fields, base: changed}})


def _render(content: Content, bid: str, tmp_path: Path) -> tuple[bytes, dict[str, Any]]:
    ctx = brochure_context(content, bid, "en", "print")
    data = render_brochure(ctx, tmp_path)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        record = layout_record(pdf)
    assert record is not None
    return data, record


def _assert_fitted(data: bytes, record: dict[str, Any], pages: int) -> None:
    texts = [" ".join(t.split()) for t in pdf_page_texts(data)]
    assert len(texts) == pages, record
    inner = record["fills"][1:-1]
    assert len(inner) == pages - 2
    assert all(fill >= 0.5 for fill in inner), record
    assert record["warnings"] == [], record
    sentences = [{s for s in t.split(". ") if len(s) > 40} for t in texts]
    for a in range(len(texts)):
        for b in range(a + 1, len(texts)):
            assert not (sentences[a] & sentences[b]), (a + 1, b + 1)  # no page repeats another
        assert len(texts[a]) > 40, a + 1  # no empty page


@pytest.mark.slow
def test_little_text_is_a_four_page_leaflet(loaded: Loaded, tmp_path: Path) -> None:
    content = _field(loaded.content, "digital-health", key_areas=1, sentences=6)
    data, record = _render(content, "digital-health", tmp_path)
    _assert_fitted(data, record, 4)


@pytest.mark.slow
def test_much_text_takes_eight_pages(loaded: Loaded, tmp_path: Path) -> None:
    content = _field(loaded.content, "digital-health", key_areas=6, sentences=18)
    data, record = _render(content, "digital-health", tmp_path)
    _assert_fitted(data, record, 8)


# --- the search, on stand-in layouts (pure) --------------------------------------------------


def _laid(pages_by_fit: dict[str, list[float]], tried: list[str]) -> Any:
    def layout(fit: str) -> Laid:
        tried.append(fit)
        return Laid(fit, None, LayoutReport(fills=[1.0, *pages_by_fit[fit], 1.0]))

    return layout


@pytest.mark.parametrize(
    ("inner", "chosen", "layouts"),
    [
        # compact fits 4 pages: one layout
        ({"compact": [0.9, 0.8]}, "compact", ["compact"]),
        # compact is one page too long, tight fits
        ({"compact": [0.9, 0.9, 0.2], "tight": [0.9, 0.95]}, "tight", ["compact", "tight"]),
        # too long for 4 even when tight; regular is 7 pages, roomy 8
        (
            {
                "compact": [0.9] * 4,
                "regular": [0.9] * 5,
                "roomy": [0.9, 0.8, 0.7, 0.6, 0.6, 0.6],
            },
            "roomy",
            ["compact", "regular", "roomy"],
        ),
    ],
)
def test_choose_lays_out_few_variants(
    inner: dict[str, list[float]], chosen: str, layouts: list[str]
) -> None:
    tried: list[str] = []
    pages = {f: inner.get(f, [0.1] * 9) for f in FITS}
    assert choose(_laid(pages, tried)).fit == chosen
    assert tried == layouts


def test_a_half_empty_inner_page_is_not_a_fit() -> None:
    tried: list[str] = []
    pages = {f: [0.9, 0.3] for f in FITS}
    pages["tight"] = [0.9, 0.3]
    found = choose(_laid(pages, tried))
    assert found.fit == "tight"  # nothing fits: the tightest, which the renderer pads
    assert found.report.inner_fills() == [0.9, 0.3]


@pytest.mark.slow
def test_preflight_reads_the_layout_record(loaded: Loaded, tmp_path: Path) -> None:
    ctx = brochure_context(loaded.content, "green-health", "de", "print")
    data = render_brochure(ctx, tmp_path)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        results = {name: list(check()) for name, check in layout_checks(pdf, True).items()}
    fill = results["page fill"]
    assert [i.severity for i in fill] == ["info"]
    assert "page fill: 1 " in fill[0].message and f"{len(pdf_page_texts(data))} " in fill[0].message
    assert results["page breaks"] == [] and results["photographs"] == []
