"""Take a deck's PPTX bytes; produce a reproducible PDF of its slides with LibreOffice.

LibreOffice Impress (headless, in a private profile of this process) converts the deck, one
page per slide, speaker notes left out, with Source Sans 3 found through a fontconfig file
listing the static instances (a brand font the content ships through one that also adds a
copy of its files: `fonts_config`). pikepdf then fixes the dates (document info and XMP) to
the build timestamp and derives the document /ID from the content, so the bytes are the same
on every run.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import json
import multiprocessing.util
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from bmr_materials.errors import RenderError

LIBREOFFICE_HINT = (
    "deck PDFs need LibreOffice Impress: apt-get install libreoffice-impress "
    "python3-uno (make setup installs them)"
)
TIMEOUT = 240
# LibreOffice's PDF export settings (its defaults otherwise). Pictures keep their resolution:
# the default resamples every picture above 300 dpi and re-encodes it, which took three
# quarters of a deck's conversion and made the file larger.
EXPORT = {"ReduceImageResolution": False}
CONVERSION = "conversion-"  # the temporary folder of one conversion (removed after it)
WARM_PROFILE = "profile-"  # the profile folder of one warm instance (removed after it)
SEED = "profile-seed"  # the profile a cleanly ended instance left, copied for the next ones


@cache
def libreoffice() -> str | None:
    """Path of soffice (or libreoffice), or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def _workdir() -> Path:
    """The builder's LibreOffice folder (profile and fontconfig file) in its cache. One
    folder serves every process: conversions run one at a time, and the profile stays warm."""
    from bmr_materials.shared.fonts import cache_root, static_fonts
    from bmr_materials.shared.repro import atomic_write

    folder = cache_root() / "soffice"
    fonts = sorted({path.parent for path in static_fonts().values()})
    dirs = "".join(f"<dir>{d}</dir>" for d in fonts)
    atomic_write(
        folder / "fonts.conf",
        (
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
            f"{dirs}<cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>"
        ).encode(),
    )
    return folder


def fonts_config(work: Path, fonts: tuple[Path, ...]) -> Path:
    """The fontconfig file LibreOffice runs with: the builder's own (`work`/fonts.conf), or
    for a brand font the content ships, one that also adds a copy of `fonts` in a folder
    named by their bytes (a changed file is a new folder: fontconfig's cache never serves
    the old one)."""
    from bmr_materials.shared.repro import atomic_write

    base = work / "fonts.conf"
    if not fonts:
        return base
    digest = hashlib.sha256()
    for path in fonts:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    name = digest.hexdigest()[:16]
    folder = work / "brand-fonts" / name
    for path in fonts:
        if not (folder / path.name).is_file():
            atomic_write(folder / path.name, path.read_bytes())
    config = work / f"fonts-{name}.conf"
    if not config.is_file():
        atomic_write(
            config,
            (
                '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                f"<include>{base}</include><dir>{folder}</dir></fontconfig>"
            ).encode(),
        )
    return config


@contextlib.contextmanager
def _flock(path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold the lock file `path`; yield False at once (not held) when `wait` is False and
    another process holds it."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _one_libreoffice_at_a_time() -> contextlib.AbstractContextManager[bool]:
    """The machine-wide lock for LibreOffice: one instance takes about 200 MB, and two at
    once push a parallel build past its memory budget for no gain in time."""
    return _flock(Path(tempfile.gettempdir()) / "ihr-materials-soffice.lock")


def _folder_in_use(work: Path, wait: bool = True) -> contextlib.AbstractContextManager[bool]:
    """The lock of one LibreOffice folder, held by every conversion in it."""
    return _flock(work / "conversion.lock", wait)


def remove_leftovers() -> None:
    """Delete what killed conversions left in the LibreOffice folder (their temporary
    folders, the profile's lock), unless a conversion is running in it now."""
    from bmr_materials.shared.fonts import cache_root

    folder = cache_root() / "soffice"
    if folder.is_dir():
        with _folder_in_use(folder, wait=False) as free:
            if free:
                _remove_leftovers_in(folder)


def _remove_leftovers_in(folder: Path) -> None:
    """Under the folder's lock: no conversion runs, so its folders and lock are stale; so is
    a warm instance's profile that no running process names and that is older than this
    process (a killed build's)."""
    for tmp in folder.glob(f"{CONVERSION}*"):
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
    (folder / "profile" / ".lock").unlink(missing_ok=True)
    profiles = [p for p in folder.glob(f"{WARM_PROFILE}*") if p.is_dir() and p.name != SEED]
    if profiles:
        from bmr_materials.shared.repro import STARTED

        named = _command_lines()
        for profile in profiles:
            stale = profile.stat().st_mtime < STARTED
            if stale and not any(profile.as_uri().encode() in line for line in named):
                shutil.rmtree(profile, ignore_errors=True)


def _command_lines() -> list[bytes]:
    """The command lines of this machine's processes (those this user may read)."""
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                lines.append((entry / "cmdline").read_bytes())
    return lines


def _run_soffice(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """Run LibreOffice in a process group of its own; whatever stops it early (the timeout,
    SIGTERM, Ctrl-C) takes the whole group (soffice starts soffice.bin) with it."""
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    ) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def deck_pdf(pptx: bytes, timestamp: dt.datetime, fonts: tuple[Path, ...] = ()) -> bytes:
    """The slides of `pptx` as a PDF whose bytes depend only on the deck, `timestamp` and the
    brand font files `fonts` the content ships (none: installed fonts and Source Sans 3)."""
    raw = convert(pptx, fonts)
    return make_reproducible(raw, timestamp, hashlib.sha256(pptx).digest()[:16])


def convert(pptx: bytes, fonts: tuple[Path, ...] = ()) -> bytes:
    """LibreOffice's PDF of `pptx` (one page per slide, no notes pages): through the warm
    LibreOffice of this process where LibreOffice's Python bridge is installed, else through
    a LibreOffice started for this deck alone."""
    soffice = libreoffice()
    if soffice is None:
        raise RenderError(f"LibreOffice not found: {LIBREOFFICE_HINT}")
    work = _workdir()
    config = fonts_config(work, fonts)
    if warm_wanted():
        with tempfile.TemporaryDirectory(prefix="warm-", dir=work) as tmp:
            source, result = Path(tmp) / "deck.pptx", Path(tmp) / "deck.pdf"
            source.write_bytes(pptx)
            _warm_office(soffice, work).convert(source, result, config)
            return result.read_bytes()
    with _one_libreoffice_at_a_time(), _folder_in_use(work):
        _remove_leftovers_in(work)
        return _convert_in(soffice, work, pptx, config)


def _convert_in(soffice: str, work: Path, pptx: bytes, config: Path) -> bytes:
    """Convert in a temporary folder of `work` that also holds LibreOffice's own temp files."""
    with tempfile.TemporaryDirectory(prefix=CONVERSION, dir=work) as tmp:
        source = Path(tmp) / "deck.pptx"
        source.write_bytes(pptx)
        env = {**_environment(work, config), "TMPDIR": tmp}
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--convert-to",
            f"pdf:impress_pdf_Export:{_export_json()}",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            done = _run_soffice(command, env)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice did not convert the deck within {TIMEOUT} s") from None
        result = Path(tmp) / "deck.pdf"
        if done.returncode != 0 or not result.is_file():
            said = (done.stderr or done.stdout).decode(errors="replace").strip()[-400:]
            raise RenderError(
                f"LibreOffice could not convert the deck to PDF "
                f"(exit {done.returncode}): {said or 'no message'}"
            )
        return result.read_bytes()


# glibc's allocator in LibreOffice: one arena (its threads otherwise each keep their own) and
# freed memory given back early. A warm LibreOffice converting a build's decks grew to 407 MB
# resident without, 265 MB with; conversions take as long.
SMALL_HEAP = {"MALLOC_ARENA_MAX": "1", "MALLOC_TRIM_THRESHOLD_": "131072"}


def _environment(work: Path, config: Path) -> dict[str, str]:
    return {
        **os.environ,
        **SMALL_HEAP,
        "FONTCONFIG_FILE": str(config),
        "HOME": str(work),
        "SAL_USE_VCLPLUGIN": "svp",
    }


def _export_json() -> str:
    """EXPORT in the JSON form --convert-to takes."""
    kinds = {bool: "boolean", int: "long", str: "string"}
    return json.dumps(
        {
            name: {
                "type": kinds[type(value)],
                "value": str(value).lower() if isinstance(value, bool) else str(value),
            }
            for name, value in EXPORT.items()
        },
        separators=(",", ":"),
    )


# --- the warm LibreOffice -------------------------------------------------------------------

UNO_PYTHON = "/usr/bin/python3"  # the Python Debian's python3-uno is built for
WARM_ENV = "MATERIALS_WARM_LIBREOFFICE"  # "0": start LibreOffice for every deck instead


@cache
def warm_wanted() -> bool:
    """Whether decks convert through one LibreOffice kept running (python3-uno installed and
    not switched off with MATERIALS_WARM_LIBREOFFICE=0)."""
    if os.environ.get(WARM_ENV, "1") == "0" or not os.access(UNO_PYTHON, os.X_OK):
        return False
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


_OFFICE: dict[str, WarmOffice] = {}


def _warm_office(soffice: str, work: Path) -> WarmOffice:
    """This process's LibreOffice for the folder `work`; one left running for another folder
    (another cache) is stopped first."""
    office = _OFFICE.get("office")
    if office is not None and (office.work, office.soffice) != (work, soffice):
        close()
    if "office" not in _OFFICE:
        _OFFICE["office"] = WarmOffice(soffice, work)
        atexit.register(close)
        # pool workers leave through multiprocessing, which skips atexit but runs these
        multiprocessing.util.Finalize(None, close, exitpriority=100)
    return _OFFICE["office"]


def start_warm_office(fonts: tuple[Path, ...] = ()) -> None:
    """Start this process's LibreOffice now, with the brand font files `fonts` the content
    ships (it starts in the background, while the first deck is laid out)."""
    soffice = libreoffice()
    if soffice is not None and warm_wanted():
        work = _workdir()
        _warm_office(soffice, work).start(fonts_config(work, fonts))


def close() -> None:
    """End this process's LibreOffice, if one runs; wait until it is gone."""
    office = _OFFICE.pop("office", None)
    if office is not None:
        office.stop()


class WarmOffice:
    """One LibreOffice kept running through unobridge.py (beside this module); restarted
    when it died."""

    def __init__(self, soffice: str, work: Path) -> None:
        self.soffice, self.work = soffice, work
        self.bridge: subprocess.Popen[str] | None = None
        self.config = work / "fonts.conf"  # the fontconfig file the running one started with
        self.profile: Path | None = None
        self.office: int | None = None  # the process group of LibreOffice, once it answered
        self.ready = False

    def start(self, config: Path | None = None) -> None:
        """Start the bridge (and with it LibreOffice) unless it runs with fontconfig file
        `config` (by default the one it has) already; with another one, start it again."""
        config = config or self.config
        if self.bridge is not None and self.bridge.poll() is None:
            if config == self.config:
                return
            self.stop()
        self.config = config
        script = Path(__file__).with_name("unobridge.py")
        self.profile = _fresh_profile(self.work)
        self.bridge = subprocess.Popen(
            [UNO_PYTHON, "-I", str(script), self.soffice, self.profile.as_uri()],
            env=_environment(self.work, self.config),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        self.ready = False

    def convert(self, source: Path, result: Path, config: Path) -> None:
        """Write the PDF of `source` to `result` with the fonts of fontconfig file `config`;
        restart LibreOffice once if it died."""
        try:
            self._convert(source, result, config)
        except _BridgeLost:
            self.stop()
            self._convert(source, result, config)

    def _convert(self, source: Path, result: Path, config: Path) -> None:
        self.start(config)
        if not self.ready:
            self.office = self._reply().get("office")
            self.ready = True
        assert self.bridge is not None and self.bridge.stdin is not None
        try:
            self.bridge.stdin.write(
                json.dumps({"in": str(source), "out": str(result), "export": EXPORT}) + "\n"
            )
            self.bridge.stdin.flush()
        except BrokenPipeError:
            raise _BridgeLost from None
        self._reply()
        if not result.is_file():
            raise RenderError("LibreOffice wrote no PDF for the deck")

    def _reply(self) -> dict[str, Any]:
        assert self.bridge is not None and self.bridge.stdout is not None
        line = self.bridge.stdout.readline()
        if not line:
            raise _BridgeLost
        reply: dict[str, Any] = json.loads(line)
        if reply.get("ok") is False:
            if self.bridge.poll() is not None or "DisposedException" in reply["error"]:
                raise _BridgeLost
            raise RenderError(f"LibreOffice could not convert the deck to PDF: {reply['error']}")
        return reply

    def stop(self) -> None:
        """End the bridge, which ends LibreOffice's whole process group first."""
        bridge, self.bridge = self.bridge, None
        if bridge is None:
            return
        clean = bridge.poll() is None
        with contextlib.suppress(OSError):
            if bridge.stdin is not None:
                bridge.stdin.close()
        try:
            bridge.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bridge.kill()
            bridge.wait()
        if bridge.stdout is not None:
            bridge.stdout.close()
        _end_group(self.office, self.profile)  # should the bridge not have ended it
        self.office = None
        if self.profile is not None:
            _keep_as_seed(self.profile, self.work, clean and bridge.returncode == 0)
            self.profile = None


def _end_group(leader: int | None, profile: Path | None) -> None:
    """Kill the process group of a LibreOffice still running on `profile`."""
    if leader is None or profile is None:
        return
    try:
        command = Path(f"/proc/{leader}/cmdline").read_bytes()
    except OSError:
        return  # gone already
    if str(profile).encode() in command:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(leader, signal.SIGKILL)


def _fresh_profile(work: Path) -> Path:
    """A LibreOffice profile for one warm instance alone (builds side by side each have their
    own), copied from the seed profile a finished instance left, which saves its first start."""
    folder = Path(tempfile.mkdtemp(prefix=WARM_PROFILE, dir=work))
    seed = work / SEED
    if seed.is_dir():
        with contextlib.suppress(OSError):
            shutil.copytree(seed, folder, dirs_exist_ok=True)
    return folder


def _keep_as_seed(profile: Path, work: Path, clean: bool) -> None:
    """Keep a cleanly ended instance's profile as the seed of the next ones (if there is none
    yet); remove it otherwise."""
    seed = work / SEED
    if clean and not seed.exists():
        with contextlib.suppress(OSError):
            profile.rename(seed)
            return
    shutil.rmtree(profile, ignore_errors=True)


class _BridgeLost(Exception):
    """The bridge or its LibreOffice ended unexpectedly."""


def make_reproducible(pdf: bytes, timestamp: dt.datetime, ident: bytes) -> bytes:
    """`pdf` with fixed dates, no producer timestamps and an /ID made from `ident`."""
    import pikepdf

    when = timestamp.astimezone(dt.UTC)
    stamp = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        info = doc.docinfo
        info["/CreationDate"] = pikepdf.String(stamp)
        info["/ModDate"] = pikepdf.String(stamp)
        if "/Metadata" in doc.Root:
            with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
                for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                    if key in meta:
                        meta[key] = iso
        if "/DocChecksum" in doc.trailer:  # LibreOffice's checksum covers its own timestamps
            del doc.trailer["/DocChecksum"]
        doc.trailer.ID = pikepdf.Array([pikepdf.String(ident), pikepdf.String(ident)])
        out = io.BytesIO()
        doc.save(out, static_id=True, deterministic_id=False)
    data = out.getvalue()
    return _swap_static_id(data, ident)


_STATIC = bytes.fromhex("31415926535897932384626433832795")


def _swap_static_id(data: bytes, ident: bytes) -> bytes:
    """qpdf's static /ID replaced by `ident` (both written as <hex> strings)."""
    old, new = _STATIC.hex().encode(), ident.hex().encode()
    if old not in data:
        return data
    return data.replace(old, new)
