"""The command line: help, usage errors and their exit codes."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest

from bmr_materials.app.cli import main, parser


def test_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    for action in parser()._actions:
        for flag in action.option_strings:
            assert flag in out
    for command in ("build", "check", "list", "watch", "clean", "preflight", "schema"):
        assert f"  {command} " in out


@pytest.mark.parametrize(("args", "code", "message"), [
    (["build", "--only", "medtec"], 1,
     "error: --only: no output is called medtec (known: brochures, campus-bochum, decks,"),
    (["build", "--lang", "fr"], 1, "error: language fr is not configured (configured: de, en)"),
    (["list", "--lang", "fr"], 1, "error: language fr is not configured"),
    (["build", "--jobs", "0"], 2, "expected a whole number of 1 or more, got '0'"),
    (["publish"], 2, "invalid choice: 'publish'"),
    (["build", "--deck-template", "nowhere/corporate.pptx"], 2,
     "argument --deck-template: no such file: nowhere/corporate.pptx"),
])
def test_usage_errors(args: list[str], code: int, message: str, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    try:
        result = main([*args, "--out", str(tmp_path / "out")])
    except SystemExit as exit_:
        result = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert result == code and message in err
    assert not (tmp_path / "out").exists()


def test_a_second_build_into_the_same_folder_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        code = main(["build", "--out", str(out), "--only", "overview"])
    assert code == 1
    assert f"error: another build is writing to {out}: wait for it to end" in \
        capsys.readouterr().err


def test_clean_refuses_a_manifest_entry_outside_the_output(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "keep.txt"
    victim.write_text("precious")
    record = {"kind": "brochure", "id": "x", "lang": "en", "variant": "print",
              "fingerprint": "0", "figure_ids": [], "components": {}, "seconds": 0,
              "files": {"../keep.txt": {"size": 8, "sha256": "0"}}, "sizes": {}}
    (out / "manifest.json").write_text(json.dumps({"format": 1, "targets": {"b": record}}))
    assert main(["clean", "--out", str(out)]) == 1
    assert "points outside" in capsys.readouterr().err
    assert victim.read_text() == "precious"
