"""The synthetic workspace: layout, determinism and honest physics (fringes = v x Bt / 2.773 cm
projected on the LOS, with the right sign for each track)."""
import json
import math

import fiona
import numpy as np
import pytest
import rasterio

from mirage_labeller.core.interferograms.metadata import parse_interferogram_path
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace

LAMBDA = 0.0554658
THETA = math.radians(39.0)


def expected_los_rate(body, traj):
    """Independent of the generator's code: DESIGN.md section 4 written out again."""
    h = math.radians(-12.0 if traj == "A" else -168.0)
    e = (-math.sin(THETA) * math.cos(h), math.sin(THETA) * math.sin(h), math.cos(THETA))
    b, a = math.radians(body["slope_deg"]), math.radians(body["aspect_deg"])
    d = (math.cos(b) * math.sin(a), math.cos(b) * math.cos(a), -math.sin(b))
    return body["velocity_m_yr"] * sum(x * y for x, y in zip(e, d))


def read(path):
    with rasterio.open(path) as src:
        return src.read(1), src


def test_layout_crs_and_schema(alps_workspace):
    out, truth = alps_workspace
    ifgs = sorted((out / "interferograms").glob("*.tif"))
    cohs = sorted((out / "coherence").glob("*.tif"))
    assert len(ifgs) == 6 and len(cohs) == 6 and (out / "dem" / "dem.tif").exists()
    assert {r["traj"] for r in truth["interferograms"]} == {"A", "D"}
    assert {r["bt"] for r in truth["interferograms"]} == {6, 12, 24, 365}
    for rec in truth["interferograms"]:
        for rel in (rec["file"], rec["coherence"]):
            with rasterio.open(out / rel) as src:
                assert src.crs.to_epsg() == 32632 and src.res == (15.0, 15.0)
        phase = read(out / rec["file"])[0]
        coh = read(out / rec["coherence"])[0]
        assert np.nanmin(phase) >= -math.pi and np.nanmax(phase) <= math.pi
        assert np.nanmin(coh) >= 0 and np.nanmax(coh) <= 1
        assert 0.01 < np.isnan(phase).mean() < 0.1  # the oblique frame edge
        meta = parse_interferogram_path(str(out / rec["file"]))
        assert (meta.ifg, meta.bt, meta.traj) == (rec["ifg"], rec["bt"], rec["traj"])
        shp = out / "labels" / f"{rec['stem']}.shp"
        with fiona.open(str(shp)) as src:
            assert list(src.schema["properties"]) == ["Id", "Class", "Sign_Qual", "Class_Unc",
                                                      "IFG", "Bt", "Traj"]
            assert src.crs.to_epsg() == 32632
            for f in src:
                p = f["properties"]
                assert (p["IFG"], p["Bt"], p["Traj"]) == (rec["ifg"], rec["bt"], rec["traj"])
        assert len(LabelStore(out / "labels").read(rec["stem"]).labels) == rec["n_labels"]
        if rec["bt"] <= 24:  # like the paper's kept interferograms (mean 0.45)
            assert 0.3 < rec["mean_coherence"] < 0.65
    assert json.loads((out / "truth.json").read_text())["seed"] == 7
    assert sum(r["n_labels"] for r in truth["interferograms"]) > 10


def test_labels_are_on_the_pixel_grid_and_match_truth(alps_workspace):
    out, truth = alps_workspace
    store = LabelStore(out / "labels")
    ox, oy = truth["origin"]
    for rec in truth["interferograms"]:
        labels = {lab.id: lab for lab in store.read(rec["stem"]).labels}
        expected = {}
        for body in truth["bodies"]:
            seen = body["per_ifg"][rec["stem"]]
            if seen.get("visible"):
                expected[seen["label_id"]] = (body["class"], tuple(body["box"]))
                assert seen["box_mean_coherence"] >= 0.2  # noise would hide it otherwise
        assert {i: (lab.cls, lab.bounds) for i, lab in labels.items()} == expected
        for lab in labels.values():
            for v, o in ((lab.xmin, ox), (lab.xmax, ox), (lab.ymin, oy), (lab.ymax, oy)):
                assert (v - o) % 15.0 == 0.0


def test_deterministic_for_a_seed(tmp_path):
    def arrays(folder, seed):
        truth = build_workspace(SynthConfig(str(folder), seed=seed, size=320, n_interferograms=2))
        return truth, [read(folder / r["file"])[0] for r in truth["interferograms"]]

    t1, a1 = arrays(tmp_path / "a", 11)
    t2, a2 = arrays(tmp_path / "b", 11)
    t3, a3 = arrays(tmp_path / "c", 12)
    assert t1["bodies"] == t2["bodies"]
    assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a1, a2))
    assert not np.array_equal(a1[0], a3[0], equal_nan=True)


def test_fringes_count_velocity_times_baseline(clean_workspace):
    """Unwrap the written phase along the row through each visible body's peak, from outside
    the body: the phase there is -(4 pi / lambda) x LOS displacement, v x Bt projected."""
    out, truth = clean_workspace
    checked = {"A": 0, "D": 0}
    signs = set()
    for rec in truth["interferograms"]:
        phase = read(out / rec["file"])[0]
        for body in truth["bodies"]:
            seen = body["per_ifg"][rec["stem"]]
            if not seen["visible"]:
                continue
            r, c = body["peak_rowcol"]
            c0 = body["window_rowcol"][2]
            profile = np.unwrap(phase[r, c0:c + 1].astype("float64"))
            measured = profile[-1] - profile[0]
            d_los = expected_los_rate(body, rec["traj"]) * rec["bt"] / 365.0
            expected = -4 * math.pi / LAMBDA * d_los
            assert measured == pytest.approx(expected, rel=2e-3, abs=2e-3)
            fringes = abs(d_los) / (LAMBDA / 2)
            assert seen["fringes"] == pytest.approx(fringes, rel=1e-4)
            assert abs(measured) / (2 * math.pi) == pytest.approx(fringes, rel=2e-3)
            checked[rec["traj"]] += 1
            signs.add((rec["traj"], math.copysign(1, expected)))
    assert checked["A"] > 0 and checked["D"] > 0
    assert len({s for _, s in signs}) == 2  # motion both towards and away from the radar


def test_visibility_follows_velocity_times_baseline(clean_workspace):
    out, truth = clean_workspace
    by_key = {(r["traj"], r["bt"]): r["stem"] for r in truth["interferograms"]}
    fast_in_12_not_6 = 0
    only_at_365 = 0
    for body in truth["bodies"]:
        for seen in body["per_ifg"].values():
            if seen["fringes"] < truth["visible_fringes"]:
                assert not seen["visible"] and "too slow" in seen["reason"]
        six, twelve = body["per_ifg"][by_key[("D", 6)]], body["per_ifg"][by_key[("D", 12)]]
        assert twelve["fringes"] == pytest.approx(2 * six["fringes"], rel=1e-6)
        if twelve["visible"] and not six["visible"]:
            fast_in_12_not_6 += 1
        year = [s for k, s in by_key.items() if k[1] == 365]
        if any(body["per_ifg"][s]["visible"] for s in year) and not any(
                body["per_ifg"][s]["visible"] for k, s in by_key.items() if k[1] < 365):
            only_at_365 += 1
    assert fast_in_12_not_6 >= 1 and only_at_365 >= 1


def test_los_sign_ascending_vs_descending():
    """An east-facing slope moves away from an ascending (east-looking) radar: phase > 0;
    a descending radar sees the same motion slightly towards it: phase < 0."""
    from mirage_labeller.core.interferograms.geometry import los_sensitivity, phase_from_los

    east_facing = dict(slope_deg=30.0, aspect_deg=90.0)
    asc = los_sensitivity(traj="A", **east_facing)
    desc = los_sensitivity(traj="D", **east_facing)
    assert asc < -0.9 and 0 < desc < 0.2
    assert phase_from_los(asc * 0.01) > 0 > phase_from_los(desc * 0.01)
    body = dict(velocity_m_yr=1.0, **east_facing)
    assert expected_los_rate(body, "A") == pytest.approx(asc)
    # north-facing slopes are nearly blind horizontally: only the sinking is seen
    north = los_sensitivity(30.0, 0.0, "A")
    assert abs(north) < abs(asc)


def test_quicklook_png(alps_workspace, tmp_path):
    from matplotlib.image import imread

    from mirage_labeller.core.base.palettes import CYCLIC_CMY, ramp_stops
    from mirage_labeller.core.interferograms.quicklook import render_quicklook

    out, truth = alps_workspace
    rec = truth["interferograms"][0]
    png = render_quicklook(out / rec["file"], tmp_path / "q.png", out / rec["coherence"],
                           LabelStore(out / "labels").read(rec["stem"]).labels)
    image = imread(png)
    assert image.shape[0] > 300 and image.shape[1] > 600
    stops = ramp_stops(CYCLIC_CMY, 64)
    assert stops[0][1] == stops[-1][1]  # cyclic: no seam between -pi and +pi
    assert stops[0][0] == pytest.approx(-math.pi) and stops[-1][0] == pytest.approx(math.pi)
