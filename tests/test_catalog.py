"""The catalog page: opened in headless Chromium (driven over the DevTools protocol), every
image loads and every link resolves, offline; thumbnails are made once per file version; a
deck without its PDF gets a placeholder and the hint to install LibreOffice."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.engine import catalog
from bmr_materials.engine.manifest import Manifest
from bmr_materials.kinds.registry import load_kinds

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--window-size=1280,1600",
    "--remote-debugging-port=0",
]

# --- a minimal DevTools protocol client (RFC 6455 text frames over a socket) -----------------


class DevTools:
    """Send DevTools commands to one page target and read the replies and events."""

    def __init__(self, ws_url: str) -> None:
        url = urlsplit(ws_url)
        self.sock = socket.create_connection((url.hostname, url.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            head += self._read(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.ids = 0
        self.events: list[dict[str, Any]] = []

    def _read(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return data

    def _send(self, text: str) -> None:
        payload, mask = text.encode(), os.urandom(4)
        size = len(payload)
        if size < 126:
            head = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 1 << 16:
            head = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            head = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _receive(self) -> dict[str, Any]:
        message = b""
        while True:
            first, second = self._read(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._read(8))[0]
            data = self._read(size)
            opcode = first & 0x0F
            if opcode == 8:
                raise ConnectionError("DevTools closed the connection")
            if opcode in (0, 1, 2):
                message += data
                if first & 0x80:
                    return dict(json.loads(message))

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.ids += 1
        self._send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            reply = self._receive()
            if reply.get("id") == self.ids:
                assert "error" not in reply, reply
                return dict(reply.get("result", {}))
            self.events.append(reply)

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    """Headless Chromium with a blank page, driven over DevTools; closed after the test."""
    if not Path(CHROMIUM).is_file():
        pytest.skip("chromium is not installed (make test installs it)")
    profile = tmp_path / "chromium-profile"
    process = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port = _devtools_port(profile / "DevToolsActivePort", process)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = next(t for t in targets if t.get("type") == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        yield tools
        tools.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _devtools_port(path: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text().strip():
            return int(path.read_text().split()[0])
        if process.poll() is not None:
            pytest.fail(f"chromium exited with code {process.returncode}")
        time.sleep(0.1)
    pytest.fail("chromium did not open its DevTools port within 30 s")


LOADED = """new Promise(resolve => {
  const done = () => Promise.all([...document.images].map(img => img.complete ? null :
      new Promise(r => { img.onload = img.onerror = r; }))).then(() => resolve(true));
  if (document.readyState === "complete") done();
  else window.addEventListener("load", done);
})"""

INVENTORY = """({
  images: [...document.images].map(img => ({src: img.currentSrc,
      ok: img.complete && img.naturalWidth > 0, alt: img.getAttribute("alt")})),
  links: [...document.querySelectorAll("a[href]")].map(a => ({href: a.href,
      target: a.hash && a.href.split("#")[0] === location.href.split("#")[0]
              ? document.getElementById(decodeURIComponent(a.hash.slice(1))) !== null : null})),
  styles: [...document.querySelectorAll("link, script[src]")].length,
  title: document.title,
})"""


def _local_path(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def test_every_image_loads_and_every_link_resolves_in_chromium(
    built: Path, loaded: Loaded, browser: DevTools
) -> None:
    content = loaded.content
    index = catalog.write_catalog(built, content, load_kinds())
    browser.call("Network.enable")
    browser.call("Page.enable")
    browser.call("Page.navigate", url=index.as_uri())
    deadline = time.monotonic() + 30
    while browser.evaluate("document.location.href") != index.as_uri():
        assert time.monotonic() < deadline, "the catalog did not open"
        time.sleep(0.1)
    assert browser.evaluate(LOADED) is True
    page = browser.evaluate(INVENTORY)

    assert page["title"].startswith(content.campaign.name)
    assert page["styles"] == 0, "the page must be self-contained (no stylesheet or script files)"
    images = page["images"]
    assert len(images) >= 2 * 7 * len(content.languages), "two thumbnails per brochure"
    assert [i["src"] for i in images if not i["ok"]] == []
    assert all(i["alt"] for i in images)
    assert all(i["src"].startswith("file://") for i in images)

    sources = {f.source.url for f in content.figures.figures.values()}
    sources |= {p.source.url for s in content.figures.series.values() for p in s.points}
    local = [link for link in page["links"] if link["href"].startswith("file://")]
    external = {link["href"] for link in page["links"] if not link["href"].startswith("file://")}
    assert external <= sources, "only the figures' sources may point to the web"
    assert external, "the figures' sources are linked"
    missing = [
        link["href"]
        for link in local
        if link["target"] is False or not _local_path(link["href"]).exists()
    ]
    assert missing == []
    files = {_local_path(link["href"]) for link in local}
    for row in Manifest(built).outputs():
        assert built / row["path"] in files, f"{row['path']} is not linked"

    requested = {
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    }
    assert requested and all(url.startswith(("file://", "data:")) for url in requested), (
        "opening the catalog must not touch the network"
    )


def test_screenshot_of_the_catalog(built: Path, loaded: Loaded, tmp_path: Path) -> None:
    """A full-width screenshot renders (kept in the temporary folder for a look)."""
    if not Path(CHROMIUM).is_file():
        pytest.skip("chromium is not installed (make test installs it)")
    index = catalog.write_catalog(built, loaded.content, load_kinds())
    shot = tmp_path / "catalog.png"
    flags = [f for f in FLAGS if not f.startswith("--remote")]
    subprocess.run(
        [
            CHROMIUM,
            *flags,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            index.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert shot.is_file() and shot.stat().st_size > 10_000


# --- without a browser -----------------------------------------------------------------------


def _small_pdf(path: Path, pages: int = 3) -> Path:
    from weasyprint import HTML

    HTML(
        string="<html lang=en><body>"
        + "".join(f"<p style='break-after: page'>Page {n}</p>" for n in range(pages))
        + "</body></html>"
    ).write_pdf(path)
    return path


def _row(path: str, data: bytes, **extra: Any) -> dict[str, Any]:
    import hashlib

    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "pages": 3, **extra}


def test_thumbnails_are_made_once_per_version_of_a_file(tmp_path: Path) -> None:
    pdf = _small_pdf(tmp_path / "a-en-screen.pdf")
    first = catalog.thumbnails(tmp_path, _row(pdf.name, pdf.read_bytes()), 300)
    assert len(first) == 2 and all((tmp_path / t).is_file() for t in first)
    stamps = [(tmp_path / t).stat().st_mtime_ns for t in first]
    time.sleep(0.01)
    assert catalog.thumbnails(tmp_path, _row(pdf.name, pdf.read_bytes()), 300) == first
    assert [(tmp_path / t).stat().st_mtime_ns for t in first] == stamps

    _small_pdf(pdf, pages=4)
    second = catalog.thumbnails(tmp_path, _row(pdf.name, pdf.read_bytes()), 300)
    assert second != first and all((tmp_path / t).is_file() for t in second)
    assert not any((tmp_path / t).exists() for t in first), "old thumbnails are removed"
    from PIL import Image

    with Image.open(tmp_path / second[0]) as image:
        assert image.width == 300


def test_a_deck_without_its_pdf_shows_a_placeholder_and_how_to_get_one(
    tmp_path: Path, loaded: Loaded
) -> None:
    content = loaded.content
    deck_id = next(iter(content.decks))
    path = f"en/decks/{deck_id}-en.pptx"
    (tmp_path / "en" / "decks").mkdir(parents=True)
    (tmp_path / path).write_bytes(b"not really a deck")
    manifest = {
        "format": 1,
        "targets": {
            f"deck/{deck_id}/en": {
                "kind": "deck",
                "id": deck_id,
                "lang": "en",
                "variant": "",
                "fingerprint": "f",
                "figure_ids": [],
                "components": {},
                "files": {path: {"size": 17, "sha256": "0" * 64, "pages": None}},
            }
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    html = catalog.write_catalog(tmp_path, content, load_kinds()).read_text(encoding="utf-8")
    assert "No preview" in html and "sudo apt-get install libreoffice-impress" in html
    assert f'href="{path}"' in html and content.decks[deck_id].title["en"] in html
    assert "built in" not in html, "no build times: the same content gives the same page"
    assert 'id="lang-de"' not in html, "a language with nothing built has no section"


def test_sizes_and_labels_follow_the_language(loaded: Loaded) -> None:
    from bmr_materials.shared.i18n import formatter

    de, en = formatter("de", loaded.content), formatter("en", loaded.content)
    assert catalog.human_size(1_234_567, de) == "1,2 MB"
    assert catalog.human_size(1_234_567, en) == "1.2 MB"
    assert catalog.human_size(50_133, de) == "50,1 kB"
    assert catalog.human_size(999, en) == "999 B"
    assert de.gettext("Brochures") == "Broschüren"
