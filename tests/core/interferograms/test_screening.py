"""Screening (step 0): one block-wise pass gives the figures; checked against the generator's
truth, against numpy on whole arrays and against gdalinfo -stats."""
import csv
import hashlib
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.interferograms.screening import (
    CSV_COLUMNS,
    build_overviews,
    residues,
    screen_interferogram,
    screen_workspace,
    write_csv,
)
from mirage_labeller.core.interferograms.workspace import open_workspace


def test_figures_match_truth_numpy_and_gdalinfo(alps_workspace, tmp_path):
    out, truth = alps_workspace
    ws = open_workspace(out)
    rows = screen_workspace(ws.interferograms)
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    by_file = {r.file: r for r in rows}
    for rec in truth["interferograms"]:
        r = by_file[rec["file"].split("/")[-1]]
        assert (r.IFG, r.Bt, r.Traj) == (rec["ifg"], rec["bt"], rec["traj"])
        assert r.mean_coh == pytest.approx(rec["mean_coherence"], abs=1e-6)
        assert r.frac_coh_lt_0_2 == pytest.approx(rec["frac_coh_lt_0_2"], abs=1e-9)
        with rasterio.open(out / rec["coherence"]) as src:
            coh = src.read(1).astype("float64")
        with rasterio.open(out / rec["file"]) as src:
            phase = src.read(1).astype("float64")
        valid = np.isfinite(coh) & np.isfinite(phase)
        assert r.valid_frac == pytest.approx(valid.mean())
        assert r.median_coh == pytest.approx(np.median(coh[valid]), abs=1 / 4096)
        loops = residues(np.nan_to_num(phase)) & np.isfinite(phase[1:, 1:]) \
            & np.isfinite(phase[:-1, :-1]) & np.isfinite(phase[1:, :-1]) \
            & np.isfinite(phase[:-1, 1:])
        n_loops = (np.isfinite(phase[1:, 1:]) & np.isfinite(phase[:-1, :-1])
                   & np.isfinite(phase[1:, :-1]) & np.isfinite(phase[:-1, 1:])).sum()
        assert r.residue_density == pytest.approx(loops.sum() / n_loops)
        copy = tmp_path / f"{rec['stem']}.tif"  # gdalinfo -stats writes .aux.xml: a copy
        copy.write_bytes((out / rec["coherence"]).read_bytes())
        info = json.loads(subprocess.run(["gdalinfo", "-stats", "-json", str(copy)],
                                         capture_output=True, text=True, check=True).stdout)
        gdal_mean = float(info["bands"][0]["metadata"][""]["STATISTICS_MEAN"])
        coh_only = np.isfinite(coh)
        assert float(coh[coh_only].mean()) == pytest.approx(gdal_mean, rel=1e-6)
    # phase noise follows decorrelation: the year-long pairs are the noisiest and rank last
    year = [r for r in rows if r.Bt == 365]
    short = [r for r in rows if r.Bt <= 12]
    assert min(r.residue_density for r in year) > max(r.residue_density for r in short)
    assert {r.Bt for r in rows[-2:]} == {365}


def test_residues_come_from_noise_not_from_fringes(clean_workspace, alps_workspace):
    """Without noise, residues appear only where fringes alias (denser than pi per pixel:
    fast bodies over a year); the noisy workspace has an order of magnitude more."""
    clean = screen_workspace(open_workspace(clean_workspace[0]).interferograms)
    noisy = screen_workspace(open_workspace(alps_workspace[0]).interferograms)
    assert all(r.residue_density == 0.0 for r in clean if r.Bt == 6)
    assert max(r.residue_density for r in clean) < 0.003
    assert min(r.residue_density for r in noisy) > 10 * max(
        r.residue_density for r in clean if r.Bt <= 24)


def test_uint8_coherence_and_block_independence(tmp_path):
    rng = np.random.default_rng(3)
    phase = rng.uniform(-np.pi, np.pi, (700, 900)).astype("float32")  # pure noise
    coh = rng.uniform(0, 1, (700, 900))
    coh8 = np.clip(np.round(coh * 255), 1, 255).astype("uint8")
    t = from_origin(600000, 5100000, 15, 15)
    write_geotiff(tmp_path / "20190805_20190817_A.tif", phase, t)
    write_geotiff(tmp_path / "20190805_20190817_A.cc.tif", coh8, t)
    a = screen_interferogram(str(tmp_path / "20190805_20190817_A.tif"),
                             str(tmp_path / "20190805_20190817_A.cc.tif"), block=128)
    b = screen_interferogram(str(tmp_path / "20190805_20190817_A.tif"),
                             str(tmp_path / "20190805_20190817_A.cc.tif"), block=4096)
    assert a.residue_density == b.residue_density  # the halo makes blocks seamless
    assert a.frac_coh_lt_0_2 == b.frac_coh_lt_0_2 and a.median_coh == b.median_coh
    assert a.mean_coh == pytest.approx(b.mean_coh, rel=1e-12)
    assert a.mean_coh == pytest.approx((coh8 / 255.0).mean(), abs=1e-9)
    assert a.residue_density == pytest.approx(1 / 3, abs=0.01)  # uniform noise: 1 loop in 3
    assert a.score < 0.2 and "residues" in a.reason


def test_compiled_pass_equals_the_numpy_formulas(tmp_path, alps_workspace, monkeypatch):
    """The one compiled pass per block gives the numpy formulas' figures: on the synthetic
    workspace, and on a pair with holes in the phase, in the coherence and a missing map."""
    from mirage_labeller.core.interferograms import screening
    from mirage_labeller.core.interferograms.workspace import open_workspace

    rng = np.random.default_rng(5)
    phase = np.angle(np.exp(1j * (np.cumsum(rng.normal(0, 0.6, (300, 400)), 1)))).astype(
        "float32")
    phase[20:40, 50:90] = np.nan
    coh = rng.uniform(0, 1, (300, 400)).astype("float32")
    coh[100:130, 200:260] = np.nan
    t = from_origin(600000, 5100000, 15, 15)
    write_geotiff(tmp_path / "20190805_20190817_A.tif", phase, t, nodata=float("nan"))
    write_geotiff(tmp_path / "20190805_20190817_A.cc.tif", coh, t, nodata=float("nan"))
    pairs = [(str(tmp_path / "20190805_20190817_A.tif"),
              str(tmp_path / "20190805_20190817_A.cc.tif")),
             (str(tmp_path / "20190805_20190817_A.tif"), None)]
    pairs += [(str(i.path), str(i.coherence))
              for i in open_workspace(alps_workspace[0]).interferograms[:3]]

    def figures(compiled):
        monkeypatch.setattr(screening, "HAVE_NUMBA", compiled)
        return [screening.screen_interferogram(ph, co, block=128, threshold=0.35)
                for ph, co in pairs]

    assert screening.HAVE_NUMBA  # Debian's python3-numba, installed by make setup
    for a, b in zip(figures(True), figures(False)):
        assert a.residue_density == b.residue_density and a.valid_frac == b.valid_frac
        assert (a.median_coh, a.frac_coh_lt_0_2, a.frac_coh_lt_threshold) == \
            pytest.approx((b.median_coh, b.frac_coh_lt_0_2, b.frac_coh_lt_threshold),
                          nan_ok=True, rel=0, abs=0)
        assert a.mean_coh == pytest.approx(b.mean_coh, rel=1e-12, nan_ok=True)
    assert figures(True)[0].residue_density > 0  # the loops were really counted


def test_compiled_under_the_plugin_name_then_run_from_the_command_line(tmp_path,
                                                                     alps_workspace):
    """The same files compiled (and cached by numba) as QGIS imports them, then screened by
    the command line: the cache of one name must not break the other."""
    import shutil

    plugin = tmp_path / "plugins" / "MirageLabeller"
    shutil.copytree(Path(__file__).resolve().parents[3] / "mirage_labeller",
                    plugin / "mirage_labeller",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(Path(__file__).resolve().parents[3] / "__init__.py", plugin)
    ws = str(alps_workspace[0])
    as_plugin = """
import sys
sys.path.insert(0, sys.argv[1])
from MirageLabeller.mirage_labeller.core.interferograms.screening import screen_workspace
from MirageLabeller.mirage_labeller.core.interferograms.workspace import open_workspace
rows = screen_workspace(open_workspace(sys.argv[2]).interferograms[:1])
assert not rows[0].failed, rows[0].reason
"""
    subprocess.run(["/usr/bin/python3", "-c", as_plugin, str(plugin.parent), ws], check=True)
    result = subprocess.run(["/usr/bin/python3", "-m", "mirage_labeller", "screen", ws,
                             "--quiet"], cwd=plugin, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not screened" not in result.stdout


def test_csv_cli_and_overviews(alps_workspace, repo_root, tmp_path):
    out, _ = alps_workspace
    result = subprocess.run(["/usr/bin/python3", "-m", "mirage_labeller", "screen", str(out),
                             "--csv", str(tmp_path / "s.csv"), "--quiet"], cwd=repo_root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "score" in result.stdout.splitlines()[0]
    with open(tmp_path / "s.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 6 and tuple(table[0]) == CSV_COLUMNS
    for col in ("file", "IFG", "Bt", "Traj", "mean_coh", "median_coh", "frac_coh_lt_0_2",
                "valid_frac", "score"):
        assert table[0][col] != ""
    big = tmp_path / "big_20190805_20190817.tif"
    write_geotiff(big, np.zeros((1500, 1300), "float32"), from_origin(0, 0, 15, 15))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    assert "overviews [2, 4]" in build_overviews(str(big), "phase")
    assert (tmp_path / "big_20190805_20190817.tif.ovr").exists()
    assert hashlib.sha256(big.read_bytes()).hexdigest() == digest  # the product is untouched
    with rasterio.open(big) as src:
        assert src.overviews(1) == [2, 4]
    assert build_overviews(str(big), "phase") is None  # already there
    write_csv([], tmp_path / "empty.csv")


def test_cache_survives_reopening_and_notices_changed_files(alps_workspace, tmp_path):
    import shutil

    from mirage_labeller.core.interferograms.screening import load_cache, save_cache

    ws_dir = tmp_path / "ws"
    shutil.copytree(alps_workspace[0], ws_dir)
    items = open_workspace(ws_dir).interferograms
    rows = {it.label_stem: screen_interferogram(str(it.path), str(it.coherence), it.meta)
            for it in items}
    assert save_cache(ws_dir, rows, items) is None
    again = load_cache(ws_dir, open_workspace(ws_dir).interferograms)
    assert again == rows
    # reasons come back as sentences the GUI can still translate (not frozen English)
    for stem, row in again.items():
        assert row.reason.template == rows[stem].reason.template
        assert row.reason.values == rows[stem].reason.values
    touched = items[0].coherence
    with rasterio.open(touched, "r+") as dst:  # the coherence map changed since
        data = dst.read(1)
        dst.write(np.nan_to_num(data) * 0.5, 1)
    assert set(load_cache(ws_dir, items)) == set(rows) - {items[0].label_stem}
    assert load_cache(ws_dir, items, threshold=0.3) == {}


def test_padding_without_coherence_does_not_dilute_residues(tmp_path):
    """LiCSAR pads with phase 0 and coherence 0 (no nodata tag): loops there are not phase
    measurements and must not count, or half a padded frame halves the noise measure."""
    rng = np.random.default_rng(4)
    phase = np.zeros((600, 800), "float32")
    phase[:, :400] = rng.uniform(-np.pi, np.pi, (600, 400))
    coh = np.zeros((600, 800), "uint8")
    coh[:, :400] = rng.integers(1, 256, (600, 400))
    t = from_origin(600000, 5100000, 15, 15)
    write_geotiff(tmp_path / "20190805_20190817_A.tif", phase, t)
    write_geotiff(tmp_path / "20190805_20190817_A.cc.tif", coh, t)
    r = screen_interferogram(str(tmp_path / "20190805_20190817_A.tif"),
                             str(tmp_path / "20190805_20190817_A.cc.tif"))
    assert r.valid_frac == pytest.approx(0.5, abs=0.01)
    assert r.residue_density == pytest.approx(1 / 3, abs=0.01)


def test_one_bad_pair_does_not_lose_the_others(alps_workspace, repo_root, tmp_path):
    import shutil

    src, _ = alps_workspace
    out = tmp_path / "ws"
    shutil.copytree(src, out)
    ws = open_workspace(out)
    bad = ws.interferograms[0]
    write_geotiff(bad.coherence, np.full((300, 300), 0.5, "float32"),
                  from_origin(600000, 5100000, 15, 15))
    rows = screen_workspace(open_workspace(out).interferograms)
    failed = [r for r in rows if r.failed]
    assert len(rows) == 6 and len(failed) == 1 and rows[-1] is failed[0]
    assert failed[0].file == bad.path.name and bad.coherence.name in failed[0].reason
    assert "300x300" in failed[0].reason and failed[0].score == 0.0
    result = subprocess.run(["/usr/bin/python3", "-m", "mirage_labeller", "screen", str(out),
                             "--csv", str(tmp_path / "s.csv"), "--quiet"], cwd=repo_root,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "1 of 6 interferogram(s) could not be screened" in result.stderr
    assert "Traceback" not in result.stderr
    with open(tmp_path / "s.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 6 and table[-1]["reason"].startswith("not screened: ")
    assert sum(1 for line in result.stdout.splitlines() if "300x300" in line) == 1
