"""Terrain layers against the references: gdaldem (slope, aspect, hillshade, TRI), an analytic
paraboloid (curvatures), SAGA 8.5 (TWI: Wang & Liu fill, D8 accumulation, TWI)."""
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.base.progress import Cancelled
from mirage_labeller.core.terrain.morphometry import LAYERS, derive_morphometry


def read(path):
    with rasterio.open(path) as src:
        a = src.read(1).astype("float64")
        nodata = src.nodata
    if nodata is not None:
        a[a == nodata] = np.nan
    return a


@pytest.fixture(scope="module")
def derived(alps_workspace, tmp_path_factory):
    out = tmp_path_factory.mktemp("terrain")
    dem = alps_workspace[0] / "dem" / "dem.tif"
    result = derive_morphometry(dem, out)
    return dem, out, result


@pytest.mark.parametrize("alg, name", [("slope", "slope"), ("aspect", "aspect"),
                                       ("hillshade", "hillshade"), ("TRI", "tri")])
def test_agrees_with_gdaldem(derived, tmp_path, alg, name):
    dem, out, _ = derived
    ref = tmp_path / f"{alg}.tif"
    subprocess.run(["gdaldem", alg, str(dem), str(ref), "-q"], check=True)
    ours, theirs = read(out / f"{name}.tif"), read(ref)
    if name == "hillshade":  # 0 is nodata for both
        ours[ours == 0] = np.nan
        theirs[theirs == 0] = np.nan
    # the same pixels hold data: none on the outer ring (3x3 window incomplete)
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    assert np.isnan(ours[0]).all() and np.isnan(ours[:, -1]).all()
    inner = np.isfinite(ours)
    diff = np.abs(ours - theirs)[inner]
    if name == "slope":
        assert diff.max() < 0.005  # degrees; gdaldem works in float32
    elif name == "aspect":
        slope = read(out / "slope.tif")[inner]
        circular = np.abs((ours[inner] - theirs[inner] + 180) % 360 - 180)
        assert circular[slope > 1.0].max() < 0.1  # degrees, where aspect is well defined
    elif name == "hillshade":
        assert diff.max() <= 1 and (diff == 0).mean() > 0.999  # rounding of 1 + 254 cos
    else:
        assert diff.max() < 1e-3 * np.nanmax(theirs)


def test_curvatures_are_exact_on_a_paraboloid(tmp_path):
    """A quadratic surface is fitted exactly by the Zevenbergen & Thorne polynomial, so the
    curvatures equal the analytic ones of z(x, y)."""
    n, px = 120, 10.0
    rows, cols = np.mgrid[0:n, 0:n].astype(float)
    x, y = cols * px, (n - 1 - rows) * px  # north up
    rxx, ryy, rxy, gx, gy = 0.0012, 0.0005, 0.0003, 0.15, 0.35
    z = (0.5 * rxx * (x - 600) ** 2 + 0.5 * ryy * (y - 600) ** 2 + rxy * (x - 600) * (y - 600)
         + gx * x + gy * y + 1000.0)
    write_geotiff(tmp_path / "p.tif", z, from_origin(0, n * px, px, px))
    derive_morphometry(tmp_path / "p.tif", tmp_path, ["profile_curvature", "plan_curvature",
                                                       "slope", "aspect"])
    p = rxx * (x - 600) + rxy * (y - 600) + gx
    q = ryy * (y - 600) + rxy * (x - 600) + gy
    pq = p * p + q * q
    prof = -(rxx * p * p + ryy * q * q + 2 * rxy * p * q) / (pq * (1 + pq) ** 1.5)
    plan = -(ryy * p * p + rxx * q * q - 2 * rxy * p * q) / pq ** 1.5
    core = (slice(1, -1), slice(1, -1))
    assert np.allclose(read(tmp_path / "profile_curvature.tif")[core], prof[core], rtol=1e-5)
    assert np.allclose(read(tmp_path / "plan_curvature.tif")[core], plan[core], rtol=1e-5)
    slope = np.degrees(np.arctan(np.hypot(p, q)))
    assert np.allclose(read(tmp_path / "slope.tif")[core], slope[core], atol=0.05)
    aspect = np.degrees(np.arctan2(-p, -q)) % 360  # downslope azimuth
    got = read(tmp_path / "aspect.tif")[core]
    assert np.abs((got - aspect[core] + 180) % 360 - 180).max() < 0.05


def saga(*args):
    subprocess.run(["saga_cmd", *map(str, args)], check=True, capture_output=True)


def test_twi_agrees_with_saga(derived, tmp_path):
    """SAGA 8.5: Fill Sinks (Wang & Liu, 0.1 degree), Flow Accumulation (D8), TWI with
    1/cell size, given our slope, so only the flow routing is compared."""
    dem, out, _ = derived
    slope = read(out / "slope.tif")
    with rasterio.open(out / "slope.tif") as src:
        profile = src.profile
    profile.update(dtype="float32", nodata=-9999.0)
    with rasterio.open(tmp_path / "slope_rad.tif", "w", **profile) as dst:
        dst.write(np.where(np.isfinite(slope), np.radians(slope), -9999.0).astype("float32"), 1)
    saga("ta_preprocessor", 4, "-ELEV", dem, "-FILLED", tmp_path / "filled.sdat",
         "-MINSLOPE", 0.1)
    saga("ta_hydrology", 0, "-ELEVATION", tmp_path / "filled.sdat", "-FLOW",
         tmp_path / "flow.sdat", "-METHOD", 0)
    saga("ta_hydrology", 20, "-SLOPE", tmp_path / "slope_rad.tif", "-AREA",
         tmp_path / "flow.sdat", "-TWI", tmp_path / "twi.sdat", "-CONV", 1)
    ours, theirs = read(out / "twi.tif"), read(tmp_path / "twi.sdat")
    both = np.isfinite(ours) & np.isfinite(theirs) & (slope > 0.1)
    diff = np.abs(ours - theirs)[both]
    assert both.sum() > 0.9 * ours.size
    # the same routing almost everywhere; a tie or a centimetre of fill elsewhere can send a
    # cell's flow to another neighbour, which changes a few TWI values a lot
    assert (diff < 0.01).mean() > 0.97
    assert np.median(diff) < 1e-4


def test_pure_python_routing_equals_the_compiled_one(repo_root):
    code = """
import sys
sys.modules['numba'] = None  # as on a machine without numba
sys.path.insert(0, sys.argv[1])
import numpy as np
from mirage_labeller.core.terrain import hydrology
assert not hydrology.HAVE_NUMBA
rng = np.random.default_rng(4)
z = np.cumsum(np.cumsum(rng.normal(size=(40, 50)), 0), 1)
z[10:14, 20:23] = np.nan
f, d, a = hydrology.route(z, np.full(40, 15.0), np.full(40, 15.0))
np.save(sys.argv[2], np.stack([np.nan_to_num(f), d.astype(float), np.nan_to_num(a)]))
"""
    out = repo_root / "build" / "pure_routing.npy"
    out.parent.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-c", code, str(repo_root), str(out)], check=True)
    from mirage_labeller.core.terrain import hydrology

    assert hydrology.HAVE_NUMBA  # Debian's python3-numba, installed by make setup
    rng = np.random.default_rng(4)
    z = np.cumsum(np.cumsum(rng.normal(size=(40, 50)), 0), 1)
    z[10:14, 20:23] = np.nan
    f, d, a = hydrology.route(z, np.full(40, 15.0), np.full(40, 15.0))
    pure = np.load(out)
    assert np.array_equal(pure[1], d.astype(float))
    assert np.allclose(pure[0], np.nan_to_num(f)) and np.allclose(pure[2], np.nan_to_num(a))
    # every valid cell drains: total area leaving through outlets equals the valid area
    outlets = (d < 0) & np.isfinite(z)
    assert np.nansum(a[outlets]) == pytest.approx(np.isfinite(z).sum() * 225.0)


def test_d8_is_the_steepest_descent_at_edges_holes_and_inside():
    """The compiled D8 (reciprocal distances, no bounds tests inside) against the definition
    written out plainly: the steepest drop / distance over the neighbours on the raster that
    are not nodata, the first clockwise from north on ties, -1 where none is lower."""
    from mirage_labeller.core.terrain import hydrology

    rng = np.random.default_rng(11)
    h, w = 37, 53
    z = rng.normal(size=(h, w)).astype(np.float32)
    z[:, 22] = z[:, 20]  # column 21: west and east drops tie wherever they are the steepest
    z[5:9, 30:34] = np.nan
    z[0, 7] = z[h - 1, 0] = np.nan  # holes on the edge and in a corner
    ew, ns = np.full(h, 10.0), np.linspace(9.0, 11.0, h)  # pixel sizes that differ
    dirs = np.zeros((h, w), np.int8)
    indegree = np.zeros((h, w), np.uint8)
    acc = np.zeros((h, w), np.float32)
    hydrology.d8_directions(z, z, ew, ns, dirs, indegree, acc)
    want = np.full((h, w), -1)
    for r in range(h):
        for c in range(w):
            if np.isnan(z[r, c]):
                continue
            best = 0.0
            for k in range(8):
                rr, cc = r + hydrology.DR[k], c + hydrology.DC[k]
                if not (0 <= rr < h and 0 <= cc < w) or np.isnan(z[rr, cc]):
                    continue
                dist = math.hypot(ew[r], ns[r]) if k % 2 else (ns[r] if k % 4 == 0 else ew[r])
                drop = (float(z[r, c]) - float(z[rr, cc])) / dist
                if drop > best * (1 + 1e-12):
                    best, want[r, c] = drop, k
    assert (want >= 0).sum() > h * w // 2 and (want[0] >= 0).any() and (want[:, -1] >= 0).any()
    assert np.array_equal(dirs, want)
    counts = np.zeros((h, w), int)
    for r, c in zip(*np.nonzero(want >= 0)):
        counts[r + hydrology.DR[want[r, c]], c + hydrology.DC[want[r, c]]] += 1
    assert np.array_equal(indegree, counts)
    assert np.array_equal(np.isnan(acc), np.isnan(z))
    assert np.allclose(acc[np.isfinite(z)], (ew * ns)[:, None].repeat(w, 1)[np.isfinite(z)])


def test_depression_queues_keep_the_heap_order():
    """Raised cells wait in three FIFO queues instead of the heap, and slopes are traced
    without it: the fill must still raise cells in the heap's order, so the filled heights
    equal those of the plain priority flood (up to cells of exactly equal height, which may
    be taken in another order)."""
    from mirage_labeller.core.terrain import hydrology

    rng = np.random.default_rng(7)
    n = 300
    z = (np.cumsum(np.cumsum(rng.normal(size=(n, n)), 0), 1) * 0.05
         + rng.normal(size=(n, n)) * 2).astype(np.float32)
    z[100:110, 50:70] = np.nan
    stop = np.zeros(1, np.uint8)

    def fill(ew, queues, trace=False, ring=1 << 16):
        zo = np.empty((n, n, 2), np.float32)
        zo[..., 0] = z
        hydrology.fill_depressions(zo, ew, np.full(n, 15.0), 0.1, stop, queues, trace, None,
                                   ring)
        return zo[..., 1]

    heap = fill(np.full(n, 15.0), False)
    valid = np.isfinite(z)
    assert (heap[valid] > z[valid]).mean() > 0.2  # many cells went through the queues
    # the queues, the slope tracing, both (the default), and both with ring buffers so
    # small that most keys find them full and go to the heap instead
    for queues, trace, ring in ((True, False, 1 << 16), (False, True, 1 << 16),
                                (True, True, 1 << 16), (True, True, 4)):
        other = fill(np.full(n, 15.0), queues, trace, ring)
        assert np.array_equal(np.isfinite(other), valid)
        assert (other[valid] == heap[valid]).mean() > 0.999
        assert np.abs(other[valid] - heap[valid]).max() < 0.05
    # full rings change where keys wait, not the order cells are taken in
    assert np.array_equal(fill(np.full(n, 15.0), True, True, 4),
                          fill(np.full(n, 15.0), True, True), equal_nan=True)
    # pixel sizes that change by row (a DEM in degrees): every raised cell through the heap
    rows = np.linspace(15.0, 14.0, n)
    assert np.array_equal(fill(rows, True), fill(rows, False), equal_nan=True)
    traced = fill(rows, True, True)
    assert (traced[valid] == fill(rows, False)[valid]).mean() > 0.999


def test_geographic_dem_uses_metres(tmp_path):
    """A plane rising 10 % northwards in metres, stored on a degree grid: slope 5.71 deg."""
    n = 80
    lat0, res = 46.5, 0.0005
    lats = lat0 - (np.arange(n) + 0.5) * res
    metres_north = (lats - lats[-1]) * 111_200.0  # ~m per degree of latitude at 46.5 N
    z = np.repeat((0.1 * metres_north)[:, None], n, axis=1)
    write_geotiff(tmp_path / "g.tif", z, from_origin(10.0, lat0, res, res), crs="EPSG:4326")
    result = derive_morphometry(tmp_path / "g.tif", tmp_path / "out", ["slope", "aspect"])
    assert any("degrees" in m for m in result.messages)
    slope = read(tmp_path / "out" / "slope.tif")[1:-1, 1:-1]
    assert np.allclose(slope, math.degrees(math.atan(0.1)), atol=0.05)
    assert np.allclose(read(tmp_path / "out" / "aspect.tif")[1:-1, 1:-1] % 360, 180, atol=0.1)
    # rising 10 % eastwards: a degree of longitude is cos(latitude) shorter, row by row
    metres_east = (np.arange(n) * res)[None, :] * 111_320.0 * np.cos(np.radians(lats))[:, None]
    write_geotiff(tmp_path / "e.tif", 0.1 * metres_east, from_origin(10.0, lat0, res, res),
                  crs="EPSG:4326")
    derive_morphometry(tmp_path / "e.tif", tmp_path / "east", ["slope", "aspect"])
    slope = read(tmp_path / "east" / "slope.tif")[1:-1, 1:-1]
    assert np.allclose(slope, math.degrees(math.atan(0.1)), atol=0.05)
    assert np.allclose(read(tmp_path / "east" / "aspect.tif")[1:-1, 1:-1], 270, atol=0.1)
    # the same tile with its CRS stripped is recognised by its degree-sized pixels
    write_geotiff(tmp_path / "nocrs.tif", 0.1 * metres_east, from_origin(10.0, lat0, res, res),
                  crs=None)
    result = derive_morphometry(tmp_path / "nocrs.tif", tmp_path / "nocrs", ["slope"])
    assert any("no CRS" in m and "degrees" in m for m in result.messages)
    assert np.allclose(read(tmp_path / "nocrs" / "slope.tif")[1:-1, 1:-1],
                       math.degrees(math.atan(0.1)), atol=0.05)


def test_cancel_reaches_the_depression_fill_while_it_runs(tmp_path):
    """The fill holds no GIL, so a cancel set from another thread stops it part-way through
    (the filled grid is left incomplete) instead of after it."""
    import threading
    import time

    from mirage_labeller.core.terrain import hydrology

    rng = np.random.default_rng(5)
    z = rng.normal(size=(3000, 3000)).astype("float32")  # all pits: the longest fill there is
    ew = ns = np.full(3000, 15.0)
    hydrology.route(z[:50, :50], ew[:50], ns[:50])  # compiled before the clock starts
    stages = []
    start = time.monotonic()
    with pytest.raises(Cancelled):
        hydrology.route(z, ew, ns, tmp_path, is_cancelled=lambda: time.monotonic() > start + 0.3,
                        progress=lambda f, m: stages.append(m))
    assert stages == ["fill"]  # cancelled in the fill, and went no further
    assert not list(tmp_path.iterdir())  # the scratch grids are gone with it
    # the flag the watcher sets stops the fill part-way through, not after it
    zo = np.zeros(z.shape + (2,), np.float32)
    zo[..., 0] = z
    stop = np.zeros(1, np.uint8)
    timer = threading.Timer(0.3, stop.__setitem__, (0, 1))
    timer.start()
    hydrology.fill_depressions(zo, ew, ns, 0.1, stop)
    timer.join()
    assert np.isnan(zo[..., 1]).any()


def test_holes_blocks_and_cancel(tmp_path, alps_workspace):
    with rasterio.open(alps_workspace[0] / "dem" / "dem.tif") as src:
        z = src.read(1)[:300, :300].astype("float32")
    z[100:120, 150:160] = np.nan
    write_geotiff(tmp_path / "h.tif", z, from_origin(0, 4500, 15, 15), nodata=float("nan"))
    small = derive_morphometry(tmp_path / "h.tif", tmp_path / "small", LAYERS, block=64)
    large = derive_morphometry(tmp_path / "h.tif", tmp_path / "large", LAYERS, block=1024)
    for name in LAYERS:  # blocks and their halos leave no seams
        a, b = read(small.paths[name]), read(large.paths[name])
        assert np.array_equal(np.isnan(a), np.isnan(b)) and np.allclose(a, b, equal_nan=True)
    slope = read(large.paths["slope"])
    assert np.isnan(slope[99:121, 149:161]).all()  # the hole and its 1-pixel ring
    assert np.isfinite(slope[50, 50]) and np.isfinite(read(large.paths["twi"])[50, 50])
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "large").iterdir()}
    with pytest.raises(Cancelled):
        derive_morphometry(tmp_path / "h.tif", tmp_path / "large", LAYERS, block=64,
                           is_cancelled=lambda: True)
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "large").iterdir()}
    assert after == before  # the earlier layers are untouched, nothing half-written left


def test_twi_routing_runs_beside_the_local_layers_and_stops_with_them(tmp_path):
    """TWI's flow routing has a thread of its own while the local layers are computed; a
    cancel during the local layers stops it too (no thread left, no half-written layer),
    and a failure inside it reaches the caller."""
    import threading

    from mirage_labeller.core.terrain import hydrology

    rng = np.random.default_rng(8)
    z = (rng.normal(size=(1200, 1200)) * 3 + 2000).astype("float32")  # pits everywhere
    write_geotiff(tmp_path / "p.tif", z, from_origin(0, 18000, 15, 15))
    seen = []
    calls = [0]

    def cancel_later():
        names = [t.name for t in threading.enumerate()]
        seen.extend(names)
        calls[0] += "mirage-twi-routing" in names  # once the DEM is read
        return calls[0] > 6  # within the local pass (block 64: 361 blocks)

    with pytest.raises(Cancelled):
        derive_morphometry(tmp_path / "p.tif", tmp_path / "out", LAYERS, block=64,
                           is_cancelled=cancel_later)
    assert "mirage-twi-routing" in seen  # it was running beside the local pass
    assert not any(t.name == "mirage-twi-routing" for t in threading.enumerate())
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.tif"))

    class BrokenError(RuntimeError):
        pass

    def broken(*args):
        raise BrokenError("no memory left for the flow directions")

    original = hydrology.d8_directions
    hydrology.d8_directions = broken
    try:
        with pytest.raises(BrokenError):
            derive_morphometry(tmp_path / "p.tif", tmp_path / "out2", ["twi"], block=256)
    finally:
        hydrology.d8_directions = original
    assert not any(t.name == "mirage-twi-routing" for t in threading.enumerate())
    assert not any((tmp_path / "out2").glob("*.tif"))


def test_layers_shared_out_once_the_routing_is_done(tmp_path):
    """Once TWI's routing is done, a second thread takes some local layers over for the
    blocks left: the files are those one thread writes. The local layers are computed from
    the heights read for the routing only when float32 holds the DEM's values: a float64
    DEM is read again, in full precision."""
    import threading

    rng = np.random.default_rng(9)
    z = np.cumsum(np.cumsum(rng.normal(size=(300, 340)), 0), 1) + 2000
    z[100:110, 50:70] = np.nan
    seen, calls = set(), [0]

    def routing_done_early():
        # the local pass waits (a few blocks in) until the routing is over: the handover
        # then happens whatever the machine's speed
        calls[0] += 1
        for _ in range(3000):
            if calls[0] != 5 or not any(t.name == "mirage-twi-routing"
                                        for t in threading.enumerate()):
                break
            threading.Event().wait(0.01)
        seen.update(t.name for t in threading.enumerate())
        return False

    for dtype in ("float32", "float64"):
        dem = tmp_path / f"{dtype}.tif"
        # a gentle tilt finer than float32 resolves at 2000 m: a float64 DEM's slopes
        # would change if its heights went through float32
        heights = (z + np.arange(340) * 3e-5).astype(dtype)
        write_geotiff(dem, heights, from_origin(0, 4500, 15, 15), nodata=float("nan"))
        seen.clear()
        calls[0] = 0
        derive_morphometry(dem, tmp_path / f"all_{dtype}", LAYERS, block=32,
                           is_cancelled=routing_done_early)
        assert "mirage-local-layers" in seen  # the second thread took layers over
        derive_morphometry(dem, tmp_path / f"local_{dtype}", LAYERS[:-1], block=32)
        for name in LAYERS[:-1]:
            shared = read(tmp_path / f"all_{dtype}" / f"{name}.tif")
            alone = read(tmp_path / f"local_{dtype}" / f"{name}.tif")
            assert np.array_equal(shared, alone, equal_nan=True), (dtype, name)
        assert np.isfinite(read(tmp_path / f"all_{dtype}" / "twi.tif")).mean() > 0.9


def test_scratch_grids_reserve_their_disk_space(tmp_path, monkeypatch):
    """A scratch grid's blocks are reserved when it is made, and the file is unlinked at
    once (nothing left behind); a disk too full for it is an error that names the folder
    and the size, raised before any work, not a crash at some page of the map."""
    import errno
    import os

    from mirage_labeller.core.terrain import hydrology

    grid = hydrology.scratch_grid(tmp_path, "dirs", (300, 400), np.int8)
    assert grid.shape == (300, 400) and not grid.any()  # zeros
    grid[:] = 3
    assert int(grid.sum()) == 3 * 300 * 400
    assert not list(tmp_path.iterdir())

    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(OSError, match=r"not enough free disk space in .*'zo' \(0\.96 GB\)"):
        hydrology.scratch_grid(tmp_path, "zo", (10000, 12000, 2), np.float32)
    assert not list(tmp_path.iterdir())


def test_compiled_local_layers_equal_the_numpy_formulas():
    """The compiled per-pixel pass gives the numpy reference's values (holes, flats and a
    geographic DEM's row-by-row pixel sizes included)."""
    from mirage_labeller.core.terrain.morphometry import local_layers, local_layers_numpy

    rng = np.random.default_rng(1)
    z = np.cumsum(np.cumsum(rng.normal(size=(300, 400)), 0), 1)
    z[50:60, 70:90] = np.nan
    z[200:210, :] = 5.0
    for ew, ns in ((15.0, 15.0), (np.linspace(20, 22, 298)[:, None], np.full((298, 1), 30.9))):
        compiled, reference = local_layers(z, ew, ns), local_layers_numpy(z, ew, ns)
        assert set(compiled) == set(reference) == set(LAYERS[:-1])
        for name in reference:
            assert np.allclose(compiled[name], reference[name], rtol=1e-12, atol=1e-12,
                               equal_nan=True), name
    only = local_layers(z, 15.0, 15.0, ["tri"])
    assert list(only) == ["tri"]


def test_written_layers_are_the_reference_as_written():
    """The compiled pass writing the files' values directly (nodata, hillshade bytes) gives
    what the numpy reference gives once converted by ``to_output``."""
    from mirage_labeller.core.terrain.morphometry import (
        DTYPES,
        NODATA_OF,
        local_layers_numpy,
        to_output,
        written_layers,
    )

    rng = np.random.default_rng(2)
    z = np.cumsum(np.cumsum(rng.normal(size=(200, 260)), 0), 1)
    z[40:50, 70:90] = np.nan
    z[120:130, :] = 5.0
    written = written_layers(z, 15.0, 15.0)
    reference = local_layers_numpy(z, 15.0, 15.0)
    assert set(written) == set(reference) == set(LAYERS[:-1])
    for name, values in reference.items():
        expected = to_output(values, DTYPES[name], NODATA_OF[name])
        assert written[name].dtype == np.dtype(DTYPES[name]), name
        assert np.array_equal(written[name] == NODATA_OF[name], expected == NODATA_OF[name])
        assert (written[name] == NODATA_OF[name]).any(), name  # the hole is nodata
        if name == "hillshade":  # a value at a rounding boundary may go either way
            diff = np.abs(written[name].astype(int) - expected.astype(int))
            assert diff.max() <= 1 and (diff == 0).mean() > 0.999
        else:
            assert np.allclose(written[name], expected, rtol=1e-6, atol=1e-9), name


def test_layers_never_overwrite_the_dem_they_come_from(tmp_path):
    from mirage_labeller.core.base.errors import OutputError

    z = np.arange(64 * 64, dtype="float32").reshape(64, 64)
    dem = tmp_path / "slope.tif"
    write_geotiff(dem, z, from_origin(0, 960, 15, 15))
    before = Path(dem).read_bytes()
    with pytest.raises(OutputError, match="is the DEM this command reads"):
        derive_morphometry(dem, tmp_path, ["slope"])
    assert Path(dem).read_bytes() == before


def test_a_scratch_folder_with_an_impossible_pid_is_removed(tmp_path):
    import socket

    z = np.arange(64 * 64, dtype="float32").reshape(64, 64)
    dem = tmp_path / "dem.tif"
    write_geotiff(dem, z, from_origin(0, 960, 15, 15))
    left = tmp_path / "out" / f".morphometry-{socket.gethostname()}-99999999999999999999-abc"
    left.mkdir(parents=True)
    derive_morphometry(dem, tmp_path / "out", ["slope"])  # no OverflowError
    assert not left.exists() and (tmp_path / "out" / "slope.tif").exists()
