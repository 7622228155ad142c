"""The installable package: the wheel carries the templates, default assets, label catalogs
and schemas, and, installed into a fresh virtual environment, builds a campaign from another
folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pikepdf
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = dist.glob("bmr_campaign_materials-*.whl")
    return found


def test_the_wheel_carries_what_a_build_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "bmr_materials/data/templates/brochures/brochure.html.j2",
        "bmr_materials/data/templates/decks/master.pptx",
        "bmr_materials/data/templates/catalog/index.html.j2",
        "bmr_materials/data/schema/campaign.schema.json",
        "bmr_materials/shared/locale/de/LC_MESSAGES/messages.po",
        "bmr_materials/kinds/brochures/__init__.py",
    ):
        assert needed in names, needed
    assert any(n.startswith("bmr_materials/data/assets/") for n in names)
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"bmr_materials"}, "only one import package, with a name of its own"


@pytest.mark.slow
def test_the_installed_wheel_builds_a_campaign_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # the dependencies come from the project's environment (offline); its editable install of
    # this package is not activated there, so the code that runs is the wheel's
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(site.stdout.strip(), "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    where = subprocess.run(
        [str(python), "-c", "import bmr_materials; print(bmr_materials.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(venv)), where.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    campaign = shutil.copytree(FIXTURE, tmp_path / "campaign")
    version = subprocess.run(
        [str(venv / "bin" / "make-materials"), "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
    )
    assert version.stdout.startswith("bmr-campaign-materials 0.")
    result = subprocess.run(
        [
            str(venv / "bin" / "make-materials"),
            "build",
            "--content",
            str(campaign),
            "--out",
            "out",
            "--lang",
            "en",
            "--only",
            "overview",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=elsewhere,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = elsewhere / "out"
    with pikepdf.open(out / "en/brochures/overview-en-print.pdf") as pdf:
        assert len(pdf.pages) >= 4
    assert (out / "index.html").is_file() and (out / "manifest.json").is_file()
