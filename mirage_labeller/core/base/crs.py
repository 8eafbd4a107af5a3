"""One module for coordinate reference systems: parsing, comparing, converting, UTM zones.

Labels, rasters and inventories each carry their own CRS (a label file in EPSG:32633 for a
LiCSAR frame east of 12 E, a GAMMA product in degrees, a DEM in a custom transverse Mercator),
and every comparison and conversion goes through here, so they all follow one rule:

- a CRS is given as an EPSG code (int), any text rasterio/PROJ reads (``"EPSG:32647"``, WKT,
  a PROJ string) or a rasterio ``CRS``; ``None`` means *unknown*;
- ``same(a, b)``: equal as PROJ sees them; two unknowns are the same, an unknown and a known
  one are not; text PROJ cannot read is compared as text;
- ``convert_bounds`` converts a box's envelope (densified edges, so a box stays a box that
  covers what it covered) and raises ``CrsError`` (an ``InputError``) when it cannot - an
  unknown side, a CRS PROJ cannot read, a box outside the target's domain - instead of
  returning infinities or the input unchanged;
- areas and lengths are measured in a projected CRS; ``metric_crs`` gives the one to use for
  a CRS in degrees (the UTM zone of the place, WGS 84).

Nothing here assumes EPSG:32632: that is the label store's default write rule
(``core.labels.crs_rule``), the one place that names it.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence, Tuple, Union

from .errors import InputError

Bounds = Tuple[float, float, float, float]
CrsLike = Union[int, str, object, None]  # EPSG code, text, rasterio CRS, None = unknown
_DENSIFY = 21


class CrsError(InputError):
    """A CRS that cannot be read, or coordinates that cannot be converted between two."""


def parse(crs: CrsLike):
    """A rasterio ``CRS``, or None for an unknown one; CrsError when it cannot be read."""
    from rasterio.crs import CRS

    if crs is None or crs == "":
        return None
    if isinstance(crs, CRS):
        return crs
    try:
        if isinstance(crs, int) or (isinstance(crs, str) and crs.isdigit()):
            return CRS.from_epsg(int(crs))
        if hasattr(crs, "to_wkt"):  # a fiona or pyproj CRS
            return CRS.from_wkt(crs.to_wkt())
        return CRS.from_user_input(crs)
    except Exception as exc:  # noqa: BLE001 - rasterio's CRSError and PROJ's own errors
        raise CrsError(f"{str(crs)[:80]!r} is not a coordinate reference system PROJ can "
                       f"read ({str(exc)[:120]})") from None


def text(crs: CrsLike) -> Optional[str]:
    """``"EPSG:n"`` when the CRS has an EPSG code, else its WKT; None when unknown."""
    parsed = parse(crs)
    if parsed is None:
        return None
    epsg = epsg_of(parsed)
    return f"EPSG:{epsg}" if epsg else parsed.to_wkt()


def epsg_of(crs: CrsLike) -> Optional[int]:
    parsed = parse(crs)
    if parsed is None:
        return None
    try:
        return parsed.to_epsg()
    except Exception:  # noqa: BLE001 - a CRS without a code
        return None


def describe(crs: CrsLike) -> str:
    """A short name for messages: ``EPSG:32647``, ``a custom CRS`` or ``no CRS``."""
    if crs is None:
        return "no CRS"
    try:
        epsg = epsg_of(crs)
    except CrsError:
        return "an unreadable CRS"
    return f"EPSG:{epsg}" if epsg else "a custom CRS"


def same(a: CrsLike, b: CrsLike) -> bool:
    """Whether two CRSs are the same (see the module's rule)."""
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    try:
        return parse(a) == parse(b)
    except CrsError:
        return str(a) == str(b)


def is_geographic(crs: CrsLike) -> bool:
    parsed = parse(crs)
    return bool(parsed is not None and parsed.is_geographic)


def is_projected(crs: CrsLike) -> bool:
    parsed = parse(crs)
    return bool(parsed is not None and parsed.is_projected)


def utm_epsg(lon: float, lat: float) -> int:
    """The WGS 84 UTM zone of a place (326zz north, 327zz south)."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


def convert_bounds(bounds: Sequence[float], src: CrsLike, dst: CrsLike) -> Bounds:
    """The envelope of ``bounds`` (xmin, ymin, xmax, ymax in ``src``) in ``dst``."""
    b = tuple(float(v) for v in bounds)
    if same(src, dst):
        return b
    if src is None or dst is None:
        raise CrsError(f"box {_short(b)}: cannot be converted from {describe(src)} to "
                       f"{describe(dst)}")
    from rasterio.warp import transform_bounds

    try:
        out = transform_bounds(parse(src), parse(dst), *b, densify_pts=_DENSIFY)
    except CrsError:
        raise
    except Exception as exc:  # noqa: BLE001 - PROJ: outside the projection's domain, ...
        raise CrsError(f"box {_short(b)}: cannot be converted from {describe(src)} to "
                       f"{describe(dst)} ({str(exc)[:120]})") from None
    if not all(map(math.isfinite, out)):
        raise CrsError(f"box {_short(b)}: lies outside what {describe(dst)} can show")
    return tuple(out)


def convert_points(xs, ys, src: CrsLike, dst: CrsLike):
    """Points (two sequences) from ``src`` to ``dst``; CrsError as ``convert_bounds``."""
    if same(src, dst):
        return list(xs), list(ys)
    if src is None or dst is None:
        raise CrsError(f"points cannot be converted from {describe(src)} to {describe(dst)}")
    from rasterio.warp import transform

    try:
        x, y = transform(parse(src), parse(dst), list(xs), list(ys))
    except Exception as exc:  # noqa: BLE001
        raise CrsError(f"points cannot be converted from {describe(src)} to {describe(dst)} "
                       f"({str(exc)[:120]})") from None
    return x, y


def lonlat_of(bounds: Sequence[float], crs: CrsLike) -> Optional[Tuple[float, float]]:
    """The centre of ``bounds`` in degrees (None when the CRS is unknown or PROJ fails)."""
    x = (bounds[0] + bounds[2]) / 2.0
    y = (bounds[1] + bounds[3]) / 2.0
    try:
        lon, lat = convert_points([x], [y], crs, 4326)
    except CrsError:
        return None
    if not (math.isfinite(lon[0]) and math.isfinite(lat[0])):
        return None
    return float(lon[0]), float(lat[0])


def metric_crs(crs: CrsLike, bounds: Sequence[float]) -> CrsLike:
    """A CRS to measure ``bounds`` (in ``crs``) in metres: ``crs`` itself when projected,
    the UTM zone of the place when it is in degrees; None when neither can be told."""
    if crs is None:
        return None
    if is_projected(crs):
        return crs
    centre = lonlat_of(bounds, crs)
    return utm_epsg(*centre) if centre else None


def area_m2(bounds: Sequence[float], crs: CrsLike) -> float:
    """The area of a box in square metres, measured in its ``metric_crs`` (NaN when it cannot
    be told). A box in degrees is not a rectangle in UTM (meridians converge: 1° off the
    zone's central meridian at 30° N turns it by half a degree, and its envelope is a few
    per cent larger), so its edges are densified, converted and the polygon's own area taken
    (shoelace formula; within 0.1 % of the geodesic area for boxes under a few km)."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    if is_projected(crs):
        return max(0.0, x1 - x0) * max(0.0, y1 - y0)
    target = metric_crs(crs, bounds)
    if target is None:
        return float("nan")
    n = _DENSIFY
    xs = ([x0 + (x1 - x0) * k / n for k in range(n)] + [x1] * n
          + [x1 - (x1 - x0) * k / n for k in range(n)] + [x0] * n)
    ys = ([y0] * n + [y0 + (y1 - y0) * k / n for k in range(n)] + [y1] * n
          + [y1 - (y1 - y0) * k / n for k in range(n)])
    try:
        px, py = convert_points(xs, ys, crs, target)
    except CrsError:
        return float("nan")
    twice = sum(px[i] * py[i - 1] - px[i - 1] * py[i] for i in range(len(px)))
    return abs(twice) / 2.0


def _short(b: Sequence[float]) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in b) + ")"
