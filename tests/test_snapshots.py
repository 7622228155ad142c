"""Every output of the shipped content against its structural snapshot in tests/snapshots/.

A change to an output shows here as a readable diff of pages, fonts and texts (or slides,
layouts and placeholders). When the change is intended, refresh the snapshots with
`pytest tests/test_snapshots.py --update-snapshots` and review the diff in git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.outline import outline

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
pytestmark = pytest.mark.slow


def outputs(built: Path) -> list[Path]:
    return sorted(
        p for p in built.rglob("*") if p.suffix in (".pdf", ".pptx") and ".cache" not in p.parts
    )


def test_every_output_matches_its_snapshot(built: Path, request: pytest.FixtureRequest) -> None:
    update = request.config.getoption("--update-snapshots")
    found = {}
    for path in outputs(built):
        name = path.relative_to(built).as_posix() + ".json"
        found[name] = json.dumps(outline(path), indent=1, ensure_ascii=False) + "\n"
    if update:
        for old in SNAPSHOTS.rglob("*.json"):
            old.unlink()
        for name, text in found.items():
            (SNAPSHOTS / name).parent.mkdir(parents=True, exist_ok=True)
            (SNAPSHOTS / name).write_text(text, encoding="utf-8")
    stored = {
        p.relative_to(SNAPSHOTS).as_posix(): p.read_text(encoding="utf-8")
        for p in SNAPSHOTS.rglob("*.json")
    }
    assert sorted(stored) == sorted(found), (
        "outputs and snapshots differ in number: run with --update-snapshots"
    )
    for name, text in found.items():
        assert text == stored[name], (
            f"{name} changed: run with --update-snapshots and review the diff"
        )
