"""Take the FOGRA39 characterization data (coated offset, ISO 12647-2) that Debian's
icc-profiles-free ships as FOGRA39L.ti3 and make the CMYK ICC profile print PDFs name in their
output intent, with ArgyllCMS's `colprof` (Debian's argyll): total ink limited to 300 %, model
tag "FOGRA39" (WeasyPrint takes the output condition identifier from it).

Building takes about half a minute, so the profile is made once (`make setup` runs this module)
and cached under `<cache>/icc/`. colprof stamps the current date into the profile header; the
date is set to the characterization's own (December 2006), so every machine makes the same
bytes and print PDFs stay reproducible.

`python -m bmr_materials.shared.printprofile` builds the profile if needed and prints its path.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bmr_materials.errors import RenderError
from bmr_materials.shared.fonts import cache_root
from bmr_materials.shared.repro import atomic_write

CHARACTERIZATION = Path("/usr/share/color/icc/FOGRA39L.ti3")
CONDITION = "FOGRA39"
CONDITION_TEXT = "Coated FOGRA39 (ISO 12647-2:2004)"
INK_LIMIT = 300  # percent: the most ink the profile's separations put on paper
PROFILE_VERSION = "1"  # raise to rebuild cached profiles when the options below change
COLPROF_OPTIONS = [
    "-qm",
    "-nc",
    "-l",
    str(INK_LIMIT),
    "-A",
    "Fogra",
    "-M",
    CONDITION,
    "-D",
    f"{CONDITION_TEXT}, ArgyllCMS, total ink {INK_LIMIT}%",
    "-C",
    "Characterization data: Fogra (FOGRA39L)",
]
HEADER_DATE = bytes.fromhex("07d6000c0001000000000000")  # 2006-12-01 00:00:00 (ICC dateTime)


def profile_path() -> Path:
    """Where the built profile is cached."""
    return cache_root() / "icc" / f"{CONDITION}-argyll-{PROFILE_VERSION}.icc"


def output_profile() -> Path:
    """The FOGRA39 profile, built first when it is not cached yet."""
    path = profile_path()
    if not path.is_file():
        atomic_write(path, build_profile())
    return path


def build_profile() -> bytes:
    """The profile's bytes, made by colprof from the characterization data."""
    colprof = shutil.which("colprof")
    if colprof is None or not CHARACTERIZATION.is_file():
        missing = (
            "colprof (Debian package argyll)"
            if colprof is None
            else f"{CHARACTERIZATION} (Debian package icc-profiles-free)"
        )
        raise RenderError(
            f"cannot make the {CONDITION} print profile: {missing} is missing; run `make setup`"
        )
    with tempfile.TemporaryDirectory(prefix="icc-") as folder:
        work = Path(folder)
        shutil.copyfile(CHARACTERIZATION, work / CHARACTERIZATION.name)
        base = CHARACTERIZATION.stem
        done = subprocess.run(
            [colprof, *COLPROF_OPTIONS, base], cwd=work, capture_output=True, text=True, check=False
        )
        if done.returncode != 0 or not (work / f"{base}.icc").is_file():
            raise RenderError(
                f"colprof could not make the {CONDITION} profile: "
                f"{(done.stderr or done.stdout).strip()[-400:]}"
            )
        data = (work / f"{base}.icc").read_bytes()
    return data[:24] + HEADER_DATE + data[36:]


if __name__ == "__main__":
    print(output_profile())
