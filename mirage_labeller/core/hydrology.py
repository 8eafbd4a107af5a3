"""Flow routing for the Topographic Wetness Index: depression filling, D8 directions, flow
accumulation, TWI = ln(a / tan b).

- Filling: Wang & Liu (2006) priority flood from the raster edges and nodata holes, raising
  cells so every cell keeps at least a 0.1 degree slope to its outlet (SAGA's "Fill Sinks
  (Wang & Liu)" default), so flats drain and no cell is a pit.
- Routing: D8, steepest descent over the 8 neighbours (drop / distance), ties to the first
  neighbour clockwise from north, as SAGA's D8.
- Accumulation: upslope area in m2, each cell passing its area on once all its upslope cells
  are done; a = area / cell width (specific catchment area), as SAGA's TWI with "1 / cell size".

Flow routing is global (a drop of rain can cross the whole DEM), so these grids cannot be
processed block by block: they live in disk-backed memory maps beside the output, so the
process' own memory stays small and the operating system pages them. Loops are compiled with
numba when it is installed (Debian: python3-numba); without it the same code runs as plain
Python, correct but slow on large DEMs.
"""
from __future__ import annotations

import math
import tempfile
import threading
from pathlib import Path
from typing import Callable, Optional

import numpy as np

try:  # optional accelerator
    from numba import njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised on machines without numba
    HAVE_NUMBA = False

    def njit(*args, **kwargs):
        if args and callable(args[0]):
            return args[0]
        return lambda f: f

MIN_SLOPE_DEG = 0.1
# neighbour offsets clockwise from north (row offset, column offset)
DR = np.array([-1, -1, 0, 1, 1, 1, 0, -1], dtype=np.int64)
DC = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)


@njit(cache=True)
def _heap_push(keys, vals, size, key, val):
    """Push onto a binary min-heap held in growable arrays; returns the (maybe new) arrays."""
    if size == keys.shape[0]:
        grown_k = np.empty(keys.shape[0] * 2, keys.dtype)
        grown_v = np.empty(vals.shape[0] * 2, vals.dtype)
        grown_k[:size] = keys[:size]
        grown_v[:size] = vals[:size]
        keys, vals = grown_k, grown_v
    i = size
    while i > 0:  # move the hole up instead of swapping
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        vals[i] = vals[parent]
        i = parent
    keys[i] = key
    vals[i] = val
    return keys, vals, size + 1


@njit(cache=True)
def _heap_pop(keys, vals, size):
    top_key, top_val = keys[0], vals[0]
    size -= 1
    key, val = keys[size], vals[size]
    i = 0
    while True:  # move the hole down
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i] = keys[child]
        vals[i] = vals[child]
        i = child
    keys[i] = key
    vals[i] = val
    return top_key, top_val, size


@njit(cache=True, nogil=True)
def fill_depressions(z, ew, ns, min_slope_deg, out, stop):
    """Wang & Liu fill of ``z`` (NaN = nodata) into ``out`` (same shape, any float dtype).
    ``ew``/``ns``: pixel sizes in metres per row. Cells leave the heap lowest first, so a cell
    is raised exactly to its spill level plus the minimum slope (a FIFO for raised cells, as in
    Barnes et al. 2014, would be faster but reorders flats and departs from SAGA's result).
    ``stop[0] != 0`` (set from another thread) ends it early; ``out`` is then incomplete."""
    h, w = z.shape
    pops = 0
    grad = math.tan(math.radians(min_slope_deg))
    keys = np.empty(4096, np.float64)
    vals = np.empty(4096, np.int64)
    size = 0
    for r in range(h):
        for c in range(w):
            out[r, c] = np.nan
    for r in range(h):
        for c in range(w):
            v = z[r, c]
            if v != v:
                continue
            edge = r == 0 or c == 0 or r == h - 1 or c == w - 1
            if not edge:
                for k in range(8):
                    n = z[r + DR[k], c + DC[k]]
                    if n != n:
                        edge = True
                        break
            if edge:
                out[r, c] = v
                keys, vals, size = _heap_push(keys, vals, size, v, r * w + c)
    while size > 0:
        pops += 1
        if pops % 65536 == 0 and stop[0] != 0:
            return
        level, idx, size = _heap_pop(keys, vals, size)
        r, c = idx // w, idx % w
        for k in range(8):
            rr, cc = r + DR[k], c + DC[k]
            if rr < 0 or cc < 0 or rr >= h or cc >= w:
                continue
            v = z[rr, cc]
            if v != v or out[rr, cc] == out[rr, cc]:  # nodata, or done
                continue
            if k % 2 == 0:
                dist = ns[r] if k % 4 == 0 else ew[r]
            else:
                dist = math.sqrt(ew[r] * ew[r] + ns[r] * ns[r])
            lowest = level + grad * dist
            if v < lowest:
                v = lowest
            out[rr, cc] = v
            keys, vals, size = _heap_push(keys, vals, size, v, rr * w + cc)


@njit(cache=True)
def d8_directions(filled, ew, ns, dirs):
    """Steepest-descent neighbour 0-7 (clockwise from north) of each cell, -1 where none
    is lower (outlets at the edges, nodata)."""
    h, w = filled.shape
    for r in range(h):
        diag = math.sqrt(ew[r] * ew[r] + ns[r] * ns[r])
        for c in range(w):
            v = filled[r, c]
            best, best_k = 0.0, -1
            if v == v:
                for k in range(8):
                    rr, cc = r + DR[k], c + DC[k]
                    if rr < 0 or cc < 0 or rr >= h or cc >= w:
                        continue
                    n = filled[rr, cc]
                    if n != n:
                        continue
                    dist = diag if k % 2 else (ns[r] if k % 4 == 0 else ew[r])
                    drop = (v - n) / dist
                    if drop > best:
                        best, best_k = drop, k
            dirs[r, c] = best_k


@njit(cache=True)
def flow_accumulation(dirs, z, ew, ns, indegree, acc):
    """Upslope area (m2, the cell itself included) of every valid (finite) cell of ``z``, in
    ``acc``; no validity mask is built, so memory stays with the memory maps."""
    h, w = dirs.shape
    for r in range(h):
        for c in range(w):
            indegree[r, c] = 0
            acc[r, c] = ew[r] * ns[r] if np.isfinite(z[r, c]) else np.nan
    for r in range(h):
        for c in range(w):
            k = dirs[r, c]
            if k >= 0:
                indegree[r + DR[k], c + DC[k]] += 1
    for r in range(h):
        for c in range(w):
            if not np.isfinite(z[r, c]) or indegree[r, c] != 0:
                continue
            indegree[r, c] = 255  # started: never again
            cr, cc = r, c
            while True:
                k = dirs[cr, cc]
                if k < 0:
                    break
                nr, nc = cr + DR[k], cc + DC[k]
                acc[nr, nc] += acc[cr, cc]
                indegree[nr, nc] -= 1
                if indegree[nr, nc] != 0:
                    break  # other upslope cells still to come
                indegree[nr, nc] = 255
                cr, cc = nr, nc


def twi_from(acc: np.ndarray, slope_deg: np.ndarray, cell_width: np.ndarray,
             min_slope_deg: float = MIN_SLOPE_DEG) -> np.ndarray:
    """ln(a / tan b) with a = upslope area / cell width, b floored at ``min_slope_deg``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = acc / cell_width
        tan_b = np.tan(np.radians(np.maximum(slope_deg, min_slope_deg)))
        return np.log(a / tan_b)


def route(z: np.ndarray, ew: np.ndarray, ns: np.ndarray, workdir: Optional[Path] = None,
          min_slope_deg: float = MIN_SLOPE_DEG,
          is_cancelled: Callable[[], bool] = lambda: False, progress=None):
    """(filled, dirs, acc) for a whole DEM; arrays are memory maps when ``workdir`` is given.
    Cancelling is honoured between the three passes (filling is the long one)."""
    from .morphometry import Cancelled

    h, w = z.shape
    report = progress or (lambda f, m: None)

    def check():
        if is_cancelled():
            raise Cancelled()

    def grid(name, dtype):
        if workdir is None:
            return np.empty((h, w), dtype)
        return np.memmap(Path(workdir) / f"{name}.bin", dtype=dtype, mode="w+", shape=(h, w))

    filled = grid("filled", np.float64)
    stop = np.zeros(1, np.uint8)
    done = threading.Event()

    def watch():  # the fill runs without the GIL, so a cancel can reach it while it runs
        while not done.wait(0.2):
            if is_cancelled():
                stop[0] = 1
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        fill_depressions(z, ew, ns, min_slope_deg, filled, stop)
    finally:
        done.set()
        watcher.join()
    check()
    report(0.5, "TWI: flow directions (D8)")
    dirs = grid("dirs", np.int8)
    d8_directions(filled, ew, ns, dirs)
    check()
    report(0.6, "TWI: flow accumulation")
    acc = grid("acc", np.float64)
    indegree = grid("indegree", np.uint8)
    flow_accumulation(dirs, z, ew, ns, indegree, acc)
    check()
    return filled, dirs, acc


def write_twi(src, slope_path, twi_path, grid, progress=None,
              is_cancelled: Callable[[], bool] = lambda: False, block: int = 1024) -> None:
    """TWI of the open DEM ``src`` (a rasterio dataset) using the slope raster already written
    at ``slope_path``; ``grid`` gives metric pixel sizes (morphometry.DemGrid)."""
    import rasterio

    from . import blockio
    from .morphometry import NODATA, Cancelled

    report = progress or (lambda f, m: None)
    h, w = src.height, src.width
    ew, ns = grid.sizes(0, h)
    ew = np.broadcast_to(np.asarray(ew, np.float64).reshape(-1), (h,)).copy()
    ns = np.broadcast_to(np.asarray(ns, np.float64).reshape(-1), (h,)).copy()
    with tempfile.TemporaryDirectory(dir=Path(twi_path).parent, prefix=".twi-") as work:
        z = np.memmap(Path(work) / "dem.bin", dtype=np.float32, mode="w+", shape=(h, w))
        for blk in blockio.blocks(h, w, block):
            z[blk.row0:blk.row1, blk.col0:blk.col1] = blockio.read_float(src, blk)
        if is_cancelled():
            raise Cancelled()
        report(0.1, "TWI: filling depressions" + ("" if HAVE_NUMBA else " (slow without numba)"))
        _, _, acc = route(z, ew, ns, Path(work), is_cancelled=is_cancelled, progress=report)
        report(0.8, "TWI: writing")
        outs = blockio.open_outputs({"twi": twi_path}, src, {"twi": "float32"}, {"twi": NODATA})
        try:
            with rasterio.open(str(slope_path)) as slope_src:
                for blk in blockio.blocks(h, w, block):
                    slope = blockio.read_float(slope_src, blk)
                    width = np.sqrt(ew[blk.row0:blk.row1] * ns[blk.row0:blk.row1])[:, None]
                    twi = twi_from(acc[blk.row0:blk.row1, blk.col0:blk.col1], slope, width)
                    twi = np.where(np.isfinite(twi), twi, NODATA).astype("float32")
                    outs["twi"].write(twi, 1, window=blk.window())
        finally:
            for ds in outs.values():
                ds.close()
            del z, acc
    report(1.0, "TWI done")
