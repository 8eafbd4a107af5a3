"""What a training export is asked to do (``ExportConfig``, checked by ``validate``) and
what it did (``ExportResult``), with the names of its splits, recipes and formats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from ..processes import MAX_AREA_RATIO, MIN_OVERLAP

SPLITS = ("train", "val", "test")
RECIPES = ("cos_sin_coh", "phase_coh_terrain")
FORMATS = ("yolo", "coco")
IMAGE_FORMATS = ("png", "tif")
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
