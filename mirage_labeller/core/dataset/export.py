"""Training-set export: labelled interferograms cut into chips for YOLO or COCO detectors.

Chips are cut at native resolution on a regular grid (``chip`` pixels, ``overlap`` between
neighbours, the last row and column shifted to end at the raster edge; a raster smaller than
a chip gives one chip, padded with 0). Channels, scaled to 8 bits:

- ``cos_sin_coh``: R = cos(phase), G = sin(phase) from [-1, 1], B = coherence from [0, 1].
  The wrapped phase jumps from +pi to -pi along every fringe; cos and sin do not, so a
  convolution sees no false edge there;
- ``phase_coh_terrain``: R = phase from [-pi, pi], G = coherence, B = one DEM layer
  (slope 0..90 degrees, aspect 0..360, hillshade 0..255, any other layer between its 2nd and
  98th percentile, computed once per layer), as YOLO studies of InSAR deformation use.

Values are physical whatever the file stores (radians, degrees, scaled integers; coherence
0-1 or 0-255: core.raster_facts); nodata is 0 in every channel. Boxes are converted to chip
pixels, clipped at the chip edge and kept when at least ``min_visible`` of their area shows.
A chip touched only by boxes below that share is not written: it is neither a clean positive
nor a negative. Chips touching no box are negatives, kept at ``negative_rate`` (but not when
wholly nodata).

Splits are grouped by mass-movement process (core.recurrence): processes that share a chip
(dropped boxes included: the picture shows them) are one group, a group goes whole to one
split, so the same movement never sits in train and test; groups are stratified by their
majority class. Large chips over dense areas make few groups, and then the split shares can
only be met roughly (ExportResult.groups, problems). ``manifest.csv`` holds each chip's
interferogram, window and affine transform, so any prediction maps back to the map
(``chip_to_map``).

Layout: ``images/{train,val,test}/<stem>_r<row>_c<col>.png|tif``; YOLO adds
``labels/<split>/<name>.txt`` (``class cx cy w h`` normalised, 6 decimals; empty for a
negative) and ``dataset.yaml``; COCO adds ``annotations/instances_<split>.json`` with
category ids 1..10 (YOLO class + 1: COCO tools take 0 for the background), image and
annotation ids unique over the whole export and ``file_name`` relative to ``images/<split>``.
"""
from __future__ import annotations

import csv
import json
import contextlib
import math
import os
import shutil
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from ..labels.classes import CLASS_CODES
from ..base.errors import InputError, OutputError, from_os_error
from ..base.outputs import OutputFiles
from ..base.messages import Msg
from ..interferograms.facts import (detect_coherence_encoding, detect_phase_encoding, grid_mismatch,
                           read_raster_facts)
from .processes import MAX_AREA_RATIO, MIN_OVERLAP, group_labels, read_label_dir
from ..base.progress import Cancelled, ProgressLike

SPLITS = ("train", "val", "test")
RECIPES = ("cos_sin_coh", "phase_coh_terrain")
FORMATS = ("yolo", "coco")
IMAGE_FORMATS = ("png", "tif")
# fixed physical ranges of DEM layers (core.morphometry units); others: 2nd-98th percentile
TERRAIN_RANGES = {"slope": (0.0, 90.0), "aspect": (0.0, 360.0), "hillshade": (0.0, 255.0)}
MARKER = ".mirage-export"  # tells a folder this module may clear from one it must not touch
MANIFEST = "manifest.csv"
PNG_COMPRESS_LEVEL = 1  # noisy phase: 0 is 3x faster but 20 % larger, 6 gains 5 % for 30 %
PathLike = Union[str, Path]


@dataclass
class ExportConfig:
    fmt: str = "yolo"  # "yolo" or "coco"
    chip: int = 640  # pixels per side
    overlap: float = 0.2  # share of a chip shared with its neighbour
    recipe: str = "cos_sin_coh"  # or "phase_coh_terrain"
    terrain_layer: str = "slope"  # a layer of the workspace's dem/ folder, or "dem"
    image_format: str = "png"  # or "tif" (georeferenced GeoTIFF)
    min_visible: float = 0.5  # share of a box's area that must lie in the chip
    negative_rate: float = 0.1  # share of chips without any box that are kept
    split: Tuple[float, float, float] = (0.7, 0.15, 0.15)  # train, val, test
    seed: int = 0
    min_overlap: float = MIN_OVERLAP  # process grouping (core.recurrence)
    max_area_ratio: float = MAX_AREA_RATIO

    @property
    def stride(self) -> int:
        return max(1, int(round(self.chip * (1.0 - self.overlap))))

    def validate(self) -> None:
        """ValueError naming the first setting that cannot work."""
        if self.fmt not in FORMATS:
            raise ValueError(f"format {self.fmt!r}: expected one of {', '.join(FORMATS)}")
        if self.recipe not in RECIPES:
            raise ValueError(f"recipe {self.recipe!r}: expected one of {', '.join(RECIPES)}")
        if self.image_format not in IMAGE_FORMATS:
            raise ValueError(f"image format {self.image_format!r}: expected png or tif")
        if int(self.chip) != self.chip or self.chip < 8:
            raise ValueError(f"chip size {self.chip}: expected a whole number >= 8")
        if not 0.0 <= self.overlap < 1.0:
            raise ValueError(f"overlap {self.overlap}: expected 0 <= overlap < 1")
        if not 0.0 < self.min_visible <= 1.0:
            raise ValueError(f"min_visible {self.min_visible}: expected 0 < value <= 1")
        if not 0.0 <= self.negative_rate <= 1.0:
            raise ValueError(f"negative rate {self.negative_rate}: expected 0..1")
        s = tuple(float(v) for v in self.split)
        if len(s) != 3 or min(s) < 0 or abs(sum(s) - 1.0) > 1e-6 or s[0] <= 0:
            raise ValueError(f"split {self.split}: expected three shares (train > 0) "
                             "summing to 1")


@dataclass
class ExportResult:
    out_dir: Path
    manifest: Path
    dataset_yaml: Optional[Path]  # YOLO only
    annotations: Dict[str, Path]  # COCO only: split -> instances_<split>.json
    chips: int  # written
    boxes: int  # written
    negatives: int  # chips without a box, written
    dropped_boxes: int  # (chip, box) pairs below min_visible
    partial_chips: int  # chips touched only by dropped boxes: not written
    blank_chips: int  # negatives without a single valid pixel: not written
    labels: int  # in the label folder
    labels_exported: int  # labels that are a box in at least one chip
    processes: int  # with a box in at least one chip
    groups: int  # of processes sharing chips: the units the split moves
    per_split: Dict[str, Dict[str, int]]  # split -> chips, boxes, negatives, processes
    class_counts: Dict[str, Dict[str, int]]  # split -> class code -> boxes
    problems: List[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.chips} chips ({self.negatives} negatives), {self.boxes} boxes from "
                 f"{self.labels_exported} of {self.labels} labels, {self.processes} processes "
                 f"in {self.groups} groups -> {self.out_dir}"]
        for s in SPLITS:
            c = self.per_split[s]
            lines.append(f"  {s:5}: {c['chips']} chips, {c['boxes']} boxes, "
                         f"{c['negatives']} negatives, {c['processes']} processes")
        lines.append(f"  boxes dropped below the visible share: {self.dropped_boxes}; chips "
                     f"only partly showing a box (not written): {self.partial_chips}")
        lines += [f"  ! {p}" for p in self.problems]
        return "\n".join(lines)


# ---------------------------------------------------------------- manifest

@dataclass
class ManifestRow:
    """One chip: where it came from and its affine (pixel -> map, in ``crs``)."""

    name: str
    split: str
    image: str  # relative to the export folder
    interferogram: str  # file name
    stem: str
    ifg: str
    bt: Optional[int]
    traj: str
    col_off: int
    row_off: int
    width: int
    height: int
    a: float
    b: float
    c: float
    d: float
    e: float
    f: float
    crs: str  # "EPSG:n" or WKT
    n_boxes: int
    n_dropped: int
    label_ids: List[int]  # in the order of the boxes in the label file / annotations
    processes: List[str]  # of the boxes
    partial_processes: List[str]  # of boxes below min_visible (also in the picture)

    @property
    def transform(self):
        from affine import Affine

        return Affine(self.a, self.b, self.c, self.d, self.e, self.f)

    def to_csv(self) -> Dict[str, str]:
        out = {}
        for fld in fields(self):
            v = getattr(self, fld.name)
            out[fld.name] = (";".join(map(str, v)) if isinstance(v, list)
                           else "" if v is None else repr(v) if isinstance(v, float) else str(v))
        return out

    @classmethod
    def from_csv(cls, row: Mapping[str, str]) -> "ManifestRow":
        def ints(text):
            return [int(v) for v in text.split(";") if v]

        def strs(text):
            return [v for v in text.split(";") if v]

        return cls(name=row["name"], split=row["split"], image=row["image"],
                   interferogram=row["interferogram"], stem=row["stem"], ifg=row["ifg"],
                   bt=int(row["bt"]) if row["bt"] else None, traj=row["traj"],
                   col_off=int(row["col_off"]), row_off=int(row["row_off"]),
                   width=int(row["width"]), height=int(row["height"]),
                   **{k: float(row[k]) for k in "abcdef"}, crs=row["crs"],
                   n_boxes=int(row["n_boxes"]), n_dropped=int(row["n_dropped"]),
                   label_ids=ints(row["label_ids"]), processes=strs(row["processes"]),
                   partial_processes=strs(row["partial_processes"]))


MANIFEST_FIELDS = [f.name for f in fields(ManifestRow)]


def read_manifest(path: PathLike) -> List[ManifestRow]:
    """The rows of a manifest.csv (or of the export folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST
    with open(path, newline="", encoding="utf-8") as fh:
        return [ManifestRow.from_csv(r) for r in csv.DictReader(fh)]


def chip_to_map(row: Union[ManifestRow, Mapping[str, str]], x0: float, y0: float, x1: float,
                y1: float) -> Tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in the manifest's CRS of a box in chip pixels (x right, y
    down): a prediction on a chip back on the map."""
    if not isinstance(row, ManifestRow):
        row = ManifestRow.from_csv(row)
    t = row.transform
    xs, ys = zip(*(t * (x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))))
    return (min(xs), min(ys), max(xs), max(ys))


# ---------------------------------------------------------------- grid and boxes

def grid_offsets(size: int, chip: int, stride: int) -> List[int]:
    """Chip offsets along one axis: every ``stride`` pixels, the last chip ending at the edge
    (so no pixel is lost and no chip is padded unless the raster is smaller than a chip)."""
    if size <= chip:
        return [0]
    offsets = list(range(0, size - chip + 1, stride))
    if offsets[-1] + chip < size:
        offsets.append(size - chip)
    return offsets


@dataclass
class _Box:
    label: int  # index into the label table
    cls: int  # 0..9, CLASS_CODES order
    x0: float  # chip pixels, clipped to the chip
    y0: float
    x1: float
    y1: float


@dataclass
class _Chip:
    item: int  # index into the workspace's interferograms
    row_off: int
    col_off: int
    boxes: List[_Box] = field(default_factory=list)
    fragments: List[int] = field(default_factory=list)  # labels below min_visible
    split: str = ""

    @property
    def name_suffix(self) -> str:
        return f"_r{self.row_off}_c{self.col_off}"


def _pixel_boxes(bounds: np.ndarray, transform) -> np.ndarray:
    """(n, 4) col0, row0, col1, row1 in the raster's pixels (envelope of the corners)."""
    inv = ~transform
    corners = [inv * (bounds[:, i], bounds[:, j]) for i, j in ((0, 1), (2, 1), (0, 3), (2, 3))]
    cols = np.stack([np.asarray(c[0], float) for c in corners])
    rows = np.stack([np.asarray(c[1], float) for c in corners])
    return np.column_stack([cols.min(0), rows.min(0), cols.max(0), rows.max(0)])


def _plan_interferogram(k: int, item, label_idx: Sequence[int], table, config: ExportConfig,
                        problems: List[str]) -> Tuple[dict, int]:
    """Every grid chip of one interferogram with its boxes: ({(row, col): _Chip}, dropped)."""
    import rasterio
    from rasterio.crs import CRS
    from rasterio.warp import transform_bounds

    with rasterio.open(str(item.path)) as src:
        width, height, transform, crs = src.width, src.height, src.transform, src.crs
    if transform.b or transform.d:
        problems.append(f"{item.path.name}: rotated grid; boxes are the envelopes of their "
                        "corners in pixels")
    chip, stride = int(config.chip), config.stride
    rows, cols = grid_offsets(height, chip, stride), grid_offsets(width, chip, stride)
    chips = {(r, c): _Chip(k, r, c) for r in rows for c in cols}
    if not label_idx:
        return chips, 0
    bounds = table.bounds[list(label_idx)].astype(float)
    if table.crs and crs and CRS.from_user_input(table.crs) != crs:
        bounds = np.array([transform_bounds(table.crs, crs, *b, densify_pts=21)
                           for b in bounds], float)
    px = _pixel_boxes(bounds, transform)
    row_arr, col_arr = np.array(rows), np.array(cols)
    dropped = 0
    for n, li in enumerate(label_idx):
        c0, r0, c1, r1 = px[n]
        full = (c1 - c0) * (r1 - r0)
        code = table.cls[li]
        if full <= 0 or code not in CLASS_CODES:
            why = "has no area" if full <= 0 else f"class {code!r} is not one of AR..FS"
            problems.append(f"{table.stem[li]}: label {int(table.id[li])} {why}; skipped")
            continue
        touched = False
        for r in row_arr[(row_arr < r1) & (row_arr + chip > r0)]:
            for c in col_arr[(col_arr < c1) & (col_arr + chip > c0)]:
                x0, x1 = max(c0 - c, 0.0), min(c1 - c, float(chip))
                y0, y1 = max(r0 - r, 0.0), min(r1 - r, float(chip))
                if x1 <= x0 or y1 <= y0:
                    continue
                touched = True
                target = chips[(int(r), int(c))]
                if (x1 - x0) * (y1 - y0) >= config.min_visible * full * (1 - 1e-9):
                    target.boxes.append(_Box(li, CLASS_CODES.index(code), x0, y0, x1, y1))
                else:
                    target.fragments.append(li)
                    dropped += 1
        if not touched:
            problems.append(f"{table.stem[li]}: label {int(table.id[li])} lies outside "
                            f"{item.path.name}; skipped")
    return chips, dropped


# ---------------------------------------------------------------- splits

class _UnionFind:
    def __init__(self):
        self.parent: Dict[str, str] = {}

    def find(self, a: str) -> str:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def split_groups(groups: Sequence[Tuple[str, str, int]], fractions: Sequence[float],
                 seed: int = 0) -> Dict[str, str]:
    """Split of each group (key, majority class, number of boxes). Per class, groups taken
    largest first (equal sizes in an order shuffled with ``seed``) each go where the class's
    box counts end up closest to the shares (least squared deviation; ties to train, then
    val): big groups settle train, small ones then fill val and test. Whole groups only, so
    the shares are met as closely as the group sizes allow; a class seen in one group stays
    in train."""
    rng = np.random.default_rng(seed)
    rank = {c: i for i, c in enumerate(CLASS_CODES)}
    by_class: Dict[str, List[Tuple[str, int]]] = defaultdict(list)
    for key, cls, size in groups:
        by_class[cls].append((key, size))
    out: Dict[str, str] = {}
    usable = [i for i, f in enumerate(fractions) if f > 0]
    for cls in sorted(by_class, key=lambda c: (rank.get(c, len(rank)), c)):
        members = sorted(by_class[cls])
        total = sum(size for _, size in members)
        target = np.asarray(fractions, float) * total
        filled = np.zeros(len(SPLITS))
        shuffled = [members[i] for i in rng.permutation(len(members))]
        for key, size in sorted(shuffled, key=lambda m: -m[1]):  # stable: shuffle breaks ties

            def cost(j: int) -> float:
                trial = filled.copy()
                trial[j] += size
                return float(((trial - target) ** 2).sum())

            s = min(usable, key=lambda j: (cost(j), j))
            filled[s] += size
            out[key] = SPLITS[s]
    return out


def _assign_splits(chips: List[_Chip], pids: Sequence[str], config: ExportConfig) -> int:
    """Split of every positive chip, through the groups of processes sharing chips; returns
    the number of groups (few groups: the shares cannot be met, whatever the seed)."""
    uf = _UnionFind()
    for chip in chips:
        members = [pids[b.label] for b in chip.boxes] + [pids[li] for li in chip.fragments]
        for p in members:
            uf.find(p)
        for p in members[1:]:
            uf.union(members[0], p)
    box_classes: Dict[str, Counter] = defaultdict(Counter)
    for chip in chips:
        root = uf.find(pids[chip.boxes[0].label])
        for b in chip.boxes:
            box_classes[root][CLASS_CODES[b.cls]] += 1
    rank = {c: i for i, c in enumerate(CLASS_CODES)}
    groups = [(root, min(counts, key=lambda c: (-counts[c], rank[c])), sum(counts.values()))
              for root, counts in box_classes.items()]
    assigned = split_groups(groups, config.split, config.seed)
    for chip in chips:
        chip.split = assigned[uf.find(pids[chip.boxes[0].label])]
    return len(groups)


def _pick_negatives(candidates: List[_Chip], config: ExportConfig) -> List[_Chip]:
    """Kept at ``negative_rate``, each to a split drawn with the split shares (own stream of
    the seed, so the positives' split does not change with the negative rate)."""
    rng = np.random.default_rng([int(config.seed), 1])
    keep = rng.random(len(candidates)) < config.negative_rate
    which = rng.choice(len(SPLITS), size=len(candidates), p=np.asarray(config.split, float)
                       / float(sum(config.split)))
    out = []
    for chip, k, s in zip(candidates, keep, which):
        if k:
            chip.split = SPLITS[int(s)]
            out.append(chip)
    return out


# ---------------------------------------------------------------- pixels

def to_u8(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Linear lo..hi -> 0..255, clipped; NaN -> 0."""
    scaled = (np.asarray(values, np.float32) - np.float32(lo)) * np.float32(255.0 / (hi - lo))
    out = np.rint(np.clip(scaled, 0, 255))
    out[~np.isfinite(out)] = 0
    return out.astype(np.uint8)


@dataclass
class _Layer:
    """A raster read onto the chip grid of one interferogram, as physical values."""

    src: object  # open rasterio dataset
    encoding: object = None  # ValueEncoding, None for terrain
    same_grid: bool = False  # same CRS and transform as the interferogram: window reads


def _read_window(src, window, shape: Tuple[int, int], encoding=None) -> np.ndarray:
    """Physical values of a window (float32, NaN = nodata), padded beyond the raster."""
    inside = (window.col_off >= 0 and window.row_off >= 0
              and window.col_off + window.width <= src.width
              and window.row_off + window.height <= src.height)
    data = src.read(1, window=window, masked=True, boundless=not inside)
    fill = (encoding.nodata if encoding is not None and encoding.nodata is not None
            else src.nodata if src.nodata is not None else 0)
    raw = data.filled(fill)
    if encoding is not None and not encoding.is_native:
        values = encoding.to_physical(raw)
    else:
        values = raw.astype(np.float32)
        if src.nodata is not None and not math.isnan(src.nodata):
            values[raw == src.nodata] = np.nan
    values[np.ma.getmaskarray(data)] = np.nan
    values[~np.isfinite(values)] = np.nan
    return values.reshape(shape)


def _read_layer(layer: _Layer, window, transform, crs, shape) -> np.ndarray:
    if layer.same_grid:
        return _read_window(layer.src, window, shape, layer.encoding)
    import rasterio
    from rasterio.warp import Resampling, reproject

    out = np.full(shape, np.nan, np.float32)
    nodata = layer.src.nodata
    if layer.encoding is not None and layer.encoding.nodata is not None:
        nodata = layer.encoding.nodata
    reproject(rasterio.band(layer.src, 1), out, src_nodata=nodata,
              dst_transform=transform, dst_crs=crs, dst_nodata=np.nan,
              resampling=Resampling.bilinear)
    if layer.encoding is not None and not layer.encoding.is_native:
        finite = np.isfinite(out)
        out[finite] = layer.encoding.to_physical(out[finite])
    return out


def _same_grid(src, ref) -> bool:
    return src.crs == ref.crs and tuple(src.transform) == tuple(ref.transform)


def terrain_range(path: PathLike, name: str) -> Tuple[float, float]:
    """The fixed range of a known layer, else its 2nd-98th percentile (decimated read)."""
    if name in TERRAIN_RANGES:
        return TERRAIN_RANGES[name]
    import rasterio

    with rasterio.open(str(path)) as src:
        step = max(1, math.ceil(max(src.width, src.height) / 1024))
        data = src.read(1, out_shape=(max(1, src.height // step), max(1, src.width // step)),
                        masked=True)
    values = np.ma.masked_invalid(data.astype("float64")).compressed()
    if values.size == 0:
        return (0.0, 1.0)
    lo, hi = (float(v) for v in np.percentile(values, [2, 98]))
    return (lo, hi if hi > lo else lo + 1.0)


def chip_channels(recipe: str, phase: np.ndarray, coherence: np.ndarray,
                  terrain: Optional[np.ndarray] = None,
                  terrain_lohi: Tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """(h, w, 3) uint8 of one chip from physical values (NaN = nodata -> 0)."""
    if recipe == "cos_sin_coh":
        bands = [to_u8(np.cos(phase), -1, 1), to_u8(np.sin(phase), -1, 1),
                 to_u8(coherence, 0, 1)]
    else:
        bands = [to_u8(phase, -math.pi, math.pi), to_u8(coherence, 0, 1),
                 to_u8(terrain, *terrain_lohi)]
    return np.dstack(bands)


def _write_image(path: Path, rgb: np.ndarray, image_format: str, transform, crs,
                 recipe: str) -> None:
    if image_format == "png":
        from PIL import Image

        Image.fromarray(rgb).save(str(path), compress_level=PNG_COMPRESS_LEVEL)
        return
    import rasterio

    names = (("cos phase", "sin phase", "coherence") if recipe == "cos_sin_coh"
             else ("phase", "coherence", "terrain"))
    with rasterio.open(str(path), "w", driver="GTiff", width=rgb.shape[1],
                       height=rgb.shape[0], count=3, dtype="uint8", crs=crs,
                       transform=transform, compress="deflate", photometric="RGB") as dst:
        dst.write(np.moveaxis(rgb, -1, 0))
        for i, n in enumerate(names, start=1):
            dst.set_band_description(i, n)


# ---------------------------------------------------------------- output folder

def _overlaps(facts, ref) -> bool:
    """Whether a raster covers any of ``ref``'s ground (compared in ``ref``'s CRS)."""
    from rasterio.warp import transform_bounds

    try:
        b = (transform_bounds(facts.crs_wkt, ref.crs_wkt, *facts.bounds, densify_pts=21)
             if facts.crs_wkt and ref.crs_wkt else facts.bounds)
    except Exception:  # noqa: BLE001 - a CRS PROJ cannot convert: no overlap to trust
        return False
    r = ref.bounds
    return b[0] < r[2] and b[2] > r[0] and b[1] < r[3] and b[3] > r[1]


GENERATED = ("images", "labels", "annotations", MANIFEST, "dataset.yaml", MARKER)


def _check_target(out: Path) -> None:
    """An absent or empty folder, or a previous export (marker file) whose outputs are
    replaced; any other non-empty folder is refused rather than mixed with."""
    if out.exists() and not out.is_dir():
        raise OutputError.at(out, "exists and is a file, not a folder")
    kept = [p for p in out.iterdir() if not p.name.startswith(".mirage-export-old-")] \
        if out.is_dir() else []
    if kept and not (out / MARKER).exists():
        raise OutputError.at(out, "folder not empty and not a previous export",
                             "choose an empty folder")


def _prepare(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by MIRAGE Labeller's training export; the folder's "
                              "images/, labels/, annotations/ are replaced on the next export\n",
                              encoding="utf-8")


def _swap_in(written: Path, out: Path) -> None:
    """The new export takes the place of the previous one in ``out``: only what an export
    writes (images/, labels/, annotations/, the manifest, dataset.yaml, the marker) is moved
    aside and replaced - anything else the user keeps there (a model's runs/) stays. A
    failure on the way puts the old entries back; a kill leaves them in a hidden
    ``.mirage-export-old-*`` folder that the next export removes."""
    if not out.exists():
        os.replace(written, out)
        return
    for stale in out.glob(".mirage-export-old-*"):  # a killed swap's leftovers
        shutil.rmtree(stale, ignore_errors=True)
    old = out / f".mirage-export-old-{uuid.uuid4().hex[:8]}"
    old.mkdir()
    moved_aside, moved_in = [], []
    try:
        for name in GENERATED:
            if (out / name).exists() or (out / name).is_symlink():
                os.replace(out / name, old / name)
                moved_aside.append(name)
        for item in sorted(written.iterdir()):
            os.replace(item, out / item.name)
            moved_in.append(item.name)
    except OSError:
        for name in moved_in:
            with contextlib.suppress(OSError):
                os.replace(out / name, written / name)
        for name in moved_aside:
            with contextlib.suppress(OSError):
                os.replace(old / name, out / name)
        raise
    shutil.rmtree(old, ignore_errors=True)
    with contextlib.suppress(OSError):
        written.rmdir()


def write_dataset_yaml(out: Path) -> Path:
    """YOLO's dataset.yaml (by hand: no YAML library in QGIS's Python)."""
    # no ``path:``: the folder of this file is the dataset's root, so a copied or moved export
    # trains on its own images (ultralytics resolves a missing path to the YAML's folder)
    lines = ["# MIRAGE Labeller training export (YOLO)",
             "train: images/train", "val: images/val", "test: images/test",
             f"nc: {len(CLASS_CODES)}", "names:"]
    lines += [f"  {i}: {code}" for i, code in enumerate(CLASS_CODES)]
    path = out / "dataset.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def yolo_line(box: _Box, size: int) -> str:
    return (f"{box.cls} {(box.x0 + box.x1) / 2 / size:.6f} {(box.y0 + box.y1) / 2 / size:.6f} "
            f"{(box.x1 - box.x0) / size:.6f} {(box.y1 - box.y0) / size:.6f}")


def _crs_text(crs) -> str:
    if crs is None:
        return ""
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


# ---------------------------------------------------------------- export

def export_training_set(label_dir: PathLike, ifg_dir: PathLike, out_dir: PathLike,
                        config: Optional[ExportConfig] = None, progress: ProgressLike = None,
                        is_cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    """Chips, boxes, splits and manifest of every interferogram of the workspace ``ifg_dir``
    with the labels of ``label_dir`` (matched by label stem) into ``out_dir``: written
    beside it and swapped in at the end, so an export is complete or absent (a previous one
    stays until the new one is whole); nothing to write is an InputError, not an empty
    folder."""
    from ..interferograms.workspace import open_workspace

    config = config or ExportConfig()
    config.validate()
    report = progress or (lambda f, m: None)
    out = Path(out_dir)
    _check_target(out)
    ws = open_workspace(ifg_dir)
    if not ws.interferograms:
        raise ValueError(f"{ifg_dir}: no interferogram found")
    terrain_path = None
    if config.recipe == "phase_coh_terrain":
        layers = dict(ws.terrain_layers)
        if ws.dem is not None:
            layers.setdefault("dem", ws.dem)
        terrain_path = layers.get(config.terrain_layer)
        if terrain_path is None:
            found = ", ".join(sorted(layers)) or "none"
            raise ValueError(f"terrain layer {config.terrain_layer!r} not found in the "
                             f"workspace's dem/ folder (found: {found}); derive it first")
    table = read_label_dir(label_dir, lambda f, m: report(0.1 * f, m), is_cancelled,
                           strict=True)
    problems = list(ws.skipped) + list(table.warnings)
    processes = group_labels(table, config.min_overlap, config.max_area_ratio)
    pids = [""] * len(table)
    for p in processes:
        for k in p.members:
            pids[int(k)] = p.pid
    by_stem: Dict[str, List[int]] = defaultdict(list)
    for k, stem in enumerate(table.stem):
        by_stem[stem].append(k)
    known = {item.label_stem for item in ws.interferograms}
    for stem in sorted(set(by_stem) - known):
        problems.append(f"{stem}: {len(by_stem[stem])} label(s) without an interferogram in "
                        f"{ifg_dir}; skipped")

    # plan: boxes of every grid chip (headers only, no pixels)
    positives: List[_Chip] = []
    candidates: List[_Chip] = []
    dropped = partial = 0
    usable: Dict[int, Tuple[object, object]] = {}
    n_items = len(ws.interferograms)
    for k, item in enumerate(ws.interferograms):
        if is_cancelled():
            raise Cancelled()
        report(0.1 + 0.1 * k / n_items, f"planning {item.path.name}")
        try:
            phase_facts = read_raster_facts(str(item.path), 256)
            phase_enc = detect_phase_encoding(phase_facts)
            coh_facts = (read_raster_facts(str(item.coherence), 256)
                         if item.coherence is not None else None)
            coh_enc = detect_coherence_encoding(coh_facts) if coh_facts else None
        except Exception as exc:  # noqa: BLE001 - one unreadable file is a problem, not a stop
            problems.append(f"{item.path.name}: {exc}; skipped")
            continue
        problems += list(phase_enc.messages) + (list(coh_enc.messages) if coh_enc else [])
        off_grid = grid_mismatch(coh_facts, phase_facts) if coh_facts else None
        why = (list(phase_enc.problems) if phase_enc.problems
               else ["no coherence map with the same dates"] if coh_enc is None
               else list(coh_enc.problems) or ([off_grid] if off_grid and
                                               not _overlaps(coh_facts, phase_facts) else []))
        if off_grid and not why:
            problems.append(Msg("{problem}; resampled onto the interferogram's grid",
                                problem=off_grid))
        if why:
            problems.append(f"{item.path.name}: {why[0]}; skipped")
            continue
        usable[k] = (phase_enc, coh_enc)
        chips, n_dropped = _plan_interferogram(k, item, by_stem.get(item.label_stem, []),
                                               table, config, problems)
        dropped += n_dropped
        for key in sorted(chips):
            chip = chips[key]
            if chip.boxes:
                positives.append(chip)
            elif chip.fragments:
                partial += 1
            else:
                candidates.append(chip)
    n_groups = _assign_splits(positives, pids, config)
    negatives = _pick_negatives(candidates, config)
    chosen = sorted(positives + negatives, key=lambda c: (c.item, c.row_off, c.col_off))
    if not positives:
        raise InputError.at(label_dir, "nothing to export: no chip holds a label box" + (
            f" ({'; '.join(str(p) for p in problems[:3])})" if problems else ""),
            "check that the labels belong to these interferograms")

    # write beside, then swap in: one interferogram (and its coherence) open at a time
    files = OutputFiles()
    tmp = files.temp(out, folder=True)
    try:
        paths, writer = _write_chips(tmp, ws, chosen, usable, config, table, pids, terrain_path,
                                     report, is_cancelled)
        _swap_in(tmp, out)
    except Cancelled:  # nothing written, nothing said
        files.discard()
        raise
    except OSError as exc:
        files.discard()
        raise from_os_error(exc, out, "writing the export", OutputError) from None
    except BaseException:
        files.discard()
        raise
    paths = {k: out / Path(v).relative_to(tmp) for k, v in paths.items()}
    report(1.0, f"{len(writer.rows)} chips written")
    return _result(out, paths, writer, chosen, (dropped, partial, n_groups), len(table), config,
                   problems)


def _write_chips(out: Path, ws, chosen, usable, config, table, pids, terrain_path, report,
                 is_cancelled):
    import rasterio

    _prepare(out)
    writer = _Writer(out, config, table, pids)
    terrain_lohi = (terrain_range(terrain_path, config.terrain_layer) if terrain_path
                    else (0.0, 1.0))
    by_item: Dict[int, List[_Chip]] = defaultdict(list)
    for chip in chosen:
        by_item[chip.item].append(chip)
    terrain_src = rasterio.open(str(terrain_path)) if terrain_path else None
    try:
        for n, k in enumerate(sorted(by_item)):
            if is_cancelled():
                raise Cancelled()
            item = ws.interferograms[k]
            report(0.2 + 0.8 * n / len(by_item), f"cutting {item.path.name}")
            phase_enc, coh_enc = usable[k]
            with rasterio.open(str(item.path)) as src, \
                    rasterio.open(str(item.coherence)) as coh_src:
                coh = _Layer(coh_src, coh_enc, _same_grid(coh_src, src))
                terrain = (_Layer(terrain_src, None, _same_grid(terrain_src, src))
                           if terrain_src is not None else None)
                for chip in by_item[k]:
                    writer.chip(item, src, phase_enc, coh, terrain, terrain_lohi, chip)
    finally:
        if terrain_src is not None:
            terrain_src.close()
    return writer.finish(), writer


class _Writer:
    """Images, label files or COCO records, and manifest rows, chip by chip."""

    def __init__(self, out: Path, config: ExportConfig, table, pids: Sequence[str]):
        self.out, self.config, self.table, self.pids = out, config, table, pids
        self.size = int(config.chip)
        self.rows: List[ManifestRow] = []
        self.coco = {s: {"images": [], "annotations": []} for s in SPLITS}
        self.blank = 0
        for s in SPLITS:
            (out / "images" / s).mkdir(parents=True, exist_ok=True)
            if config.fmt == "yolo":
                (out / "labels" / s).mkdir(parents=True, exist_ok=True)

    def chip(self, item, src, phase_enc, coh: _Layer, terrain: Optional[_Layer],
             terrain_lohi, chip: _Chip) -> None:
        from rasterio.windows import Window
        from rasterio.windows import transform as window_transform

        size, config = self.size, self.config
        window = Window(chip.col_off, chip.row_off, size, size)
        t = window_transform(window, src.transform)
        phase = _read_window(src, window, (size, size), phase_enc)
        if not chip.boxes and not np.isfinite(phase).any():
            self.blank += 1  # a negative wholly outside the frame teaches nothing
            return
        coherence = _read_layer(coh, window, t, src.crs, (size, size))
        dem = (_read_layer(terrain, window, t, src.crs, (size, size)) if terrain is not None
               else None)
        rgb = chip_channels(config.recipe, phase, coherence, dem, terrain_lohi)
        name = item.label_stem + chip.name_suffix
        image = Path("images") / chip.split / f"{name}.{config.image_format}"
        _write_image(self.out / image, rgb, config.image_format, t, src.crs, config.recipe)
        if config.fmt == "yolo":
            (self.out / "labels" / chip.split / f"{name}.txt").write_text(
                "".join(yolo_line(b, size) + "\n" for b in chip.boxes), encoding="utf-8")
        else:
            self._coco(chip, image.name)
        meta = item.meta
        self.rows.append(ManifestRow(
            name=name, split=chip.split, image=image.as_posix(), interferogram=item.path.name,
            stem=item.label_stem, ifg=meta.ifg or "", bt=meta.bt, traj=meta.traj or "",
            col_off=chip.col_off, row_off=chip.row_off, width=size, height=size,
            a=t.a, b=t.b, c=t.c, d=t.d, e=t.e, f=t.f, crs=_crs_text(src.crs),
            n_boxes=len(chip.boxes), n_dropped=len(chip.fragments),
            label_ids=[int(self.table.id[b.label]) for b in chip.boxes],
            processes=[self.pids[b.label] for b in chip.boxes],
            partial_processes=[self.pids[li] for li in chip.fragments]))

    def _coco(self, chip: _Chip, file_name: str) -> None:
        """Image and annotation ids run over the whole export (unique across splits)."""
        part = self.coco[chip.split]
        image_id = len(self.rows) + 1
        part["images"].append({"id": image_id, "file_name": file_name, "width": self.size,
                               "height": self.size})
        n = sum(len(p["annotations"]) for p in self.coco.values())
        for k, b in enumerate(chip.boxes, start=n + 1):
            w, h = b.x1 - b.x0, b.y1 - b.y0
            part["annotations"].append({
                "id": k, "image_id": image_id, "category_id": b.cls + 1,
                "bbox": [round(b.x0, 4), round(b.y0, 4), round(w, 4), round(h, 4)],
                "area": round(w * h, 4), "iscrowd": 0})

    def finish(self) -> Dict[str, Path]:
        """Manifest, then dataset.yaml (YOLO) or the per-split annotation files (COCO)."""
        paths = {"manifest": self.out / MANIFEST}
        with open(paths["manifest"], "w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS)
            out.writeheader()
            out.writerows(r.to_csv() for r in self.rows)
        if self.config.fmt == "yolo":
            paths["dataset_yaml"] = write_dataset_yaml(self.out)
            return paths
        (self.out / "annotations").mkdir(exist_ok=True)
        categories = [{"id": i + 1, "name": code,
                       "supercategory": "artefact" if code == "AR" else "mass movement"}
                      for i, code in enumerate(CLASS_CODES)]
        for s in SPLITS:
            paths[s] = self.out / "annotations" / f"instances_{s}.json"
            paths[s].write_text(json.dumps({
                "info": {"description": "MIRAGE Labeller training export", "version": "1"},
                "licenses": [], "images": self.coco[s]["images"],
                "annotations": self.coco[s]["annotations"], "categories": categories}),
                encoding="utf-8")
        return paths


def _result(out: Path, paths: Dict[str, Path], writer: _Writer, chosen: List[_Chip],
            planned: Tuple[int, int, int], n_labels: int, config: ExportConfig,
            problems: List[str]) -> ExportResult:
    rows = writer.rows
    dropped, partial, n_groups = planned
    per_split = {s: {"chips": 0, "boxes": 0, "negatives": 0, "processes": 0} for s in SPLITS}
    class_counts: Dict[str, Dict[str, int]] = {s: {} for s in SPLITS}
    split_pids: Dict[str, set] = {s: set() for s in SPLITS}
    for r in rows:
        c = per_split[r.split]
        c["chips"] += 1
        c["boxes"] += r.n_boxes
        c["negatives"] += r.n_boxes == 0
        split_pids[r.split].update(r.processes)
    for chip in chosen:
        counts = class_counts[chip.split]
        for b in chip.boxes:
            counts[CLASS_CODES[b.cls]] = counts.get(CLASS_CODES[b.cls], 0) + 1
    for s, share in zip(SPLITS, config.split):
        per_split[s]["processes"] = len(split_pids[s])
        if share > 0 and per_split[s]["boxes"] == 0:
            problems.append(f"split {s} has no box: {n_groups} group(s) of processes sharing "
                            "chips, too few for the shares asked (smaller chips help)")
    return ExportResult(
        out_dir=out, manifest=paths["manifest"], dataset_yaml=paths.get("dataset_yaml"),
        annotations={s: paths[s] for s in SPLITS if s in paths},
        chips=len(rows), boxes=sum(r.n_boxes for r in rows),
        negatives=sum(r.n_boxes == 0 for r in rows), dropped_boxes=dropped,
        partial_chips=partial, blank_chips=writer.blank, labels=n_labels,
        labels_exported=len({(r.stem, i) for r in rows for i in r.label_ids}),
        processes=len(set().union(*split_pids.values())), groups=n_groups, per_split=per_split,
        class_counts=class_counts, problems=problems)
