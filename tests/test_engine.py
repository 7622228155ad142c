"""The build engine with real builds: incremental, reproducible, safe, parallel, watchable."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from pptx import Presentation

from bmr_materials.content.load import load_content
from bmr_materials.engine.plan import plan
from bmr_materials.kinds.registry import load_kinds
from bmr_materials.shared.kind import Options
from tests.conftest import CONTENT, PROJECT

IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "output",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
)


def digests(out: Path) -> dict[str, str]:
    """sha256 of every output file (PDF, PPTX) under `out`, by relative path."""
    return {
        path: sha
        for path, sha in every_file(out).items()
        if Path(path).suffix in (".pdf", ".pptx")
        and not path.startswith((".cache/", "thumbnails/"))
    }


def every_file(out: Path) -> dict[str, str]:
    """sha256 of every file under `out` (manifest, catalog, thumbnails, cache included)."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def project_copy(tmp: Path) -> Path:
    """A copy of the whole project (code, templates, assets, content) to change freely."""
    root = tmp / "project"
    shutil.copytree(PROJECT, root, ignore=IGNORED, symlinks=True)  # data/ links, as in git
    return root


def run_build(root: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`make_materials.py build` of the project at `root`, in a fresh process."""
    return subprocess.run(
        [
            sys.executable,
            str(root / "make_materials.py"),
            "build",
            "--out",
            str(out),
            "--no-preflight",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project copy with one complete English build (brochures and decks)."""
    root = project_copy(tmp_path_factory.mktemp("english"))
    out = root / "output"
    result = run_build(root, out, "--lang", "en", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return root, out


def touch_pptx(path: Path) -> None:
    """Save a .pptx with a new title in its properties: same slides, different bytes."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = data.replace(
                    b"</cp:coreProperties>",
                    b"<dc:description>saved</dc:description></cp:coreProperties>",
                )
            target.writestr(info, data)


def rebuild_after(
    english: tuple[Path, Path],
    tmp: Path,
    change: tuple[str, str, str],
) -> tuple[dict[str, str], dict[str, str], subprocess.CompletedProcess[str]]:
    """Copy the English build, apply `change` (file, old, new), rebuild; digests before/after.

    An empty `old` appends `new` to a text file; a .pptx is saved anew instead."""
    root, out = english
    copy = tmp / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("output"), symlinks=True)
    shutil.copytree(out, copy / "output")
    path = copy / change[0]
    if path.suffix == ".pptx":
        touch_pptx(path)
    elif change[1]:
        text = path.read_text(encoding="utf-8")
        assert change[1] in text
        path.write_text(text.replace(change[1], change[2], 1), encoding="utf-8")
    else:
        path.write_bytes(path.read_bytes() + change[2].encode())
    before = digests(copy / "output")
    result = run_build(copy, copy / "output", "--lang", "en", "--verbose", "--jobs", "2")
    return before, digests(copy / "output"), result


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {path for path in after if before.get(path) != after[path]}


def test_changing_one_figure_rebuilds_exactly_what_shows_it(
    english: tuple[Path, Path], tmp_path: Path
) -> None:
    before, after, result = rebuild_after(
        english, tmp_path, ("content/figures.yaml", "value: 6000", "value: 6500")
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "copy/output/manifest.json").read_text())
    showing = {
        row["path"]
        for row in manifest["outputs"]
        if "digital_health_specialists" in row["figure_ids"]
    }
    assert showing and changed(before, after) == showing
    assert "figure digital_health_specialists changed" in result.stdout


def test_changing_the_deck_master_rebuilds_decks_only(
    english: tuple[Path, Path], tmp_path: Path
) -> None:
    before, after, result = rebuild_after(
        english, tmp_path, ("templates/decks/master.pptx", "", "")
    )
    assert result.returncode == 0, result.stderr
    rebuilt = [line for line in result.stdout.splitlines() if line.startswith("built")]
    assert rebuilt and all(line.startswith("built   deck") for line in rebuilt)
    assert "template master.pptx changed" in result.stdout
    assert {p for p in changed(before, after)} <= {p for p in after if "/decks/" in p}


def test_changing_a_brochure_stylesheet_rebuilds_brochures_only(
    english: tuple[Path, Path], tmp_path: Path
) -> None:
    css = sorted((PROJECT / "templates/brochures").glob("*.css"))[0].name
    before, after, result = rebuild_after(
        english, tmp_path, (f"templates/brochures/{css}", "", "\n/* a saved change */\n")
    )
    assert result.returncode == 0, result.stderr
    rebuilt = [line for line in result.stdout.splitlines() if line.startswith("built")]
    assert rebuilt and all(line.startswith("built   brochure") for line in rebuilt)
    assert f"template {css} changed" in result.stdout
    assert not changed(before, after)  # a comment changes nothing in the PDFs


def test_nothing_to_do_imports_no_renderer(english: tuple[Path, Path]) -> None:
    root, out = english
    probe = (
        "import sys; from bmr_materials.app.cli import main; "
        f"code = main(['build', '--out', {str(out)!r}, '--lang', 'en', '--no-preflight']); "
        "heavy = [m for m in ('weasyprint', 'matplotlib', 'pptx') if m in sys.modules]; "
        "print('HEAVY', heavy); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout
    assert "0 built" in result.stdout


def test_list_says_why(english: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = english
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("output"), symlinks=True)
    shutil.copytree(out, copy / "output")
    figures = copy / "content/figures.yaml"
    figures.write_text(figures.read_text().replace("value: 6000", "value: 6500", 1))
    (copy / "output/en/decks/life-science-medtech-en.pptx").unlink()
    (copy / "output/en/decks/international-health-ruhr-en.pdf").unlink()
    result = subprocess.run(
        [
            sys.executable,
            str(copy / "make_materials.py"),
            "list",
            "--lang",
            "en",
            "--out",
            str(copy / "output"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=copy,
    )
    lines = result.stdout.splitlines()
    assert any(
        "digital-health-en-print.pdf" in row
        and "outdated: figure digital_health_specialists changed" in row
        for row in lines
    )
    assert any(
        row.startswith("en/decks/life-science-medtech-en.pptx ")
        and row.endswith(" missing en/decks/life-science-medtech-en.pptx")
        for row in lines
    )
    assert any(
        row.startswith("en/decks/international-health-ruhr-en.pptx ")
        and row.endswith(" missing en/decks/international-health-ruhr-en.pdf")
        for row in lines
    )
    assert any("medtech-en-print.pdf" in row and "up to date" in row for row in lines)


def test_fingerprints_do_not_depend_on_folders(content_copy: Path) -> None:
    here = plan(load_content(CONTENT).content, Options(languages=("en",)), load_kinds())
    there = plan(load_content(content_copy).content, Options(languages=("en",)), load_kinds())
    assert [t.fingerprint for t in here] == [t.fingerprint for t in there]


def test_two_clean_builds_in_different_folders_on_different_days_are_byte_identical(
    english: tuple[Path, Path], tmp_path: Path
) -> None:
    faketime = shutil.which("faketime")
    assert faketime, "faketime is missing: `make test` installs it (Debian package faketime)"
    root = project_copy(tmp_path)
    out = tmp_path / "elsewhere" / "out"
    env = {**os.environ, "TZ": "Pacific/Kiritimati"}
    result = subprocess.run(
        [
            faketime,
            "2031-05-05 10:00:00",
            sys.executable,
            str(root / "make_materials.py"),
            "build",
            "--out",
            str(out),
            "--lang",
            "en",
            "--jobs",
            "2",
            "--no-preflight",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=root,
    )
    assert result.returncode == 0, result.stderr
    first, second = every_file(english[1]), every_file(out)
    assert {"manifest.json", "index.html"} <= set(first)
    assert any(path.startswith("thumbnails/") for path in first)
    differ = sorted(
        path for path in first.keys() | second.keys() if first.get(path) != second.get(path)
    )
    assert not differ, f"not byte-identical: {differ}"


def test_a_failing_target_keeps_its_old_file_and_the_others_finish(
    english: tuple[Path, Path], tmp_path: Path
) -> None:
    root, out = english
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("output"), symlinks=True)
    shutil.copytree(out, copy / "output")
    old = digests(copy / "output")
    deck = copy / "content/decks/life-science-medtech.yaml"
    deck.write_text(
        deck.read_text().replace(
            "en: Life Science & MedTech in the Ruhr", "en: " + "Overlong title " * 60, 1
        )
    )
    fig = copy / "content/figures.yaml"
    fig.write_text(fig.read_text().replace("value: 6000", "value: 6500", 1))
    result = run_build(copy, copy / "output", "--lang", "en", "--jobs", "2")
    assert result.returncode == 1
    assert "failed  deck life-science-medtech en" in result.stderr
    new = digests(copy / "output")
    assert (
        new["en/decks/life-science-medtech-en.pptx"] == old["en/decks/life-science-medtech-en.pptx"]
    )
    assert (
        new["en/brochures/digital-health-en-print.pdf"]
        != old["en/brochures/digital-health-en-print.pdf"]
    )
    assert "1 failed" in result.stderr


@pytest.mark.slow
def test_a_killed_build_leaves_only_complete_files(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    out = root / "output"
    command = [
        sys.executable,
        str(root / "make_materials.py"),
        "build",
        "--out",
        str(out),
        "--lang",
        "de",
        "--only",
        "brochures",
        "--jobs",
        "2",
        "--no-preflight",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=root,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.rglob("*.pdf"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for pdf in out.rglob("*.pdf"):
        with pikepdf.open(pdf) as document:
            assert len(document.pages) >= 4
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=root)
    assert result.returncode == 0, result.stderr
    assert not list(out.rglob("*.part"))
    assert len(list(out.rglob("*.pdf"))) == 14
    again = subprocess.run(command, capture_output=True, text=True, check=False, cwd=root)
    assert "0 built" in again.stdout


def test_manifest_lists_every_output(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    rows = manifest["outputs"]
    files = digests(built)
    assert {row["path"] for row in rows} == set(files)
    for row in rows:
        assert row["sha256"] == files[row["path"]]
        assert row["size"] == (built / row["path"]).stat().st_size
        assert row["kind"] in {kind.name for kind in load_kinds()}
        assert row["lang"] in ("de", "en", "fr", "ja")
        assert len(row["fingerprint"]) == 64 and isinstance(row["figure_ids"], list)
    decks = [row for row in rows if row["kind"] == "deck" and row["variant"] == "pptx"]
    assert decks and all(Presentation(str(built / row["path"])).slides for row in decks)


def test_changes_report_names_outputs_and_figures(
    english: tuple[Path, Path], tmp_path: Path
) -> None:
    _, _, result = rebuild_after(
        english, tmp_path, ("content/figures.yaml", "value: 6000", "value: 6500")
    )
    assert result.returncode == 0
    copy = tmp_path / "copy"
    again = subprocess.run(
        [
            sys.executable,
            str(copy / "make_materials.py"),
            "build",
            "--lang",
            "en",
            "--changes",
            "--out",
            str(copy / "output"),
            "--no-preflight",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=copy,
    )
    assert "no output changed" in again.stdout
    figures = copy / "content/figures.yaml"
    figures.write_text(figures.read_text().replace("value: 6500", "value: 6000", 1))
    third = subprocess.run(
        [
            sys.executable,
            str(copy / "make_materials.py"),
            "build",
            "--lang",
            "en",
            "--changes",
            "--out",
            str(copy / "output"),
            "--no-preflight",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=copy,
    )
    assert (
        "changed  en/brochures/digital-health-en-print.pdf (figures: "
        "digital_health_specialists)" in third.stdout
    )
    report = json.loads((copy / "output/changes.json").read_text())
    assert report["changed"]


@pytest.mark.slow
def test_watch_rebuilds_a_saved_file(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    out = root / "output"
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            str(root / "make_materials.py"),
            "watch",
            "--out",
            str(out),
            "--lang",
            "en",
            "--only",
            "campus-bochum",
            "--jobs",
            "1",
            "--no-preflight",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=root,
    )
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    reader = threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True
    )
    reader.start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return
        raise AssertionError(f"no {text!r} in {seen}")

    try:
        wait_for("watching")  # said once the watcher runs
        campus = root / "content/sites/campus-bochum.yaml"
        campus.write_text(
            campus.read_text().replace(
                "en: GesundheitsCampus Bochum", "en: GesundheitsCampus Bochum (Ruhr)", 1
            )
        )
        wait_for("built   brochure campus-bochum en")
        time.sleep(1)
        css = next((root / "templates/brochures").glob("*.css"))
        css.write_text(css.read_text() + "\n/* saved */\n")
        wait_for("changed: " + css.name)
        wait_for("built   brochure campus-bochum en")
        time.sleep(1)
        campus.write_text("title: [broken\n")
        wait_for("content has errors")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        wait_for("stopped watching")
    finally:
        process.kill()
        process.wait()
        reader.join(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_a_deleted_deck_loses_its_outputs(built: Path, tmp_path: Path) -> None:
    copy = project_copy(tmp_path)
    shutil.copytree(built, copy / "output")  # every language: only the deck is out of date
    (copy / "content/decks/life-science-medtech.yaml").unlink()
    result = subprocess.run(
        [
            sys.executable,
            str(copy / "make_materials.py"),
            "build",
            "--changes",
            "--only",
            "decks",
            "--out",
            str(copy / "output"),
            "--no-preflight",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=copy,
    )
    assert result.returncode == 0, result.stderr
    assert (copy / "output/en/decks/life-science-medtech-en.pptx").is_file()  # --only: kept
    result = subprocess.run(
        [
            sys.executable,
            str(copy / "make_materials.py"),
            "build",
            "--changes",
            "--out",
            str(copy / "output"),
            "--no-preflight",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=copy,
    )
    assert result.returncode == 0, result.stderr
    assert not list((copy / "output").rglob("life-science-medtech-*"))
    assert "removed  en/decks/life-science-medtech-en.pptx" in result.stdout
