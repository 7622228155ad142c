"""The structure is content: the overview's, fields' and sites' ids come from the content
folder, a campaign may have no site or several, and the region's sections are optional."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from bmr_materials.content.load import Loaded, load_content
from bmr_materials.kinds.brochures.context import brochure_context, brochure_ids


def _run(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--content", str(content)])
    return code, capsys.readouterr().err


def test_brochure_ids_are_the_contents(loaded: Loaded) -> None:
    content = loaded.content
    assert brochure_ids(content) == [
        content.region.id,
        *(f.id for f in content.ordered_fields()),
        *sorted(content.sites),
    ]
    assert content.region.id == "overview" and list(content.sites) == ["campus-bochum"]


def test_no_site_and_two_sites(content_copy: Path) -> None:
    sites = content_copy / "sites"
    shutil.copy(sites / "campus-bochum.yaml", sites / "second.yaml")
    text = (sites / "second.yaml").read_text().replace("id: campus-bochum", "id: science-park")
    (sites / "second.yaml").write_text(text)
    two = load_content(content_copy).content
    assert two.brochure_ids()[-2:] == ["campus-bochum", "science-park"]
    assert brochure_context(two, "science-park", "en", "screen")["kind"] == "site"
    for deck in (content_copy / "decks").glob("*.yaml"):  # the decks show the campus site
        deck.write_text(deck.read_text().replace("site: campus-bochum", "site: science-park"))
    shutil.rmtree(sites)
    (content_copy / "sites").mkdir()
    (content_copy / "sites" / "science-park.yaml").write_text(text)
    one = load_content(content_copy).content
    assert "campus-bochum" not in one.output_ids()


def test_a_campaign_without_any_site(content_copy: Path) -> None:
    shutil.rmtree(content_copy / "sites")
    for deck in (content_copy / "decks").glob("*.yaml"):
        lines = deck.read_text().splitlines(keepends=True)
        start = lines.index("  - kind: site\n")
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - kind"))
        deck.write_text("".join(lines[:start] + lines[end:]))
    content = load_content(content_copy).content
    assert content.sites == {} and content.brochure_ids()[-1] == "green-health"


def test_a_site_shows_a_chart_only_when_it_asks_for_one(content_copy: Path) -> None:
    site = content_copy / "sites" / "campus-bochum.yaml"
    site.write_text(site.read_text().replace("charts:\n  - employees_trend", "charts: []"))
    content = load_content(content_copy).content
    assert brochure_context(content, "campus-bochum", "en", "print")["charts"] == []


def test_the_region_sections_are_optional(content_copy: Path) -> None:
    region = content_copy / "region.yaml"
    kept = []
    skipping = False
    for line in region.read_text().splitlines(keepends=True):
        if line[:1].isalpha():
            skipping = line.split(":")[0] in ("body", "reasons", "measures", "box")
        if not skipping:
            kept.append(line)
    region.write_text("".join(kept))
    for deck in (content_copy / "decks").glob("*.yaml"):
        lines = deck.read_text().splitlines(keepends=True)
        if "  - kind: measures\n" in lines:
            start = lines.index("  - kind: measures\n")
            end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - kind"))
            deck.write_text("".join(lines[:start] + lines[end:]))
    content = load_content(content_copy).content
    body = brochure_context(content, "overview", "en", "screen")["body"]
    assert (body["body_html"], body["reasons"], body["measures"], body["box"]) == (
        None,
        None,
        [],
        None,
    )


def test_a_deck_names_an_unknown_site(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = content_copy / "decks" / "life-science-medtech.yaml"
    deck.write_text(deck.read_text().replace("site: campus-bochum", "site: campus-bochun"))
    line = deck.read_text().splitlines().index("    site: campus-bochun") + 1
    code, err = _run(content_copy, capsys)
    assert code == 1
    assert (
        f"content/decks/life-science-medtech.yaml:{line}:5: slides[5].site: "
        "unknown site 'campus-bochun' (did you mean 'campus-bochum'?)"
    ) in err
