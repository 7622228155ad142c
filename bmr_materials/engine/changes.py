"""Tell which outputs changed between two manifests and which figures caused it."""

from __future__ import annotations

import json
from typing import Any

from bmr_materials.engine.manifest import Manifest
from bmr_materials.shared.repro import atomic_write


def changes(before: Manifest, after: Manifest) -> dict[str, Any]:
    """Changed, added and removed outputs; for each changed one, the figures that changed."""
    old = {row["path"]: row for row in before.outputs()}
    new = {row["path"]: row for row in after.outputs()}
    changed = []
    for path, row in new.items():
        prior = old.get(path)
        if prior is None or prior["sha256"] == row["sha256"]:
            continue
        figures = _changed_figures(before, after, row)
        changed.append({"path": path, "figures": figures})
    return {
        "changed": changed,
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
    }


def _changed_figures(before: Manifest, after: Manifest, row: dict[str, Any]) -> list[str]:
    key = "/".join(p for p in (row["kind"], row["id"], row["lang"]) if p)
    found: set[str] = set()
    for name, record in after.targets.items():
        if not name.startswith(key) or row["path"] not in record["files"]:
            continue
        prior = before.targets.get(name, {}).get("components", {})
        for part, digest in record["components"].items():
            if part.startswith(("figure ", "series ")) and prior.get(part) != digest:
                found.add(part.split(" ", 1)[1])
    return sorted(found)


def print_changes(before: Manifest, after: Manifest) -> None:
    """Print the change report and keep it as output/changes.json."""
    report = changes(before, after)
    atomic_write(
        after.path.parent / "changes.json",
        (json.dumps(report, indent=1, sort_keys=True) + "\n").encode(),
    )
    if not any(report.values()):
        print("changes: no output changed")
    for item in report["changed"]:
        why = f" (figures: {', '.join(item['figures'])})" if item["figures"] else ""
        print(f"changed  {item['path']}{why}")
    for path in report["added"]:
        print(f"added    {path}")
    for path in report["removed"]:
        print(f"removed  {path}")
