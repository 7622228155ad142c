"""Numbers, units, currencies, dates and labels per language."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir

from bmr_materials.content.labels import label_ids, shipped
from bmr_materials.content.load import Loaded
from bmr_materials.content.model import Language, Unit
from bmr_materials.shared.i18n import Formatter, formatter
from tests.conftest import PROJECT

NBSP, NNBSP = "\u00a0", "\u202f"
UNITS = {
    "eur": Unit(currency="EUR"),
    "count": Unit(),
    "percent": Unit(share=True),
    "m2": Unit(cldr="area-square-meter"),
    "tonnes": Unit(cldr="mass-tonne"),
    "gw": Unit(cldr="power-gigawatt"),
    "teu": Unit(symbol={"de": "TEU", "en": "TEU", "fr": "EVP", "ja": "TEU"}),
    "beds": Unit(symbol={"de": "Betten", "en": "beds", "fr": "lits", "ja": "{0}床"}),
    "usd": Unit(currency="USD"),
}
LANGS = {
    "de": Language(locale="de_DE", tag="de-DE", name="Deutsch", compact="short"),
    "en": Language(locale="en_GB", tag="en-GB", name="English", compact="long"),
    "fr": Language(locale="fr_FR", tag="fr-FR", name="Français", compact="short"),
    "ja": Language(locale="ja_JP", tag="ja-JP", name="日本語", compact="short"),
}


def fmt(lang: str) -> Formatter:
    return Formatter(lang, LANGS[lang], {}, UNITS)


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(
    ("lang", "value", "unit", "scale", "decimals", "expected"),
    [
        ("de", 23.62, "eur", "billion", 2, "23,62 Mrd. €"),
        ("en", 23.62, "eur", "billion", 2, "€23.62 billion"),
        ("fr", 23.62, "eur", "billion", 2, "23,62 Md €"),
        ("ja", 23.62, "eur", "billion", 2, "€236.2億"),
        ("de", 371300, "count", None, 0, "371.300"),
        ("en", 371300, "count", None, 0, "371,300"),
        ("fr", 371300, "count", None, 0, "371 300"),
        ("ja", 371300, "count", None, 0, "371,300"),
        ("de", 20.0, "percent", None, 1, "20,0 %"),
        ("en", 20.0, "percent", None, 1, "20.0%"),
        ("fr", 20.0, "percent", None, 1, "20,0 %"),
        ("ja", 20.0, "percent", None, 1, "20.0%"),
        ("de", 55000, "m2", None, 0, "55.000 m²"),
        ("fr", 55000, "m2", None, 0, "55 000 m²"),
        ("ja", 55000, "m2", None, 0, "55,000 m²"),
        # units no Ruhr figure uses: CLDR units, a symbol per language, scale words for each
        ("de", 1.5, "tonnes", "million", 1, "1,5 Mio. t"),
        ("en", 1.5, "tonnes", "million", 1, "1.5 million t"),
        ("fr", 12.5, "gw", None, 1, "12,5 GW"),
        ("de", 8.2, "teu", "million", 1, "8,2 Mio. TEU"),
        ("fr", 8.2, "teu", "million", 1, "8,2 M EVP"),
        ("en", 950, "beds", "thousand", 0, "950,000 beds"),
        ("ja", 737, "beds", None, 0, "737床"),
        ("en", 4.1, "usd", "billion", 1, "US$4.1 billion"),
        # negative values and zero keep the language's minus sign and unit
        ("de", -2.5, "eur", "billion", 1, "-2,5 Mrd. €"),
        ("en", -2.5, "eur", "billion", 1, "-€2.5 billion"),
        ("ja", -2.5, "eur", "billion", 1, "-€25億"),
        ("en", -350, "eur", None, 0, "-€350.00"),
        ("fr", -1250, "count", None, 0, "-1 250"),
        ("de", -3.4, "percent", None, 1, "-3,4 %"),
        ("en", 0, "teu", None, 0, "0 TEU"),
    ],
)
def test_quantities(
    lang: str, value: float, unit: str, scale: str | None, decimals: int, expected: str
) -> None:
    assert plain(fmt(lang).quantity(value, unit, scale, decimals)) == expected


@pytest.mark.parametrize(
    ("lang", "unit", "scale", "expected"),
    [
        ("de", "eur", "billion", "Mrd. €"),
        ("fr", "eur", "million", "M €"),
        ("en", "eur", "billion", "€ billion"),
        ("ja", "eur", "billion", "€（十億）"),
        ("de", "percent", None, "%"),
        ("fr", "teu", None, "EVP"),
        ("en", "tonnes", None, "t"),
        ("de", "count", None, ""),
    ],
)
def test_axis_words(loaded: Loaded, lang: str, unit: str, scale: str | None, expected: str) -> None:
    """Axis words: the unit's symbol with the language's scale word, from the labels."""
    labels = loaded.content.labels[lang]
    assert Formatter(lang, LANGS[lang], labels, UNITS).axis_words(unit, scale) == expected


def test_qualified_figures_from_the_content(loaded: Loaded) -> None:
    figures = loaded.content.figures.figures
    de, en, fr, ja = (formatter(lang, loaded.content) for lang in ("de", "en", "fr", "ja"))
    assert de.figure(figures["digital_health_specialists"]) == "mehr als 6.000"
    assert en.figure(figures["digital_health_specialists"]) == "more than 6,000"
    assert plain(fr.figure(figures["digital_health_specialists"])) == "plus de 6 000"
    assert ja.figure(figures["digital_health_specialists"]) == "6,000以上"
    assert plain(de.figure(figures["campus_area"])) == "ca. 55.000 m²"
    assert plain(en.figure(figures["campus_area"])) == "about 55,000 m²"
    assert plain(fr.figure(figures["campus_area"])) == "env. 55 000 m²"
    assert plain(ja.figure(figures["campus_area"])) == "約55,000 m²"


def test_periods(loaded: Loaded) -> None:
    de, en, fr, ja = (formatter(lang, loaded.content) for lang in ("de", "en", "fr", "ja"))
    assert de.period("2023-06-30") == "30. Juni 2023"
    assert en.period("2023-06-30") == "30 June 2023"
    assert fr.period("2023-06-30") == "30 juin 2023"
    assert ja.period("2023-06-30") == "2023年6月30日"
    assert de.period("2022") == en.period("2022") == "2022"
    assert de.period("as-stated") == "ohne Stichtag"
    assert ja.period("as-stated") == "基準日の記載なし"


def test_the_label_template_lists_every_label_the_code_and_templates_show() -> None:
    """messages.pot (`make messages`) is what `check` holds every language to."""
    method_map = [("bmr_materials/**.py", "python"), ("templates/**.j2", "jinja2")]
    keywords = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            str(PROJECT),
            method_map,
            keywords=keywords,
            options_map={"templates/**.j2": {"extensions": "jinja2.ext.i18n"}},
        )
    }
    assert found and found == set(label_ids()), "run `make messages`"


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_shipped_catalogs_translate_every_label(lang: str) -> None:
    missing = sorted(set(label_ids()) - set(shipped(lang)))
    assert not missing, f"add to shared/locale/{lang}/LC_MESSAGES/messages.po: {missing}"


def test_every_configured_language_has_every_label(loaded: Loaded) -> None:
    """de and fr from the builder, ja from the content's own labels/ja.po."""
    for lang in ("de", "fr", "ja"):
        labels = loaded.content.labels[lang]
        assert all(labels.get(m) for m in label_ids()), lang
    assert loaded.content.labels["ja"]["Contact"] == "お問い合わせ"
    assert shipped("ja") == {}


def test_an_untranslated_label_stays_english() -> None:
    it = Formatter("it", Language(locale="it_IT", tag="it-IT", name="Italiano"), {}, UNITS)
    assert it.gettext("more than {value}") == "more than {value}"
    assert plain(it.quantity(371300, "count", None, 0)) == "371.300"


def test_a_point_keeps_the_precision_of_its_source(loaded: Loaded) -> None:
    series = loaded.content.figures.series["health_turnover_series"]
    points = {p.period: p for p in series.points}
    en, de = formatter("en", loaded.content), formatter("de", loaded.content)
    assert en.figure(points["2016"], series) == "about €21.5 billion"
    assert plain(de.figure(points["2016"], series)) == "ca. 21,5 Mrd. €"
    assert en.figure(points["2018"], series) == "€17.82 billion"
