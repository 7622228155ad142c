"""The project a build works on: where the content is, where outputs and the cache go, and
which output kinds it makes. Passed down instead of module-level paths, so a campaign kept in
its own folder (or repository) and the installed package build the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bmr_materials.shared.kind import Options, OutputKind

CACHE = ".cache"  # the output folder's own cache (the preview's pages)


@dataclass(frozen=True)
class Project:
    """A content folder, an output folder and the output kinds to make."""

    content: Path
    output: Path
    kinds: tuple[OutputKind, ...]

    def kind(self, name: str) -> OutputKind:
        """The kind called `name` ("brochure")."""
        return next(k for k in self.kinds if k.name == name)


@dataclass(frozen=True)
class BuildOptions:
    """How to build: what to select, how many workers, and what to do besides rendering."""

    select: Options = field(default_factory=Options)
    jobs: int = 1
    force: bool = False
    strict: bool = False
    preflight: bool = True
    shard: tuple[int, int] | None = None  # (K, N): build only the K-th of N shares
