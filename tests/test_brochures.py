"""Brochures: every brochure in every language and variant, as the session's one real build wrote
opened with pikepdf, pypdf and pypdfium2: boxes, pages, fonts, output intent, tags, figures,
sources, links, sizes and determinism."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from bmr_materials.content.load import Loaded
from bmr_materials.kinds.brochures.context import brochure_context, brochure_ids, input_files
from bmr_materials.kinds.brochures.render import render_brochure
from bmr_materials.shared.fonts import font_sources
from bmr_materials.shared.preflight.layout import layout_record
from tests.conftest import pdf_page_texts

A4 = (595.28, 841.89)
BLEED = 3 / 25.4 * 72  # 8.504 pt
Key = tuple[str, str, str]


@pytest.fixture(scope="session")
def render_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("brochure-cache")


@pytest.fixture(scope="session")
def contexts(loaded: Loaded) -> dict[Key, dict[str, Any]]:
    content = loaded.content
    return {
        (bid, lang, variant): brochure_context(content, bid, lang, variant)
        for bid in brochure_ids(content)
        for lang in content.languages
        if content.makes(lang, bid)
        for variant in ("print", "screen")
    }


@pytest.fixture(scope="session")
def rendered(contexts: dict[Key, dict[str, Any]], built: Path) -> dict[Key, bytes]:
    """Every brochure PDF, as the session's one real build wrote it."""
    return {
        (bid, lang, variant): (
            built / lang / "brochures" / f"{bid}-{lang}-{variant}.pdf"
        ).read_bytes()
        for bid, lang, variant in contexts
    }


def _text_pages(data: bytes) -> list[str]:
    return [
        " ".join(p.replace("\xa0", " ").replace("\u202f", " ").split())
        for p in pdf_page_texts(data)
    ]


def _box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(v) for v in page.obj[name]]


# --- ids and contexts -------------------------------------------------------------------------


def test_brochure_ids(loaded: Loaded) -> None:
    assert brochure_ids(loaded.content) == [
        "overview",
        "digital-health",
        "life-science",
        "integrated-managed-care",
        "medtech",
        "green-health",
        "campus-bochum",
    ]


def test_context_module_is_light() -> None:
    code = (
        "import sys, bmr_materials.kinds.brochures.context; "
        "print(sorted(m for m in ('weasyprint', 'matplotlib', 'pptx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_contexts_are_json_without_absolute_paths(
    contexts: dict[Key, dict[str, Any]], loaded: Loaded
) -> None:
    project = str(Path(__file__).resolve().parent.parent)
    for (bid, lang, variant), ctx in contexts.items():
        text = json.dumps(ctx, ensure_ascii=False)
        assert json.loads(text) == ctx
        # "files" (where the assets are) is left out of the fingerprint: their bytes count
        shown = json.dumps({k: v for k, v in ctx.items() if k != "files"}, ensure_ascii=False)
        assert project not in shown and str(Path.home()) not in shown
        assert all(Path(p).is_file() for p in ctx["files"].values())
        assert (ctx["id"], ctx["lang"], ctx["variant"]) == (bid, lang, variant)
        assert ctx["tag"] == loaded.content.campaign.languages[lang].tag
        assert ctx["timestamp"].startswith("20")
        assert ctx["figure_ids"] == sorted(ctx["figure_ids"])
        shown = {c["id"] for c in ctx["callouts"]} | {
            f for chart in ctx["charts"] for f in chart["figure_ids"]
        }
        assert set(ctx["figure_ids"]) == shown == {s["id"] for s in ctx["sources"]}
        assert ctx["charts"], f"{bid} shows no chart"


def test_print_colours_are_cmyk(contexts: dict[Key, dict[str, Any]]) -> None:
    ctx = contexts[("overview", "de", "print")]
    assert all(v.startswith("device-cmyk(") for v in ctx["colours"].values())
    assert ctx["colours"]["primary"] == "device-cmyk(1 0.25 0.15 0.5)"
    assert contexts[("overview", "de", "screen")]["colours"]["primary"] == "#00596E"


def test_input_files_exist(contexts: dict[Key, dict[str, Any]]) -> None:
    files = input_files(contexts[("medtech", "en", "print")])
    assert all(f.is_file() for f in files)
    names = {f.name for f in files}
    assert {"brochure.html.j2", "brochure.css", "ihr-logo.svg"} <= names
    assert any(n.endswith(".icc") for n in names)
    assert {f for f in files if f.suffix == ".ttf"} == set(font_sources())  # roman, italic


def test_raw_html_in_content_is_text(loaded: Loaded) -> None:
    content = loaded.content
    field = content.fields["medtech"]
    evil = {
        lang: '<script>alert(1)</script><img src="file:///etc/passwd"> **ok**'
        for lang in content.languages
    }
    changed = content.model_copy(
        update={"fields": {**content.fields, "medtech": field.model_copy(update={"lead": evil})}}
    )
    ctx = brochure_context(changed, "medtech", "en", "screen")
    lead = ctx["body"]["lead_html"]
    assert "<script>" not in lead and "<img" not in lead
    assert "&lt;script&gt;" in lead and "<strong>ok</strong>" in lead


# --- PDFs: boxes, pages, fonts, colour ----------------------------------------------------------


def test_print_boxes_and_page_count(rendered: dict[Key, bytes]) -> None:
    for (bid, lang, variant), data in rendered.items():
        if variant != "print":
            continue
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) in (4, 8, 12), (bid, lang, len(pdf.pages))
            for page in pdf.pages:
                trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
                assert trim[0] == pytest.approx(0) and trim[1] == pytest.approx(0)
                assert (trim[2], trim[3]) == pytest.approx(A4, abs=0.01)
                assert bleed == pytest.approx(
                    [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED], abs=0.01
                )
                media = _box(page, "/MediaBox")  # room for crop marks outside the bleed
                assert media[0] < bleed[0] - 2 * BLEED and media[1] < bleed[1] - 2 * BLEED
                assert media[2] > bleed[2] + 2 * BLEED and media[3] > bleed[3] + 2 * BLEED
                assert "/Annots" not in page.obj, (bid, lang)


def test_every_brochure_fits_its_pages(rendered: dict[Key, bytes]) -> None:
    """Fields and the site are 4-page leaflets, the overview 8 pages; every inner page at
    least half full and no layout warning (the record preflight reads)."""
    for (bid, lang, variant), data in rendered.items():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            record = layout_record(pdf)
            assert record is not None, (bid, lang, variant)
            assert len(record["fills"]) == len(pdf.pages)
        assert len(pdf_page_texts(data)) == (8 if bid == "overview" else 4), (bid, lang, variant)
        assert min(record["fills"][1:-1]) >= 0.5, (bid, lang, variant, record)
        assert record["warnings"] == [], (bid, lang, variant)


def test_screen_boxes(rendered: dict[Key, bytes]) -> None:
    for (_bid, _lang, variant), data in rendered.items():
        if variant != "screen":
            continue
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                assert _box(page, "/MediaBox") == pytest.approx([0, 0, *A4], abs=0.01)
                trim = page.obj.get("/TrimBox")
                assert trim is None or [float(v) for v in trim] == pytest.approx(
                    [0, 0, *A4], abs=0.01
                )


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found: dict[tuple[int, int], pikepdf.Dictionary] = {}

    def walk(resources: Any) -> None:
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            found[font.objgen] = font
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get("/Resources"))

    for page in pdf.pages:
        walk(page.obj.get("/Resources"))
    return list(found.values())


def test_every_font_embedded(rendered: dict[Key, bytes]) -> None:
    for key, data in rendered.items():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            fonts = _fonts(pdf)
            assert fonts, key
            for font in fonts:
                target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                if target.get("/Subtype") == "/Type3":
                    continue
                descriptor = target.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    key,
                    str(target.get("/BaseFont")),
                )
                # print PDFs carry PostScript names: NotoSansCJKjp-Regular
                allowed = ("sourcesans3", "notosanscjkjp") if key[1] == "ja" else ("sourcesans3",)
                name = str(target.BaseFont).replace("-", "").lower()
                assert any(a in name for a in allowed), (key, str(target.BaseFont))
            names = {str(f.BaseFont).split("+")[-1].replace("-", "") for f in fonts}
            assert {"SourceSans3Bold", "SourceSans3SemiBold"} <= names and len(names) >= 3, names


def test_print_output_intent_and_no_rgb(rendered: dict[Key, bytes]) -> None:
    for (bid, lang, variant), data in rendered.items():
        if variant != "print":
            continue
        with pikepdf.open(io.BytesIO(data)) as pdf:
            intent = pdf.Root.OutputIntents[0]
            assert intent.S == "/GTS_PDFX"
            assert int(intent.DestOutputProfile.N) == 4
            assert str(intent.OutputConditionIdentifier) == "FOGRA39"
            assert str(pdf.docinfo.Trapped) == "/False"
            assert "PDF/X-4" in str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion"))
            operators = {
                str(i.operator) for page in pdf.pages for i in pikepdf.parse_content_stream(page)
            }
            assert not operators & {"rg", "RG"}, (bid, lang)


def test_a_print_shops_own_profile_is_the_output_intent(
    contexts: dict[Key, dict[str, Any]], render_cache: Path
) -> None:
    own = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian's libgs-common
    base = contexts[("medtech", "en", "print")]
    ctx = {
        **base,
        "print_profile": {"file": "assets/icc/shop.icc", "condition": "Ghostscript CMYK"},
        "files": {**base["files"], "print_profile": str(own)},
    }
    with pikepdf.open(io.BytesIO(render_brochure(ctx, render_cache))) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "Ghostscript CMYK"
        assert intent.DestOutputProfile.read_bytes() == own.read_bytes()


def test_screen_is_tagged_with_language_and_title(
    rendered: dict[Key, bytes], contexts: dict[Key, dict[str, Any]]
) -> None:
    for key, data in rendered.items():
        if key[2] != "screen":
            continue
        ctx = contexts[key]
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert str(pdf.Root.Lang) == ctx["tag"]
            assert bool(pdf.Root.MarkInfo.Marked)
            assert ctx["title"] in str(pdf.docinfo.Title)
            assert "pdfuaid:part" in str(pdf.open_metadata())
            alts = [str(e.Alt) for e in _struct_elems(pdf.Root.StructTreeRoot) if "/Alt" in e]
            for chart in ctx["charts"]:
                assert chart["alt"] in alts


def _struct_elems(node: Any) -> list[Any]:
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary):
            if item.get("/Type") == "/StructElem" or "/S" in item:
                found.append(item)
            kids = item.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    return found


def test_screen_links(rendered: dict[Key, bytes], loaded: Loaded) -> None:
    web = loaded.content.campaign.contact.web
    reader = PdfReader(io.BytesIO(rendered[("overview", "en", "screen")]))
    uris = {
        str(a.get_object()["/A"]["/URI"])
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/URI" in a.get_object().get("/A", {})
    }
    assert web in uris
    assert any(u.startswith("https://") and u != web for u in uris)


def test_screen_size_fits_an_email(rendered: dict[Key, bytes]) -> None:
    for key, data in rendered.items():
        if key[2] == "screen":
            assert len(data) < 1_000_000, (key, len(data))


# --- PDFs: figures and sources -------------------------------------------------------------


def test_key_figures_in_language_format(rendered: dict[Key, bytes]) -> None:
    de = " ".join(_text_pages(rendered[("overview", "de", "screen")]))
    en = " ".join(_text_pages(rendered[("overview", "en", "print")]))
    for expected in ("23,62 Mrd. €", "371.300", "37.528", "mehr als 6.000"):
        assert expected in de
    for expected in ("€23.62 billion", "371,300", "37,528", "more than 6,000"):
        assert expected in en


def test_callouts_shown_as_formatted(
    rendered: dict[Key, bytes], contexts: dict[Key, dict[str, Any]]
) -> None:
    for key, data in rendered.items():
        text = " ".join(_text_pages(data))
        for callout in contexts[key]["callouts"]:
            value = " ".join(callout["value"].replace("\xa0", " ").split())
            assert value in text, (key, value)


def test_sources_list_exactly_the_figures_shown(
    rendered: dict[Key, bytes], contexts: dict[Key, dict[str, Any]], loaded: Loaded
) -> None:
    figures = loaded.content.figures
    for key, data in rendered.items():
        ctx, lang = contexts[key], key[1]

        def t(message: str, ctx: dict[str, Any] = ctx) -> str:
            return str(ctx["labels"].get(message) or message)

        def plain(text: str, lang: str = lang) -> str:  # Japanese lines break without spaces
            return text.replace(" ", "") if lang == "ja" else text

        heading = plain(
            f"{t('Sources')} {t('Every figure in this brochure with its source and period.')[:3]}"
        )
        text = plain(" ".join(_text_pages(data)))
        assert text.count(heading) == 1, key
        sources = text.split(heading, 1)[1]
        for end in ("Key figures at a glance", "Notes", "Contact"):
            sources = sources.split(plain(t(end)))[0]
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", sources)]
        assert numbers == list(range(1, len(ctx["figure_ids"]) + 1)), key
        for fid, fig in figures.figures.items():
            if lang not in fig.label:
                continue
            label = plain(" ".join(fig.label[lang].split()))
            if fid in ctx["figure_ids"]:
                assert label in sources, (key, fid)
            elif not any(
                label in plain(" ".join(figures.figures[s].label[lang].split()))
                for s in ctx["figure_ids"]
                if s in figures.figures
            ):
                assert f"]{label}" not in sources.replace("] ", "]"), (key, fid)


def test_renders_are_deterministic(
    contexts: dict[Key, dict[str, Any]], rendered: dict[Key, bytes], tmp_path: Path
) -> None:
    for key in (("green-health", "de", "print"), ("green-health", "en", "screen")):
        again = render_brochure(contexts[key], tmp_path)
        assert again == rendered[key], key
        with pikepdf.open(io.BytesIO(again)) as pdf:
            assert str(pdf.docinfo.CreationDate).startswith("D:20261101")
