"""Answer "is there anything to build?" without loading the content.

After a build in which nothing failed, the stamp of every input is recorded: the bytes of the
content, templates, assets, code and label catalogs, the options and versions that shape an
output, and the size of every output. A later build with the same stamp, whose outputs are
all still there at their sizes, has nothing to do and stops at once; any difference (a saved
file, another option, a deleted or edited output) takes the full path, which decides per
target from the fingerprints. Only the standard library is imported here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent
VERSIONS = (
    "weasyprint",
    "python-pptx",
    "matplotlib",
    "pikepdf",
    "pydyf",
    "tinycss2",
    "fonttools",
    "fontpkg-source-sans-3",
    "segno",
    "jinja2",
    "babel",
)


def record_path(out: Path) -> Path:
    """Where the stamp of builds into `out` is kept: in the user's cache, not in `out`, so
    that the output folder holds nothing that depends on the machine (same input, same
    bytes)."""
    from bmr_materials.resources import cache_root

    key = hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:24]
    return cache_root() / "up-to-date" / f"{key}.json"


def stamp(args: argparse.Namespace) -> str:
    """The digest of everything a build of `args` reads."""
    digest = hashlib.sha256()
    from bmr_materials.resources import assets_dir, templates_dir

    roots = [Path(args.content), PACKAGE, templates_dir(), assets_dir()]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root)}\0{path.stat().st_size}\0".encode())
                digest.update(path.read_bytes())
    if args.deck_template:
        digest.update(Path(args.deck_template).read_bytes())
    digest.update(json.dumps(_setting(args), sort_keys=True).encode())
    return digest.hexdigest()


def _setting(args: argparse.Namespace) -> dict[str, Any]:
    """Options, versions and environment that change what a build makes or says."""
    installed = _installed_versions()
    versions = {name: installed.get(_normal(name)) for name in VERSIONS}
    from shutil import which

    return {
        "content": str(Path(args.content).resolve()),
        "lang": args.lang,
        "only": args.only,
        "strict": args.strict,
        "native": args.native_charts,
        "shard": str(getattr(args, "shard", None)),
        "template": str(args.deck_template),
        "versions": versions,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "year": dt.date.today().year,  # content warnings name figures older than N years
        "soffice": which("soffice") or which("libreoffice"),
        "uno": os.access("/usr/bin/python3", os.X_OK),
    }


def _installed_versions() -> dict[str, str]:
    """Normalised distribution name -> version, read from the names of the installed
    `<name>-<version>.dist-info` folders (parsing each package's metadata is slower)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, version = name.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(dist), version)
    return found


def _normal(name: str) -> str:
    """A distribution name as dist-info folder names spell it (PEP 503, then '_')."""
    import re

    return re.sub(r"[-_.]+", "_", name).lower()


def nothing_to_do(args: argparse.Namespace, digest: str) -> dict[str, Any] | None:
    """The record of the last build when it had the same stamp and its outputs are as it
    left them; None when a build has to look closer."""
    if args.force or args.changes:
        return None
    try:
        record: dict[str, Any] = json.loads(record_path(args.out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("stamp") != digest or record.get("manifest") != _manifest_digest(args.out):
        return None  # the inputs changed, or another build (or a preview) wrote since
    for path, size in record.get("outputs", {}).items():
        try:
            if (args.out / path).stat().st_size != size:
                return None
        except OSError:
            return None
    return record


def remember(args: argparse.Namespace, digest: str, targets: int, warnings: list[str]) -> None:
    """Record the stamp of a build in which nothing failed, with its outputs' sizes."""
    from bmr_materials.shared.repro import atomic_write

    try:
        manifest = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
        outputs = {row["path"]: row["size"] for row in manifest["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return
    outputs["index.html"] = (
        (args.out / "index.html").stat().st_size if (args.out / "index.html").is_file() else -1
    )
    record = {
        "stamp": digest,
        "targets": targets,
        "warnings": warnings,
        "outputs": outputs,
        "manifest": _manifest_digest(args.out),
    }
    atomic_write(record_path(args.out), json.dumps(record, sort_keys=True).encode("utf-8"))


def _manifest_digest(out: Path) -> str | None:
    try:
        return hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        return None


def forget(args: argparse.Namespace) -> None:
    """Drop the record (a build failed or was interrupted)."""
    record_path(args.out).unlink(missing_ok=True)
