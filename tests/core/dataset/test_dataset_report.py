"""The dataset report: Table 2 against a direct count, the power-law fit against samples of a
known exponent, every section and figure in the HTML, the CLI."""
import csv
import re
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from mirage_labeller.core.dataset.powerlaw import (
    fit_power_law,
    log_binned_density,
    sample_power_law,
)
from mirage_labeller.core.dataset.report import build_report
from mirage_labeller.core.dataset.review import read_labels


@pytest.mark.parametrize("beta", [1.7, 2.2, 2.9])
def test_fit_recovers_a_known_exponent(beta):
    rng = np.random.default_rng(int(beta * 10))
    x_min = 0.005
    body = rng.lognormal(np.log(0.002), 0.6, 3000)  # a rollover below the cut-off
    areas = np.concatenate([body[body < x_min], sample_power_law(beta, x_min, 1500, rng)])
    fit = fit_power_law(areas)
    assert abs(fit.beta - beta) <= 3 * fit.sigma  # within its uncertainty
    assert fit.sigma == pytest.approx((fit.beta - 1) / np.sqrt(fit.n_tail))
    assert 0.5 * x_min <= fit.x_min <= 3 * x_min
    assert fit_power_law(areas[:5]) is None  # too few to fit
    centres, density = log_binned_density(areas)
    assert density.size == centres.size > 5 and np.all(density > 0)
    # the density integrates to one over the bins (non-cumulative, per unit area)
    lo, hi = np.floor(np.log10(areas.min())), np.ceil(np.log10(areas.max()))
    edges = np.logspace(lo, hi, int(hi - lo) * 5 + 1)
    counts, _ = np.histogram(areas, edges)
    assert (counts / np.diff(edges) / areas.size * np.diff(edges)).sum() == pytest.approx(1.0)
    assert density.max() == pytest.approx((counts / np.diff(edges) / areas.size).max())


def test_report_tables_match_a_direct_count(alps_workspace, tmp_path):
    out, truth = alps_workspace
    result = build_report(out / "labels", tmp_path / "r.html", ifg_dir=out)
    rows, _ = read_labels(out / "labels")
    counts = Counter(lab.cls for _, lab in rows)
    with open(result.csvs["table2"], newline="") as fh:
        table = [r for r in csv.DictReader(fh) if r["region"] == "Alps"]
    by_class = {r["class"]: r for r in table}
    assert {c: int(r["n_labels"]) for c, r in by_class.items() if c != "total"} == dict(counts)
    total = sum(counts.values())
    for code, n in counts.items():
        r = by_class[code]
        assert float(r["percent"]) == pytest.approx(100 * n / total, rel=1e-5)
        areas = [lab.area_m2 / 1e6 for _, lab in rows if lab.cls == code]
        assert float(r["mean_area_km2"]) == pytest.approx(np.mean(areas), rel=1e-5)
        bts = Counter(lab.bt for _, lab in rows if lab.cls == code)
        top = max(bts.values())
        assert int(r["main_baseline_days"]) == min(b for b, k in bts.items() if k == top)
    assert int(by_class["total"]["n_labels"]) == total
    with open(result.csvs["baselines"], newline="") as fh:
        shares = list(csv.DictReader(fh))
    for code in counts:
        assert sum(float(r["share"]) for r in shares if r["class"] == code) == \
            pytest.approx(1.0, abs=1e-5)  # six significant digits in the CSV


def test_report_has_every_section_and_figure(alps_workspace, tmp_path):
    from mirage_labeller.core.terrain.morphometry import derive_morphometry

    out, _ = alps_workspace
    terrain = tmp_path / "terrain"
    derive_morphometry(out / "dem" / "dem.tif", terrain, ["slope", "tri"])
    result = build_report(out / "labels", tmp_path / "r.html", morphometry_dir=terrain)
    text = result.html.read_text()
    for title in ("Table 2", "Fig. 3", "Track geometry", "Fig. 7", "Fig. 8", "Processes"):
        assert title in text
    assert result.figures == ["baselines", "tracks_quality", "terrain", "frequency_area",
                              "processes"]
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(images) == 5 and all(len(i) > 5000 for i in images)
    with open(result.csvs["terrain"], newline="") as fh:
        layers = {r["layer"] for r in csv.DictReader(fh)}
    assert layers == {"slope", "tri"}


def test_cli(alps_workspace, repo_root, tmp_path):
    out, _ = alps_workspace
    result = subprocess.run([sys.executable, "-m", "mirage_labeller", "report",
                             str(out / "labels"), "--ifg", str(out), "--out",
                             str(tmp_path / "rep.html")], cwd=repo_root, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "rep.html").stat().st_size > 20000
    assert (tmp_path / "rep_table2.csv").exists() and (tmp_path / "rep_powerlaw.csv").exists()
    bad = subprocess.run([sys.executable, "-m", "mirage_labeller", "report",
                          str(tmp_path / "nothing"), "--out", str(tmp_path / "x.html")],
                         cwd=repo_root, capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_files_in_another_crs_are_converted(alps_workspace, tmp_path):
    """The same labels, some files stored in EPSG:32633: the same regions and processes."""
    import shutil

    from mirage_labeller.core.labels.store import LabelStore, _reprojected

    out, _ = alps_workspace
    same = tmp_path / "same"
    shutil.copytree(out / "labels", same, ignore=shutil.ignore_patterns(".mirage*"))
    mixed = tmp_path / "mixed"
    shutil.copytree(same, mixed)
    store = LabelStore(mixed)
    for stem in store.stems()[::2]:
        labels = store.read(stem).labels
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            (mixed / f"{stem}{ext}").unlink(missing_ok=True)
        LabelStore(mixed).write(stem, [_reprojected(lab, 32632, 32633) for lab in labels],
                                32633)
    a = build_report(same, tmp_path / "a.html")
    b = build_report(mixed, tmp_path / "b.html")
    # boxes are compared in the first file's CRS (here EPSG:32633); areas stay their own
    assert any("labels in EPSG:32632, converted to EPSG:32633" in p for p in b.problems)
    assert a.csvs["processes"].read_text() == b.csvs["processes"].read_text()

    def counts(path):
        with open(path, newline="") as fh:  # areas differ a little: envelopes of envelopes
            return [(r["region"], r["class"], r["n_labels"], r["main_baseline_days"])
                    for r in csv.DictReader(fh)]
    assert counts(a.csvs["table2"]) == counts(b.csvs["table2"])
    assert {r[0] for r in counts(b.csvs["table2"])} == {"Alps", "all"}


@pytest.mark.parametrize("epsg", [32633, 32647, 4326])
def test_report_areas_are_the_boxes_true_areas_anywhere(tmp_path, epsg):
    """Labels in UTM 33N, in UTM 47N (a Sichuan valley) and in degrees: every box is 300 m x
    600 m, so every class's mean area is 0.18 km² (converted to EPSG:32632, boxes in 47N
    came out 4.3 times too large)."""
    import math

    from mirage_labeller.core.base import crs as crsmod
    from mirage_labeller.core.labels.schema import Label
    from mirage_labeller.core.labels.store import LabelStore

    lon0, lat0 = (15.2, 46.5) if epsg == 32633 else (102.9, 31.2)
    store = LabelStore(tmp_path / "labels")
    for f, (ifg, bt, traj) in enumerate((("20190805_20190817", 12, "A"),
                                         ("20190806_20190818", 12, "D"))):
        labels = []
        for k, cls in enumerate(("DG", "DS", "RS", "RG", "DG", "DS")):
            lon, lat = lon0 + 0.02 * k, lat0 + 0.01 * f
            if epsg == 4326:
                dlon = 300 / (111320 * math.cos(math.radians(lat)))
                box = (lon, lat, lon + dlon, lat + 600 / 110574)
            else:
                (x,), (y,) = crsmod.convert_points([lon], [lat], 4326, epsg)
                box = (x, y, x + 300, y + 600)
            labels.append(Label(*box, cls=cls, sign_qual=1, class_unc=1, ifg=ifg, bt=bt,
                                traj=traj))
        store.write(f"{ifg}_{traj}", labels, epsg)
    result = build_report(tmp_path / "labels", tmp_path / "report.html")
    with open(result.csvs["table2"], newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["region"] == "all"]
    means = {r["class"]: float(r["mean_area_km2"]) for r in rows if int(r["n_labels"])
             and r["class"] != "total"}
    assert set(means) == {"DG", "DS", "RS", "RG"}
    for cls, mean in means.items():
        assert mean == pytest.approx(0.18, rel=0.02), (cls, mean)
