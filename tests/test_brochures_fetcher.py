"""The brochure URL fetcher serves the project's own templates, assets and caches, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.errors import RenderError
from bmr_materials.kinds.brochures.context import PROJECT, brochure_context
from bmr_materials.kinds.brochures.render import render_brochure
from bmr_materials.shared.pdf import pictures
from bmr_materials.shared.pdf.fetcher import ForbiddenURL, project_fetcher


@pytest.fixture
def fetcher(tmp_path: Path) -> Any:
    return project_fetcher(tmp_path)


def test_serves_templates_and_assets(fetcher: Any) -> None:
    logo = (PROJECT / "assets" / "logo" / "ihr-logo.svg").as_uri()
    response = fetcher.fetch(logo)
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"
    css = fetcher.fetch((PROJECT / "templates" / "brochures" / "brochure.css").as_uri())
    assert b"@page" in css.read()


def test_serves_the_render_cache(fetcher: Any, tmp_path: Path) -> None:
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "x.svg").write_text("<svg/>")
    assert fetcher.fetch((tmp_path / "charts" / "x.svg").as_uri()).read() == b"<svg/>"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.svg",
        "http://localhost/x.svg",
        "ftp://example.com/x",
        "data:image/svg+xml,<svg/>",
        "file:///etc/passwd",
        (PROJECT / "bmr_materials" / "content" / "model.py").as_uri(),
        (PROJECT / "templates").as_uri() + "/../bmr_materials/content/model.py",
        (PROJECT / "templates").as_uri() + "/%2e%2e/bmr_materials/content/model.py",
        (PROJECT / "assets").as_uri() + "/does-not-exist.svg",
        "file://otherhost" + (PROJECT / "assets" / "logo" / "ihr-logo.svg").as_posix(),
    ],
)
def test_refuses_everything_else(fetcher: Any, url: str) -> None:
    with pytest.raises(ForbiddenURL) as info:
        fetcher.fetch(url)
    assert url in str(info.value)


def test_refuses_symlinks_out(fetcher: Any, tmp_path: Path) -> None:
    (tmp_path / "charts").mkdir()
    link = tmp_path / "charts" / "passwd.svg"
    link.symlink_to("/etc/passwd")
    with pytest.raises(ForbiddenURL, match="outside"):
        fetcher.fetch(link.as_uri())


def test_render_stops_on_a_forbidden_url(
    loaded: Loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = brochure_context(loaded.content, "medtech", "en", "screen")
    monkeypatch.setattr(pictures, "logo_file", lambda *_: Path("/etc/passwd"))
    with pytest.raises(RenderError, match="passwd"):
        render_brochure(ctx, tmp_path)
