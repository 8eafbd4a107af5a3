"""The workspace convention and its fallbacks."""
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mirage_labeller.core.base.errors import InputError
from mirage_labeller.core.interferograms.workspace import open_workspace


def tif(path, tags=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="GTiff", width=8, height=8, count=1, dtype="float32",
                       crs="EPSG:32632", transform=from_origin(600000, 5100000, 15, 15)) as d:
        d.write(np.zeros((8, 8), "float32"), 1)
        if tags:
            d.update_tags(**tags)


def test_synthetic_workspace_is_read_whole(alps_workspace):
    out, truth = alps_workspace
    ws = open_workspace(out)
    assert len(ws.interferograms) == 6 and ws.problems == []
    assert ws.dem == out / "dem" / "dem.tif"
    by_stem = {r["stem"]: r for r in truth["interferograms"]}
    for item in ws.interferograms:
        rec = by_stem[item.label_stem]
        assert item.coherence.name == rec["coherence"].split("/")[-1]
        assert item.label_path == out / "labels" / f"{rec['stem']}.shp"
        assert item.label_count == rec["n_labels"]
        assert (item.meta.ifg, item.meta.bt, item.meta.traj) == (rec["ifg"], rec["bt"], rec["traj"])
    masters = [it.meta.master for it in ws.interferograms]
    assert masters == sorted(masters)


def test_gmtsar_folders_and_flat_folders(tmp_path):
    gmtsar = tmp_path / "gmtsar"
    for pair in ("2019227_2019233", "2019233_2019245"):
        tif(gmtsar / "interferograms" / "asc" / pair / "phasefilt.tif")
        tif(gmtsar / "interferograms" / "asc" / pair / "corr.tif")
    ws = open_workspace(gmtsar)
    assert [(i.meta.ifg, i.meta.traj) for i in ws.interferograms] == [
        ("20190816_20190822", "A"), ("20190822_20190903", "A")]
    assert all(i.coherence is not None and i.coherence.name == "corr.tif"
               for i in ws.interferograms)
    # two files called phasefilt: label files are told apart by their folder
    assert [i.label_stem for i in ws.interferograms] == [
        "2019227_2019233_phasefilt", "2019233_2019245_phasefilt"]

    flat = tmp_path / "flat"
    tif(flat / "cropA_20180106-20180130_VV_eqa_unw.tif")
    tif(flat / "cropA_20180106-20180130_VV_flat_eqa_cc.tif")
    tif(flat / "cropA_T005A_dem.tif")
    tif(flat / "mystery.tif")
    ws = open_workspace(flat)
    names = [i.path.name for i in ws.interferograms]
    assert names == ["cropA_20180106-20180130_VV_eqa_unw.tif", "mystery.tif"]
    assert ws.dem.name == "cropA_T005A_dem.tif"
    assert ws.interferograms[0].coherence.name.endswith("_cc.tif")
    assert any("mystery.tif" in p and "no master/slave dates" in p for p in ws.problems)
    assert any("mystery.tif" in p and "no coherence map" in p for p in ws.problems)


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(InputError, match="nope: workspace folder not found"):
        open_workspace(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(InputError, match="is a file, not a workspace folder"):
        open_workspace(tmp_path / "file.txt")
    (tmp_path / "file.txt").unlink()
    ws = open_workspace(tmp_path)
    assert ws.interferograms == [] and "no interferogram found" in ws.problems[0]


def test_same_names_in_deeper_folders_get_distinct_label_files(tmp_path):
    for swath in ("F1", "F2"):
        tif(tmp_path / "interferograms" / "asc" / swath / "intf" / "2019227_2019233"
            / "phasefilt.tif")
    ws = open_workspace(tmp_path)
    stems = [i.label_stem for i in ws.interferograms]
    assert sorted(stems) == ["F1_intf_2019227_2019233_phasefilt",
                             "F2_intf_2019227_2019233_phasefilt"]
