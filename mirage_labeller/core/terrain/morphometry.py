"""DEM derivatives for the terrain check (step 2): hillshade, slope, aspect, profile and plan
curvature, TRI and TWI, written block-wise as tiled compressed GeoTIFFs on the DEM's grid.

Definitions (the references the tests compare against):
- slope, aspect, hillshade: Horn (1981) 3x3 gradient, as ``gdaldem`` (slope in degrees, aspect
  in degrees clockwise from north towards the downslope direction, hillshade azimuth 315,
  altitude 45, z 1, 1-255 with 0 as nodata);
- TRI: Riley et al. (1999), root of the summed squared differences to the 8 neighbours, as
  ``gdaldem TRI`` (its default since GDAL 3.3);
- curvatures: Zevenbergen & Thorne (1987) 9-term polynomial, with SAGA's definitions of
  profile and plan curvature (``ta_morphometry 0``, method 6), in 1/m;
- TWI = ln(a / tan b): a the specific catchment area from D8 flow accumulation over a DEM
  filled as Wang & Liu (2006) with a 0.1 degree minimum slope (SAGA's defaults), b the Horn
  slope, floored at 0.1 degree so flats stay finite (see core/hydrology.py).

Pixels whose 3x3 window touches nodata or the raster edge are nodata, as gdaldem does. A DEM
in degrees is handled with metric pixel sizes computed per row on the WGS 84 ellipsoid.
"""
from __future__ import annotations

import contextlib
import math
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np

from ..base import blockio
from .arctangent import atan2
from ..base.errors import OutputError, clean_library_text, from_os_error, process_alive
from ..base.numba import HAVE_NUMBA, njit
from ..base.progress import Cancelled, ProgressLike

from .layers import DTYPES, LAYERS, LOCAL, NODATA_OF

MIN_TWI_SLOPE_DEG = 0.1
GDAL_CACHE_MB = 64
# DEM types whose every value float32 holds exactly (the heights TWI's routing reads)
SHARED_DTYPES = ("float32", "int16", "uint16", "int8", "uint8")


@dataclass
class MorphometryResult:
    paths: Dict[str, Path]
    messages: List[str] = field(default_factory=list)


# ---------------------------------------------------------------- pixel sizes

_WGS84_A = 6378137.0
_WGS84_E2 = 6.69437999014e-3


def metric_pixel_size(res_x_deg: float, res_y_deg: float, lat_deg: np.ndarray):
    """(east-west, north-south) size in metres of a pixel of res_x by res_y degrees at each
    latitude, on the WGS 84 ellipsoid (prime-vertical and meridional radii of curvature)."""
    phi = np.radians(lat_deg)
    w = 1.0 - _WGS84_E2 * np.sin(phi) ** 2
    n = _WGS84_A / np.sqrt(w)
    m = _WGS84_A * (1.0 - _WGS84_E2) / w ** 1.5
    return (n * np.cos(phi) * math.radians(abs(res_x_deg)), m * math.radians(abs(res_y_deg)))


def degrees_per_metre(res_x_deg: float, res_y_deg: float, lat_deg: float) -> float:
    """Heights in metres over a grid in degrees: the factor that brings them to degrees
    (a hillshade renderer's z factor), from the pixel's metric size at ``lat_deg``; the
    geometric mean of the east-west and north-south scales, which differ by cos(latitude)."""
    ew, ns = metric_pixel_size(res_x_deg, res_y_deg, np.asarray(float(lat_deg)))
    return math.sqrt(abs(res_x_deg * res_y_deg) / (float(ew) * float(ns)))


# ---------------------------------------------------------------- the 3x3 kernels

def _neighbours(z: np.ndarray):
    """The nine 3x3 neighbours of every core pixel of a 1-pixel-haloed array:
    a b c / d e f / g h i, rows running north to south."""
    return (z[:-2, :-2], z[:-2, 1:-1], z[:-2, 2:], z[1:-1, :-2], z[1:-1, 1:-1], z[1:-1, 2:],
            z[2:, :-2], z[2:, 1:-1], z[2:, 2:])


def local_layers(z: np.ndarray, ew, ns, wanted: Sequence[str] = LOCAL) -> Dict[str, np.ndarray]:
    """Morphometric layers of the core of ``z`` (a 1-pixel halo around it, NaN = no data).

    ``ew`` and ``ns`` are pixel sizes in metres: scalars, or column vectors (one value per core
    row) for a geographic DEM. With numba, one compiled pass computes every layer per pixel
    (no whole-block temporaries) and releases the GIL, so it runs beside TWI's routing;
    without it, the same formulas in numpy (``local_layers_numpy``)."""
    if not HAVE_NUMBA:
        return local_layers_numpy(z, ew, ns, wanted)
    return _compiled_layers(z, ew, ns, wanted, False)


def _compiled_layers(z, ew, ns, wanted, written: bool) -> Dict[str, np.ndarray]:
    rows, cols = z.shape[0] - 2, z.shape[1] - 2
    ew_rows = np.broadcast_to(np.asarray(ew, np.float64).reshape(-1, 1), (rows, 1))[:, 0].copy()
    ns_rows = np.broadcast_to(np.asarray(ns, np.float64).reshape(-1, 1), (rows, 1))[:, 0].copy()
    # each wanted layer's plane in ``out`` (-1: not wanted), so a block holds only those
    names = [name for name in LOCAL if name in wanted]
    slots = np.array([names.index(name) if name in names else -1 for name in LOCAL], np.int64)
    out = np.empty((len(names), rows, cols), np.float32 if written else np.float64)
    nodata = np.array([NODATA_OF[name] if written else np.nan for name in LOCAL])
    _local_kernel(np.asarray(z, np.float64), ew_rows, ns_rows, slots, out, nodata, written)
    return {name: out[k].astype(DTYPES[name], copy=False) if written else out[k]
            for k, name in enumerate(names)}


def written_layers(z: np.ndarray, ew, ns, wanted: Sequence[str] = LOCAL
                   ) -> Dict[str, np.ndarray]:
    """``local_layers`` as the files get them (``to_output``: nodata values, hillshade in
    bytes); with numba straight from the compiled pass, without a float64 copy of the block."""
    if not HAVE_NUMBA:
        values = local_layers_numpy(z, ew, ns, wanted)
        return {name: to_output(values[name], DTYPES[name], NODATA_OF[name]) for name in values}
    return _compiled_layers(z, ew, ns, wanted, True)


@njit(cache=True, nogil=True, inline="always")
def _put(out, k, slot, y, x, v, nodata, written):
    """Store layer k's value in plane ``slot``, as written to the file when ``written``: no
    data (NaN) as the layer's nodata, the byte layer (hillshade, k = 0) rounded to the
    nearest integer as GDAL does."""
    if written:
        if not np.isfinite(v):
            v = nodata[k]
        elif k == 0:
            v = np.rint(v)
    out[slot, y, x] = v


@njit(cache=True, nogil=True, error_model="numpy")
def _local_kernel(z, ew_rows, ns_rows, slots, out, nodata, written):
    """Every local layer, pixel by pixel: the formulas of ``local_layers_numpy``, in the order
    of LOCAL (hillshade, slope, aspect, profile and plan curvature, TRI), layer k into plane
    ``slots[k]`` of ``out`` (-1: not wanted); into float64 with NaN, or (``written``)
    straight into the float32 values the files get (``_put``)."""
    rows, cols = out.shape[1], out.shape[2]
    az, alt = math.radians(315.0), math.radians(45.0)
    sin_alt, cos_alt, sin_az, cos_az = math.sin(alt), math.cos(alt), math.sin(az), math.cos(az)
    nan = np.nan
    for y in range(rows):
        ew, ns = ew_rows[y], ns_rows[y]
        # the row's divisors as reciprocals: a multiplication instead of a division a term
        gx, gy = 1.0 / (8.0 * ew), 1.0 / (8.0 * ns)
        rx, ty, sxy = 2.0 / (ew * ew), 2.0 / (ns * ns), 1.0 / (4.0 * ew * ns)
        px, qy = 1.0 / (2.0 * ew), 1.0 / (2.0 * ns)
        for x in range(cols):
            a, b, c = z[y, x], z[y, x + 1], z[y, x + 2]
            d, e, f = z[y + 1, x], z[y + 1, x + 1], z[y + 1, x + 2]
            g, h, i = z[y + 2, x], z[y + 2, x + 1], z[y + 2, x + 2]
            dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) * gx
            dzdy = ((a + 2 * b + c) - (g + 2 * h + i)) * gy
            gradient = math.sqrt(dzdx * dzdx + dzdy * dzdy)
            if slots[0] >= 0:
                cang = (sin_alt + cos_alt * (-dzdx * sin_az - dzdy * cos_az)) \
                    / math.sqrt(1.0 + gradient * gradient)
                _put(out, 0, slots[0], y, x, 1.0 if cang <= 0.0 else 1.0 + 254.0 * cang,
                     nodata, written)
            if slots[1] >= 0:
                _put(out, 1, slots[1], y, x, math.degrees(atan2(gradient, 1.0)), nodata, written)
            if slots[2] >= 0:
                aspect = math.degrees(atan2(-dzdx, -dzdy))  # (-180, 180]
                if aspect < 0.0:  # as % 360 (a call to fmod), in 0-360
                    aspect += 360.0
                _put(out, 2, slots[2], y, x, nan if gradient == 0 else aspect, nodata, written)
            if slots[3] >= 0 or slots[4] >= 0:
                r = ((d + f) * 0.5 - e) * rx
                t = ((b + h) * 0.5 - e) * ty
                s = (c + g - a - i) * sxy
                p = (f - d) * px
                q = (b - h) * qy
                p2, q2 = p * p, q * q
                p2q2 = p2 + q2
                if slots[3] >= 0:
                    one = 1.0 + p2q2
                    _put(out, 3, slots[3], y, x, (-(r * p2 + t * q2 + 2.0 * s * p * q)
                                                  / (p2q2 * one * math.sqrt(one)))
                         if p2q2 > 0 else nan, nodata, written)
                if slots[4] >= 0:
                    _put(out, 4, slots[4], y, x, (-(t * p2 + r * q2 - 2.0 * s * p * q)
                                                  / (p2q2 * math.sqrt(p2q2)) if p2q2 > 0 else nan),
                         nodata, written)
            if slots[5] >= 0:
                acc = 0.0
                for n in (a, b, c, d, f, g, h, i):
                    acc += (n - e) ** 2
                _put(out, 5, slots[5], y, x, math.sqrt(acc), nodata, written)


def to_output(values: np.ndarray, dtype: str, nodata: float) -> np.ndarray:
    """A layer as written: NaN becomes ``nodata``; a byte layer is rounded to the nearest
    integer (as GDAL rounds too). The path without numba; with it, ``written_layers`` gets
    these values from the compiled pass itself."""
    out = np.empty(values.shape, dtype)
    arr = np.where(np.isfinite(values), values, nodata)
    out[...] = np.rint(arr) if dtype == "uint8" else arr
    return out


def local_layers_numpy(z: np.ndarray, ew, ns, wanted: Sequence[str] = LOCAL
                       ) -> Dict[str, np.ndarray]:
    """``local_layers`` in numpy (the reference, and the path without numba)."""
    a, b, c, d, e, f, g, h, i = _neighbours(z)
    out: Dict[str, np.ndarray] = {}
    dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) / (8.0 * ew)  # towards east
    dzdy = ((a + 2 * b + c) - (g + 2 * h + i)) / (8.0 * ns)  # towards north
    gradient = np.hypot(dzdx, dzdy)
    if "slope" in wanted:
        out["slope"] = np.degrees(np.arctan(gradient))
    if "aspect" in wanted:
        aspect = np.degrees(np.arctan2(-dzdx, -dzdy)) % 360.0  # the downslope direction
        aspect[gradient == 0] = np.nan  # flat: no aspect (gdaldem's -9999)
        out["aspect"] = aspect
    if "hillshade" in wanted:
        az, alt = math.radians(315.0), math.radians(45.0)
        # illumination of the surface normal (-dzdx, -dzdy, 1) by a sun at az/alt
        cang = (math.sin(alt) + math.cos(alt) * (-dzdx * math.sin(az) - dzdy * math.cos(az))) \
            / np.sqrt(1.0 + gradient * gradient)
        out["hillshade"] = np.where(cang <= 0.0, 1.0, 1.0 + 254.0 * cang)
    if "tri" in wanted:
        out["tri"] = np.sqrt(sum((n - e) ** 2 for n in (a, b, c, d, f, g, h, i)))
    if "profile_curvature" in wanted or "plan_curvature" in wanted:
        r = 2.0 * ((d + f) / 2.0 - e) / (ew * ew)  # d2z/dx2
        t = 2.0 * ((b + h) / 2.0 - e) / (ns * ns)  # d2z/dy2
        s = (c + g - a - i) / (4.0 * ew * ns)  # d2z/dxdy (x east, y north)
        p = (f - d) / (2.0 * ew)
        q = (b - h) / (2.0 * ns)
        p2, q2 = p * p, q * q
        p2q2 = p2 + q2
        with np.errstate(divide="ignore", invalid="ignore"):
            if "profile_curvature" in wanted:
                prof = -(r * p2 + t * q2 + 2.0 * s * p * q) / (p2q2 * (1.0 + p2q2) ** 1.5)
                out["profile_curvature"] = np.where(p2q2 > 0, prof, np.nan)
            if "plan_curvature" in wanted:
                plan = -(t * p2 + r * q2 - 2.0 * s * p * q) / p2q2 ** 1.5
                out["plan_curvature"] = np.where(p2q2 > 0, plan, np.nan)
    return out


# ---------------------------------------------------------------- the whole DEM

@dataclass(frozen=True)
class DemGrid:
    """Pixel sizes in metres of a DEM, however its CRS measures them."""

    geographic: bool
    res_x: float
    res_y: float
    top: float
    message: Optional[str]

    def sizes(self, row0: int, row1: int):
        if not self.geographic:
            return self.res_x, self.res_y
        lat = self.top - (np.arange(row0, row1) + 0.5) * self.res_y
        ew, ns = metric_pixel_size(self.res_x, self.res_y, lat)
        return ew[:, None], ns[:, None]


def dem_grid(src) -> DemGrid:
    crs = src.crs
    res_x, res_y = abs(src.transform.a), abs(src.transform.e)
    if crs is not None and crs.is_geographic:
        return DemGrid(True, res_x, res_y, src.transform.f,
                       f"{Path(src.name).name}: the DEM is in degrees (geographic CRS); slopes "
                       "use pixel sizes converted to metres row by row on the WGS 84 ellipsoid")
    message = None
    b = src.bounds
    looks_geographic = (res_x < 0.01 and res_y < 0.01 and -180.0 <= b.left <= b.right <= 360.0
                        and -90.0 <= b.bottom <= b.top <= 90.0)
    if crs is None and looks_geographic:  # an SRTM tile stripped of its CRS: 1e-3 "m" pixels
        return DemGrid(True, res_x, res_y, src.transform.f,
                       f"{Path(src.name).name}: the DEM has no CRS, but its pixels "
                       f"({res_x:.6g} x {res_y:.6g}) and bounds are those of a grid in degrees; "
                       "it is treated as WGS 84 longitude/latitude (assign a CRS to be sure)")
    if crs is None:
        message = f"{Path(src.name).name}: the DEM has no CRS; its pixel size is taken as metres"
    elif crs.linear_units not in ("metre", "meter", "m"):
        message = (f"{Path(src.name).name}: the DEM's units are {crs.linear_units}, not metres; "
                   "slopes assume metres")
    return DemGrid(False, res_x, res_y, src.transform.f, message)


def derive_morphometry(dem_path: Union[str, Path], out_dir: Union[str, Path],
                       layers: Sequence[str] = LAYERS, progress: ProgressLike = None,
                       is_cancelled: Callable[[], bool] = lambda: False,
                       block: int = blockio.BLOCK) -> MorphometryResult:
    """Write the requested layers as ``OUTDIR/<layer>.tif``; block-wise, memory stays flat
    for the local layers (TWI's flow routing holds its grids in disk-backed arrays)."""
    report = progress or (lambda f, m: None)
    unknown = set(layers) - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(sorted(unknown))}; choose from "
                         f"{', '.join(LAYERS)}")
    from ..interferograms.facts import read_raster_facts

    read_raster_facts(str(dem_path), sample_size=64)  # RasterReadError names a damaged DEM
    out_dir = Path(out_dir)
    made = [d for d in (out_dir, *out_dir.parents) if not d.exists()]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise from_os_error(exc, out_dir, "creating the folder", OutputError) from None
    try:
        return _derive_into(Path(dem_path), out_dir, layers, report, is_cancelled, block)
    except BaseException:
        for folder in made:  # a failed run leaves no folder it made
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _derive_into(dem_path: Path, out_dir: Path, layers, report, is_cancelled, block):
    paths = {name: out_dir / f"{name}.tif" for name in layers}
    for path in paths.values():  # "morphometry dem/slope.tif dem": the DEM is an input
        if path.exists() and os.path.samefile(path, dem_path):
            raise OutputError.at(path, "is the DEM this command reads; it would be "
                                       "overwritten", "write the layers into another folder")
    result = MorphometryResult(paths)
    local = [n for n in layers if n in LOCAL]
    # everything is written into a scratch folder beside the outputs and moved in at the end:
    # a cancelled or failed run leaves the previous layers, never half-written ones
    import rasterio
    from rasterio.errors import RasterioError

    _remove_stale_scratch(out_dir)
    try:
        scratch = tempfile.TemporaryDirectory(dir=out_dir, prefix=_scratch_prefix())
    except OSError as exc:
        raise from_os_error(exc, out_dir, "writing", OutputError) from None
    work = Path(scratch.name)

    try:
        # GDAL's block cache would otherwise hold up to 5 % of RAM of written tiles: a fixed
        # small cache keeps memory flat whatever the raster size
        with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
            _derive(Path(dem_path), work, layers, local, result, report, is_cancelled, block)
        for name, path in paths.items():
            _verify_written(work / f"{name}.tif", path)
        for name, path in paths.items():
            os.replace(work / f"{name}.tif", path)
    except RasterioError as exc:  # GDAL reading the DEM or writing a layer
        raise _gdal_error(exc, dem_path, out_dir) from None
    except OSError as exc:
        if exc.filename is not None and str(exc.filename).startswith(str(dem_path)):
            raise
        raise from_os_error(exc, out_dir, "writing the layers", OutputError) from None
    finally:
        scratch.cleanup()
    report(1.0, "done")
    return result


def _verify_written(path: Path, target: Path) -> None:
    """GDAL can report a failed write (a full disk) only in its log and leave a short file;
    each layer is opened and its last block read before anything is moved in."""
    import rasterio

    try:
        with rasterio.open(path) as src:
            from rasterio.windows import Window

            h, w = src.height, src.width
            src.read(1, window=Window(max(0, w - 256), max(0, h - 256), min(256, w),
                                      min(256, h)))
    except Exception as exc:  # noqa: BLE001 - any failure means the layer is not whole
        raise OutputError.at(target, f"could not be written whole ({clean_library_text(exc)})",
                             "free some space or choose another place") from None


def _gdal_error(exc: BaseException, dem_path: Path, out_dir: Path) -> Exception:
    text = clean_library_text(exc)
    if "space" in text.lower() or "full" in text.lower() or "write" in text.lower():
        return OutputError.at(out_dir, f"the layers could not be written ({text})",
                              "free some space or choose another place")
    from ..interferograms.facts import RasterReadError

    return RasterReadError(f"{dem_path}: cannot be read as a DEM ({text})", path=dem_path)


def _scratch_prefix() -> str:
    import socket

    return f".morphometry-{socket.gethostname()}-{os.getpid()}-"


def _remove_stale_scratch(out_dir: Path, max_age_s: float = 86400.0) -> None:
    """A killed run (nothing runs after SIGKILL) leaves its scratch folder; the next run in
    the same folder removes it: one of this host whose process is gone, or any a day old
    (another host's, on a shared drive)."""
    import shutil
    import socket
    import time

    host = socket.gethostname()
    for folder in out_dir.glob(".morphometry-*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        parts = folder.name[len(".morphometry-"):].rsplit("-", 2)
        stale = False
        try:
            stale = time.time() - folder.stat().st_mtime > max_age_s
            if len(parts) == 3 and parts[0] == host:
                stale = stale or not process_alive(parts[1])
        except OSError:
            pass
        if stale:
            shutil.rmtree(folder, ignore_errors=True)


# relative cost of a layer in the local pass (mostly its compression: a float layer writes
# four bytes a pixel, the hillshade one), to share the layers out between two threads
COST = dict({name: 1.0 for name in LOCAL}, hillshade=0.3)


def _handover(names: Sequence[str]) -> List[str]:
    """The layers a second thread takes over: the costlier half goes to the one that is
    lighter so far, layer by layer (greedy), so both finish at about the same time."""
    kept, given, load_kept, load_given = [], [], 0.0, 0.0
    for name in sorted(names, key=lambda n: -COST[n]):
        if load_given < load_kept:
            given.append(name)
            load_given += COST[name]
        else:
            kept.append(name)
            load_kept += COST[name]
    return given


def _local_block(src, heights, grid, blk, outs) -> None:
    """One block of the local layers into the open files ``outs`` (name: dataset), from the
    heights already read (``heights``) or else from the DEM ``src``."""
    if heights is not None:
        z = blockio.halo_window(heights, blk)
    else:
        z = blockio.read_float(src, blk, halo=1)
    ew, ns = grid.sizes(blk.row0, blk.row1)
    values = written_layers(z, ew, ns, list(outs))
    for name, ds in outs.items():
        ds.write(values[name], 1, window=blk.window())


class _LocalPass(threading.Thread):
    """Local layers for the blocks given, in a thread of its own (with a dataset of its
    own when the heights are read from the file): writes only the files handed to it."""

    def __init__(self, src, heights, grid, todo, outs):
        super().__init__(name="mirage-local-layers", daemon=True)
        self.path, self.heights, self.grid, self.todo = src.name, heights, grid, todo
        self.outs = outs
        self.count = 0  # layer blocks written (read by the caller for its progress)
        self.stop = False
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        import rasterio

        try:
            with rasterio.open(self.path) as src:
                for blk in self.todo:
                    if self.stop:
                        return
                    _local_block(src, self.heights, self.grid, blk, self.outs)
                    self.count += len(self.outs)
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread
            self.error = exc

    def wait(self, timeout: Optional[float]) -> bool:
        self.join(timeout)
        return not self.is_alive()


def _derive(dem_path: Path, work: Path, layers, local, result, report, is_cancelled,
            block) -> None:
    import rasterio

    with rasterio.open(str(dem_path)) as src:
        grid = dem_grid(src)
        if grid.message:
            result.messages.append(grid.message)
        n_blocks = blockio.count_blocks(src.height, src.width, block)
        targets = {n: work / f"{n}.tif" for n in local}
        job = heights = None
        read_share = 0.0
        if "twi" in layers:
            # TWI's flow routing is global and long: the DEM is read once, by two readers,
            # into a disk-backed grid; the routing then runs on the other core while this
            # thread computes the local layers from the same heights
            from .hydrology import RoutingJob, load_heights, scratch_grid

            read_share = 0.1
            zo = scratch_grid(work, "zo", (src.height, src.width, 2), np.float32)
            stop = np.zeros(1, np.uint8)
            if not load_heights(dem_path, zo, block, stop, 2,
                                lambda f, m: report(read_share * f, m), is_cancelled):
                raise Cancelled()
            job = RoutingJob(dem_path, work, grid, block, zo, work / "twi.tif").start()
            # float32 holds every value of these types exactly; a float64 DEM is read again
            # for the local layers, in full precision
            if src.dtypes[0] in SHARED_DTYPES:
                heights = zo[..., 0]
        twi_share = 0.3 if "twi" in layers else 0.0
        todo = list(blockio.blocks(src.height, src.width, block))

        def shown(done: int) -> None:
            count = done + (helper.count if helper is not None else 0)
            report(read_share + (1 - twi_share - read_share) * count / (n_blocks * len(local)),
                   f"terrain layers: block {min(count // len(local) + 1, n_blocks)}/{n_blocks}")

        helper = None
        try:
            # while TWI's routing has a core, these layers compress in this thread: GDAL's
            # compression threads would take that core from the routing (the longer job)
            outs = blockio.open_outputs(targets, src, DTYPES, NODATA_OF,
                                        "1" if job is not None else "ALL_CPUS")
            try:
                mine, done = dict(outs), 0
                for k, blk in enumerate(todo):
                    if not mine:
                        break
                    if is_cancelled():
                        raise Cancelled()
                    if (helper is None and job is not None and job.wait(0) and job.error is None
                            and len(mine) > 1 and k < len(todo) - 1):
                        # the routing is done and its core idle: a second thread takes some
                        # layers over for the blocks left (each file has one writer)
                        given = _handover(list(mine))
                        helper = _LocalPass(src, heights, grid, todo[k:],
                                            {n: mine.pop(n) for n in given})
                        helper.start()
                    _local_block(src, heights, grid, blk, mine)
                    done += len(mine)
                    shown(done)
                if helper is not None:
                    while not helper.wait(0.2):
                        if is_cancelled():
                            raise Cancelled()
                        shown(done)
                    if helper.error is not None:
                        raise helper.error
            finally:
                if helper is not None:
                    helper.stop = True
                    helper.wait(None)
                for ds in outs.values():
                    ds.close()
            if job is not None:
                job.finish(lambda f, m: report(1 - twi_share + twi_share * f, m), is_cancelled)
        finally:
            if job is not None:  # a cancel or a failure: the routing stops with it
                job.stop()
                job.wait(None)