"""Deck PDFs through one warm LibreOffice: the same bytes as a LibreOffice per deck, restarted
when it dies, and no LibreOffice left behind after a build, an error or SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bmr_materials.kinds.decks import pdf

PROJECT = Path(__file__).resolve().parent.parent
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
pytestmark = [
    pytest.mark.slow,  # every test here starts LibreOffice
    pytest.mark.skipif(
        not pdf.warm_wanted(), reason="python3-uno is not installed (make setup installs it)"
    ),
]


def _processes_using(marker: str) -> list[int]:
    """Ids of the processes whose command line mentions `marker` (a test's own folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _offices_using(marker: str) -> list[int]:
    """Ids of the LibreOffice processes (not the bridge) among _processes_using(marker)."""
    found = []
    for pid in _processes_using(marker):
        try:
            program = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if b"soffice" in program:
            found.append(pid)
    return found


def _wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _build(out: Path, cache: Path, warm: bool, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "IHR_CACHE_DIR": str(cache), pdf.WARM_ENV: "1" if warm else "0"}
    return subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "make_materials.py"),
            "build",
            "--out",
            str(out),
            "--only",
            "decks",
            "--lang",
            "en",
            "--jobs",
            "1",
            "--no-preflight",
            "--quiet",
            *extra,
        ],
        env=env,
    )


def test_warm_libreoffice_writes_the_same_bytes_and_leaves_nothing_running(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    assert _build(warm, cache, True).wait(timeout=600) == 0
    assert _processes_using(str(cache)) == []  # the build stopped its LibreOffice
    assert _build(cold, cache, False).wait(timeout=600) == 0
    made = sorted(p.relative_to(warm) for p in warm.rglob("*-en.pdf"))
    assert len(made) == len(list((PROJECT / "content" / "decks").glob("*.yaml")))
    for path in made:
        assert (warm / path).read_bytes() == (cold / path).read_bytes(), path


def test_a_terminated_build_leaves_no_libreoffice(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build = _build(tmp_path / "out", cache, True)
    try:
        assert _wait_for(lambda: bool(_offices_using(str(cache))), timeout=300)
    finally:
        build.send_signal(signal.SIGTERM)
        build.wait(timeout=120)
    assert _wait_for(lambda: _processes_using(str(cache)) == []), "LibreOffice outlived its build"


def test_a_libreoffice_that_died_is_restarted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _a_deck(tmp_path)
    monkeypatch.setenv("IHR_CACHE_DIR", str(tmp_path / "other"))
    pdf._workdir.cache_clear()
    try:
        pdf.start_warm_office()  # one left running for another cache, as an earlier test may
        monkeypatch.setenv("IHR_CACHE_DIR", str(tmp_path / "cache"))
        pdf._workdir.cache_clear()
        first = pdf.deck_pdf(deck, STAMP)
        assert _processes_using(str(tmp_path / "other")) == []
        offices = _offices_using(str(tmp_path / "cache"))
        assert offices
        for pid in offices:
            os.kill(pid, signal.SIGKILL)
        assert pdf.deck_pdf(deck, STAMP) == first
    finally:
        pdf.close()
        pdf._workdir.cache_clear()
    assert _wait_for(lambda: _processes_using(str(tmp_path / "cache")) == [])


def _a_deck(tmp_path: Path) -> bytes:
    """One deck of the shipped content, built as PPTX only."""
    from bmr_materials.content.load import load_content
    from bmr_materials.kinds.decks import KIND
    from bmr_materials.shared.kind import Options

    content = load_content(PROJECT / "content").content
    target = KIND.targets(content, Options(languages=("en",)))[0]
    files = KIND.render(target.context, target.paths[:1], tmp_path / "charts")
    return files[target.paths[0]]
