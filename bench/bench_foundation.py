"""Benchmarks of the foundation: synthetic workspace build time and label-store save latency.

Run: make bench (or /usr/bin/python3 bench/bench_foundation.py). Prints figures; asserts nothing.
The GDAL reference is the time GDAL itself takes to write the same rasters (rasterio, same
creation options), so the generator's own cost is the difference.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace


def bench_synthetic(size=1000, n=6, repeats=3):
    times = []
    for seed in range(1, repeats + 1):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            build_workspace(SynthConfig(tmp, seed=seed, size=size, n_interferograms=n))
            times.append(time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as tmp:
        data = np.random.default_rng(0).uniform(-3, 3, (size, size)).astype("float32")
        t0 = time.perf_counter()
        for i in range(2 * n + 1):  # phase + coherence per interferogram, and the DEM
            write_geotiff(Path(tmp) / f"{i}.tif", data, from_origin(0, 0, 15, 15))
        gdal_write = time.perf_counter() - t0
    best = min(times)
    print(f"synthetic workspace {n} x {size}x{size}: best {best:.2f} s, median "
          f"{statistics.median(times):.2f} s over {repeats} seeds (goal < 10 s); GDAL writing "
          f"the same {2 * n + 1} rasters alone: {gdal_write:.2f} s ({best / gdal_write:.1f}x)")


def bench_label_store(n_labels=(1, 50, 500), repeats=20):
    with tempfile.TemporaryDirectory() as tmp:
        store = LabelStore(tmp)
        for n in n_labels:
            labels = [Label(600000.0 + 30 * k, 5100000.0, 600150.0 + 30 * k, 5100300.0, "RG", 1, 1,
                            "20190805_20190817", 12, "A") for k in range(n)]
            store.write("warmup", labels)
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                store.write("s", labels)
                times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for _ in range(repeats):
                store.read("s")
            read = (time.perf_counter() - t0) / repeats
            save = statistics.median(times)
            print(f"label store, {n:4d} labels: save median {1000 * save:.1f} ms"
                  f" (validate, write, read back, fsync, journal, rename);"
                  f" read {1000 * read:.1f} ms")


if __name__ == "__main__":
    bench_synthetic()
    bench_label_store()
