"""The shared render cache: keys that change with the drawing code, and its clean-up."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bmr_materials.engine import rendercache
from bmr_materials.shared import charts
from bmr_materials.shared.repro import drawing_digest

DAY = 86400


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IHR_CACHE_DIR", str(tmp_path))
    return tmp_path


def _file(path: Path, age_days: float, now: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    then = now - age_days * DAY
    os.utime(path, (then, then))
    return path


def test_a_chart_key_changes_with_the_drawing_code(monkeypatch: pytest.MonkeyPatch) -> None:
    chart = {"id": "employees", "values": [1, 2]}
    before = charts.chart_key(chart, "svg")
    monkeypatch.setattr(charts, "DRAWING_CODE", ("bmr_materials.shared.charts",))
    assert charts.chart_key(chart, "svg") != before
    assert drawing_digest(("bmr_materials.shared.charts",)) != drawing_digest(
        ("bmr_materials.shared.charts",), ("matplotlib",)
    )


def test_old_files_are_removed_once_a_day(cache: Path) -> None:
    now = time.time()
    old_chart = _file(cache / "render/charts/a.svg", 40, now)
    old_finding = _file(cache / "preflight/b.json", 31, now)
    kept = [
        _file(cache / "render/charts/c.svg", 29, now),
        _file(cache / "render/hyphenation/hyph_de_DE-1.dic", 90, now),
        _file(cache / "fonts/x.ttf", 90, now),
    ]
    assert rendercache.prune(now) == 2
    assert not old_chart.exists() and not old_finding.exists()
    assert all(path.exists() for path in kept)
    again = _file(cache / "render/maps/d.svg", 40, now)
    assert rendercache.prune(now + DAY / 2) == 0, "at most once a day"
    assert again.exists()
    assert rendercache.prune(now + DAY) == 1
    assert not again.exists()


def test_nothing_is_removed_while_a_build_renders(cache: Path) -> None:
    now = time.time()
    old = _file(cache / "render/charts/a.svg", 40, now)
    with rendercache.rendering():
        assert rendercache.prune(now) == 0
    assert old.exists()
    assert rendercache.prune(now) == 1
