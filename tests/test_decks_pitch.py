"""Decks as a pitch: slide kinds in the content's order, computed takeaways, native chart data
with gaps, words per slide, a photograph slide, and text that fits without the brand font."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bmr_materials.content.load import Loaded, load_content
from bmr_materials.kinds.decks.context import LAYOUTS, deck_context
from bmr_materials.kinds.decks.preflight import (
    check_fallback_fonts,
    check_words,
    count_words,
    slide_words,
)
from bmr_materials.kinds.decks.render import render_deck
from bmr_materials.kinds.decks.takeaway import own_words, takeaway
from bmr_materials.shared.i18n import formatter

pptx = pytest.importorskip("pptx")

MAIN = "international-health-ruhr"
EMU_PER_PT = 12700


def open_deck(data: bytes) -> Any:
    return pptx.Presentation(io.BytesIO(data))


@pytest.fixture(scope="module")
def render_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pitch-cache")


@pytest.fixture(scope="module")
def english(loaded: Loaded, render_cache: Path) -> dict[str, tuple[dict[str, Any], bytes]]:
    """The main deck in English, with picture charts and with native charts."""
    result = {}
    for native in (False, True):
        ctx = deck_context(loaded.content, MAIN, "en", native_charts=native, template=None)
        result["native" if native else "picture"] = (ctx, render_deck(ctx, render_cache))
    return result


# --- structure ------------------------------------------------------------------------------


def test_slide_kinds_and_order_come_from_the_content(loaded: Loaded, english: Any) -> None:
    _ctx, data = english["picture"]
    deck = open_deck(data)
    kinds = [s.kind for s in loaded.content.decks[MAIN].slides]
    assert kinds[:4] == ["title", "agenda", "section", "map"] and kinds[-1] == "closing"
    assert [s.slide_layout.name for s in deck.slides] == [LAYOUTS[k] for k in kinds]
    sections = [s.title["en"] for s in loaded.content.decks[MAIN].slides if s.kind == "section"]
    agenda = deck.slides[kinds.index("agenda")]
    items = [p.text for ph in agenda.placeholders for p in ph.text_frame.paragraphs]
    assert [i for i in items if i in sections] == sections  # the agenda lists the sections
    closing = deck.slides[len(kinds) - 1]
    text = " ".join(ph.text_frame.text for ph in closing.placeholders if ph.has_text_frame)
    assert "Which partner in the Ruhr are you looking for?" in text
    assert "Business Metropole Ruhr GmbH" in text
    assert any(s.element.tag.endswith("}pic") for s in closing.shapes)  # the QR code


def test_field_slide_leads_with_its_figure_icon_and_three_points(
    loaded: Loaded, english: Any
) -> None:
    ctx, data = english["picture"]
    deck = open_deck(data)
    number = next(s["number"] for s in ctx["slides"] if s["kind"] == "field")
    slide = deck.slides[number - 1]
    spec = loaded.content.fields["digital-health"]
    roles = {ph._base_placeholder.name: ph for ph in slide.placeholders}
    assert roles["Figure 1"].text_frame.paragraphs[0].text == "more than 6,000"
    points = [p.text for p in roles["Points"].text_frame.paragraphs]
    assert points == [p["en"] for p in spec.deck_points] and len(points) <= 3
    icon = [s for s in slide.shapes if s.name == f"Icon {spec.icon}"]
    assert icon and icon[0].image.content_type == "image/png"
    notes = slide.notes_slide.notes_text_frame.text
    assert "health literacy" in notes and "Source: " in notes  # long text and source in notes
    assert slide_words(slide) <= 40


def test_delegation_deck_names_its_audience(loaded: Loaded, render_cache: Path) -> None:
    content = loaded.content
    deck = content.decks["life-science-medtech"]
    assert deck.audience is not None and deck.audience.languages == ["en"]
    ctx = deck_context(content, deck.id, "en", native_charts=False, template=None)
    slides = open_deck(render_deck(ctx, render_cache)).slides
    title = " ".join(ph.text_frame.text for ph in slides[0].placeholders if ph.has_text_frame)
    assert "Life Science & MedTech delegation · Bochum, 16 March 2027" in title
    assert slides[-1].shapes.title.text == "Thank you, Life Science & MedTech delegation"
    partners = [s for s in slides if s.slide_layout.name == "Two Columns"][-1]
    names = [p.text for ph in partners.placeholders for p in ph.text_frame.paragraphs]
    assert "Drug Discovery Hub Dortmund" in names and "GesundheitsCampus Bochum" in names


# --- takeaways ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "kind", "categories", "values", "expected"),
    [
        ("en", "bar", ["2016", "2017", "2018"], [100.0, 108.0, 115.0], "+15% since 2016"),
        ("de", "bar", ["2016", "2017", "2018"], [100.0, 108.0, 115.0], "+15\xa0% seit 2016"),
        ("fr", "line", ["2016", "2017"], [200.0, 190.0], "-5\xa0% depuis 2016"),
        ("en", "line", ["2016", "2017"], [200.0, 190.0], "-5% since 2016"),
        # a gap (no 2018): the change runs from the first point to the last one there is
        ("en", "line", ["2016", "2017", "2019"], [21.5, 20.0, 23.62], "+10% since 2016"),
        ("en", "line", ["2016", "2019"], [10.0, 10.02], "+0.2% since 2016"),
        ("en", "compare", ["the Ruhr", "Germany"], [737.0, 573.0], "+29% compared with Germany"),
        ("ja", "share", ["share"], [20.0], "5人に1人"),
        ("en", "share", ["share"], [37.0], ""),  # no simple fraction: no line
    ],
)
def test_takeaway_is_computed_from_the_data(
    loaded: Loaded,
    lang: str,
    kind: str,
    categories: list[str],
    values: list[float],
    expected: str,
) -> None:
    fmt = formatter(lang, loaded.content)
    assert takeaway(kind, categories, values, fmt) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([12.0, 4.0, -7.0], "-19 since 2021"),  # crosses zero: a percentage would mislead
        ([-3.0, 5.0], "+8 since 2021"),  # starts below zero
        ([0.0, 0.0], "0 since 2021"),
    ],
)
def test_a_series_at_or_below_zero_takes_away_an_amount(
    loaded: Loaded, values: list[float], expected: str
) -> None:
    fmt = formatter("en", loaded.content)
    years = [str(2021 + i) for i in range(len(values))]
    assert takeaway("line", years, values, fmt) == ""  # no unit to say it in: no line
    amount = lambda value: fmt.quantity(value, "count", None, 0)  # noqa: E731
    assert takeaway("line", years, values, fmt, amount) == expected


def test_takeaway_on_the_slide_is_the_computed_one(english: Any) -> None:
    ctx, data = english["picture"]
    deck = open_deck(data)
    lines = {}
    for slide_ctx in ctx["slides"]:
        if slide_ctx["kind"] == "chart":
            slide = deck.slides[slide_ctx["number"] - 1]
            roles = {ph._base_placeholder.name: ph for ph in slide.placeholders}
            lines[slide_ctx["chart"]["id"]] = roles["Takeaway"].text_frame.text
    assert lines == {
        "employees_trend": "+15% since 2016",
        "turnover_trend": "+10% since 2016",
        "hospital_density": "+29% compared with Germany",
        "health_share": "1 in 5",
    }
    assert own_words(["Beds in the Ruhr", "Beds in Germany"]) == ["the Ruhr", "Germany"]


# --- native charts --------------------------------------------------------------------------


def test_native_chart_keeps_gaps_precision_and_colours(loaded: Loaded, english: Any) -> None:
    ctx, data = english["native"]
    deck = open_deck(data)
    charts = {s["chart"]["id"]: s for s in ctx["slides"] if s["kind"] == "chart"}
    turnover = deck.slides[charts["turnover_trend"]["number"] - 1]
    chart = next(s for s in turnover.shapes if s.has_chart).chart
    series = loaded.content.figures.series["health_turnover_series"]
    given = {p.period: p.value for p in series.points}
    years = [str(y) for y in range(2016, 2024)]
    assert list(chart.plots[0].categories) == years  # 2022 is kept, without a value
    assert list(chart.plots[0].series[0].values) == [given.get(y) for y in years]
    labels = [
        p.data_label.text_frame.text if p.data_label.has_text_frame else ""
        for p in chart.plots[0].series[0].points
    ]
    assert labels[0] == "about 21.5" and labels[years.index("2022")] == ""
    compare = deck.slides[charts["hospital_density"]["number"] - 1]
    bars = next(s for s in compare.shapes if s.has_chart).chart.plots[0].series[0]
    fills = [str(bars.points[n].format.fill.fore_color.rgb) for n in range(2)]
    from bmr_materials.shared.charts import palette

    shades = palette(charts["hospital_density"]["chart"]["colours"])
    assert fills == [shades["primary"]["rgb"].lstrip("#"), shades["neutral"]["rgb"].lstrip("#")]


# --- words per slide ------------------------------------------------------------------------


def test_words_are_counted_as_a_reader_reads_them() -> None:
    assert count_words("+15% since 2016") == 3
    assert count_words("€23.62 billion – Turnover (2022)") == 4
    assert count_words("business.ruhr/projekte/international-health-ruhr.html") == 1
    assert count_words("Drug Discovery Hub と Lead Discovery Center") == pytest.approx(6.4)
    assert count_words("デジタルプラットフォーム") == 1  # a katakana loanword is one word
    assert count_words("医療と社会的ケアの連携") == pytest.approx(1 + 9 / 2.5)


def test_preflight_warns_above_40_and_errs_above_70_words(english: Any) -> None:
    _ctx, data = english["picture"]
    deck = open_deck(data)
    assert list(check_words(deck)) == []  # the shipped deck passes without a warning
    deck.slides[1].shapes.title.text_frame.text = "word " * 45
    deck.slides[2].shapes.title.text_frame.text = "word " * 75
    issues = [(i.severity, i.message.split(":")[0]) for i in check_words(deck)]
    assert issues == [("warning", "slide 2"), ("error", "slide 3")]


# --- a photograph ---------------------------------------------------------------------------


def test_picture_slide_is_full_bleed_with_credit(
    content_copy: Path, render_cache: Path, tmp_path: Path
) -> None:
    from PIL import Image

    photo = content_copy / "assets" / "photo.jpg"
    photo.parent.mkdir(exist_ok=True)
    Image.linear_gradient("L").resize((1600, 900)).convert("RGB").save(photo, quality=80)
    deck_file = content_copy / "decks" / f"{MAIN}.yaml"
    data = yaml.safe_load(deck_file.read_text(encoding="utf-8"))
    texts = {"de": "Auf dem Campus", "en": "On the campus", "fr": "Sur le campus", "ja": "構内"}
    data["slides"].insert(
        2,
        {
            "kind": "picture",
            "title": texts,
            "picture": {
                "file": "assets/photo.jpg",
                "credit": "Photo: A. Person, CC BY 4.0",
                "alt": texts,
            },
            "notes": {lang: f"{text}: talking points." for lang, text in texts.items()},
        },
    )
    deck_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    content = load_content(content_copy).content
    ctx = deck_context(content, MAIN, "en", native_charts=False, template=None)
    slide = open_deck(render_deck(ctx, render_cache)).slides[2]
    assert slide.slide_layout.name == "Picture"
    pic = next(s for s in slide.shapes if s.element.tag.endswith("}pic"))
    box = (pic.left, pic.top, pic.width, pic.height)
    assert box == pytest.approx((0, 0, 12192000, 6858000), abs=1000)  # the whole slide
    assert pic._element.xpath(".//p:cNvPr/@descr") == ["On the campus"]
    texts_on = [ph.text_frame.text for ph in slide.placeholders if ph.has_text_frame]
    assert "Photo: A. Person, CC BY 4.0" in texts_on
    assert slide_words(slide) == 3  # the credit is small print, not counted


# --- fonts that travel ----------------------------------------------------------------------


def _soffice_pdf(pptx_file: Path, out: Path, fonts_conf: Path) -> Path:
    """The PDF LibreOffice makes of `pptx_file` with fontconfig set up by `fonts_conf`."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf)}
    profile = out / "profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(pptx_file),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / f"{pptx_file.stem}.pdf"


def _spilled(deck: Any, pdf_file: Path, tolerance: float = 1.5) -> list[str]:
    """Text boxes whose characters LibreOffice drew outside them: for each box, the drawn
    characters whose centres lie inside it must be at least as many as its text has."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_file))
    found = []
    for number, (slide, page) in enumerate(zip(deck.slides, document, strict=True), 1):
        height, textpage = page.get_height(), page.get_textpage()
        chars = []
        for i in range(textpage.count_chars()):
            if textpage.get_text_range(i, 1).strip():
                left, bottom, right, top = textpage.get_charbox(i)
                chars.append(((left + right) / 2, height - (bottom + top) / 2))
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            x0, y0 = shape.left / EMU_PER_PT - tolerance, shape.top / EMU_PER_PT - tolerance
            x1 = x0 + shape.width / EMU_PER_PT + 2 * tolerance
            y1 = y0 + shape.height / EMU_PER_PT + 2 * tolerance
            wanted = len("".join(shape.text_frame.text.split()))
            inside = sum(1 for x, y in chars if x0 <= x <= x1 and y0 <= y <= y1)
            if inside < wanted:
                found.append(f"slide {number} {shape.name}: {inside} of {wanted} characters")
    document.close()
    return found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
@pytest.mark.parametrize("lang", ["fr", "ja"])
def test_no_text_overflows_without_the_brand_font(
    loaded: Loaded, render_cache: Path, tmp_path: Path, lang: str
) -> None:
    import pikepdf

    ctx = deck_context(loaded.content, MAIN, lang, native_charts=False, template=None)
    deck_file = tmp_path / f"{MAIN}-{lang}.pptx"
    deck_file.write_bytes(render_deck(ctx, render_cache))
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        "<selectfont><rejectfont><pattern><patelt name='family'><string>Source Sans 3"
        "</string></patelt></pattern></rejectfont></selectfont>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    pdf_file = _soffice_pdf(deck_file, tmp_path, conf)
    with pikepdf.open(pdf_file) as pdf:
        fonts = {
            str(font.get("/BaseFont"))
            for page in pdf.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }
        assert fonts and not any("SourceSans" in f for f in fonts)  # the brand font is hidden
        fallback = [i.message for i in check_fallback_fonts(pdf, deck_file)]
    assert fallback and "DejaVuSans" in fallback[0]  # preflight names the fallback
    assert _spilled(open_deck(deck_file.read_bytes()), pdf_file) == []
