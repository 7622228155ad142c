"""Read the content folder into a validated `Content` model, or list every problem in it.

YAML files -> marked data -> pydantic models (shape, types, languages) -> cross-checks
(references, assets, duplicates, ages). All problems are collected before anything raises.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bmr_materials.content import crosscheck, languages
from bmr_materials.content.model import (
    ID_PATTERN,
    PERIOD_PATTERN,
    Campaign,
    Content,
    Deck,
    Figures,
    Region,
    Site,
    Specialization,
)
from bmr_materials.content.yamlsafe import KeyPath, Marked, read_yaml
from bmr_materials.errors import ContentError, Problem, display_path

SINGLE_FILES: dict[str, type[BaseModel]] = {
    "campaign": Campaign,
    "figures": Figures,
    "region": Region,
}
FOLDERS: dict[str, type[BaseModel]] = {"fields": Specialization, "sites": Site, "decks": Deck}

_PATTERN_WORDS = {
    ID_PATTERN: "an id of lower-case letters, digits, - and _",
    PERIOD_PATTERN: "a period: YYYY, YYYY-MM-DD or as-stated",
    r"^\d{4}$": "a year, YYYY",
    r"^(https?://|mailto:|tel:)\S+$": "a link starting with https://, http://, mailto: or tel:",
    r"^https?://\S+$": "a web address starting with https:// or http://",
    r"^#[0-9A-Fa-f]{6}$": "a colour #RRGGBB",
    r"^\d{4}-\d{2}-\d{2}$": "a date YYYY-MM-DD",
    r"^[A-Z]{3}$": "a currency code of three capital letters (ISO 4217, e.g. EUR)",
}


@dataclass
class Loaded:
    """A validated model, where each part came from ("fields/<id>"), and the warnings."""

    content: Content
    origins: dict[str, Marked]
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what each asset is: format, size


def load_content(root: Path, *, strict: bool = False) -> Loaded:
    """Load and validate `root`; raise ContentError listing every problem found."""
    problems: list[Problem] = []
    files = _read_files(root, problems)
    every, complete = _languages(files.get("campaign"))
    own_labels = languages.read_labels(root, every, problems)
    labels = languages.merged_labels(own_labels, every)
    found = (
        []
        if "campaign" not in files
        else list(languages.label_problems(root, own_labels, labels, files["campaign"]))
    )
    parts, origins = _validate_all(files, (every, complete), problems)
    parts["labels"] = labels
    parts["folder"] = root.resolve()
    refs, unknown = crosscheck.references(files)
    problems += unknown
    for marked in files.values():
        problems += crosscheck.links(marked, marked.data)
    if problems or any(parts.get(n) is None for n in SINGLE_FILES):
        raise ContentError(problems + found)
    content = Content.model_construct(**parts)
    found += crosscheck.check(content, origins, refs)
    inspected, notes = crosscheck.inspect_assets(content, origins["campaign"])
    found += inspected
    errors = [p for p in found if p.severity == "error"]
    warnings = [p for p in found if p.severity == "warning"]
    if errors or (strict and warnings):
        raise ContentError(errors + warnings)
    return Loaded(content, origins, warnings, notes)


def _validate_all(
    files: dict[str, Marked], complete: tuple[list[str], list[str]], problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, Marked]]:
    """Each file against its model: the valid parts and the file each came from."""
    parts: dict[str, Any] = {}
    origins: dict[str, Marked] = {name: files[name] for name in SINGLE_FILES if name in files}
    for name, model in SINGLE_FILES.items():
        if name in files:
            parts[name] = _validate(files[name], model, complete, problems)
    for folder, model in FOLDERS.items():
        parts[folder] = {}
        for key, marked in files.items():
            if key.startswith(folder + "/"):
                item = _validate(marked, model, complete, problems)
                if item is not None:
                    crosscheck.add_unique(folder, parts[folder], item, marked, origins, problems)
    return parts, origins


def _read_files(root: Path, problems: list[Problem]) -> dict[str, Marked]:
    if not root.is_dir():
        problems.append(Problem(display_path(root), 1, 1, "", "content folder not found"))
        raise ContentError(problems)
    files: dict[str, Marked] = {}
    wanted = [root / f"{name}.yaml" for name in SINGLE_FILES]
    for path in wanted:
        if not path.exists() and not path.is_symlink():
            problems.append(Problem(display_path(path), 1, 1, "", "required file is missing"))
    for folder in FOLDERS:
        wanted += sorted((root / folder).glob("*.yaml"))
    for path in wanted:
        if not path.exists() and not path.is_symlink():
            continue
        refused = _outside(path, root)
        if refused:
            problems.append(Problem(display_path(path), 1, 1, "", refused))
            continue
        marked, found = read_yaml(path, display_path(path))
        problems += found
        if marked is not None:
            files[path.relative_to(root).with_suffix("").as_posix()] = marked
    return files


def _outside(path: Path, root: Path) -> str | None:
    """Why `path` may not be read as content: a link leaving the content folder, or not a
    regular file. The target of a link is never named."""
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        return "is a symbolic link to a file outside the content folder: not read"
    if not target.is_file():
        return "not a regular file: not read"
    return None


def _languages(campaign: Marked | None) -> tuple[list[str], list[str]]:
    """Every configured language, and those made for every output (every text needs them)."""
    data = campaign.data if campaign else None
    if isinstance(data, dict) and isinstance(data.get("languages"), dict):
        found = data["languages"]
        return (
            [str(code) for code in found],
            [
                str(code)
                for code, value in found.items()
                if not (isinstance(value, dict) and "outputs" in value)
            ],
        )
    return [], []


def _validate(
    marked: Marked,
    model: type[BaseModel],
    languages: tuple[list[str], list[str]],
    problems: list[Problem],
) -> Any:
    if not isinstance(marked.data, dict):
        problems.append(marked.problem((), "expected a mapping of keys at the top of the file"))
        return None
    try:
        every, complete = languages
        return model.model_validate(marked.data, context={"languages": every, "complete": complete})
    except ValidationError as exc:
        problems += [_problem(marked, model, error) for error in exc.errors()]
        return None


def _problem(marked: Marked, model: type[BaseModel], error: Any) -> Problem:
    loc: KeyPath = tuple(p for p in error["loc"] if not _is_union_tag(p))
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _keys_at(model, loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = (
            f" (did you mean {near[0]!r}?)" if near else f" (expected one of: {', '.join(known)})"
        )
        return marked.problem(loc, f"unknown key {loc[-1]!r}{hint}")
    if kind == "missing":
        return marked.problem(loc[:-1], f"missing required key {loc[-1]!r}")
    if kind == "located":
        return marked.problem((*loc, *error["ctx"]["at"]), error["ctx"]["message"])
    return marked.problem(loc, _message(error))


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"function-after"})


def _message(error: Any) -> str:
    kind, ctx, shown = error["type"], error.get("ctx") or {}, _shown(error.get("input"))
    if kind == "string_pattern_mismatch":
        want = _PATTERN_WORDS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return f"{shown} is not valid (expected {want})"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"{shown} is not allowed (expected one of {ctx.get('expected')})"
    expected = {
        "float_type": "a number",
        "int_type": "a whole number",
        "string_type": "text",
        "dict_type": "a mapping of keys",
        "list_type": "a list",
        "bool_type": "true or false",
    }.get(kind)
    if expected:
        return f"wrong type: got {shown} (expected {expected})"
    return f"{error['msg']} (got {shown})"


def _shown(value: Any) -> str:
    """A short, safe picture of a value: never a whole file or a long secret."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


def _keys_at(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys a mapping at `loc` may hold, following the model's annotations."""
    annotation: Any = model
    for part in loc:
        annotation = _step(annotation, part)
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found = annotation.model_fields.get(str(part))
        return found.annotation if found else None
    args = typing.get_args(annotation)
    return args[-1] if args else None


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional around a type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = rest[0]
        else:
            return annotation
