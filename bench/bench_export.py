"""Benchmark of the training-set export (core.training_export): chips per second.

Run: /usr/bin/python3 bench/bench_export.py [size] [n_interferograms]   (default 2000 and 6)
Prints figures; asserts nothing. A synthetic Alpine workspace (15 m pixels, jittered boxes)
is built in a temporary folder and exported as YOLO with the defaults: 640 px chips, 20 %
overlap, (cos, sin, coherence) as 8-bit PNG, every chip without a box kept (negative rate 1)
so every grid chip is cut. The same export is timed again with negative rate 0.1 (the
default), then as COCO with GeoTIFF chips. The reference reads the same windows of phase and
coherence with rasterio and nothing else: what any exporter pays before scaling and
encoding.
"""
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import rasterio
from rasterio.windows import Window

from mirage_labeller.core.dataset.export import ExportConfig, export_training_set, read_manifest
from mirage_labeller.core.interferograms.workspace import open_workspace
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace


def read_windows(ws: Path, manifest) -> float:
    """Seconds to read every manifest window of phase and coherence, nothing more."""
    items = {it.label_stem: it for it in open_workspace(ws).interferograms}
    by_stem = {}
    for row in manifest:
        by_stem.setdefault(row.stem, []).append(row)
    start = time.perf_counter()
    for stem, rows in by_stem.items():
        with rasterio.open(items[stem].path) as phase, \
                rasterio.open(items[stem].coherence) as coherence:
            for row in rows:
                window = Window(row.col_off, row.row_off, row.width, row.height)
                phase.read(1, window=window)
                coherence.read(1, window=window)
    return time.perf_counter() - start


def timed(label: str, ws: Path, out: Path, config: ExportConfig):
    start = time.perf_counter()
    result = export_training_set(ws / "labels", ws, out, config)
    seconds = time.perf_counter() - start
    size_mb = sum(p.stat().st_size for p in (out / "images").rglob("*") if p.is_file()) / 1e6
    print(f"{label:44} {result.chips:5d} chips {seconds:7.2f} s {result.chips / seconds:8.1f} "
          f"chips/s   images {size_mb:6.1f} MB")
    return result, seconds


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    n_ifg = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    with tempfile.TemporaryDirectory(prefix="mirage-bench-export-") as tmp:
        ws = Path(tmp) / "ws"
        start = time.perf_counter()
        build_workspace(SynthConfig(str(ws), seed=7, size=size, n_interferograms=n_ifg,
                                    box_jitter=0.1))
        print(f"synthetic workspace {size} x {size} px, {n_ifg} interferograms: built in "
              f"{time.perf_counter() - start:.1f} s")
        result, seconds = timed("YOLO, PNG, cos/sin/coh, every chip", ws, Path(tmp) / "all",
                                ExportConfig(negative_rate=1.0))
        print(f"  {result.boxes} boxes from {result.labels_exported} of {result.labels} labels, "
              f"{result.processes} processes in {result.groups} groups; "
              + ", ".join(f"{s} {c['chips']}" for s, c in result.per_split.items()))
        manifest = read_manifest(result.manifest)
        reference = read_windows(ws, manifest)
        print(f"{'reference: rasterio reads of the same windows':44} {len(manifest):5d} chips "
              f"{reference:7.2f} s {len(manifest) / reference:8.1f} chips/s   "
              f"({reference / seconds:.0%} of the export's time)")
        timed("YOLO, PNG, cos/sin/coh, negative rate 0.1", ws, Path(tmp) / "default",
              ExportConfig())
        timed("COCO, GeoTIFF, cos/sin/coh, every chip", ws, Path(tmp) / "coco",
              ExportConfig(fmt="coco", image_format="tif", negative_rate=1.0))


if __name__ == "__main__":
    main()
