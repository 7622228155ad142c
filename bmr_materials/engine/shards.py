"""Split a plan into N deterministic shares (`build --shard K/N`, one per machine) and join
what the shards built into one output folder (`merge`).

A target's shard depends only on its key (kind/id/lang/variant), never on timing, so every
machine computes the same split; the merged folder is the same, byte for byte, as a single
build of the whole plan.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bmr_materials.engine.manifest import Manifest, inside
from bmr_materials.errors import MaterialsError
from bmr_materials.shared.kind import Target
from bmr_materials.shared.repro import atomic_write


def parse_shard(text: str) -> tuple[int, int]:
    """'2/3' -> (2, 3): the second of three shares."""
    first, _, second = text.partition("/")
    if not (first.isdigit() and second.isdigit()) or not 1 <= int(first) <= int(second):
        raise ValueError(f"expected K/N with 1 <= K <= N, e.g. 1/3, got {text!r}")
    return int(first), int(second)


def share(targets: list[Target], shard: tuple[int, int]) -> list[Target]:
    """The targets of shard K of N: targets sorted by key, dealt out in turn within each kind,
    so every shard gets its part of the slow kinds."""
    number, count = shard
    ordered = sorted(targets, key=lambda t: (t.kind, Manifest.key(t)))
    by_kind: dict[str, int] = {}
    chosen = []
    for target in ordered:
        index = by_kind.get(target.kind, 0)
        by_kind[target.kind] = index + 1
        if index % count == number - 1:
            chosen.append(target)
    return chosen


def merge(shards: list[Path], out: Path) -> Manifest:
    """Copy every output the shards' manifests record into `out` (checking each file's
    sha256) and record them in `out`'s manifest; return it (saved)."""
    merged = Manifest(out)
    for folder in shards:
        manifest = Manifest(folder)
        if not manifest.targets:
            raise MaterialsError(f"{folder}: no manifest.json with built outputs to merge")
        for key, record in manifest.targets.items():
            for path, info in record["files"].items():
                _copy_checked(inside(folder, path), inside(out, path), info["sha256"])
            merged.targets[key] = record
    merged.save()
    return merged


def _copy_checked(source: Path, target: Path, sha256: str) -> None:
    data = source.read_bytes() if source.is_file() else b""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise MaterialsError(f"{source}: missing or not the file its manifest records")
    atomic_write(target, data)
