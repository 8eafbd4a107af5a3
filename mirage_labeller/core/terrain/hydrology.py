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
"""
from __future__ import annotations

import errno
import math
import os
import threading
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ..base.numba import HAVE_NUMBA, njit
from ..base.progress import Cancelled

MIN_SLOPE_DEG = 0.1
RING = 1 << 16  # slots of each of the fill's ring buffers (a power of two)
# neighbour offsets clockwise from north (row offset, column offset)
DR = np.array([-1, -1, 0, 1, 1, 1, 0, -1], dtype=np.int64)
DC = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)


@njit(cache=True, inline="always")
def _sort_key(value, index):
    """One unsigned 64-bit heap key: the float32 height's bits made monotone (negative
    heights too) above the cell index, so one integer comparison orders by height, then by
    index (ties are broken the same way every run)."""
    bits = np.uint64(np.float32(value).view(np.uint32))
    if bits & np.uint64(0x80000000):
        bits = ~bits & np.uint64(0xFFFFFFFF)
    else:
        bits = bits | np.uint64(0x80000000)
    return (bits << np.uint64(32)) | np.uint64(index)


@njit(cache=True, inline="always")
def _push(heap, size, key):
    """Push onto a binary min-heap that has room for it."""
    i = size
    while i > 0:  # move the hole up instead of swapping
        parent = (i - 1) >> 1
        if heap[parent] <= key:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = key


@njit(cache=True, inline="always")
def _pop(heap, size):
    """The smallest key; the heap keeps ``size - 1`` keys."""
    top = heap[0]
    size -= 1
    last = heap[size]
    i = 0
    while True:  # move the hole down
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= last:
            break
        heap[i] = heap[child]
        i = child
    heap[i] = last
    return top


@njit(cache=True, inline="always")
def _enqueue(queue, head, count, ring, item, heap, size, key):
    """Append ``item`` to a ring buffer of ``ring`` slots or, when it is full, ``key`` to the
    heap (which takes keys in any order); the new (count, size). No array is returned."""
    if count < ring:
        queue[(head + count) & (ring - 1)] = item
        return count + 1, size
    _push(heap, size, key)
    return count, size + 1


@njit(cache=True, nogil=True, inline="always")
def _stands(zo, r, c, v, rise, h, w):
    """Whether some done neighbour of cell (r, c) leaves it as it is (height ``v`` at least
    that neighbour's level plus the minimum slope): then no lower spill can raise it, and
    it need not wait for the flood to reach it."""
    for k in range(8):
        rr, cc = r + DR[k], c + DC[k]
        if rr < 0 or cc < 0 or rr >= h or cc >= w:
            continue
        level = zo[rr, cc, 1]
        if level == level and v >= np.float32(level + rise[r, k]):
            return True
    return False


@njit(cache=True, nogil=True)
def _rises(ew, ns, grad):
    """The minimum rise to each of the 8 neighbours (clockwise from north), row by row."""
    rise = np.empty((ew.shape[0], 8))
    for r in range(ew.shape[0]):
        diag = math.sqrt(ew[r] * ew[r] + ns[r] * ns[r])
        for k in range(8):
            rise[r, k] = grad * (diag if k % 2 else (ns[r] if k % 4 == 0 else ew[r]))
    return rise


@njit(cache=True, nogil=True)
def fill_depressions(zo, ew, ns, min_slope_deg, stop, queues=True, trace=True,
                     heap_buffer=None, ring=RING):
    """Wang & Liu fill of ``zo[..., 0]`` (the DEM, NaN = nodata) into ``zo[..., 1]``.

    ``zo`` is one (rows, cols, 2) float32 array: a cell's height and its filled height sit
    side by side, so each visit to a neighbourhood touches half the memory of two separate
    grids (the flood visits cells in height order, all over the raster: memory access, not
    arithmetic, is its cost). Heap keys are single integers (``_sort_key``). ``ew``/``ns``:
    pixel sizes in metres per row. Cells leave lowest first, so a cell is raised exactly to
    its spill level plus the minimum slope, as SAGA's Fill Sinks (Wang & Liu).

    A raised cell's height is the current level plus one of three constants (north-south,
    east-west or diagonal step) when the pixel size is the same on every row, and the level
    only grows: so the cells raised with one step are made in height order, and three plain
    FIFO queues, one per step, hold them sorted without a heap. The next cell is the lowest
    of the heap's top and the three queues' fronts: the same order as one heap (up to cells
    of exactly equal height), with no heap work for depression cells (a third or more of a
    rough DEM). With pixel sizes that change by row (a DEM in degrees), or with
    ``queues=False``, every raised cell goes through the heap.

    ``trace`` (after Zhou, Sun & Fu 2016): a cell that is not raised keeps its height
    whatever the order, so from each cell taken, the slope above it is followed breadth
    first, cell by cell, without the heap; a cell on that slope waits in the heap only when
    a neighbour would be raised from it and no other done neighbour leaves that neighbour as
    it is (``_stands``). Raised cells are still made only from cells taken in height order.
    On the benchmark DEM this takes a third of the heap pushes. With ``queues=False,
    trace=False`` it is the plain priority flood, the reference of the tests.

    ``heap_buffer``: room for the heap given by the caller (a disk-backed array of one key
    per cell, which no fill outgrows: every cell enters the heap at most once), so the heap,
    which grows with the length of the flood's front, does not grow the process' memory; by
    default the heap is in memory. ``ring``: slots of each ring buffer (a power of two; tests
    make it small so that full rings send their keys to the heap). ``stop[0] != 0`` (set
    from another thread) ends it early; ``zo[..., 1]`` is then incomplete."""
    h, w = zo.shape[0], zo.shape[1]
    rise = _rises(ew, ns, math.tan(math.radians(min_slope_deg)))
    uniform = queues
    for r in range(1, h):
        if ew[r] != ew[0] or ns[r] != ns[0]:
            uniform = False
            break
    # no array is ever replaced inside the loops (a loop-carried array costs two atomic
    # reference counts per turn, a third of the fill's time): the heap has room for every
    # cell (each enters it at most once; untouched pages cost nothing), the ring buffers a
    # fixed size, and a key that finds its ring full goes to the heap, which keeps any order
    if heap_buffer is None:
        heap = np.empty(h * w + 1, np.uint64)
    else:
        heap = heap_buffer
    if heap.shape[0] < h * w:
        raise ValueError("the heap buffer needs room for one key per cell")
    size = 0
    # ring buffers of raised cells' keys, one per step: north-south, east-west, diagonal
    q0 = np.empty(ring, np.uint64)
    q1 = np.empty(ring, np.uint64)
    q2 = np.empty(ring, np.uint64)
    head0 = head1 = head2 = 0
    n0 = n1 = n2 = 0
    none = np.uint64(0xFFFFFFFFFFFFFFFF)
    # cells not raised, whose upslope neighbours are still to be looked at
    tq = np.empty(ring, np.uint64)
    thead = tn = 0
    for r in range(h):
        for c in range(w):
            zo[r, c, 1] = np.nan
    # the flood starts from every valid cell on the raster's edge or next to nodata
    for r in range(h):
        for c in range(w):
            if r == 0 or c == 0 or r == h - 1 or c == w - 1:
                v = zo[r, c, 0]
                if v == v and zo[r, c, 1] != zo[r, c, 1]:
                    zo[r, c, 1] = v
                    _push(heap, size, _sort_key(v, r * w + c))
                    size += 1
            if zo[r, c, 0] == zo[r, c, 0]:
                continue
            for k in range(8):
                rr, cc = r + DR[k], c + DC[k]
                if rr < 0 or cc < 0 or rr >= h or cc >= w:
                    continue
                v = zo[rr, cc, 0]
                if v == v and zo[rr, cc, 1] != zo[rr, cc, 1]:
                    zo[rr, cc, 1] = v
                    _push(heap, size, _sort_key(v, rr * w + cc))
                    size += 1
    pops = 0
    while size > 0 or n0 > 0 or n1 > 0 or n2 > 0:
        pops += 1
        if pops % 65536 == 0 and stop[0] != 0:
            return
        best = heap[0] if size > 0 else none
        which = -1
        if n0 > 0 and q0[head0] < best:
            best, which = q0[head0], 0
        if n1 > 0 and q1[head1] < best:
            best, which = q1[head1], 1
        if n2 > 0 and q2[head2] < best:
            best, which = q2[head2], 2
        if which == 0:
            head0 = (head0 + 1) & (ring - 1)
            n0 -= 1
        elif which == 1:
            head1 = (head1 + 1) & (ring - 1)
            n1 -= 1
        elif which == 2:
            head2 = (head2 + 1) & (ring - 1)
            n2 -= 1
        else:
            best = _pop(heap, size)
            size -= 1
        idx = np.int64(best & np.uint64(0xFFFFFFFF))
        r, c = idx // w, idx % w
        level = zo[r, c, 1]
        for k in range(8):
            rr, cc = r + DR[k], c + DC[k]
            if rr < 0 or cc < 0 or rr >= h or cc >= w:
                continue
            v = zo[rr, cc, 0]
            if v != v or zo[rr, cc, 1] == zo[rr, cc, 1]:  # nodata, or done
                continue
            lowest = np.float32(level + rise[r, k])
            raised = v < lowest
            if raised:
                v = lowest
            zo[rr, cc, 1] = v
            if not raised and trace:
                # a full ring: the cell is taken from the heap in height order instead
                tn, size = _enqueue(tq, thead, tn, ring, np.uint64(rr * w + cc), heap, size,
                                    _sort_key(v, rr * w + cc))
                continue
            key = _sort_key(v, rr * w + cc)
            if raised and uniform:
                if k % 2 == 1:
                    n2, size = _enqueue(q2, head2, n2, ring, key, heap, size, key)
                elif k % 4 == 0:
                    n0, size = _enqueue(q0, head0, n0, ring, key, heap, size, key)
                else:
                    n1, size = _enqueue(q1, head1, n1, ring, key, heap, size, key)
            else:
                _push(heap, size, key)
                size += 1
        # the slope upwards of that cell, cell by cell in breadth-first order: a cell at
        # least its spill height above a done neighbour is final as it is, whatever the
        # order; a cell with a neighbour that would be raised waits in the heap, so raised
        # cells are still made in height order
        while tn > 0:
            t = np.int64(tq[thead])
            thead = (thead + 1) & (ring - 1)
            tn -= 1
            pops += 1
            if pops % 65536 == 0 and stop[0] != 0:
                return
            tr, tc = t // w, t % w
            level = zo[tr, tc, 1]
            waits = False
            for k in range(8):
                rr, cc = tr + DR[k], tc + DC[k]
                if rr < 0 or cc < 0 or rr >= h or cc >= w:
                    continue
                v = zo[rr, cc, 0]
                if v != v or zo[rr, cc, 1] == zo[rr, cc, 1]:
                    continue
                if v < np.float32(level + rise[tr, k]):
                    # once this cell waits anyway, a neighbour that stands is left to the
                    # done neighbour it stands on, still to be looked at
                    if waits or not _stands(zo, rr, cc, v, rise, h, w):
                        waits = True
                        continue
                zo[rr, cc, 1] = v
                # a full ring: the cell is taken from the heap in height order instead
                tn, size = _enqueue(tq, thead, tn, ring, np.uint64(rr * w + cc), heap, size,
                                    _sort_key(v, rr * w + cc))
            if waits:
                _push(heap, size, _sort_key(level, t))
                size += 1


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


@njit(cache=True, nogil=True)
def _twi_block(z, acc, ew_rows, ns_rows, min_slope_deg, nodata, out):
    """TWI of one block: ``z`` the heights with a one-pixel halo (NaN beyond the raster),
    ``acc`` the upslope areas; the Horn slope (as the slope layer) floored at
    ``min_slope_deg``, a = area / cell width; ``nodata`` where either is missing."""
    rows, cols = out.shape
    floor = math.tan(math.radians(min_slope_deg))
    for y in range(rows):
        ew, ns = ew_rows[y], ns_rows[y]
        gx, gy = 1.0 / (8.0 * ew), 1.0 / (8.0 * ns)  # multiplications, not divisions
        per_width = 1.0 / math.sqrt(ew * ns)
        for x in range(cols):
            a, b, c = z[y, x], z[y, x + 1], z[y, x + 2]
            d, f = z[y + 1, x], z[y + 1, x + 2]
            g, h, i = z[y + 2, x], z[y + 2, x + 1], z[y + 2, x + 2]
            dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) * gx
            dzdy = ((a + 2 * b + c) - (g + 2 * h + i)) * gy
            tan_b = math.sqrt(dzdx * dzdx + dzdy * dzdy)
            area = acc[y, x]
            if tan_b != tan_b or area != area or z[y + 1, x + 1] != z[y + 1, x + 1]:
                out[y, x] = nodata
                continue
            out[y, x] = math.log(area * per_width / max(tan_b, floor))


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
