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

The layers of a block are computed by ``terrain.kernels`` (re-exported here), the pixel sizes
by ``terrain.pixel_size``, TWI's flow routing by ``terrain.hydrology``; this module writes them
for a whole DEM (``derive_morphometry``): block by block, two threads when TWI is asked, into
a scratch folder beside the outputs moved in at the end.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np

from ..base import blockio
from ..base.errors import OutputError, clean_library_text, from_os_error, process_alive
from ..base.progress import Cancelled, ProgressLike
from .kernels import local_layers, local_layers_numpy, to_output, written_layers
from .layers import DTYPES, LAYERS, LOCAL, NODATA_OF
from .pixel_size import DemGrid, degrees_per_metre, dem_grid, metric_pixel_size

__all__ = [
    "DTYPES", "LAYERS", "LOCAL", "NODATA_OF", "DemGrid", "MorphometryResult", "dem_grid",
    "degrees_per_metre", "derive_morphometry", "local_layers", "local_layers_numpy",
    "metric_pixel_size", "to_output", "written_layers",
]

MIN_TWI_SLOPE_DEG = 0.1
GDAL_CACHE_MB = 64
# DEM types whose every value float32 holds exactly (the heights TWI's routing reads)
SHARED_DTYPES = ("float32", "int16", "uint16", "int8", "uint8")


@dataclass
class MorphometryResult:
    paths: Dict[str, Path]
    messages: List[str] = field(default_factory=list)


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
