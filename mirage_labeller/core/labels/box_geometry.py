"""North-south boxes on a pixel grid: drawing from two corners, moving, resizing by handles.

The box tool in the GUI only turns mouse positions into map coordinates; every rule (snap to
the 15 m grid, at least one pixel, which handle is under the cursor) lives here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Tuple

from .schema import PIXEL_SIZE_M

Bounds = Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax

CORNER_HANDLES = ("nw", "ne", "se", "sw")
EDGE_HANDLES = ("n", "e", "s", "w")
MOVE = "move"


@dataclass(frozen=True)
class Grid:
    """A pixel grid: lines at origin + k * pixel (the interferogram's own grid)."""

    origin_x: float = 0.0
    origin_y: float = 0.0
    pixel_x: float = PIXEL_SIZE_M
    pixel_y: float = PIXEL_SIZE_M

    @classmethod
    def from_raster(cls, left: float, top: float, pixel_x: float, pixel_y: float) -> "Grid":
        return cls(left, top, abs(pixel_x), abs(pixel_y))

    def snap_x(self, x: float) -> float:
        return self.origin_x + round((x - self.origin_x) / self.pixel_x) * self.pixel_x

    def snap_y(self, y: float) -> float:
        return self.origin_y + round((y - self.origin_y) / self.pixel_y) * self.pixel_y

    def snap_bounds(self, b: Bounds) -> Bounds:
        """Nearest grid lines, keeping at least one pixel in each direction."""
        x0, x1 = sorted((self.snap_x(b[0]), self.snap_x(b[2])))
        y0, y1 = sorted((self.snap_y(b[1]), self.snap_y(b[3])))
        if x1 - x0 < self.pixel_x / 2:
            x1 = x0 + self.pixel_x
        if y1 - y0 < self.pixel_y / 2:
            y1 = y0 + self.pixel_y
        return (_clean(x0), _clean(y0), _clean(x1), _clean(y1))


def _clean(v: float) -> float:
    """Drop floating-point dust so snapped values compare equal (e.g. 600014.999999 -> 600015)."""
    return float(round(v, 6))


def box_from_corners(x0: float, y0: float, x1: float, y1: float, grid: Grid) -> Bounds:
    """The N-S box spanned by a press and a release point, snapped to ``grid``."""
    return grid.snap_bounds((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def handle_at(b: Bounds, x: float, y: float, tolerance: float) -> Optional[str]:
    """The handle under (x, y): a corner, an edge, MOVE inside the box, or None outside.

    ``tolerance`` is in map units (the GUI converts a few screen pixels)."""
    x0, y0, x1, y1 = b
    if not (x0 - tolerance <= x <= x1 + tolerance and y0 - tolerance <= y <= y1 + tolerance):
        return None
    near_w, near_e = abs(x - x0) <= tolerance, abs(x - x1) <= tolerance
    near_s, near_n = abs(y - y0) <= tolerance, abs(y - y1) <= tolerance
    vertical = "n" if near_n else ("s" if near_s else "")
    horizontal = "w" if near_w else ("e" if near_e else "")
    if vertical or horizontal:
        return vertical + horizontal
    return MOVE


def drag(b: Bounds, handle: str, dx: float, dy: float, grid: Grid) -> Bounds:
    """``b`` after dragging ``handle`` by (dx, dy), snapped to ``grid``.

    MOVE shifts the box by whole pixels; corners and edges move their sides (a side dragged
    past the opposite one flips the box rather than inverting it)."""
    x0, y0, x1, y1 = b
    if handle == MOVE:
        sx = round(dx / grid.pixel_x) * grid.pixel_x
        sy = round(dy / grid.pixel_y) * grid.pixel_y
        return grid.snap_bounds((x0 + sx, y0 + sy, x1 + sx, y1 + sy))
    if "w" in handle:
        x0 += dx
    if "e" in handle:
        x1 += dx
    if "s" in handle:
        y0 += dy
    if "n" in handle:
        y1 += dy
    return grid.snap_bounds((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def is_on_grid(b: Bounds, grid: Grid, tol: float = 1e-6) -> bool:
    def on(v, origin, step):
        k = (v - origin) / step
        return math.isclose(k, round(k), abs_tol=tol)

    return (on(b[0], grid.origin_x, grid.pixel_x) and on(b[2], grid.origin_x, grid.pixel_x)
            and on(b[1], grid.origin_y, grid.pixel_y) and on(b[3], grid.origin_y, grid.pixel_y))


def clip_to(b: Bounds, extent: Bounds) -> Optional[Bounds]:
    """``b`` cut to ``extent`` (the interferogram's footprint); None when they do not meet."""
    x0, y0 = max(b[0], extent[0]), max(b[1], extent[1])
    x1, y1 = min(b[2], extent[2]), min(b[3], extent[3])
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1, y1)
