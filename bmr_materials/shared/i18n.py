"""Languages: Babel number, unit, currency and date formats, and the labels templates show.

Labels ("Contact", "Source", "Page") are English msgids. The builder ships translations for
de and fr in shared/locale/<lang>/LC_MESSAGES/messages.po (English needs none); a campaign
adds a language, or overrides single labels, in its own content/labels/<lang>.po. Catalogs are
read with Babel at load time (content/labels.py), so no compile step is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from babel import Locale, numbers, units
from babel.dates import format_date

from bmr_materials.content.model import Content, Figure, Language, Point, Series, Unit
from bmr_materials.shared.kind import N_ as N_  # beside the kinds' protocol, which imports light

QUALIFIERS = {"more_than": N_("more than {value}"), "about": N_("about {value}")}
NO_DATE = N_("no reference date given")
SCALES = {"billion": 1e9, "million": 1e6, "thousand": 1e3, None: 1.0}
SCALE_WORDS = {
    "billion": N_("{unit} billion"),
    "million": N_("{unit} million"),
    "thousand": N_("{unit} thousand"),
}
LABELLED = N_("{label}: {value}")  # French puts a space before the colon, Japanese a wide one
COMPACT_FROM = 1e6  # from a million on, numbers take the language's scale word
NBSP = "\u00a0"


@dataclass(frozen=True)
class Formatter:
    """Formats labels, numbers and periods for one language."""

    code: str
    language: Language
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)

    @property
    def locale(self) -> str:
        return self.language.locale

    def gettext(self, message: str) -> str:
        """The label `message` in this language (the English msgid when untranslated)."""
        return self.labels.get(message) or message

    def labelled(self, label: str, value: str) -> str:
        """'Source: X' as this language writes a label and its value ('Source : X' in fr)."""
        return self.gettext(LABELLED).format(label=label, value=value)

    def number(self, value: float, decimals: int = 0) -> str:
        """371300 -> '371.300' (de) / '371,300' (en); -2.5 -> '−2,5' (the locale's minus)."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return numbers.format_decimal(value, format=pattern, locale=self.locale)

    def scaled(self, value: float, decimals: int) -> str:
        """A plain number, with the language's scale word from a million on: '23,62 Mrd.'."""
        if abs(value) < COMPACT_FROM:
            return self.number(value, decimals)
        return numbers.format_compact_decimal(
            value, format_type=self.language.compact, locale=self.locale, fraction_digits=decimals
        )

    def quantity(self, value: float, unit_id: str, scale: str | None, decimals: int) -> str:
        """A value with its unit in this language's format, e.g. '23,62 Mrd. €', '20,0 %'."""
        unit = self.units[unit_id]
        value = value * SCALES[scale]
        if unit.share:
            return self.percent(value, decimals)
        if unit.currency:
            return self._money(value, unit.currency, decimals)
        number = self.scaled(value, decimals)
        if unit.cldr:
            return units.format_unit(number, unit.cldr, length="short", locale=self.locale)
        if unit.symbol:
            symbol = unit.symbol[self.code]
            if "{0}" in symbol:
                return symbol.replace("{0}", number)
            return (
                f"{symbol}{NBSP}{number}"
                if unit.position == "before"
                else f"{number}{NBSP}{symbol}"
            )
        return number

    def percent(self, value: float, decimals: int) -> str:
        """A share in percent as this language writes it: '20,0 %' (de), '20.0%' (en)."""
        pattern = str(Locale.parse(self.locale).percent_formats[None].pattern)
        pattern = pattern.replace("0", "0." + "0" * decimals, 1) if decimals else pattern
        return numbers.format_percent(value / 100, format=pattern, locale=self.locale)

    def _money(self, value: float, currency: str, decimals: int) -> str:
        if abs(value) < COMPACT_FROM:
            return numbers.format_currency(value, currency, locale=self.locale)
        amount = self.scaled(abs(value), decimals)
        sign = numbers.get_minus_sign_symbol(self.locale) if value < 0 else ""
        symbol = numbers.get_currency_symbol(currency, locale=self.locale)
        standard = str(Locale.parse(self.locale).currency_formats["standard"].pattern)
        if standard.startswith("¤"):
            return f"{sign}{symbol}{amount}"
        return f"{sign}{amount}{NBSP}{symbol}"

    def axis_words(self, unit_id: str, scale: str | None) -> str:
        """What a chart axis in this unit and scale is labelled: 'Mrd. €', '%', 'm²'."""
        unit = self.units[unit_id]
        if unit.axis:
            words = unit.axis[self.code]
        elif unit.share:
            words = Locale.parse(self.locale).number_symbols["latn"]["percentSign"]
        elif unit.currency:
            words = numbers.get_currency_symbol(unit.currency, locale=self.locale)
        elif unit.cldr:
            words = units.format_unit("", unit.cldr, length="short", locale=self.locale).strip()
        else:
            words = unit.symbol[self.code].replace("{0}", "").strip() if unit.symbol else ""
        if scale is None:
            return words
        return self.gettext(SCALE_WORDS[scale]).format(unit=words).strip()

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
            return self.date(period)
        return period

    def date(self, iso: str) -> str:
        """A date in this language's long format."""
        return format_date(dt.date.fromisoformat(iso), format="long", locale=self.locale)


def decimals_of(item: Figure | Point, owner: Figure | Series) -> int:
    """The decimals to print `item` with: its own (a point less precise than its series),
    else its series' or figure's."""
    own = item.decimals if isinstance(item, Point) else None
    return own if own is not None else owner.decimals


def formatter(code: str, content: Content) -> Formatter:
    """The formatter for language `code` of `content` (its labels and units)."""
    return Formatter(
        code, content.campaign.languages[code], content.labels.get(code, {}), content.figures.units
    )
