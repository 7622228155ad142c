"""The commands that plan and build: build, list, watch, clean and preflight."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from bmr_materials.content.load import load_content
from bmr_materials.content.model import Content
from bmr_materials.engine.build import CACHE, Summary, outdated, run
from bmr_materials.engine.manifest import Manifest, inside
from bmr_materials.engine.plan import Options, Target, plan
from bmr_materials.errors import MaterialsError


def _options(args: argparse.Namespace) -> Options:
    return Options(languages=tuple(args.lang or ()), only=tuple(args.only or ()),
                   native_charts=args.native_charts, deck_template=args.deck_template)


def _plan(args: argparse.Namespace) -> tuple[Content, list[Target]]:
    loaded = load_content(args.content, strict=args.strict)
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    unknown = [lang for lang in args.lang or () if lang not in loaded.content.languages]
    if unknown:
        raise MaterialsError(f"language {', '.join(unknown)} is not configured "
                             f"(configured: {', '.join(loaded.content.languages)})")
    return loaded.content, plan(loaded.content, _options(args))


def build_once(args: argparse.Namespace) -> Summary:
    """Plan and build once, showing progress; then refresh the catalog, preflight what was
    built and report the changes; return the summary."""
    from bmr_materials.app.progress import BuildDisplay

    started = time.perf_counter()
    content, targets = _plan(args)
    _hint_libreoffice(targets)
    previous = Manifest(args.out)
    complete = not args.lang and not args.only  # then outputs no longer defined are removed
    with BuildDisplay(quiet=args.quiet, verbose=args.verbose) as display:
        summary = run(targets, args.out, jobs=args.jobs, force=args.force, prune=complete,
                      on_start=display.start, report=display.done)
        display.summary(summary, time.perf_counter() - started)
    if summary.count("built") or not (args.out / "index.html").is_file():
        from bmr_materials.engine.catalog import write_catalog

        write_catalog(args.out, content)
    if summary.count("built") and not args.no_preflight:
        summary.preflight_errors = _preflight(args, content)
    if args.changes:
        from bmr_materials.engine.changes import print_changes

        print_changes(previous, Manifest(args.out))
    return summary


def _hint_libreoffice(targets: list[Target]) -> None:
    """Say once, in one line, how to get the PDFs beside the decks when they cannot be made."""
    if any(t.kind == "deck" for t in targets):
        from bmr_materials.kinds.decks.pdf import LIBREOFFICE_HINT, libreoffice

        if libreoffice() is None:
            print(f"note: {LIBREOFFICE_HINT}", file=sys.stderr)


def _preflight(args: argparse.Namespace, content: Content) -> int:
    """Preflight every output of this build's languages and kinds; the number of errors."""
    from bmr_materials.engine.preflight import inspect, show

    results = inspect(args.out, content, args.lang, args.only)
    show(results, quiet=not args.verbose, verbose=args.verbose)
    errors = sum(issue.severity == "error" for r in results for issue in r.issues)
    if errors:
        print(f"preflight: {errors} error(s)", file=sys.stderr)
    return errors


def build(args: argparse.Namespace) -> int:
    """`build`: build what is out of date."""
    summary = build_once(args)
    return 0 if summary.ok and not summary.preflight_errors else 1


def list_targets(args: argparse.Namespace) -> int:
    """`list`: every target with its state."""
    _, targets = _plan(args)
    manifest = Manifest(args.out)
    reasons = {id(t): r for t, r in outdated(targets, manifest, args.out, args.force)}
    for target in targets:
        reason = reasons.get(id(target))
        state = "up to date" if reason is None else (
            "missing" if reason == "missing" else f"outdated: {reason}")
        print(f"{target.paths[0]:<60} {state}")
    return 0


def clean(args: argparse.Namespace) -> int:
    """`clean`: remove every file the build made, and nothing else."""
    manifest = Manifest(args.out)
    removed = 0
    for row in manifest.outputs():
        path = inside(args.out, row["path"])
        if path.is_file():
            path.unlink()
            removed += 1
    for extra in (manifest.path, args.out / "index.html", args.out / "changes.json"):
        if extra.is_file():
            extra.unlink()
    shutil.rmtree(args.out / CACHE, ignore_errors=True)
    shutil.rmtree(args.out / "thumbnails", ignore_errors=True)
    _remove_empty_dirs(args.out)
    print(f"removed {removed} outputs from {args.out}")
    return 0


def _remove_empty_dirs(root: Path) -> None:
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(root.iterdir()):
        root.rmdir()


def watch(args: argparse.Namespace) -> int:
    """`watch`: rebuild what a saved file affects, until Ctrl-C."""
    from bmr_materials.app.watch import watch_and_build

    return watch_and_build(args, build_once)


def preflight(args: argparse.Namespace) -> int:
    """`preflight`: check every built output."""
    from bmr_materials.engine.preflight import run_preflight

    return run_preflight(args)
