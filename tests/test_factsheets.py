"""Fact sheets: the plug-in kind built through the command line like any other (one field, one
language, both variants), opened with pikepdf and PDFium: two pages, print boxes, fonts,
the figures with period and source, the points, contact and QR code, preflight and catalog;
the typed context; a sheet whose text is too long fails instead of clipping."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.errors import RenderError
from bmr_materials.kinds.factsheets.context import FactSheet, factsheet_context, factsheet_ids
from bmr_materials.kinds.factsheets.render import render_factsheet
from bmr_materials.kinds.registry import load_kinds
from tests.conftest import pdf_page_texts

A4 = (595.28, 841.89)
BLEED = 3 / 25.4 * 72


@pytest.fixture(scope="module")
def out(built: Path) -> Path:
    """The session's one real build (every kind and language, preflight passed)."""
    return built


def _pdf(out: Path, variant: str) -> Path:
    return out / "de" / "factsheets" / f"medtech-de-{variant}.pdf"


def test_the_kind_is_registered_and_makes_one_sheet_per_field(loaded: Loaded) -> None:
    kinds = {kind.group: kind for kind in load_kinds()}
    assert "factsheets" in kinds
    assert factsheet_ids(loaded.content) == [f.id for f in loaded.content.ordered_fields()]
    from bmr_materials.shared.kind import Options

    targets = kinds["factsheets"].targets(loaded.content, Options(languages=("de", "ja")))
    assert {t.lang for t in targets} == {"de"}  # Japanese is made for other outputs only
    assert len(targets) == 2 * len(loaded.content.fields)
    assert "de/factsheets/medtech-de-print.pdf" in {t.paths[0] for t in targets}


def test_context_is_typed_and_survives_json(loaded: Loaded) -> None:
    sheet = factsheet_context(loaded.content, "medtech", "fr", "print")
    assert isinstance(sheet.figures[0].value, str) and sheet.icon == "brain-circuit"
    assert len(sheet.points_html) == 3
    assert FactSheet.from_dict(json.loads(json.dumps(sheet.as_dict()))) == sheet


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["print", "screen"])
def test_one_sheet_two_pages_fonts_embedded(out: Path, variant: str) -> None:
    with pikepdf.open(_pdf(out, variant)) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
            assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.1)
            assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.1)
            if variant == "print":
                bleed = [float(v) for v in page.obj.BleedBox]
                media = [float(v) for v in page.obj.MediaBox]
                assert bleed[0] == pytest.approx(trim[0] - BLEED, abs=0.1)
                assert media[0] < bleed[0] and media[3] > bleed[3]  # room for the marks
                assert "/Annots" not in page.obj
        descriptors = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
        ]
        assert len(descriptors) >= 3 and all("/FontFile2" in d for d in descriptors)
        if variant == "print":  # clean PostScript names, as a print shop expects
            assert {str(d.FontName).split("+")[-1] for d in descriptors} >= {
                "SourceSans3-Regular",
                "SourceSans3-Bold",
            }
            intent = pdf.Root.OutputIntents[0]
            assert str(intent.OutputConditionIdentifier) == "FOGRA39"
            streams = b"".join(
                o.read_bytes()
                for o in pdf.objects
                if isinstance(o, pikepdf.Stream) and "/Subtype" not in o
            )
            assert b"DeviceRGB" not in streams and b"/DeviceCMYK" in streams


@pytest.mark.slow
def test_the_figures_points_and_contact_are_printed(out: Path, loaded: Loaded) -> None:
    front, back = pdf_page_texts(_pdf(out, "print").read_bytes())
    flat = " ".join(front.replace("\ufffe", "-").split())  # PDFium: a hyphen at a line end
    assert "MedTech" in front and "FAKTENBLATT" in "".join(front.split())  # letter-spaced
    assert "37.528" in flat and "371.300" in flat  # hospital beds, jobs (de number format)
    assert "Krankenhausbetten im Ruhrgebiet" in flat
    assert "Stand: 30. Juni 2023" in flat  # the jobs' period
    for point in loaded.content.fields["medtech"].points:
        assert " ".join(point["de"].split()) in flat.replace("- ", "-")
    back_flat = " ".join(back.split())
    assert "Business Metropole Ruhr, Projektseite International Health Ruhr" in back_flat
    assert "business.ruhr/projekte/international-health-ruhr.html" in back_flat
    assert "Kontakt" in back and "Business Metropole Ruhr GmbH" in back
    with pikepdf.open(_pdf(out, "screen")) as pdf:
        images = [
            o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
        ]
        assert images  # logo, QR code and icons arrive as vector forms


@pytest.mark.slow
def test_they_are_in_the_catalog_and_manifest(out: Path) -> None:
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Faktenblätter" in page
    assert "de/factsheets/medtech-de-print.pdf" in page
    assert "de/factsheets/medtech-de-screen.pdf" in page
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = [o for o in manifest["outputs"] if o["kind"] == "factsheet" and o["id"] == "medtech"]
    assert {r["variant"] for r in rows} == {"print", "screen"}
    assert all(r["figure_ids"] == ["health_jobs", "hospital_beds"] for r in rows)


@pytest.mark.slow
def test_same_context_same_bytes_and_too_much_text_fails(loaded: Loaded, tmp_path: Path) -> None:
    sheet = factsheet_context(loaded.content, "medtech", "en", "print")
    assert render_factsheet(sheet, tmp_path) == render_factsheet(sheet, tmp_path)
    long = replace(sheet, body_html=sheet.body_html * 30)
    with pytest.raises(RenderError, match="shorten the field's texts"):
        render_factsheet(long, tmp_path)


@pytest.mark.slow
def test_another_campaign_gets_its_font_and_logo(tmp_path: Path) -> None:
    """The second campaign (STIXGeneral and its logo, both shipped in its own assets/)."""
    from bmr_materials.content.load import load_content

    fixture = Path(__file__).parent / "fixtures" / "blue-coast"
    content = load_content(fixture).content
    field = content.ordered_fields()[0].id
    for variant in ("print", "screen"):
        data = render_factsheet(factsheet_context(content, field, "en", variant), tmp_path)
        with pikepdf.open(io.BytesIO(data)) as pdf:
            fonts = {
                str(d.FontName).split("+")[-1]
                for d in pdf.objects
                if isinstance(d, pikepdf.Dictionary) and d.get("/Type") == "/FontDescriptor"
            }
        assert fonts and all(f.startswith("STIXGeneral") for f in fonts), fonts
