"""Depression filling for TWI's flow routing: the Wang & Liu (2006) priority flood
(``fill_depressions``), compiled with numba when it is installed.

The flood starts from the raster edges and nodata holes and raises cells so every cell keeps
at least a ``MIN_SLOPE_DEG`` (0.1 degree) slope to its outlet (SAGA's "Fill Sinks (Wang &
Liu)" default), so flats drain and no cell is a pit. Its heap, ring buffers and the slope
tracing are in its docstring. The neighbour offsets ``DR``/``DC`` (clockwise from north) are
the ones the D8 routing (``terrain.routing``) uses too.
"""
from __future__ import annotations

import math

import numpy as np

from ..base.numba import njit

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
