"""The bodies planted in a synthetic workspace: moving bodies of each class (``RECIPES``:
where a class lives and how it moves, sized after the paper's Table 2) and artefacts that look
like signals, placed on the terrain without overlapping (``_place_movement``,
``_place_artefact``), each with its footprint (``Body.shape_field``) and box (``_box_of``:
where motion is at least ``BODY_EDGE`` of its peak).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..labels.classes import CLASSES
from .plan import IfgPlan
from .random_fields import power_law_field
from .terrain import Terrain

BODY_EDGE = 0.1  # the box encloses the body where motion >= 10 % of its peak


@dataclass(frozen=True)
class Recipe:
    """Where a class lives and how it moves (synthetic choices, sized after Table 2)."""

    elevation_quantiles: Tuple[float, float]
    slope_deg: Tuple[float, float]
    elongation: float  # long / short axis
    across_slope: bool  # long axis along the contour (protalus ramparts)
    velocity_m_yr: Tuple[float, float]  # along the slope surface
    profile: str  # "smooth", "flat" (sharp edges, localised) or "broad"


RECIPES: Dict[str, Recipe] = {
    "RG": Recipe((0.72, 1.0), (12, 32), 2.2, False, (0.3, 1.2), "smooth"),
    "PR": Recipe((0.70, 0.97), (15, 35), 1.8, True, (0.15, 0.6), "smooth"),
    "TA": Recipe((0.60, 0.95), (25, 42), 2.0, False, (0.2, 0.8), "smooth"),
    "DG": Recipe((0.30, 0.85), (18, 35), 1.3, False, (0.025, 0.06), "broad"),
    "RS": Recipe((0.30, 0.85), (25, 45), 1.1, False, (0.03, 0.08), "flat"),
    "DS": Recipe((0.20, 0.70), (20, 38), 1.3, False, (0.03, 0.12), "flat"),
    "CF": Recipe((0.10, 0.75), (6, 20), 3.0, False, (0.6, 2.5), "smooth"),
    "CS": Recipe((0.15, 0.85), (8, 24), 1.1, False, (0.5, 1.8), "flat"),
    "FS": Recipe((0.40, 0.97), (14, 32), 1.2, False, (0.4, 1.2), "flat"),
}
CLASS_UNC_2_PROBABILITY = {"PR": 0.5, "TA": 0.5, "DS": 0.5, "FS": 0.3}


@dataclass
class Body:
    """A planted moving body or artefact, on a local window of the grid."""

    process_id: int
    cls: str
    kind: str  # "movement", "atmospheric blob", "topographic residual"
    row: int  # peak pixel
    col: int
    window: Tuple[int, int, int, int]  # row0, row1, col0, col1 (exclusive ends)
    shape_field: np.ndarray  # 0..1 on the window, max exactly 1 at (row, col)
    slope_deg: float = 0.0
    aspect_deg: float = 0.0
    velocity_m_yr: float = 0.0
    length_m: float = 0.0
    width_m: float = 0.0
    class_unc: int = 1
    amplitude: float = 0.0  # artefacts: delay (m) or DEM error (m)
    acquisition: Optional[str] = None  # atmospheric blob: (traj, date) it belongs to
    per_ifg: Dict[str, dict] = field(default_factory=dict)


def _profile(u: np.ndarray, v: np.ndarray, kind: str) -> np.ndarray:
    """Motion across the body, 1 at the centre, 0 from the rim (r = 1) outwards."""
    r2 = u * u + v * v
    inside = np.clip(1.0 - r2, 0.0, None)
    if kind == "flat":  # block-like: uniform core, steeper gradients towards the rim
        r = np.sqrt(r2)
        return np.where(r < 0.4, 1.0, 0.5 + 0.5 * np.cos(np.pi * np.clip((r - 0.4) / 0.6, 0, 1)))
    if kind == "broad":
        return inside ** 1.5
    return inside ** 2


def _suitable(cls: str, terrain: Terrain) -> np.ndarray:
    """Where ``cls`` lives: its elevation band (as quantiles of this DEM) and slope range."""
    recipe = RECIPES[cls]
    q_lo, q_hi = np.quantile(terrain.dem, recipe.elevation_quantiles)
    return ((terrain.dem >= q_lo) & (terrain.dem <= q_hi)
            & (terrain.slope >= recipe.slope_deg[0]) & (terrain.slope <= recipe.slope_deg[1]))


def _place_movement(cls: str, terrain: Terrain, suitable: np.ndarray, occupied: np.ndarray,
                    rng: np.random.Generator, process_id: int) -> Optional[Body]:
    recipe = RECIPES[cls]
    px = terrain.pixel
    area_m2 = CLASSES[cls].mean_area_km2 * 1e6 * float(np.exp(rng.normal(0.0, 0.35)))
    # box area ~ 4ab for an N-S box around an ellipse: size after Table 2's box areas
    short = math.sqrt(area_m2 / (4.0 * recipe.elongation))
    long_ = short * recipe.elongation
    margin = int(math.ceil(long_ / px)) + 8
    spot = _pick_centre(suitable & _window_free(occupied, margin), margin, rng)
    if spot is None:
        return None
    row, col = spot
    aspect = float(terrain.aspect[row, col])
    slope = float(terrain.slope[row, col])
    # local frame: s along the downslope direction, t across it (metres)
    r0, r1, c0, c1 = row - margin, row + margin + 1, col - margin, col + margin + 1
    rr, cc = np.mgrid[r0:r1, c0:c1]
    east = (cc - col) * px
    north = -(rr - row) * px
    a = math.radians(aspect)
    s = east * math.sin(a) + north * math.cos(a)
    t = east * math.cos(a) - north * math.sin(a)
    along, across = (short, long_) if recipe.across_slope else (long_, short)
    m = _profile(s / along, t / across, recipe.profile)
    if CLASSES[cls].texture == "heterogeneous":
        texture = power_law_field(m.shape, 3.0, rng, outer_scale=max(4.0, short / px))
        m = m * np.clip(1.0 + 0.45 * texture, 0.2, None)
    m = m / m.max()
    peak_r, peak_c = np.unravel_index(int(np.argmax(m)), m.shape)
    slope, aspect = _body_slope_aspect(terrain, (r0, r1, c0, c1), m)
    lo_v, hi_v = recipe.velocity_m_yr
    velocity = float(math.exp(rng.uniform(math.log(lo_v), math.log(hi_v))))
    unc = 2 if rng.random() < CLASS_UNC_2_PROBABILITY.get(cls, 0.15) else 1
    return Body(process_id, cls, "movement", r0 + int(peak_r), c0 + int(peak_c),
                (r0, r1, c0, c1), m.astype("float32"), slope, aspect, velocity,
                2 * long_, 2 * short, unc)


def _body_slope_aspect(terrain: Terrain, window, m: np.ndarray) -> Tuple[float, float]:
    """The slope the body moves down: the mean downslope gradient vector over its footprint
    (a body follows its whole slope, not the pixel at its centre)."""
    r0, r1, c0, c1 = window
    body = m >= BODY_EDGE
    tan_b = np.tan(np.radians(terrain.slope[r0:r1, c0:c1][body].astype("float64")))
    a = np.radians(terrain.aspect[r0:r1, c0:c1][body].astype("float64"))
    east, north = (tan_b * np.sin(a)).mean(), (tan_b * np.cos(a)).mean()
    return (math.degrees(math.atan(math.hypot(east, north))),
            math.degrees(math.atan2(east, north)) % 360.0)


def _place_artefact(kind: str, terrain: Terrain, occupied: np.ndarray, plans: List[IfgPlan],
                    rng: np.random.Generator, process_id: int) -> Optional[Body]:
    px = terrain.pixel
    radius = float(rng.uniform(220.0, 420.0))
    margin = int(math.ceil(2.6 * radius / px)) + 4
    ok = _window_free(occupied, margin)
    if kind == "topographic residual":  # on summits and ridges: where DEMs err the most
        ok &= terrain.dem >= np.quantile(terrain.dem, 0.85)
    spot = _pick_centre(ok, margin, rng)
    if spot is None:
        return None
    row, col = spot
    r0, r1, c0, c1 = row - margin, row + margin + 1, col - margin, col + margin + 1
    rr, cc = np.mgrid[r0:r1, c0:c1]
    d2 = ((rr - row) ** 2 + (cc - col) ** 2) * px * px
    m = np.exp(-d2 / (2 * radius * radius)).astype("float32")
    m[m < 0.02] = 0.0
    body = Body(process_id, "AR", kind, row, col, (r0, r1, c0, c1), m / m.max(),
                length_m=2 * radius, width_m=2 * radius, class_unc=1)
    if kind == "atmospheric blob":
        plan = plans[int(rng.integers(len(plans)))]
        date = plan.master if rng.random() < 0.5 else plan.slave
        body.acquisition = f"{plan.traj}:{date:%Y%m%d}"
        body.amplitude = float(rng.choice([-1, 1]) * rng.uniform(0.014, 0.026))
    else:
        body.amplitude = float(rng.uniform(70.0, 150.0))
        body.class_unc = 2
    return body


FRAME_MARGIN_PX = 70  # keeps bodies off the oblique nodata edge of the frame


def _pick_centre(ok: np.ndarray, margin: int, rng: np.random.Generator):
    """A random (row, col) where ``ok``, far enough from the raster edges; None if none."""
    edge = margin + FRAME_MARGIN_PX
    inner = np.zeros_like(ok)
    inner[edge:-edge, edge:-edge] = ok[edge:-edge, edge:-edge]
    candidates = np.flatnonzero(inner)
    if candidates.size == 0:
        return None
    return divmod(int(rng.choice(candidates)), ok.shape[1])


def _window_free(occupied: np.ndarray, half: int) -> np.ndarray:
    """True where a (2 half + 1)-pixel square window around the pixel holds no occupied
    pixel, so planted bodies never overlap (summed-area table: one pass)."""
    h, w = occupied.shape
    table = np.zeros((h + 1, w + 1), np.int64)
    table[1:, 1:] = occupied.cumsum(0).cumsum(1)
    r0 = np.clip(np.arange(h) - half, 0, h)
    r1 = np.clip(np.arange(h) + half + 1, 0, h)
    c0 = np.clip(np.arange(w) - half, 0, w)
    c1 = np.clip(np.arange(w) + half + 1, 0, w)
    count = (table[r1][:, c1] - table[r0][:, c1] - table[r1][:, c0] + table[r0][:, c0])
    return count == 0


def _mark(occupied: np.ndarray, body: Body, buffer: int = 15) -> None:
    r0, r1, c0, c1 = body.window
    occupied[max(0, r0 - buffer):r1 + buffer, max(0, c0 - buffer):c1 + buffer] = True


def _box_of(body: Body, origin, px: float) -> Tuple[float, float, float, float]:
    r0, _, c0, _ = body.window
    rows, cols = np.nonzero(body.shape_field >= BODY_EDGE)
    x0 = origin[0] + (c0 + cols.min()) * px
    x1 = origin[0] + (c0 + cols.max() + 1) * px
    y1 = origin[1] - (r0 + rows.min()) * px
    y0 = origin[1] - (r0 + rows.max() + 1) * px
    return (x0, y0, x1, y1)
