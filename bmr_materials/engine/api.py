"""The builder as a Python API: check a project's content, plan its outputs, build them.

    from bmr_materials.engine.api import build, check
    project = Project(content=Path("content"), output=Path("output"), kinds=load_kinds())
    summary = build(project, BuildOptions(jobs=2))

The command line only turns its arguments into a Project and BuildOptions and shows what
these functions return.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bmr_materials.content.load import Loaded, load_content
from bmr_materials.content.model import Content
from bmr_materials.engine.build import Outcome, Summary, outdated, run
from bmr_materials.engine.finish import finish
from bmr_materials.engine.folders import named_failures
from bmr_materials.engine.lock import output_lock
from bmr_materials.engine.manifest import Manifest
from bmr_materials.engine.plan import plan
from bmr_materials.engine.project import BuildOptions, Project
from bmr_materials.engine.shards import merge as join_shards
from bmr_materials.engine.shards import share
from bmr_materials.errors import MaterialsError
from bmr_materials.shared.kind import Options, Target


def check(project: Project, *, strict: bool = False) -> Loaded:
    """The project's content, validated; raises ContentError listing every problem."""
    return load_content(project.content, strict=strict)


def targets(project: Project, content: Content, select: Options) -> list[Target]:
    """Every target `select` asks for, fingerprinted; a language the content does not
    configure is an error."""
    unknown = [lang for lang in select.languages if lang not in content.languages]
    if unknown:
        raise MaterialsError(f"language {', '.join(unknown)} is not configured "
                             f"(configured: {', '.join(content.languages)})")
    return plan(content, select, project.kinds)


def states(project: Project, planned: list[Target], *, force: bool = False
           ) -> list[tuple[Target, str | None]]:
    """Each target with the reason it is outdated (None: up to date)."""
    reasons = {id(t): r for t, r in outdated(planned, Manifest(project.output), project.output,
                                              force)}
    return [(t, reasons.get(id(t))) for t in planned]


def build(project: Project, options: BuildOptions, content: Content | None = None, *,
          on_start: Callable[[int], None] = lambda count: None,
          report: Callable[[Outcome], None] = lambda outcome: None) -> Summary:
    """Build what is out of date, then refresh the catalog and preflight what has not passed
    (engine/finish.py), holding the output folder's lock throughout.

    A build of every kind and language also removes outputs the content no longer defines.
    An output or cache folder that cannot be written raises FolderError."""
    content = content or check(project, strict=options.strict).content
    planned = targets(project, content, options.select)
    if options.shard:
        planned = share(planned, options.shard)
    # a whole build (or a shard's folder) removes the outputs that are not its targets
    complete = bool(options.shard) or not (options.select.languages or options.select.only)
    with named_failures(project.output), output_lock(project.output):
        summary = run(planned, project.kinds, project.output, jobs=options.jobs,
                      force=options.force, prune=complete, on_start=on_start, report=report)
        summary.preflight = finish(project.output, content, project.kinds, options.select,
                                   preflight=options.preflight)
    return summary


def merge(project: Project, shards: list[Path], content: Content | None = None) -> int:
    """Join the outputs of `build --shard K/N` runs into the project's output folder and
    write its catalog; the number of outputs merged."""
    content = content or check(project).content
    with named_failures(project.output), output_lock(project.output):
        merged = join_shards(shards, project.output)
        planned = targets(project, content, Options())
        merged.prune({Manifest.key(t) for t in planned}, project.output)
        finish(project.output, content, project.kinds, Options(), preflight=False)
    return len(merged.outputs())
