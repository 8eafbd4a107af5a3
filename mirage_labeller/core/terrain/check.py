"""Step 2 made quantitative: does the terrain under a box look like where this kind of
movement lives, and could the radar see it?

As in the paper's Fig. 7, each morphometric variable inside the box(es) is compared with an
equal number of pixels drawn at random outside every label: histograms, medians and the
two-sample Kolmogorov-Smirnov statistic. Warnings an expert would raise: flat terrain (could
it be atmosphere?), a slope the track barely sees, an overlap with an inventory polygon, a box
mostly below the coherence threshold.
"""
from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..base import crs as crsmod
from ..base.messages import Msg
from ..base.outputs import output_file
from ..interferograms.geometry import los_sensitivity

Bounds = Tuple[float, float, float, float]
FLAT_SLOPE_DEG = 5.0
LOW_SENSITIVITY = 0.3
MOSTLY = 0.5
OUTSIDE_SAMPLE_SIDE = 1024  # the outside sample is drawn from a decimated read of the layer
MIN_SAMPLE = 200
_CLASS_FIELDS = ("class", "classe", "type", "tipo", "tipologia", "category", "landform",
                 "activity", "name", "nome")


@dataclass
class Comparison:
    name: str
    inside: np.ndarray
    outside: np.ndarray
    median_inside: float
    median_outside: float
    ks_d: float
    ks_p: float
    circular: bool = False  # aspect: medians are circular means


@dataclass
class TerrainCheck:
    comparisons: List[Comparison]
    warnings: List[str] = field(default_factory=list)
    facts: List[str] = field(default_factory=list)
    los_sensitivity: Optional[float] = None
    inventory_hits: List[str] = field(default_factory=list)
    coherence_below: Optional[float] = None

    def comparison(self, name: str) -> Optional[Comparison]:
        return next((c for c in self.comparisons if c.name == name), None)


# ---------------------------------------------------------------- statistics

def ks_2samp(a: np.ndarray, b: np.ndarray) -> Tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov D and its asymptotic p-value (Stephens' correction)."""
    a, b = np.sort(a), np.sort(b)
    n1, n2 = a.size, b.size
    if n1 == 0 or n2 == 0:
        return float("nan"), float("nan")
    values = np.concatenate([a, b])
    cdf1 = np.searchsorted(a, values, side="right") / n1
    cdf2 = np.searchsorted(b, values, side="right") / n2
    d = float(np.max(np.abs(cdf1 - cdf2)))
    en = math.sqrt(n1 * n2 / (n1 + n2))
    lam = (en + 0.12 + 0.11 / en) * d
    if lam < 1e-3:
        return d, 1.0
    p = 2.0 * sum((-1) ** (k - 1) * math.exp(-2.0 * k * k * lam * lam) for k in range(1, 101))
    return d, float(min(1.0, max(0.0, p)))


def circular_mean_deg(values: np.ndarray) -> float:
    r = np.radians(values)
    mean = float(np.degrees(np.arctan2(np.sin(r).mean(), np.cos(r).mean())) % 360.0)
    return 0.0 if mean > 360.0 - 1e-9 else mean


# ---------------------------------------------------------------- reading

_DECIMATED: "OrderedDict[Tuple[str, int, int], Tuple[np.ndarray, object, object]]" = OrderedDict()
_DECIMATED_KEEP = 16  # layers; about 8 MB each
_DECIMATED_LOCK = threading.Lock()


def _boxes_in(boxes: Sequence[Bounds], boxes_crs, dst_crs) -> List[Bounds]:
    """The boxes' envelopes in ``dst_crs`` (a raster or inventory in its own CRS: a
    geographic DEM or a LiCSAR coherence map must not be read with UTM coordinates). Where
    either CRS is unknown there is nothing to convert with: the coordinates are taken as
    they are (a raster without georeferencing is read in its pixel space)."""
    if not boxes or boxes_crs is None or dst_crs is None:
        return list(boxes)
    return [crsmod.convert_bounds(b, boxes_crs, dst_crs) for b in boxes]


def _decimated(path: str):
    """(values, transform) of a decimated read of the whole layer, NaN for nodata; cached
    while the file is unchanged (the outside sample is drawn from it)."""
    import rasterio

    st = os.stat(path)
    key = (os.path.abspath(path), st.st_mtime_ns, st.st_size)
    with _DECIMATED_LOCK:
        if key in _DECIMATED:
            _DECIMATED.move_to_end(key)
            return _DECIMATED[key]
    with rasterio.open(path) as src:
        step = max(1, math.ceil(max(src.width, src.height) / OUTSIDE_SAMPLE_SIDE))
        shape = (max(1, src.height // step), max(1, src.width // step))
        data = src.read(1, out_shape=shape, masked=True).astype("float64").filled(np.nan)
        transform = src.transform * src.transform.scale(src.width / shape[1],
                                                        src.height / shape[0])
        crs = src.crs
    with _DECIMATED_LOCK:
        _DECIMATED[key] = (data, transform, crs)
        while len(_DECIMATED) > _DECIMATED_KEEP:
            _DECIMATED.popitem(last=False)
    return data, transform, crs


def _inside(path: str, boxes: Sequence[Bounds], boxes_crs=None) -> np.ndarray:
    import rasterio
    from rasterio.errors import WindowError
    from rasterio.windows import Window, from_bounds

    values = []
    with rasterio.open(path) as src:
        whole = Window(0, 0, src.width, src.height)
        for b in _boxes_in(boxes, boxes_crs, src.crs):
            window = from_bounds(*b, transform=src.transform).round_offsets().round_lengths()
            try:  # only the part over the raster: a box elsewhere is not read as nodata
                window = window.intersection(whole)
            except WindowError:
                continue
            if window.width < 1 or window.height < 1:
                continue
            data = src.read(1, window=window, boundless=True, masked=True)
            values.append(data.astype("float64").filled(np.nan).ravel())
    return np.concatenate(values) if values else np.array([])


def _outside(path: str, exclude: Sequence[Bounds], n: int, rng, boxes_crs=None) -> np.ndarray:
    data, transform, crs = _decimated(path)
    exclude = _boxes_in(exclude, boxes_crs, crs)
    rows, cols = np.nonzero(np.isfinite(data))
    xs = transform.c + (cols + 0.5) * transform.a
    ys = transform.f + (rows + 0.5) * transform.e
    keep = np.ones(xs.size, bool)
    for x0, y0, x1, y1 in exclude:
        keep &= ~((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1))
    pool = data[rows[keep], cols[keep]]
    if pool.size <= n:  # a small layer: the whole outside is the sample
        return pool
    return rng.choice(pool, size=n, replace=False)


def _inventory_hits(boxes: Sequence[Bounds], inventories: Dict[str, str],
                    boxes_crs=None) -> List[str]:
    import fiona
    from shapely.geometry import box as make_box
    from shapely.geometry import shape

    hits = []
    for name, path in inventories.items():
        try:
            with fiona.open(str(path)) as src:
                # the boxes in the inventory's CRS (RGI and IFFI ship in their own systems)
                local = _boxes_in(boxes, boxes_crs, src.crs_wkt or None)
                union = [make_box(*b) for b in local]
                x0 = min(b[0] for b in local)
                y0 = min(b[1] for b in local)
                x1 = max(b[2] for b in local)
                y1 = max(b[3] for b in local)
                fields = list(src.schema["properties"])
                label_field = next((f for f in fields if f.lower() in _CLASS_FIELDS), None)
                for feat in src.filter(bbox=(x0, y0, x1, y1)):
                    if feat["geometry"] is None:
                        continue
                    geom = shape(feat["geometry"])
                    overlap = sum(geom.intersection(b).area for b in union)
                    if overlap <= 0:
                        continue
                    what = (f"{label_field}={feat['properties'].get(label_field)}"
                            if label_field else f"feature {feat.id}")
                    share = overlap / sum(b.area for b in union)
                    hits.append(f"{name}: {what} ({share:.0%} of the box)")
        except Exception as exc:  # noqa: BLE001 - an unreadable inventory must not stop the check
            hits.append(f"{name}: could not be read ({exc})")
    return hits


# ---------------------------------------------------------------- the check

def check_terrain(boxes: Sequence[Bounds], layers: Dict[str, str],
                  label_boxes: Sequence[Bounds] = (), traj: Optional[str] = None,
                  coherence_path: Optional[str] = None, coherence_threshold: float = 0.2,
                  inventories: Optional[Dict[str, str]] = None, seed: int = 0,
                  boxes_crs=None) -> TerrainCheck:
    """Compare each layer (name -> raster path) inside ``boxes`` with a random sample outside
    every label (``label_boxes``, plus the boxes themselves). Boxes are in ``boxes_crs`` (the
    labels' CRS) and are converted to each raster's and inventory's own CRS; without it they
    are taken to be in every layer's CRS."""
    if not boxes:
        raise ValueError("no box to check")
    rng = np.random.default_rng(seed)
    exclude = list(boxes) + list(label_boxes)
    result = TerrainCheck(comparisons=[])
    for name, path in layers.items():
        inside = _inside(path, boxes, boxes_crs)
        inside = inside[np.isfinite(inside) & (inside > -9999.0)]
        if inside.size == 0:
            continue
        outside = _outside(path, exclude, max(inside.size, MIN_SAMPLE), rng, boxes_crs)
        outside = outside[np.isfinite(outside) & (outside > -9999.0)]
        circular = name == "aspect"
        d, p = ks_2samp(inside, outside)
        centre = circular_mean_deg if circular else (lambda v: float(np.median(v)))
        result.comparisons.append(Comparison(
            name, inside, outside, centre(inside), centre(outside) if outside.size else
            float("nan"), d, p, circular))
    slope = result.comparison("slope")
    aspect = result.comparison("aspect")
    if slope is not None:
        result.facts.append(Msg("median slope {inside:.1f}° inside, {outside:.1f}° outside "
                                "(KS D={d:.2f})", inside=slope.median_inside,
                                outside=slope.median_outside, d=slope.ks_d))
        if slope.median_inside < FLAT_SLOPE_DEG:
            result.warnings.append(Msg(
                "flat terrain (median slope {slope:.1f}°): could the fringes be atmosphere or "
                "a topographic residual?", slope=slope.median_inside))
    if slope is not None and aspect is not None and traj in ("A", "D"):
        sens = los_sensitivity(slope.median_inside, aspect.median_inside, traj)
        result.los_sensitivity = sens
        track = Msg("ascending") if traj == "A" else Msg("descending")
        result.facts.append(Msg("the {track} track sees {share:.0%} of a downslope motion on "
                                "this slope (aspect {aspect:.0f}°)", track=track,
                                share=abs(sens), aspect=aspect.median_inside))
        if abs(sens) < LOW_SENSITIVITY:
            a = aspect.median_inside
            along = min(abs(a - 0), abs(a - 180), abs(a - 360)) <= 35
            values = dict(track=track, share=abs(sens), aspect=a, slope=slope.median_inside)
            result.warnings.append(Msg(
                "low line-of-sight sensitivity: the {track} track sees only {share:.0%} of "
                "downslope motion on this slope (aspect {aspect:.0f}°, slope {slope:.0f}°), "
                "which faces along the satellite's flight direction", **values) if along else Msg(
                "low line-of-sight sensitivity: the {track} track sees only {share:.0%} of "
                "downslope motion on this slope (aspect {aspect:.0f}°, slope {slope:.0f}°): "
                "the motion runs almost across the line of sight", **values))
    encoding = None
    if coherence_path:
        from ..interferograms.facts import detect_coherence_encoding, read_raster_facts

        encoding = detect_coherence_encoding(read_raster_facts(coherence_path, 256))
        if encoding.problems:
            result.warnings.append(Msg("coherence not used: {problem}",
                                       problem=encoding.problems[0]))
            coherence_path = None
    if coherence_path:
        raw = _inside(coherence_path, boxes, boxes_crs)
        coh = encoding.to_physical(raw)
        coh = coh[np.isfinite(coh)]
        if coh.size:
            below = float((coh < coherence_threshold).mean())
            result.coherence_below = below
            result.facts.append(Msg("{share:.0%} of the box below coherence {threshold:g}",
                                    share=below, threshold=coherence_threshold))
            if below > MOSTLY:
                result.warnings.append(Msg(
                    "mostly decorrelated: {share:.0%} of the box is below coherence "
                    "{threshold:g}", share=below, threshold=coherence_threshold))
    if inventories:
        result.inventory_hits = _inventory_hits(boxes, inventories, boxes_crs)
        for hit in result.inventory_hits:
            result.warnings.append(Msg("overlaps inventory {hit}", hit=hit))
    return result


def render_histograms(check: TerrainCheck, out_png, title: str = "", columns: int = 3,
                      width_in: float = 4.6) -> Path:
    """Small multiples of inside (box) vs outside (random, outside labels) histograms."""
    # a bare Figure on the Agg canvas, never pyplot: this runs in worker threads, and pyplot's
    # global state (and a backend switch that closes every figure) belongs to the user
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    comps = check.comparisons
    rows = max(1, math.ceil(len(comps) / columns))
    fig = Figure(figsize=(width_in, 1.35 * rows + 0.35), constrained_layout=True)
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax in axes.ravel():
        ax.set_visible(False)
    for ax, comp in zip(axes.ravel(), comps):
        ax.set_visible(True)
        both = np.concatenate([comp.inside, comp.outside])
        lo, hi = np.percentile(both, [1, 99]) if both.size else (0, 1)
        if comp.circular:
            lo, hi = 0.0, 360.0
        bins = np.linspace(lo, hi if hi > lo else lo + 1, 16)
        ax.hist(comp.outside, bins=bins, density=True, color="#9e9e9e", alpha=0.7,
                label="outside")
        ax.hist(comp.inside, bins=bins, density=True, histtype="step", color="#d7301f", lw=1.6,
                label="box")
        ax.axvline(comp.median_inside, color="#d7301f", lw=0.8, ls="--")
        ax.set_title(f"{comp.name.replace('_', ' ')}  D={comp.ks_d:.2f}", fontsize=6.5, pad=2)
        ax.tick_params(labelsize=5.5, length=2, pad=1)
        ax.set_yticks([])
    if comps:
        axes.ravel()[0].legend(fontsize=5.5, frameon=False, loc="upper right")
    if title:
        fig.suptitle(title, fontsize=7)
    out_png = Path(out_png)
    with output_file(out_png) as tmp:
        fig.savefig(tmp, dpi=110)
    return out_png
