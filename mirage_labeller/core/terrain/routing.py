"""Flow routing over a filled DEM: D8 directions (``d8_directions``), flow accumulation
(``flow_accumulation``), and the grids they work on: disk-backed scratch grids
(``scratch_grid``) and the DEM's heights read into them (``load_heights``).

- Routing: D8, steepest descent over the 8 neighbours (drop / distance), ties to the first
  neighbour clockwise from north, as SAGA's D8.
- Accumulation: upslope area in m2, each cell passing its area on once all its upslope cells
  are done; a = area / cell width (specific catchment area), as SAGA's TWI with "1 / cell size".

Flow routing is global, so these grids are memory maps beside the output, not blocks; the
loops are compiled with numba when it is installed and release the GIL.
"""
from __future__ import annotations

import errno
import math
import os
import threading
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ..base.numba import njit
from .fill import DC, DR


@njit(cache=True, nogil=True)
def d8_directions(filled, z, ew, ns, dirs, indegree, acc):
    """Steepest-descent neighbour 0-7 (clockwise from north) of each cell, -1 where none
    is lower (outlets at the edges, nodata). In the same pass, for the accumulation: each
    cell's number of upslope neighbours (``indegree``, zeros on entry) and its own area in
    ``acc`` (m2; NaN where ``z`` is nodata), written one row behind the directions, so that
    ``acc`` may be the memory of ``filled`` itself (rows no later direction looks at).

    Drops are multiplied by each row's reciprocal distances (no division per neighbour),
    and cells off the raster's edge need no bounds test: a NaN neighbour's drop is NaN,
    never the steepest."""
    h, w = filled.shape
    inverse = np.empty(8)
    for r in range(h):
        diag = math.sqrt(ew[r] * ew[r] + ns[r] * ns[r])
        for k in range(8):
            inverse[k] = 1.0 / (diag if k % 2 else (ns[r] if k % 4 == 0 else ew[r]))
        inner = 0 < r < h - 1
        for c in range(w):
            v = filled[r, c]
            best, best_k = 0.0, -1
            if v == v:
                edge = not inner or c == 0 or c == w - 1
                for k in range(8):
                    rr, cc = r + DR[k], c + DC[k]
                    if edge and (rr < 0 or cc < 0 or rr >= h or cc >= w):
                        continue
                    drop = (v - filled[rr, cc]) * inverse[k]
                    if drop > best:
                        best, best_k = drop, k
            dirs[r, c] = best_k
            if best_k >= 0:
                indegree[r + DR[best_k], c + DC[best_k]] += 1
        if r > 0:
            _own_areas(z, ew, ns, acc, r - 1)
    if h > 0:
        _own_areas(z, ew, ns, acc, h - 1)


@njit(cache=True, nogil=True, inline="always")
def _own_areas(z, ew, ns, acc, r):
    area = ew[r] * ns[r]
    for c in range(z.shape[1]):
        acc[r, c] = area if np.isfinite(z[r, c]) else np.nan


@njit(cache=True, nogil=True)
def flow_accumulation(dirs, indegree, acc):
    """Upslope area (m2, the cell itself included) of every valid cell, in ``acc`` (which
    holds each valid cell's own area and NaN elsewhere, ``indegree`` the counts of upslope
    neighbours: ``d8_directions``). ``acc`` is float32 in the routing (half the pages of
    float64): each addition rounds by at most 6e-8 of the sum, so even 10^5 of them down one
    flow path move ln a by less than 0.006 (the SAGA test's tolerance is 0.01)."""
    h, w = dirs.shape
    for r in range(h):
        for c in range(w):
            if acc[r, c] != acc[r, c] or indegree[r, c] != 0:
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


def scratch_grid(workdir: Optional[Path], name: str, shape, dtype):
    """A scratch grid of zeros: a memory map in ``workdir``, in memory without one.

    The file's blocks are reserved at once (``posix_fallocate``): without that the file
    system reserves them page by page as the map is first written, which on this kind of
    ext4 virtual disk cost 2-8 s of system time for 800 MB instead of 0.3 s; and a full disk
    is a clear error here rather than a crash at some page of the map. The file is then
    unlinked (where the system allows it), so its pages go back the moment the grid is
    dropped, free for the next grid or output file, and a crash leaves nothing behind."""
    if workdir is None:
        return np.zeros(shape, dtype)
    path = Path(workdir) / f"{name}.bin"
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    mode = "w+"
    if hasattr(os, "posix_fallocate") and size > 0:
        with open(path, "wb") as fh:
            try:
                os.posix_fallocate(fh.fileno(), 0, size)
                mode = "r+"
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    fh.close()
                    path.unlink()
                    raise OSError(errno.ENOSPC, f"not enough free disk space in {workdir} for "
                                  f"the flow routing's scratch grid '{name}' "
                                  f"({size / 1e9:.2f} GB)") from None
                # a file system without it: the map reserves its blocks as it goes
    grid = np.memmap(path, dtype=dtype, mode=mode, shape=shape)
    try:
        os.remove(path)
    except OSError:  # Windows keeps a mapped file; the scratch folder goes at the end
        pass
    return grid

def load_heights(dem_path, zo: np.ndarray, block: int, stop: np.ndarray, threads: int = 2,
                 progress=None, is_cancelled: Callable[[], bool] = lambda: False) -> bool:
    """Read the DEM into ``zo[..., 0]`` (float32, NaN for nodata). ``threads`` readers
    decode blocks at once, each with a dataset of its own (GDAL decompresses in the reading
    thread and rasterio lets go of the GIL meanwhile): a compressed DEM's decoding is a good
    part of the morphometry's time, and it is done once for all layers. The blocks are put
    into the grid by this thread alone: two threads first-touching pages of one file map
    contend in the kernel (5 s of system time instead of 0.6 s on 10000²). False if
    ``stop[0]`` was set or a cancel came."""
    import queue

    import rasterio

    from ..base import blockio

    h, w = zo.shape[:2]
    todo = list(blockio.blocks(h, w, block))
    decoded: "queue.Queue" = queue.Queue(maxsize=threads)  # a few blocks in memory

    def read(part: int) -> None:
        try:
            with rasterio.open(str(dem_path)) as src:
                for blk in todo[part::threads]:
                    if stop[0]:
                        break
                    decoded.put((blk, blockio.read_float(src, blk, dtype="float32")))
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread
            decoded.put((None, exc))
        decoded.put((None, None))

    readers = [threading.Thread(target=read, args=(k,), daemon=True) for k in range(threads)]
    for t in readers:
        t.start()
    done, ended, error = 0, 0, None
    try:
        while ended < threads:
            try:
                blk, data = decoded.get(timeout=0.2)
            except queue.Empty:
                blk, data = None, False
            if is_cancelled():
                stop[0] = 1
            if blk is not None:
                zo[blk.row0:blk.row1, blk.col0:blk.col1, 0] = data
                done += 1
            elif data is None:
                ended += 1
            elif data is not False and error is None:
                error, stop[0] = data, 1
            if progress is not None:
                progress(done / len(todo), f"reading the DEM: block {done}/{len(todo)}")
    finally:
        stop[0] = stop[0] or (ended < threads)
        while any(t.is_alive() for t in readers):  # a reader may wait to put a block
            try:
                decoded.get(timeout=0.05)
            except queue.Empty:
                pass
    if error is not None:
        raise error
    return not stop[0]
