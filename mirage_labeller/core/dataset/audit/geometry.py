"""The geometry checks of each label: present, finite, a place on Earth, valid, an N-S
rectangle, of a believable area.

Tolerances (stated once, in the package's docstring too): every vertex within ``RECT_TOL_M``
(0.5 m, a thirtieth of a 15 m pixel) of a corner of the box's envelope; a four-cornered polygon
whose area fills its minimum rotated rectangle but not its envelope is "not N-S aligned",
anything else "not a rectangle"; below ``MIN_AREA_M2`` (four 15 m pixels: no fringe pattern
fits) an error; more than ``ABSURD_FACTOR`` times the class's mean area in the paper's Table 2,
or more than ``MAX_AREA_KM2``, a warning. A label's bounds (``RawLabel.bounds``) are set here,
for the checks that follow.
"""
from __future__ import annotations

from typing import List, Tuple

import numpy as np

from ...base.messages import Msg
from ...labels.classes import CLASSES
from .files import RawLabel, _FileAudit
from .findings import ERROR, WARNING

RECT_TOL_M = 0.5
MIN_AREA_M2 = 4 * 15.0 * 15.0
ABSURD_FACTOR = 20.0
MAX_AREA_KM2 = 25.0
MAX_COORDINATE = 1e8  # metres (or degrees): larger is damage, not a place


def _ring_points(geometry: dict) -> List[Tuple[float, float]]:
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "MultiPolygon":
        return [tuple(p[:2]) for poly in coords for ring in poly for p in ring]
    return [tuple(p[:2]) for ring in coords for p in ring]


def _check_geometry(fa: _FileAudit, raw: RawLabel) -> None:
    lid = raw.label_id
    if raw.geometry is None:
        fa.add(ERROR, "geometry.empty", Msg("{name}: label {lid} has no geometry",
                                            name=fa.name, lid=lid), lid)
        return
    if raw.geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return  # the file's geometry type is reported once for the file
    try:
        points = _ring_points(raw.geometry)
    except (TypeError, ValueError, AttributeError, IndexError):
        points = []
    if not points:
        fa.add(ERROR, "geometry.empty", Msg("{name}: label {lid} has an empty geometry",
                                            name=fa.name, lid=lid), lid)
        return
    xy = np.array(points, dtype=float).reshape(-1, 2)
    if not np.isfinite(xy).all():
        fa.add(ERROR, "geometry.non_finite", Msg("{name}: label {lid} has NaN or infinite "
                                                 "coordinates",
                                                 name=fa.name, lid=lid), lid)
        return
    if np.abs(xy).max() > MAX_COORDINATE:  # a flipped exponent bit: no place on Earth
        fa.add(ERROR, "geometry.absurd_coordinates", Msg("{name}: label {lid} has a "
                                                         "coordinate of {max:.3g}, beyond "
                                                         "any map of the Earth",
                                                         name=fa.name, lid=lid,
                                                         max=np.abs(xy).max()), lid)
        return
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    raw.bounds = (float(x0), float(y0), float(x1), float(y1))
    from shapely.geometry import shape

    try:
        shp = shape(raw.geometry)
        valid = shp.is_valid
        area = shp.area
    except Exception:  # noqa: BLE001
        valid, area, shp = False, 0.0, None
    env_area = (x1 - x0) * (y1 - y0)
    if env_area <= 0:  # a line or a point: GEOS calls it invalid too, one finding is enough
        fa.add(ERROR, "geometry.zero_area", Msg("{name}: label {lid} has no area",
                                                name=fa.name, lid=lid), lid,
               raw.bounds)
        return
    if shp is None or not valid:
        fa.add(ERROR, "geometry.invalid", Msg("{name}: label {lid} has an invalid polygon "
                                              "(self-intersecting or malformed ring)",
                                              name=fa.name, lid=lid), lid, raw.bounds)
    if area <= 0:
        fa.add(ERROR, "geometry.zero_area", Msg("{name}: label {lid} has no area",
                                                name=fa.name, lid=lid), lid,
               raw.bounds)
        return
    corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]])
    nearest = np.min(np.hypot(xy[:, None, 0] - corners[None, :, 0],
                              xy[:, None, 1] - corners[None, :, 1]), axis=1)
    ns_rectangle = (nearest <= RECT_TOL_M).all() and abs(area - env_area) <= 1e-3 * env_area
    if shp is not None and valid and not ns_rectangle:
        rotated = shp.minimum_rotated_rectangle.area
        distinct = {(round(a, 3), round(b, 3)) for a, b in xy}
        if len(distinct) == 4 and abs(area - rotated) <= 1e-3 * rotated:
            fa.add(WARNING, "geometry.not_ns", Msg("{name}: label {lid} is a rectangle but "
                                                   "not north-south aligned (a vertex "
                                                   "{max:.1f} m off its envelope's "
                                                   "corners; tolerance {RECT_TOL_M} m)",
                                                   name=fa.name, lid=lid, max=nearest.max(),
                                                   RECT_TOL_M=RECT_TOL_M), lid, raw.bounds)
        else:
            fa.add(WARNING, "geometry.not_rectangle", Msg("{name}: label {lid} is not a "
                                                          "rectangle ({value:.0%} of its "
                                                          "envelope); its envelope is used",
                                                          name=fa.name, lid=lid,
                                                          value=area / env_area),
                   lid, raw.bounds)
    km2 = env_area / 1e6
    cls = CLASSES.get(str(raw.props.get("Class") or raw.props.get("class") or ""))
    if env_area < MIN_AREA_M2:
        fa.add(ERROR, "geometry.tiny", Msg("{name}: label {lid} covers {env_area:.0f} m², "
                                           "less than four 15 m pixels ({MIN_AREA_M2:.0f} "
                                           "m²)",
                                           name=fa.name, lid=lid, env_area=env_area,
                                           MIN_AREA_M2=MIN_AREA_M2), lid, raw.bounds)
    elif km2 > MAX_AREA_KM2 or (cls is not None and km2 > ABSURD_FACTOR * cls.mean_area_km2):
        ref = (Msg("{factor:.0f}× the {code} mean of {area} km² (paper, Table 2)",
                   factor=ABSURD_FACTOR, code=cls.code, area=cls.mean_area_km2)
               if cls is not None else Msg("{area} km²", area=MAX_AREA_KM2))
        fa.add(WARNING, "geometry.huge", Msg("{name}: label {lid} covers {km2:.2f} km², "
                                             "more than {ref}",
                                             name=fa.name, lid=lid, km2=km2, ref=ref),
                                             lid, raw.bounds)
