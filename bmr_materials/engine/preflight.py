"""Take the built outputs (and the content) and check them the way a print shop, an
accessibility checker or a presenter would; report a table of findings.

Which files to check comes from output/manifest.json. Each output kind names the checks of
its files (`OutputKind.checks`); this module runs them, collects the findings and adds the
content's own: figure ages and missing texts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmr_materials.content.model import Content, period_year
from bmr_materials.shared.kind import Issue, OutputKind

MISSING_TEXT = "text missing in language"
NOT_CHECKED = "could not be checked"


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

    @property
    def failed_to_run(self) -> bool:
        """Whether the check raised instead of finishing."""
        return any(i.message.startswith(NOT_CHECKED) for i in self.issues)

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


def check_file(
    out: Path, row: dict[str, Any], kinds: Sequence[OutputKind], salt: str = ""
) -> list[Result]:
    """Run every check on one output file. With a `salt` (checks_salt), the findings are
    kept in the cache under a digest of the salt and the bytes of the file and its siblings
    of the same name (a deck's PDF checks read its PPTX), and the same files are not checked
    again (in any output folder)."""
    rel = row["path"]
    path = out / rel
    results = [Result(rel, "manifest", _manifest_issues(row, path))] if "sha256" in row else []
    if not path.is_file():
        return results
    kind = next(k for k in kinds if k.name == row["kind"])
    if not salt:
        return results + _run_checks(kind, row["variant"], path, rel)
    key = hashlib.sha256(f"{salt}\0{kind.name}\0{row['variant']}".encode())
    for read in (path, *sorted(p for p in path.parent.glob(f"{path.stem}.*") if p != path)):
        key.update(b"\0" + read.suffix.encode() + b"\0" + read.read_bytes())
    check = lambda: _run_checks(kind, row["variant"], path, rel)  # noqa: E731
    return results + _remembered(key.hexdigest(), check, rel)


def checks_salt(kinds: Sequence[OutputKind], content: Content | None) -> str:
    """What the checks' findings depend on besides a file's bytes: the code of the kinds and
    the engine, the renderers' versions and the brand (its font files: the deck checks'
    font coverage)."""
    from bmr_materials.engine.plan import brand_digest, code_digest, versions

    packages = sorted({p for kind in kinds for p in kind.code} | {"bmr_materials.engine"})
    named = [f"{type(kind).__module__}.{type(kind).__qualname__}" for kind in kinds]
    brand = brand_digest(content) if content is not None else ""
    return "\0".join([code_digest(tuple(packages)), versions(), *named, brand])


def _remembered(key: str, check: Callable[[], list[Result]], rel: str) -> list[Result]:
    """The findings kept under `key`, else those of `check` (kept unless a check failed to
    run: a damaged file or a bug is checked again)."""
    from bmr_materials.resources import cache_root
    from bmr_materials.shared.repro import atomic_write

    path = cache_root() / "preflight" / f"{key[:40]}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        kept = json.loads(path.read_text(encoding="utf-8"))
        return [Result(rel, r["check"], [Issue(*i) for i in r["issues"]]) for r in kept]
    results = check()
    if not any(r.check == "readable" or r.failed_to_run for r in results):
        rows = [{"check": r.check, "issues": [list(i) for i in r.issues]} for r in results]
        atomic_write(path, json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return results


def _run_checks(kind: OutputKind, variant: str, path: Path, rel: str) -> list[Result]:
    """The kind's checks of its file `path` (shown as `rel`)."""
    results: list[Result] = []
    opened: list[Any] = []
    try:
        checks = kind.checks(variant, path, opened)
    except Exception as exc:  # a damaged file: report it, check the others
        return [
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
                        [Issue("error", f"{NOT_CHECKED}: {type(exc).__name__}: {exc}")],
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
    salt = checks_salt(kinds, content)
    results = [r for row in rows for r in check_file(out, row, kinds, salt)]
    if content is not None and rows:
        results += figure_age_results(content, rows)
    return results


def preflight_outputs(
    out: Path, content: Content | None, kinds: Sequence[OutputKind]
) -> list[Finding]:
    """Every problem found in the outputs of `out` (errors and warnings), sorted."""
    return sorted(f for r in inspect(out, content, kinds) for f in r.findings())
