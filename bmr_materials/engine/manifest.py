"""output/manifest.json: every output with its kind, id, language, variant, size, sha256,
fingerprint and figures, plus the fingerprint parts that say why a target is rebuilt, and
what the build finished after its outputs (the catalog, the files that passed preflight).

It holds no times: the same content gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bmr_materials.engine.plan import Target
from bmr_materials.errors import MaterialsError
from bmr_materials.shared.repro import atomic_write

NAME = "manifest.json"
FORMAT = 1


def inside(out: Path, path: str) -> Path:
    """`out / path`, refusing a manifest entry that points outside the output folder."""
    target = (out / path).resolve()
    if not target.is_relative_to(out.resolve()):
        raise MaterialsError(f"{out / NAME}: entry {path!r} points outside {out}")
    return target


class Manifest:
    """The record of the last successful build of every target."""

    def __init__(self, out: Path) -> None:
        self.path = out / NAME
        self.targets: dict[str, dict[str, Any]] = {}
        self.catalog = ""  # the key of the inputs index.html was last made from
        self.preflighted: dict[str, str] = {}  # path -> sha256 of the file that passed
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("format") == FORMAT:
                    self.targets = dict(data.get("targets", {}))
                    finished = data.get("finished", {})
                    self.catalog = str(finished.get("catalog", ""))
                    self.preflighted = dict(finished.get("preflight", {}))
            except (ValueError, AttributeError, TypeError):
                self.targets = {}  # unreadable: every target counts as never built

    @staticmethod
    def key(target: Target) -> str:
        return "/".join(p for p in (target.kind, target.id, target.lang, target.variant) if p)

    def record(self, target: Target) -> dict[str, Any] | None:
        return self.targets.get(self.key(target))

    def update(self, target: Target, files: dict[str, dict[str, Any]]) -> None:
        """Record a target just built: its files (path -> size, sha256) and fingerprint."""
        self.targets[self.key(target)] = {
            "kind": target.kind,
            "id": target.id,
            "lang": target.lang,
            "variant": target.variant,
            "fingerprint": target.fingerprint,
            "figure_ids": target.figure_ids,
            "components": target.components,
            "files": files,
            "sizes": {p: f["size"] for p, f in files.items()},
        }

    def prune(self, keep: set[str], out: Path) -> None:
        """Forget the targets not in `keep` and delete their files."""
        gone = [k for k in self.targets if k not in keep]
        for key in gone:
            for path in self.targets.pop(key)["files"]:
                inside(out, path).unlink(missing_ok=True)
        if gone:
            self.save()

    def outputs(self) -> list[dict[str, Any]]:
        """One entry per output file, sorted by path."""
        rows = []
        for record in self.targets.values():
            for path, info in record["files"].items():
                rows.append(
                    {
                        "kind": record["kind"],
                        "id": record["id"],
                        "lang": record["lang"],
                        "variant": record["variant"] or Path(path).suffix.lstrip("."),
                        "path": path,
                        "size": info["size"],
                        "sha256": info["sha256"],
                        "fingerprint": record["fingerprint"],
                        "figure_ids": record["figure_ids"],
                        "pages": info.get("pages"),
                    }
                )
        return sorted(rows, key=lambda r: str(r["path"]))

    def save(self) -> None:
        """Write the manifest atomically."""
        shas = {row["path"]: row["sha256"] for row in self.outputs()}
        passed = {p: sha for p, sha in self.preflighted.items() if shas.get(p) == sha}
        data = {
            "format": FORMAT,
            "outputs": self.outputs(),
            "targets": dict(sorted(self.targets.items())),
            "finished": {"catalog": self.catalog, "preflight": passed},
        }
        text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        atomic_write(self.path, text.encode("utf-8"))
