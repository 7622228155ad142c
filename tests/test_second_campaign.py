"""A second campaign (tests/fixtures/blue-coast: other fields, de en fr, its own logo,
colours and font (STIXGeneral, shipped in its assets/fonts/ with its OFL licence: not
installed), no site, negative values, a unit the shipped campaign
does not use, a field without a chart, a deck) passes `check --strict`, builds, passes
preflight, and nothing of the shipped campaign shows anywhere in its outputs: PDF text, every
part of each PPTX (slides, layouts, master, theme and font-scheme names, alt texts, notes),
file names and the catalog."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from bmr_materials.content.load import Loaded, load_content
from tests.conftest import CONTENT

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "blue-coast"


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real build of the second campaign (every language, brochures and decks)."""
    out = tmp_path_factory.mktemp("second") / "output"
    code = main(["build", "--content", str(FIXTURE), "--out", str(out), "--jobs", "2", "--quiet"])
    assert code == 0  # the build runs preflight: an error there is exit 1
    return out


def campaign_words(root: Path) -> set[str]:
    """Words that belong to the campaign in `root` only: its name and organisation, web
    host, field, site and deck titles and ids, names kept whole, brand colours, logo file."""
    content = load_content(root).content
    campaign = content.campaign
    words = {campaign.name, campaign.contact.organisation, campaign.contact.web.split("/")[2]}
    words |= {w.rstrip("*") for lang in campaign.languages.values() for w in lang.keep_whole}
    for part in [*content.fields.values(), *content.sites.values()]:
        words |= {part.id, *(part.title[lang] for lang in ("de", "en", "fr"))}
    words |= {*content.decks, *(c.rgb.lstrip("#") for c in campaign.brand.colours.values())}
    words.add(Path(campaign.brand.logo).stem)
    generic = {"FFFFFF", "Business", "Essen"}  # white; an English and a German common word
    return {w for w in words if w not in generic and not re.search(r"[\u3000-\u9fff]", w)}


def every_text(out: Path) -> str:
    """Everything a reader, an editor or a file browser sees of the outputs in `out`."""
    import pypdfium2

    texts = [p.relative_to(out).as_posix() for p in sorted(out.rglob("*"))]
    for path in sorted(out.rglob("*")):
        if path.suffix == ".pdf":
            document = pypdfium2.PdfDocument(path)
            texts += [page.get_textpage().get_text_range() for page in document]
            texts += [str(v) for v in document.get_metadata_dict().values()]
            document.close()
        elif path.suffix == ".pptx":
            with zipfile.ZipFile(path) as package:
                texts += [package.read(n).decode("utf-8", "replace") for n in package.namelist()]
                texts += package.namelist()
        elif path.suffix in (".html", ".json"):
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def found(words: set[str], text: str) -> list[str]:
    return sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I))


def test_the_second_campaign_passes_check_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", "--content", str(FIXTURE)]) == 0
    assert "languages de, en, fr" in capsys.readouterr().out


def test_it_has_what_the_issue_asks_for() -> None:
    content = load_content(FIXTURE).content
    shipped = load_content(CONTENT).content
    assert content.sites == {} and len(content.fields) == 3
    assert not set(content.fields) & set(shipped.fields)
    assert set(content.figures.units) - set(shipped.figures.units)  # e.g. power-megawatt
    assert any(p.value < 0 for s in content.figures.series.values() for p in s.points)
    assert any(not f.charts for f in content.fields.values())
    assert content.decks and content.campaign.brand.colours["primary"].rgb != (
        shipped.campaign.brand.colours["primary"].rgb
    )


def test_its_outputs_show_nothing_of_the_shipped_campaign(second: Path) -> None:
    made = sorted(p.relative_to(second).as_posix() for p in second.rglob("*.p*"))
    assert "en/brochures/coast-en-print.pdf" in made
    assert "fr/decks/blue-coast-pitch-fr.pptx" in made
    assert "de/brochures/hydrogen-de-screen.pdf" in made
    assert not [p for p in made if "campus" in p or "overview" in p]
    text = every_text(second)
    assert "Blue Coast" in text and "Harbour logistics" in text and "-12.5" in text
    words = campaign_words(CONTENT)
    assert {"Ruhr", "Bochum", "00596E", "ihr-logo", "campus-bochum"} <= words
    assert found(words, text) == []


def test_its_decks_carry_its_brand(second: Path) -> None:
    with zipfile.ZipFile(second / "en/decks/blue-coast-pitch-en.pptx") as package:
        theme = package.read("ppt/theme/theme1.xml").decode()
        master = package.read("ppt/slideMasters/slideMaster1.xml").decode()
    assert 'name="Blue Coast Energy"' in theme and 'val="1B4F72"' in theme
    assert 'latin typeface="STIXGeneral"' in theme and "Source Sans" not in theme
    assert 'descr="Logo: Blue Coast Energy"' in master


def test_its_decks_are_built_on_its_clients_master_through_the_layout_map(second: Path) -> None:
    """assets/corporate.potx names its layouts and placeholders otherwise (made by
    tests/make_client_master.py); campaign.yaml maps them."""
    from pptx import Presentation

    for path in sorted(second.glob("*/decks/*.pptx")):
        deck = Presentation(str(path))
        names = [slide.slide_layout.name for slide in deck.slides]
        assert names == ["Cover", "Numbers", "Graph", "Topic", "Content", "Reach us"], path
    english = Presentation(str(second / "en/decks/blue-coast-pitch-en.pptx")).slides[1]
    by_idx = {ph.placeholder_format.idx: ph.text_frame.text for ph in english.placeholders}
    assert by_idx[21].startswith("1,250 MW") and by_idx[22].startswith("340 MW")
    assert by_idx[30].startswith("Source: Test data (made up)")


def pdf_fonts(path: Path) -> dict[str, bool]:
    """The fonts `pdffonts` lists for the PDF `path` (subset prefix dropped) -> embedded."""
    import subprocess

    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    fonts: dict[str, bool] = {}
    for row in rows.stdout.splitlines()[2:]:
        cells = row.split()  # name type... encoding emb sub uni object ID
        fonts[cells[0].split("+")[-1]] = cells[-5] == "yes"
    return fonts


def test_its_pdfs_are_set_in_the_font_it_ships(second: Path) -> None:
    """Brochures, fact sheets (and their charts, drawn as paths) and the deck's PDF use the
    font files of assets/fonts/, which fontconfig does not know."""
    from bmr_materials.content.brandfont import family_faces
    from bmr_materials.resources import installed_family

    family = load_content(FIXTURE).content.campaign.brand.font
    faces = family_faces(FIXTURE, family)
    assert family == "STIXGeneral" and faces and not installed_family(family)
    names = {face.postscript for face in faces}
    assert names == {"STIXGeneral-Regular", "STIXGeneral-Bold", "STIXGeneral-Italic"}
    pdfs = sorted([*second.glob("*/brochures/*.pdf"), *second.glob("*/factsheets/*.pdf")])
    assert len(pdfs) == 42  # 3 languages x (8 brochures + 6 fact sheets)
    for path in pdfs:
        fonts = pdf_fonts(path)
        # WeasyPrint names a regular face by its family alone in some PDFs
        assert fonts and set(fonts) <= names | {family} and all(fonts.values()), (path, fonts)
        assert "STIXGeneral-Bold" in fonts, path
    for path in sorted(second.glob("*/decks/*.pdf")):
        fonts = pdf_fonts(path)
        assert {"STIXGeneral-Regular", "STIXGeneral-Bold"} <= set(fonts), (path, fonts)
        assert all(fonts.values()) and set(fonts) - names <= {"OpenSymbol"}, (path, fonts)


def test_the_shipped_outputs_show_nothing_of_the_second_campaign(built: Path) -> None:
    words = campaign_words(FIXTURE)
    assert {"Blue Coast Energy", "Harbour logistics", "1B4F72", "blue-coast"} <= words
    assert found(words, every_text(built)) == []


def test_fixture_words_are_found_where_they_are(loaded: Loaded) -> None:
    """The search itself finds a word where it is (so the two tests above can fail)."""
    words = campaign_words(CONTENT)
    assert found(words, "a brochure about the ruhr's health") == ["Ruhr"]
    assert found(words, '<a:srgbClr val="00596E"/>') == ["00596E"]
    assert loaded.content.campaign.name in words
