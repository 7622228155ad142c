"""The engine's pure functions, without rendering: fingerprint parts, the reason a target is
rebuilt, and how workers are shared between kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmr_materials.content.load import Loaded
from bmr_materials.engine.build import worker_shares
from bmr_materials.engine.plan import PROJECT, _reason, components, input_name, why_outdated
from bmr_materials.shared.kind import Target


def target(kind: str = "brochure", item: str = "x", **context: object) -> Target:
    return Target(kind, item, "en", "print", [f"en/{item}.pdf"], dict(context), [])


def todo(*kinds: str) -> list[tuple[Target, str]]:
    return [(target(kind, f"{kind}{n}"), "missing") for n, kind in enumerate(kinds)]


@pytest.mark.parametrize(
    ("kinds", "jobs", "expected"),
    [
        (("brochure",) * 5, 2, {"brochure": 2}),
        (("brochure",) * 5, 1, {"brochure": 1}),
        (("deck",) * 3, 2, {"deck": 1}),
        (("brochure",) * 4 + ("deck",) * 2, 2, {"deck": 1, "brochure": 1}),
        (("brochure",) * 4 + ("deck",) * 2, 4, {"deck": 1, "brochure": 3}),
        (("brochure", "deck"), 4, {"deck": 1, "brochure": 1}),
        (
            ("brochure",) * 4 + ("factsheet",) * 4 + ("deck",),
            5,
            {"deck": 1, "brochure": 2, "factsheet": 2},
        ),
        # more kinds than workers: the fact sheets wait for a pool that is done
        (("brochure",) * 4 + ("factsheet",) * 2 + ("deck",), 2, {"deck": 1, "brochure": 1}),
        (("brochure",) * 2 + ("factsheet",) * 4, 1, {"factsheet": 1}),
    ],
)
def test_worker_shares(kinds: tuple[str, ...], jobs: int, expected: dict[str, int]) -> None:
    limits = {"brochure": None, "factsheet": None, "deck": 1}
    assert worker_shares(todo(*kinds), limits, jobs) == expected


def test_components_name_figures_files_versions_and_code(loaded: Loaded, tmp_path: Path) -> None:
    template = tmp_path / "t.css"
    template.write_text("a{}")
    one = target(figure_ids=["health_jobs"], title="A")
    one.inputs = [template]
    parts = components(loaded.content, one, ("bmr_materials.shared",))
    assert set(parts) == {
        "content",
        "brand",
        "figure health_jobs",
        "file t.css",
        "versions",
        "code",
    }
    other = target(figure_ids=["health_jobs"], title="B")
    other.inputs = [template]
    changed = components(loaded.content, other, ("bmr_materials.shared",))
    assert changed["content"] != parts["content"]
    assert {k: v for k, v in changed.items() if k != "content"} == {
        k: v for k, v in parts.items() if k != "content"
    }
    assert components(loaded.content, one, ("bmr_materials.content",))["code"] != parts["code"]


@pytest.mark.parametrize(
    ("changed", "reason"),
    [
        (
            ["content", "figure health_jobs", "file templates/brochures/brochure.css"],
            "figure health_jobs changed",
        ),
        (["content", "file templates/brochures/brochure.css"], "template brochure.css changed"),
        (["file assets/logo/logo.svg"], "asset logo.svg changed"),
        (["file assets/new.svg"], "new input assets/new.svg"),
        (["versions", "code"], "renderer versions changed"),
        (["code"], "the builder's code changed"),
        (["content"], "content changed"),
    ],
)
def test_the_most_telling_reason_comes_first(changed: list[str], reason: str) -> None:
    old = {"file templates/brochures/brochure.css": "1", "file assets/logo/logo.svg": "1"}
    assert _reason(changed, old) == reason


def test_why_outdated(tmp_path: Path) -> None:
    one = target()
    one.components = {"content": "a"}
    assert why_outdated(one, None, tmp_path) == "missing en/x.pdf"
    (tmp_path / "en").mkdir()
    (tmp_path / "en/x.pdf").write_bytes(b"12345")
    assert why_outdated(one, None, tmp_path) == "not in the manifest"
    record = {"components": {"content": "a"}, "sizes": {"en/x.pdf": 5}}
    assert why_outdated(one, record, tmp_path) is None
    assert (
        why_outdated(one, {**record, "sizes": {"en/x.pdf": 4}}, tmp_path)
        == "en/x.pdf differs from the last build"
    )
    one.components = {"content": "b"}
    assert why_outdated(one, record, tmp_path) == "content changed"


def test_input_names_do_not_depend_on_where_the_packages_are() -> None:
    """A project file is named by its path in the project; a file of an installed package
    (the variable font, here in whichever virtual environment runs the tests) by its name."""
    import sys

    import fontpkg

    font = next(iter(fontpkg.family("Source Sans 3").files)).path
    assert Path(font).resolve().is_relative_to(Path(sys.prefix).resolve())
    assert input_name(Path(font)) == Path(font).name
    stylesheet = next((PROJECT / "templates").rglob("*.css"))
    assert input_name(stylesheet) == stylesheet.relative_to(PROJECT).as_posix()
