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
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from bmr_materials.errors import RenderError

LIBREOFFICE_HINT = ("deck PDFs need LibreOffice Impress: apt-get install libreoffice-impress "
                    "(make test installs it)")
TIMEOUT = 240


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
def _one_libreoffice_at_a_time() -> Iterator[None]:
    """Hold the machine-wide lock for LibreOffice: one instance takes about 200 MB, and two
    at once push a parallel build past its memory budget for no gain in time."""
    lock = Path(tempfile.gettempdir()) / "ihr-materials-soffice.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        source = Path(tmp) / "deck.pptx"
        source.write_bytes(pptx)
        env = {**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf"), "HOME": str(work),
               "SAL_USE_VCLPLUGIN": "svp"}
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                   "--convert-to", "pdf:impress_pdf_Export", "--outdir", tmp, str(source)]
        try:
            with _one_libreoffice_at_a_time():
                done = subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT,
                                      check=False)
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
