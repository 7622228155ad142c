"""Take the built outputs (and the content) and check them the way a print shop, an
accessibility checker or a presenter would; report a table of findings.

Which files to check comes from output/manifest.json. Each output kind names the checks of
its files (`OutputKind.checks`); this module runs them, collects the findings and adds the
content's own: figure ages and missing texts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content, period_year
from bmr_materials.shared.kind import Issue, OutputKind

MISSING_TEXT = "text missing in language"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file: the file (relative to the output folder), check and message."""

    path: str
    check: str
    severity: str  # error | warning (an info note is shown, never counted)
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.check}: {self.severity}: {self.message}"


@dataclass
class Result:
    """The outcome of one check on one file (no issues: passed)."""

    path: str
    check: str
    issues: list[Issue] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        return [
            Finding(self.path, self.check, i.severity, i.message)
            for i in self.issues
            if i.severity != "info"
        ]


# --- what to check ---------------------------------------------------------------------------


def output_rows(
    out: Path,
    kinds: Sequence[OutputKind],
    langs: list[str] | None = None,
    only: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The outputs to check: the manifest's rows, else the files each kind recognises in the
    folder; `only` names kinds by group or outputs by id."""
    from bmr_materials.engine.manifest import Manifest

    groups = {kind.group: kind.name for kind in kinds}
    wanted_kinds = {groups[o] for o in only or () if o in groups}
    wanted_ids = {o for o in only or () if o not in groups}
    rows = Manifest(out).outputs() or _found_files(out, kinds)
    return [
        r
        for r in rows
        if (not langs or r["lang"] in langs)
        and (not wanted_kinds or r["kind"] in wanted_kinds)
        and (not wanted_ids or r["id"] in wanted_ids)
    ]


def _found_files(out: Path, kinds: Sequence[OutputKind]) -> list[dict[str, Any]]:
    """Rows for the output files in a folder without a manifest, by each kind's patterns."""
    rows = []
    for kind in kinds:
        for pattern, variant in kind.files:
            for found in sorted(out.glob(pattern)) if out.is_dir() else ():
                rel = found.relative_to(out).as_posix()
                rows.append(
                    {
                        "kind": kind.name,
                        "lang": rel.split("/")[0],
                        "variant": variant,
                        "path": rel,
                        "id": found.stem,
                        "figure_ids": [],
                    }
                )
    return sorted(rows, key=lambda r: str(r["path"]))


def _manifest_issues(row: dict[str, Any], path: Path) -> list[Issue]:
    if not path.is_file():
        return [Issue("error", "listed in manifest.json but missing: build again")]
    expected = row.get("sha256")
    if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
        return [Issue("warning", "changed since the build (sha256 differs from manifest.json)")]
    return []


def check_file(out: Path, row: dict[str, Any], kinds: Sequence[OutputKind]) -> list[Result]:
    """Run every check on one output file."""
    rel = row["path"]
    path = out / rel
    results = [Result(rel, "manifest", _manifest_issues(row, path))] if "sha256" in row else []
    if not path.is_file():
        return results
    opened: list[Any] = []
    try:
        kind = next(k for k in kinds if k.name == row["kind"])
        checks = kind.checks(row["variant"], path, opened)
    except Exception as exc:  # a damaged file: report it, check the others
        return [
            *results,
            Result(
                rel, "readable", [Issue("error", f"cannot be read: {type(exc).__name__}: {exc}")]
            ),
        ]
    try:
        for name, check in checks.items():
            try:
                results.append(Result(rel, name, list(check())))
            except Exception as exc:  # a file that trips a check up is reported, not raised
                results.append(
                    Result(
                        rel,
                        name,
                        [Issue("error", f"could not be checked: {type(exc).__name__}: {exc}")],
                    )
                )
    finally:
        for pdf in opened:
            pdf.close()
    return results


# --- content ---------------------------------------------------------------------------------


def figure_age_results(
    content: Content, rows: list[dict[str, Any]], today: dt.date | None = None
) -> list[Result]:
    """Figures the outputs show that are older than campaign.settings.figure_max_age_years."""
    max_age = content.campaign.settings.figure_max_age_years
    year_now = (today or dt.date.today()).year
    shown = sorted({fid for row in rows for fid in row.get("figure_ids") or ()})
    issues = []
    for fid in shown:
        fig = content.figures.figures.get(fid)
        year = period_year(fig.period) if fig else None
        if year is not None and year_now - year > max_age:
            issues.append(
                Issue(
                    "warning",
                    f"figure {fid} is from {year}: check for a newer "
                    f"one (older than {max_age} years)",
                )
            )
    return [Result("content/figures.yaml", "figure age", issues)]


def content_problem_results(problems: list[Any]) -> list[Result]:
    """A content folder that does not load: its missing texts and other problems."""
    texts = [p for p in problems if MISSING_TEXT in p.message]
    other = [p for p in problems if MISSING_TEXT not in p.message]
    return [
        Result("content", "texts", [Issue(p.severity, str(p)) for p in texts]),
        Result("content", "valid", [Issue(p.severity, str(p)) for p in other]),
    ]


def inspect(
    out: Path,
    content: Content | None,
    kinds: Sequence[OutputKind],
    langs: list[str] | None = None,
    only: list[str] | None = None,
) -> list[Result]:
    """Every check on every output in `out` (and the figure ages when `content` is given)."""
    rows = output_rows(out, kinds, langs, only)
    if content is not None:
        from bmr_materials.shared.fonts import know_shipped_font

        know_shipped_font(content)  # the decks' font coverage looks its family up
    results = [r for row in rows for r in check_file(out, row, kinds)]
    if content is not None and rows:
        results += figure_age_results(content, rows)
    return results


def preflight_outputs(
    out: Path, content: Content | None, kinds: Sequence[OutputKind]
) -> list[Finding]:
    """Every problem found in the outputs of `out` (errors and warnings), sorted."""
    return sorted(f for r in inspect(out, content, kinds) for f in r.findings())
