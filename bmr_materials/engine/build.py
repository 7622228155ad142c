"""Run a plan: render the outdated targets (in worker processes when --jobs > 1), write each
atomically, record it in the manifest, and sum up what was built, skipped and failed."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmr_materials.engine import rendercache
from bmr_materials.engine.lock import output_lock
from bmr_materials.engine.manifest import Manifest
from bmr_materials.engine.plan import why_outdated
from bmr_materials.engine.worker import close_renderers, render_target, warm_up
from bmr_materials.errors import FolderError, MaterialsError
from bmr_materials.resources import render_cache
from bmr_materials.shared.faults import reach
from bmr_materials.shared.kind import OutputKind, Target
from bmr_materials.shared.repro import remove_stale_parts


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
    preflight: list[Any] = field(default_factory=list)  # preflight Results of what was built

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.outcomes)

    @property
    def preflight_errors(self) -> int:
        return sum(issue.severity == "error" for r in self.preflight for issue in r.issues)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0


Report = Callable[[Outcome], None]


def outdated(
    targets: list[Target], manifest: Manifest, out: Path, force: bool
) -> list[tuple[Target, str]]:
    """The targets to build, with the reason for each."""
    todo = []
    for target in targets:
        reason = "forced" if force else why_outdated(target, manifest.record(target), out)
        if reason:
            todo.append((target, reason))
    return todo


def run(
    targets: list[Target],
    kinds: Sequence[OutputKind],
    out: Path,
    *,
    jobs: int,
    force: bool,
    prune: bool = False,
    on_start: Callable[[int], None],
    report: Report,
) -> Summary:
    """Build what is outdated among `targets`; call `report` as each one finishes.

    With `prune`, `targets` is the whole plan: outputs of targets that the content no longer
    defines (a deleted deck, a dropped language) are removed with their manifest records."""
    with output_lock(out):
        try:
            return _run(
                targets,
                {k.name: k for k in kinds},
                out,
                jobs=jobs,
                force=force,
                prune=prune,
                on_start=on_start,
                report=report,
            )
        except BaseException:  # Ctrl-C, SIGTERM, a full disk: no worker outlives the build
            stop_children()
            remove_stale_parts(out)
            raise


def stop_children() -> None:
    """Kill the processes this build started (workers, LibreOffice) with all they started.
    multiprocessing's forkserver and resource tracker are left: they end with this process."""
    import psutil

    me = psutil.Process()
    helpers = {child.pid for child in me.children() if _is_helper(child)}
    victims = [p for p in me.children(recursive=True) if p.pid not in helpers]
    for process in victims:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(victims, timeout=10)


def _is_helper(process: Any) -> bool:
    import psutil

    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return "multiprocessing.forkserver" in command or "multiprocessing.resource_tracker" in command


def _ignore_interrupts() -> None:
    """In workers: Ctrl-C reaches the whole process group; the main process decides."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(
    targets: list[Target],
    kinds: dict[str, OutputKind],
    out: Path,
    *,
    jobs: int,
    force: bool,
    prune: bool,
    on_start: Callable[[int], None],
    report: Report,
) -> Summary:
    from bmr_materials.shared.fonts import cache_root

    remove_stale_parts(out)
    remove_stale_parts(cache_root())
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
    if todo:
        rendercache.prune()
    with rendercache.rendering() if todo else contextlib.nullcontext():
        for target, reason, result in _execute(todo, kinds, out, jobs):
            if isinstance(result, dict):
                manifest.update(target, result["files"])
                manifest.save()
                outcome = Outcome(target, "built", reason, result["seconds"])
            else:
                outcome = Outcome(target, "failed", reason, error=result)
            summary.outcomes.append(outcome)
            report(outcome)
    if todo:
        reach("outputs-written")
    if not todo and not manifest.path.is_file():
        manifest.save()
    return summary


def _task(target: Target, kinds: dict[str, OutputKind], out: Path) -> tuple[Any, ...]:
    return (
        kinds[target.kind].module,
        target.name,
        target.context,
        target.paths,
        out,
        render_cache(),
    )


def charts_to_draw(todo: list[tuple[Target, str]], cache: Path) -> list[tuple[dict[str, Any], str]]:
    """The charts the outdated targets need that the cache does not hold yet, each drawn once
    (a print SVG is made from its screen SVG, so only that one is drawn)."""
    from bmr_materials.shared.charts import cached_path, chart_key, drawn_medium

    needed: dict[str, tuple[dict[str, Any], str]] = {}
    for target, _ in todo:
        for chart, medium in target.charts:
            if not cached_path(chart, medium, cache).is_file():
                medium = drawn_medium(medium)
                needed.setdefault(chart_key(chart, medium), (chart, medium))
    return list(needed.values())


def worker_shares(
    todo: list[tuple[Target, str]], limits: dict[str, int | None], jobs: int
) -> dict[str, int]:
    """Workers per kind of target: each worker keeps one renderer warm. A kind with a limit
    (decks: LibreOffice converts one at a time) gets at most that many; the kinds without one
    share the rest. When they are more kinds than workers left, the kinds with the most
    targets get a worker and the others none: a pool that has done its own work renders
    theirs (no third warm renderer beside LibreOffice at --jobs 2)."""
    counts: dict[str, int] = {}
    for target, _ in todo:
        counts[target.kind] = counts.get(target.kind, 0) + 1
    limited = {k: min(n, limits.get(k) or n, jobs) for k, n in counts.items() if limits.get(k)}
    free = [k for k in counts if k not in limited]
    if not free:
        return limited
    budget = max(1, jobs - sum(limited.values()))
    served = sorted(free, key=lambda k: counts[k], reverse=True)[:budget]
    each = budget // len(served) if len(counts) > 1 else jobs
    return {**limited, **{k: min(counts[k], each) for k in served}}


def _draw_chart(chart: dict[str, Any], medium: str, cache: Path) -> None:
    """Draw one chart into the cache; a failure shows again, named, when a target needs it."""
    from bmr_materials.shared.charts import render_chart

    with contextlib.suppress(Exception):
        render_chart(chart, medium, cache)


def _execute(
    todo: list[tuple[Target, str]], kinds: dict[str, OutputKind], out: Path, jobs: int
) -> Iterator[tuple[Target, str, dict[str, Any] | str]]:
    """Cut the fonts, draw the missing charts once each, then render the targets;
    yield (target, reason, result or error message) as targets finish."""
    if not todo:
        return
    from bmr_materials.shared.fonts import static_fonts

    static_fonts()  # once here, not in every worker
    charts = charts_to_draw(todo, render_cache())
    if jobs <= 1 or len(todo) <= 1:
        try:
            first = todo[0][0]  # its kind may start a program now (LibreOffice), not later
            warm_up(kinds[first.kind].module, first.context, first.paths)
            for chart, medium in charts:
                _draw_chart(chart, medium, render_cache())
            for target, reason in todo:
                try:
                    yield target, reason, render_target(*_task(target, kinds, out))
                except FolderError:
                    raise
                except MaterialsError as exc:
                    yield target, reason, str(exc)
        finally:
            close_renderers()
        return
    context = multiprocessing.get_context("forkserver")
    if charts:  # matplotlib lives only in these workers, not in the renderers' memory
        with cf.ProcessPoolExecutor(
            max_workers=min(jobs, len(charts)), mp_context=context, initializer=_ignore_interrupts
        ) as pool:
            cf.wait(
                [
                    pool.submit(_draw_chart, chart, medium, render_cache())
                    for chart, medium in charts
                ]
            )
    limits = {name: kind.max_workers for name, kind in kinds.items()}
    yield from _in_pools(todo, kinds, out, worker_shares(todo, limits, jobs), context)


def _in_pools(
    todo: list[tuple[Target, str]],
    kinds: dict[str, OutputKind],
    out: Path,
    shares: dict[str, int],
    context: Any,
) -> Iterator[tuple[Target, str, dict[str, Any] | str]]:
    """Render in one pool per kind that has workers, feeding each pool as its workers free
    up; the kinds without workers are rendered by the pools that have done their own."""
    kinds_todo = dict.fromkeys(target.kind for target, _ in todo)
    queues = {kind: deque(item for item in todo if item[0].kind == kind) for kind in kinds_todo}
    helped = [k for k in kinds_todo if k not in shares and kinds[k].max_workers is None]
    running: dict[cf.Future[dict[str, Any]], tuple[Target, str, str]] = {}
    with contextlib.ExitStack() as stack:
        pools = {
            kind: stack.enter_context(
                cf.ProcessPoolExecutor(count, mp_context=context, initializer=_ignore_interrupts)
            )
            for kind, count in shares.items()
        }
        stack.push(_stop_on_error)  # runs first: the pools then shut down without waiting

        def feed() -> None:
            for kind, pool in pools.items():
                busy = sum(1 for *_, k in running.values() if k == kind)
                for _ in range(shares[kind] - busy):
                    limited = kinds[kind].max_workers is not None
                    item = _next_task(kind, queues, helped, limited=limited)
                    if item is None:
                        break
                    try:
                        future = pool.submit(render_target, *_task(item[0], kinds, out))
                    except cf.process.BrokenProcessPool:  # its worker died: fail what is left
                        future = cf.Future()
                        future.set_exception(cf.process.BrokenProcessPool())
                    running[future] = (*item, kind)

        feed()
        while running:
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for future in done:
                target, reason, _ = running.pop(future)
                yield target, reason, _outcome(future, target)
            feed()


def _stop_on_error(kind: type[BaseException] | None, *_: object) -> None:
    if kind is not None:
        stop_children()


def _next_task(
    kind: str, queues: dict[str, deque[tuple[Target, str]]], helped: list[str], *, limited: bool
) -> tuple[Target, str] | None:
    """A pool takes its own kind first. The pool of a limited kind (decks) helps with the
    others once its own queue is empty; the others help only with the kinds that have no
    pool (`helped`) and never take a limited kind's work, so LibreOffice never runs beside
    two warm brochure workers (that would pass the memory budget)."""
    if queues[kind]:
        return queues[kind].popleft()
    if limited:
        return next((queue.popleft() for queue in queues.values() if queue), None)
    return next((queues[k].popleft() for k in helped if queues[k]), None)


def _outcome(future: cf.Future[dict[str, Any]], target: Target) -> dict[str, Any] | str:
    try:
        return future.result()
    except FolderError:
        raise
    except MaterialsError as exc:
        return str(exc)
    except cf.process.BrokenProcessPool:
        return f"{target.name}: the worker process died (out of memory?)"
    except Exception as exc:  # anything else the pool hands back: named, never a traceback
        return f"{target.name}: {type(exc).__name__}: {exc}"
