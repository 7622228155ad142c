"""Show preflight findings as a table, and the `preflight` command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from bmr_materials.content.model import Content
from bmr_materials.engine.preflight import Result, content_problem_results, inspect
from bmr_materials.shared.kind import OutputKind


def show(results: list[Result], *, quiet: bool = False, verbose: bool = False) -> None:
    """A table of the results: every check with --verbose, problems only with --quiet, else
    the problems and one line per file that passed everything."""
    from rich.table import Table

    table = Table(title="preflight", title_justify="left")
    table.add_column("path", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("result")
    by_path: dict[str, list[Result]] = {}
    for result in results:
        by_path.setdefault(result.path, []).append(result)
    styles = {"error": "bold red", "warning": "yellow", "info": "dim"}
    for path, checks in by_path.items():
        if not verbose and all(not r.findings() for r in checks):
            if not quiet:
                count = f"all {len(checks)} checks" if len(checks) > 1 else "1 check"
                table.add_row(path, count, "[green]ok[/]")
                for result in checks:  # the notes: page fill, photographs
                    for issue in result.issues:
                        table.add_row(path, result.check, f"[dim]{issue.message}[/]")
            continue
        for result in checks:
            if not result.issues and verbose:
                table.add_row(path, result.check, "[green]ok[/]")
            for issue in result.issues:
                if issue.severity == "info" and quiet:
                    continue
                table.add_row(
                    path,
                    result.check,
                    f"[{styles[issue.severity]}]{issue.severity}[/]: {issue.message}",
                )
    if table.row_count:
        console().print(table)


def console() -> Any:
    """A rich console as wide as the terminal (160 columns when the output is a file)."""
    from rich.console import Console

    return Console(highlight=False, width=None if Console().is_terminal else 160)


def run_preflight(args: argparse.Namespace, kinds: Sequence[OutputKind]) -> int:
    """`preflight`: check the content and every built output; 1 when something failed."""
    from bmr_materials.content.load import load_content
    from bmr_materials.errors import ContentError

    content: Content | None = None
    problems: list[Any] = []
    try:
        content = load_content(args.content).content
    except ContentError as exc:
        problems = exc.problems
    results = content_problem_results(problems)
    checked = inspect(args.out, content, kinds, args.lang, args.only)
    out = console()
    if not checked:
        out.print(
            f"[bold red]nothing to check[/] in {args.out}: build first (make_materials.py build)"
        )
        return 1
    results += checked
    show(results, quiet=args.quiet, verbose=args.verbose)
    findings = [f for r in results for f in r.findings()]
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    files = len({r.path for r in checked if not r.path.startswith("content")})
    if not args.quiet or findings:
        out.print(
            f"preflight: {files} files, {len(results)} checks, "
            f"{errors} error(s), {warnings} warning(s)"
            + (" (--strict: warnings fail)" if args.strict and warnings else "")
        )
    return 1 if errors or (args.strict and warnings) else 0
