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

    from mirage_labeller.core.label_store import LabelStore

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
