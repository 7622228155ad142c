"""Broken content: every case names the exact file, line and message, and writes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from tests.conftest import PROJECT


@dataclass(frozen=True)
class Case:
    """One mutation of the shipped content and the problem it must produce."""

    name: str
    file: str
    old: str
    new: str
    marker: str  # text on the line the problem must point at (in the mutated file)
    message: str  # what follows "file:line:column:"


FIG_URL = "url: https://www.business.ruhr/projekte/international-health-ruhr.html"
NEW_FIGURE = '\n  fresh_figure:\n    value: 1\n    unit: count\n    period: "2024"\n'
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(8))

CASES = [
    Case("yaml syntax", "region.yaml", "\ntitle:", "\ntitle: [unclosed\nlead2: x\ntitle2:",
         "title: [unclosed", "YAML syntax error: a list opened with '[' here is not closed"),
    Case("unknown key, near miss", "fields/digital-health.yaml", "\ntitle:", "\ntitel:",
         "titel:", "titel: unknown key 'titel' (did you mean 'title'?)"),
    Case("missing required key", "fields/digital-health.yaml", "\ntitle:", "\ntitel:",
         "id: digital-health", "missing required key 'title'"),
    Case("wrong type: whole number", "fields/digital-health.yaml", "order: 1", "order: first",
         "order: first", "order: wrong type: got 'first' (expected a whole number)"),
    Case("wrong type: number", "figures.yaml", "value: 23.62", "value: lots", "value: lots",
         "figures.health_turnover.value: wrong type: got 'lots' (expected a number)"),
    Case("wrong type: list", "region.yaml", "\nfigures:\n", "\nfigures: health_jobs\nx_:\n",
         "figures: health_jobs", "figures: wrong type: got 'health_jobs' (expected a list)"),
    Case("text missing in a language", "fields/digital-health.yaml",
         "  en: Digital Health\n", "", "title:",
         "title: text missing in language 'en' (expected a text for every language: de, en)"),
    Case("unknown figure", "fields/digital-health.yaml", "- digital_health_specialists",
         "- digital_health_specialist", "- digital_health_specialist",
         "figures[0]: unknown figure 'digital_health_specialist' "
         "(did you mean 'digital_health_specialists'?)"),
    Case("unknown chart", "region.yaml", "- hospital_density", "- hospital_densty",
         "- hospital_densty",
         "charts[1]: unknown chart 'hospital_densty' (did you mean 'hospital_density'?)"),
    Case("unknown series", "figures.yaml", "series: health_employees", "series: health_staff",
         "series: health_staff", "charts.employees_trend.series: unknown series 'health_staff'"),
    Case("unknown field in a deck", "decks/international-health-ruhr.yaml",
         "field: medtech", "field: medtec", "field: medtec",
         "unknown field 'medtec' (did you mean 'medtech'?)"),
    Case("unknown slide kind", "decks/international-health-ruhr.yaml", "kind: campus",
         "kind: video", "kind: video", "is not allowed (expected one of"),
    Case("asset outside assets/", "campaign.yaml", "logo: assets/logo/ihr-logo.svg",
         "logo: ../../etc/passwd", "logo:", "brand.logo: '../../etc/passwd' is outside assets/"),
    Case("asset missing", "campaign.yaml", "logo: assets/logo/ihr-logo.svg",
         "logo: assets/logo/none.svg", "logo:",
         "brand.logo: file 'assets/logo/none.svg' does not exist"),
    Case("print profile missing", "campaign.yaml", "  native_charts: false\n",
         "  native_charts: false\n  print_profile:\n    file: assets/icc/shop.icc\n"
         "    condition: FOGRA51\n", "file: assets/icc/shop.icc",
         "settings.print_profile.file: file 'assets/icc/shop.icc' does not exist"),
    Case("figure without source", "figures.yaml", "\nfigures:\n",
         "\nfigures:\n" + NEW_FIGURE + "    label: {de: a, en: b}\n", "fresh_figure:",
         "figures.fresh_figure: missing required key 'source'"),
    Case("figure without period", "figures.yaml", '    period: "2022"\n', "", "health_turnover:",
         "figures.health_turnover: missing required key 'period'"),
    Case("bad period", "figures.yaml", 'period: "2022"', 'period: "22"', 'period: "22"',
         "figures.health_turnover.period: '22' is not valid "
         "(expected a period: YYYY, YYYY-MM-DD or as-stated)"),
    Case("bad unit", "figures.yaml", "unit: eur\n    scale", "unit: dollars\n    scale",
         "unit: dollars", "figures.health_turnover.unit: 'dollars' is not allowed"),
    Case("link that is not http", "figures.yaml", FIG_URL, "url: file:///etc/passwd",
         "file:///etc/passwd", "figures.health_turnover.source.url: 'file:///etc/passwd' is "
         "not valid (expected a link starting with https://, http://, mailto: or tel:)"),
    Case("duplicate key", "figures.yaml", "\nseries:\n", "  hospitals: {}\n\nseries:\n",
         "  hospitals: {}", "duplicate key 'hospitals'"),
    Case("python tag", "region.yaml", "\ntitle:", "\nevil: !!python/object/apply:os.system "
         "['true']\ntitle:", "evil:", "tag 'tag:yaml.org,2002:python/object/apply:os.system' "
         "is not allowed in content"),
    Case("alias bomb", "region.yaml", "\ntitle:", "\n" + BOMB + "title:", "g: &g",
         "more than 50 aliases: refusing to expand them"),
    Case("bad colour", "campaign.yaml", 'rgb: "#00596E"', 'rgb: "#00596"', 'rgb: "#00596"',
         "brand.colours.primary.rgb: '#00596' is not valid (expected a colour #RRGGBB)"),
    Case("missing brand colour", "campaign.yaml", "    accent:", "    highlight:",
         "  colours:", "brand.colours: missing colours: accent"),
    Case("chart without its data", "figures.yaml", "kind: compare", "kind: bar",
         "hospital_density:", "charts.hospital_density: a bar chart needs 'series'"),
    Case("share chart of a count", "figures.yaml", "figures: [health_share]",
         "figures: [health_jobs]", "figures: [health_jobs]",
         "charts.health_share.figures[0]: a share chart needs percent figures, "
         "'health_jobs' is count"),
    Case("deck without slides", "decks/life-science-medtech.yaml", "\nslides:",
         "\nslides: []\nold_slides:", "slides: []", "slides: "),
    Case("bad setting", "campaign.yaml", "figure_max_age_years: 5", "figure_max_age_years: 0",
         "figure_max_age_years: 0", "settings.figure_max_age_years: "),
]


def _mutate(content: Path, case: Case) -> tuple[str, int]:
    path = content / case.file
    text = path.read_text(encoding="utf-8")
    assert text.count(case.old) >= 1, f"{case.name}: {case.old!r} not in {case.file}"
    text = text.replace(case.old, case.new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if case.marker in row)
    return f"content/{case.file}", line


def _run(content: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main([*args, "--content", str(content)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_content_is_reported_exactly(case: Case, content_copy: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    shown, line = _mutate(content_copy, case)
    before = sorted(p.relative_to(content_copy.parent) for p in content_copy.parent.rglob("*"))
    out = content_copy.parent / "output"
    code, err = _run(content_copy, capsys, "check")
    build_code, _ = _run(content_copy, capsys, "build", "--out", str(out))
    assert code == 1 and build_code == 1
    prefix = f"{shown}:{line}:"
    assert any(row.startswith(prefix) and case.message in row for row in err.splitlines()), (
        f"expected {prefix} ... {case.message}\ngot:\n{err}")
    assert "Traceback" not in err
    assert not out.exists()
    after = sorted(p.relative_to(content_copy.parent) for p in content_copy.parent.rglob("*"))
    assert after == before


def test_missing_required_file(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "campus.yaml").unlink()
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert "content/campus.yaml:1:1: required file is missing" in err


def test_oversized_file(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "region.yaml").write_text("x: '" + "a" * 1_100_000 + "'\n")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert ("content/region.yaml:1:1: file is 1,100,006 bytes, "
            "more than the limit of 1,000,000") in err
    assert "aaaa" not in err  # never prints the file


def test_top_level_must_be_a_mapping(content_copy: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "region.yaml").write_text("- a\n- b\n")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert "content/region.yaml:1:1: expected a mapping of keys at the top of the file" in err


def test_not_utf8(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "campus.yaml").write_bytes(b"title: \xff\xfe\n")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert "content/campus.yaml:1:1: not UTF-8 text (byte 7)" in err


def test_duplicate_field_id(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(content_copy / "fields/medtech.yaml", content_copy / "fields/medtech-copy.yaml")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert "content/fields/medtech.yaml:2:1: id: duplicate id 'medtech': " \
           "content/fields/medtech-copy.yaml uses it already" in err


def test_third_language_lists_every_missing_text(content_copy: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    campaign = content_copy / "campaign.yaml"
    text = campaign.read_text().replace(
        "\nlanguages:\n", "\nlanguages:\n  fr:\n    locale: fr_FR\n    tag: fr-FR\n"
                          "    name: Français\n", 1)
    campaign.write_text(text)
    code, err = _run(content_copy, capsys, "check")
    missing = [row for row in err.splitlines() if "text missing in language 'fr'" in row]
    assert code == 1
    assert "content/campaign.yaml:10:3: languages.fr: warning: no label catalog for 'fr'" in err
    assert len(missing) > 100
    assert any(row.startswith("content/fields/medtech.yaml:") and " title: " in row
               for row in missing)


def test_old_figure_is_a_warning_and_strict_makes_it_an_error(
        content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = content_copy / "figures.yaml"
    figures.write_text(figures.read_text().replace('period: "2022"', 'period: "2015"', 1))
    code, err = _run(content_copy, capsys, "check")
    warning = "figures.health_turnover.period: warning: figure health_turnover is from 2015: " \
              "check for a newer one"
    assert code == 0 and warning in err
    code, err = _run(content_copy, capsys, "check", "--strict")
    assert code == 1 and warning in err


def test_cli_reports_without_traceback(content_copy: Path) -> None:
    region = content_copy / "region.yaml"
    region.write_text(region.read_text().replace("\ntitle:", "\ntitel:", 1))
    result = subprocess.run([sys.executable, str(PROJECT / "make_materials.py"), "check",
                             "--content", str(content_copy)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1
    assert "unknown key 'titel' (did you mean 'title'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_link_to_a_local_file_is_a_content_error(content_copy: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    region = content_copy / "region.yaml"
    text = region.read_text().replace("\nlead:\n  de: >-\n    ",
                                      "\nlead:\n  de: >-\n    [PW](file:///etc/passwd) ", 1)
    region.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row == "  de: >-")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert (f"content/region.yaml:{line}:3: lead.de: link 'file:///etc/passwd' is not allowed "
            "(only https://, http://, mailto: and tel: links)") in err
