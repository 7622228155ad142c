"""`make_materials.py serve` in headless Chromium: a brochure's preview shows a changed figure
after the save, and a content error in the page with file and line, while the server runs on."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_catalog import LOADED, DevTools, browser  # noqa: F401 - the fixture is used by name

PROJECT = Path(__file__).resolve().parent.parent
TIMEOUT = 600.0  # generous: the machine may be busy; nothing here measures time
pytestmark = pytest.mark.slow


@pytest.fixture
def server(content_copy: Path, tmp_path: Path) -> Iterator[str]:
    """A preview server for one brochure of the content copy; its address."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "make_materials.py"),
            "serve",
            "--content",
            str(content_copy),
            "--out",
            str(tmp_path / "out"),
            "--lang",
            "en",
            "--only",
            "digital-health",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    said: list[str] = [first]
    reader = threading.Thread(target=lambda: said.extend(process.stdout or []), daemon=True)
    reader.start()
    address = re.search(r"http://127\.0\.0\.1:\d+", first)
    try:
        assert address, first
        yield address.group(0)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=120)
        reader.join(timeout=30)
        process.stdout.close()
    assert code == 0, "".join(said)
    assert "stopped serving" in "".join(said)


def _page_text(tools: DevTools) -> str:
    return str(tools.evaluate("document.body ? document.body.textContent : ''") or "")


def _wait_for_text(tools: DevTools, wanted: str) -> str:
    """Poll the page (it reloads itself) until its text holds `wanted`."""
    deadline = time.monotonic() + TIMEOUT
    text = ""
    while time.monotonic() < deadline:
        try:
            text = _page_text(tools)
        except AssertionError:  # evaluated while the page was reloading
            text = ""
        if wanted in text:
            return text
        time.sleep(0.25)
    raise AssertionError(f"the preview never showed {wanted!r}; it shows: {text[:2000]}")


def test_the_preview_shows_a_saved_change_and_content_errors(
    server: str,
    content_copy: Path,
    browser: DevTools,  # noqa: F811 - the fixture imported above
) -> None:
    browser.call("Page.enable")
    browser.call("Page.navigate", url=f"{server}/preview/brochure/en/digital-health")
    _wait_for_text(browser, "more than 6,000")

    figures = content_copy / "figures.yaml"
    original = figures.read_text(encoding="utf-8")
    line = original[: original.index("value: 6000")].count("\n") + 1
    figures.write_text(original.replace("value: 6000", "value: lots", 1), encoding="utf-8")
    text = _wait_for_text(browser, f"figures.yaml:{line}:")
    assert "content has errors" in text

    figures.write_text(original.replace("value: 6000", "value: 6321", 1), encoding="utf-8")
    text = _wait_for_text(browser, "more than 6,321")
    assert "more than 6,000" not in text
    assert "content has errors" not in text
    browser.evaluate(LOADED)
    images = browser.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert images and all(images)
