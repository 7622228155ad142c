"""Watch the content, templates and assets; rebuild what a saved file affects."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from bmr_materials.engine.build import Summary
from bmr_materials.errors import ContentError, MaterialsError, Stopped
from bmr_materials.resources import builder_root

PROJECT = builder_root()
DEBOUNCE_MS = 400


def watched_folders(args: argparse.Namespace) -> list[Path]:
    """The folders whose changes can change an output."""
    folders = [args.content, PROJECT / "templates", PROJECT / "assets"]
    return [f for f in folders if f.is_dir()]


def watch_and_build(
    args: argparse.Namespace, build_once: Callable[[argparse.Namespace], Summary]
) -> int:
    """Build, then rebuild after every burst of saves; errors are shown, not fatal.
    Ctrl-C ends the watch (exit 0); SIGTERM too, as a stop (Stopped: exit 143)."""
    from watchfiles import watch

    folders = watched_folders(args)
    _attempt(args, build_once)
    ready = False
    terminated: list[int] = []
    previous = signal.getsignal(signal.SIGTERM)

    def remember(signum: int, frame: FrameType | None) -> None:
        terminated.append(signum)  # watchfiles reports every signal alike
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, remember)
    try:
        # with yield_on_timeout the watcher yields an empty set once it runs: only then is
        # "watching" true (a save before it would be missed)
        for changes in watch(
            *folders,
            debounce=DEBOUNCE_MS,
            step=50,
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            if not ready:
                ready = True
                print(f"watching {', '.join(str(f) for f in folders)} (Ctrl-C stops)", flush=True)
            if not changes:
                continue
            names = sorted({Path(path).name for _, path in changes})
            print(f"changed: {', '.join(names)}", flush=True)
            _attempt(args, build_once)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    print("stopped watching", flush=True)
    if terminated:
        raise Stopped
    return 0


def _attempt(args: argparse.Namespace, build_once: Callable[[argparse.Namespace], Summary]) -> None:
    try:
        build_once(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("content has errors: fix and save again", file=sys.stderr, flush=True)
    except MaterialsError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
