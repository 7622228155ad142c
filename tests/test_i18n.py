"""Numbers, currencies, dates and labels per language."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir

from bmr_materials.content.labels import catalog, has_catalog
from bmr_materials.content.load import Loaded
from bmr_materials.content.model import Language
from bmr_materials.shared.i18n import Formatter
from tests.conftest import PROJECT

DE = Formatter("de", Language(locale="de_DE", tag="de-DE", name="Deutsch", compact="short"))
EN = Formatter("en", Language(locale="en_GB", tag="en-GB", name="English", compact="long"))
NBSP = "\u00a0"


@pytest.mark.parametrize(("formatter", "value", "unit", "scale", "decimals", "expected"), [
    (DE, 23.62, "eur", "billion", 2, "23,62 Mrd. €"),
    (EN, 23.62, "eur", "billion", 2, "€23.62 billion"),
    (DE, 371300, "count", None, 0, "371.300"),
    (EN, 371300, "count", None, 0, "371,300"),
    (DE, 20.0, "percent", None, 1, "20,0 %"),
    (EN, 20.0, "percent", None, 1, "20.0%"),
    (DE, 55000, "m2", None, 0, "55.000 m²"),
    (EN, 55000, "m2", None, 0, "55,000 m²"),
    (DE, 737, "per_100k", None, 0, "737"),
])
def test_quantities(formatter: Formatter, value: float, unit: str, scale: str | None,
                    decimals: int, expected: str) -> None:
    assert formatter.quantity(value, unit, scale, decimals).replace(NBSP, " ") == expected


def test_qualified_figures_from_the_content(loaded: Loaded) -> None:
    figures = loaded.content.figures.figures
    assert DE.figure(figures["digital_health_specialists"]) == "mehr als 6.000"
    assert EN.figure(figures["digital_health_specialists"]) == "more than 6,000"
    assert DE.figure(figures["campus_area"]).replace(NBSP, " ") == "ca. 55.000 m²"
    assert EN.figure(figures["campus_area"]).replace(NBSP, " ") == "about 55,000 m²"


def test_periods() -> None:
    assert DE.period("2023-06-30") == "30. Juni 2023"
    assert EN.period("2023-06-30") == "30 June 2023"
    assert DE.period("2022") == EN.period("2022") == "2022"
    assert DE.period("as-stated") == "ohne Stichtag"


def test_every_label_is_translated_into_german() -> None:
    """Every label marked in code and templates has a German translation in the catalog."""
    german = catalog("de")
    method_map = [("bmr_materials/**.py", "python"), ("templates/**.j2", "jinja2")]
    keywords = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}
    found = {message if isinstance(message, str) else message[0]
             for _, _, message, _, _ in extract_from_dir(
                 str(PROJECT), method_map, keywords=keywords,
                 options_map={"templates/**.j2": {"extensions": "jinja2.ext.i18n"}})}
    missing = sorted(m for m in found if m not in german)
    assert found and not missing, f"add to materials/locale/de/.../messages.po: {missing}"


def test_a_language_without_catalog_falls_back_to_english_labels() -> None:
    assert has_catalog("en") and has_catalog("de")
    assert not has_catalog("fr")
    fr = Formatter("fr", Language(locale="fr_FR", tag="fr-FR", name="Français"))
    assert fr.gettext("more than {value}") == "more than {value}"
    assert fr.quantity(371300, "count", None, 0).replace("\u202f", " ") == "371 300"


def test_a_point_keeps_the_precision_of_its_source(loaded: Loaded) -> None:
    series = loaded.content.figures.series["health_turnover_series"]
    points = {p.period: p for p in series.points}
    assert EN.figure(points["2016"], series) == "about €21.5 billion"
    assert DE.figure(points["2016"], series).replace(NBSP, " ") == "ca. 21,5 Mrd. €"
    assert EN.figure(points["2018"], series) == "€17.82 billion"
