"""Preflight: a real build passes; each rule, broken once in a file made here, is reported by
exactly its own check."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from bmr_materials.app.preflight_report import run_preflight
from bmr_materials.content.load import Loaded
from bmr_materials.engine import preflight
from bmr_materials.engine.preflight import Finding, Result
from bmr_materials.kinds.registry import load_kinds
from bmr_materials.shared.kind import Issue
from bmr_materials.shared.preflight import draw as preflight_draw
from bmr_materials.shared.preflight import print_pdf as preflight_print
from bmr_materials.shared.preflight import screen_pdf as preflight_screen

BLACK = "device-cmyk(0 0 0 1)"


def _png(path: Path, pixels: int) -> Path:
    from PIL import Image

    Image.new("L", (pixels, pixels), 128).save(path)
    return path


def print_pdf(
    tmp: Path,
    *,
    bleed: bool = True,
    pages: int = 4,
    colour: str = BLACK,
    image: tuple[int, float] = (600, 2.0),
    extra: str = "",
    finish: bool = True,
) -> Path:
    """A small print PDF the way the brochures are made: WeasyPrint, PDF/X-4, CMYK with the
    FOGRA39 profile, then finished (crop marks outside the bleed, font names, intent)."""
    from weasyprint import HTML

    from bmr_materials.shared.pdf.printfinish import finish_print_pdf
    from bmr_materials.shared.printprofile import CONDITION, CONDITION_TEXT, output_profile

    png = _png(tmp / f"image-{image[0]}.png", image[0])
    css = (
        f"@color-profile device-cmyk {{ src: url({output_profile().as_uri()}); "
        "components: c, m, y, k }"
        f"@page {{ size: A4; {'bleed: 3mm;' if bleed else ''} "
        f"{'' if finish else 'marks: crop cross'} }}"
        f"body {{ color: {colour}; font-family: sans-serif; font-size: 10pt }}"
    )
    body = f"<img src='{png.as_uri()}' alt='' style='width: {image[1]}in; height: {image[1]}in'>"
    body += extra
    body += "".join(f"<p style='break-after: page'>Page {n}</p>" for n in range(1, pages))
    body += f"<p>Page {pages}</p>"
    path = tmp / "print.pdf"
    data = HTML(
        string=f"<html lang=en><head><title>Print</title><style>{css}</style></head>"
        f"<body>{body}</body></html>"
    ).write_pdf(pdf_variant="pdf/x-4")
    path.write_bytes(finish_print_pdf(data, CONDITION, CONDITION_TEXT) if finish else data)
    return path


def screen_pdf(tmp: Path) -> Path:
    """A small screen PDF the way the brochures are made: WeasyPrint, PDF/UA-1."""
    from weasyprint import HTML

    png = _png(tmp / "logo.png", 48)
    path = tmp / "screen.pdf"
    HTML(
        string="<html lang=en><head><title>Screen</title></head><body><h1>Hello</h1>"
        f"<img src='{png.as_uri()}' alt='A grey square'>"
        "<p><a href='https://example.com'>a link</a></p></body></html>"
    ).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


def edit_pdf(path: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        change(pdf)
        pdf.save(path)
    return path


def _helvetica(pdf: pikepdf.Pdf) -> None:
    """Draw a line of text in standard-14 Helvetica, which is never embedded."""
    page = pdf.pages[0]
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    if "/Font" not in page.obj.Resources:
        page.obj.Resources.Font = pikepdf.Dictionary()
    page.obj.Resources.Font["/Helv"] = font
    page.contents_add(pdf.make_stream(b"q 0 0 0 1 k BT /Helv 12 Tf 100 100 Td (Hi) Tj ET Q"))


def _helvetica_in_a_form(pdf: pikepdf.Pdf) -> None:
    """Draw text in Helvetica from a form XObject (fonts hide in forms' own resources)."""
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    form = pdf.make_stream(
        b"0 0 0 1 k BT /F1 12 Tf 0 0 Td (Hi) Tj ET",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 100, 20],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
    )
    page = pdf.pages[1]
    if "/XObject" not in page.obj.Resources:
        page.obj.Resources.XObject = pikepdf.Dictionary()
    page.obj.Resources.XObject["/Fm9"] = form
    page.contents_add(pdf.make_stream(b"q 1 0 0 1 100 100 cm /Fm9 Do Q"))


def _cid_font_without_file(pdf: pikepdf.Pdf) -> None:
    """Strip the font file from the descendant font of a composite (Type0) font."""
    for _, res in preflight_draw.resource_dicts(pdf):
        for font in dict(res.get("/Font", {})).values():
            for part in font.get("/DescendantFonts", []):
                descriptor = part.FontDescriptor
                for key in preflight_print.FONT_FILES:
                    if key in descriptor:
                        del descriptor[key]
                return


def _a5(pdf: pikepdf.Pdf) -> None:
    """Make every page A5 (with a correct 3 mm bleed around it)."""
    bleed = preflight_print.BLEED
    for page in pdf.pages:
        top = 841.89 - 595.3  # the upper part of the page, where the text is
        page.obj.TrimBox = pikepdf.Array([0, top, 419.5, top + 595.3])
        page.obj.BleedBox = pikepdf.Array([-bleed, top - bleed, 419.5 + bleed, top + 595.3 + bleed])


def _media_is_bleed(pdf: pikepdf.Pdf) -> None:
    """No room for crop marks: the MediaBox is the BleedBox (WeasyPrint's own layout)."""
    for page in pdf.pages:
        page.obj.MediaBox = page.obj.BleedBox
        page.obj.CropBox = page.obj.BleedBox


def _link(pdf: pikepdf.Pdf) -> None:
    """A link annotation in the middle of page 2."""
    link = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[100, 400, 200, 420],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.com")),
        )
    )
    pdf.pages[1].obj.Annots = pikepdf.Array([link])


def _weasyprint_font_names(pdf: pikepdf.Pdf) -> None:
    """Name the fonts as WeasyPrint does ("Source-Sans-3,"), not by their PostScript names."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            obj.FontName = pikepdf.Name("/ABCDEF+Dejavu-Sans,")


def _figures(pdf: pikepdf.Pdf) -> list[Any]:
    found, todo = [], [pdf.Root.StructTreeRoot.K]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Array):
            todo.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                found.append(node)
            todo.append(node.get("/K"))
    return found


def _drop_alt(pdf: pikepdf.Pdf) -> None:
    figures = _figures(pdf)
    assert figures, "WeasyPrint tagged the image as a Figure"
    del figures[0].Alt


def _drop_title(pdf: pikepdf.Pdf) -> None:
    del pdf.docinfo.Title
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        if "dc:title" in meta:
            del meta["dc:title"]


def _untag(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.MarkInfo
    del pdf.Root.StructTreeRoot


def deck(
    tmp: Path,
    *,
    ratio: tuple[int, int] = (16, 9),
    notes: bool = True,
    alt: str | None = "A grey square",
    title: str = "Health in the Ruhr",
    layout: int = 5,
    east_asian: str | None = None,
) -> Path:
    """A one-slide deck: a title, a picture with alt text, speaker notes."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(762000 * ratio[0]), Emu(762000 * ratio[1])
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    slide.shapes.title.text = title
    for run in slide.shapes.title.text_frame.paragraphs[0].runs:
        run.font.name = "Source Sans 3"  # the template's theme names Calibri, not installed here
        if east_asian:
            run.font._rPr.get_or_add_latin()  # a:ea follows a:latin in the schema
            run.font._rPr.latin.addnext(
                run.font._rPr.makeelement(
                    "{http://schemas.openxmlformats.org/drawingml/2006/main}ea",
                    {"typeface": east_asian},
                )
            )
    png = _png(tmp / "square.png", 300)
    picture = slide.shapes.add_picture(str(png), Inches(1), Inches(2), Inches(1))
    if alt is None:
        del picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].attrib["descr"]
    else:
        picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", alt)
    if notes:
        slide.notes_slide.notes_text_frame.text = "Say hello."
    path = tmp / "deck.pptx"
    prs.save(str(path))
    return path


# --- running the checks on one file ----------------------------------------------------------


def run_checks(path: Path, kind: str, variant: str) -> list[Result]:
    out = path.parent
    return preflight.check_file(
        out, {"kind": kind, "variant": variant, "path": path.name}, load_kinds()
    )


def failed(results: list[Result], severity: str = "error") -> dict[str, list[str]]:
    """check -> messages of that severity."""
    found: dict[str, list[str]] = {}
    for result in results:
        for issue in result.issues:
            if issue.severity == severity:
                found.setdefault(result.check, []).append(issue.message)
    return found


PRINT_CASES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "no bleed": (lambda t: print_pdf(t, bleed=False), "bleed box", "expected 3 mm"),
    "unembedded font": (
        lambda t: edit_pdf(print_pdf(t), _helvetica),
        "fonts embedded",
        "font Helvetica (Type1) is not embedded (page 1)",
    ),
    "unembedded font in a form": (
        lambda t: edit_pdf(print_pdf(t), _helvetica_in_a_form),
        "fonts embedded",
        "Helvetica (Type1) is not embedded (page 2)",
    ),
    "composite font without file": (
        lambda t: edit_pdf(print_pdf(t), _cid_font_without_file),
        "fonts embedded",
        "(Type0) is not embedded",
    ),
    "marks inside the bleed": (
        lambda t: edit_pdf(print_pdf(t), _media_is_bleed),
        "crop marks",
        "no room for crop marks outside the bleed",
    ),
    "3 pages": (lambda t: print_pdf(t, pages=3), "page count", "3 pages"),
    "no output intent": (
        lambda t: edit_pdf(print_pdf(t), lambda p: p.Root.__delattr__("OutputIntents")),
        "output intent",
        "no PDF/X output intent",
    ),
    "intent without a condition": (
        lambda t: edit_pdf(
            print_pdf(t),
            lambda p: p.Root.OutputIntents[0].__setattr__(
                "OutputConditionIdentifier", pikepdf.String("")
            ),
        ),
        "output intent",
        "names no printing condition",
    ),
    "RGB colour": (
        lambda t: print_pdf(t, colour="rgb(200, 0, 0)"),
        "CMYK colour",
        "DeviceRGB fill colour (rg) on text (pages 1, 2, 3, 4)",
    ),
    "72 dpi image": (
        lambda t: print_pdf(t, image=(72, 1.0)),
        "image resolution",
        "is 72 dpi at its printed size (72 x 72 px over 25.4 x 25.4 mm)",
    ),
    "A5 trim box": (
        lambda t: edit_pdf(print_pdf(t), _a5),
        "trim box",
        "TrimBox is 419.50 x 595.30 pt",
    ),
    "rich black small text": (
        lambda t: print_pdf(t, colour="device-cmyk(0.3 0.1 0.1 0.88)"),
        "small text inks",
        "text under 12 pt in 4 inks (C 30 M 10 Y 10 K 88)",
    ),
    "thin rule in two inks": (
        lambda t: print_pdf(
            t, extra="<hr style='border: 0; border-top: 0.5pt solid device-cmyk(0.6 0 0 0.4)'>"
        ),
        "thin rule inks",
        "in 2 inks (C 60 K 40)",
    ),
    "350 % ink": (
        lambda t: print_pdf(
            t, extra="<div style='height: 2cm; background: device-cmyk(1 1 1 0.5)'></div>"
        ),
        "ink total",
        "C 100 M 100 Y 100 K 50: 350 % ink in total (page 1)",
    ),
    "link in the trim": (
        lambda t: edit_pdf(print_pdf(t), _link),
        "annotations",
        "Link annotations inside the trim (page 2)",
    ),
    "font names": (
        lambda t: edit_pdf(print_pdf(t), _weasyprint_font_names),
        "font names",
        "font 'ABCDEF+Dejavu-Sans,' is not named as the font calls itself",
    ),
}


def test_a_good_print_pdf_passes(tmp_path: Path) -> None:
    results = run_checks(print_pdf(tmp_path), "brochure", "print")
    assert failed(results) == {} and failed(results, "warning") == {}
    assert {r.check for r in results} == {
        "trim box",
        "bleed box",
        "crop marks",
        "fonts embedded",
        "page count",
        "output intent",
        "CMYK colour",
        "image resolution",
        "small text inks",
        "thin rule inks",
        "ink total",
        "annotations",
        "font names",
        "glyphs on the page",
        "missing glyphs",
        "page fill",
        "page breaks",
        "photographs",
    }


@pytest.mark.parametrize("case", list(PRINT_CASES))
def test_each_broken_print_rule_is_reported_by_its_check(tmp_path: Path, case: str) -> None:
    make, check, message = PRINT_CASES[case]
    errors = failed(run_checks(make(tmp_path), "brochure", "print"))
    assert list(errors) == [check]
    assert any(message in m for m in errors[check]), errors[check]


def test_weasyprint_crop_marks_are_inside_the_bleed_and_in_rgb(tmp_path: Path) -> None:
    results = run_checks(print_pdf(tmp_path, finish=False), "brochure", "print")
    assert "no room for crop marks" in failed(results)["crop marks"][0]
    assert "printer's marks outside the trim box" in failed(results, "warning")["CMYK colour"][0]


def test_the_finished_print_pdf_has_marks_outside_the_bleed(tmp_path: Path) -> None:
    from bmr_materials.shared.preflight.paint import Paint, painted

    with pikepdf.open(print_pdf(tmp_path)) as pdf:
        page = pdf.pages[0]
        media, bleed, trim = (
            preflight_draw.boxes(page, n) for n in ("/MediaBox", "/BleedBox", "/TrimBox")
        )
        assert media and bleed and trim
        assert all(m < b < t for m, b, t in zip(media[:2], bleed[:2], trim[:2], strict=True))
        assert all(m > b > t for m, b, t in zip(media[2:], bleed[2:], trim[2:], strict=True))
        marks = [p for p in painted(pdf) if isinstance(p, Paint) and p.page == 1 and p.stroke]
        assert len(marks) == 8 and all(p.inks == {"All": 1.0} for p in marks)
        mm = 72 / 25.4
        for mark in marks:  # each starts at least 3 mm outside the trim, outside the bleed
            x0, y0, x1, y1 = mark.box
            gap = max(trim[0] - x1, trim[1] - y1, x0 - trim[2], y0 - trim[3])
            assert gap >= 3 * mm
            assert x1 <= bleed[0] or y1 <= bleed[1] or x0 >= bleed[2] or y0 >= bleed[3]
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"


SCREEN_CASES: dict[str, tuple[Callable[[pikepdf.Pdf], None], str, str]] = {
    "untagged": (_untag, "tagged", "not tagged"),
    "no language": (lambda p: p.Root.__delattr__("Lang"), "language", "no document language"),
    "no title": (_drop_title, "title", "no title"),
    "title not displayed": (
        lambda p: p.Root.__delattr__("ViewerPreferences"),
        "title",
        "/DisplayDocTitle is not true",
    ),
    "figure without alt": (_drop_alt, "alt text", "1 of 1 figures have no alt text"),
}


def test_a_good_screen_pdf_passes(tmp_path: Path) -> None:
    results = run_checks(screen_pdf(tmp_path), "brochure", "screen")
    assert failed(results) == {} and failed(results, "warning") == {}
    assert {r.check for r in results} == {
        "tagged",
        "language",
        "title",
        "alt text",
        "file size",
        "glyphs on the page",
        "missing glyphs",
        "page fill",
        "page breaks",
        "photographs",
    }


@pytest.mark.parametrize("case", list(SCREEN_CASES))
def test_each_broken_screen_rule_is_reported_by_its_check(tmp_path: Path, case: str) -> None:
    change, check, message = SCREEN_CASES[case]
    errors = failed(run_checks(edit_pdf(screen_pdf(tmp_path), change), "brochure", "screen"))
    assert list(errors) == [check]
    assert any(message in m for m in errors[check]), errors[check]


def test_a_large_screen_pdf_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight_screen, "SCREEN_MAX_BYTES", 1000)
    results = run_checks(screen_pdf(tmp_path), "brochure", "screen")
    assert failed(results) == {}
    assert "too large to e-mail comfortably" in failed(results, "warning")["file size"][0]


DECK_CASES: dict[str, tuple[dict[str, Any], str, str]] = {
    "4:3": ({"ratio": (4, 3)}, "16:9", "expected 16:9"),
    "no notes": ({"notes": False}, "speaker notes", "no speaker notes on slide 1"),
    "picture without alt text": ({"alt": None}, "alt text", "picture without alt text"),
    "alt text is a file name": ({"alt": "square.png"}, "alt text", "is a file name"),
    "empty placeholder": ({"layout": 1}, "empty placeholders", "empty object placeholder"),
    "overflowing text": (
        {"title": "Gesundheitswirtschaftsstandortentwicklungsgesellschaft " * 12},  # few words
        "text fits",
        "text overflows",
    ),
    "emoji sequence": (
        {"title": "Health \U0001f469\u200d\U0001f52c"},
        "font coverage",
        "slide 1 ('Title 1'): no font named on the text (Source Sans 3) has "
        "'\U0001f469\U0001f52c', in 'Health \U0001f469\u200d\U0001f52c'",
    ),
    "Japanese without a Japanese font": (
        {"title": "健康経済"},
        "font coverage",
        "no font named on the text (Source Sans 3) has '健康経済'",
    ),
}


def test_japanese_text_passes_with_noto_sans_cjk_named_for_east_asian_script(
    tmp_path: Path,
) -> None:
    results = run_checks(
        deck(tmp_path, title="健康経済", east_asian="Noto Sans CJK JP"), "deck", "pptx"
    )
    assert failed(results) == {}


def test_a_good_deck_passes(tmp_path: Path) -> None:
    results = run_checks(deck(tmp_path), "deck", "pptx")
    assert failed(results) == {}
    assert {r.check for r in results} == {
        "16:9",
        "text fits",
        "speaker notes",
        "alt text",
        "empty placeholders",
        "font coverage",
        "words per slide",
    }


@pytest.mark.parametrize("case", list(DECK_CASES))
def test_each_broken_deck_rule_is_reported_by_its_check(tmp_path: Path, case: str) -> None:
    options, check, message = DECK_CASES[case]
    errors = failed(run_checks(deck(tmp_path, **options), "deck", "pptx"))
    assert list(errors) == [check]
    assert any(message in m for m in errors[check]), errors[check]


def test_a_damaged_file_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    assert list(failed(run_checks(tmp_path / "broken.pdf", "brochure", "print"))) == ["readable"]


def test_without_a_manifest_the_folder_layout_is_checked_and_strict_fails_on_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(preflight_screen, "SCREEN_MAX_BYTES", 1000)
    folder = tmp_path / "out" / "en" / "brochures"
    folder.mkdir(parents=True)
    screen_pdf(tmp_path).rename(folder / "overview-en-screen.pdf")
    args = argparse.Namespace(
        out=tmp_path / "out",
        content=Path(__file__).parent.parent / "content",
        lang=None,
        only=None,
        quiet=False,
        verbose=False,
        strict=False,
    )
    assert run_preflight(args, load_kinds()) == 0
    shown = capsys.readouterr().out
    assert "en/brochures/overview-en-screen.pdf" in shown and "too large to e-mail" in shown
    assert "1 warning(s)" in shown
    args.strict = True
    assert run_preflight(args, load_kinds()) == 1
    assert "--strict: warnings fail" in capsys.readouterr().out
    args.lang = ["de"]
    assert run_preflight(args, load_kinds()) == 1  # nothing to check in German


# --- content ---------------------------------------------------------------------------------


def test_old_figures_the_outputs_show_are_warnings(loaded: Loaded) -> None:
    rows = [{"figure_ids": ["health_turnover"]}]
    years = loaded.content.campaign.settings.figure_max_age_years
    (result,) = preflight.figure_age_results(loaded.content, rows, today=dt.date(2040, 1, 1))
    assert result.issues == [
        Issue(
            "warning",
            "figure health_turnover is from 2022: check for "
            f"a newer one (older than {years} years)",
        )
    ]
    (fresh,) = preflight.figure_age_results(loaded.content, rows, today=dt.date(2023, 1, 1))
    assert fresh.issues == []


def test_texts_missing_in_a_language_are_listed(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign = content_copy / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    italian = "languages:\n  it:\n    locale: it_IT\n    tag: it-IT\n    name: Italiano\n"
    campaign.write_text(text.replace("languages:\n", italian, 1), encoding="utf-8")
    out = tmp_path / "out"
    (out / "en" / "decks").mkdir(parents=True)
    deck(out / "en" / "decks")
    args = argparse.Namespace(
        out=out, content=content_copy, lang=None, only=None, quiet=True, verbose=False, strict=False
    )
    assert run_preflight(args, load_kinds()) == 1
    shown = capsys.readouterr().out
    assert "texts" in shown and "text missing in language 'it'" in shown
    assert "en/decks/deck.pptx" not in shown  # it passed: --quiet shows problems only


def test_nothing_built_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(
        out=tmp_path,
        content=Path("content"),
        lang=None,
        only=None,
        quiet=False,
        verbose=False,
        strict=False,
    )
    assert run_preflight(args, load_kinds()) == 1
    assert "nothing to check" in capsys.readouterr().out


# --- the real build --------------------------------------------------------------------------


def test_the_real_build_passes_preflight(built: Path, loaded: Loaded) -> None:
    findings = preflight.preflight_outputs(built, loaded.content, load_kinds())
    errors = [str(f) for f in findings if f.severity == "error"]
    assert errors == []
    checked = {r.path for r in preflight.inspect(built, None, load_kinds())}
    groups = {p.split("/")[1] for p in checked}
    assert groups == {kind.group for kind in load_kinds()}  # every kind's files, none left out
    assert all(isinstance(f, Finding) for f in findings)


def test_lang_and_only_choose_the_outputs(built: Path) -> None:
    decks = preflight.output_rows(built, load_kinds(), ["en"], ["decks"])
    assert decks and {(r["lang"], r["kind"]) for r in decks} == {("en", "deck")}
    one = preflight.output_rows(built, load_kinds(), None, ["overview"])
    assert {r["path"] for r in one} == {
        f"{lang}/brochures/overview-{lang}-{variant}.pdf"
        for lang in ("de", "en", "fr", "ja")
        for variant in ("print", "screen")
    }
