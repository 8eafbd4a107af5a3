"""Grouping labels into mass-movement processes: the generator's truth is recovered, conflicts
are reported, the overlap rule does what its docstring says, ids are stable."""
import subprocess
import sys

import fiona
import numpy as np
import pytest

from mirage_labeller.core.dataset.processes import (
    LabelTable,
    candidate_pairs,
    group_labels,
    read_label_dir,
    summarise,
    write_processes,
)
from mirage_labeller.core.labels.schema import Label
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace


@pytest.fixture(scope="module")
def jittered(tmp_path_factory):
    out = tmp_path_factory.mktemp("rec") / "ws"
    truth = build_workspace(SynthConfig(str(out), seed=5, size=700, n_interferograms=10,
                                        box_jitter=0.1, class_conflicts=3))
    return out, truth


def _truth_groups(truth):
    groups = {}
    for body in truth["bodies"]:
        members = frozenset((stem, rec["label_id"]) for stem, rec in body["per_ifg"].items()
                            if rec.get("visible"))
        if members:
            groups[members] = body["process_id"]
    return groups


def test_recovers_the_generators_processes_and_planted_conflicts(jittered):
    out, truth = jittered
    table = read_label_dir(out / "labels")
    processes = group_labels(table)
    expected = _truth_groups(truth)
    got = {frozenset((table.stem[k], int(table.id[k])) for k in p.members): p for p in processes}
    assert set(got) == set(expected)  # exactly the same partition of the labels
    assert sum(p.n_labels for p in processes) == len(table) == sum(
        r["n_labels"] for r in truth["interferograms"])
    seen_twice = [members for members in expected if len(members) > 1]
    assert len(seen_twice) >= 5  # the test has recurrence to find
    # jitter really moved the boxes: labels of one process are not all the same box
    assert any(len({tuple(table.bounds[k]) for k in p.members}) > 1 for p in processes)
    planted = {c["process_id"] for c in truth["conflicts"]}
    assert len(planted) == 3
    conflicted = {expected[m] for m, p in got.items() if p.conflict}
    assert conflicted == planted
    for c in truth["conflicts"]:
        p = next(p for m, p in got.items() if expected[m] == c["process_id"])
        assert set(p.classes) == {c["true_class"], c["label_class"]}


def test_process_attributes(jittered):
    out, truth = jittered
    table = read_label_dir(out / "labels")
    processes = group_labels(table)
    bodies = {b["process_id"]: b for b in truth["bodies"]}
    groups = _truth_groups(truth)
    by_ifg = {r["stem"]: r for r in truth["interferograms"]}
    for p in processes:
        members = frozenset((table.stem[k], int(table.id[k])) for k in p.members)
        body = bodies[groups[members]]
        stems = {s for s, _ in members}
        assert p.ifgs == sorted({by_ifg[s]["ifg"] for s in stems})
        assert p.baselines == sorted({by_ifg[s]["bt"] for s in stems})
        assert p.tracks == sorted({by_ifg[s]["traj"] for s in stems})
        assert p.first_date.strftime("%Y%m%d") == min(by_ifg[s]["ifg"][:8] for s in stems)
        assert p.last_date.strftime("%Y%m%d") == max(by_ifg[s]["ifg"][9:] for s in stems)
        if not p.conflict:
            assert p.majority_class == body["class"]
        qual = [body["per_ifg"][s]["sign_qual"] for s in stems]
        assert p.mean_sign_qual == pytest.approx(np.mean(qual))
        b = table.bounds[p.members]
        assert p.envelope == (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


def test_candidate_pairs_match_brute_force():
    rng = np.random.default_rng(0)
    n = 1500
    x, y = rng.uniform(0, 20000, n), rng.uniform(5e6, 5.02e6, n)
    w, h = rng.uniform(30, 3000, n), rng.uniform(30, 2000, n)
    b = np.c_[x, y, x + w, y + h]
    b[::5] = np.round(b[::5], -2)  # shared edges and corners: touching is not overlapping
    b[1:20, 2:] = b[1:20, :2] + 9000  # boxes spanning many grid cells
    b[20:25, 2] = b[20:25, 0]  # no width
    b[25, 1] = np.nan  # a damaged coordinate overlaps nothing and breaks nothing
    i, j = candidate_pairs(b)
    got = set(zip(i.tolist(), j.tolist()))
    assert len(got) == i.size  # each pair once
    bi, bj = np.triu_indices(n, 1)
    with np.errstate(invalid="ignore"):
        overlap = ((np.minimum(b[bi, 2], b[bj, 2]) > np.maximum(b[bi, 0], b[bj, 0]))
                   & (np.minimum(b[bi, 3], b[bj, 3]) > np.maximum(b[bi, 1], b[bj, 1])))
    assert got == set(zip(bi[overlap].tolist(), bj[overlap].tolist()))


def _label(box, cls="RG", ifg="20190805_20190817", lab_id=1, traj="A", bt=12, q=1):
    return Label(*box, cls=cls, sign_qual=q, class_unc=1, ifg=ifg, bt=bt, traj=traj, id=lab_id)


def _pairs_linked(box_a, box_b, **kw):
    rows = [("a", _label(box_a)), ("b", _label(box_b))]
    return len(group_labels(LabelTable.from_rows(rows), **kw)) == 1


def test_overlap_rule():
    body = (0.0, 0.0, 600.0, 600.0)
    lobe = (300.0, 300.0, 600.0, 600.0)  # a quarter of the body inside it: IoU 0.25
    assert _pairs_linked(body, lobe)
    rockslide = (0.0, 0.0, 150.0, 150.0)  # 1/16 of a deep-seated body: another movement
    assert not _pairs_linked(body, rockslide)
    assert _pairs_linked(body, rockslide, max_area_ratio=20)
    assert _pairs_linked(body, (300.0, 0.0, 900.0, 600.0))  # half of an equal box
    assert not _pairs_linked(body, (330.0, 0.0, 930.0, 600.0))  # 45 %
    assert _pairs_linked(body, (330.0, 0.0, 930.0, 600.0), min_overlap=0.4)
    assert not _pairs_linked(body, (600.0, 0.0, 1200.0, 600.0))  # touching only
    # two boxes of one interferogram are two signals, even on the same ground...
    same_ifg = [("a", _label(body)), ("a", _label(lobe, lab_id=2))]
    assert len(group_labels(LabelTable.from_rows(same_ifg))) == 2
    # ...unless another interferogram's label ties both to one movement
    tied = same_ifg + [("b", _label((0.0, 0.0, 600.0, 600.0)))]
    assert len(group_labels(LabelTable.from_rows(tied))) == 1


def test_ids_are_stable_and_survive_later_labels(jittered, tmp_path):
    import shutil

    out, _ = jittered
    first = {p.pid: sorted(p.members.tolist())
             for p in group_labels(read_label_dir(out / "labels"))}
    again = {p.pid: sorted(p.members.tolist())
             for p in group_labels(read_label_dir(out / "labels"))}
    assert first == again
    copy = tmp_path / "labels"
    shutil.copytree(out / "labels", copy)
    table = read_label_dir(copy)
    p = max(group_labels(table), key=lambda p: p.n_labels)
    k = p.members[0]
    stem = table.stem[k]
    store = LabelStore(copy)
    extra = _label(tuple(table.bounds[k]), table.cls[k], table.ifg[k], None,
                   table.traj[k], int(table.bt[k]))
    store.write(stem, store.read(stem).labels + [extra])  # a later duplicate box
    grown = {p.pid: p for p in group_labels(read_label_dir(copy))}
    assert set(grown) == set(first)
    assert grown[p.pid].n_labels == p.n_labels + 1


def test_geopackage_and_cli(jittered, repo_root, tmp_path):
    out, truth = jittered
    table = read_label_dir(out / "labels")
    processes = group_labels(table)
    gpkg = write_processes(table, processes, tmp_path / "p.gpkg")
    assert fiona.listlayers(str(gpkg)) == ["processes", "envelopes", "members"]
    with fiona.open(str(gpkg), layer="processes") as src:
        assert src.crs.to_epsg() == 32632
        feats = list(src)
    assert len(feats) == len(processes)
    from shapely.geometry import shape

    by_pid = {p.pid: p for p in processes}
    for f in feats:
        p = by_pid[f["properties"]["pid"]]
        assert f["properties"]["n_labels"] == p.n_labels
        assert f["properties"]["conflict"] == int(p.conflict)
        geom = shape(f["geometry"])
        env = p.envelope
        assert geom.area <= (env[2] - env[0]) * (env[3] - env[1]) + 1e-6
        assert geom.bounds == pytest.approx(env)
    with fiona.open(str(gpkg), layer="members") as src:
        assert len(src) == len(table)
    result = subprocess.run([sys.executable, "-m", "mirage_labeller", "processes", str(out),
                             "--out", str(tmp_path / "cli.gpkg"), "--quiet"], cwd=repo_root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    s = summarise(processes)
    assert f"{len(table)} labels, {s['processes']} processes" in result.stdout
    assert result.stdout.count("conflict P") == 3


def test_unreadable_file_is_skipped_with_a_warning(jittered, tmp_path):
    import shutil

    out, _ = jittered
    copy = tmp_path / "labels"
    shutil.copytree(out / "labels", copy)
    victim = sorted(copy.glob("*.dbf"))[0]
    victim.write_bytes(b"not a dbf")
    table = read_label_dir(copy)
    assert len(table.warnings) == 1 and victim.stem in table.warnings[0]
    assert len(table) > 0 and victim.stem not in set(table.stem)


def test_processing_algorithm(jittered, qgis_processing, tmp_path):
    import processing
    from qgis.core import QgsApplication

    from mirage_labeller.processing.provider import MirageProvider

    out, truth = jittered
    registry = QgsApplication.processingRegistry()
    provider = MirageProvider()
    assert registry.addProvider(provider)
    try:
        result = processing.run("mirage:processes", {"FOLDER": str(out), "MIN_OVERLAP": 0.5,
                                                     "MAX_AREA_RATIO": 9.0,
                                                     "OUTPUT": str(tmp_path / "p.gpkg")})
    finally:
        registry.removeProvider(provider)
    assert result["N_PROCESSES"] == len(_truth_groups(truth))
    assert result["N_CONFLICTS"] == 3
    assert result["N_LABELS"] == sum(r["n_labels"] for r in truth["interferograms"])
    with fiona.open(str(tmp_path / "p.gpkg"), layer="processes") as src:
        assert len(src) == result["N_PROCESSES"]
