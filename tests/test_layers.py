"""The structure of the code, drawn from its imports (also the ones inside functions): layers
import downwards only, the engine never imports an output kind, kinds never import each
other, and no two packages import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bmr_materials"
# lowest first; a module may import its own layer and the ones below it
LAYERS = [
    "bmr_materials",
    "bmr_materials.errors",
    "bmr_materials.resources",
    "bmr_materials.content",
    "bmr_materials.shared",
    "bmr_materials.kinds",
    "bmr_materials.engine",
    "bmr_materials.kinds.registry",
    "bmr_materials.app",
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every bmr_materials module `path` imports, at any depth of the code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
    return {name for name in found if name.startswith("bmr_materials")}


def layer(name: str) -> int:
    """The index of the most specific layer `name` belongs to."""
    matches = [
        i for i, prefix in enumerate(LAYERS) if name == prefix or name.startswith(prefix + ".")
    ]
    return max(matches, key=lambda i: len(LAYERS[i])) if matches else -1


def kind_of(name: str) -> str | None:
    """'decks' for bmr_materials.kinds.decks.render; None outside the kinds."""
    parts = name.split(".")
    if len(parts) > 2 and parts[1] == "kinds" and parts[2] != "registry":
        return parts[2]
    return None


MODULES = {
    module_name(p): imports_of(p)
    for p in sorted(PACKAGE.rglob("*.py"))
    if "data" not in p.relative_to(PACKAGE).parts
}  # data/: templates, not code


def test_every_module_is_in_a_layer() -> None:
    assert all(layer(name) >= 0 for name in MODULES), [n for n in MODULES if layer(n) < 0]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_only(name: str) -> None:
    upward = sorted(
        i
        for i in MODULES[name]
        if layer(i) > layer(name)
        and not (layer(name) == layer("bmr_materials.kinds.x") and kind_of(i))
    )
    assert not upward, f"{name} imports a higher layer: {upward}"


def test_the_engine_never_imports_a_kind_and_kinds_never_import_each_other() -> None:
    for name, imported in MODULES.items():
        kinds = {kind_of(i) for i in imported if kind_of(i)} - {kind_of(name)}
        if name.startswith("bmr_materials.engine"):
            assert not kinds and not any(i.startswith("bmr_materials.kinds") for i in imported), (
                f"{name} imports {sorted(imported)}"
            )
        elif kind_of(name):
            assert not kinds, f"kind module {name} imports another kind: {sorted(kinds)}"


def test_no_two_packages_import_each_other() -> None:
    def package(name: str) -> str:
        return (
            name if (PACKAGE.parent / name.replace(".", "/")).is_dir() else name.rpartition(".")[0]
        )

    edges = {
        (package(a), package(b))
        for a, imported in MODULES.items()
        for b in imported
        if package(a) != package(b)
    }
    cycles = sorted((a, b) for a, b in edges if (b, a) in edges and a < b)
    assert not cycles, f"packages importing each other: {cycles}"


def test_the_walker_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from bmr_materials.kinds.decks import render\n")
    assert "bmr_materials.kinds.decks.render" in imports_of(source)
