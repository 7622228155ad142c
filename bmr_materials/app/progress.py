"""Show a build as people can follow it: a progress bar on a terminal, one plain line per
target elsewhere (CI), and a summary table with times."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from bmr_materials.engine.build import Outcome, Summary


class BuildDisplay:
    """Progress and summary for one build; `quiet` prints only failures."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False) -> None:
        self.console = Console(stderr=False, highlight=False)
        self.errors = Console(
            stderr=True, highlight=False, width=200 if not self.console.is_terminal else None
        )
        if not self.console.is_terminal:
            self.console.width = 120
        self.quiet, self.verbose = quiet, verbose
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> BuildDisplay:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.stop()

    def start(self, total: int) -> None:
        """Begin showing progress over `total` targets to build."""
        if total and not self.quiet and self.console.is_terminal:
            self.bar = Progress(
                TextColumn("building"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("", total=total)

    def done(self, outcome: Outcome) -> None:
        """One target finished (built or failed)."""
        if outcome.state == "failed":
            self.errors.print(f"failed  {outcome.target.name}: {outcome.error}", markup=False)
        elif not self.quiet and (self.bar is None or self.verbose):
            why = f" ({outcome.reason})" if self.verbose else ""
            line = f"built   {outcome.target.name} in {outcome.seconds:.1f} s{why}"
            (self.bar.console if self.bar else self.console).print(line, markup=False)
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=1, description=outcome.target.name)

    def summary(self, summary: Summary, seconds: float) -> None:
        """The table of built and failed targets, and one closing line."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        shown = [o for o in summary.outcomes if o.state != "up to date"]
        if shown and not self.quiet:
            table = Table(title=None, show_edge=False)
            for column in ("target", "state", "seconds", "why"):
                table.add_column(column, justify="right" if column == "seconds" else "left")
            for o in shown:
                table.add_row(o.target.name, o.state, f"{o.seconds:.1f}", o.reason)
            self.console.print(table)
        line = (
            f"{summary.count('built')} built, {summary.count('up to date')} up to date, "
            f"{summary.count('failed')} failed in {seconds:.1f} s"
        )
        if summary.ok:
            if not self.quiet:
                self.console.print(line, markup=False)
        else:
            self.errors.print(line, markup=False)
        sys.stdout.flush()
