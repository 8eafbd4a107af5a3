"""Agreement between two label sets: boxes paired one to one within an interferogram by the
largest total IoU, per-class precision/recall/F1, Cohen's kappa, confusion matrix, and the
CSV and PNG a reviewer reads. Expected numbers are worked out by hand in each test."""
import csv
import math
import warnings
from dataclasses import replace

import numpy as np
import pytest

from mirage_labeller.core.dataset.agreement import (
    ALL,
    UNMATCHED,
    cohen_kappa,
    compare_label_sets,
    iou_matrix,
    match_boxes,
    render_agreement,
    sibling_paths,
    write_agreement_csv,
)
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore

IFG = "20190805_20190817"
X0, Y0 = 600000.0, 5100000.0  # UTM 32N, in the Alps


def lab(x0, y0, x1, y1, cls, sq=1, cu=1, id=None):
    """A label with bounds relative to (X0, Y0), in metres."""
    return Label(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1, cls=cls, sign_qual=sq, class_unc=cu,
                 ifg=IFG, bt=12, traj="A", id=id)


def write_set(folder, files, crs=None):
    store = LabelStore(folder)
    for stem, labels in files.items():
        store.write(stem, labels, crs=crs)
    return folder


# Set A (reference): 8 boxes in three interferograms.
A_FILES = {
    "s1": [lab(0, 0, 100, 100, "RS", id=1),  # B: 5 m east, same class     -> pair, RS=RS
           lab(300, 0, 400, 100, "DS", id=2),  # B: 10 m east, class RS     -> pair, DS->RS
           lab(600, 0, 800, 200, "DG", id=3),  # B: identical, Sign_Qual 2  -> pair, DG=DG
           lab(1000, 0, 1100, 100, "RG", id=4)],  # B: 500 m east           -> both unmatched
    "s2": [lab(0, 0, 100, 100, "CF", id=1),  # B: identical, Class_Unc 2    -> pair, CF=CF
           lab(200, 0, 300, 100, "CS", id=2)],  # B: identical, class CF    -> pair, CS->CF
    # only in A; the AR box has the same bounds as B's FS box in s2: no match across files
    "s3": [lab(600, 600, 700, 700, "AR", id=1), lab(0, 0, 100, 100, "RS", id=2)],
}
# Set B (test): 7 boxes.
B_FILES = {
    "s1": [lab(5, 0, 105, 100, "RS", id=11),
           lab(310, 0, 410, 100, "RS", id=12),
           lab(600, 0, 800, 200, "DG", sq=2, id=13),
           lab(1500, 0, 1600, 100, "RG", id=14)],
    "s2": [lab(0, 0, 100, 100, "CF", cu=2, id=21),
           lab(200, 0, 300, 100, "CF", id=22),
           lab(600, 600, 700, 700, "FS", id=23)],  # nothing in A: unmatched
}


@pytest.fixture
def perturbed(tmp_path):
    return (write_set(tmp_path / "a", A_FILES), write_set(tmp_path / "b", B_FILES))


# ---------------------------------------------------------------- kappa

def test_kappa_hand_worked():
    # 50 items, yes/no: 20 both yes, 5 A-yes B-no, 10 A-no B-yes, 15 both no.
    # p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)
    # three categories: items 0, 1, 3, 4 alike, so p_o = 4/6; A uses x3 y2 z1, B x3 y3 z0:
    # p_e = (3*3 + 2*3 + 1*0) / 36 = 15/36
    a = ["x", "x", "x", "y", "y", "z"]
    b = ["x", "x", "y", "y", "y", "x"]
    p_o, p_e = 4 / 6, 15 / 36
    assert cohen_kappa(a, b) == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-12)
    assert cohen_kappa(["x"] * 4, ["x"] * 4) != cohen_kappa(["x"] * 4, ["x"] * 4)  # NaN
    assert math.isnan(cohen_kappa([], []))
    assert cohen_kappa(["x", "y"], ["y", "x"]) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        cohen_kappa(["x"], ["x", "y"])


def test_kappa_matches_the_confusion_matrix_formula():
    """Against kappa computed another way: from the contingency table with numpy."""
    rng = np.random.default_rng(4)
    cats = list("ABCD")
    for _ in range(20):
        a = rng.choice(cats, 60, p=[0.4, 0.3, 0.2, 0.1])
        b = np.where(rng.random(60) < 0.6, a, rng.choice(cats, 60))
        table = np.array([[np.sum((a == x) & (b == y)) for y in cats] for x in cats], float)
        n = table.sum()
        p_o = np.trace(table) / n
        p_e = (table.sum(1) * table.sum(0)).sum() / n ** 2
        assert cohen_kappa(list(a), list(b)) == pytest.approx((p_o - p_e) / (1 - p_e),
                                                              abs=1e-12)


# ---------------------------------------------------------------- matching

def _greedy(a, b, min_iou):
    """Largest IoU first, each box used once: what the optimal assignment must beat."""
    iou = iou_matrix(a, b)
    order = sorted(((iou[i, j], i, j) for i in range(len(a)) for j in range(len(b))),
                   reverse=True)
    used_a, used_b, out = set(), set(), []
    for v, i, j in order:
        if v >= min_iou and v > 0 and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, v))
    return out


def test_optimal_assignment_beats_greedy():
    # 1-D intervals with the same y range; IoU(a0,b0)=9/11, IoU(a0,b1)=IoU(a1,b0)=8/12,
    # IoU(a1,b1)=5/15. Greedy takes a0-b0 first and leaves a1-b1.
    a = np.array([[0, 0, 10, 1], [3, 0, 13, 1]], float)
    b = np.array([[1, 0, 11, 1], [-2, 0, 8, 1]], float)
    iou = iou_matrix(a, b)
    assert iou == pytest.approx(np.array([[9 / 11, 8 / 12], [8 / 12, 5 / 15]]))

    # min_iou 0.5: greedy finds one pair, the optimum two
    greedy = _greedy(a, b, 0.5)
    assert [(i, j) for i, j, _ in greedy] == [(0, 0)]
    best = match_boxes(a, b, 0.5)
    assert [(i, j) for i, j, _ in best] == [(0, 1), (1, 0)]
    assert [v for _, _, v in best] == pytest.approx([8 / 12, 8 / 12])

    # min_iou 0.3: both find two pairs, but greedy's total IoU is lower
    greedy = _greedy(a, b, 0.3)
    assert sum(v for *_, v in greedy) == pytest.approx(9 / 11 + 5 / 15)
    best = match_boxes(a, b, 0.3)
    assert [(i, j) for i, j, _ in best] == [(0, 1), (1, 0)]
    assert sum(v for *_, v in best) == pytest.approx(16 / 12)
    assert 16 / 12 > 9 / 11 + 5 / 15


def test_min_iou_threshold():
    a = np.array([[0, 0, 3, 1]], float)
    b = np.array([[1, 0, 4, 1]], float)  # IoU = 2/4 = 0.5 exactly
    assert match_boxes(a, b, 0.5) == [(0, 0, 0.5)]
    assert match_boxes(a, b, 0.5000001) == []
    # disjoint boxes never pair, even with no threshold
    assert match_boxes(a, np.array([[5, 0, 6, 1]], float), 0.0) == []
    with pytest.raises(ValueError):
        match_boxes(a, b, 1.5)


def test_match_empty_inputs():
    a = np.array([[0, 0, 1, 1]], float)
    assert match_boxes(np.empty((0, 4)), a) == []
    assert match_boxes(a, np.empty((0, 4))) == []
    assert match_boxes(np.empty((0, 4)), np.empty((0, 4))) == []


def test_more_boxes_on_one_side():
    a = np.array([[0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 50, 10]], float)
    b = np.array([[41, 0, 51, 10], [0, 0, 10, 10]], float)
    assert match_boxes(a, b) == [(0, 1, 1.0), (2, 0, pytest.approx(9 / 11))]


def test_min_iou_in_folders(tmp_path):
    # a 100 m box against one 40 m east: IoU = 60/140 = 0.4286
    write_set(tmp_path / "a", {"s": [lab(0, 0, 100, 100, "RS", id=1)]})
    write_set(tmp_path / "b", {"s": [lab(40, 0, 140, 100, "RS", id=1)]})
    loose = compare_label_sets(tmp_path / "a", tmp_path / "b", min_iou=0.4)
    assert [p.iou for p in loose.pairs] == pytest.approx([60 / 140])
    strict = compare_label_sets(tmp_path / "a", tmp_path / "b", min_iou=0.45)
    assert strict.pairs == []
    assert len(strict.unmatched_a) == len(strict.unmatched_b) == 1
    assert strict.per_class()["RS"][:3] == (1, 1, 0)


# ---------------------------------------------------------------- whole folders

def test_identical_sets(tmp_path):
    a = write_set(tmp_path / "a", A_FILES)
    b = write_set(tmp_path / "b", A_FILES)
    ag = compare_label_sets(a, b)
    assert ag.unmatched_a == [] and ag.unmatched_b == [] and ag.problems == []
    assert len(ag.pairs) == 8
    assert all(p.iou == 1.0 and p.id_a == p.id_b for p in ag.pairs)
    scores = ag.per_class()
    assert list(scores) == ["AR", "DG", "DS", "RS", "RG", "CF", "CS", ALL]
    for code, s in scores.items():
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), code
    assert scores["RS"][:3] == (2, 2, 2)
    assert scores[ALL][:3] == (8, 8, 8)
    assert ag.kappa_class() == pytest.approx(1.0)
    frac, kappa = ag.agreement_sign_qual()
    assert frac == 1.0 and math.isnan(kappa)  # everybody said 1: kappa undefined


def test_perturbed_sets(perturbed):
    ag = compare_label_sets(*perturbed)
    assert ag.problems == []
    assert ag.stems == ["s1", "s2", "s3"] and ag.only_in_a == ["s3"] and ag.only_in_b == []
    pairs = {(p.stem, p.id_a, p.id_b): p for p in ag.pairs}
    assert set(pairs) == {("s1", 1, 11), ("s1", 2, 12), ("s1", 3, 13), ("s2", 1, 21),
                          ("s2", 2, 22)}
    assert pairs["s1", 1, 11].iou == pytest.approx(95 / 105)
    assert pairs["s1", 2, 12].iou == pytest.approx(90 / 110)
    assert (pairs["s1", 2, 12].cls_a, pairs["s1", 2, 12].cls_b) == ("DS", "RS")
    assert sorted((s, lab.id, lab.cls) for s, lab in ag.unmatched_a) == [
        ("s1", 4, "RG"), ("s3", 1, "AR"), ("s3", 2, "RS")]
    assert sorted((s, lab.id, lab.cls) for s, lab in ag.unmatched_b) == [
        ("s1", 14, "RG"), ("s2", 23, "FS")]
    assert (ag.n_a, ag.n_b) == (8, 7)

    nan = float("nan")
    expected = {  # n_a, n_b, tp, precision, recall, f1 = 2 tp / (n_a + n_b)
        "AR": (1, 0, 0, nan, 0.0, 0.0),
        "DG": (1, 1, 1, 1.0, 1.0, 1.0),
        "DS": (1, 0, 0, nan, 0.0, 0.0),
        "RS": (2, 2, 1, 0.5, 0.5, 0.5),
        "RG": (1, 1, 0, 0.0, 0.0, 0.0),
        "CF": (1, 2, 1, 0.5, 1.0, 2 / 3),
        "CS": (1, 0, 0, nan, 0.0, 0.0),
        "FS": (0, 1, 0, 0.0, nan, 0.0),
        ALL: (8, 7, 3, 3 / 7, 3 / 8, 0.4),
    }
    scores = ag.per_class()
    assert list(scores) == list(expected)
    for code, want in expected.items():
        got = scores[code]
        assert got[:3] == want[:3], code
        assert np.allclose(got[3:], want[3:], equal_nan=True), (code, got)

    # kappa on the 5 pairs: A RS DS DG CF CS, B RS RS DG CF CF; p_o = 3/5,
    # p_e = (RS 1*2 + DG 1*1 + CF 1*2) / 25 = 0.2 -> kappa = 0.4 / 0.8 = 0.5
    assert ag.kappa_class() == pytest.approx(0.5)
    # Sign_Qual: A all 1, B one 2: 4/5 alike, p_e = 4/5 -> kappa 0; Class_Unc likewise
    assert ag.agreement_sign_qual() == pytest.approx((0.8, 0.0))
    assert ag.agreement_class_unc() == pytest.approx((0.8, 0.0))
    assert ag.mean_iou == pytest.approx((95 / 105 + 90 / 110 + 3) / 5)


def test_confusion_matrix(perturbed):
    ag = compare_label_sets(*perturbed)
    labels, m = ag.confusion()
    assert labels == ["AR", "DG", "DS", "RS", "RG", "CF", "CS", "FS", UNMATCHED]
    k = {c: i for i, c in enumerate(labels)}
    u = k[UNMATCHED]
    assert m[k["RS"], k["RS"]] == 1 and m[k["DS"], k["RS"]] == 1
    assert m[k["CS"], k["CF"]] == 1 and m[k["CF"], k["CF"]] == 1 and m[k["DG"], k["DG"]] == 1
    assert m[k["RG"], u] == 1 and m[k["AR"], u] == 1 and m[k["RS"], u] == 1
    assert m[u, k["RG"]] == 1 and m[u, k["FS"]] == 1 and m[u, u] == 0
    assert m.sum() == 5 + 3 + 2
    scores = ag.per_class()
    for code in labels[:-1]:
        assert m[k[code]].sum() == scores[code].n_a, code
        assert m[:, k[code]].sum() == scores[code].n_b, code
    assert m[u].sum() == len(ag.unmatched_b) and m[:, u].sum() == len(ag.unmatched_a)


def test_unreadable_file_is_reported(perturbed):
    a, b = perturbed
    (b / "s2.dbf").write_bytes(b"this is not a dBASE file" * 10)
    ag = compare_label_sets(a, b)
    assert len(ag.problems) == 1
    assert "s2.shp" in ag.problems[0] and ag.problems[0].startswith("B: ")
    assert ag.skipped == ["s2"] and "s2" not in ag.stems
    # s2 is left out on both sides; s1 and s3 are compared as before
    assert all(p.stem == "s1" for p in ag.pairs) and len(ag.pairs) == 3
    assert sorted((s, lab.id) for s, lab in ag.unmatched_a) == [("s1", 4), ("s3", 1),
                                                                ("s3", 2)]
    assert [(s, lab.id) for s, lab in ag.unmatched_b] == [("s1", 14)]
    assert ag.per_class()[ALL][:3] == (6, 4, 2)


def test_other_crs_is_converted(tmp_path):
    from rasterio.warp import transform_bounds

    a_labels = A_FILES["s1"]
    b_labels = []
    for x in a_labels:
        lon0, lat0, lon1, lat1 = transform_bounds("EPSG:32632", "EPSG:4326", *x.bounds)
        b_labels.append(Label(lon0, lat0, lon1, lat1, cls=x.cls, sign_qual=1, class_unc=1,
                              ifg=IFG, bt=12, traj="A", id=x.id))
    write_set(tmp_path / "a", {"s1": a_labels})
    write_set(tmp_path / "b", {"s1": b_labels}, crs=4326)
    ag = compare_label_sets(tmp_path / "a", tmp_path / "b")
    assert len(ag.pairs) == 4 and all(p.id_a == p.id_b and p.iou > 0.9 for p in ag.pairs)
    assert any("converted" in w for w in ag.warnings)


def test_missing_folder(tmp_path):
    write_set(tmp_path / "a", A_FILES)
    with pytest.raises(FileNotFoundError):
        compare_label_sets(tmp_path / "a", tmp_path / "nope")


# ---------------------------------------------------------------- output

def test_csv(perturbed, tmp_path):
    ag = compare_label_sets(*perturbed)
    path = write_agreement_csv(ag, tmp_path / "out" / "agreement.csv")
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for col in ("class", "n_a", "n_b", "matched_same_class", "precision", "recall", "f1"):
        assert col in rows[0]
    by = {r["class"]: r for r in rows}
    assert [r["class"] for r in rows] == ["AR", "DG", "DS", "RS", "RG", "CF", "CS", "FS", ALL]
    assert (by["RS"]["n_a"], by["RS"]["n_b"], by["RS"]["matched_same_class"]) == ("2", "2", "1")
    assert (by["RS"]["matched_a"], by["RS"]["matched_b"]) == ("1", "2")
    assert (by["CF"]["precision"], by["CF"]["recall"], by["CF"]["f1"]) == ("0.5", "1",
                                                                          "0.666667")
    assert by["AR"]["precision"] == "nan" and by["AR"]["recall"] == "0"
    assert (by[ALL]["n_a"], by[ALL]["n_b"], by[ALL]["matched_same_class"]) == ("8", "7", "3")
    assert (by[ALL]["precision"], by[ALL]["recall"], by[ALL]["f1"]) == ("0.428571", "0.375",
                                                                       "0.4")
    assert by["DS"]["name"] == "Debris slide"

    others = sibling_paths(path)
    with open(others["confusion"], newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == ["a_class", "AR", "DG", "DS", "RS", "RG", "CF", "CS", "FS", UNMATCHED]
    matrix = np.array([[int(v) for v in row[1:]] for row in table[1:]])
    assert [row[0] for row in table[1:]] == table[0][1:]
    assert np.array_equal(matrix, ag.confusion()[1])

    with open(others["summary"], newline="") as fh:
        summary = {r["measure"]: r["value"] for r in csv.DictReader(fh)}
    assert summary["pairs"] == "5" and summary["kappa_class"] == "0.5"
    assert summary["detection_recall"] == "0.625" and summary["stems_only_in_a"] == "1"
    assert summary["sign_qual_agreement"] == "0.8"

    with open(others["boxes"], newline="") as fh:
        boxes = list(csv.DictReader(fh))
    status = sorted(r["status"] for r in boxes)
    assert status == ["class_differs"] * 2 + ["only_a"] * 3 + ["only_b"] * 2 + ["same_class"] * 3
    fs = next(r for r in boxes if r["cls_b"] == "FS")
    assert (fs["stem"], fs["id_b"], fs["id_a"], fs["iou"]) == ("s2", "23", "", "")


def test_png(perturbed, tmp_path):
    ag = compare_label_sets(*perturbed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = render_agreement(ag, tmp_path / "agreement.png", title="annotator 1 vs 2")
    assert out.exists() and out.stat().st_size > 5000
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_empty_comparison_renders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ag = compare_label_sets(tmp_path / "a", tmp_path / "b")
    assert ag.pairs == [] and ag.confusion()[0] == [UNMATCHED]
    assert math.isnan(ag.per_class()[ALL].f1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. a layout that collapsed
        out = render_agreement(ag, tmp_path / "empty.png")
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_cli_and_processing(alps_workspace, repo_root, tmp_path, qgis_processing):
    """Two annotators: B is A with one label reclassified and one removed."""
    import shutil
    import subprocess
    import sys

    import processing
    from qgis.core import QgsApplication

    from mirage_labeller.processing.provider import MirageProvider

    out, _ = alps_workspace
    a = tmp_path / "a"
    b = tmp_path / "b"
    shutil.copytree(out / "labels", a, ignore=shutil.ignore_patterns(".mirage*"))
    shutil.copytree(out / "labels", b, ignore=shutil.ignore_patterns(".mirage*"))
    store = LabelStore(b)
    stem = store.stems()[0]
    labs = store.read(stem).labels
    changed = replace(labs[0], cls="PR" if labs[0].cls != "PR" else "RG")
    store.write(stem, [changed] + labs[2:])
    expected = compare_label_sets(a, b)
    assert len(expected.pairs) == expected.n_a - 1 and len(expected.unmatched_a) == 1
    result = subprocess.run([sys.executable, "-m", "mirage_labeller", "agree", str(a), str(b),
                             "--csv", str(tmp_path / "ag.csv"), "--png",
                             str(tmp_path / "ag.png")], cwd=repo_root, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert f"{len(expected.pairs)} matched boxes" in result.stdout
    assert f"class kappa {expected.kappa_class():.2f}" in result.stdout
    assert (tmp_path / "ag.png").stat().st_size > 5000
    registry = QgsApplication.processingRegistry()
    provider = MirageProvider()
    assert registry.addProvider(provider)
    try:
        res = processing.run("mirage:agreement", {"A": str(a), "B": str(b), "MIN_IOU": 0.3,
                                                  "OUTPUT": "memory:"})
    finally:
        registry.removeProvider(provider)
    rows = {f["class"]: f for f in res["OUTPUT"].getFeatures()}
    all_row = expected.per_class()["all"]
    assert rows["all"]["matched_same_class"] == all_row.tp
    assert rows["all"]["f1"] == pytest.approx(all_row.f1)
    assert res["MATCHED"] == len(expected.pairs)
