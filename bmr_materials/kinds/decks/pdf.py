"""Take a deck's PPTX bytes; produce a reproducible PDF of its slides with LibreOffice.

LibreOffice Impress (headless, in a private profile of this process) converts the deck, one
page per slide, speaker notes left out, with Source Sans 3 found through a fontconfig file
listing the static instances. pikepdf then fixes the dates (document info and XMP) to the
build timestamp and derives the document /ID from the content, so the bytes are the same on
every run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from bmr_materials.errors import RenderError

LIBREOFFICE_HINT = ("deck PDFs need LibreOffice Impress: apt-get install libreoffice-impress "
                    "(make test installs it)")
TIMEOUT = 240
CONVERSION = "conversion-"  # the temporary folder of one conversion (removed after it)


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
    atomic_write(folder / "fonts.conf", (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'{dirs}<cachedir>{folder / "fc-cache"}</cachedir></fontconfig>').encode())
    return folder


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
    """Under the folder's lock: no conversion runs, so its folders and lock are stale."""
    for tmp in folder.glob(f"{CONVERSION}*"):
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
    (folder / "profile" / ".lock").unlink(missing_ok=True)


def _run_soffice(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """Run LibreOffice in a process group of its own; whatever stops it early (the timeout,
    SIGTERM, Ctrl-C) takes the whole group (soffice starts soffice.bin) with it."""
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def deck_pdf(pptx: bytes, timestamp: dt.datetime) -> bytes:
    """The slides of `pptx` as a PDF whose bytes depend only on the deck and `timestamp`."""
    raw = convert(pptx)
    return make_reproducible(raw, timestamp, hashlib.sha256(pptx).digest()[:16])


def convert(pptx: bytes) -> bytes:
    """LibreOffice's PDF of `pptx` (one page per slide, no notes pages)."""
    soffice = libreoffice()
    if soffice is None:
        raise RenderError(f"LibreOffice not found: {LIBREOFFICE_HINT}")
    work = _workdir()
    with _one_libreoffice_at_a_time(), _folder_in_use(work):
        _remove_leftovers_in(work)
        return _convert_in(soffice, work, pptx)


def _convert_in(soffice: str, work: Path, pptx: bytes) -> bytes:
    """Convert in a temporary folder of `work` that also holds LibreOffice's own temp files."""
    with tempfile.TemporaryDirectory(prefix=CONVERSION, dir=work) as tmp:
        source = Path(tmp) / "deck.pptx"
        source.write_bytes(pptx)
        env = {**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf"), "HOME": str(work),
               "SAL_USE_VCLPLUGIN": "svp", "TMPDIR": tmp}
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                   "--convert-to", "pdf:impress_pdf_Export", "--outdir", tmp, str(source)]
        try:
            done = _run_soffice(command, env)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice did not convert the deck within {TIMEOUT} s") from None
        result = Path(tmp) / "deck.pdf"
        if done.returncode != 0 or not result.is_file():
            said = (done.stderr or done.stdout).decode(errors="replace").strip()[-400:]
            raise RenderError(f"LibreOffice could not convert the deck to PDF "
                              f"(exit {done.returncode}): {said or 'no message'}")
        return result.read_bytes()


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
