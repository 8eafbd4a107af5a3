"""The terrain check of a workspace's labels from the command line and Processing: the same
numbers as check_terrain on the same boxes, readable errors."""
import shutil
import subprocess
import sys

import numpy as np
import pytest

from mirage_labeller.core.interferograms.workspace import open_workspace
from mirage_labeller.core.labels.store import LabelStore
from mirage_labeller.core.terrain.check import check_terrain
from mirage_labeller.core.terrain.morphometry import derive_morphometry
from mirage_labeller.core.terrain.workspace_check import check_workspace_box, find_interferogram


@pytest.fixture(scope="module")
def terrain_workspace(alps_workspace, tmp_path_factory):
    out = tmp_path_factory.mktemp("tr") / "ws"
    shutil.copytree(alps_workspace[0], out)
    derive_morphometry(out / "dem" / "dem.tif", out / "dem", ["slope", "aspect"])
    ws = open_workspace(out)
    item = next(it for it in ws.interferograms if LabelStore(ws.label_dir).count(it.label_stem))
    return out, ws, item


def test_same_numbers_as_the_check_on_the_same_boxes(terrain_workspace):
    out, ws, item = terrain_workspace
    store = LabelStore(ws.label_dir)
    labels = store.read(item.label_stem).labels
    cls = labels[0].cls
    check, found, notes = check_workspace_box(out, item.label_stem, cls=cls)
    assert found.path == item.path and notes == []
    every_label = [lab.bounds for s in store.stems() for lab in store.read(s).labels]
    direct = check_terrain([lab.bounds for lab in labels if lab.cls == cls],
                           {n: str(ws.terrain_layers[n]) for n in ("slope", "aspect")},
                           every_label, item.meta.traj, str(item.coherence))
    assert [c.name for c in check.comparisons] == ["slope", "aspect"]
    for a, b in zip(check.comparisons, direct.comparisons):
        assert a.median_inside == b.median_inside and a.ks_d == b.ks_d
        assert np.array_equal(a.outside, b.outside)
    assert check.warnings == direct.warnings and check.facts == direct.facts
    by_id, _, _ = check_workspace_box(out, item.label_stem, label_ids=[labels[0].id])
    assert by_id.comparison("slope").inside.size > 0


def test_interferogram_by_ifg_and_clear_errors(terrain_workspace, tmp_path):
    out, ws, item = terrain_workspace
    assert find_interferogram(ws, item.path.name).path == item.path
    with pytest.raises(ValueError, match="no such interferogram"):
        find_interferogram(ws, "20000101_20000107")
    with pytest.raises(ValueError, match="no label with Id 999"):
        check_workspace_box(out, item.label_stem, label_ids=[999])
    with pytest.raises(ValueError, match="xmax > xmin"):
        check_workspace_box(out, item.label_stem, box=(10, 10, 5, 20))
    bare = tmp_path / "bare"
    shutil.copytree(out, bare, ignore=shutil.ignore_patterns("slope.tif", "aspect.tif"))
    with pytest.raises(ValueError, match="no terrain layers; derive them first"):
        check_workspace_box(bare, item.label_stem, cls="RG")


def test_cli(terrain_workspace, repo_root, tmp_path):
    out, ws, item = terrain_workspace
    lab = LabelStore(ws.label_dir).read(item.label_stem).labels[0]
    cmd = [sys.executable, "-m", "mirage_labeller", "terrain-check", str(out), item.label_stem]
    result = subprocess.run(cmd + ["--box", *map(str, lab.bounds), "--png",
                                   str(tmp_path / "h.png")], cwd=repo_root, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    slope_row = next(line for line in result.stdout.splitlines() if line.startswith("slope"))
    check, _, _ = check_workspace_box(out, item.label_stem, box=lab.bounds)
    assert f"{check.comparison('slope').median_inside:9.3f}" in slope_row
    assert (tmp_path / "h.png").stat().st_size > 5000
    result = subprocess.run(cmd + ["--id", "999"], cwd=repo_root, capture_output=True, text=True)
    assert result.returncode == 1 and "no label with Id 999" in result.stderr
    assert "Traceback" not in result.stderr


def test_processing(terrain_workspace, qgis_processing, tmp_path):
    import processing
    from qgis.core import QgsApplication

    from mirage_labeller.processing.provider import MirageProvider

    out, ws, item = terrain_workspace
    registry = QgsApplication.processingRegistry()
    provider = MirageProvider()
    assert registry.addProvider(provider)
    try:
        lab = LabelStore(ws.label_dir).read(item.label_stem).labels[0]
        result = processing.run("mirage:terraincheck", {
            "WORKSPACE": str(out), "INTERFEROGRAM": item.meta.ifg, "IDS": str(lab.id),
            "CLASS": "", "BOX": "", "THRESHOLD": 0.2, "PNG": str(tmp_path / "p.png"),
            "OUTPUT": "memory:"})
        rows = {f["layer"]: f for f in result["OUTPUT"].getFeatures()}
        check, _, _ = check_workspace_box(out, item.label_stem, label_ids=[lab.id])
        assert set(rows) == {"slope", "aspect"}
        assert rows["slope"]["median_box"] == pytest.approx(
            check.comparison("slope").median_inside)
        assert rows["slope"]["n_box"] == check.comparison("slope").inside.size
        assert (tmp_path / "p.png").stat().st_size > 5000
        from qgis.core import QgsProcessingException
        with pytest.raises(QgsProcessingException, match="four numbers"):
            processing.run("mirage:terraincheck", {
                "WORKSPACE": str(out), "INTERFEROGRAM": item.meta.ifg, "BOX": "1,2,3",
                "OUTPUT": "memory:"})
    finally:
        registry.removeProvider(provider)


def test_labels_in_metres_over_rasters_in_degrees(degree_workspace, tmp_path):
    """Boxes in the labels' UTM zone are converted to each layer's CRS: the inside sample is
    the box's own terrain, not an empty window in degrees."""
    out = tmp_path / "ws"
    shutil.copytree(degree_workspace, out)
    derive_morphometry(out / "dem" / "dem.tif", out / "dem", ["slope"])
    ws = open_workspace(out)
    store = LabelStore(ws.label_dir)
    item = next(it for it in ws.interferograms if store.count(it.label_stem))
    label = store.read(item.label_stem).labels[0]
    check, _, _ = check_workspace_box(out, item.label_stem, label_ids=[label.id])
    slope = check.comparisons[0]
    assert slope.name == "slope" and slope.inside.size > 20
    assert np.isfinite(slope.median_inside)
