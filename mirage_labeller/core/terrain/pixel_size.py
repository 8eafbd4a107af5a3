"""Pixel sizes in metres of a DEM, however its CRS measures them: ``DemGrid`` (``dem_grid``
of an open raster), with sizes computed row by row on the WGS 84 ellipsoid for a DEM in
degrees (``metric_pixel_size``), and ``degrees_per_metre`` for a renderer's z factor.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

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
