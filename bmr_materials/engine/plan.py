"""Turn the validated content into targets: one per output, each with the fingerprint of
exactly what it renders, and say which targets are outdated and why.

A fingerprint covers the render context (the part of the content the output shows, after
resolving references), the files the renderer reads (templates, assets, fonts), and the
versions of the project and its renderers. It never depends on where content or output live.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

from bmr_materials import __version__
from bmr_materials.content.model import Content
from bmr_materials.errors import MaterialsError
from bmr_materials.resources import builder_root

PROJECT = builder_root()
RENDERER_PACKAGES = ("weasyprint", "python-pptx", "matplotlib", "pikepdf", "fonttools")


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    languages: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    native_charts: bool = False
    deck_template: Path | None = None


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
        return _digest(self.components)


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, computed again only when the file changed (watch runs many
    builds in one process)."""
    stat = path.stat()
    return _digest_of(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest_of(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def code_digest(packages: tuple[str, ...]) -> str:
    """sha256 of the project's own code in `packages`: a changed renderer rebuilds its outputs."""
    digest = hashlib.sha256()
    for package in packages:
        root = Path(str(files(package)))
        for path in sorted(root.rglob("*.py")):
            digest.update(f"{package}/{path.relative_to(root).as_posix()}".encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


SHARED_CODE = ("bmr_materials.content", "bmr_materials.shared")
CODE = {"brochure": (*SHARED_CODE, "bmr_materials.kinds.brochures"),
        "deck": (*SHARED_CODE, "bmr_materials.kinds.decks")}


@cache
def versions() -> str:
    """The versions of the project and its renderers, as one string."""
    found = [f"ihr-materials {__version__}"]
    for package in RENDERER_PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} missing")
    return "; ".join(found)


def input_name(path: Path) -> str:
    """A path-independent name for an input file: project-relative, else its file name."""
    try:
        return path.resolve().relative_to(PROJECT).as_posix()
    except ValueError:
        return path.name


def components(content: Content, target: Target) -> dict[str, str]:
    """The named parts of a target's fingerprint: figures, text, input files, versions."""
    parts = {"content": _digest({k: v for k, v in target.context.items() if k != "figure_ids"})}
    for fid in target.figure_ids:
        item = content.figures.figures.get(fid) or content.figures.series.get(fid)
        if item is not None:
            kind = "figure" if fid in content.figures.figures else "series"
            parts[f"{kind} {fid}"] = _digest(item.model_dump(mode="json"))
    for path in target.inputs:
        parts[f"file {input_name(path)}"] = file_digest(path)
    parts["versions"] = versions()
    parts["code"] = code_digest(CODE[target.kind])
    return parts


def _brochures(content: Content, options: Options) -> list[Target]:
    from bmr_materials.kinds.brochures import context as bc

    targets = []
    for lang in _langs(content, options):
        for bid in bc.brochure_ids(content):
            for variant in ("print", "screen"):
                ctx = bc.brochure_context(content, bid, lang, variant)
                targets.append(Target("brochure", bid, lang, variant,
                                      [f"{lang}/brochures/{bid}-{lang}-{variant}.pdf"],
                                      ctx, bc.input_files(ctx), bc.charts_needed(ctx)))
    return targets


def _decks(content: Content, options: Options) -> list[Target]:
    from bmr_materials.kinds.decks import context as dc
    from bmr_materials.kinds.decks.pdf import libreoffice

    native = options.native_charts or content.campaign.settings.native_charts
    with_pdf = libreoffice() is not None
    targets = []
    for lang in _langs(content, options):
        for did in dc.deck_ids(content):
            ctx = dc.deck_context(content, did, lang, native_charts=native,
                                  template=options.deck_template)
            paths = [f"{lang}/decks/{did}-{lang}.pptx"]
            if with_pdf:
                paths.append(f"{lang}/decks/{did}-{lang}.pdf")
            targets.append(Target("deck", did, lang, "", paths, ctx, dc.input_files(ctx),
                                  dc.charts_needed(ctx)))
    return targets


PLANNERS: dict[str, Callable[[Content, Options], list[Target]]] = {
    "brochures": _brochures,
    "decks": _decks,
}


def _langs(content: Content, options: Options) -> list[str]:
    return [lang for lang in content.languages if not options.languages
            or lang in options.languages]


def plan(content: Content, options: Options) -> list[Target]:
    """Every target the options ask for, fingerprinted."""
    kinds = [k for k in PLANNERS if k in options.only] or list(PLANNERS)
    ids = {i for i in options.only if i not in PLANNERS}
    every = [t for kind in (PLANNERS if ids else kinds) for t in PLANNERS[kind](content, options)]
    unknown = sorted(ids - {t.id for t in every})
    if unknown:
        known = ", ".join(sorted({*PLANNERS, *(t.id for t in every)}))
        raise MaterialsError(f"--only: no output is called {', '.join(unknown)} "
                             f"(known: {known})")
    targets = [t for t in every if f"{t.kind}s" in kinds and (not ids or t.id in ids)]
    for target in targets:
        target.components = components(content, target)
    return targets


def why_outdated(target: Target, record: dict[str, Any] | None, out: Path) -> str | None:
    """None when `target` is up to date, else the reason in a few words."""
    if not all((out / p).is_file() for p in target.paths):
        return "missing"
    if record is None:
        return "not in the manifest"
    old: dict[str, str] = record.get("components", {})
    new = target.components
    for path in target.paths:
        stat = (out / path).stat()
        if record.get("sizes", {}).get(path) != stat.st_size:
            return f"{path} differs from the last build"
    changed = [name for name in new if old.get(name) != new[name]]
    changed += [name for name in old if name not in new]
    return _reason(changed, old) if changed else None


def _reason(changed: list[str], old: dict[str, str]) -> str:
    """The most telling change first: a figure, then a file, then versions, then text."""
    for name in changed:
        if name.startswith(("figure ", "series ")):
            return f"{name} changed"
    for name in changed:
        if name.startswith("file "):
            path = name.removeprefix("file ")
            kind = {"templates": "template", "assets": "asset"}.get(path.split("/")[0], "file")
            return f"{kind} {Path(path).name} changed" if name in old else f"new input {path}"
    if "versions" in changed:
        return "renderer versions changed"
    if "code" in changed:
        return "the builder's code changed"
    return "content changed"
