"""Take a chart's data; produce its takeaway line, computed, never typed: '+15 % since 2016'.

A series (bar, line) gives its change from the first to the last point it has, so a year
without a value (a gap) changes nothing; a comparison gives the first figure against the
second; a share gives '1 in N' when it is close to a simple fraction. Numbers and signs
are the language's (Babel): '+15 %' (de, fr), '+15%' (en), '−5 %' with the locale's minus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from babel import numbers

from bmr_materials.shared.i18n import N_, Formatter

SINCE = N_("{change} since {year}")
COMPARED = N_("{change} compared with {other}")
ONE_IN = N_("1 in {n}")


def signed_percent(change: float, fmt: Formatter) -> str:
    """A relative change as a signed percentage in the language's format: 0.155 -> '+16 %'."""
    percent = abs(change) * 100
    decimals = 0 if round(percent) >= 1 or percent == 0 else 1
    shown = fmt.percent(percent, decimals)
    if round(percent, decimals) == 0:
        return shown
    sign = numbers.get_plus_sign_symbol(fmt.locale) if change > 0 else None
    sign = sign or numbers.get_minus_sign_symbol(fmt.locale)
    return f"{sign}{shown}"


def own_words(labels: Sequence[str]) -> list[str]:
    """What sets each label apart, as it is written inside a sentence: the words after those
    all labels share ('... in the region', '... in the country' -> 'the region', 'the country')."""
    words = [label.split() for label in labels]
    common = 0
    while len(words) > 1 and all(
        len(w) > common + 1 and w[common] == words[0][common] for w in words
    ):
        common += 1
    return [" ".join(w[common:]) for w in words]


def signed_amount(change: float, amount: Callable[[float], str], fmt: Formatter) -> str:
    """An absolute change with its unit and the language's sign: '+12 MW', '−3,5 Mio. €'."""
    if change == 0:
        return amount(0)
    sign = numbers.get_plus_sign_symbol(fmt.locale) if change > 0 else None
    return f"{sign or numbers.get_minus_sign_symbol(fmt.locale)}{amount(abs(change))}"


def takeaway(
    kind: str,
    categories: Sequence[str],
    values: Sequence[float],
    fmt: Formatter,
    amount: Callable[[float], str] | None = None,
) -> str:
    """The one line a chart slide says about its data, in `fmt`'s language ('' if none).
    For a comparison, `categories` are the figures' labels as own_words gives them. A series
    that starts at or below zero, or crosses it, has no meaningful percentage: its change is
    given as an amount in its unit (`amount` formats one), or not at all."""
    if kind in ("bar", "line") and len(values) >= 2:
        if values[0] > 0 and values[-1] >= 0:
            since = signed_percent(values[-1] / values[0] - 1, fmt)
        elif amount is not None:
            since = signed_amount(values[-1] - values[0], amount, fmt)
        else:
            return ""
        return fmt.gettext(SINCE).format(change=since, year=categories[0])
    if kind == "compare" and len(values) >= 2 and values[1]:
        change = values[0] / values[1] - 1
        return fmt.gettext(COMPARED).format(change=signed_percent(change, fmt), other=categories[1])
    if kind == "share" and values and 0 < values[0] <= 50:
        n = round(100 / values[0])
        if abs(100 / n - values[0]) <= values[0] * 0.05:  # close to a simple fraction
            return fmt.gettext(ONE_IN).format(n=fmt.number(n))
    return ""
