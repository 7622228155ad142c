"""Run a plan: render the outdated targets (in worker processes when --jobs > 1), write each
atomically, record it in the manifest, and sum up what was built, skipped and failed."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from materials.errors import MaterialsError
from materials.manifest import Manifest
from materials.plan import Target, why_outdated
from materials.render import render_target

CACHE = ".cache"
# Decks also convert through LibreOffice: start them first so the workers finish together.
COST = {"deck": 3, "brochure": 1}


@dataclass
class Outcome:
    """What happened to one target."""

    target: Target
    state: str  # built | up to date | failed
    reason: str = ""
    seconds: float = 0.0
    error: str = ""


@dataclass
class Summary:
    """The outcome of every target of a build."""

    outcomes: list[Outcome] = field(default_factory=list)
    preflight_errors: int = 0

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0


Report = Callable[[Outcome], None]


def remove_partial_files(out: Path) -> None:
    """Delete temporary files a killed build left behind (they never replaced an output)."""
    if out.is_dir():
        for part in out.rglob(".*.part"):
            part.unlink(missing_ok=True)


def outdated(targets: list[Target], manifest: Manifest, out: Path,
             force: bool) -> list[tuple[Target, str]]:
    """The targets to build, with the reason for each."""
    todo = []
    for target in targets:
        reason = "forced" if force else why_outdated(target, manifest.record(target), out)
        if reason:
            todo.append((target, reason))
    return todo


def run(targets: list[Target], out: Path, *, jobs: int, force: bool, prune: bool = False,
        on_start: Callable[[int], None], report: Report) -> Summary:
    """Build what is outdated among `targets`; call `report` as each one finishes.

    With `prune`, `targets` is the whole plan: outputs of targets that the content no longer
    defines (a deleted deck, a dropped language) are removed with their manifest records."""
    out.mkdir(parents=True, exist_ok=True)
    remove_partial_files(out)
    manifest = Manifest(out)
    if prune:
        manifest.prune({Manifest.key(t) for t in targets}, out)
    summary = Summary()
    todo = outdated(targets, manifest, out, force)
    building = {id(t) for t, _ in todo}
    for target in targets:
        if id(target) not in building:
            outcome = Outcome(target, "up to date")
            summary.outcomes.append(outcome)
    on_start(len(todo))
    todo.sort(key=lambda item: -COST.get(item[0].kind, 1))
    for target, reason, result in _execute(todo, out, jobs):
        if isinstance(result, dict):
            manifest.update(target, result["files"], result["seconds"])
            manifest.save()
            outcome = Outcome(target, "built", reason, result["seconds"])
        else:
            outcome = Outcome(target, "failed", reason, error=result)
        summary.outcomes.append(outcome)
        report(outcome)
    if not todo and not manifest.path.is_file():
        manifest.save()
    return summary


def _task(target: Target, out: Path) -> tuple[Any, ...]:
    return (target.kind, target.name, target.context, target.paths, out, out / CACHE)


def charts_to_draw(todo: list[tuple[Target, str]], cache: Path) -> list[tuple[dict[str, Any], str]]:
    """The charts the outdated targets need that the cache does not hold yet, each once."""
    from materials.charts import chart_key, chart_path

    needed: dict[str, tuple[dict[str, Any], str]] = {}
    for target, _ in todo:
        for chart, medium in target.charts:
            if not chart_path(chart, medium, cache).is_file():
                needed.setdefault(chart_key(chart, medium), (chart, medium))
    return list(needed.values())


def _draw_chart(chart: dict[str, Any], medium: str, cache: Path) -> None:
    from materials.charts import render_chart

    render_chart(chart, medium, cache)


def _execute(todo: list[tuple[Target, str]], out: Path, jobs: int
             ) -> Iterator[tuple[Target, str, dict[str, Any] | str]]:
    """Cut the fonts, draw the missing charts once each, then render the targets;
    yield (target, reason, result or error message) as targets finish."""
    if not todo:
        return
    from materials.fonts import static_fonts

    static_fonts()  # once here, not in every worker
    charts = charts_to_draw(todo, out / CACHE)
    if jobs <= 1 or len(todo) <= 1:
        for chart, medium in charts:
            _draw_chart(chart, medium, out / CACHE)
        for target, reason in todo:
            try:
                yield target, reason, render_target(*_task(target, out))
            except MaterialsError as exc:
                yield target, reason, str(exc)
        return
    context = multiprocessing.get_context("forkserver")
    with cf.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
        drawn = [pool.submit(_draw_chart, chart, medium, out / CACHE) for chart, medium in charts]
        cf.wait(drawn)  # a chart that failed here fails again, with its target's name, below
        futures = {pool.submit(render_target, *_task(t, out)): (t, r) for t, r in todo}
        for future in cf.as_completed(futures):
            target, reason = futures[future]
            try:
                yield target, reason, future.result()
            except MaterialsError as exc:
                yield target, reason, str(exc)
            except cf.process.BrokenProcessPool:
                yield target, reason, f"{target.name}: the worker process died"
