"""Turn an asset path the content names (the logo, a print profile, a deck master, fonts) into
the file it means: first inside the content folder (`DIR/assets/...`), so a campaign can live
in a repository of its own, else among the builder's default files.

A path is relative, has no `..` and starts with one of the folders it may be in (assets/, for
a deck master also templates/); a symbolic link must not lead out of that folder of its root.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bmr_materials.resources import builder_root


class AssetRefused(ValueError):
    """An asset path that may not be used, or names no file; the message says why."""


def find_asset(folder: Path | None, value: str, bases: tuple[str, ...] = ("assets",)) -> Path:
    """The file `value` names: in the content `folder`, else the builder's; or AssetRefused."""
    relative = _relative(value, bases)
    roots = [root for root in (folder, builder_root()) if root is not None]
    for root in roots:
        candidate = root / relative
        if not (candidate.exists() or candidate.is_symlink()):
            continue
        target = candidate.resolve()
        if not target.is_relative_to((root / relative.parts[0]).resolve()):
            raise AssetRefused(
                f"{value!r} is a symbolic link out of {relative.parts[0]}/: not used"
            )
        if not target.is_file():
            raise AssetRefused(f"{value!r} is not a regular file")
        return target
    raise AssetRefused(f"file {value!r} does not exist")


def asset_roots(folder: Path | None, bases: tuple[str, ...] = ("assets",)) -> list[Path]:
    """The folders assets are read from: the content's own, then the builder's."""
    roots = [root for root in (folder, builder_root()) if root is not None]
    return [(root / base).resolve() for root in roots for base in bases]


def _relative(value: str, bases: tuple[str, ...]) -> PurePosixPath:
    if "\\" in value or value.startswith(("/", "~")) or ":" in value.split("/")[0]:
        raise AssetRefused(
            f"{value!r} is not a relative path (give a path under "
            f"{' or '.join(b + '/' for b in bases)} of the content folder)"
        )
    path = PurePosixPath(value)
    inside = " and ".join(b + "/" for b in bases)
    if ".." in path.parts:
        raise AssetRefused(f"{value!r} is outside {inside} ('..' is not allowed)")
    if len(path.parts) < 2 or path.parts[0] not in bases:
        raise AssetRefused(f"{value!r} is outside {inside}")
    return path
