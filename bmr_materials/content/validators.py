"""Check single content values the renderers rely on: real dates, known locales, BCP 47 tags,
plain links and e-mail addresses, series in order. Each check raises ValueError (or a
`located` error naming the key inside the value) with words an editor understands.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic_core import PydanticCustomError

from bmr_materials.errors import did_you_mean

EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()/.-]*$")


def located(message: str, *at: str | int) -> PydanticCustomError:
    """An error placed at key path `at` inside the value being validated."""
    return PydanticCustomError("located", "{message}", {"message": message, "at": at})


def real_date(value: str) -> str:
    """A YYYY-MM-DD text must be a day of the calendar (no 2023-02-30)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a real date (no such day in the calendar)"
            ) from None
    return value


@cache
def _locales() -> tuple[str, ...]:
    from babel.localedata import locale_identifiers

    return tuple(locale_identifiers())


def known_locale(value: str) -> str:
    """A locale Babel has data for, written as Babel writes it (de_DE)."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value)
    except (ValueError, TypeError, UnknownLocaleError):
        hint = did_you_mean(value.replace("-", "_"), _locales())
        raise ValueError(f"unknown locale {value!r}{hint or ' (expected e.g. de_DE)'}") from None
    return value


def language_tag(value: str) -> str:
    """A valid BCP 47 language tag (checked by langcodes)."""
    import langcodes

    if "_" not in value and langcodes.tag_is_valid(value):  # langcodes reads _ as -
        return value
    hint = ""
    try:
        fixed = langcodes.standardize_tag(value.replace("_", "-"))
        if langcodes.tag_is_valid(fixed) and fixed != value:
            hint = f" (did you mean {fixed!r}?)"
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a BCP 47 language tag{hint or ' (expected e.g. de-DE)'}")


def plain_email(value: str) -> str:
    """One plain address: no header fields, no second recipient, no display name."""
    problem = email_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def email_problem(address: str) -> str | None:
    """What is wrong with `address` as one plain e-mail address, or None."""
    if any(c in address for c in "?&"):
        return (
            f"e-mail address {_short(address)!r} has header fields ('?...'): "
            "only a plain address is allowed"
        )
    if any(c in address for c in ",;"):
        return f"{_short(address)!r} names several addresses: only one is allowed"
    if not EMAIL.match(address):
        return f"{_short(address)!r} is not an e-mail address (expected name@example.org)"
    return None


def plain_link(value: str) -> str:
    """A link the materials may print: see `link_problem`."""
    problem = link_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def link_problem(url: str) -> str | None:
    """What is wrong with `url` as a plain link, or None. Web addresses need a host and no
    user name; mailto: is one address without header fields; tel: is a phone number."""
    lower = url.lower()
    if lower.startswith("mailto:"):
        address = unquote(url[len("mailto:") :])
        if "?" in url:
            return (
                f"mailto: link {_short(url)!r} has header fields ('?...'): only a plain "
                "address is allowed"
            )
        problem = email_problem(address)
        return f"mailto: link: {problem}" if problem else None
    if lower.startswith("tel:"):
        number = unquote(url[len("tel:") :])
        return None if PHONE.match(number) else f"tel: link {_short(url)!r} is not a phone number"
    if lower.startswith(("http://", "https://")):
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            return f"link {_short(url)!r} is not a web address"
        if not host:
            return f"link {_short(url)!r} has no host name"
        if "@" in parts.netloc:
            return f"link {_short(url)!r} has a user name or password in it: not allowed"
        return None
    return f"link {_short(url)!r} is not allowed (only https://, http://, mailto: and tel: links)"


def ordered_periods(points: Sequence[Any]) -> Sequence[Any]:
    """The points of a series come in time order, each period once."""
    seen: dict[str, int] = {}
    for i, point in enumerate(points):
        period = str(point.period)
        if period in seen:
            raise located(
                f"period {period} appears twice (also points[{seen[period]}])", i, "period"
            )
        if seen and period < max(seen):
            raise located(
                f"period {period} comes after {max(seen)}: list the points in time order",
                i,
                "period",
            )
        seen[period] = i
    return points


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def unknown_language(lang: str, languages: list[str]) -> PydanticCustomError:
    """An unknown language key of a text, placed at the key."""
    hint = did_you_mean(lang, languages) or f" (configured: {', '.join(languages)})"
    return located(f"unknown language {lang!r}{hint}", lang)
