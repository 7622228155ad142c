"""Broken content: every case names the exact file, line and message, and writes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from bmr_materials.content.labels import label_ids
from bmr_materials.content.load import load_content
from tests.conftest import CONTENT, PROJECT


@dataclass(frozen=True)
class Case:
    """One mutation of the shipped content and the problem it must produce."""

    name: str
    file: str
    old: str
    new: str
    marker: str  # text on the line the problem must point at (in the mutated file)
    message: str  # what follows "file:line:column:"
    below: int = 0  # the problem is this many lines below the marker's
    setup: Callable[[Path], None] | None = None  # changes files of the content folder first


SHIPPED_FONTS = PROJECT / "tests/fixtures/blue-coast/assets/fonts"


def ship_font(licence: bool = True, fs_type: int | None = None) -> Callable[[Path], None]:
    """Put the second campaign's STIXGeneral (regular) into the content's assets/fonts/,
    with its licence file or without, its OS/2 fsType set to `fs_type` when given."""

    def setup(content: Path) -> None:
        fonts = content / "assets" / "fonts"
        fonts.mkdir(parents=True)
        shutil.copy(SHIPPED_FONTS / "STIXGeneral.ttf", fonts)
        if licence:
            shutil.copy(SHIPPED_FONTS / "LICENSE_STIX", fonts)
        if fs_type is not None:
            from fontTools.ttLib import TTFont

            font = TTFont(fonts / "STIXGeneral.ttf")
            font["OS/2"].fsType = fs_type
            font.save(fonts / "STIXGeneral.ttf")

    return setup


FIG_URL = "url: https://www.business.ruhr/projekte/international-health-ruhr.html"
NEW_FIGURE = '\n  fresh_figure:\n    value: 1\n    unit: count\n    period: "2024"\n'
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(8)
)

CASES = [
    Case(
        "a brand colour without its CMYK value",
        "campaign.yaml",
        '      rgb: "#F39B3A"\n      cmyk: [0, 45, 85, 0]\n',
        '      rgb: "#F39B3A"\n',
        "accent:",
        "brand.colours.accent: missing required key 'cmyk'",
    ),
    Case(
        "a brand font that is not installed",
        "campaign.yaml",
        "font: Source Sans 3",
        "font: Sourse Sans 3",
        "font: Sourse Sans 3",
        "brand.font: font 'Sourse Sans 3' is neither in the content's assets/fonts/ nor "
        "installed (fc-list does not know it): ship its files with their licence in "
        "assets/fonts/, install its Debian package, or use Source Sans 3, the builder's own",
    ),
    Case(
        "a brand font neither installed nor among the families of the shipped files",
        "campaign.yaml",
        "font: Source Sans 3",
        "font: STIX Two Text",
        "font: STIX Two Text",
        "brand.font: font 'STIX Two Text' is neither in the content's assets/fonts/ (assets/"
        "fonts/ has 'STIXGeneral') nor installed",
        setup=ship_font(),
    ),
    Case(
        "a shipped brand font without its licence file",
        "campaign.yaml",
        "font: Source Sans 3",
        "font: STIXGeneral",
        "font: STIXGeneral",
        "brand.font: font 'STIXGeneral' in assets/fonts/ has no licence file beside it: add "
        "the font's licence (OFL.txt, LICENSE...) that allows shipping it",
        setup=ship_font(licence=False),
    ),
    Case(
        "a shipped brand font whose licence forbids embedding",
        "campaign.yaml",
        "font: Source Sans 3",
        "font: STIXGeneral",
        "font: STIXGeneral",
        "brand.font: font file assets/fonts/STIXGeneral.ttf may not be embedded in a PDF (its "
        "licence bits, OS/2 fsType 0x0002, say restricted): use a font whose licence allows "
        "embedding (e.g. one under the OFL)",
        setup=ship_font(fs_type=2),
    ),
    Case(
        "yaml syntax",
        "region.yaml",
        "\ntitle:",
        "\ntitle: [unclosed\nlead2: x\ntitle2:",
        "title: [unclosed",
        "YAML syntax error: a list opened with '[' here is not closed",
    ),
    Case(
        "unknown key, near miss",
        "fields/digital-health.yaml",
        "\ntitle:",
        "\ntitel:",
        "titel:",
        "titel: unknown key 'titel' (did you mean 'title'?)",
    ),
    Case(
        "missing required key",
        "fields/digital-health.yaml",
        "\ntitle:",
        "\ntitel:",
        "id: digital-health",
        "missing required key 'title'",
    ),
    Case(
        "wrong type: whole number",
        "fields/digital-health.yaml",
        "order: 1",
        "order: first",
        "order: first",
        "order: wrong type: got 'first' (expected a whole number)",
    ),
    Case(
        "wrong type: number",
        "figures.yaml",
        "value: 23.62",
        "value: lots",
        "value: lots",
        "figures.health_turnover.value: wrong type: got 'lots' (expected a number)",
    ),
    Case(
        "wrong type: list",
        "region.yaml",
        "\nfigures:\n",
        "\nfigures: health_jobs\nx_:\n",
        "figures: health_jobs",
        "figures: wrong type: got 'health_jobs' (expected a list)",
    ),
    Case(
        "text missing in a language",
        "fields/digital-health.yaml",
        "  en: Digital Health\n",
        "",
        "title:",
        "title: text missing in language 'en' (expected a text for every language: de, en, fr)",
    ),
    Case(
        "unknown figure",
        "fields/digital-health.yaml",
        "- digital_health_specialists",
        "- digital_health_specialist",
        "- digital_health_specialist",
        "figures[0]: unknown figure 'digital_health_specialist' "
        "(did you mean 'digital_health_specialists'?)",
    ),
    Case(
        "unknown chart",
        "region.yaml",
        "- hospital_density",
        "- hospital_densty",
        "- hospital_densty",
        "charts[1]: unknown chart 'hospital_densty' (did you mean 'hospital_density'?)",
    ),
    Case(
        "unknown series",
        "figures.yaml",
        "series: health_employees",
        "series: health_staff",
        "series: health_staff",
        "charts.employees_trend.series: unknown series 'health_staff'",
    ),
    Case(
        "unknown field in a deck",
        "decks/international-health-ruhr.yaml",
        "field: medtech",
        "field: medtec",
        "field: medtec",
        "unknown field 'medtec' (did you mean 'medtech'?)",
    ),
    Case(
        "unknown slide kind",
        "decks/international-health-ruhr.yaml",
        "kind: site",
        "kind: video",
        "kind: video",
        "is not allowed (expected one of",
    ),
    Case(
        "asset outside assets/",
        "campaign.yaml",
        "logo: assets/logo/ihr-logo.svg",
        "logo: ../../etc/passwd",
        "logo:",
        "brand.logo: '../../etc/passwd' is outside assets/",
    ),
    Case(
        "asset missing",
        "campaign.yaml",
        "logo: assets/logo/ihr-logo.svg",
        "logo: assets/logo/none.svg",
        "logo:",
        "brand.logo: file 'assets/logo/none.svg' does not exist",
    ),
    Case(
        "print profile missing",
        "campaign.yaml",
        "  native_charts: false\n",
        "  native_charts: false\n  print_profile:\n    file: assets/icc/shop.icc\n"
        "    condition: FOGRA51\n",
        "file: assets/icc/shop.icc",
        "settings.print_profile.file: file 'assets/icc/shop.icc' does not exist",
    ),
    Case(
        "figure without source",
        "figures.yaml",
        "\nfigures:\n",
        "\nfigures:\n" + NEW_FIGURE + "    label: {de: a, en: b}\n",
        "fresh_figure:",
        "figures.fresh_figure: missing required key 'source'",
    ),
    Case(
        "figure without period",
        "figures.yaml",
        '    period: "2022"\n',
        "",
        "health_turnover:",
        "figures.health_turnover: missing required key 'period'",
    ),
    Case(
        "bad period",
        "figures.yaml",
        'period: "2022"',
        'period: "22"',
        'period: "22"',
        "figures.health_turnover.period: '22' is not valid "
        "(expected a period: YYYY, YYYY-MM-DD or as-stated)",
    ),
    Case(
        "unknown unit",
        "figures.yaml",
        "unit: eur\n    scale",
        "unit: euro\n    scale",
        "unit: euro",
        "figures.health_turnover.unit: unknown unit 'euro' (did you mean 'eur'?)",
    ),
    Case(
        "link that is not http",
        "figures.yaml",
        FIG_URL,
        "url: file:///etc/passwd",
        "file:///etc/passwd",
        "figures.health_turnover.source.url: 'file:///etc/passwd' is "
        "not valid (expected a link starting with https://, http://, mailto: or tel:)",
    ),
    Case(
        "duplicate key",
        "figures.yaml",
        "\nseries:\n",
        "  hospitals: {}\n\nseries:\n",
        "  hospitals: {}",
        "duplicate key 'hospitals'",
    ),
    Case(
        "python tag",
        "region.yaml",
        "\ntitle:",
        "\nevil: !!python/object/apply:os.system ['true']\ntitle:",
        "evil:",
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in content",
    ),
    Case(
        "alias bomb",
        "region.yaml",
        "\ntitle:",
        "\n" + BOMB + "title:",
        "g: &g",
        "more than 50 aliases: refusing to expand them",
    ),
    Case(
        "bad colour",
        "campaign.yaml",
        'rgb: "#00596E"',
        'rgb: "#00596"',
        'rgb: "#00596"',
        "brand.colours.primary.rgb: '#00596' is not valid (expected a colour #RRGGBB)",
    ),
    Case(
        "missing brand colour",
        "campaign.yaml",
        "    accent:",
        "    highlight:",
        "  colours:",
        "brand.colours: missing colours: accent",
    ),
    Case(
        "chart without its data",
        "figures.yaml",
        "kind: compare",
        "kind: bar",
        "hospital_density:",
        "charts.hospital_density: a bar chart needs 'series'",
    ),
    Case(
        "share chart of a count",
        "figures.yaml",
        "figures: [health_share]",
        "figures: [health_jobs]",
        "figures: [health_jobs]",
        "charts.health_share.figures[0]: a share chart needs figures in a share unit, "
        "'health_jobs' is in count",
    ),
    # --- languages: texts where a partial language's outputs show them, locales ---------
    Case(
        "ja text missing where the overview shows it",
        "region.yaml",
        "  ja: ルール地方のヘルスケア産業の可能性\n",
        "",
        "title:",
        "title: text missing in language 'ja' (shown in overview)",
    ),
    Case(
        "ja text missing in a field the deck shows",
        "fields/medtech.yaml",
        "  ja: MedTech（医療技術）\n",
        "",
        "title:",
        "title: text missing in language 'ja' (shown in overview)",
    ),
    Case(
        "ja speaker notes missing",
        "decks/international-health-ruhr.yaml",
        "      ja: |-\n        感謝を伝え",
        "      #",
        "  - kind: closing",
        "slides[17].notes: text missing in language 'ja' (shown in international-health-ruhr)",
        below=19,
    ),
    Case(
        "ja figure label missing",
        "figures.yaml",
        "      ja: ルール地方の病床数\n",
        "",
        "  hospital_beds:",
        "figures.hospital_beds.label: text missing in language 'ja' (shown in overview)",
        below=5,
    ),
    Case(
        "unknown output of a language",
        "campaign.yaml",
        "outputs: [overview, international-health-ruhr]",
        "outputs: [overview, international-health-ruh]",
        "outputs:",
        "languages.ja.outputs[1]: unknown output 'international-health-ruh' "
        "(did you mean 'international-health-ruhr'?)",
    ),
    Case(
        "locale Babel does not know",
        "campaign.yaml",
        "locale: ja_JP",
        "locale: jp_JP",
        "locale: jp_JP",
        "languages.ja.locale: unknown locale 'jp_JP' (did you mean 'ja_JP'?)",
    ),
    Case(
        "font of a language not installed",
        "campaign.yaml",
        "font: Noto Sans CJK JP",
        "font: Noto Sans Klingon",
        "font: Noto Sans Klingon",
        "languages.ja.font: font 'Noto Sans Klingon' is not installed",
    ),
    # --- numbers: units and shares ---------------------------------------------------------
    Case(
        "share above 100",
        "figures.yaml",
        "value: 20.0\n    unit: percent",
        "value: 120.0\n    unit: percent",
        "value: 120.0",
        "figures.health_share.value: 120 is not a share: a value in 'percent' (share: true) "
        "lies between 0 and 100",
    ),
    Case(
        "negative share",
        "figures.yaml",
        "value: 20.0\n    unit: percent",
        "value: -0.5\n    unit: percent",
        "value: -0.5",
        "figures.health_share.value: -0.5 is not a share",
    ),
    Case(
        "unit Babel does not know",
        "figures.yaml",
        "cldr: area-square-meter",
        "cldr: area-square-metre",
        "cldr: area-square-metre",
        "units.m2.cldr: 'area-square-metre' is not a CLDR unit Babel knows",
    ),
    Case(
        "currency code not ISO",
        "figures.yaml",
        "currency: EUR",
        "currency: Euro",
        "currency: Euro",
        "units.eur.currency: 'Euro' is not valid (expected a currency code "
        "of three capital letters (ISO 4217, e.g. EUR))",
    ),
    Case(
        "currency code unknown",
        "figures.yaml",
        "currency: EUR",
        "currency: EUX",
        "currency: EUX",
        "units.eur.currency: 'EUX' is not an ISO 4217 currency code",
    ),
    Case(
        "unit written two ways",
        "figures.yaml",
        "  percent:\n    share: true",
        "  percent:\n    share: true\n    cldr: concentr-percent",
        "  percent:",
        "units.percent: a unit is written one way: share or cldr (choose one)",
    ),
    Case(
        "unit symbol missing a language",
        "figures.yaml",
        "  count: {}",
        "  count:\n    symbol: {de: Stück, en: items, ja: 個}",
        "symbol:",
        "units.count.symbol: text missing in language 'fr'",
    ),
    Case(
        "unit needs its axis words in ja",
        "figures.yaml",
        "      ja: 人口10万人当たり\n",
        "",
        "  per_100k:",
        "units.per_100k.axis: text missing in language 'ja' (shown in overview)",
        below=1,
    ),
    Case(
        "deck without slides",
        "decks/life-science-medtech.yaml",
        "\nslides:",
        "\nslides: []\nold_slides:",
        "slides: []",
        "slides: ",
    ),
    Case(
        "bad setting",
        "campaign.yaml",
        "figure_max_age_years: 5",
        "figure_max_age_years: 0",
        "figure_max_age_years: 0",
        "settings.figure_max_age_years: ",
    ),
]


def _mutate(content: Path, case: Case) -> tuple[str, int]:
    if case.setup is not None:
        case.setup(content)
    path = content / case.file
    text = path.read_text(encoding="utf-8")
    assert text.count(case.old) >= 1, f"{case.name}: {case.old!r} not in {case.file}"
    text = text.replace(case.old, case.new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if case.marker in row)
    return f"content/{case.file}", line + case.below


def _run(content: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main([*args, "--content", str(content)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_content_is_reported_exactly(
    case: Case, content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shown, line = _mutate(content_copy, case)
    before = sorted(p.relative_to(content_copy.parent) for p in content_copy.parent.rglob("*"))
    out = content_copy.parent / "output"
    code, err = _run(content_copy, capsys, "check")
    build_code, _ = _run(content_copy, capsys, "build", "--out", str(out))
    assert code == 1 and build_code == 1
    prefix = f"{shown}:{line}:"
    assert any(row.startswith(prefix) and case.message in row for row in err.splitlines()), (
        f"expected {prefix} ... {case.message}\ngot:\n{err}"
    )
    assert "Traceback" not in err
    assert not out.exists()
    after = sorted(p.relative_to(content_copy.parent) for p in content_copy.parent.rglob("*"))
    assert after == before


def test_missing_required_file(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "region.yaml").unlink()
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert "content/region.yaml:1:1: required file is missing" in err


def test_oversized_file(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "region.yaml").write_text("x: '" + "a" * 1_100_000 + "'\n")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert (
        "content/region.yaml:1:1: file is 1,100,006 bytes, more than the limit of 1,000,000"
    ) in err
    assert "aaaa" not in err  # never prints the file


def test_top_level_must_be_a_mapping(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content_copy / "region.yaml").write_text("- a\n- b\n")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert "content/region.yaml:1:1: expected a mapping of keys at the top of the file" in err


def test_not_utf8(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "sites/campus-bochum.yaml").write_bytes(b"title: \xff\xfe\n")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert "content/sites/campus-bochum.yaml:1:1: not UTF-8 text (byte 7)" in err


def test_duplicate_field_id(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(content_copy / "fields/medtech.yaml", content_copy / "fields/medtech-copy.yaml")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert (
        "content/fields/medtech.yaml:2:1: id: duplicate id 'medtech': "
        "content/fields/medtech-copy.yaml uses it already" in err
    )


def _add_language(content: Path, block: str) -> None:
    campaign = content / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("\nlanguages:\n", "\nlanguages:\n" + block, 1))


def test_a_new_language_lists_every_missing_text_and_label(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_language(content_copy, "  it:\n    locale: it_IT\n    tag: it-IT\n    name: Italiano\n")
    code, err = _run(content_copy, capsys, "check")
    missing = [row for row in err.splitlines() if "text missing in language 'it'" in row]
    labels = [
        row
        for row in err.splitlines()
        if row.startswith("content/campaign.yaml:12:3: languages.it: warning: label ")
    ]
    assert code == 1
    assert len(missing) > 100 and len(labels) == len(label_ids())
    assert (
        "label 'Contact' has no translation in 'it' (it stays English): add it to "
        "content/labels/it.po" in err
    )
    medtech = (content_copy / "fields" / "medtech.yaml").read_text(encoding="utf-8")
    title = medtech.splitlines().index("title:") + 1
    assert any(row.startswith(f"content/fields/medtech.yaml:{title}:1: title: ") for row in missing)


def test_a_language_for_one_deck_needs_only_the_texts_that_deck_shows(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_language(
        content_copy,
        "  nl:\n    locale: nl_NL\n    tag: nl-NL\n    name: Nederlands"
        "\n    outputs: [life-science-medtech]\n",
    )
    code, err = _run(content_copy, capsys, "check")
    missing = [
        row.split(":")[0]
        for row in err.splitlines()
        if "text missing in language 'nl' (shown in life-science-medtech)" in row
    ]
    assert code == 1
    assert set(missing) == {
        "content/campaign.yaml",
        "content/decks/life-science-medtech.yaml",
        "content/figures.yaml",
        "content/fields/life-science.yaml",
        "content/fields/medtech.yaml",
        "content/sites/campus-bochum.yaml",
    }
    assert "content/region.yaml" not in err and "digital-health" not in err


def test_labels_of_the_content_are_checked_where_they_are(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = content_copy / "labels" / "ja.po"
    text = labels.read_text().replace('msgstr "お問い合わせ"', 'msgstr ""')
    text += '\nmsgid "Contakt"\nmsgstr "連絡先"\n'
    labels.write_text(text)
    rows = text.splitlines()
    contact = rows.index('msgid "Contact"') + 1
    typo = rows.index('msgid "Contakt"') + 1
    code, err = _run(content_copy, capsys, "check")
    assert code == 0
    assert (
        f"content/labels/ja.po:{contact}:1: warning: label 'Contact' has no translation "
        "in 'ja' (it stays English)" in err
    )
    assert (
        f"content/labels/ja.po:{typo}:1: warning: unknown label 'Contakt': no template "
        "shows it" in err
    )
    code, _ = _run(content_copy, capsys, "check", "--strict")
    assert code == 1


def test_a_campaign_overrides_a_shipped_label(content_copy: Path) -> None:
    (content_copy / "labels" / "fr.po").write_text(
        'msgid "Contact"\nmsgstr "Nous contacter"\n', encoding="utf-8"
    )
    content = load_content(content_copy).content
    assert content.labels["fr"]["Contact"] == "Nous contacter"
    assert content.labels["fr"]["Source"] == "Source"
    assert load_content(CONTENT).content.labels["fr"]["Contact"] == "Contact"


def test_a_growth_rate_may_be_negative(content_copy: Path) -> None:
    figures = content_copy / "figures.yaml"
    text = figures.read_text()
    text = text.replace("value: 92\n    unit: count", "value: -3.5\n    unit: growth", 1)
    figures.write_text(text)
    fig = load_content(content_copy).content.figures.figures["hospitals"]
    assert fig.value == -3.5 and fig.unit == "growth"


def test_old_figure_is_a_warning_and_strict_makes_it_an_error(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = content_copy / "figures.yaml"
    figures.write_text(figures.read_text().replace('period: "2022"', 'period: "2015"', 1))
    code, err = _run(content_copy, capsys, "check")
    warning = (
        "figures.health_turnover.period: warning: figure health_turnover is from 2015: "
        "check for a newer one"
    )
    assert code == 0 and warning in err
    code, err = _run(content_copy, capsys, "check", "--strict")
    assert code == 1 and warning in err


def test_cli_reports_without_traceback(content_copy: Path) -> None:
    region = content_copy / "region.yaml"
    region.write_text(region.read_text().replace("\ntitle:", "\ntitel:", 1))
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "make_materials.py"),
            "check",
            "--content",
            str(content_copy),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "unknown key 'titel' (did you mean 'title'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_link_to_a_local_file_is_a_content_error(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = content_copy / "region.yaml"
    text = region.read_text().replace(
        "\nlead:\n  de: >-\n    ", "\nlead:\n  de: >-\n    [PW](file:///etc/passwd) ", 1
    )
    region.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row == "  de: >-")
    code, err = _run(content_copy, capsys, "check")
    assert code == 1
    assert (
        f"content/region.yaml:{line}:3: lead.de: link 'file:///etc/passwd' is not allowed "
        "(only https://, http://, mailto: and tel: links)"
    ) in err
