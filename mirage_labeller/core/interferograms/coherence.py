"""Quick coherence figures for step 0, from a decimated read (overviews when present).

The full-resolution, block-wise screening comes with core/screening; this is what the dock can
show at once for any interferogram.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .facts import detect_coherence_encoding, read_raster_facts


@dataclass(frozen=True)
class CoherenceStats:
    mean: float
    median: float
    frac_below: float  # of valid pixels, below ``threshold``
    threshold: float
    valid_frac: float
    sample_px: int  # pixels actually read (decimated)

    def describe(self) -> str:
        return (f"coherence mean {self.mean:.2f}, median {self.median:.2f}, "
                f"{self.frac_below:.0%} below {self.threshold:g}, {self.valid_frac:.0%} valid")


def quick_coherence_stats(path: str, threshold: float = 0.2,
                          sample_size: int = 1024) -> Optional[CoherenceStats]:
    """None when the raster holds no valid coherence; RasterReadError when unreadable."""
    import rasterio

    encoding = detect_coherence_encoding(read_raster_facts(path, sample_size=64))
    with rasterio.open(path) as src:
        step = max(1, math.ceil(max(src.width, src.height) / sample_size))
        raw = src.read(1, out_shape=(max(1, src.height // step), max(1, src.width // step)),
                       masked=True)
    values = encoding.to_physical(raw.filled(np.nan if raw.dtype.kind == "f" else 0))
    values[np.ma.getmaskarray(raw)] = np.nan
    valid = values[np.isfinite(values)]
    if valid.size == 0:
        return None
    return CoherenceStats(mean=float(valid.mean()), median=float(np.median(valid)),
                          frac_below=float((valid < threshold).mean()), threshold=threshold,
                          valid_frac=valid.size / values.size, sample_px=int(values.size))
