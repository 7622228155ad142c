"""Languages: Babel number, currency and date formats, and gettext labels for templates.

Labels ("Contact", "Source", "Page") are English msgids translated by the catalogs in
materials/locale/<lang>/LC_MESSAGES/messages.po, maintained with Babel's tools
(`make messages`). Catalogs are read with Babel at run time, so no compile step is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import numbers, units
from babel.dates import format_date

from bmr_materials.content.labels import catalog
from bmr_materials.content.model import Figure, Language, Point, Series


def N_(message: str) -> str:
    """Mark `message` for extraction into the catalogs; translated where it is shown."""
    return message


QUALIFIERS = {"more_than": N_("more than {value}"), "about": N_("about {value}")}
NO_DATE = N_("no reference date given")
SCALES = {"billion": 1e9, "million": 1e6, None: 1.0}


@dataclass(frozen=True)
class Formatter:
    """Formats labels, numbers and periods for one language."""

    code: str
    language: Language

    @property
    def locale(self) -> str:
        return self.language.locale

    def gettext(self, message: str) -> str:
        """The label `message` in this language."""
        return catalog(self.code).get(message, message)

    def number(self, value: float, decimals: int = 0) -> str:
        """371300 -> '371.300' (de) / '371,300' (en)."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return numbers.format_decimal(value, format=pattern, locale=self.locale)

    def quantity(self, value: float, unit: str, scale: str | None, decimals: int) -> str:
        """A value with its unit in this language's format, e.g. '23,62 Mrd. €'."""
        if unit == "eur":
            return self._money(value * SCALES[scale], decimals)
        if unit == "percent":
            pattern = str(numbers.Locale.parse(self.locale).percent_formats[None].pattern)
            pattern = pattern.replace("0", "0." + "0" * decimals, 1) if decimals else pattern
            return numbers.format_percent(value / 100, format=pattern, locale=self.locale)
        if unit == "m2":
            return units.format_unit(round(value), "area-square-meter", length="short",
                                     locale=self.locale)
        return self.number(value * SCALES[scale], decimals)

    def _money(self, value: float, decimals: int) -> str:
        if value < 1e6:
            return numbers.format_currency(value, "EUR", locale=self.locale)
        amount = numbers.format_compact_decimal(
            value, format_type=self.language.compact, locale=self.locale,
            fraction_digits=decimals)
        pattern = numbers.get_currency_symbol("EUR", locale=self.locale)
        standard = str(numbers.Locale.parse(self.locale).currency_formats["standard"].pattern)
        return f"{pattern}{amount}" if standard.startswith("¤") else f"{amount} {pattern}"

    def figure(self, fig: Figure | Point, series: Series | None = None) -> str:
        """A figure or series point as printed, qualifier included: 'mehr als 6.000'."""
        owner = series if series is not None else fig
        if not isinstance(owner, Figure | Series):
            raise ValueError("a series point is formatted with its series")
        text = self.quantity(fig.value, owner.unit, owner.scale, decimals_of(fig, owner))
        if fig.qualifier:
            text = self.gettext(QUALIFIERS[fig.qualifier]).format(value=text)
        return text

    def period(self, period: str) -> str:
        """'2022' -> '2022'; '2023-06-30' -> '30. Juni 2023'; 'as-stated' -> a phrase."""
        if period == "as-stated":
            return self.gettext(NO_DATE)
        if len(period) == 10:
            return format_date(dt.date.fromisoformat(period), format="long", locale=self.locale)
        return period

    def date(self, iso: str) -> str:
        """A date in this language's long format."""
        return format_date(dt.date.fromisoformat(iso), format="long", locale=self.locale)


def decimals_of(item: Figure | Point, owner: Figure | Series) -> int:
    """The decimals to print `item` with: its own (a point less precise than its series),
    else its series' or figure's."""
    own = item.decimals if isinstance(item, Point) else None
    return own if own is not None else owner.decimals


def formatter(code: str, languages: dict[str, Language]) -> Formatter:
    """The formatter for language `code` among the configured `languages`."""
    return Formatter(code, languages[code])
