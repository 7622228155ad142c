"""The command line: parse arguments, run a command, map errors to exit codes.

Heavy libraries are imported only by the commands that render, so `check`, `list` and a
build with nothing to do start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

from bmr_materials.errors import ContentError, MaterialsError, Stopped, UsageError, did_you_mean
from bmr_materials.kinds.registry import REGISTRY
from bmr_materials.resources import builder_root

COMMANDS_HELP = {
    "build": "build every output that is out of date (the default command)",
    "check": "validate the content and print a one-line summary",
    "list": "show every output: up to date, outdated (and why) or missing",
    "watch": "rebuild what a saved content, template or asset file affects; Ctrl-C stops",
    "serve": "watch, and serve the catalog and live previews on localhost; Ctrl-C stops",
    "clean": "remove what the build made",
    "preflight": "check every built output the way a print shop or presenter would",
    "schema": "write the JSON Schemas that editors use to complete and check the YAML",
    "merge": "join the output folders of `build --shard K/N` runs into --out, with its catalog",
}
EPILOG = (
    "exit codes: 0 success, 1 content or output problems, 2 usage error, "
    "130 interrupted (Ctrl-C), 143 stopped (SIGTERM)"
)


class _Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for a misspelt command or option (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        wrong = re.match(r"unrecognized arguments: (-\S+)", message)
        if wrong:
            message += did_you_mean(wrong.group(1).split("=")[0], _long_options(self))
        choice = re.search(r"invalid choice: '([^']*)'", message)
        if choice:
            message += did_you_mean(choice.group(1), COMMANDS_HELP)
        super().error(message)


def _long_options(p: argparse.ArgumentParser) -> set[str]:
    """Every --option of `p` and of its subcommands."""
    found = {o for a in p._actions for o in a.option_strings if o.startswith("--")}
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _long_options(sub)
    return found


def parser() -> argparse.ArgumentParser:
    """The argument parser: one subcommand each, with only the options it takes."""
    p = _Parser(
        prog="make_materials.py",
        epilog=EPILOG,
        description="Build a campaign's brochures (PDF) and pitch decks (PPTX) from its YAML "
        "content. Without a command: build.",
    )
    p.add_argument("--version", action=_Version, help="show the version and exit")
    commands = p.add_subparsers(dest="command", metavar="command", required=True)
    shared = _option_groups()
    uses = {
        "build": ("content", "out", "select", "build", "strict", "noise"),
        "watch": ("content", "out", "select", "build", "strict", "noise"),
        "serve": ("content", "out", "select", "build", "strict", "noise"),
        "list": ("content", "out", "select", "force", "strict"),
        "check": ("content", "strict"),
        "preflight": ("content", "out", "select", "strict", "noise"),
        "clean": ("out",),
        "schema": (),
        "merge": ("content", "out"),
    }
    sub = {
        name: commands.add_parser(
            name,
            help=COMMANDS_HELP[name],
            description=COMMANDS_HELP[name],
            epilog=EPILOG,
            parents=[shared[g] for g in groups],
        )
        for name, groups in uses.items()
    }
    sub["build"].add_argument(
        "--shard",
        type=_shard,
        default=None,
        metavar="K/N",
        help="build only the K-th of N deterministic shares of the "
        "outputs (one per machine; then `merge`)",
    )
    sub["serve"].add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    sub["serve"].add_argument(
        "--port", type=int, default=8000, help="the port (default 8000; 0 picks a free one)"
    )
    sub["list"].add_argument(
        "--json",
        action="store_true",
        help="the plan as JSON: every target with its files, fingerprint and why it is outdated",
    )
    sub["merge"].add_argument(
        "shards", nargs="+", type=Path, metavar="SHARD_DIR", help="the output folders of the shards"
    )
    sub["merge"].add_argument(
        "--changes",
        action="store_true",
        help="report which outputs changed since --out's last build",
    )
    return p


def _option_groups() -> dict[str, _Parser]:
    """The options, in groups that several commands share."""
    groups = {
        name: _Parser(add_help=False)
        for name in ("content", "out", "select", "build", "force", "strict", "noise")
    }
    groups["content"].add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="the content folder (default: content/)",
    )
    groups["out"].add_argument(
        "--out",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="where outputs go (default: output/)",
    )
    select = groups["select"]
    select.add_argument(
        "--lang",
        type=_languages,
        default=None,
        metavar="de,en",
        help="only these languages (default: every configured language)",
    )
    select.add_argument(
        "--only",
        type=_only,
        default=None,
        metavar="KIND|ID[,...]",
        help="only one kind of output ("
        + ", ".join(module.rsplit(".", 1)[1] for module in REGISTRY)
        + "), or the outputs with these ids",
    )
    select.add_argument(
        "--deck-template",
        type=_existing_file,
        default=None,
        metavar="PATH",
        help="a .pptx master to build the decks on (default: the brand master)",
    )
    select.add_argument(
        "--native-charts",
        action="store_true",
        help="decks get native, editable PowerPoint charts instead of pictures",
    )
    build = groups["build"]
    build.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: the machine's cores)",
    )
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument(
        "--changes",
        action="store_true",
        help="after a build, report which outputs changed and which figures caused it",
    )
    build.add_argument("--no-preflight", action="store_true", help="skip preflight after a build")
    groups["force"].add_argument(
        "--force", action="store_true", help="show every output as outdated"
    )
    groups["strict"].add_argument(
        "--strict", action="store_true", help="treat content warnings as errors"
    )
    noise = groups["noise"].add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    noise.add_argument(
        "--verbose", "-v", action="store_true", help="say why each output is rebuilt"
    )
    return groups


class _Version(argparse.Action):
    """--version: the installed version, looked up only when asked (metadata is slow)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        print(f"bmr-campaign-materials {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bmr-campaign-materials")
    except PackageNotFoundError:
        return "(not installed)"


def with_default_command(argv: Sequence[str]) -> list[str]:
    """`make_materials.py [options]` means `make_materials.py build [options]`."""
    args = list(argv)
    if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help", "--version")):
        return ["build", *args]
    return args


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


def _shard(text: str) -> tuple[int, int]:
    from bmr_materials.engine.shards import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the content and check it for every output kind; print warnings, a one-line
    summary and what each asset is."""
    from bmr_materials.app.commands import project_of
    from bmr_materials.engine import api

    started = time.perf_counter()
    loaded = api.check(project_of(args), strict=args.strict)
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    c = loaded.content
    print(
        f"content ok: {len(c.fields)} fields, {len(c.figures.figures)} figures, "
        f"{len(c.figures.series)} series, {len(c.figures.charts)} charts, {len(c.decks)} decks, "
        f"languages {', '.join(c.languages)} ({time.perf_counter() - started:.2f} s)"
    )
    for note in loaded.notes:
        print(f"  {note}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write schema/*.schema.json from the model."""
    from bmr_materials.content.schema import write_schemas

    for path in write_schemas(builder_root() / "schema"):
        print(path)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """`build`: stop at once when nothing changed since the last good build, else build."""
    from bmr_materials.engine import uptodate
    from bmr_materials.engine.folders import named_failures
    from bmr_materials.engine.lock import output_lock

    started = time.perf_counter()
    args.stamp = uptodate.stamp(args)
    record = uptodate.nothing_to_do(args, args.stamp)  # reads only: bad content writes nothing
    if record is not None:
        with named_failures(args.out), output_lock(args.out):  # ours, and writable
            record = uptodate.nothing_to_do(args, args.stamp)  # again, now no build can write
            if record is not None:
                _remove_leftovers(args.out)  # what killed builds left, even with nothing to do
    if record is None:
        return _engine("build")(args)
    for warning in record["warnings"]:
        print(warning, file=sys.stderr)
    if not args.quiet:
        print(
            f"0 built, {record['targets']} up to date, 0 failed in "
            f"{time.perf_counter() - started:.1f} s"
        )
    return 0


def _remove_leftovers(out: Path) -> None:
    """Temporary files of killed builds in the output folder and the caches (writers that
    still run keep theirs), and LibreOffice's leftovers (the deck kind's helper)."""
    from bmr_materials.kinds.decks.pdf import remove_leftovers
    from bmr_materials.resources import cache_root
    from bmr_materials.shared.repro import remove_stale_parts

    remove_stale_parts(out)
    remove_stale_parts(cache_root())
    remove_leftovers()


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the catalog and live previews; rebuild on every save."""
    from bmr_materials.app.serve import serve

    return serve(args)


def _engine(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from bmr_materials.app import commands
        from bmr_materials.engine.folders import named_failures

        # planning writes to the cache too (fonts, colour profiles): every engine command
        # names a folder it cannot write in one line
        with named_failures(getattr(args, "out", None) or Path("output")):
            return int(getattr(commands, name)(args))

    return run


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "schema": cmd_schema,
    "build": cmd_build,
    "list": _engine("list_targets"),
    "watch": _engine("watch"),
    "serve": cmd_serve,
    "clean": _engine("clean"),
    "preflight": _engine("preflight"),
    "merge": _engine("merge"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(with_default_command(sys.argv[1:] if argv is None else argv))
    try:
        with _sigterm_stops():
            return COMMANDS[args.command](args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(
            f"{errors} error(s), {len(exc.problems) - errors} warning(s) in the content",
            file=sys.stderr,
        )
        return 1
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MaterialsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Stopped:
        print("stopped", file=sys.stderr)
        return 143
    except BrokenPipeError:  # `list | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """While a command runs, SIGTERM (a CI cancel, `kill`) unwinds it like Ctrl-C does:
    workers and LibreOffice are stopped, temporary files removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
