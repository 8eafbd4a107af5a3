"""Labels of many interferograms grouped into mass-movement processes.

The paper's 4910 labels are repeated detections of 783 movements: the same ground seen again
in other interferograms, with boxes that differ because each baseline shows a different part
of the movement (a 6-day pair only the fastest lobe, a year-long pair the whole body, or the
margins only where the core decorrelates). Two labels are the same movement when they come
from different interferograms and

- their overlap covers at least ``min_overlap`` (default 0.5) of the smaller box (the
  overlap coefficient |A∩B| / min(|A|, |B|)): a lobe inside the whole body still matches,
  which intersection-over-union would miss (a box a quarter the size of the other has an
  IoU of at most 0.25);
- the larger box is at most ``max_area_ratio`` (default 9, three times the side) the area
  of the smaller: a rockslide box inside a deep-seated deformation many times its size is
  another movement, not a partial view of the same one.

Processes are the connected components of that relation. Labels of the same interferogram
are never linked directly (an expert who draws two boxes there means two signals).
Process ids are a hash of the founding label (earliest interferogram, then stem and Id), so
they are the same on every run over the same data and survive labels added later.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from ..base import crs as crsmod
from ..base.crs import CrsError
from ..base.messages import Msg
from ..base.outputs import output_file
from ..base.progress import ProgressLike, as_progress
from ..labels.store import LabelFileError, LabelStore, read_label_file

MIN_OVERLAP = 0.5
MAX_AREA_RATIO = 9.0
_IFG = re.compile(r"(\d{8})_(\d{8})")


@dataclass
class LabelTable:
    """Every label of a dataset as columns (50 000 labels stay cheap).

    Boxes are in one working CRS (``crs``, the first file's) so that boxes of different
    files can be compared; each label's area (``area_m2``) is measured in its own file's CRS
    (or, for a file in degrees, in the UTM zone of the label), so a dataset in UTM 47N or in
    degrees reports its true areas whatever the working CRS."""

    bounds: np.ndarray  # (n, 4) xmin, ymin, xmax, ymax in ``crs``
    stem: List[str]
    id: np.ndarray
    cls: List[str]
    sign_qual: np.ndarray
    class_unc: np.ndarray
    ifg: List[str]
    bt: np.ndarray
    traj: List[str]
    crs: Optional[str] = None  # "EPSG:n" or WKT
    warnings: List[str] = field(default_factory=list)
    unreadable: List[str] = field(default_factory=list)  # files not read whole, and why
    area_m2: Optional[np.ndarray] = None  # each label's area in its own metric CRS

    def __len__(self) -> int:
        return len(self.stem)

    def areas_m2(self) -> np.ndarray:
        """Each label's area in m² (computed from ``bounds`` when the table was built from
        boxes of one metric CRS)."""
        if self.area_m2 is not None:
            return self.area_m2
        b = self.bounds
        return np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)

    @classmethod
    def from_rows(cls, rows: Sequence[tuple], crs: Optional[str] = None,
                  warnings: Sequence[str] = (), areas: Optional[Sequence[float]] = None
                  ) -> "LabelTable":
        """Rows of (stem, Label)."""
        n = len(rows)
        return cls(bounds=np.array([lab.bounds for _, lab in rows], float).reshape(n, 4),
                   stem=[s for s, _ in rows], id=np.array([lab.id or 0 for _, lab in rows], int),
                   cls=[lab.cls for _, lab in rows],
                   sign_qual=np.array([lab.sign_qual for _, lab in rows], int),
                   class_unc=np.array([lab.class_unc for _, lab in rows], int),
                   ifg=[lab.ifg for _, lab in rows], bt=np.array([lab.bt for _, lab in rows], int),
                   traj=[lab.traj for _, lab in rows], crs=crs, warnings=list(warnings),
                   area_m2=None if areas is None else np.asarray(areas, float).reshape(n))


def read_label_dir(label_dir: Union[str, Path], progress: ProgressLike = None,
                   is_cancelled: Callable[[], bool] = lambda: False,
                   strict: bool = False, read_only: bool = False) -> LabelTable:
    """All label files of a folder; an unreadable file is a warning (``unreadable``), the
    others are read; ``strict``: LabelFileError instead, naming the files (a dataset result
    without one of them would be wrong without saying so). Files in another CRS than the
    first are converted to it (their box envelopes); areas stay those of each file's own
    CRS. ``read_only``: the files are read as they are, without the label store (which would
    finish an interrupted save first): for reports and audits that must not write."""
    report = as_progress(progress, is_cancelled)
    if not Path(label_dir).is_dir():
        raise FileNotFoundError(f"{label_dir}: no such folder")
    store = LabelStore(label_dir)
    stems = store.stems()
    rows, areas, warnings, unreadable = [], [], [], []
    crs: Optional[str] = None
    for k, stem in enumerate(stems):
        report.check()
        if k % 20 == 0:
            report(0.5 * k / max(len(stems), 1), f"reading {stem}")
        try:
            label_set = read_label_file(store.path(stem)) if read_only else store.read(stem)
        except LabelFileError as exc:
            warnings.append(Msg("skipped: {exc}", exc=exc))
            unreadable.append(str(exc))
            continue
        warnings += label_set.warnings  # what the reader normalised or assumed, per file
        here = f"EPSG:{label_set.epsg}" if label_set.epsg else label_set.crs_wkt
        labels = label_set.labels
        areas += label_areas(labels, here)
        if crs is None and labels:
            crs = here
        elif labels and not crsmod.same(here, crs):
            try:
                labels = _to_crs(labels, here, crs)
            except CrsError as exc:
                raise LabelFileError(f"{label_set.path}: its labels cannot be compared with "
                                     f"the others ({exc})", path=label_set.path) from None
            warnings.append(Msg("{name}: labels in {here}, converted to {crs}",
                                name=label_set.path.name, here=crsmod.describe(here),
                                crs=crsmod.describe(crs)))
        rows += [(stem, lab) for lab in labels]
    if strict and unreadable:
        raise unreadable_error(unreadable)
    table = LabelTable.from_rows(rows, crs, warnings, areas)
    table.unreadable = unreadable
    return table


def label_areas(labels: Sequence, crs) -> List[float]:
    """Each label's area in m² in its file's CRS (its UTM zone for a file in degrees)."""
    if not crsmod.is_geographic(crs):
        return [lab.area_m2 for lab in labels]
    return [crsmod.area_m2(lab.bounds, crs) for lab in labels]


def unreadable_error(problems: Sequence[str]) -> LabelFileError:
    """One error for label files that could not be read whole: the first named, the rest
    counted."""
    more = f" (and {len(problems) - 1} more file(s))" if len(problems) > 1 else ""
    return LabelFileError(f"{problems[0]}{more}; nothing is computed from a label set that "
                          "misses files - repair or remove them first (audit lists them)")


def _to_crs(labels, src, dst):
    from dataclasses import replace

    out = []
    for lab in labels:
        x0, y0, x1, y1 = crsmod.convert_bounds(lab.bounds, src, dst)
        out.append(replace(lab, xmin=x0, ymin=y0, xmax=x1, ymax=y1))
    return out


# ---------------------------------------------------------------- pairs and components

def candidate_pairs(bounds: np.ndarray, cell: Optional[float] = None) -> Tuple[np.ndarray,
                                                                               np.ndarray]:
    """Index pairs (i < j) of boxes that intersect, from a uniform grid: every box is filed
    under the cells it covers, pairs come from shared cells, and each pair is kept only in the
    cell holding the lower-left corner of its intersection (so once). Near-linear in the number
    of boxes for a given density; no geometry library needed for axis-aligned boxes."""
    bounds = np.asarray(bounds, dtype=float)
    n = len(bounds)
    if n < 2:
        return np.empty(0, int), np.empty(0, int)
    w = bounds[:, 2] - bounds[:, 0]
    h = bounds[:, 3] - bounds[:, 1]
    usable = np.isfinite(bounds).all(axis=1) & (w > 0) & (h > 0)  # others overlap nothing
    if not usable.all():
        keep = np.flatnonzero(usable)
        i, j = candidate_pairs(bounds[keep], cell)
        return keep[i], keep[j]
    if cell is None:
        cell = float(np.median(np.maximum(w, h)))
    # boxes spanning many cells (a DSGSD among rock glaciers) are compared with every box
    # directly: filed in the grid they would make it quadratic in memory
    big = np.maximum(w, h) > 16 * cell
    if big.any():
        small = np.flatnonzero(~big)
        i, j = candidate_pairs(bounds[small], cell) if small.size > 1 else (
            np.empty(0, int), np.empty(0, int))
        pairs_i, pairs_j = [small[i]], [small[j]]
        for b in np.flatnonzero(big):
            hit = np.flatnonzero((bounds[:, 0] < bounds[b, 2]) & (bounds[:, 2] > bounds[b, 0])
                                 & (bounds[:, 1] < bounds[b, 3]) & (bounds[:, 3] > bounds[b, 1]))
            hit = hit[(hit != b) & (~big[hit] | (hit > b))]  # big-big pairs once
            pairs_i.append(np.minimum(hit, b))
            pairs_j.append(np.maximum(hit, b))
        return np.concatenate(pairs_i), np.concatenate(pairs_j)
    cx0 = np.floor(bounds[:, 0] / cell).astype(np.int64)
    cy0 = np.floor(bounds[:, 1] / cell).astype(np.int64)
    cx1 = np.floor(bounds[:, 2] / cell).astype(np.int64)
    cy1 = np.floor(bounds[:, 3] / cell).astype(np.int64)
    nx, ny = cx1 - cx0 + 1, cy1 - cy0 + 1
    per_box = nx * ny
    box = np.repeat(np.arange(n), per_box)
    offset = np.arange(per_box.sum()) - np.repeat(np.cumsum(per_box) - per_box, per_box)
    ex = cx0[box] + offset % nx[box]
    ey = cy0[box] + offset // nx[box]
    ex -= ex.min()
    ey -= ey.min()
    key = ex * (int(ey.max()) + 1) + ey
    order = np.argsort(key, kind="stable")
    key, box = key[order], box[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], key.size]
    group_end = np.repeat(ends, ends - starts)
    partners = group_end - np.arange(key.size) - 1
    total = int(partners.sum())
    if total == 0:
        return np.empty(0, int), np.empty(0, int)
    first = np.repeat(np.arange(key.size), partners)
    second = first + 1 + (np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners))
    a, b = box[first], box[second]
    cell_x, cell_y = ex[order][first], ey[order][first]
    ix0 = np.maximum(bounds[a, 0], bounds[b, 0])
    iy0 = np.maximum(bounds[a, 1], bounds[b, 1])
    ix1 = np.minimum(bounds[a, 2], bounds[b, 2])
    iy1 = np.minimum(bounds[a, 3], bounds[b, 3])
    overlapping = (ix1 > ix0) & (iy1 > iy0)
    shift_x = cx0.min() if n else 0
    shift_y = cy0.min() if n else 0
    home = ((np.floor(ix0 / cell).astype(np.int64) - shift_x == cell_x)
            & (np.floor(iy0 / cell).astype(np.int64) - shift_y == cell_y))
    keep = overlapping & home
    a, b = a[keep], b[keep]
    return np.minimum(a, b), np.maximum(a, b)


def same_movement(bounds: np.ndarray, i: np.ndarray, j: np.ndarray,
                  min_overlap: float = MIN_OVERLAP,
                  max_area_ratio: float = MAX_AREA_RATIO) -> np.ndarray:
    """The module docstring's rule, for pairs of boxes (i[k], j[k])."""
    ix = np.minimum(bounds[i, 2], bounds[j, 2]) - np.maximum(bounds[i, 0], bounds[j, 0])
    iy = np.minimum(bounds[i, 3], bounds[j, 3]) - np.maximum(bounds[i, 1], bounds[j, 1])
    inter = np.clip(ix, 0, None) * np.clip(iy, 0, None)
    area = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
    small = np.minimum(area[i], area[j])
    large = np.maximum(area[i], area[j])
    with np.errstate(divide="ignore", invalid="ignore"):
        return (small > 0) & (inter >= min_overlap * small) & (large <= max_area_ratio * small)


def group(table: LabelTable, min_overlap: float = MIN_OVERLAP,
          max_area_ratio: float = MAX_AREA_RATIO) -> np.ndarray:
    """Component number of every label (0..k-1, in no meaningful order)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(table)
    if n == 0:
        return np.empty(0, int)
    i, j = candidate_pairs(table.bounds)
    _, ifg_index = np.unique(np.array(table.stem, dtype=object).astype(str), return_inverse=True)
    keep = (ifg_index[i] != ifg_index[j]) & same_movement(table.bounds, i, j, min_overlap,
                                                          max_area_ratio)
    i, j = i[keep], j[keep]
    graph = coo_matrix((np.ones(i.size, np.int8), (i, j)), shape=(n, n))
    _, components = connected_components(graph, directed=False)
    return components


# ---------------------------------------------------------------- processes

@dataclass
class Process:
    pid: str
    members: np.ndarray  # indices into the label table
    n_labels: int
    ifgs: List[str]
    baselines: List[int]
    tracks: List[str]
    first_date: Optional[dt.date]
    last_date: Optional[dt.date]
    majority_class: str
    classes: Dict[str, int]
    mean_sign_qual: float
    envelope: Tuple[float, float, float, float]

    @property
    def conflict(self) -> bool:
        return len(self.classes) > 1

    def class_text(self) -> str:
        return ", ".join(f"{c}:{n}" for c, n in sorted(self.classes.items(),
                                                       key=lambda kv: (-kv[1], kv[0])))


def _dates(ifg: str) -> Tuple[Optional[dt.date], Optional[dt.date]]:
    m = _IFG.search(ifg or "")
    if not m:
        return None, None
    try:
        a, b = (dt.datetime.strptime(v, "%Y%m%d").date() for v in m.groups())
    except ValueError:
        return None, None
    return min(a, b), max(a, b)


def _founding_key(table: LabelTable, k: int):
    first, _ = _dates(table.ifg[k])
    return (first or dt.date.max, table.stem[k], int(table.id[k]))


def process_id(stem: str, label_id: int) -> str:
    """A stable name for a process: a hash of its founding label (SHA-1 as a checksum, not
    for security; the same ids as before, so saved process layers keep matching)."""
    digest = hashlib.sha1(f"{stem}#{label_id}".encode("utf-8"), usedforsecurity=False)
    return "P" + digest.hexdigest()[:10]


def build_processes(table: LabelTable, components: np.ndarray) -> List[Process]:
    """One Process per component, ordered by founding label (earliest interferogram first)."""
    order = np.argsort(components, kind="stable")
    splits = np.flatnonzero(np.diff(components[order])) + 1
    out = []
    for members in np.split(order, splits):
        if members.size == 0:
            continue
        founder = min(members, key=lambda k: _founding_key(table, k))
        classes = Counter(table.cls[k] for k in members)
        top = max(classes.values())
        # a tie goes to the founding label's class, else alphabetical: deterministic
        majority = (table.cls[founder] if classes[table.cls[founder]] == top
                    else sorted(c for c, n in classes.items() if n == top)[0])
        dates = [_dates(table.ifg[k]) for k in members]
        firsts = [a for a, _ in dates if a]
        lasts = [b for _, b in dates if b]
        b = table.bounds[members]
        out.append(Process(
            pid=process_id(table.stem[founder], int(table.id[founder])), members=members,
            n_labels=int(members.size),
            ifgs=sorted({table.ifg[k] for k in members}),
            baselines=sorted({int(table.bt[k]) for k in members}),
            tracks=sorted({table.traj[k] for k in members}),
            first_date=min(firsts) if firsts else None, last_date=max(lasts) if lasts else None,
            majority_class=majority, classes=dict(classes),
            mean_sign_qual=float(table.sign_qual[members].mean()),
            envelope=(float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()),
                      float(b[:, 3].max()))))
    out.sort(key=lambda p: _founding_key(table, min(p.members,
                                                    key=lambda k: _founding_key(table, k))))
    return out


def group_labels(table: LabelTable, min_overlap: float = MIN_OVERLAP,
                 max_area_ratio: float = MAX_AREA_RATIO) -> List[Process]:
    return build_processes(table, group(table, min_overlap, max_area_ratio))


def membership(table: LabelTable, processes: Sequence[Process]) -> Dict[Tuple[str, int], str]:
    """(stem, Id) -> process id."""
    return {(table.stem[k], int(table.id[k])): p.pid for p in processes for k in p.members}


# ---------------------------------------------------------------- output

PROCESS_FIELDS = {"pid": "str:12", "n_labels": "int", "n_ifg": "int", "ifgs": "str:254",
                  "baselines": "str:254", "first_date": "date", "last_date": "date",
                  "tracks": "str:8", "class": "str:4", "classes": "str:80", "conflict": "int",
                  "mean_sq": "float", "area_m2": "float"}


def _union(table: LabelTable, members: np.ndarray):
    from shapely.geometry import box
    from shapely.ops import unary_union

    boxes = {tuple(table.bounds[k]) for k in members}  # repeated identical boxes: once
    return unary_union([box(*b) for b in boxes])


def _properties(p: Process, area: float) -> dict:
    return {"pid": p.pid, "n_labels": p.n_labels, "n_ifg": len(p.ifgs),
            "ifgs": ",".join(p.ifgs)[:254], "baselines": ",".join(map(str, p.baselines))[:254],
            "first_date": p.first_date.isoformat() if p.first_date else None,
            "last_date": p.last_date.isoformat() if p.last_date else None,
            "tracks": ",".join(p.tracks), "class": p.majority_class,
            "classes": p.class_text()[:80], "conflict": int(p.conflict),
            "mean_sq": round(p.mean_sign_qual, 3), "area_m2": round(area, 1)}


def write_processes(table: LabelTable, processes: Sequence[Process],
                    out: Union[str, Path]) -> Path:
    """A GeoPackage with three layers: ``processes`` (union of the boxes), ``envelopes``
    (their north-south envelope) and ``members`` (stem, Id, pid; no geometry). Written to a
    scratch file and renamed, so a failed run leaves any earlier output intact."""
    out = Path(out)
    with output_file(out) as scratch:
        _write_process_layers(table, processes, scratch)
    return out


def _write_process_layers(table: LabelTable, processes: Sequence[Process], scratch: Path):
    import fiona
    from shapely.geometry import MultiPolygon, box, mapping

    crs = table.crs  # the labels' own: unknown stays unknown, never assumed
    crs_kw = {} if crs is None else {"crs_wkt": crs} if not crs.startswith("EPSG:") \
        else {"crs": crs}
    schema = {"geometry": "MultiPolygon", "properties": PROCESS_FIELDS}
    records = []
    for p in processes:
        geom = _union(table, p.members)
        if geom.geom_type == "Polygon":
            geom = MultiPolygon([geom])
        records.append({"geometry": mapping(geom), "properties": _properties(p, geom.area)})
    # one writerecords call per layer: one transaction, not one per feature
    with fiona.open(str(scratch), "w", driver="GPKG", layer="processes", schema=schema,
                    **crs_kw) as dst:
        dst.writerecords(records)
    schema = {"geometry": "Polygon", "properties": PROCESS_FIELDS}
    with fiona.open(str(scratch), "w", driver="GPKG", layer="envelopes", schema=schema,
                    **crs_kw) as dst:
        dst.writerecords([{"geometry": mapping(box(*p.envelope)),
                           "properties": _properties(p, box(*p.envelope).area)}
                          for p in processes])
    schema = {"geometry": "None", "properties": {"stem": "str:254", "Id": "int", "pid": "str:12",
                                                 "Class": "str:4", "IFG": "str:17"}}
    with fiona.open(str(scratch), "w", driver="GPKG", layer="members", schema=schema) as dst:
        dst.writerecords({"geometry": None, "properties": {
            "stem": table.stem[k], "Id": int(table.id[k]), "pid": p.pid, "Class": table.cls[k],
            "IFG": table.ifg[k]}} for p in processes for k in p.members)


def summarise(processes: Sequence[Process]) -> Dict[str, int]:
    return {"processes": len(processes), "labels": sum(p.n_labels for p in processes),
            "conflicts": sum(p.conflict for p in processes),
            "seen_once": sum(len(p.ifgs) == 1 for p in processes)}
