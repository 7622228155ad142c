"""The shipped content: valid in strict mode, every figure sourced and true to its source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from bmr_materials.content.load import Loaded, load_content
from bmr_materials.content.schema import SCHEMAS, schema_text
from tests.conftest import CONTENT, PROJECT

SOURCED = PROJECT.parent / "shared" / "figures" / "sourced-figures.md"


def _number(cell: str) -> float:
    """'more than 6,000' -> 6000; '367,365 (calc: ...)' -> 367365; '23.62 (…)' -> 23.62."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?", cell)
    assert match, cell
    return float(match.group(0).replace(",", ""))


def _rows(title: str) -> list[list[str]]:
    """The body rows of the first table under the heading `title` in sourced-figures.md."""
    text = SOURCED.read_text(encoding="utf-8")
    section = text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
    rows = [
        line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("|")
    ]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def test_shipped_content_passes_strict_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", "--content", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    assert re.match(
        r"content ok: 5 fields, \d+ figures, \d+ series, \d+ charts, \d+ decks, "
        r"languages de, en",
        out,
    )


def test_every_figure_has_source_and_period(loaded: Loaded) -> None:
    figures = loaded.content.figures
    points = [p for s in figures.series.values() for p in s.points]
    for item in [*figures.figures.values(), *points]:
        assert item.source.url.startswith("https://")
        assert all(item.source.name[lang].strip() for lang in loaded.content.languages)
        assert item.period


@pytest.mark.skipif(not SOURCED.is_file(), reason="shared/figures/sourced-figures.md not beside")
def test_headline_figures_keep_their_sourced_values(loaded: Loaded) -> None:
    figures = loaded.content.figures.figures
    rows = _rows("Headline figures")
    assert len(rows) == 6
    for fid, value, *_ in rows:
        assert figures[fid].value == _number(value), fid
        qualifier = {"more than": "more_than", "about": "about"}
        expected = next((q for word, q in qualifier.items() if value.startswith(word)), None)
        assert figures[fid].qualifier == expected, fid


@pytest.mark.skipif(not SOURCED.is_file(), reason="shared/figures/sourced-figures.md not beside")
def test_series_keep_their_sourced_values(loaded: Loaded) -> None:
    series = loaded.content.figures.series
    employees = {p.period: p.value for p in series["health_employees"].points}
    turnover = {p.period: p.value for p in series["health_turnover_series"].points}
    rows = _rows("Time series: Leitmarkt Gesundheit in the Ruhr")
    assert len(rows) == 8
    for report, staff, money, _ in rows:
        year = report.removeprefix("WB ").strip()
        assert employees[year] == _number(staff), report
        if money != "—":
            assert turnover[year] == _number(money), report
        else:
            assert year not in turnover


@pytest.mark.skipif(not SOURCED.is_file(), reason="shared/figures/sourced-figures.md not beside")
def test_hospital_density_and_share_keep_their_values(loaded: Loaded) -> None:
    figures = loaded.content.figures.figures
    assert figures["germany_beds_per_100k"].value == 573
    assert figures["ruhr_beds_per_100k"].value == 737
    assert figures["ruhr_beds_per_100k"].note is not None  # computed: says how
    assert figures["health_share"].value == 20.0


def test_schemas_are_current() -> None:
    for name, model in SCHEMAS.items():
        path = PROJECT / "schema" / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(model), (
            f"{path.name} is stale: run make_materials.py schema"
        )


def test_every_content_file_points_to_its_schema() -> None:
    for path in sorted(CONTENT.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = {"fields": "field", "decks": "deck", "sites": "site"}.get(
            path.parent.name, path.stem
        )
        assert first.startswith("# yaml-language-server: $schema=") and first.endswith(
            f"schema/{kind}.schema.json"
        ), path


def test_content_in_another_folder_loads_the_same(content_copy: Path, loaded: Loaded) -> None:
    copy = load_content(content_copy).content
    assert copy.folder == content_copy.resolve()
    assert copy.model_dump() == loaded.content.model_dump()  # the folder aside, the same
