"""The command line: parse arguments, run a command, map errors to exit codes.

Heavy libraries are imported only by the commands that render, so `check`, `list` and a
build with nothing to do start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bmr_materials.errors import ContentError, MaterialsError
from bmr_materials.resources import builder_root

PROJECT = builder_root()

EPILOG = """commands:
  build      build every output that is out of date (the default command)
  check      validate the content and print a one-line summary
  list       show every output and whether it is up to date, outdated (and why) or missing
  watch      rebuild what a saved content, template or asset file affects; Ctrl-C stops
  clean      remove what the build made
  preflight  check every built output the way a print shop or presenter would
  schema     write the JSON Schemas that editors use to complete and check the YAML

exit codes: 0 success, 1 content or output problems, 2 usage error, 130 interrupted"""


def parser() -> argparse.ArgumentParser:
    """The argument parser with every option explained."""
    p = argparse.ArgumentParser(
        prog="make_materials.py", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build the International Health Ruhr brochures (PDF) and pitch decks "
                    "(PPTX) from the YAML content.")
    p.add_argument("command", nargs="?", default="build",
                   choices=["build", "check", "list", "watch", "clean", "preflight", "schema"],
                   help="what to do (default: build)")
    p.add_argument("--content", type=Path, default=PROJECT / "content", metavar="DIR",
                   help="the content folder (default: content/)")
    p.add_argument("--out", type=Path, default=PROJECT / "output", metavar="DIR",
                   help="where outputs go (default: output/)")
    p.add_argument("--lang", type=_languages, default=None, metavar="de,en",
                   help="only these languages (default: every configured language)")
    p.add_argument("--only", type=_only, default=None, metavar="brochures|decks[,ID...]",
                   help="only brochures, only decks, or outputs with these ids")
    p.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes (default: the machine's cores)")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--strict", action="store_true", help="treat content warnings as errors")
    p.add_argument("--deck-template", type=_existing_file, default=None, metavar="PATH",
                   help="a .pptx master to build the decks on (default: the brand master)")
    p.add_argument("--native-charts", action="store_true",
                   help="decks get native, editable PowerPoint charts instead of pictures")
    p.add_argument("--changes", action="store_true",
                   help="after a build, report which outputs changed and which figures caused it")
    p.add_argument("--no-preflight", action="store_true", help="skip preflight after a build")
    noise = p.add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    noise.add_argument("--verbose", "-v", action="store_true",
                       help="say why each output is rebuilt")
    return p


def _languages(text: str) -> list[str]:
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("expected language codes, e.g. de,en")
    return codes


def _existing_file(text: str) -> Path:
    path = Path(text).expanduser().resolve()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def _only(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the content; print warnings and a one-line summary."""
    from bmr_materials.content.load import load_content

    started = time.perf_counter()
    loaded = load_content(args.content, strict=args.strict)
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    c = loaded.content
    print(f"content ok: {len(c.fields)} fields, {len(c.figures.figures)} figures, "
          f"{len(c.figures.series)} series, {len(c.figures.charts)} charts, {len(c.decks)} decks, "
          f"languages {', '.join(c.languages)} ({time.perf_counter() - started:.2f} s)")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write schema/*.schema.json from the model."""
    from bmr_materials.content.schema import write_schemas

    for path in write_schemas(PROJECT / "schema"):
        print(path.relative_to(PROJECT))
    return 0


def _engine(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from bmr_materials.app import commands

        return int(getattr(commands, name)(args))

    return run


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "schema": cmd_schema,
    "build": _engine("build"),
    "list": _engine("list_targets"),
    "watch": _engine("watch"),
    "clean": _engine("clean"),
    "preflight": _engine("preflight"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"{errors} error(s), {len(exc.problems) - errors} warning(s) in the content",
              file=sys.stderr)
        return 1
    except MaterialsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `list | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
