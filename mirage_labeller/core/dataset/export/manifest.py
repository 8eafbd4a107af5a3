"""The export's manifest: one row a chip (``ManifestRow``: its interferogram, window and affine
transform), written and read as ``manifest.csv``, and ``chip_to_map``, which brings a
prediction on a chip back to the map.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

from .config import PathLike

MANIFEST = "manifest.csv"


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


def write_manifest(path: Path, rows: Sequence[ManifestRow]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS)
        out.writeheader()
        out.writerows(r.to_csv() for r in rows)


def chip_to_map(row: Union[ManifestRow, Mapping[str, str]], x0: float, y0: float, x1: float,
                y1: float) -> Tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in the manifest's CRS of a box in chip pixels (x right, y
    down): a prediction on a chip back on the map."""
    if not isinstance(row, ManifestRow):
        row = ManifestRow.from_csv(row)
    t = row.transform
    xs, ys = zip(*(t * (x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))))
    return (min(xs), min(ys), max(xs), max(ys))
