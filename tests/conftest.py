"""Shared fixtures: the project, the shipped content, and a scratch copy of it."""

from __future__ import annotations

import fcntl
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from bmr_materials.content.load import Loaded, load_content

PROJECT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT / "content"


def set_value(content: Path, file: str, path: list[str | int], value: object) -> None:
    """Set one value in a content file, writing the file back as YAML."""
    target = content / file
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def pdf_page_texts(data: bytes) -> list[str]:
    """The text of every page of a PDF, as PDFium extracts it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


@dataclass
class Loopback:
    """A loopback HTTP listener's address and the paths it was asked for."""

    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def loopback() -> Iterator[Loopback]:
    """A loopback HTTP listener that must never receive a request (it records any it gets)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<svg xmlns='http://www.w3.org/2000/svg'/>")

        def log_message(self, *args: Any) -> None:
            return

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Loopback(f"http://127.0.0.1:{httpd.server_address[1]}", requests)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def loaded() -> Loaded:
    """The shipped content, validated once per test session."""
    return load_content(CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the shipped content in a folder of its own, which is the current
    folder (messages name files relative to it, as for a user in their project)."""
    root = tmp_path / "project"
    shutil.copytree(CONTENT, root / "content")
    monkeypatch.chdir(root)
    return root / "content"


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Folder `name`, filled by `make` once per test run and shared by all pytest-xdist workers:
    the first worker to ask makes it under a lock, the others wait and then read it."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real build of the shipped content (every language, every kind), made once per run."""
    from bmr_materials.app.cli import main

    def build(folder: Path) -> None:
        assert main(["build", "--out", str(folder / "output"), "--jobs", "2", "--quiet"]) == 0

    return made_once(tmp_path_factory, "built", build) / "output"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="write the structural snapshots of the outputs afresh",
    )


# Fixtures that render a campaign (brochures, decks, whole builds) or build the wheel: a test
# that uses one is slow and stays out of the fast lane (`make test-fast`, `pytest -m "not
# slow"`), as does a test marked slow because it renders by itself.
RENDERING_FIXTURES = {
    "built",
    "second",
    "wheel",
    "rendered",
    "render_cache",
    "native",
    "english",
    "hostile",
    "browser",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if RENDERING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
