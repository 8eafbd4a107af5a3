"""A synthetic MIRAGE-style workspace whose truth is known.

Built from the physics of DESIGN.md section 4: downslope motion of each body projected on the
LOS of the track, phase = -(4 pi / lambda) d_LOS, atmosphere per acquisition (turbulent and
topography-correlated), decorrelation noise drawn from the coherence map, artefacts that look
like signals. A signal is labelled in an interferogram exactly when velocity x Bt makes at
least 0.3 fringe there, its fringes are not too dense to read, it lies in the frame and the
coherence in its box is not so low that noise hides it.

Layout (the workspace convention the dock uses too)::

    OUTDIR/interferograms/<frame>_<master>_<slave>.geo.diff_pha.tif
    OUTDIR/coherence/<frame>_<master>_<slave>.geo.cc.tif
    OUTDIR/dem/dem.tif
    OUTDIR/labels/<interferogram file stem>.shp
    OUTDIR/truth.json, OUTDIR/README.md
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..labels.classes import ALPS, APENNINES, CLASSES
from ..base.geotiff import write_geotiff
from ..interferograms.geometry import (DAYS_PER_YEAR, FRINGE_M, HEADING_DEG, INCIDENCE_DEG, WAVELENGTH_M,
                    downslope_unit_vector, los_unit_vector, phase_from_los, wrap)
from ..labels.store import LabelStore
from .random_fields import power_law_field, smooth_mask
from ..labels.schema import MIRAGE_EPSG, Label, format_ifg
from .terrain import Terrain, coherence_map, make_terrain
from ..interferograms.workspace import COHERENCE_DIR, DEM_DIR, IFG_DIR, LABEL_DIR
from ..base.progress import ProgressLike, as_progress

CONFUSABLE = {"RG": "PR", "PR": "RG", "TA": "RG", "DG": "RS", "RS": "DG", "DS": "RS",
              "CF": "CS", "CS": "CF", "FS": "CS"}
VISIBLE_FRINGES = 0.3  # a third of a cycle (~1.9 rad) stands out from the filtered background
MAX_READABLE_GRADIENT = 2.0  # rad per pixel (~3 px per fringe): denser fringes decorrelate
BODY_EDGE = 0.1  # the box encloses the body where motion >= 10 % of its peak
MIN_BOX_COHERENCE = 0.2  # below this mean coherence the noise hides the fringes
SLANT_RANGE_M = 850e3


@dataclass(frozen=True)
class RegionSetup:
    origin: Tuple[float, float]  # upper-left corner, EPSG:32632
    frames: Dict[str, str]  # traj -> LiCSAR-style frame id
    plan: Tuple[Tuple[str, str, int], ...]  # (traj, master yyyymmdd, Bt days)
    counts: Dict[str, int]  # class code -> number of bodies
    artefacts: Tuple[str, ...]  # kinds of AR planted


REGIONS: Dict[str, RegionSetup] = {
    ALPS: RegionSetup(
        origin=(590000.0, 5160000.0),
        frames={"A": "015A_05124_131313", "D": "168D_05207_131313"},
        plan=(("A", "20190805", 12), ("A", "20190805", 24), ("A", "20190817", 365),
              ("D", "20190806", 6), ("D", "20190806", 12), ("D", "20190812", 365)),
        counts={"RG": 14, "PR": 4, "TA": 4, "DG": 3, "RS": 3, "DS": 3},
        artefacts=("atmospheric blob", "atmospheric blob", "topographic residual")),
    APENNINES: RegionSetup(
        origin=(660000.0, 4910000.0),
        frames={"A": "117A_05047_131313", "D": "095D_05078_131313"},
        plan=(("A", "20200110", 6), ("A", "20200110", 12), ("A", "20200116", 24),
              ("D", "20200111", 6), ("D", "20200111", 12), ("D", "20200117", 18)),
        counts={"CF": 12, "CS": 8, "FS": 4},
        artefacts=("atmospheric blob", "atmospheric blob", "topographic residual")),
}


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
class SynthConfig:
    out_dir: str
    seed: int = 1
    region: str = ALPS
    size: int = 1000
    pixel: float = 15.0
    n_interferograms: int = 6
    noise: bool = True  # decorrelation noise drawn from coherence
    atmosphere: bool = True
    artefacts: bool = True
    looks: int = 4
    filter_px: int = 3  # complex boxcar, as products are filtered before they are labelled
    # labellers do not draw the same box twice: each edge moves by up to this share of the
    # box's side (whole pixels); 0.1 keeps any two boxes of a body overlapping by >= 0.64
    box_jitter: float = 0.0
    # bodies given one label of a confusable class (RG/PR, DG/RS, CF/CS ...), as two experts
    # might; listed in truth["conflicts"]
    class_conflicts: int = 0


@dataclass
class IfgPlan:
    traj: str
    master: dt.date
    slave: dt.date
    frame: str
    perp_baseline_m: float

    @property
    def bt(self) -> int:
        return (self.slave - self.master).days

    @property
    def ifg(self) -> str:
        return format_ifg(self.master, self.slave)

    @property
    def stem(self) -> str:
        return f"{self.frame}_{self.ifg}.geo.diff_pha"

    @property
    def coherence_name(self) -> str:
        return f"{self.frame}_{self.ifg}.geo.cc.tif"


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


def interferogram_plan(region: str, n: int, rng: np.random.Generator) -> List[IfgPlan]:
    setup = REGIONS[region]
    plans = []
    for i in range(n):
        traj, master, bt = setup.plan[i % len(setup.plan)]
        shift = 36 * (i // len(setup.plan))
        m = dt.datetime.strptime(master, "%Y%m%d").date() + dt.timedelta(days=shift)
        plans.append(IfgPlan(traj, m, m + dt.timedelta(days=bt), setup.frames[traj],
                             float(rng.uniform(-150.0, 150.0))))
    return plans


def _frame_nodata(shape, traj: str) -> np.ndarray:
    """The oblique edge of the radar frame (nodata), on the west for A, the east for D."""
    h, w = shape
    rows, cols = np.mgrid[0:h, 0:w]
    edge = 0.015 * w + 0.05 * rows
    return cols < edge if traj == "A" else cols > (w - 1 - 0.015 * w - 0.05 * (h - 1 - rows))


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


def build_workspace(config: SynthConfig, progress: ProgressLike = None) -> dict:
    """Write the workspace described in the module docstring; return the truth dictionary.
    ``progress`` (core.base.progress) is asked between interferograms whether to stop:
    ``Cancelled`` then, with what was written left to the caller (the command line and
    Processing write into a temporary folder that is removed)."""
    if config.region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}, got {config.region!r}")
    if config.size < 300 or config.n_interferograms < 1 or config.seed < 0:
        raise ValueError("the synthetic workspace needs size >= 300 pixels, at least one "
                         "interferogram and a seed >= 0")
    report = as_progress(progress)
    rng = np.random.default_rng(config.seed)
    out = Path(config.out_dir)
    for sub in (IFG_DIR, COHERENCE_DIR, DEM_DIR, LABEL_DIR):
        (out / sub).mkdir(parents=True, exist_ok=True)
    setup = REGIONS[config.region]
    shape = (config.size, config.size)
    px = config.pixel
    from rasterio.transform import from_origin

    transform = from_origin(setup.origin[0], setup.origin[1], px, px)
    report(0.02, "terrain")
    terrain = make_terrain(config.region, shape, px, rng)
    write_geotiff(out / DEM_DIR / "dem.tif", terrain.dem, transform, f"EPSG:{MIRAGE_EPSG}",
                  description="elevation (m)")
    plans = interferogram_plan(config.region, config.n_interferograms, rng)

    occupied = np.zeros(shape, bool)
    bodies: List[Body] = []
    not_placed = 0

    def place(make) -> None:
        nonlocal not_placed
        body = make(len(bodies) + 1)
        if body is None:
            not_placed += 1
            return
        bodies.append(body)
        _mark(occupied, body)

    for cls, count in setup.counts.items():
        suitable = _suitable(cls, terrain)
        for _ in range(count):
            place(lambda pid: _place_movement(cls, terrain, suitable, occupied, rng, pid))
    if config.artefacts:
        for kind in setup.artefacts:
            place(lambda pid: _place_artefact(kind, terrain, occupied, plans, rng, pid))

    acquisitions = sorted({(p.traj, d) for p in plans for d in (p.master, p.slave)})
    report.check()
    report(0.1, "atmosphere")
    delays = {}
    snow = {}
    relief = terrain.dem - float(np.median(terrain.dem))
    for traj, date in acquisitions:
        key = f"{traj}:{date:%Y%m%d}"
        if config.atmosphere:
            beta = rng.uniform(8 / 3, 11 / 3)
            turbulent = power_law_field(shape, beta, rng, pixel=px / 1000, outer_scale=20.0)
            delay = turbulent * rng.uniform(0.002, 0.006) + rng.uniform(-8e-6, 8e-6) * relief
            delays[key] = delay.astype("float32")
        if config.region == ALPS and rng.random() < 0.35:
            patch = smooth_mask(shape, rng, cover=0.25, correlation_px=40)
            snow[key] = patch * (terrain.dem > np.quantile(terrain.dem, 0.75))

    store = LabelStore(out / LABEL_DIR)
    ifg_records = []
    # the labellers' own randomness, apart: the rasters do not change with these options
    label_rng = np.random.default_rng([config.seed, 1])
    for k, plan in enumerate(plans):
        report.check()
        report(0.12 + 0.85 * k / len(plans), f"interferogram {plan.ifg} {plan.traj}")
        ifg_records.append(_make_interferogram(config, plan, terrain, bodies, delays, snow,
                                               transform, setup, store, rng, out, label_rng))
    conflicts = _plant_conflicts(config.class_conflicts, bodies, plans, store, label_rng)
    truth = {
        "generator": "mirage_labeller.core.synthetic", "version": 1, "seed": config.seed,
        "region": config.region, "crs": f"EPSG:{MIRAGE_EPSG}", "pixel_size_m": px,
        "origin": list(setup.origin), "size_px": list(shape),
        "wavelength_m": WAVELENGTH_M, "fringe_m": FRINGE_M, "incidence_deg": INCIDENCE_DEG,
        "heading_deg": HEADING_DEG, "visible_fringes": VISIBLE_FRINGES,
        "config": {k: v for k, v in asdict(config).items() if k != "out_dir"},
        "interferograms": ifg_records, "not_placed": not_placed,
        "bodies": [_body_record(b, setup.origin, px) for b in bodies],
        "conflicts": conflicts,
    }
    with open(out / "truth.json", "w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=1)
    _write_readme(out, truth)
    report(1.0, "done")
    return truth


def _plant_conflicts(n: int, bodies: Sequence[Body], plans: Sequence[IfgPlan],
                     store: LabelStore, rng) -> List[dict]:
    """Relabel one label of ``n`` movements seen at least twice with a confusable class."""
    seen = [b for b in bodies if b.kind == "movement" and b.cls in CONFUSABLE
            and sum(r.get("visible", False) for r in b.per_ifg.values()) >= 2]
    chosen = sorted(rng.choice(len(seen), size=min(n, len(seen)), replace=False).tolist())
    out = []
    for k in chosen:
        body = seen[k]
        stem = [p.stem for p in plans if body.per_ifg.get(p.stem, {}).get("visible")][-1]
        label_id = body.per_ifg[stem]["label_id"]
        labels = [lab if lab.id != label_id else
                  Label(*lab.bounds, cls=CONFUSABLE[body.cls], sign_qual=lab.sign_qual,
                        class_unc=lab.class_unc, ifg=lab.ifg, bt=lab.bt, traj=lab.traj,
                        id=lab.id)
                  for lab in store.read(stem).labels]
        store.write(stem, labels)
        body.per_ifg[stem]["label_class"] = CONFUSABLE[body.cls]
        out.append({"process_id": body.process_id, "stem": stem, "label_id": label_id,
                    "true_class": body.cls, "label_class": CONFUSABLE[body.cls]})
    return out


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
            visible, reason = False, f"mean coherence {box_coherence:.2f} in the box: hidden by noise"
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


def _body_record(body: Body, origin, px: float) -> dict:
    x = origin[0] + (body.col + 0.5) * px
    y = origin[1] - (body.row + 0.5) * px
    rec = {"process_id": body.process_id, "class": body.cls, "kind": body.kind,
           "peak_xy": [x, y], "peak_rowcol": [body.row, body.col],
           "window_rowcol": list(body.window),  # row0, row1, col0, col1: no motion outside
           "box": list(_box_of(body, origin, px)), "class_unc": body.class_unc,
           "length_m": body.length_m, "width_m": body.width_m, "per_ifg": body.per_ifg}
    if body.kind == "movement":
        rec.update(slope_deg=body.slope_deg, aspect_deg=body.aspect_deg,
                   velocity_m_yr=body.velocity_m_yr,
                   shape=CLASSES[body.cls].shape, texture=CLASSES[body.cls].texture)
    elif body.kind == "atmospheric blob":
        rec.update(acquisition=body.acquisition, delay_m=body.amplitude)
    else:
        rec.update(dem_error_m=body.amplitude)
    return rec


def _write_readme(out: Path, truth: dict) -> None:
    lines = [f"# Synthetic MIRAGE workspace (seed {truth['seed']}, {truth['region']})", "",
             "Made by `python -m mirage_labeller synth`. Everything here is synthetic; the "
             "truth is in `truth.json`.", "",
             "| interferogram | IFG | Bt | Traj | mean coherence | coh < 0.2 | labels |",
             "|---|---|---|---|---|---|---|"]
    for r in truth["interferograms"]:
        lines.append(f"| {r['stem']} | {r['ifg']} | {r['bt']} | {r['traj']} | "
                     f"{r['mean_coherence']:.2f} | {r['frac_coh_lt_0_2']:.0%} | {r['n_labels']} |")
    lines += ["", "| process | class | kind | seen in (visible) |", "|---|---|---|---|"]
    for b in truth["bodies"]:
        seen = sum(1 for v in b["per_ifg"].values() if v.get("visible"))
        lines.append(f"| {b['process_id']} | {b['class']} | {b['kind']} | {seen} |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
