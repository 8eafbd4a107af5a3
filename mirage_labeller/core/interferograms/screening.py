"""Step 0 made quantitative: one streaming, block-wise pass over an interferogram and its
coherence map gives the figures an expert weighs when keeping or discarding it.

- coherence: mean, median (from a 1/4096-wide histogram, exact to that width), fraction
  below 0.2 and below a chosen threshold;
- valid fraction: pixels where both phase and coherence hold data;
- phase noise from the wrapped phase itself: residue density, the share of 2x2 pixel loops
  whose wrapped phase differences do not sum to zero (Goldstein et al. 1988); clean fringes
  have almost none, decorrelated areas many;
- score 0-1: the geometric mean of four 0-1 terms (coherence relative to the kept MIRAGE
  set's 0.45, share of low coherence, valid share, residue density), with the weakest term
  named as the reason. The paper kept ~7 % of its interferograms; the score ranks them.
"""
from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, List, Optional, Sequence

import numpy as np

from ..base import blockio
from ..base.errors import InputError
from ..base.messages import Msg, from_data, to_data
from ..base.numba import HAVE_NUMBA, njit
from ..base.outputs import output_file
from ..base.progress import Cancelled
from .facts import (
    detect_coherence_encoding,
    detect_phase_encoding,
    grid_mismatch,
    read_raster_facts,
)

LOW_COHERENCE = 0.2
KEPT_MEAN_COHERENCE = 0.45  # the MIRAGE kept set (paper, Data Records)
RESIDUE_CEILING = 0.05  # a residue in 1 of 20 loops: phase is noise
BINS = 4096
FAILED = "not screened: "
CSV_COLUMNS = ("file", "IFG", "Bt", "Traj", "mean_coh", "median_coh", "frac_coh_lt_0_2",
               "frac_coh_lt_threshold", "threshold", "valid_frac", "residue_density", "score",
               "reason", "coherence_file")


@dataclass
class Screening:
    file: str
    IFG: str
    Bt: Optional[int]
    Traj: str
    mean_coh: float
    median_coh: float
    frac_coh_lt_0_2: float
    frac_coh_lt_threshold: float
    threshold: float
    valid_frac: float
    residue_density: float
    score: float
    reason: str
    coherence_file: str

    def row(self) -> dict:
        return asdict(self)

    @property
    def failed(self) -> bool:
        return self.reason.startswith(FAILED)

    @classmethod
    def failure(cls, phase_path, coherence_path, meta, threshold: float, message: str):
        """The row of an interferogram that could not be read: ranked last, with the reason."""
        nan = float("nan")
        return cls(file=Path(phase_path).name, IFG=(meta.ifg if meta else None) or "",
                   Bt=meta.bt if meta else None, Traj=(meta.traj if meta else None) or "",
                   mean_coh=nan, median_coh=nan, frac_coh_lt_0_2=nan, frac_coh_lt_threshold=nan,
                   threshold=threshold, valid_frac=nan, residue_density=nan, score=0.0,
                   reason=Msg("not screened: {message}", message=message),
                   coherence_file=Path(coherence_path).name if coherence_path else "")


_TWO_PI = np.float32(2 * np.pi)
_INV_TWO_PI = np.float32(1 / (2 * np.pi))


def _wrap(d: np.ndarray) -> np.ndarray:
    d -= _TWO_PI * np.rint(d * _INV_TWO_PI)  # in place: d is a fresh difference array
    return d


def residues(phase: np.ndarray) -> np.ndarray:
    """True on 2x2 loops (top-left corner) whose wrapped differences sum to +-2 pi.
    Each edge's wrapped difference is computed once and shared by the two loops beside it."""
    horizontal = _wrap(phase[:, 1:] - phase[:, :-1])  # from a pixel to its east neighbour
    vertical = _wrap(phase[1:, :] - phase[:-1, :])  # to its south neighbour
    loop = horizontal[:-1] + vertical[:, 1:] - horizontal[1:] - vertical[:, :-1]
    return np.abs(loop) > np.pi


@dataclass
class _Accumulator:
    hist: np.ndarray
    total: int = 0
    valid: int = 0
    coh_sum: float = 0.0
    loops: int = 0
    residue_count: int = 0
    below_threshold: int = 0
    below_low: int = 0

    def add_block(self, phase: np.ndarray, coh: np.ndarray, has_coherence: bool,
                  threshold: float) -> None:
        """Add one block: ``phase`` with its one-pixel halo (float32 radians, NaN where
        missing), ``coh`` the block's coherence (float64, NaN where missing). One compiled
        pass with numba, else the numpy formulas (the reference, tested equal)."""
        if HAVE_NUMBA:
            counts = np.zeros(6, np.int64)
            self.coh_sum += _block_stats(phase, coh, has_coherence, threshold, LOW_COHERENCE,
                                         self.hist, counts)
        else:
            counts = _block_counts_numpy(phase, coh, has_coherence, threshold, self)
        self.total += int(counts[0])
        self.valid += int(counts[1])
        self.below_threshold += int(counts[2])
        self.below_low += int(counts[3])
        self.loops += int(counts[4])
        self.residue_count += int(counts[5])


def _block_counts_numpy(phase, coh, has_coherence, threshold, acc):
    """The block's figures by numpy formulas; adds the coherence sum and histogram to
    ``acc``; (total, valid, below threshold, below 0.2, loops, residues)."""
    core = phase[1:-1, 1:-1]
    valid = np.isfinite(core) & np.isfinite(coh)
    values = np.clip(coh[valid], 0.0, 1.0)  # float64
    acc.coh_sum += float(values.sum())
    acc.hist += np.bincount(np.minimum((values * BINS).astype(np.int64), BINS - 1),
                            minlength=BINS)
    # residue loops whose top-left corner is in the block (halo supplies the rest)
    finite = np.isfinite(phase)
    loops_ok = finite[1:, 1:] & finite[1:, :-1] & finite[:-1, 1:] & finite[:-1, :-1]
    res = residues(np.where(finite, phase, np.float32(0)))
    inner = (slice(1, core.shape[0] + 1), slice(1, core.shape[1] + 1))
    ok = loops_ok[inner]
    if has_coherence:  # padding without coherence must not dilute the density
        ok = ok & np.isfinite(coh)
    return np.array([core.size, int(valid.sum()), int((values < threshold).sum()),
                     int((values < LOW_COHERENCE).sum()), int(ok.sum()),
                     int((res[inner] & ok).sum())], np.int64)


@njit(cache=True, nogil=True)
def _wrapped(d):
    return d - _TWO_PI * np.rint(d * _INV_TWO_PI)


@njit(cache=True, nogil=True)
def _block_stats(phase, coh, has_coherence, threshold, low, hist, counts):
    """``_block_counts_numpy`` pixel by pixel in one pass; returns the coherence sum."""
    rows, cols = coh.shape
    bins = hist.shape[0]
    coh_sum = 0.0
    for y in range(rows):
        for x in range(cols):
            counts[0] += 1
            p = phase[y + 1, x + 1]
            c = coh[y, x]
            c_ok = np.isfinite(c)
            if np.isfinite(p) and c_ok:
                counts[1] += 1
                v = min(max(c, 0.0), 1.0)
                coh_sum += v
                hist[min(int(v * bins), bins - 1)] += 1
                if v < threshold:
                    counts[2] += 1
                if v < low:
                    counts[3] += 1
            if has_coherence and not c_ok:
                continue
            # the loop with this pixel at its top-left corner
            e, s, se = phase[y + 1, x + 2], phase[y + 2, x + 1], phase[y + 2, x + 2]
            if not (np.isfinite(p) and np.isfinite(e) and np.isfinite(s) and np.isfinite(se)):
                continue
            counts[4] += 1
            loop = (_wrapped(e - p) + _wrapped(se - e)) - _wrapped(se - s) - _wrapped(s - p)
            if abs(loop) > np.pi:
                counts[5] += 1
    return coh_sum


def score_of(mean_coh: float, frac_low: float, valid_frac: float, residue_density: float):
    """(score, reason): the geometric mean of four 0-1 terms and the weakest one's name."""
    terms = {
        Msg("mean coherence {mean:.2f} (kept MIRAGE set: {kept})", mean=mean_coh,
            kept=KEPT_MEAN_COHERENCE): min(1.0, max(0.0, mean_coh / KEPT_MEAN_COHERENCE)),
        Msg("{share:.0%} of pixels below the coherence threshold", share=frac_low):
            min(1.0, max(0.0, 1.0 - frac_low / 0.5)),
        Msg("only {share:.0%} of pixels hold data", share=valid_frac): valid_frac,
        Msg("noisy phase: {share:.1%} residues", share=residue_density):
            min(1.0, max(0.0, 1.0 - residue_density / RESIDUE_CEILING)),
    }
    values = list(terms.values())
    score = 0.0 if min(values) <= 0 else math.exp(sum(math.log(v) for v in values) / 4)
    weakest = min(terms, key=terms.get)
    reason = Msg("clear") if min(values) >= 0.9 else weakest
    return score, reason


def screen_interferogram(phase_path: str, coherence_path: Optional[str], meta=None,
                         threshold: float = LOW_COHERENCE, block: int = blockio.BLOCK,
                         is_cancelled: Callable[[], bool] = lambda: False,
                         notes: Optional[List[str]] = None) -> Screening:
    """Read both rasters once, block by block (a 1-pixel halo for the residue loops).
    ``notes`` collects how the files were read (complex, rescaled, re-wrapped)."""
    import rasterio

    phase_facts = read_raster_facts(phase_path, 512, central=True)
    phase_enc = detect_phase_encoding(phase_facts)
    if phase_enc.problems:
        raise InputError(phase_enc.problems[0], path=phase_path)
    if notes is not None:
        notes += phase_enc.messages
    coh_enc = None
    if coherence_path:
        coh_facts = read_raster_facts(coherence_path, 512, central=True)
        coh_enc = detect_coherence_encoding(coh_facts)
        why = coh_enc.problems[0] if coh_enc.problems else grid_mismatch(coh_facts, phase_facts)
        if why:
            raise InputError(why, path=coherence_path)
        if notes is not None:
            notes += coh_enc.messages
    acc = _Accumulator(hist=np.zeros(BINS, np.int64))
    # compressed tiles decode on every core (GDAL >= 3.6): reading is most of the pass
    with rasterio.Env(GDAL_NUM_THREADS="ALL_CPUS"), rasterio.open(phase_path) as psrc:
        csrc = rasterio.open(coherence_path) if coherence_path else None
        try:
            if csrc is not None and (csrc.width, csrc.height) != (psrc.width, psrc.height):
                raise ValueError(f"{coherence_path}: {csrc.width}x{csrc.height} px, not on the "
                                 f"interferogram's {psrc.width}x{psrc.height} grid")
            for blk in blockio.blocks(psrc.height, psrc.width, block):
                if is_cancelled():
                    raise Cancelled()
                raw = blockio.read_float(psrc, blk, halo=1, dtype="float32")
                if phase_enc.is_native or phase_enc.complex:  # read_float took the angle
                    phase = raw
                else:
                    phase = phase_enc.to_physical(np.nan_to_num(
                        raw, nan=phase_enc.nodata if phase_enc.nodata is not None else 0.0))
                    phase[np.isnan(raw)] = np.nan
                if csrc is not None:
                    craw = blockio.read_float(csrc, blk)
                    coh = craw * coh_enc.scale + coh_enc.offset  # float64: exact sums
                    if coh_enc.nodata is not None:
                        coh[craw == coh_enc.nodata] = np.nan
                else:
                    coh = np.full((blk.row1 - blk.row0, blk.col1 - blk.col0), np.nan)
                acc.add_block(np.ascontiguousarray(phase, np.float32), coh, csrc is not None,
                              threshold)
        finally:
            if csrc is not None:
                csrc.close()
    n = max(acc.valid, 1)
    cumulative = np.cumsum(acc.hist)
    median_bin = int(np.searchsorted(cumulative, (acc.valid + 1) / 2)) if acc.valid else 0
    mean_coh = acc.coh_sum / n if acc.valid else float("nan")
    frac_low = acc.below_low / n if acc.valid else float("nan")
    valid_frac = acc.valid / max(acc.total, 1)
    residue_density = acc.residue_count / max(acc.loops, 1)
    if acc.valid:
        score, reason = score_of(mean_coh, acc.below_threshold / n, valid_frac, residue_density)
    else:
        score, reason = 0.0, Msg("no valid coherence") if coherence_path else Msg(
            "no coherence map")
    return Screening(
        file=Path(phase_path).name, IFG=(meta.ifg if meta else None) or "",
        Bt=meta.bt if meta else None, Traj=(meta.traj if meta else None) or "",
        mean_coh=mean_coh, median_coh=(median_bin + 0.5) / BINS if acc.valid else float("nan"),
        frac_coh_lt_0_2=frac_low, frac_coh_lt_threshold=acc.below_threshold / n if acc.valid
        else float("nan"), threshold=threshold, valid_frac=valid_frac,
        residue_density=residue_density, score=score, reason=reason,
        coherence_file=Path(coherence_path).name if coherence_path else "")


def screen_workspace(items: Sequence, threshold: float = LOW_COHERENCE,
                     progress: Optional[Callable[[float, str], None]] = None,
                     is_cancelled: Callable[[], bool] = lambda: False,
                     notes: Optional[List[str]] = None) -> List[Screening]:
    """Screen workspace interferograms (core.workspace items), best score first. A file that
    cannot be read gives a failure row (``Screening.failed``) and the others go on; ``notes``
    collects how files were read."""
    report = progress or (lambda f, m: None)
    out = []
    for k, item in enumerate(items):
        report(k / max(len(items), 1), f"screening {item.path.name}")
        coherence = str(item.coherence) if item.coherence else None
        try:
            out.append(screen_interferogram(str(item.path), coherence, item.meta, threshold,
                                            is_cancelled=is_cancelled, notes=notes))
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad pair must not lose the others
            message = str(exc) if str(item.path) in str(exc) else f"{item.path}: {exc}"
            out.append(Screening.failure(item.path, coherence, item.meta, threshold, message))
    report(1.0, "done")
    return sorted(out, key=lambda s: (s.failed, -s.score))  # failures last


def write_csv(rows: Iterable[Screening], path) -> None:
    with output_file(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v)
                             for k, v in r.row().items()})


def build_overviews(path: str, kind: str) -> Optional[str]:
    """External overviews (.ovr beside the file, the file itself untouched) where none exist:
    nearest neighbour for wrapped phase (averaging across the -pi/pi jump would invent
    values), average for coherence. Returns what was done, or None if nothing was needed."""
    from osgeo import gdal

    ds = gdal.Open(str(path), gdal.GA_ReadOnly)  # read-only: GDAL writes an external .ovr
    if ds is None:
        raise OSError(f"{path}: cannot be opened by GDAL")
    try:
        band = ds.GetRasterBand(1)
        if band.GetOverviewCount() or max(ds.RasterXSize, ds.RasterYSize) <= 1024:
            return None
        factors = []
        f = 2
        while max(ds.RasterXSize, ds.RasterYSize) // f >= 256:
            factors.append(f)
            f *= 2
        # thread-local: this runs in worker threads, and the user's own setting stays untouched
        previous = gdal.GetThreadLocalConfigOption("COMPRESS_OVERVIEW", None)
        gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", "DEFLATE")
        try:
            if ds.BuildOverviews("NEAREST" if kind == "phase" else "AVERAGE", factors) != 0:
                raise OSError(f"{path}: GDAL could not build overviews")
        finally:
            gdal.SetThreadLocalConfigOption("COMPRESS_OVERVIEW", previous)
    finally:
        ds = None
    return f"{Path(path).name}: overviews {factors} built ({Path(path).name}.ovr)"


CACHE = Path(".mirage") / "screening.json"


def _fingerprint(path: Optional[str]) -> Optional[list]:
    if not path:
        return None
    st = Path(path).stat()
    return [Path(path).name, st.st_size, st.st_mtime_ns]


def load_cache(root, items, threshold: float = LOW_COHERENCE) -> dict:
    """Screenings of ``items`` (workspace interferograms) still valid for their files, by
    label stem: a workspace reopened is not screened again."""
    import json

    path = Path(root) / CACHE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for item in items:
        entry = data.get(item.label_stem)
        if not entry or entry.get("threshold") != threshold:
            continue
        try:
            if entry.get("phase") != _fingerprint(str(item.path)) or entry.get("coherence") != \
                    _fingerprint(str(item.coherence) if item.coherence else None):
                continue
            row = Screening(**entry["row"])
            if "reason" in entry:  # the reason as a sentence the GUI can translate
                reason = from_data(entry["reason"])
                row.reason = reason if isinstance(reason, str) else row.reason
            out[item.label_stem] = row
        except (OSError, TypeError):
            continue
    return out


def save_cache(root, screened: dict, items, threshold: float = LOW_COHERENCE) -> Optional[str]:
    """Write the cache atomically; an error message instead of raising (read-only data)."""
    import json
    import os

    path = Path(root) / CACHE
    by_stem = {item.label_stem: item for item in items}
    data = {}
    for stem, row in screened.items():
        item = by_stem.get(stem)
        if item is None:
            continue
        data[stem] = {"threshold": threshold, "phase": _fingerprint(str(item.path)),
                      "coherence": _fingerprint(str(item.coherence) if item.coherence else None),
                      "row": row.row(), "reason": to_data(row.reason)}
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        return f"{path}: cannot save the screening ({exc.strerror or exc})"
    return None
