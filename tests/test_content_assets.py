"""Assets of a content folder (issue 10 item 8): `DIR/assets/...` first, the builder's default
assets for what the campaign does not bring, and nothing outside either folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bmr_materials.app.cli import main
from bmr_materials.content.assetfiles import AssetRefused, find_asset
from bmr_materials.resources import builder_root

LOGO_LINE = "logo: assets/logo/ihr-logo.svg"


def _check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--content", str(content)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _logo(content: Path, value: str) -> int:
    campaign = content / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace(LOGO_LINE, f"logo: {value}"))
    return campaign.read_text().splitlines().index(f"  logo: {value}") + 1


def test_the_content_folder_comes_first_then_the_builder(tmp_path: Path) -> None:
    own = tmp_path / "assets" / "logo" / "ihr-logo.svg"
    assert find_asset(tmp_path, "assets/logo/ihr-logo.svg") == (
        builder_root() / "assets/logo/ihr-logo.svg"
    )
    own.parent.mkdir(parents=True)
    own.write_text("<svg/>")
    assert find_asset(tmp_path, "assets/logo/ihr-logo.svg") == own.resolve()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/etc/passwd", "'/etc/passwd' is not a relative path"),
        ("assets/../../x.svg", "'assets/../../x.svg' is outside assets/ ('..' is not allowed)"),
        ("logo/x.svg", "'logo/x.svg' is outside assets/"),
        ("C:/logo.svg", "'C:/logo.svg' is not a relative path"),
        ("assets/none.svg", "file 'assets/none.svg' does not exist"),
    ],
)
def test_refused_paths(tmp_path: Path, value: str, message: str) -> None:
    with pytest.raises(AssetRefused, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        find_asset(tmp_path, value)


def test_a_link_out_of_the_content_assets_is_a_check_error(
    content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>")
    (content_copy / "assets").mkdir()
    os.symlink(secret, content_copy / "assets" / "logo.svg")
    line = _logo(content_copy, "assets/logo.svg")
    code, _, err = _check(content_copy, capsys)
    assert code == 1
    assert (
        f"content/campaign.yaml:{line}:3: brand.logo: 'assets/logo.svg' is a symbolic link "
        "out of assets/: not used"
    ) in err
    assert "secret" not in err


def test_a_campaign_elsewhere_uses_its_own_logo(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = content_copy / "assets" / "logo" / "own.png"
    own.parent.mkdir(parents=True)
    from PIL import Image

    Image.new("RGB", (300, 100), "#00596E").save(own, dpi=(300, 300))
    _logo(content_copy, "assets/logo/own.png")
    code, out, _ = _check(content_copy, capsys)
    assert code == 0
    assert "brand.logo: content/assets/logo/own.png: PNG, 300 x 100 pixels" in out
