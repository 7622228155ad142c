"""The commands that plan and build: build, list, watch, clean and preflight."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from bmr_materials.content.load import Loaded
from bmr_materials.engine import api
from bmr_materials.engine.build import Summary
from bmr_materials.engine.folders import named_failures, probe_cache
from bmr_materials.engine.lock import output_lock
from bmr_materials.engine.manifest import Manifest, inside
from bmr_materials.engine.project import CACHE, BuildOptions, Project
from bmr_materials.kinds.registry import load_kinds
from bmr_materials.shared.kind import Options, Target


def project_of(args: argparse.Namespace) -> Project:
    """The project the arguments name, making every registered output kind."""
    return Project(
        content=args.content,
        output=getattr(args, "out", Path("output")).absolute(),
        kinds=load_kinds(),
    )


def options_of(args: argparse.Namespace) -> BuildOptions:
    """The build options the arguments ask for."""
    select = Options(
        languages=tuple(args.lang or ()),
        only=tuple(args.only or ()),
        native_charts=args.native_charts,
        deck_template=args.deck_template,
    )
    return BuildOptions(
        select=select,
        jobs=getattr(args, "jobs", 1),
        force=args.force,
        strict=args.strict,
        preflight=not getattr(args, "no_preflight", False),
        shard=getattr(args, "shard", None),
    )


def _load(args: argparse.Namespace, project: Project, shown: list[str] | None = None) -> Loaded:
    """The content, validated (the output kinds check it before they render); warnings are
    printed (and added to `shown`)."""
    loaded = api.check(project, strict=args.strict, kinds=())
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
        if shown is not None:
            shown.append(str(warning))
    return loaded


def build_once(args: argparse.Namespace) -> Summary:
    """Build once through the API, showing progress, the preflight findings and (with
    --changes) what changed; return the summary."""
    from bmr_materials.app.preflight_report import show
    from bmr_materials.app.progress import BuildDisplay
    from bmr_materials.engine import uptodate

    started = time.perf_counter()
    project, options = project_of(args), options_of(args)
    warnings: list[str] = []
    loaded = _load(args, project, warnings)
    with named_failures(args.out):
        probe_cache()  # before planning, which makes the print profile
    every = api.targets(project, loaded.content, options.select)  # planned once
    for note in _notes(project, every):
        print(f"note: {note}", file=sys.stderr)
    previous = Manifest(args.out)
    with named_failures(args.out):
        planned = api.prepare(project, options, loaded, every)  # refused content: nothing written
        with output_lock(args.out):
            _remove_leftovers()
            with BuildDisplay(quiet=args.quiet, verbose=args.verbose) as display:
                summary = api.build(
                    project,
                    options,
                    loaded,
                    planned=planned,
                    on_start=display.start,
                    report=display.done,
                )
                display.summary(summary, time.perf_counter() - started)
            if summary.preflight:
                show(summary.preflight, quiet=not args.verbose, verbose=args.verbose)
                if summary.preflight_errors:
                    print(f"preflight: {summary.preflight_errors} error(s)", file=sys.stderr)
            if args.changes:
                from bmr_materials.engine.changes import print_changes

                print_changes(previous, Manifest(args.out))
        if summary.ok and getattr(args, "stamp", None):
            uptodate.remember(args, args.stamp, len(summary.outcomes), warnings)
        else:
            uptodate.forget(args)
    return summary


def _remove_leftovers() -> None:
    """What killed LibreOffice conversions left in the cache (the deck kind's helper)."""
    from bmr_materials.kinds.decks.pdf import remove_leftovers

    remove_leftovers()


def _notes(project: Project, planned: list[Target]) -> list[str]:
    """What each kind wants to say before building (e.g. how to get a missing program)."""
    return [
        note
        for kind in project.kinds
        for note in kind.notes([t for t in planned if t.kind == kind.name])
    ]


def build(args: argparse.Namespace) -> int:
    """`build`: build what is out of date."""
    summary = build_once(args)
    return 0 if summary.ok and not summary.preflight_errors else 1


def list_targets(args: argparse.Namespace) -> int:
    """`list`: every target with its state."""
    project = project_of(args)
    planned = api.targets(project, _load(args, project).content, options_of(args).select)
    states = api.states(project, planned, force=args.force)
    if args.json:
        rows = [
            {
                "key": Manifest.key(t),
                "kind": t.kind,
                "id": t.id,
                "lang": t.lang,
                "variant": t.variant,
                "paths": t.paths,
                "fingerprint": t.fingerprint,
                "components": t.components,
                "outdated": reason,
            }
            for t, reason in states
        ]
        print(json.dumps({"targets": rows}, indent=1, ensure_ascii=False))
        return 0
    for target, reason in states:
        state = (
            "up to date"
            if reason is None
            else (reason if reason.startswith("missing") else f"outdated: {reason}")
        )
        print(f"{target.paths[0]:<60} {state}")
    return 0


def merge(args: argparse.Namespace) -> int:
    """`merge`: join the shards' output folders into --out."""
    previous = Manifest(args.out)
    count = api.merge(project_of(args), [Path(s) for s in args.shards])
    print(f"merged {count} outputs from {len(args.shards)} shards into {args.out}")
    if args.changes:
        from bmr_materials.engine.changes import print_changes

        print_changes(previous, Manifest(args.out))
    return 0


def clean(args: argparse.Namespace) -> int:
    """`clean`: remove every file the build made, and nothing else (never while a build or
    a watch uses the folder)."""
    if not args.out.is_dir():
        print(f"nothing to clean in {args.out}")
        return 0
    with named_failures(args.out), output_lock(args.out):
        removed = _clean(args.out)
    print(f"removed {removed} outputs from {args.out}")
    return 0


def _clean(out: Path) -> int:
    manifest = Manifest(out)
    removed = 0
    for row in manifest.outputs():
        path = inside(out, row["path"])
        if path.is_file():
            path.unlink()
            removed += 1
    for extra in (manifest.path, out / "index.html", out / "changes.json"):
        if extra.is_file():
            extra.unlink()
    shutil.rmtree(out / CACHE, ignore_errors=True)
    shutil.rmtree(out / "thumbnails", ignore_errors=True)
    _remove_empty_dirs(out)
    return removed


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

    with named_failures(args.out), output_lock(args.out):  # held between rebuilds too
        return watch_and_build(args, build_once)


def preflight(args: argparse.Namespace) -> int:
    """`preflight`: check every built output."""
    from bmr_materials.app.preflight_report import run_preflight

    return run_preflight(args, load_kinds())
