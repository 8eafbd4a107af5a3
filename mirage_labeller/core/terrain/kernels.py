"""The local terrain layers of a block, from its 3x3 windows: hillshade, slope, aspect,
profile and plan curvature, TRI (definitions in ``terrain.morphometry``'s docstring).

``local_layers_numpy`` is the reference in numpy (and the path without numba);
``_local_kernel`` computes every wanted layer pixel by pixel in one compiled pass (numba),
which releases the GIL, so it runs beside TWI's routing; ``written_layers`` gives the values
as the files get them (``to_output``).
"""
from __future__ import annotations

import math
from typing import Dict, Sequence

import numpy as np

from ..base.numba import HAVE_NUMBA, njit
from .arctangent import atan2
from .layers import DTYPES, LOCAL, NODATA_OF


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
