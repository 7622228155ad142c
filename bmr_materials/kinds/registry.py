"""The output kinds the builder makes: one line per kind (a package that exports `KIND`)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line reads REGISTRY at start: no import beyond the names
    from bmr_materials.shared.kind import OutputKind

REGISTRY = (
    "bmr_materials.kinds.brochures",
    "bmr_materials.kinds.decks",
    "bmr_materials.kinds.factsheets",
)


def load_kinds(modules: tuple[str, ...] = REGISTRY) -> tuple[OutputKind, ...]:
    """The registered kinds, in registry order."""
    return tuple(import_module(module).KIND for module in modules)
