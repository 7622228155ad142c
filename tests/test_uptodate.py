"""A build with nothing to do stops before loading the content; any change takes the full path."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from bmr_materials.content import load

pytestmark = pytest.mark.slow


def _build(content: Path, out: Path) -> int:
    return main(
        [
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
            "--lang",
            "en",
            "--only",
            "digital-health",
            "--jobs",
            "1",
            "--no-preflight",
        ]
    )


def test_nothing_to_do_skips_loading_and_changes_are_built(
    content_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert _build(content_copy, out) == 0
    real_load = load.load_content

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the content was loaded")

    monkeypatch.setattr(load, "load_content", refuse)
    monkeypatch.setattr("bmr_materials.engine.api.load_content", refuse)
    capsys.readouterr()
    assert _build(content_copy, out) == 0
    assert capsys.readouterr().out.startswith("0 built, 4 up to date, 0 failed")

    monkeypatch.setattr("bmr_materials.engine.api.load_content", real_load)
    screen = out / "en" / "brochures" / "digital-health-en-screen.pdf"
    screen.unlink()
    assert _build(content_copy, out) == 0
    assert "1 built" in capsys.readouterr().out and screen.is_file()

    figures = content_copy / "figures.yaml"
    figures.write_text(
        figures.read_text(encoding="utf-8").replace("value: 6000", "value: 6001", 1),
        encoding="utf-8",
    )
    assert _build(content_copy, out) == 0
    assert "4 built" in capsys.readouterr().out
