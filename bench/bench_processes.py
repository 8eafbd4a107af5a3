"""Benchmark of grouping labels into processes (core.recurrence) from 5 000 to 50 000 labels.

Run: make bench-processes (or /usr/bin/python3 bench/bench_processes.py). Prints figures;
asserts nothing. Label sets are real shapefiles written by the label store, one per
interferogram, 100 labels each; boxes of one process differ by up to 10 % per edge.

Two ways to grow the dataset:
- "constant density": the paper's ratio (4910 labels / 783 processes, ~6.3 detections per
  movement) over a region that grows with the data, so each movement is seen in ~6 of the
  interferograms whatever their number;
- "one region": 800 movements in a fixed region seen in ever more interferograms (50 000
  labels = 62 detections per movement), where the number of overlapping pairs grows with the
  square of the detections per movement: the hard case for any all-pairs overlap rule.
Reading the files is timed apart from grouping (connected components) and writing the
GeoPackage; the reference is fiona reading the same shapefiles with no validation at all.
"""
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import fiona
import numpy as np

from mirage_labeller.core.dataset.processes import (
    candidate_pairs,
    group,
    group_labels,
    read_label_dir,
    write_processes,
)
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore

PER_IFG = 100
PAPER_RATIO = 4910 / 783


def make_dataset(folder: Path, n_labels: int, n_processes: int, side_m: float, seed: int = 0):
    """n_labels / 100 interferograms, each showing 100 distinct movements (jittered boxes)."""
    rng = np.random.default_rng(seed)
    n_ifg = n_labels // PER_IFG
    # movements on a grid with gaps, so two movements never overlap: the truth is known
    per_row = int(np.ceil(np.sqrt(n_processes)))
    pitch = side_m / per_row
    size = rng.uniform(0.25, 0.6, n_processes) * pitch
    cx = (np.arange(n_processes) % per_row + 0.5) * pitch + 600000
    cy = (np.arange(n_processes) // per_row + 0.5) * pitch + 5_000_000
    store = LabelStore(folder)
    classes = np.array(["RG", "DG", "RS", "TA", "PR", "DS"])
    kind = rng.integers(0, classes.size, n_processes)
    for k in range(n_ifg):
        shown = rng.choice(n_processes, size=min(PER_IFG, n_processes), replace=False)
        m = 1 + k % 12
        ifg = f"2019{m:02d}01_2019{m:02d}13"
        labels = []
        for p in shown:
            j = rng.uniform(-0.1, 0.1, 4) * size[p]
            h = size[p] / 2
            labels.append(Label(cx[p] - h + j[0], cy[p] - h + j[1], cx[p] + h + j[2],
                                cy[p] + h + j[3], cls=str(classes[kind[p]]), sign_qual=1,
                                class_unc=1, ifg=ifg, bt=12, traj="AD"[k % 2]))
        store.write(f"ifg_{k:04d}_{ifg}", labels)
    return n_ifg


def fiona_read(folder: Path) -> float:
    t0 = time.perf_counter()
    n = 0
    for shp in sorted(folder.glob("*.shp")):
        with fiona.open(str(shp)) as src:
            n += sum(1 for _ in src)
    return time.perf_counter() - t0


def run(label: str, n_labels: int, n_processes: int, side_m: float):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "labels"
        n_ifg = make_dataset(folder, n_labels, n_processes, side_m)
        ref = fiona_read(folder)
        t0 = time.perf_counter()
        table = read_label_dir(folder)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        i, _ = candidate_pairs(table.bounds)
        t_pairs = time.perf_counter() - t0
        t0 = time.perf_counter()
        components = group(table)
        t_group = time.perf_counter() - t0
        t0 = time.perf_counter()
        processes = group_labels(table)
        t_all = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_processes(table, processes, Path(tmp) / "p.gpkg")
        t_write = time.perf_counter() - t0
        found = len(set(components.tolist()))
        print(f"{label:<17} {len(table):>6} labels {n_ifg:>4} ifgs {n_processes:>5} movements "
              f"-> {found:>5} processes | {i.size:>9} pairs | read {t_read:5.2f} s "
              f"(fiona alone {ref:5.2f} s) | pairs {t_pairs:5.2f} s | components "
              f"{t_group:5.2f} s | processes {t_all:5.2f} s | GeoPackage {t_write:5.2f} s",
              flush=True)
        return t_read + t_all + t_write


def main():
    sizes = [int(v) for v in sys.argv[1:]] or [5000, 10000, 20000, 50000]
    print("constant density (paper's 6.3 detections per movement):")
    totals = {}
    for n in sizes:
        processes = int(round(n / PAPER_RATIO))
        totals[n] = run("constant density", n, processes, side_m=30000 * np.sqrt(n / 5000))
    first = sizes[0]
    for n in sizes[1:]:
        print(f"  {n // first:>3}x the labels -> {totals[n] / totals[first]:5.1f}x the time")
    print("one region (800 movements, ever more interferograms):")
    totals = {}
    for n in sizes:
        totals[n] = run("one region", n, 800, side_m=30000)
    for n in sizes[1:]:
        print(f"  {n // first:>3}x the labels -> {totals[n] / totals[first]:5.1f}x the time")


if __name__ == "__main__":
    main()
