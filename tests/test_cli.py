"""The command line: help, usage errors and their exit codes."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest

from bmr_materials.app.cli import main, parser


def help_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_help_lists_the_commands_and_each_command_only_its_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    top = help_of([], capsys)
    for command in ("build", "check", "list", "watch", "clean", "preflight", "schema"):
        assert f"    {command}" in top
    build = help_of(["build"], capsys)
    for flag in (
        "--content",
        "--out",
        "--lang",
        "--only",
        "--jobs",
        "--force",
        "--strict",
        "--deck-template",
        "--native-charts",
        "--changes",
        "--no-preflight",
        "--quiet",
    ):
        assert flag in build
    check = help_of(["check"], capsys)
    assert "--strict" in check and "--content" in check
    assert "--jobs" not in check and "--out" not in check and "--native-charts" not in check
    assert "--out" in help_of(["clean"], capsys) and "--lang" not in help_of(["clean"], capsys)


def test_version_and_the_default_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("bmr-campaign-materials 0.")
    assert parser().parse_args(["build"]).command == "build"
    from bmr_materials.app.cli import with_default_command

    assert with_default_command(["--only", "decks"]) == ["build", "--only", "decks"]
    assert with_default_command([]) == ["build"]
    assert with_default_command(["check"]) == ["check"]


def test_an_option_of_another_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["check", "--jobs", "2"])
    assert done.value.code == 2 and "unrecognized arguments: --jobs 2" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["build", "--only", "medtec"],
            2,
            "error: --only: no output is called medtec (did you mean 'medtech'?) "
            "(known: brochures, campus-bochum, decks,",
        ),
        (
            ["build", "--lang", "it"],
            2,
            "error: --lang: language it is not configured (configured: de, en, fr, ja)",
        ),
        (["list", "--lang", "it"], 2, "error: --lang: language it is not configured"),
        (["build", "--jobs", "0"], 2, "expected a whole number of 1 or more, got '0'"),
        (["publish"], 2, "invalid choice: 'publish'"),
        (
            ["build", "--deck-template", "nowhere/corporate.pptx"],
            2,
            "argument --deck-template: no such file: nowhere/corporate.pptx",
        ),
    ],
)
def test_usage_errors(
    args: list[str], code: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        result = main([*args, "--out", str(tmp_path / "out")])
    except SystemExit as exit_:
        result = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert result == code and message in err
    assert not (tmp_path / "out").exists()


def test_a_second_build_into_the_same_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        code = main(["build", "--out", str(out), "--only", "overview"])
    assert code == 1
    assert (
        f"error: another build, watch or clean is using {out}: wait for it to end"
        in capsys.readouterr().err
    )


def test_clean_refuses_a_manifest_entry_outside_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "keep.txt"
    victim.write_text("precious")
    record = {
        "kind": "brochure",
        "id": "x",
        "lang": "en",
        "variant": "print",
        "fingerprint": "0",
        "figure_ids": [],
        "components": {},
        "seconds": 0,
        "files": {"../keep.txt": {"size": 8, "sha256": "0"}},
        "sizes": {},
    }
    (out / "manifest.json").write_text(json.dumps({"format": 1, "targets": {"b": record}}))
    assert main(["clean", "--out", str(out)]) == 1
    assert "points outside" in capsys.readouterr().err
    assert victim.read_text() == "precious"
