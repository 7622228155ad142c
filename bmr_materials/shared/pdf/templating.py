"""The Jinja environment of a PDF kind's HTML template: the campaign's labels as gettext,
autoescaping, strict undefined values, and the filters the templates share."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from bmr_materials.content.markup import shown_url
from bmr_materials.errors import TemplateError
from bmr_materials.shared.i18n import LABELLED


@cache
def environment(folder: Path, template: str, labels: tuple[tuple[str, str], ...]) -> Any:
    """A Jinja environment loading from `folder` whose gettext answers with `labels`
    (message -> text); TemplateError when `template` is not there."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

    translations = dict(labels)

    def gettext(message: str, **values: Any) -> str:
        text = translations.get(message) or message
        return text % values if values else text

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
        return gettext(singular if n == 1 else plural, **values)

    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    # 'Période : 2022': a label and its value as the language joins them (Jinja's own gettext
    # formats with %, so this is a function of its own).
    env.globals["labelled"] = lambda label, value: gettext(LABELLED).format(
        label=label, value=value
    )
    env.filters["css_string"] = css_string
    env.filters["shown_url"] = shown_url
    try:
        env.get_template(template)
    except TemplateNotFound as exc:
        raise TemplateError(f"template missing: {folder.name}/{exc}") from exc
    return env


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(
        c if c.isalnum() or c in " .,:;!?-–—()'’" else f"\\{ord(c):x} " for c in str(text)
    )
    return Markup(f'"{escaped}"')
