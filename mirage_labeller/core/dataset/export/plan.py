"""The plan of an export: the regular grid of chips over each interferogram (``grid_offsets``)
and the boxes each chip holds, in chip pixels, clipped at its edge; boxes below the visible
share are fragments (the chip is then not written unless it holds a whole box too). Headers
only: no pixel is read here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Sequence, Tuple

import numpy as np

from ...base import crs as base_crs
from ...labels.classes import CLASS_CODES
from .config import ExportConfig


def grid_offsets(size: int, chip: int, stride: int) -> List[int]:
    """Chip offsets along one axis: every ``stride`` pixels, the last chip ending at the edge
    (so no pixel is lost and no chip is padded unless the raster is smaller than a chip)."""
    if size <= chip:
        return [0]
    offsets = list(range(0, size - chip + 1, stride))
    if offsets[-1] + chip < size:
        offsets.append(size - chip)
    return offsets


@dataclass
class _Box:
    label: int  # index into the label table
    cls: int  # 0..9, CLASS_CODES order
    x0: float  # chip pixels, clipped to the chip
    y0: float
    x1: float
    y1: float


@dataclass
class _Chip:
    item: int  # index into the workspace's interferograms
    row_off: int
    col_off: int
    boxes: List[_Box] = field(default_factory=list)
    fragments: List[int] = field(default_factory=list)  # labels below min_visible
    split: str = ""

    @property
    def name_suffix(self) -> str:
        return f"_r{self.row_off}_c{self.col_off}"


def _pixel_boxes(bounds: np.ndarray, transform) -> np.ndarray:
    """(n, 4) col0, row0, col1, row1 in the raster's pixels (envelope of the corners)."""
    inv = ~transform
    corners = [inv * (bounds[:, i], bounds[:, j]) for i, j in ((0, 1), (2, 1), (0, 3), (2, 3))]
    cols = np.stack([np.asarray(c[0], float) for c in corners])
    rows = np.stack([np.asarray(c[1], float) for c in corners])
    return np.column_stack([cols.min(0), rows.min(0), cols.max(0), rows.max(0)])


def _converted(bounds, src, dst) -> Tuple[float, float, float, float]:
    """A label's box in the raster's CRS; infinite where PROJ cannot convert it (beyond what
    the raster's CRS can show): the label is then skipped as lying outside the raster."""
    try:
        return base_crs.convert_bounds(bounds, src, dst)
    except base_crs.CrsError:
        return (math.inf,) * 4


def _plan_interferogram(k: int, item, label_idx: Sequence[int], table, config: ExportConfig,
                        problems: List[str]) -> Tuple[dict, int]:
    """Every grid chip of one interferogram with its boxes: ({(row, col): _Chip}, dropped)."""
    import rasterio

    with rasterio.open(str(item.path)) as src:
        width, height, transform, crs = src.width, src.height, src.transform, src.crs
    if transform.b or transform.d:
        problems.append(f"{item.path.name}: rotated grid; boxes are the envelopes of their "
                        "corners in pixels")
    chip, stride = int(config.chip), config.stride
    rows, cols = grid_offsets(height, chip, stride), grid_offsets(width, chip, stride)
    chips = {(r, c): _Chip(k, r, c) for r in rows for c in cols}
    if not label_idx:
        return chips, 0
    bounds = table.bounds[list(label_idx)].astype(float)
    if table.crs and crs and not base_crs.same(table.crs, crs):
        base_crs.parse(table.crs)  # CrsError (an InputError) when the labels' CRS is unreadable
        bounds = np.array([_converted(b, table.crs, crs) for b in bounds], float)
    px = _pixel_boxes(bounds, transform)
    row_arr, col_arr = np.array(rows), np.array(cols)
    dropped = 0
    for n, li in enumerate(label_idx):
        c0, r0, c1, r1 = px[n]
        full = (c1 - c0) * (r1 - r0)
        code = table.cls[li]
        if full <= 0 or code not in CLASS_CODES:
            why = "has no area" if full <= 0 else f"class {code!r} is not one of AR..FS"
            problems.append(f"{table.stem[li]}: label {int(table.id[li])} {why}; skipped")
            continue
        touched = False
        for r in row_arr[(row_arr < r1) & (row_arr + chip > r0)]:
            for c in col_arr[(col_arr < c1) & (col_arr + chip > c0)]:
                x0, x1 = max(c0 - c, 0.0), min(c1 - c, float(chip))
                y0, y1 = max(r0 - r, 0.0), min(r1 - r, float(chip))
                if x1 <= x0 or y1 <= y0:
                    continue
                touched = True
                target = chips[(int(r), int(c))]
                if (x1 - x0) * (y1 - y0) >= config.min_visible * full * (1 - 1e-9):
                    target.boxes.append(_Box(li, CLASS_CODES.index(code), x0, y0, x1, y1))
                else:
                    target.fragments.append(li)
                    dropped += 1
        if not touched:
            problems.append(f"{table.stem[li]}: label {int(table.id[li])} lies outside "
                            f"{item.path.name}; skipped")
    return chips, dropped
