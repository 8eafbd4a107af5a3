"""Terrain, land cover and coherence for the synthetic workspace.

An Alpine-like area (N-S glacial trough, tributary valleys, summits to ~3400 m) or an
Apennine-like one (rolling clay hills 200-1200 m, a river valley). Main valleys run N-S so most
slopes face east or west, where Sentinel-1 sees downslope motion best.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..interferograms.geometry import HEADING_DEG, INCIDENCE_DEG, los_unit_vector
from ..labels.classes import ALPS
from .random_fields import power_law_field, slope_aspect, smooth_mask


@dataclass
class Terrain:
    dem: np.ndarray  # metres
    slope: np.ndarray  # degrees, of a smoothed DEM (body-scale slope)
    aspect: np.ndarray  # degrees clockwise from north, downslope
    vegetation: np.ndarray  # 0..1 (forest, dense crops)
    pixel: float

    @property
    def shape(self):
        return self.dem.shape


def _u_valley(distance_km: np.ndarray, half_width_km: float) -> np.ndarray:
    """1 on the valley floor, 0 on the ridges; a flat floor and steep walls (glacial U)."""
    return np.exp(-np.abs(distance_km / half_width_km) ** 3)


def make_terrain(region: str, shape, pixel: float, rng: np.random.Generator) -> Terrain:
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype("float32")
    x_km, y_km = xx * pixel / 1000.0, yy * pixel / 1000.0
    width_km, height_km = w * pixel / 1000.0, h * pixel / 1000.0
    rough = power_law_field(shape, 4.4, rng, pixel=pixel / 1000.0, outer_scale=6.0)
    fine = power_law_field(shape, 3.0, rng, pixel=pixel / 1000.0, outer_scale=1.0)
    if region == ALPS:
        centre = width_km * (0.5 + 0.08 * np.sin(2 * math.pi * y_km / (1.3 * height_km)))
        main = _u_valley(x_km - centre, 3.0)
        trib = np.zeros_like(main)
        for frac, side in ((0.28, -1), (0.72, 1)):
            yc = height_km * frac
            reach = np.clip(side * (x_km - centre) / (0.45 * width_km), 0.0, 1.0)
            trib += _u_valley(y_km - yc, 1.2) * (1.0 - reach) * (side * (x_km - centre) > 0)
        dem = 3000.0 - 1650.0 * main - 500.0 * np.clip(trib, 0, 1) * (1 - main) \
            + 220.0 * rough + 8.0 * fine + 8.0 * (y_km - height_km / 2)
        veg = np.clip((1750.0 - dem) / 250.0, 0.0, 1.0).astype("float32")
    else:
        centre = width_km * (0.55 + 0.1 * np.sin(2 * math.pi * y_km / (0.9 * height_km)))
        valley = np.exp(-((x_km - centre) / 3.0) ** 2)
        dem = 800.0 - 380.0 * valley + 150.0 * rough + 5.0 * fine + 10.0 * (x_km - centre)
        veg = smooth_mask(shape, rng, cover=0.45, correlation_px=60)
    dem = dem.astype("float32")
    slope, aspect = slope_aspect(_box_smooth(dem, 3), pixel)
    return Terrain(dem=dem, slope=slope, aspect=aspect, vegetation=veg, pixel=pixel)


def _box_smooth(a: np.ndarray, radius: int) -> np.ndarray:
    """Separable moving average with edge padding (cheap smoothing without scipy)."""
    out = a.astype("float64")
    k = 2 * radius + 1
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (radius + 1, radius)
        c = np.cumsum(np.pad(out, pad, mode="edge"), axis=axis)
        if axis == 0:
            out = (c[k:, :] - c[:-k, :]) / k
        else:
            out = (c[:, k:] - c[:, :-k]) / k
    return out.astype("float32")


def range_slope_deg(terrain: Terrain, traj: str) -> np.ndarray:
    """Terrain slope in the radar's range plane, positive where the ground rises towards
    the radar. Above the incidence angle it is layover; below -(90 - incidence), shadow."""
    dz_rows, dz_dx = np.gradient(terrain.dem.astype("float64"), terrain.pixel)
    e = los_unit_vector(HEADING_DEG[traj], INCIDENCE_DEG)
    horiz = math.hypot(e[0], e[1])
    rise = dz_dx * (e[0] / horiz) + (-dz_rows) * (e[1] / horiz)
    return np.degrees(np.arctan(rise)).astype("float32")


def geometric_coherence(terrain: Terrain, traj: str) -> np.ndarray:
    """Loss of coherence from the viewing geometry: layover and strong foreshortening on
    slopes facing the radar, shadow and grazing incidence on slopes facing away."""
    beta = range_slope_deg(terrain, traj)
    facing = np.clip(beta / INCIDENCE_DEG, 0.0, 1.0)
    factor = 1.0 - 0.45 * facing ** 4
    away = np.clip((-beta - 30.0) / (90.0 - INCIDENCE_DEG - 30.0), 0.0, 1.0)
    factor = factor * (1.0 - 0.85 * away)
    factor = np.where(beta >= INCIDENCE_DEG - 1.0, 0.12, factor)  # layover
    return factor.astype("float32")


@dataclass(frozen=True)
class CoverDecorrelation:
    """gamma(Bt) = gamma_inf + (gamma_0 - gamma_inf) * exp(-Bt / tau)."""

    gamma_0: float
    gamma_inf: float
    tau_days: float

    def at(self, bt_days: float) -> float:
        return self.gamma_inf + (self.gamma_0 - self.gamma_inf) * math.exp(-bt_days / self.tau_days)


BARE = CoverDecorrelation(0.62, 0.30, 200.0)
VEGETATED = CoverDecorrelation(0.55, 0.08, 12.0)


def coherence_map(terrain: Terrain, traj: str, bt_days: int, rng: np.random.Generator,
                  snow: np.ndarray = None) -> np.ndarray:
    """Coherence 0..1: temporal decorrelation by cover, loss from the viewing geometry, snow
    patches, and a little spatial texture."""
    veg = terrain.vegetation
    gamma = (1 - veg) * BARE.at(bt_days) + veg * VEGETATED.at(bt_days)
    gamma = gamma * geometric_coherence(terrain, traj)
    if snow is not None:
        gamma = gamma * (1.0 - 0.85 * snow)
    texture = power_law_field(terrain.shape, 3.4, rng, pixel=1.0, outer_scale=40.0)
    gamma = gamma * (1.0 + 0.12 * texture)
    return np.clip(gamma, 0.02, 0.97).astype("float32")
