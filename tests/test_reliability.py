"""A build's folder stays consistent: finished after a kill, one clear line when the output or
cache folder cannot be written, no leftovers, no process left behind, one user at a time."""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from bmr_materials.shared.printprofile import output_profile
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow
SMALL = ("--lang", "en", "--only", "campus-bochum", "--jobs", "1")


def command(out: Path, *args: str, verb: str = "build") -> list[str]:
    """The command line of `verb` on the shipped content (unless `args` name another)."""
    content = (
        () if verb == "clean" or "--content" in args else ("--content", str(PROJECT / "content"))
    )
    return [
        sys.executable,
        str(PROJECT / "make_materials.py"),
        verb,
        "--out",
        str(out),
        *content,
        *args,
    ]


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [*prefix, *cmd],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def every_file(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder` (a file: of itself), by relative path."""
    if folder.is_file():
        return {".": hashlib.sha256(folder.read_bytes()).hexdigest()}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One English campus brochure (print and screen), built with preflight."""
    out = tmp_path_factory.mktemp("small") / "out"
    result = run(command(out, *SMALL), cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return out


# --- a kill after the last output: the next build finishes the catalog and preflight ------


def test_a_build_killed_after_its_last_output_is_finished_by_the_next(
    content_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = (
        "--content",
        str(content_copy),
        "--lang",
        "en",
        "--only",
        "digital-health",
        "--jobs",
        "1",
    )
    assert run(command(out, *args), cwd=tmp_path).returncode == 0
    assert "6,000" in (out / "index.html").read_text()
    old_thumbnails = sorted((out / "thumbnails").iterdir())
    figures = content_copy / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 6000", "value: 6500", 1))

    killed = run(command(out, *args), cwd=tmp_path, env={"BMR_FAULTS": "kill:outputs-written"})
    assert killed.returncode == -signal.SIGKILL
    manifest = json.loads((out / "manifest.json").read_text())
    shas = {row["path"]: row["sha256"] for row in manifest["outputs"]}
    assert shas == {path: sha for path, sha in every_file(out).items() if path in shas}
    assert "6,000" in (out / "index.html").read_text(), "the kill came before the catalog"
    assert sorted((out / "thumbnails").iterdir()) == old_thumbnails
    assert all(manifest["finished"]["preflight"].get(p) != sha for p, sha in shas.items())

    again = run(command(out, *args), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"0 built, {len(shas)} up to date" in again.stdout  # every kind's digital-health
    html = (out / "index.html").read_text()
    assert "6,500" in html and "6,000" not in html
    screens = [sha[:12] for path, sha in shas.items() if path.endswith("-screen.pdf")]
    thumbnails = sorted(p.name for p in (out / "thumbnails").iterdir())
    assert thumbnails and all(any(s in name for s in screens) for name in thumbnails)
    brochure = shas["en/brochures/digital-health-en-screen.pdf"][:12]
    assert any(brochure in name for name in thumbnails)
    assert json.loads((out / "manifest.json").read_text())["finished"]["preflight"] == shas


def test_a_file_that_failed_preflight_is_checked_again(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(small, out)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["finished"]["preflight"] = {}  # as a build leaves it when preflight found errors
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = run(command(out, *SMALL, "--verbose"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "preflight" in result.stdout and "0 built" in result.stdout
    finished = json.loads((out / "manifest.json").read_text())["finished"]["preflight"]
    assert finished == {row["path"]: row["sha256"] for row in manifest["outputs"]}


# --- the output or cache folder cannot be written: one line, exit 1, nothing changed ---------


def _read_only(folder: Path) -> tuple[str, ...]:
    """A command prefix that runs the build with `folder` mounted read-only (a private mount
    namespace: the mount ends with the process)."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux)")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("needs a mount namespace (root)")
    script = (
        f'mount --make-rprivate / && mount --bind "{folder}" "{folder}" && '
        f'mount -o remount,bind,ro "{folder}" && exec "$@"'
    )
    return ("unshare", "-m", "sh", "-c", script, "sh")


def _no_permission(folder: Path) -> tuple[str, ...]:
    """A command prefix that runs the build without root's power to ignore permissions, the
    folder made read-and-enter only."""
    folder.chmod(0o555)
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux)")
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")


Setup = Callable[[Path, Path], tuple[tuple[str, ...], dict[str, str]]]


def output_read_only(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    return _read_only(out), {}


def output_full(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    return (), {"BMR_FAULTS": f"ENOSPC:{out}"}


def output_forbidden(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    return _no_permission(out / "en" / "brochures"), {}


def output_is_a_file(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    shutil.rmtree(out)
    out.write_text("not a folder")
    return (), {}


def thumbnails_is_a_file(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    shutil.rmtree(out / "thumbnails")
    (out / "thumbnails").write_text("not a folder")
    (out / "index.html").unlink()  # the catalog must be made again
    return (), {}


def render_cache_full(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    _seed_print_profile(cache)  # a new cache: the charts must be drawn again
    return (), {"IHR_CACHE_DIR": str(cache), "BMR_FAULTS": f"ENOSPC:{cache / 'render'}"}


def _seed_print_profile(cache: Path) -> None:
    """Give a new cache the print profile (making it takes half a minute)."""
    made = output_profile()
    (cache / made.parent.name).mkdir(parents=True)
    shutil.copy(made, cache / made.parent.name / made.name)


def cache_read_only(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    cache.mkdir()
    return _read_only(cache), {"IHR_CACHE_DIR": str(cache)}


def cache_full(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    return (), {"IHR_CACHE_DIR": str(cache), "BMR_FAULTS": f"ENOSPC:{cache}"}


def cache_forbidden(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    cache.mkdir()
    return _no_permission(cache), {"IHR_CACHE_DIR": str(cache)}


def cache_is_a_file(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    cache.write_text("not a folder")
    return (), {"IHR_CACHE_DIR": str(cache)}


def manifest_full(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    return (), {"BMR_FAULTS": f"ENOSPC:{out / 'manifest.json'}"}


def thumbnails_full(out: Path, cache: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    (out / "index.html").unlink()  # the catalog must be made again
    shutil.rmtree(out / "thumbnails")
    return (), {"BMR_FAULTS": f"ENOSPC:{out / 'thumbnails'}"}


FORCED = ("build", "--force", *SMALL)
OUT = "cannot write to the output folder out: "
CACHE = "cannot write to the cache folder "


FAILURES = [
    (FORCED, output_read_only, OUT + "Read-only file system"),
    (("build", *SMALL), output_read_only, OUT + "Read-only file system"),  # nothing to do
    (("clean",), output_read_only, OUT + "Read-only file system"),
    (FORCED, output_full, OUT + "No space left on device"),
    (FORCED, manifest_full, OUT + "No space left on device"),
    (("build", *SMALL), thumbnails_full, OUT + "No space left on device"),
    (FORCED, output_forbidden, OUT + "Permission denied"),
    (FORCED, output_is_a_file, OUT + "out is a file, not a folder"),
    (FORCED, thumbnails_is_a_file, OUT + "out/thumbnails is a file, not a folder"),
    (FORCED, render_cache_full, CACHE + "cache: No space left on device"),
    (FORCED, cache_read_only, CACHE + "cache: Read-only file system"),
    (FORCED, cache_full, CACHE + "cache: No space left on device"),
    (FORCED, cache_forbidden, CACHE + "cache: Permission denied"),
    (FORCED, cache_is_a_file, CACHE + "cache: cache is a file, not a folder"),
]


@pytest.mark.parametrize(
    ("args", "setup", "message"),
    FAILURES,
    ids=[
        f"{setup.__name__}-{'forced-' if '--force' in args else ''}{args[0]}"
        for args, setup, _ in FAILURES
    ],
)
def test_a_folder_that_cannot_be_written_ends_in_one_line(
    small: Path, tmp_path: Path, args: tuple[str, ...], setup: Setup, message: str
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    shutil.copytree(small, out)
    prefix, env = setup(out, cache)
    before = every_file(out)
    try:
        result = run(command(out, *args[1:], verb=args[0]), cwd=tmp_path, env=env, prefix=prefix)
    finally:
        for folder in (out, out / "en" / "brochures", cache):
            if folder.is_dir():
                folder.chmod(0o755)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [f"error: {message}"]
    assert "Traceback" not in result.stdout
    assert every_file(out) == before, "the previous outputs and manifest are unchanged"


# --- leftovers of killed builds in the cache ---------------------------------------------------


def test_a_build_removes_what_killed_builds_left_in_the_caches(small: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    shutil.copytree(small, out)
    _seed_print_profile(cache)
    env = {"IHR_CACHE_DIR": str(cache)}
    assert run(command(out, "--force", *SMALL), cwd=tmp_path, env=env).returncode == 0  # fonts
    fonts = next((cache / "fonts").iterdir())
    soffice = cache / "soffice"
    stale = [
        fonts / ".SourceSans3-Bold.ttf.x1y2z3.part",
        soffice / ".fonts.conf.a1b2c3.part",
        out / "en/brochures/.campus-bochum-en-print.pdf.q1w2e3.part",
        cache / "render/charts/.chart.svg.r4t5y6.part",
        soffice / "conversion-k3j4l5/deck.pptx",
        soffice / "profile/.lock",
        soffice / "profile-d4f5g6/user/registrymodifications.xcu",  # a killed warm instance's
    ]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"left by a killed build")
    kept = [soffice / "profile-seed/user/registrymodifications.xcu"]
    kept.append(soffice / "profile-h7j8k9/user/registrymodifications.xcu")  # a running one's
    for path in kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"in use")
    running = subprocess.Popen(["sh", "-c", "sleep 120", (soffice / "profile-h7j8k9").as_uri()])
    live = fonts / ".SourceSans3-Italic.ttf.live01.part"
    with live.open("wb") as handle:  # a write in progress in another process keeps its file
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            result = run(command(out, *SMALL), cwd=tmp_path, env=env)
        finally:
            running.kill()
            running.wait()
        assert live.is_file()
    assert all(path.is_file() for path in kept)
    assert result.returncode == 0, result.stderr
    assert [p for p in stale if p.exists()] == []
    assert not (soffice / "conversion-k3j4l5").exists()
    assert sorted(p.name for p in fonts.iterdir()) == [
        ".SourceSans3-Italic.ttf.live01.part",
        "SourceSans3-Bold.ttf",
        "SourceSans3-Italic.ttf",
        "SourceSans3-Regular.ttf",
        "SourceSans3-SemiBold.ttf",
    ]


# --- SIGTERM and Ctrl-C: workers and LibreOffice stop, nothing left running ------------------


def _descendants(pid: int, seen: dict[int, tuple[str, float]]) -> None:
    """Add every living descendant of `pid` (found by walking /proc) to `seen`."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            seen[child.pid] = (child.name(), child.create_time())
        except psutil.Error:
            continue


def _still_running(seen: dict[int, tuple[str, float]]) -> list[str]:
    running = []
    for pid, (name, started) in seen.items():
        try:
            process = psutil.Process(pid)
            if process.create_time() == started and process.status() != psutil.STATUS_ZOMBIE:
                running.append(f"{name} ({pid})")
        except psutil.Error:
            continue
    return running


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "stopped"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_stopped_build_leaves_nothing_running_and_no_half_file(
    tmp_path: Path, signum: int, code: int, said: str
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        command(out, "--lang", "en", "--only", "decks", "--jobs", "2", "--no-preflight"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    seen: dict[int, tuple[str, float]] = {}
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        _descendants(process.pid, seen)
        if any(name in ("soffice.bin", "oosplash") for name, _ in seen.values()):
            break
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before LibreOffice started"
    time.sleep(0.5)
    _descendants(process.pid, seen)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert err.strip().splitlines()[-1] == said and "Traceback" not in err
    names = {name for name, _ in seen.values()}
    assert "soffice.bin" in names and len(seen) >= 4  # forkserver, tracker, workers, soffice
    deadline = time.monotonic() + 20  # the forkserver and tracker end when they see EOF
    while _still_running(seen) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _still_running(seen) == []
    assert not list(out.rglob("*.part"))
    for path in out.rglob("*.pptx"):
        from pptx import Presentation

        assert Presentation(str(path)).slides


# --- one user of an output folder at a time ----------------------------------------------------


def test_clean_during_a_build_is_refused_and_loses_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build = subprocess.Popen(
        command(out, "--lang", "en", "--only", "brochures", "--jobs", "1", "--no-preflight"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.rglob("*.pdf")):
        time.sleep(0.05)
    cleaned = run(command(out, verb="clean"), cwd=tmp_path)
    watched = run(command(out, "--lang", "en", verb="watch"), cwd=tmp_path)
    _, err = build.communicate(timeout=600)
    assert build.returncode == 0, err
    for result in (cleaned, watched):
        assert result.returncode == 1
        assert (
            result.stderr.strip()
            == "error: another build, watch or clean is using out: wait for it to end"
        )
    manifest = json.loads((out / "manifest.json").read_text())
    files = every_file(out)
    assert len(manifest["outputs"]) == 14
    assert all(files.get(row["path"]) == row["sha256"] for row in manifest["outputs"])
    assert run(command(out, verb="clean"), cwd=tmp_path).returncode == 0
    assert not list(out.rglob("*.pdf"))


def test_watch_holds_the_folder_between_rebuilds_and_sigterm_stops_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    watch = subprocess.Popen(
        command(out, *SMALL, "--no-preflight", verb="watch"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
    )
    lines = []
    for line in watch.stdout or []:
        lines.append(line)
        if line.startswith("watching "):
            break
    cleaned = run(command(out, verb="clean"), cwd=tmp_path)
    assert cleaned.returncode == 1, cleaned.stdout
    assert "another build, watch or clean is using out" in cleaned.stderr
    watch.send_signal(signal.SIGTERM)
    rest, _ = watch.communicate(timeout=60)
    assert watch.returncode == 143, "".join(lines) + rest
    assert rest.splitlines()[-1] == "stopped" and "Traceback" not in rest
    assert len(list(out.rglob("*.pdf"))) == 2


def test_a_part_file_younger_than_the_build_is_left_to_its_writer(tmp_path: Path) -> None:
    """Between creating its `.part` file and locking it a writer holds no lock: a build
    starting beside it must not take that file for a killed write's (it removes only parts
    older than itself)."""
    import os

    from bmr_materials.shared import repro

    old, young = tmp_path / ".a.pdf.x.part", tmp_path / ".b.pdf.y.part"
    old.write_bytes(b"left by a killed build")
    young.write_bytes(b"a live writer's, not locked yet")
    os.utime(old, (repro.STARTED - 60, repro.STARTED - 60))
    repro.remove_stale_parts(tmp_path)
    assert not old.exists() and young.exists()
