"""The command line: help, usage errors and their exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from materials.cli import main, parser


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
