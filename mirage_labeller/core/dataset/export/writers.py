"""What an export writes for each chip: the image (PNG, or a georeferenced GeoTIFF), the YOLO
label file or the COCO records, and its manifest row; then YOLO's dataset.yaml or COCO's
annotation file of each split (``_Writer``, chip by chip).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from ...base import crs as base_crs
from ...labels.classes import CLASS_CODES
from .config import SPLITS, ExportConfig
from .manifest import MANIFEST, ManifestRow, write_manifest
from .pixels import _Layer, _read_layer, _read_window, chip_channels
from .plan import _Box, _Chip

PNG_COMPRESS_LEVEL = 1  # noisy phase: 0 is 3x faster but 20 % larger, 6 gains 5 % for 30 %


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
            a=t.a, b=t.b, c=t.c, d=t.d, e=t.e, f=t.f, crs=base_crs.text(src.crs) or "",
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
        write_manifest(paths["manifest"], self.rows)
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
