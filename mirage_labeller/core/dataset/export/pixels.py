"""The pixels of a chip: physical values (radians, coherence 0-1, terrain units) read from
an interferogram, its coherence map and a DEM layer onto the chip's grid, NaN for nodata, and
the three 8-bit channels of each recipe (``chip_channels``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

from ...base import crs as base_crs
from .config import PathLike

# fixed physical ranges of DEM layers (core.morphometry units); others: 2nd-98th percentile
TERRAIN_RANGES = {"slope": (0.0, 90.0), "aspect": (0.0, 360.0), "hillshade": (0.0, 255.0)}


def to_u8(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Linear lo..hi -> 0..255, clipped; NaN -> 0."""
    scaled = (np.asarray(values, np.float32) - np.float32(lo)) * np.float32(255.0 / (hi - lo))
    out = np.rint(np.clip(scaled, 0, 255))
    out[~np.isfinite(out)] = 0
    return out.astype(np.uint8)


@dataclass
class _Layer:
    """A raster read onto the chip grid of one interferogram, as physical values."""

    src: object  # open rasterio dataset
    encoding: object = None  # ValueEncoding, None for terrain
    same_grid: bool = False  # same CRS and transform as the interferogram: window reads


def _read_window(src, window, shape: Tuple[int, int], encoding=None) -> np.ndarray:
    """Physical values of a window (float32, NaN = nodata), padded beyond the raster."""
    inside = (window.col_off >= 0 and window.row_off >= 0
              and window.col_off + window.width <= src.width
              and window.row_off + window.height <= src.height)
    data = src.read(1, window=window, masked=True, boundless=not inside)
    fill = (encoding.nodata if encoding is not None and encoding.nodata is not None
            else src.nodata if src.nodata is not None else 0)
    raw = data.filled(fill)
    if encoding is not None and not encoding.is_native:
        values = encoding.to_physical(raw)
    else:
        values = raw.astype(np.float32)
        if src.nodata is not None and not math.isnan(src.nodata):
            values[raw == src.nodata] = np.nan
    values[np.ma.getmaskarray(data)] = np.nan
    values[~np.isfinite(values)] = np.nan
    return values.reshape(shape)


def _read_layer(layer: _Layer, window, transform, crs, shape) -> np.ndarray:
    if layer.same_grid:
        return _read_window(layer.src, window, shape, layer.encoding)
    import rasterio
    from rasterio.warp import Resampling, reproject

    out = np.full(shape, np.nan, np.float32)
    nodata = layer.src.nodata
    if layer.encoding is not None and layer.encoding.nodata is not None:
        nodata = layer.encoding.nodata
    reproject(rasterio.band(layer.src, 1), out, src_nodata=nodata,
              dst_transform=transform, dst_crs=crs, dst_nodata=np.nan,
              resampling=Resampling.bilinear)
    if layer.encoding is not None and not layer.encoding.is_native:
        finite = np.isfinite(out)
        out[finite] = layer.encoding.to_physical(out[finite])
    return out


def _same_grid(src, ref) -> bool:
    return base_crs.same(src.crs, ref.crs) and tuple(src.transform) == tuple(ref.transform)


def terrain_range(path: PathLike, name: str) -> Tuple[float, float]:
    """The fixed range of a known layer, else its 2nd-98th percentile (decimated read)."""
    if name in TERRAIN_RANGES:
        return TERRAIN_RANGES[name]
    import rasterio

    with rasterio.open(str(path)) as src:
        step = max(1, math.ceil(max(src.width, src.height) / 1024))
        data = src.read(1, out_shape=(max(1, src.height // step), max(1, src.width // step)),
                        masked=True)
    values = np.ma.masked_invalid(data.astype("float64")).compressed()
    if values.size == 0:
        return (0.0, 1.0)
    lo, hi = (float(v) for v in np.percentile(values, [2, 98]))
    return (lo, hi if hi > lo else lo + 1.0)


def chip_channels(recipe: str, phase: np.ndarray, coherence: np.ndarray,
                  terrain: Optional[np.ndarray] = None,
                  terrain_lohi: Tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """(h, w, 3) uint8 of one chip from physical values (NaN = nodata -> 0)."""
    if recipe == "cos_sin_coh":
        bands = [to_u8(np.cos(phase), -1, 1), to_u8(np.sin(phase), -1, 1),
                 to_u8(coherence, 0, 1)]
    else:
        bands = [to_u8(phase, -math.pi, math.pi), to_u8(coherence, 0, 1),
                 to_u8(terrain, *terrain_lohi)]
    return np.dstack(bands)
