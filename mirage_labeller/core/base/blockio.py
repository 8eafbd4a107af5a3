"""Block-wise raster reading with a halo, and tiled compressed GeoTIFF output.

Memory stays flat however large the raster: a block (plus the halo a kernel needs) is read,
processed and written before the next one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple, Union

import numpy as np

BLOCK = 1024  # pixels per block side: a few MB per array, whatever the raster size
CREATION = dict(driver="GTiff", tiled=True, blockxsize=256, blockysize=256, compress="deflate",
                zlevel=1, num_threads="ALL_CPUS", bigtiff="IF_SAFER")


@dataclass(frozen=True)
class Block:
    row0: int
    row1: int
    col0: int
    col1: int

    @property
    def shape(self) -> Tuple[int, int]:
        return (self.row1 - self.row0, self.col1 - self.col0)

    def window(self):
        from rasterio.windows import Window

        return Window(self.col0, self.row0, self.col1 - self.col0, self.row1 - self.row0)


def blocks(height: int, width: int, size: int = BLOCK) -> Iterator[Block]:
    for r in range(0, height, size):
        for c in range(0, width, size):
            yield Block(r, min(r + size, height), c, min(c + size, width))


def count_blocks(height: int, width: int, size: int = BLOCK) -> int:
    return -(-height // size) * -(-width // size)


def read_float(src, block: Block, halo: int = 0, band: int = 1,
               dtype: str = "float64") -> np.ndarray:
    """The block grown by ``halo`` pixels, as floats with NaN for nodata and for pixels
    beyond the raster edge; a complex raster (an interferogram as GAMMA, ISCE or SNAP write
    it) gives the angle of its values, its phase (0 + 0i, no signal, gives NaN)."""
    from rasterio.windows import Window

    r0, r1 = max(block.row0 - halo, 0), min(block.row1 + halo, src.height)
    c0, c1 = max(block.col0 - halo, 0), min(block.col1 + halo, src.width)
    raw = src.read(band, window=Window(c0, r0, c1 - c0, r1 - r0))
    if np.iscomplexobj(raw):
        data = np.angle(raw).astype(dtype, copy=False)
        data[raw == 0] = np.nan
    else:
        data = raw.astype(dtype, copy=False)
        nodata = src.nodata
        if nodata is not None and not np.isnan(nodata):
            data[data == nodata] = np.nan
    shape = (block.row1 - block.row0 + 2 * halo, block.col1 - block.col0 + 2 * halo)
    if data.shape == shape:
        return data
    out = np.full(shape, np.nan, dtype)
    top, left = r0 - (block.row0 - halo), c0 - (block.col0 - halo)
    out[top:top + data.shape[0], left:left + data.shape[1]] = data
    return out


def halo_window(array: np.ndarray, block: Block, halo: int = 1,
                dtype: str = "float64") -> np.ndarray:
    """As ``read_float``, from a whole grid already in (mapped) memory, NaN for nodata."""
    h, w = array.shape
    out = np.full((block.row1 - block.row0 + 2 * halo, block.col1 - block.col0 + 2 * halo),
                  np.nan, dtype)
    r0, r1 = max(block.row0 - halo, 0), min(block.row1 + halo, h)
    c0, c1 = max(block.col0 - halo, 0), min(block.col1 + halo, w)
    top, left = r0 - (block.row0 - halo), c0 - (block.col0 - halo)
    out[top:top + r1 - r0, left:left + c1 - c0] = array[r0:r1, c0:c1]
    return out


def open_outputs(paths: Dict[str, Union[str, Path]], like, dtypes: Dict[str, str],
                 nodata: Dict[str, float], compress_threads: str = "ALL_CPUS"):
    """Open one tiled, compressed GeoTIFF per name on the grid of ``like`` (an open dataset).
    ``compress_threads="1"`` compresses in the writing thread (when another job has the other
    cores)."""
    import rasterio

    outs = {}
    for name, path in paths.items():
        floating = np.dtype(dtypes[name]).kind == "f"
        options = dict(CREATION, num_threads=compress_threads)
        outs[name] = rasterio.open(
            str(path), "w", width=like.width, height=like.height, count=1,
            dtype=dtypes[name], crs=like.crs, transform=like.transform, nodata=nodata[name],
            predictor=3 if floating else 2, **options)
    return outs


def peak_rss_mb() -> Optional[float]:
    """Peak resident memory of this process in MB (Linux/macOS), for benchmarks."""
    try:
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    except (ImportError, AttributeError):
        return None
