"""Sentinel-1 geometry and phase conventions (DESIGN.md section 4), in one place.

phi = -(4 pi / lambda) * d_LOS with d_LOS > 0 towards the satellite (GMTSAR, LiCSAR).
"""
from __future__ import annotations

import math
from typing import Tuple

import numpy as np

WAVELENGTH_M = 0.0554658  # Sentinel-1 C band
FRINGE_M = WAVELENGTH_M / 2.0  # one 2 pi cycle of wrapped phase = 2.773 cm of LOS motion
INCIDENCE_DEG = 39.0
HEADING_DEG = {"A": -12.0, "D": -168.0}
DAYS_PER_YEAR = 365.0


def los_unit_vector(heading_deg: float, incidence_deg: float = INCIDENCE_DEG
                    ) -> Tuple[float, float, float]:
    """(east, north, up) unit vector from the ground towards a right-looking radar."""
    t, h = math.radians(incidence_deg), math.radians(heading_deg)
    return (-math.sin(t) * math.cos(h), math.sin(t) * math.sin(h), math.cos(t))


def downslope_unit_vector(slope_deg: float, aspect_deg: float) -> Tuple[float, float, float]:
    """(east, north, up) of motion along the surface down a slope facing ``aspect_deg``
    (clockwise from north)."""
    b, a = math.radians(slope_deg), math.radians(aspect_deg)
    return (math.cos(b) * math.sin(a), math.cos(b) * math.cos(a), -math.sin(b))


def los_sensitivity(slope_deg: float, aspect_deg: float, traj: str,
                    incidence_deg: float = INCIDENCE_DEG) -> float:
    """Fraction of a downslope motion seen along the LOS (+ towards the satellite)."""
    e = los_unit_vector(HEADING_DEG[traj], incidence_deg)
    d = downslope_unit_vector(slope_deg, aspect_deg)
    return sum(a * b for a, b in zip(e, d))


def phase_from_los(d_los_m):
    return -(4.0 * math.pi / WAVELENGTH_M) * np.asarray(d_los_m)


def wrap(phase):
    """Wrap to [-pi, pi)."""
    return (np.asarray(phase) + math.pi) % (2.0 * math.pi) - math.pi


def fringes(d_los_m: float) -> float:
    return abs(d_los_m) / FRINGE_M
