"""Turn the validated content into targets: one per output, each with the fingerprint of
exactly what it renders, and say which targets are outdated and why.

A fingerprint covers the render context (the part of the content the output shows, after
resolving references), the files the renderer reads (templates, assets, fonts), and the
versions of the project and its renderers. It never depends on where content or output live.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

from bmr_materials import __version__
from bmr_materials.content.model import Content
from bmr_materials.errors import UsageError, did_you_mean
from bmr_materials.resources import builder_root
from bmr_materials.shared.kind import Options, OutputKind, Target

PROJECT = builder_root()
RENDERER_PACKAGES = ("weasyprint", "python-pptx", "matplotlib", "pikepdf", "fonttools")


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


@cache
def versions() -> str:
    """The versions of the project and its renderers, as one string."""
    found = [f"bmr-campaign-materials {__version__}"]
    for package in RENDERER_PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} missing")
    return "; ".join(found)


def input_name(path: Path) -> str:
    """A path-independent name for an input file: project-relative for the builder's own
    files, else its file name (a file of an installed package is named alike whether the
    virtual environment lies inside the project or elsewhere)."""
    resolved = path.resolve()
    if not any(resolved.is_relative_to(prefix) for prefix in _installed()):
        try:
            return resolved.relative_to(PROJECT).as_posix()
        except ValueError:
            pass
    return path.name


@cache
def _installed() -> tuple[Path, ...]:
    """The folders of the running Python and its installed packages."""
    return tuple({Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()})


def components(content: Content, target: Target, code: tuple[str, ...]) -> dict[str, str]:
    """The named parts of a target's fingerprint: figures, text, input files, versions."""
    # "files": where the assets are on this machine; their bytes count below (target.inputs)
    from bmr_materials.shared.repro import without_files

    shown = without_files({k: v for k, v in target.context.items() if k != "figure_ids"})
    parts = {"content": _digest(shown), "brand": brand_digest(content)}
    for fid in target.figure_ids:
        item = content.figures.figures.get(fid) or content.figures.series.get(fid)
        if item is not None:
            kind = "figure" if fid in content.figures.figures else "series"
            parts[f"{kind} {fid}"] = _digest(item.model_dump(mode="json"))
    for path in target.inputs:
        parts[f"file {input_name(path)}"] = file_digest(path)
    parts["versions"] = versions()
    parts["code"] = code_digest(code)
    return parts


def brand_digest(content: Content) -> str:
    """The brand every output shows (colours, font, logo path, the logo file's bytes and those
    of the font files the content ships): a rebrand names itself as the reason every output
    is outdated."""
    from bmr_materials.content.assetfiles import AssetRefused, find_asset
    from bmr_materials.content.brandfont import faces_digest, family_faces

    brand = content.campaign.brand
    try:
        logo = file_digest(find_asset(content.folder, brand.logo))
    except AssetRefused:
        logo = ""
    shown = {"brand": brand.model_dump(mode="json"), "logo": logo, "name": content.campaign.name}
    faces = family_faces(content.folder, brand.font)
    if faces:  # a font the content ships
        shown["font files"] = faces_digest(faces)
    return _digest(shown)


def plan(content: Content, options: Options, kinds: Sequence[OutputKind]) -> list[Target]:
    """Every target the options ask for, fingerprinted: `--only` names kinds by their group
    ("decks") or outputs by their id ("overview")."""
    groups = {kind.group: kind for kind in kinds}
    wanted = [groups[o] for o in options.only if o in groups] or list(kinds)
    ids = {i for i in options.only if i not in groups}
    every = [t for kind in (kinds if ids else wanted) for t in kind.targets(content, options)]
    unknown = sorted(ids - {t.id for t in every})
    if unknown:
        known = sorted({*groups, *(t.id for t in every)})
        hint = did_you_mean(unknown[0], known) if len(unknown) == 1 else ""
        raise UsageError(
            f"--only: no output is called {', '.join(unknown)}{hint} (known: {', '.join(known)})"
        )
    by_name = {kind.name: kind for kind in kinds}
    chosen = {kind.name for kind in wanted}
    targets = [t for t in every if t.kind in chosen and (not ids or t.id in ids)]
    for target in targets:
        target.components = components(content, target, by_name[target.kind].code)
    return targets


def why_outdated(target: Target, record: dict[str, Any] | None, out: Path) -> str | None:
    """None when `target` is up to date, else the reason in a few words."""
    missing = [p for p in target.paths if not (out / p).is_file()]
    if missing:
        return f"missing {', '.join(missing)}"
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
    """The most telling change first: the brand, a figure, a file, versions, then text."""
    if "brand" in changed:
        return "brand changed"
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
