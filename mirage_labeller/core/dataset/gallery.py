"""Step 3: the same ground in every other interferogram, as small chips an expert can scan.

For a box, every interferogram of the workspace whose raster covers it gives a chip: the
wrapped phase around the box (with some context, on the cyclic ramp, as RGBA bytes any GUI
can show), the mean coherence inside the box, and the labels already there. Chips are sorted
by temporal baseline, then by date, because a true movement recurs first of all at the same
baseline (paper, step 3). Pure numpy and rasterio: the dock renders them in a worker thread.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np

from ..base import crs as crsmod
from ..base.palettes import CYCLIC_CMY, ramp_stops
from ..base.progress import Cancelled
from ..interferograms.facts import (
    detect_coherence_encoding,
    detect_phase_encoding,
    label_crs_for,
    read_raster_facts_cached,
)
from ..labels.schema import Label
from ..labels.store import LabelFileError, LabelStore
from .processes import MAX_AREA_RATIO, MIN_OVERLAP

Bounds = Tuple[float, float, float, float]
CONTEXT = 0.5  # context around the box, as a share of its longer side on each side
MIN_CONTEXT_M = 300.0
CHIP_PX = 160


@dataclass
class Chip:
    stem: str
    file: str
    ifg: str
    bt: Optional[int]
    traj: str
    first_date: Optional[dt.date]
    extent: Bounds  # of the picture, in the box's CRS
    box: Bounds  # in the box's CRS
    rgba: Optional[np.ndarray]  # (h, w, 4) uint8, None when the window could not be read
    box_coherence: Optional[float]
    labels_here: List[Label] = field(default_factory=list)  # same movement by the grouping rule
    problem: str = ""
    synthetic: bool = False  # a class guide example made by the generator, not read

    @property
    def labelled(self) -> bool:
        return bool(self.labels_here)

    def caption(self) -> str:
        """Three short lines for a chip ~110 px wide: 2019-08-06 +6 d / D · coh 0.54 / RG 2."""
        start = f"{self.first_date:%Y-%m-%d}" if self.first_date else (self.ifg or self.stem)
        bt = f" +{self.bt} d" if self.bt is not None else ""
        coh = f"coh {self.box_coherence:.2f}" if self.box_coherence is not None else "coh ?"
        lines = [f"{start}{bt}", f"{self.traj or '?'} · {coh}"]
        if self.labels_here:
            lines.append(", ".join(f"{lab.cls} {lab.id}" for lab in self.labels_here))
        return "\n".join(lines)


def _lut() -> np.ndarray:
    stops = ramp_stops(CYCLIC_CMY, 256)
    return np.array([rgb for _, rgb in stops], np.uint8)


_PHASE_LUT = _lut()


def phase_to_rgba(phase: np.ndarray) -> np.ndarray:
    """Wrapped phase (radians) on the cyclic ramp; NaN transparent."""
    finite = np.isfinite(phase)
    wrapped = np.angle(np.exp(1j * np.where(finite, phase, 0.0)))
    index = np.clip(((wrapped + math.pi) / (2 * math.pi) * 255).round(), 0, 255).astype(np.uint8)
    rgba = np.zeros(phase.shape + (4,), np.uint8)
    rgba[..., :3] = _PHASE_LUT[index]
    rgba[..., 3] = np.where(finite, 255, 0)
    return rgba


def draw_box(rgba: np.ndarray, extent: Bounds, box: Bounds) -> np.ndarray:
    """Outline ``box`` (black on white, one pixel each) on a chip covering ``extent``."""
    h, w = rgba.shape[:2]
    sx = w / (extent[2] - extent[0])
    sy = h / (extent[3] - extent[1])
    c0 = int(np.clip(round((box[0] - extent[0]) * sx), 0, w - 1))
    c1 = int(np.clip(round((box[2] - extent[0]) * sx) - 1, 0, w - 1))
    r0 = int(np.clip(round((extent[3] - box[3]) * sy), 0, h - 1))
    r1 = int(np.clip(round((extent[3] - box[1]) * sy) - 1, 0, h - 1))
    for colour, grow in (((255, 255, 255, 255), 1), ((0, 0, 0, 255), 0)):
        a0, a1 = max(r0 - grow, 0), min(r1 + grow, h - 1)
        b0, b1 = max(c0 - grow, 0), min(c1 + grow, w - 1)
        rgba[a0, b0:b1 + 1] = colour
        rgba[a1, b0:b1 + 1] = colour
        rgba[a0:a1 + 1, b0] = colour
        rgba[a0:a1 + 1, b1] = colour
    return rgba


def _same_movement(a: Bounds, b: Bounds) -> bool:
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return False
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    small, large = min(area_a, area_b), max(area_a, area_b)
    return small > 0 and ix * iy >= MIN_OVERLAP * small and large <= MAX_AREA_RATIO * small


def _to(bounds: Bounds, src, dst) -> Bounds:
    """``bounds`` from ``src`` into ``dst`` (core.base.crs); where either is unknown (a raster
    without georeferencing) the coordinates are taken as they are."""
    if src is None or dst is None:
        return tuple(bounds)
    return crsmod.convert_bounds(bounds, src, dst)


def covers(item, box: Bounds, box_crs) -> bool:
    """Whether the interferogram's raster holds the whole box (its footprint, not its data)."""
    facts = read_raster_facts_cached(str(item.path), 256)
    if facts.bounds is None:
        return False
    b = _to(box, box_crs, facts.crs_wkt or None)
    x0, y0, x1, y1 = facts.bounds
    return b[0] >= x0 and b[1] >= y0 and b[2] <= x1 and b[3] <= y1


def chip_extent(box: Bounds) -> Bounds:
    side = max(box[2] - box[0], box[3] - box[1])
    pad = max(CONTEXT * side, MIN_CONTEXT_M)
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def _read(path: str, kind: str, bounds: Bounds, max_px: int):
    import rasterio
    from rasterio.windows import from_bounds

    facts = read_raster_facts_cached(path, 256)
    encoding = (detect_phase_encoding if kind == "phase" else detect_coherence_encoding)(facts)
    with rasterio.open(path) as src:
        window = from_bounds(*bounds, transform=src.transform).round_offsets().round_lengths()
        h, w = max(1, int(window.height)), max(1, int(window.width))
        step = max(1, math.ceil(max(h, w) / max_px))
        data = src.read(1, window=window, out_shape=(max(1, h // step), max(1, w // step)),
                        boundless=True, masked=True)
    fill = encoding.nodata if encoding.nodata is not None else 0
    values = encoding.to_physical(np.asarray(data.filled(fill), dtype="float64"))
    values[np.ma.getmaskarray(data)] = np.nan
    return values


def make_chip(item, box: Bounds, box_crs, store: Optional[LabelStore] = None,
              max_px: int = CHIP_PX) -> Chip:
    """The chip of one interferogram (a core.workspace item) for ``box``."""
    meta = item.meta
    chip = Chip(item.label_stem, item.path.name, meta.ifg or "", meta.bt, meta.traj or "",
                meta.master, chip_extent(box), box, None, None)
    try:
        raster_crs = read_raster_facts_cached(str(item.path), 256).crs_wkt or None
        crs = box_crs
        chip.rgba = draw_box(phase_to_rgba(_read(str(item.path), "phase",
                                                 _to(chip.extent, crs, raster_crs), max_px)),
                             chip.extent, box)
        if item.coherence is not None:
            coh_crs = read_raster_facts_cached(str(item.coherence), 256).crs_wkt or None
            coh = _read(str(item.coherence), "coherence", _to(box, crs, coh_crs), 256)
            valid = coh[np.isfinite(coh)]
            chip.box_coherence = float(np.clip(valid, 0, 1).mean()) if valid.size else None
    except Exception as exc:  # noqa: BLE001 - one unreadable file is a chip with a message
        chip.problem = f"{item.path.name}: {exc}"
    if store is not None:
        try:
            here = store.read(item.label_stem)
            file_crs = here.epsg or here.crs_wkt
            chip.labels_here = [lab for lab in here.labels
                                if _same_movement(_to(lab.bounds, file_crs, box_crs), box)]
        except (LabelFileError, crsmod.CrsError) as exc:
            chip.problem = chip.problem or str(exc)
    return chip


def _covers_or_not(item, box: Bounds, box_crs) -> bool:
    """``covers``, with an unreadable raster covering nothing (it gets no chip; the dock
    reports unreadable interferograms when they are shown)."""
    try:
        return covers(item, box, box_crs)
    except Exception:  # noqa: BLE001 - any failure to read the footprint
        return False


def recurrence_chips(items: Sequence, box: Bounds, box_crs, store: Optional[LabelStore] = None,
                     exclude: Optional[str] = None, max_px: int = CHIP_PX,
                     progress: Optional[Callable[[float], None]] = None,
                     is_cancelled: Callable[[], bool] = lambda: False) -> List[Chip]:
    """Chips of every interferogram that covers ``box`` (but ``exclude``, the one on show),
    sorted by baseline then date."""
    report = progress or (lambda f: None)
    chosen = []
    for item in items:
        if item.label_stem != exclude and _covers_or_not(item, box, box_crs):
            chosen.append(item)
    chosen.sort(key=lambda it: (it.meta.bt if it.meta.bt is not None else 10 ** 6,
                                it.meta.master or dt.date.max, it.label_stem))
    chips = []
    for k, item in enumerate(chosen):
        if is_cancelled():
            raise Cancelled()
        chips.append(make_chip(item, box, box_crs, store, max_px))
        report((k + 1) / len(chosen))
    return chips


def propagated_label(source: Label, box: Bounds, target_item, box_crs):
    """(label, crs): ``source``'s class and qualities on ``box`` for another interferogram;
    IFG, Bt and Traj are the target's own (never copied); the box and ``crs`` (EPSG code or
    WKT) are the target's label CRS."""
    meta = target_item.meta
    if meta.ifg is None or meta.traj is None or meta.bt is None:
        raise ValueError(f"{target_item.path.name}: IFG/Bt/Traj unknown; supply them in step 0 "
                         "before copying a box there")
    target_crs = label_crs_for(read_raster_facts_cached(str(target_item.path), 256))
    dst = f"EPSG:{target_crs.epsg}" if target_crs.epsg else target_crs.wkt
    x0, y0, x1, y1 = _to(box, box_crs, dst)
    label = replace(source, xmin=x0, ymin=y0, xmax=x1, ymax=y1, ifg=meta.ifg, bt=meta.bt,
                    traj=meta.traj, id=None)
    return label, (target_crs.epsg or target_crs.wkt)
