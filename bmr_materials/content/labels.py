"""The label catalogs: the template labels ("Contact", "Sources", ...) translated per language,
read from gettext .po files. The builder ships de and fr (`labels_dir()`, kept in step with the
templates by `make messages`, which also writes messages.pot, the list of every label); a
campaign adds a language, or overrides single labels, in its content's `labels/<lang>.po`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from bmr_materials.resources import labels_dir


@dataclass(frozen=True)
class Entry:
    """One label of a catalog file: its translation and the line it starts on."""

    text: str
    line: int


def read_catalog(path: Path, lang: str) -> dict[str, Entry]:
    """msgid -> (translation, line) of the .po file at `path`; fuzzy entries count as empty."""
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang.replace("-", "_"))
    return {
        str(m.id): Entry("" if m.fuzzy else str(m.string or ""), m.lineno or 1) for m in po if m.id
    }


@cache
def shipped(lang: str) -> dict[str, str]:
    """The builder's own translations of the labels into `lang` (empty when none ship)."""
    path = labels_dir() / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    return {k: e.text for k, e in read_catalog(path, lang).items() if e.text}


@cache
def label_ids() -> tuple[str, ...]:
    """Every label the templates and code show (the msgids of messages.pot)."""
    return tuple(read_catalog(labels_dir() / "messages.pot", "en"))
