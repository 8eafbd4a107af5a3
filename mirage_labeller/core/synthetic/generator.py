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

This module builds the workspace (``build_workspace``) from ``SynthConfig``: the region's plan
(``synthetic.plan``), the bodies (``synthetic.bodies``), each interferogram
(``synthetic.interferogram``), then the confusable labels two experts might give, truth.json
and the README; it re-exports the names other modules import from here.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import List, Sequence

import numpy as np

from ..base.geotiff import write_geotiff
from ..base.progress import ProgressLike, as_progress
from ..interferograms.geometry import FRINGE_M, HEADING_DEG, INCIDENCE_DEG, WAVELENGTH_M
from ..interferograms.workspace import COHERENCE_DIR, DEM_DIR, IFG_DIR, LABEL_DIR
from ..labels.classes import ALPS, CLASSES
from ..labels.schema import MIRAGE_EPSG, Label
from ..labels.store import LabelStore
from .bodies import (
    BODY_EDGE,
    CLASS_UNC_2_PROBABILITY,
    FRAME_MARGIN_PX,
    RECIPES,
    Body,
    Recipe,
    _box_of,
    _mark,
    _place_artefact,
    _place_movement,
    _profile,
    _suitable,
)
from .interferogram import (
    MAX_READABLE_GRADIENT,
    MIN_BOX_COHERENCE,
    SLANT_RANGE_M,
    VISIBLE_FRINGES,
    _make_interferogram,
)
from .plan import REGIONS, IfgPlan, RegionSetup, interferogram_plan
from .random_fields import power_law_field, smooth_mask
from .terrain import make_terrain

__all__ = [
    "BODY_EDGE", "CLASS_UNC_2_PROBABILITY", "CONFUSABLE", "FRAME_MARGIN_PX",
    "MAX_READABLE_GRADIENT", "MIN_BOX_COHERENCE", "RECIPES", "REGIONS", "SLANT_RANGE_M",
    "VISIBLE_FRINGES", "Body", "IfgPlan", "Recipe", "RegionSetup", "SynthConfig",
    "build_workspace", "interferogram_plan", "_profile",
]

CONFUSABLE = {"RG": "PR", "PR": "RG", "TA": "RG", "DG": "RS", "RS": "DG", "DS": "RS",
              "CF": "CS", "CS": "CF", "FS": "CS"}


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
            place(partial(_place_movement, cls, terrain, suitable, occupied, rng))
    if config.artefacts:
        for kind in setup.artefacts:
            place(partial(_place_artefact, kind, terrain, occupied, plans, rng))

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
