"""Cut the locator map's rings down to what a map shows: clipped to its window and simplified
to what its printed size can show (Douglas-Peucker), so that drawing it and rendering its SVG
stay cheap. Pure geometry on lists of (x, y) points in projected units.
"""

from __future__ import annotations

from collections.abc import Sequence

Point = tuple[float, float]
Window = tuple[float, float, float, float]  # x0, y0, x1, y1


def clip_ring(ring: Sequence[Point], window: Window) -> list[Point]:
    """The closed ring `ring` clipped to the rectangle `window` (Sutherland-Hodgman), open
    (no repeated first point); empty when nothing of it lies inside. Edges it adds run along
    the window's border, so draw with a window a little larger than the view."""
    x0, y0, x1, y1 = window
    points = list(ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring)
    for axis, bound, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not points:
            break
        points = _clip_side(points, axis, bound, keep_above)
    return points


def _clip_side(points: list[Point], axis: int, bound: float, keep_above: bool) -> list[Point]:
    def inside(p: Point) -> bool:
        return p[axis] >= bound if keep_above else p[axis] <= bound

    def crossing(a: Point, b: Point) -> Point:
        t = (bound - a[axis]) / (b[axis] - a[axis])
        x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        return (bound, y) if axis == 0 else (x, bound)

    result: list[Point] = []
    previous = points[-1]
    for current in points:
        if inside(current):
            if not inside(previous):
                result.append(crossing(previous, current))
            result.append(current)
        elif inside(previous):
            result.append(crossing(previous, current))
        previous = current
    return result


def simplify_ring(ring: Sequence[Point], tolerance: float) -> list[Point]:
    """The open ring `ring` with every point dropped that lies within `tolerance` of the line
    through its kept neighbours (Douglas-Peucker), split at its first point and the point
    farthest from it; fewer than 3 points when the ring is smaller than `tolerance`."""
    points = list(ring)
    if len(points) < 4:
        return points
    far = max(range(len(points)), key=lambda i: _dist2(points[i], points[0]))
    first = _simplify(points[: far + 1], tolerance)
    second = _simplify(points[far:] + points[:1], tolerance)
    return first[:-1] + second[:-1]


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker of an open polyline, first and last point kept (iterative)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        worst, index = -1.0, start
        for i in range(start + 1, end):
            d = _segment_dist2(points[i], points[start], points[end])
            if d > worst:
                worst, index = d, i
        if worst > limit:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _dist2(a: Point, b: Point) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _segment_dist2(p: Point, a: Point, b: Point) -> float:
    """The squared distance of `p` from the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return _dist2(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return _dist2(p, (a[0] + t * dx, a[1] + t * dy))


def shown_rings(
    rings: Sequence[Sequence[Point]], window: Window, tolerance: float
) -> list[list[Point]]:
    """The rings as a map of `window` shows them: clipped, simplified, the invisible dropped."""
    shown = []
    for ring in rings:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        if max(xs) < window[0] or min(xs) > window[2] or max(ys) < window[1] or min(ys) > window[3]:
            continue
        cut = simplify_ring(clip_ring(ring, window), tolerance)
        if len(cut) >= 3:
            shown.append(cut)
    return shown
