"""A rebrand is a content change: a new primary colour and a new logo in the content change
every deck's theme and logo and every brochure's colours, and `list` names the brand as the
reason every output is outdated."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from bmr_materials.app.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "blue-coast"
OLD, NEW = "1B4F72", "7B241C"  # the fixture's primary colour, and a dark red


def _build(content: Path, out: Path) -> None:
    args = ["build", "--content", str(content), "--out", str(out), "--lang", "en", "--jobs", "2"]
    assert main([*args, "--quiet", "--no-preflight"]) == 0


def _deck_brand(path: Path) -> tuple[str, bytes]:
    """The deck's theme XML and the picture its master shows as the logo."""
    with zipfile.ZipFile(path) as package:
        theme = package.read("ppt/theme/theme1.xml").decode()
        master = package.read("ppt/slideMasters/slideMaster1.xml").decode()
        rels = package.read("ppt/slideMasters/_rels/slideMaster1.xml.rels").decode()
        rid = re.search(r'descr="Logo[^"]*"/>.*?r:embed="(rId\d+)"', master, re.S)
        assert rid, "the master has no logo picture"
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="\.\./([^"]+)"', rels)
        assert target
        return theme, package.read(f"ppt/{target.group(1)}")


def _cover_rgb(path: Path) -> tuple[int, ...]:
    """The colour of the cover's background (the primary colour) near its top-left corner."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    image = document[0].render(scale=0.2).to_pil().convert("RGB")
    document.close()
    return tuple(image.getpixel((image.width // 10, image.height // 20)))


@pytest.mark.slow
def test_a_rebrand_changes_every_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    out = tmp_path / "out"
    _build(content, out)
    decks = sorted(out.rglob("*.pptx"))
    brochures = sorted(out.rglob("*.pdf"))
    brochures = [p for p in brochures if "/brochures/" in p.as_posix()]
    assert len(decks) == 1 and len(brochures) == 8
    before = {p: _deck_brand(p) for p in decks}
    covers = {p: _cover_rgb(p) for p in brochures}

    campaign = content / "campaign.yaml"
    text = campaign.read_text().replace(f'rgb: "#{OLD}"', f'rgb: "#{NEW}"')
    text = text.replace("cmyk: [90, 55, 20, 30]", "cmyk: [20, 90, 90, 40]")
    campaign.write_text(text.replace("blue-coast.svg", "rebrand.svg"))
    logo = (content / "assets/logo/blue-coast.svg").read_text().replace(OLD, NEW)
    (content / "assets/logo/rebrand.svg").write_text(logo.replace('rx="12"', 'rx="40"'))
    capsys.readouterr()
    assert (
        main(["list", "--content", str(content), "--out", str(out), "--lang", "en", "--json"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)["targets"]
    assert len(rows) == 9 + 6  # a deck, 8 brochures and 6 fact sheets (3 fields, 2 variants)
    assert {r["outdated"] for r in rows} == {"brand changed"}

    _build(content, out)
    for path, (theme, picture) in before.items():
        new_theme, new_picture = _deck_brand(path)
        assert f'val="{OLD}"' in theme and f'val="{NEW}"' in new_theme
        assert f'val="{OLD}"' not in new_theme
        assert new_picture != picture
    for path, rgb in covers.items():
        now = _cover_rgb(path)
        assert now != rgb, path
        if path.name.endswith("-screen.pdf"):
            assert abs(now[0] - 0x7B) <= 3 and abs(now[2] - 0x1C) <= 3, (path, now)
