"""Take a way to lay a brochure out in a named layout variant and choose the variant that fits
its content: the smallest page count of PAGE_COUNTS (4, 8, 12) whose layout leaves no inner
page under MIN_FILL and, where one exists, no layout warning.

The variants (CSS classes `fit-<name>` in brochure.css) run from the tightest to the most
open; a looser one never takes fewer pages than a tighter one, so the search skips the
variants that cannot reach a page count from what it has already laid out, and starts with
the variant most brochures take. Each layout costs about as much as writing the PDF, so the
search lays out as few as it can (one for most brochures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bmr_materials.kinds.brochures.measure import LayoutReport

FITS = ("tight", "compact", "regular", "roomy", "open")
FIRST = "compact"
PAGE_COUNTS = (4, 8, 12)
MIN_FILL = 0.5


@dataclass
class Laid:
    """One layout: its variant, the WeasyPrint document and its measured report."""

    fit: str
    document: Any
    report: LayoutReport

    @property
    def pages(self) -> int:
        return len(self.report.fills)

    def filled(self) -> bool:
        """Every inner page at least MIN_FILL full."""
        return all(f >= MIN_FILL for f in self.report.inner_fills())


def choose(layout: Callable[[str], Laid], page_counts: tuple[int, ...] = PAGE_COUNTS) -> Laid:
    """The layout that fits (see the module's docstring); when none gives an allowed page
    count with every inner page filled, the tightest layout (the caller pads it)."""
    tried: dict[str, Laid] = {}

    def get(fit: str) -> Laid:
        if fit not in tried:
            tried[fit] = layout(fit)
        return tried[fit]

    for count in page_counts:
        found: Laid | None = None
        for fit in _order(tried):
            if not _may_reach(fit, count, tried):
                continue
            laid = get(fit)
            if laid.pages == count and laid.filled():
                if not laid.report.warnings:
                    return laid
                found = found or laid
        if found:
            return found
    return get(FITS[0])


def _order(tried: dict[str, Laid]) -> list[str]:
    """Variants in the order to try them: those laid out already, then outwards from FIRST."""
    start = FITS.index(FIRST)
    order = sorted(FITS, key=lambda f: (abs(FITS.index(f) - start), FITS.index(f)))
    return [f for f in order if f in tried] + [f for f in order if f not in tried]


def _may_reach(fit: str, count: int, tried: dict[str, Laid]) -> bool:
    """Whether `fit` can still give `count` pages, knowing the layouts already made."""
    index = FITS.index(fit)
    for other, laid in tried.items():
        position = FITS.index(other)
        if position <= index and laid.pages > count:  # tighter already too long
            return False
        if position >= index and laid.pages < count:  # looser already too short
            return False
        if position == index + 1 and laid.pages > count + 1:  # one step saves one page at most
            return False
    return True
