"""Decks: every shipped deck in every language, opened with python-pptx and checked."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.errors import RenderError
from bmr_materials.kinds.decks.context import (
    LAYOUTS,
    PROJECT,
    deck_context,
    deck_ids,
    deck_languages,
)
from bmr_materials.kinds.decks.render import measure, render_deck

pptx = pytest.importorskip("pptx")
from pptx.oxml.ns import qn  # noqa: E402

BODY_ROLES = {"Title", "Text", "Left", "Right", "Points", "Figure 1", "Takeaway", "Ask", "Steps"}
Rendered = dict[tuple[str, str], tuple[dict[str, Any], bytes]]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("deck-cache")


@pytest.fixture(scope="session")
def rendered(loaded: Loaded, built: Path) -> Rendered:
    """Every deck in every language with picture charts (the shipped setting), as the
    session's one real build wrote it, with its context."""
    content = loaded.content
    assert not content.campaign.settings.native_charts
    result: Rendered = {}
    for did in deck_ids(content):
        for lang in deck_languages(content, did) or content.languages:
            if not content.makes(lang, did):
                continue
            ctx = deck_context(content, did, lang, native_charts=False, template=None)
            result[(did, lang)] = (
                ctx,
                (built / lang / "decks" / f"{did}-{lang}.pptx").read_bytes(),
            )
    return result


@pytest.fixture(scope="session")
def native(loaded: Loaded, cache_dir: Path) -> Rendered:
    """The main deck with native charts, in every language."""
    content = loaded.content
    result: Rendered = {}
    for lang in content.languages:
        ctx = deck_context(
            content, "international-health-ruhr", lang, native_charts=True, template=None
        )
        result[("international-health-ruhr", lang)] = (ctx, render_deck(ctx, cache_dir))
    return result


def open_deck(data: bytes) -> Any:
    return pptx.Presentation(io.BytesIO(data))


def both(rendered: Rendered, native: Rendered) -> list[tuple[str, dict[str, Any], Any]]:
    decks = [(f"{d}-{lang}", ctx, open_deck(data)) for (d, lang), (ctx, data) in rendered.items()]
    decks += [
        (f"{d}-{lang}-native", ctx, open_deck(data)) for (d, lang), (ctx, data) in native.items()
    ]
    return decks


def test_every_deck_in_every_language(loaded: Loaded, rendered: Rendered) -> None:
    content = loaded.content
    assert set(rendered) == {
        (d, lang)
        for d in content.decks
        for lang in deck_languages(content, d) or content.languages
        if content.makes(lang, d)
    }
    assert ("international-health-ruhr", "ja") in rendered
    assert ("life-science-medtech", "ja") not in rendered
    assert ("life-science-medtech", "de") not in rendered  # its audience's language only
    assert len(content.decks["international-health-ruhr"].slides) >= 12


def test_size_slides_and_layouts(loaded: Loaded, rendered: Rendered) -> None:
    for (did, _lang), (_ctx, data) in rendered.items():
        deck = open_deck(data)
        assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
        kinds = [s.kind for s in loaded.content.decks[did].slides]
        assert [s.slide_layout.name for s in deck.slides] == [LAYOUTS[k] for k in kinds]


def test_notes_on_every_slide(rendered: Rendered) -> None:
    for (did, lang), (ctx, data) in rendered.items():
        for n, slide in enumerate(open_deck(data).slides, 1):
            notes = slide.notes_slide.notes_text_frame.text.strip()
            assert len(notes) > 40, f"{did}-{lang} slide {n} has no speaker notes"
            assert (
                notes[:30]
                == "".join(r["text"] for r in ctx["slides"][n - 1]["notes"][0]["runs"])[:30]
            )


def test_alt_text_on_every_picture_and_chart(rendered: Rendered, native: Rendered) -> None:
    for name, _ctx, deck in both(rendered, native):
        count = 0
        for n, slide in enumerate(deck.slides, 1):
            shown = slide.element.iter(qn("p:pic"), qn("p:graphicFrame"))
            for frame in shown:
                descr = next(frame.iter(qn("p:cNvPr"))).get("descr", "")
                assert len(descr) > 15, f"{name} slide {n}: picture without alt text"
                assert not re.search(r"\.(png|jpe?g|emf)\b", descr), f"{name} slide {n}: {descr}"
                count += 1
        assert count >= 2, name


def test_language_tag_on_every_run(rendered: Rendered, native: Rendered) -> None:
    for name, ctx, deck in both(rendered, native):
        for n, slide in enumerate(deck.slides, 1):
            for part in (slide.element, slide.notes_slide.element):
                for run in part.iter(qn("a:r"), qn("a:fld")):
                    rpr = run.find(qn("a:rPr"))
                    assert rpr is not None and rpr.get("lang") == ctx["tag"], (
                        f"{name} slide {n}: run {run.findtext(qn('a:t'))!r} lacks {ctx['tag']}"
                    )


def test_no_text_overflows_and_no_empty_placeholder(rendered: Rendered) -> None:
    for (did, lang), (_ctx, data) in rendered.items():
        for n, slide in enumerate(open_deck(data).slides, 1):
            for ph in slide.placeholders:
                if not ph.has_text_frame:
                    continue
                assert ph.text_frame.text.strip(), f"{did}-{lang} slide {n}: empty {ph.name}"
                needed, available = measure(ph)
                assert needed <= available, (
                    f"{did}-{lang} slide {n}: {ph.name} needs {needed:.0f} of {available:.0f} pt"
                )


def test_sizes_stay_readable(rendered: Rendered) -> None:
    for (did, lang), (_ctx, data) in rendered.items():
        for n, slide in enumerate(open_deck(data).slides, 1):
            for ph in slide.placeholders:
                role = ph._base_placeholder.name
                if ph.has_text_frame and role in BODY_ROLES:
                    sizes = [
                        r.font.size.pt
                        for p in ph.text_frame.paragraphs
                        for r in p.runs
                        if r.font.size is not None
                    ]
                    floor = 24 if role == "Title" else 14
                    assert min(sizes, default=floor) >= floor, f"{did}-{lang} slide {n}"


def test_native_chart_data_equals_the_figures(native: Rendered) -> None:
    for (_did, lang), (ctx, data) in native.items():
        charts = [s for s in ctx["slides"] if s["kind"] == "chart"]
        assert len(charts) == 4
        for slide_ctx in charts:
            slide = open_deck(data).slides[slide_ctx["number"] - 1]
            frames = [s for s in slide.shapes if s.has_chart]
            assert len(frames) == 1
            chart, want = frames[0].chart, slide_ctx["chart"]
            values = list(chart.plots[0].series[0].values)
            categories = list(chart.plots[0].categories)
            shown = [v for v in values if v is not None]  # a year without a value is a gap
            assert shown[: len(want["values"])] == pytest.approx(want["values"])
            assert [c for c, v in zip(categories, values, strict=False) if v is not None][
                : len(want["categories"])
            ] == want["categories"]
            assert chart.part.chart_workbook.xlsx_part is not None  # "Edit Data" works
            fmt = chart.plots[0].data_labels.number_format
            lcid = {"de": "407", "en": "809", "fr": "40C", "ja": "411"}[lang]
            assert fmt.startswith(f"[$-{lcid}]")


def test_links_and_qr_code(loaded: Loaded, rendered: Rendered) -> None:
    web = loaded.content.campaign.contact.web
    for (did, lang), (_ctx, data) in rendered.items():
        deck = open_deck(data)
        contact = [s for s in deck.slides if s.slide_layout.name in ("Contact", "Closing")]
        if not contact:
            continue
        pics = [s for s in contact[0].shapes if s.shape_type == 13 or s.element.tag == qn("p:pic")]
        assert pics and pics[0].click_action.hyperlink.address == web
        assert pics[0].image.size[0] >= 600  # sharp when projected
        if contact[0].slide_layout.name == "Closing":  # the QR code is its link to the web
            continue
        links = [
            r.hyperlink.address
            for ph in contact[0].placeholders
            if ph.has_text_frame
            for p in ph.text_frame.paragraphs
            for r in p.runs
            if r.hyperlink.address
        ]
        assert web in links, f"{did}-{lang}"
        pics = [s for s in contact[0].shapes if s.shape_type == 13 or s.element.tag == qn("p:pic")]
        assert pics and pics[0].click_action.hyperlink.address == web
        assert pics[0].image.size[0] >= 600  # sharp when projected


def test_context_is_json_and_has_no_absolute_paths(loaded: Loaded) -> None:
    ctx = deck_context(
        loaded.content, "international-health-ruhr", "de", native_charts=False, template=None
    )
    text = json.dumps({k: v for k, v in ctx.items() if k != "files"}, ensure_ascii=False)
    assert str(PROJECT) not in text  # "files" is left out of the fingerprint
    assert Path(ctx["files"]["logo"]).name == "ihr-logo.svg"
    assert ctx["template"] == "templates/decks/master.pptx"
    assert ctx["tag"] == "de-DE" and ctx["figure_ids"] == sorted(ctx["figure_ids"])
    assert "health_jobs" in ctx["figure_ids"]


def test_same_input_same_bytes(loaded: Loaded, rendered: Rendered, cache_dir: Path) -> None:
    ctx, data = rendered[("life-science-medtech", "en")]
    assert render_deck(ctx, cache_dir) == data


def test_text_too_long_names_deck_slide_and_text(loaded: Loaded, cache_dir: Path) -> None:
    ctx = deck_context(
        loaded.content, "life-science-medtech", "en", native_charts=False, template=None
    )
    ctx["slides"][1]["texts"]["title"][0]["runs"][0]["text"] = "Far too long a title " * 20
    with pytest.raises(RenderError, match=r"life-science-medtech \(en\), slide 2: .*'Far too"):
        render_deck(ctx, cache_dir)
