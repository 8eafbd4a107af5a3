"""One interferogram of a synthetic workspace (``_make_interferogram``): the phase of every
body and artefact, atmosphere and decorrelation noise, whether each signal is visible (and so
labelled), the rasters and the label file written.

A signal is labelled exactly when velocity x Bt makes at least ``VISIBLE_FRINGES`` fringe,
its fringes are not denser than ``MAX_READABLE_GRADIENT``, it lies in the frame and the mean
coherence in its box is at least ``MIN_BOX_COHERENCE``.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ..base.geotiff import write_geotiff
from ..interferograms.geometry import (
    DAYS_PER_YEAR,
    HEADING_DEG,
    INCIDENCE_DEG,
    WAVELENGTH_M,
    downslope_unit_vector,
    los_unit_vector,
    phase_from_los,
    wrap,
)
from ..interferograms.workspace import COHERENCE_DIR, IFG_DIR, LABEL_DIR
from ..labels.schema import MIRAGE_EPSG, Label
from .bodies import BODY_EDGE, Body, _box_of
from .plan import IfgPlan
from .terrain import Terrain, coherence_map

VISIBLE_FRINGES = 0.3  # a third of a cycle (~1.9 rad) stands out from the filtered background
MAX_READABLE_GRADIENT = 2.0  # rad per pixel (~3 px per fringe): denser fringes decorrelate
MIN_BOX_COHERENCE = 0.2  # below this mean coherence the noise hides the fringes
SLANT_RANGE_M = 850e3


def _frame_nodata(shape, traj: str) -> np.ndarray:
    """The oblique edge of the radar frame (nodata), on the west for A, the east for D."""
    h, w = shape
    rows, cols = np.mgrid[0:h, 0:w]
    edge = 0.015 * w + 0.05 * rows
    return cols < edge if traj == "A" else cols > (w - 1 - 0.015 * w - 0.05 * (h - 1 - rows))


def _artefact_phase(body: Body, plan: IfgPlan) -> Optional[np.ndarray]:
    """Phase of an artefact in ``plan`` (None when it is not in this interferogram)."""
    if body.kind == "atmospheric blob":
        traj, date = body.acquisition.split(":")
        if traj != plan.traj or date not in (f"{plan.master:%Y%m%d}", f"{plan.slave:%Y%m%d}"):
            return None
        sign = 1.0 if date == f"{plan.slave:%Y%m%d}" else -1.0  # delay(slave) - delay(master)
        return phase_from_los(-sign * body.amplitude * body.shape_field)
    factor = 4 * math.pi / WAVELENGTH_M * plan.perp_baseline_m / (
        SLANT_RANGE_M * math.sin(math.radians(INCIDENCE_DEG)))
    return (factor * body.amplitude * body.shape_field).astype("float32")


def _jittered(box, jitter: float, px: float, rng) -> Tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    dx = np.floor(jitter * (x1 - x0) / px)
    dy = np.floor(jitter * (y1 - y0) / px)
    sx = rng.integers(-dx, dx + 1, 2) * px if dx else (0.0, 0.0)
    sy = rng.integers(-dy, dy + 1, 2) * px if dy else (0.0, 0.0)
    return (x0 + sx[0], y0 + sy[0], x1 + sx[1], y1 + sy[1])


def _make_interferogram(config, plan: IfgPlan, terrain: Terrain, bodies: Sequence[Body],
                        delays, snow, transform, setup, store, rng, out: Path,
                        label_rng=None) -> dict:
    shape = terrain.shape
    px = terrain.pixel
    keys = (f"{plan.traj}:{plan.master:%Y%m%d}", f"{plan.traj}:{plan.slave:%Y%m%d}")
    snow_here = None
    for key in keys:
        if key in snow:
            snow_here = snow[key] if snow_here is None else np.maximum(snow_here, snow[key])
    coh = coherence_map(terrain, plan.traj, plan.bt, rng, snow_here)
    nodata = _frame_nodata(shape, plan.traj)
    phase = np.zeros(shape, "float32")
    if config.atmosphere:
        # a delay lengthens the path like motion away from the radar: d_LOS = -delay
        phase += phase_from_los(-(delays[keys[1]] - delays[keys[0]])).astype("float32")
    e = los_unit_vector(HEADING_DEG[plan.traj], INCIDENCE_DEG)
    labels: List[Label] = []
    for body in bodies:
        r0, r1, c0, c1 = body.window
        window = (slice(r0, r1), slice(c0, c1))
        record = {}
        if body.kind == "movement":
            d = downslope_unit_vector(body.slope_deg, body.aspect_deg)
            los_rate = sum(a * b for a, b in zip(e, d)) * body.velocity_m_yr
            peak_los = los_rate * plan.bt / DAYS_PER_YEAR
            body_phase = phase_from_los(peak_los * body.shape_field).astype("float32")
            record.update(los_rate_m_yr=los_rate, peak_los_m=peak_los)
        else:
            body_phase = _artefact_phase(body, plan)
            if body_phase is None:
                record.update(fringes=0.0, visible=False, reason="not in this interferogram")
                body.per_ifg[plan.stem] = record
                continue
        gy, gx = np.gradient(body_phase)
        gradient = float(np.max(np.hypot(gx, gy)))
        n_fringes = float(np.max(np.abs(body_phase)) / (2 * math.pi))
        in_frame = not nodata[window][body.shape_field >= BODY_EDGE].any()
        box_coherence = float(coh[window][body.shape_field >= BODY_EDGE].mean())
        if not in_frame:
            visible, reason = False, "crosses the frame edge (nodata)"
        elif n_fringes < VISIBLE_FRINGES:
            visible, reason = False, f"{n_fringes:.2f} fringes: too slow for Bt={plan.bt} d"
        elif gradient > MAX_READABLE_GRADIENT:
            visible, reason = False, (f"{gradient:.2f} rad/px: fringes too dense for "
                                      f"Bt={plan.bt} d, decorrelated")
            coh[window] = np.where(body.shape_field > 0.3, coh[window] * 0.25, coh[window])
        elif config.noise and box_coherence < MIN_BOX_COHERENCE:
            visible = False
            reason = f"mean coherence {box_coherence:.2f} in the box: hidden by noise"
        else:
            visible, reason = True, "visible"
        phase[window] += body_phase
        record.update(fringes=n_fringes, max_gradient_rad_px=gradient, visible=visible,
                      reason=reason)
        if visible:
            box = _box_of(body, setup.origin, px)
            if config.box_jitter and label_rng is not None:
                box = _jittered(box, config.box_jitter, px, label_rng)
            mean_coh = box_coherence
            quality = 1 if (n_fringes >= 0.75 and mean_coh >= 0.35) else 2
            labels.append(Label(*box, cls=body.cls, sign_qual=quality,
                                class_unc=body.class_unc, ifg=plan.ifg, bt=plan.bt,
                                traj=plan.traj))
            record.update(sign_qual=quality, box_mean_coherence=mean_coh)
        body.per_ifg[plan.stem] = record
    if config.noise:
        n = (rng.standard_normal(shape, dtype="float32")
             + 1j * rng.standard_normal(shape, dtype="float32")) * np.float32(math.sqrt(0.5))
        z = coh * np.exp(1j * phase) + np.sqrt((1 - coh * coh) / config.looks) * n
        wrapped = np.angle(_complex_boxcar(z, config.filter_px)).astype("float32")
    else:
        wrapped = wrap(phase).astype("float32")
    wrapped[nodata] = np.nan
    coh_out = coh.copy()
    coh_out[nodata] = np.nan
    tags = {"FIRST_DATE": f"{plan.master:%Y-%m-%d}", "SECOND_DATE": f"{plan.slave:%Y-%m-%d}",
            "DATA_UNITS": "RADIANS", "WAVELENGTH_METRES": str(WAVELENGTH_M),
            "INCIDENCE_DEGREES": str(INCIDENCE_DEG),
            "HEADING_DEGREES": str(HEADING_DEG[plan.traj]), "MIRAGE_SYNTHETIC": "1"}
    write_geotiff(out / IFG_DIR / f"{plan.stem}.tif", wrapped, transform, f"EPSG:{MIRAGE_EPSG}",
                  nodata=float("nan"), tags=tags, description="wrapped phase (rad)")
    write_geotiff(out / COHERENCE_DIR / plan.coherence_name, coh_out, transform,
                  f"EPSG:{MIRAGE_EPSG}", nodata=float("nan"),
                  tags={"FIRST_DATE": tags["FIRST_DATE"], "SECOND_DATE": tags["SECOND_DATE"]},
                  description="coherence (0-1)")
    saved = store.write(plan.stem, labels).labels
    visible_bodies = [b for b in bodies if b.per_ifg.get(plan.stem, {}).get("visible")]
    for body, lab in zip(visible_bodies, saved):
        body.per_ifg[plan.stem]["label_id"] = lab.id
    valid = coh_out[~nodata]
    return {"stem": plan.stem, "file": f"{IFG_DIR}/{plan.stem}.tif",
            "coherence": f"{COHERENCE_DIR}/{plan.coherence_name}",
            "labels": f"{LABEL_DIR}/{plan.stem}.shp", "ifg": plan.ifg, "bt": plan.bt,
            "traj": plan.traj, "frame": plan.frame, "perp_baseline_m": plan.perp_baseline_m,
            "mean_coherence": float(valid.mean()),
            "frac_coh_lt_0_2": float((valid < 0.2).mean()),
            "n_labels": len(saved)}


def _complex_boxcar(z: np.ndarray, size: int) -> np.ndarray:
    """Mean of the complex interferogram over size x size pixels (edges padded)."""
    if size <= 1:
        return z
    r = size // 2
    padded = np.pad(z, r, mode="edge")
    out = np.zeros_like(z)
    h, w = z.shape
    for dy in range(size):
        for dx in range(size):
            out += padded[dy:dy + h, dx:dx + w]
    return out
