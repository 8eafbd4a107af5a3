"""The Processing algorithms run through processing.run, like the toolbox or qgis_process."""
import pytest
from qgis.core import QgsApplication


@pytest.fixture
def provider(qgis_processing):
    from mirage_labeller.processing.provider import MirageProvider

    registry = QgsApplication.processingRegistry()
    prov = MirageProvider()
    assert registry.addProvider(prov)
    yield prov
    registry.removeProvider(prov)


def test_synthetic_workspace_and_metadata_algorithms(provider, tmp_path):
    import processing

    from mirage_labeller.core.labels.store import LabelStore

    out = tmp_path / "ws"
    result = processing.run("mirage:syntheticworkspace", {
        "REGION": 1, "SEED": 2, "SIZE": 400, "INTERFEROGRAMS": 2, "CLEAN": False,
        "OUTPUT": str(out)})
    store = LabelStore(out / "labels")
    assert result["N_LABELS"] == sum(len(store.read(s).labels) for s in store.stems())
    tifs = sorted((out / "interferograms").glob("*.tif"))
    assert len(tifs) == 2
    meta = processing.run("mirage:interferogrammetadata", {"INPUT": str(tifs[0])})
    assert (meta["IFG"], meta["BT"], meta["TRAJ"]) == ("20200110_20200116", 6, "A")
    assert meta["PROBLEMS"] == ""


def test_screen_and_morphometry_algorithms(provider, alps_workspace, tmp_path):
    import csv

    import processing

    out, truth = alps_workspace
    result = processing.run("mirage:screeninterferograms", {
        "FOLDER": str(out), "THRESHOLD": 0.3, "OVERVIEWS": False,
        "CSV": str(tmp_path / "s.csv"), "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    assert layer.featureCount() == len(truth["interferograms"])
    scores = [f["score"] for f in layer.getFeatures()]
    assert scores == sorted(scores, reverse=True)
    assert all(f["threshold"] == 0.3 for f in layer.getFeatures())
    with open(tmp_path / "s.csv", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(truth["interferograms"])
    result = processing.run("mirage:morphometry", {
        "DEM": str(out / "dem" / "dem.tif"), "LAYERS": [1, 6], "OUTPUT": str(tmp_path / "t")})
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == ["slope.tif", "twi.tif"]
    assert result["SLOPE"].endswith("slope.tif")
