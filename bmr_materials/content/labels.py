"""The label catalogs: the template labels ("Contact", "Sources", ...) translated per language,
read from gettext .po files (`make messages` keeps them in step with the templates)."""

from __future__ import annotations

from functools import cache

from babel.messages.pofile import read_po

from bmr_materials.resources import labels_dir


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for `lang`; empty when the language has no catalog."""
    path = labels_dir() / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


def has_catalog(lang: str) -> bool:
    """Whether labels are translated for `lang` (English msgids are the fallback)."""
    return lang == "en" or bool(catalog(lang))
