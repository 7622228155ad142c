"""The plug-in interface of an output kind (brochures, decks, fact sheets, ...).

A kind turns the content into targets (one per output, each with its render context), renders
a target to bytes in a worker process, names the checks preflight runs on its files, and tells
the catalog how to show them. The engine knows kinds only through this interface and the
registry it is given (`bmr_materials.kinds.REGISTRY`); kinds know nothing of each other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from bmr_materials.content.model import Content
    from bmr_materials.content.yamlsafe import Marked
    from bmr_materials.errors import Problem


def N_(message: str) -> str:
    """Mark `message` for extraction into the catalogs; translated where it is shown."""
    return message


class Issue(NamedTuple):
    """What a preflight check found: an error or warning and what is wrong, or an info note
    (a measurement such as page fill: shown, never counted as a problem)."""

    severity: str
    message: str


Checks = dict[str, Callable[[], Iterator[Issue]]]


def pages_text(pages: set[int]) -> str:
    """'page 3' or 'pages 1, 2, 5' (at most 8 listed)."""
    ordered = sorted(pages)
    shown = ", ".join(str(p) for p in ordered[:8]) + (", ..." if len(ordered) > 8 else "")
    return f"page{'s' if len(ordered) > 1 else ''} {shown}"


@dataclass(frozen=True)
class Options:
    """What a build was asked for (the command line turns its arguments into this)."""

    languages: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    native_charts: bool = False
    deck_template: Path | None = None

    def languages_of(self, content: Content) -> list[str]:
        """The content's languages this build makes, in the content's order."""
        return [lang for lang in content.languages if not self.languages or lang in self.languages]


@dataclass
class Target:
    """One output to build: where it goes, what it shows and its fingerprint."""

    kind: str
    id: str
    lang: str
    variant: str
    paths: list[str]
    context: dict[str, Any]
    inputs: list[Path]
    charts: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    components: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """A short name for logs: brochure digital-health en print."""
        return " ".join(p for p in (self.kind, self.id, self.lang, self.variant) if p)

    @property
    def figure_ids(self) -> list[str]:
        return list(self.context.get("figure_ids", []))

    @property
    def fingerprint(self) -> str:
        """One digest of the named parts of the fingerprint (`components`)."""
        text = json.dumps(self.components, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CatalogInfo:
    """How the catalog shows a kind's files: labels and notes per variant (marked for
    translation with N_), the page words, thumbnail width and which variants to preview."""

    heading: str
    page: str
    pages: str
    labels: dict[str, str]
    notes: dict[str, str]
    preview: tuple[str, ...]
    thumb_width: int = 300
    no_preview: str = ""  # why a file may have no preview, and how to get one (English)


class OutputKind(Protocol):
    """What the engine needs of an output kind."""

    name: str  # one output: "brochure"
    group: str  # the outputs, for --only and the output folder: "brochures"
    module: str  # the package a worker imports to render (it exports KIND)
    code: tuple[str, ...]  # packages whose code is part of every fingerprint of this kind
    max_workers: int | None  # at most this many workers render this kind at once
    files: tuple[tuple[str, str], ...]  # (glob in the output folder, variant): without a manifest
    catalog: CatalogInfo

    def targets(self, content: Content, options: Options) -> list[Target]:
        """Every output of this kind the content defines, in the options' languages."""
        ...

    def check(
        self, content: Content, origins: dict[str, Marked], options: Options
    ) -> list[Problem]:
        """What in the validated content would stop this kind's renderer, each problem at
        its file and line (`origins`: the content file each part came from)."""
        ...

    def order(self, content: Content) -> list[str]:
        """The ids of this kind's outputs in the order the content gives them."""
        ...

    def title(self, content: Content, item_id: str, lang: str) -> str:
        """The title of one output in one language."""
        ...

    def render(self, context: dict[str, Any], paths: list[str], cache: Path) -> dict[str, bytes]:
        """Every file of one target, keyed by its path (runs in a worker process)."""
        ...

    def checks(self, variant: str, path: Path, opened: list[Any]) -> Checks:
        """The named preflight checks of one file of this kind (PDFs opened are appended to
        `opened` and closed by the caller)."""
        ...

    def notes(self, targets: list[Target]) -> list[str]:
        """One-line notes for the user before a build (e.g. a missing helper program)."""
        ...
