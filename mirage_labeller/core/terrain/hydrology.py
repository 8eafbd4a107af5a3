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
process' own memory stays small and the operating system pages them. The routing runs in a
thread of its own (``RoutingJob``) while the local layers are computed, since its loops
release the GIL. Loops are compiled with numba when it is installed (Debian: python3-numba);
without it the same code runs as plain Python, correct but slow on large DEMs.

The stages live in modules of their own: ``terrain.fill`` (the priority flood),
``terrain.routing`` (D8, accumulation, scratch grids, the DEM read into them) and
``terrain.twi`` (the TWI of a block). This module drives them: ``route`` for a whole DEM and
``RoutingJob``, the thread the morphometry runs beside its local layers; it calls each stage
through its own names, so a stage replaced here (a test's failing D8) is the one that runs,
and it re-exports the stages' public names.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ..base.numba import HAVE_NUMBA
from ..base.progress import Cancelled
from .fill import DC, DR, MIN_SLOPE_DEG, RING, fill_depressions
from .routing import d8_directions, flow_accumulation, load_heights, scratch_grid
from .twi import _twi_block

__all__ = [
    "DC", "DR", "HAVE_NUMBA", "MIN_SLOPE_DEG", "RING", "RoutingJob", "d8_directions",
    "fill_depressions", "flow_accumulation", "load_heights", "route", "scratch_grid",
]


def _route_grids(zo, ew, ns, workdir, min_slope_deg, stop, stage=lambda name: None,
                 keep=True):
    """Fill, D8 and accumulation on a ``zo`` whose heights are in ``zo[..., 0]``; (dirs,
    acc), or None once ``stop[0]`` is set. Without ``keep`` the upslope areas take the
    filled heights' place in ``zo[..., 1]`` and the directions are dropped once used
    ((None, acc)): fewer pages touched for the first time (400 MB fewer on a 10000² DEM),
    and those of the directions are free again for the TWI file."""
    h, w = zo.shape[:2]
    stage("fill")
    heap = None if workdir is None else scratch_grid(workdir, "heap", (h * w,), np.uint64)
    fill_depressions(zo, ew, ns, min_slope_deg, stop, True, True, heap)
    del heap
    if stop[0]:
        return None
    stage("d8")
    dirs = scratch_grid(workdir, "dirs", (h, w), np.int8)
    indegree = scratch_grid(workdir, "indegree", (h, w), np.uint8)
    acc = scratch_grid(workdir, "acc", (h, w), np.float32) if keep else zo[..., 1]
    d8_directions(zo[..., 1], zo[..., 0], ew, ns, dirs, indegree, acc)
    if stop[0]:
        return None
    stage("accumulation")
    flow_accumulation(dirs, indegree, acc)
    del indegree
    if stop[0]:
        return None
    return (dirs if keep else None), acc


def route(z: np.ndarray, ew: np.ndarray, ns: np.ndarray, workdir: Optional[Path] = None,
          min_slope_deg: float = MIN_SLOPE_DEG,
          is_cancelled: Callable[[], bool] = lambda: False, progress=None):
    """(filled, dirs, acc) for a whole DEM ``z``; arrays are memory maps when ``workdir`` is
    given (the heights and the filled heights share one, ``zo``). A cancel reaches the fill
    while it runs (it holds no GIL; a watcher thread raises its flag)."""
    h, w = z.shape
    zo = scratch_grid(workdir, "zo", (h, w, 2), np.float32)
    zo[..., 0] = z
    stop = np.zeros(1, np.uint8)
    done = threading.Event()

    def watch():
        while not done.wait(0.2):
            if is_cancelled():
                stop[0] = 1
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        grids = _route_grids(zo, np.asarray(ew, np.float64), np.asarray(ns, np.float64),
                             workdir, min_slope_deg, stop,
                             lambda name: (progress or (lambda f, m: None))(0.5, name))
    finally:
        done.set()
        watcher.join()
    if grids is None or is_cancelled():
        raise Cancelled()
    dirs, acc = grids
    return zo[..., 1], dirs, acc


class RoutingJob:
    """TWI in a thread of its own, so it runs while the local layers are computed on the
    other core: from the heights already read into ``zo`` (``load_heights``), the fill, D8,
    the accumulation and TWI itself (its slope computed from the same heights), all compiled
    loops that release the GIL; ``twi.tif`` is written by this thread too."""

    def __init__(self, dem_path, workdir: Path, grid, block: int, zo: np.ndarray,
                 twi_path=None, min_slope_deg=MIN_SLOPE_DEG):
        self.height, self.width = zo.shape[:2]
        ew, ns = grid.sizes(0, self.height)
        self.ew = np.broadcast_to(np.asarray(ew, np.float64).reshape(-1), (self.height,)).copy()
        self.ns = np.broadcast_to(np.asarray(ns, np.float64).reshape(-1), (self.height,)).copy()
        self.dem_path, self.workdir, self.block, self.zo = str(dem_path), Path(workdir), block, zo
        self.twi_path = Path(twi_path) if twi_path else self.workdir / "twi.tif"
        self.min_slope_deg = min_slope_deg
        self.stop_flag = np.zeros(1, np.uint8)
        self.stage = "filling depressions"
        self.acc = None
        self.written = False
        self.error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name="mirage-twi-routing",
                                        daemon=True)

    def start(self) -> "RoutingJob":
        self._thread.start()
        return self

    def _run(self) -> None:
        import rasterio

        try:
            zo = self.zo
            names = {"fill": "filling depressions", "d8": "flow directions (D8)",
                     "accumulation": "flow accumulation"}
            grids = _route_grids(zo, self.ew, self.ns, self.workdir, self.min_slope_deg,
                                 self.stop_flag, lambda name: setattr(self, "stage", names[name]),
                                 keep=False)
            if grids is None:
                return
            self.acc = grids[1]
            self.stage = "writing"
            with rasterio.open(self.dem_path) as like:
                self._write(like, zo[..., 0], self.acc)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.error = exc

    def _write(self, like, z, acc) -> None:
        from ..base import blockio
        from .layers import NODATA

        h, w = self.height, self.width
        outs = blockio.open_outputs({"twi": self.twi_path}, like, {"twi": "float32"},
                                    {"twi": NODATA})
        try:
            for blk in blockio.blocks(h, w, self.block):
                if self.stop_flag[0]:
                    return
                r0, r1, c0, c1 = blk.row0, blk.row1, blk.col0, blk.col1
                out = np.empty((r1 - r0, c1 - c0), np.float32)
                _twi_block(blockio.halo_window(z, blk), np.asarray(acc[r0:r1, c0:c1]),
                           self.ew[r0:r1], self.ns[r0:r1], self.min_slope_deg, NODATA, out)
                outs["twi"].write(out, 1, window=blk.window())
        finally:
            for ds in outs.values():
                ds.close()
        self.written = not self.stop_flag[0]

    def stop(self) -> None:
        self.stop_flag[0] = 1

    def wait(self, timeout: Optional[float]) -> bool:
        """True once the job has ended (done, failed or stopped)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def finish(self, progress=None, is_cancelled: Callable[[], bool] = lambda: False) -> Path:
        """Wait for ``twi.tif`` (reporting the stage), honouring a cancel; its path."""
        report = progress or (lambda f, m: None)
        while not self.wait(0.2):
            if is_cancelled():
                self.stop()
            report(0.0, "TWI: " + self.stage + ("" if HAVE_NUMBA else " (slow without numba)"))
        if self.error is not None:
            raise self.error
        if not self.written or is_cancelled():
            raise Cancelled()
        report(1.0, "TWI done")
        return self.twi_path
