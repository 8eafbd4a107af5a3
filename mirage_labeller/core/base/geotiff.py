"""GeoTIFF output the way QGIS reads fastest: tiled, compressed, nodata and tags set."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional, Union

import numpy as np


def write_geotiff(path: Union[str, Path], array: np.ndarray, transform, crs="EPSG:32632",
                  nodata: Optional[float] = None, tags: Optional[Dict[str, str]] = None,
                  description: Optional[str] = None) -> None:
    import rasterio

    array = np.asarray(array)
    floating = np.issubdtype(array.dtype, np.floating)
    profile = dict(driver="GTiff", width=array.shape[1], height=array.shape[0], count=1,
                   dtype=array.dtype.name, crs=crs, transform=transform, tiled=True,
                   blockxsize=256, blockysize=256, compress="deflate",
                   predictor=3 if floating else 2, nodata=nodata)
    with rasterio.open(str(path), "w", **profile) as dst:
        dst.write(array, 1)
        if tags:
            dst.update_tags(**tags)
        if description:
            dst.set_band_description(1, description)
