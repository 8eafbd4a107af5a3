"""Morphometry vs gdaldem and screening vs gdalinfo -stats, on the same files, in one run.

- morphometry: our seven layers (hillshade, slope, aspect, profile and plan curvature, TRI,
  TWI) against gdaldem slope + aspect + hillshade + TRI written with the same creation options
  (tiled, DEFLATE level 1, float predictor, all CPUs); also gdaldem's plain default output.
- memory: each run is a child process; a sampler thread reads /proc/self/status and reports
  the peak anonymous memory (what the process itself holds) and the peak file-backed resident
  memory (pages of memory-mapped scratch grids that the OS may drop at will), on a small and a
  large DEM: flat memory means the anonymous peak does not grow with the raster.
- screening: screen_workspace on interferograms vs `gdalinfo -stats` on the same phase and
  coherence files (statistics not written back: GDAL_PAM_ENABLED=NO).

Run: make bench-terrain (sizes: BENCH_DEM=10000 BENCH_IFG=4000 by default; BENCH_RUNS=2
alternating runs of ours and gdaldem, the fastest of each counted). Prints figures.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = "/usr/bin/python3"
CO = ["-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", "-co", "ZLEVEL=1", "-co", "PREDICTOR=3",
      "-co", "NUM_THREADS=ALL_CPUS", "-co", "BIGTIFF=IF_SAFER"]

CHILD = r"""
import json, sys, threading, time
sys.path.insert(0, sys.argv[1])
peak = {"anon": 0, "file": 0}
def sample():
    while True:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("RssAnon:"):
                    peak["anon"] = max(peak["anon"], int(line.split()[1]))
                elif line.startswith("RssFile:"):
                    peak["file"] = max(peak["file"], int(line.split()[1]))
        time.sleep(0.05)
threading.Thread(target=sample, daemon=True).start()
from mirage_labeller.core.terrain.morphometry import derive_morphometry
layers = sys.argv[4].split(",")
t0 = time.perf_counter()
derive_morphometry(sys.argv[2], sys.argv[3], layers)
elapsed = time.perf_counter() - t0
time.sleep(0.1)
print(json.dumps({"seconds": elapsed, "anon_mb": peak["anon"] / 1024,
                  "file_mb": peak["file"] / 1024}))
"""


def make_dem(path: Path, size: int) -> None:
    import numpy as np
    from rasterio.transform import from_origin
    from scipy.ndimage import zoom

    from mirage_labeller.core.base.geotiff import write_geotiff
    from mirage_labeller.core.synthetic.generator.random_fields import power_law_field

    base = min(size, 2500)
    rng = np.random.default_rng(0)
    z = power_law_field((base, base), 4.0, rng, pixel=15.0 * size / base / 1000, outer_scale=30)
    z = z * 400 + 2000
    if base != size:
        z = zoom(z, size / base, order=1)
        z = z + power_law_field(z.shape, 3.0, rng, pixel=0.015, outer_scale=0.5) * 2
    write_geotiff(path, z.astype("float32"), from_origin(500000, 5200000, 15, 15))


def ours(dem: Path, out: Path, layers) -> dict:
    # first a tiny run so numba's compilation (cached afterwards) is not timed
    os.sync()  # the previous run's dirty pages are not flushed during this one
    result = subprocess.run([PY, "-c", CHILD, str(ROOT), str(dem), str(out), ",".join(layers)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def gdaldem_four(dem: Path, out: Path, options) -> float:
    os.sync()
    t0 = time.perf_counter()
    for alg in ("slope", "aspect", "hillshade", "TRI"):
        opts = list(options)
        if alg == "hillshade" and "PREDICTOR=3" in opts:  # a Byte output, as ours
            opts[opts.index("PREDICTOR=3")] = "PREDICTOR=2"
        subprocess.run(["gdaldem", alg, str(dem), str(out / f"gd_{alg}.tif"), "-q", *opts],
                       check=True)
    return time.perf_counter() - t0


def bench_morphometry(size: int) -> None:
    from mirage_labeller.core.terrain.morphometry import LAYERS, LOCAL

    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        tmp = Path(tmp)
        small = tmp / "small.tif"
        make_dem(small, 500)
        ours(small, tmp / "warm", LAYERS)  # numba compiles once, then caches
        for n in sorted({2000, size}):
            dem = tmp / f"dem{n}.tif"
            t0 = time.perf_counter()
            make_dem(dem, n)
            made = time.perf_counter() - t0
            local = ours(dem, tmp / f"local{n}", LOCAL)
            # ours and gdaldem alternate, the fastest of each counts: other load on the
            # machine only ever slows a run, and both see the same conditions
            pairs = [(ours(dem, tmp / f"all{n}", LAYERS), gdaldem_four(dem, tmp, CO))
                     for _ in range(int(os.environ.get("BENCH_RUNS", "2")))]
            every = min((p[0] for p in pairs), key=lambda r: r["seconds"])
            gd_same = min(p[1] for p in pairs)
            print(f"DEM {n}x{n}: all 7 layers / gdaldem's four, run by run: "
                  + ", ".join(f"{a['seconds']:.1f}/{g:.1f} s" for a, g in pairs))
            gd_plain = gdaldem_four(dem, tmp, [])
            print(f"DEM {n}x{n} (made in {made:.0f} s):")
            print(f"  gdaldem slope+aspect+hillshade+TRI, same creation options: {gd_same:6.1f} s"
                  f"   (gdaldem's plain uncompressed output: {gd_plain:.1f} s)")
            print(f"  ours, 6 local layers in one pass:   {local['seconds']:6.1f} s  "
                  f"ratio {local['seconds'] / gd_same:.2f}  peak anon {local['anon_mb']:6.0f} MB"
                  f"  file-backed {local['file_mb']:6.0f} MB")
            print(f"  ours, all 7 layers incl. TWI:       {every['seconds']:6.1f} s  "
                  f"ratio {every['seconds'] / gd_same:.2f}  peak anon {every['anon_mb']:6.0f} MB"
                  f"  file-backed {every['file_mb']:6.0f} MB")
            twi = ours(dem, tmp / f"twi{n}", ["twi"])
            saga = saga_twi(dem, tmp / f"saga{n}", tmp / f"twi{n}")
            print(f"  TWI alone: ours {twi['seconds']:6.1f} s vs SAGA 8.5 fill (Wang & Liu) + D8 "
                  f"accumulation + TWI {saga:6.1f} s: ratio {twi['seconds'] / saga:.2f}")


def saga_twi(dem: Path, work: Path, ours_dir: Path) -> float:
    """The same three steps in SAGA (given a slope grid, as our TWI computes its own)."""
    work.mkdir()
    subprocess.run(["gdaldem", "slope", str(dem), str(work / "slope_deg.tif"), "-q"], check=True)
    subprocess.run(["gdal_calc.py", "-A", str(work / "slope_deg.tif"), "--calc",
                    "A*0.017453292519943295", "--outfile", str(work / "slope.tif"), "--quiet"],
                   check=True)
    t0 = time.perf_counter()
    for args in (["ta_preprocessor", "4", "-ELEV", str(dem), "-FILLED", str(work / "f.sdat"),
                  "-MINSLOPE", "0.1"],
                 ["ta_hydrology", "0", "-ELEVATION", str(work / "f.sdat"), "-FLOW",
                  str(work / "a.sdat"), "-METHOD", "0"],
                 ["ta_hydrology", "20", "-SLOPE", str(work / "slope.tif"), "-AREA",
                  str(work / "a.sdat"), "-TWI", str(work / "twi.sdat"), "-CONV", "1"]):
        subprocess.run(["saga_cmd", *args], check=True, capture_output=True)
    return time.perf_counter() - t0


def bench_screening(size: int, count: int = 4) -> None:
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    from mirage_labeller.core.base.geotiff import write_geotiff
    from mirage_labeller.core.interferograms.screening import screen_workspace
    from mirage_labeller.core.interferograms.workspace import open_workspace
    from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        tmp = Path(tmp)
        small = tmp / "small"
        truth = build_workspace(SynthConfig(str(small), seed=1, size=1000, n_interferograms=count))
        factor = size // 1000
        rng = np.random.default_rng(0)
        big = tmp / "big"
        files = []
        for rec in truth["interferograms"]:
            for rel in (rec["file"], rec["coherence"]):
                with rasterio.open(small / rel) as src:
                    data = np.kron(src.read(1), np.ones((factor, factor), "float32"))
                data = data + rng.normal(0, 0.05, data.shape).astype("float32")
                if "diff_pha" in rel:
                    data = np.angle(np.exp(1j * data)).astype("float32")
                (big / rel).parent.mkdir(parents=True, exist_ok=True)
                write_geotiff(big / rel, data, from_origin(590000, 5160000, 15, 15),
                              nodata=float("nan"))
                files.append(big / rel)
        env = dict(os.environ, GDAL_PAM_ENABLED="NO")
        t0 = time.perf_counter()
        for f in files:
            subprocess.run(["gdalinfo", "-stats", str(f)], env=env, capture_output=True,
                           check=True)
        gdal = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = screen_workspace(open_workspace(big).interferograms)
        mine = time.perf_counter() - t0
        print(f"screening {len(rows)} interferograms of {size}x{size} (phase + coherence):")
        print(f"  gdalinfo -stats on the same {len(files)} files: {gdal:6.1f} s")
        print(f"  screen_workspace (coherence figures, median, residues, score): {mine:6.1f} s"
              f"  ratio {mine / gdal:.2f}")


if __name__ == "__main__":
    (ROOT / "build").mkdir(exist_ok=True)
    if os.environ.get("BENCH_PART", "all") in ("all", "morphometry"):
        bench_morphometry(int(os.environ.get("BENCH_DEM", "10000")))
    if os.environ.get("BENCH_PART", "all") in ("all", "screening"):
        bench_screening(int(os.environ.get("BENCH_IFG", "4000")))
