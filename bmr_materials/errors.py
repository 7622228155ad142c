"""One exception tree for the whole builder; the command line maps it to exit codes."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class MaterialsError(Exception):
    """Base of every error the builder reports to a user (no traceback)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the content: where it is and what is wrong."""

    file: str
    line: int
    column: int
    key_path: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        path = f" {self.key_path}:" if self.key_path else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}:{path} {prefix}{self.message}"


class ContentError(MaterialsError):
    """The content has one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(MaterialsError):
    """The command line asked for something that does not exist (exit code 2)."""


class TemplateError(MaterialsError):
    """A template (HTML, CSS or the deck master) cannot be used."""


class RenderError(MaterialsError):
    """A target could not be rendered; the message names the target and the cause."""


class FolderError(MaterialsError):
    """The output or cache folder cannot be written (read-only, full, no permission, a file
    in the way): the build stops; the message names the folder and the reason."""


class Stopped(BaseException):
    """SIGTERM arrived: stop now, as KeyboardInterrupt does for SIGINT."""


def display_path(path: Path) -> str:
    """Show `path` as the user can type it: relative to the current folder when it is inside
    it, else absolute. Symlinks are not followed, so a link is named, never its target."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest of `known`, or ''."""
    known = sorted(known)
    same = [k for k in known if k.lower() == word.lower()]
    near = same or difflib.get_close_matches(word, known, n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""
