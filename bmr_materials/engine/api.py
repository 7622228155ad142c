"""The builder as a Python API: check a project's content, plan its outputs, build them.

    from bmr_materials.engine.api import build, check
    project = Project(content=Path("content"), output=Path("output"), kinds=load_kinds())
    summary = build(project, BuildOptions(jobs=2))

The command line only turns its arguments into a Project and BuildOptions and shows what
these functions return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from bmr_materials.content.load import Loaded, load_content
from bmr_materials.content.model import Content
from bmr_materials.engine.build import Outcome, Summary, outdated, run
from bmr_materials.engine.finish import finish
from bmr_materials.engine.folders import named_failures, probe_cache
from bmr_materials.engine.lock import output_lock
from bmr_materials.engine.manifest import Manifest
from bmr_materials.engine.plan import plan
from bmr_materials.engine.project import BuildOptions, Project
from bmr_materials.engine.shards import merge as join_shards
from bmr_materials.engine.shards import share
from bmr_materials.errors import ContentError, Problem, UsageError, did_you_mean
from bmr_materials.shared.kind import Options, Target


def check(
    project: Project,
    *,
    strict: bool = False,
    select: Options | None = None,
    kinds: Iterable[str] | None = None,
) -> Loaded:
    """The project's content, validated and checked by the output kinds named (default:
    every kind) for what their renderers rely on; raises ContentError listing every
    problem and warning."""
    loaded = load_content(project.content, strict=strict)
    check_kinds(
        project,
        loaded,
        select or Options(),
        [k.name for k in project.kinds] if kinds is None else kinds,
        loaded.warnings,
    )
    return loaded


def check_kinds(
    project: Project,
    loaded: Loaded,
    select: Options,
    kinds: Iterable[str],
    warnings: list[Problem] | None = None,
) -> None:
    """Raise ContentError when the renderer of one of `kinds` would fail on this content."""
    names = set(kinds)
    problems = [
        p
        for kind in project.kinds
        if kind.name in names
        for p in kind.check(loaded.content, loaded.origins, select)
    ]
    if problems:
        raise ContentError(problems + (warnings or []))


def targets(project: Project, content: Content, select: Options) -> list[Target]:
    """Every target `select` asks for, fingerprinted; a language the content does not
    configure is a usage error."""
    configured = content.languages
    unknown = [lang for lang in select.languages if lang not in configured]
    if unknown:
        hint = did_you_mean(unknown[0], configured) if len(unknown) == 1 else ""
        raise UsageError(
            f"--lang: language {', '.join(unknown)} is not configured{hint} "
            f"(configured: {', '.join(configured)})"
        )
    return plan(content, select, project.kinds)


def states(
    project: Project, planned: list[Target], *, force: bool = False
) -> list[tuple[Target, str | None]]:
    """Each target with the reason it is outdated (None: up to date)."""
    reasons = {
        id(t): r for t, r in outdated(planned, Manifest(project.output), project.output, force)
    }
    return [(t, reasons.get(id(t))) for t in planned]


def prepare(
    project: Project,
    options: BuildOptions,
    loaded: Loaded,
    planned: list[Target] | None = None,
) -> list[Target]:
    """The targets a build makes (its shard's share; of `planned`, the `targets` of the
    content when the caller has them already), after the kinds of the outdated ones have
    checked the content: raises ContentError before anything is written."""
    if planned is None:
        planned = targets(project, loaded.content, options.select)
    if options.shard:
        planned = share(planned, options.shard)
    pending = {t.kind for t, reason in states(project, planned, force=options.force) if reason}
    check_kinds(project, loaded, options.select, pending)
    return planned


def build(
    project: Project,
    options: BuildOptions,
    loaded: Loaded | None = None,
    *,
    planned: list[Target] | None = None,
    on_start: Callable[[int], None] = lambda count: None,
    report: Callable[[Outcome], None] = lambda outcome: None,
) -> Summary:
    """Build what is out of date, then refresh the catalog and preflight what has not passed
    (engine/finish.py), holding the output folder's lock throughout.

    The kinds of the outdated outputs check the content first (nothing renders on content
    `check` refuses; a build with nothing to do imports no renderer). A build of every kind
    and language also removes outputs the content no longer defines. An output or cache
    folder that cannot be written raises FolderError."""
    with named_failures(project.output):
        probe_cache()
    loaded = loaded or check(project, strict=options.strict, kinds=())
    content = loaded.content
    planned = planned if planned is not None else prepare(project, options, loaded)
    # a whole build (or a shard's folder) removes the outputs that are not its targets
    complete = bool(options.shard) or not (options.select.languages or options.select.only)
    with named_failures(project.output), output_lock(project.output):
        summary = run(
            planned,
            project.kinds,
            project.output,
            jobs=options.jobs,
            force=options.force,
            prune=complete,
            on_start=on_start,
            report=report,
        )
        summary.preflight = finish(
            project.output, content, project.kinds, options.select, preflight=options.preflight
        )
    return summary


def merge(project: Project, shards: list[Path], content: Content | None = None) -> int:
    """Join the outputs of `build --shard K/N` runs into the project's output folder and
    write its catalog; the number of outputs merged."""
    content = content or check(project, kinds=()).content
    with named_failures(project.output), output_lock(project.output):
        merged = join_shards(shards, project.output)
        planned = targets(project, content, Options())
        merged.prune({Manifest.key(t) for t in planned}, project.output)
        finish(project.output, content, project.kinds, Options(), preflight=False)
    return len(merged.outputs())
