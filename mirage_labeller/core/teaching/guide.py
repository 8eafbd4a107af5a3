"""The class guide: what each of the ten MIRAGE classes looks like, with examples from the
labels at hand (Table 2 and the Data Overview of the paper give the figures and patterns)."""
from __future__ import annotations

import math
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from ..base.messages import Msg
from ..base.progress import Cancelled
from ..dataset.gallery import Chip, draw_box, make_chip, phase_to_rgba
from ..interferograms.geometry import DAYS_PER_YEAR, los_sensitivity, phase_from_los, wrap
from ..labels.classes import CLASSES, MassMovementClass
from ..labels.store import LabelFileError
from ..synthetic.random_fields import power_law_field


def describe(cls: MassMovementClass) -> str:
    if cls.shape == "-":
        return Msg("Artefact: fringes from the atmosphere, DEM errors or geometric distortions, "
                   "without a landform under them; both regions.")
    baseline = (Msg("{days} d", days=cls.main_baseline_days) if cls.main_baseline_days
                else Msg("any"))
    return Msg("{name} ({region}): {shape}, {texture} phase signal; typical box {area:g} km², "
               "seen best at Bt {baseline}", name=cls.name, region=cls.region, shape=cls.shape,
               texture=cls.texture, area=cls.mean_area_km2, baseline=baseline)


SYNTHETIC_ASPECT_DEG = 90.0  # an east-facing slope: the ascending track sees it well
SYNTHETIC_TRAJ = "A"
SYNTHETIC_COHERENCE = 0.7


def synthetic_signal(code: str, seed: int = 0, max_px: int = 120
                     ) -> Tuple[np.ndarray, Tuple[int, int, int, int], int]:
    """(phase in radians, unwrapped and noise-free; box (row0, row1, col0, col1) in pixels;
    Bt) of one body of ``code``
    made with the synthetic generator's recipe for the class: its Table 2 size, elongation
    (across the slope for protalus ramparts), motion profile, texture and velocity, seen at
    the class's main baseline from an ascending track on a plain east-facing slope.
    Artefacts are an atmospheric blob, with no slope under it."""
    from ..synthetic.generator import BODY_EDGE, RECIPES, _profile

    rng = np.random.default_rng(seed)
    info = CLASSES[code]
    bt = info.main_baseline_days or 12
    if code in RECIPES:
        recipe = RECIPES[code]
        short = math.sqrt(info.mean_area_km2 * 1e6 / (4.0 * recipe.elongation))
        long_ = short * recipe.elongation
    else:
        recipe, short = None, math.sqrt(info.mean_area_km2 * 1e6) / 2.0
        long_ = short
    size_m = 2.0 * long_ / 0.6  # the box fills ~60 % of the chip
    n = int(max(24, min(max_px, size_m / 15.0)))
    px = size_m / n
    centre = (n - 1) / 2.0
    rows, cols = np.mgrid[0:n, 0:n].astype(np.float64)
    east, north = (cols - centre) * px, -(rows - centre) * px
    a = math.radians(SYNTHETIC_ASPECT_DEG)
    s_ = east * math.sin(a) + north * math.cos(a)  # downslope
    t_ = east * math.cos(a) - north * math.sin(a)  # across the slope
    if recipe is None:  # a tropospheric blob: 2 cm of delay, fringes without a landform
        m = np.exp(-(s_ ** 2 + t_ ** 2) / (2.0 * (short / 2.0) ** 2))
        phase = phase_from_los(-0.02 * m)
    else:
        along, across = (short, long_) if recipe.across_slope else (long_, short)
        m = _profile(s_ / along, t_ / across, recipe.profile)
        if info.texture == "heterogeneous":
            texture = power_law_field(m.shape, 3.0, rng, outer_scale=max(4.0, short / px))
            m = m * np.clip(1.0 + 0.45 * texture, 0.2, None)
        m = m / m.max()
        slope = sum(recipe.slope_deg) / 2.0
        velocity = math.sqrt(recipe.velocity_m_yr[0] * recipe.velocity_m_yr[1])
        los = los_sensitivity(slope, SYNTHETIC_ASPECT_DEG, SYNTHETIC_TRAJ) * velocity
        per_day = phase_from_los(los / DAYS_PER_YEAR * m)
        gy, gx = np.gradient(per_day)
        steepest = float(np.hypot(gx, gy).max())
        # at the chip's pixel the main baseline may pack the fringes too densely to read
        # (a block's sharp rim): then the longest shorter baseline, in 6-day revisits, that
        # keeps them readable
        if steepest * bt > 1.8:
            bt = max(6, int(1.8 / steepest / 6) * 6)
        phase = per_day * bt
    inside = np.nonzero(m >= BODY_EDGE)
    box = (int(inside[0].min()), int(inside[0].max()) + 1, int(inside[1].min()),
           int(inside[1].max()) + 1)
    return phase, box, bt


def synthetic_example(code: str, seed: int = 0, max_px: int = 120) -> Chip:
    """What ``code`` looks like when the workspace has no label of it: a chip of
    ``synthetic_signal`` wrapped, with the phase noise of coherence 0.7 (4 looks) and its
    box drawn, marked synthetic."""
    phase, (r0, r1, c0, c1), bt = synthetic_signal(code, seed, max_px)
    sigma = math.sqrt((1 - SYNTHETIC_COHERENCE ** 2) / (2 * 4 * SYNTHETIC_COHERENCE ** 2))
    phase = wrap(phase + np.random.default_rng(seed).normal(0.0, sigma, phase.shape))
    n = phase.shape[0]
    extent = (0.0, 0.0, float(n), float(n))
    box = (float(c0), float(n - r1), float(c1), float(n - r0))
    rgba = draw_box(phase_to_rgba(phase), extent, box)
    return Chip(stem="", file="", ifg="", bt=bt, traj=SYNTHETIC_TRAJ, first_date=None,
                extent=extent, box=box, rgba=rgba, box_coherence=SYNTHETIC_COHERENCE,
                synthetic=True)


def class_examples(items: Sequence, store, per_class: int = 3, max_px: int = 120,
                   is_cancelled: Callable[[], bool] = lambda: False,
                   synthetic: bool = False) -> Dict[str, List[Chip]]:
    """Up to ``per_class`` chips per class from the labels of the workspace items (each
    example from a different interferogram where possible, best signal quality first);
    with ``synthetic``, a class without labels gets one synthetic example instead."""
    candidates: Dict[str, list] = {code: [] for code in CLASSES}
    for item in items:
        try:
            label_set = store.read(item.label_stem)
        except LabelFileError:
            continue
        crs = label_set.epsg or label_set.crs_wkt  # boxes are read through their own CRS
        for lab in label_set.labels:
            if lab.cls in candidates:
                candidates[lab.cls].append((lab.sign_qual, item, lab, crs))
    out: Dict[str, List[Chip]] = {}
    for code, found in candidates.items():
        chosen, stems = [], set()
        for _, item, lab, crs in sorted(found, key=lambda t: (t[0], t[1].label_stem, t[2].id)):
            if len(chosen) == per_class:
                break
            if item.label_stem in stems and len(found) > per_class:
                continue
            if is_cancelled():
                raise Cancelled()
            chip = make_chip(item, lab.bounds, crs, None, max_px)
            if chip.rgba is not None:
                chosen.append(chip)
                stems.add(item.label_stem)
        if not chosen and synthetic:
            chosen = [synthetic_example(code, max_px=max_px)]
        out[code] = chosen
    return out
