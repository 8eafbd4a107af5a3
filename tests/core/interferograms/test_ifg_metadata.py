"""Dates, IFG, Bt and Traj from the names, folders and tags real products use."""
import datetime as dt

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mirage_labeller.core.interferograms.metadata import (
    infer_traj_from_time,
    is_coherence_name,
    pair_coherence,
    parse_interferogram_path,
)

CASES = [
    # (path, IFG, Bt, Traj)
    ("/d/20190816_20190822.tif", "20190816_20190822", 6, None),
    ("/d/117A_05123_131313/interferograms/20190816_20190822/20190816_20190822.geo.diff_pha.tif",
     "20190816_20190822", 6, "A"),
    ("/d/interferograms/095D_05078_131313_20200111_20200123.geo.diff_pha.tif",
     "20200111_20200123", 12, "D"),
    ("/d/cropA_20180106-20180130_VV_8rlks_eqa_unw.tif", "20180106_20180130", 24, None),
    ("/d/T005A/cropA_20180106-20180130_eqa_unw.tif", "20180106_20180130", 24, "A"),
    # GMTSAR: day of year counted from 0, so 2019227 is 16 August 2019
    ("/d/asc/intf/2019227_2019233/phasefilt.grd", "20190816_20190822", 6, "A"),
    ("/d/F2_desc/2020000_2020012/phasefilt.grd", "20200101_20200113", 12, "D"),
    ("/d/S1AA_20161223T070700_20170116T070658_VVP024_INT80_G_ueF_5A2C_wrapped_phase.tif",
     "20161223_20170116", 24, None),
    ("/d/ifg_desc_20190805_20190817.tif", "20190805_20190817", 12, "D"),
    ("/d/ifg_A_20190805_20190817.tif", "20190805_20190817", 12, "A"),
    ("/d/20190805_20190817_D_phase.tif", "20190805_20190817", 12, "D"),
    ("/d/ascending/20190805_20200804.tif", "20190805_20200804", 365, "A"),
]


@pytest.mark.parametrize("path, ifg, bt, traj", CASES)
def test_name_table(path, ifg, bt, traj):
    meta = parse_interferogram_path(path)
    assert (meta.ifg, meta.bt, meta.traj) == (ifg, bt, traj)
    dates_problems = [p for p in meta.problems if p.startswith("dates:")]
    assert dates_problems == []
    if traj is None:
        assert any(p.startswith("traj:") and "please supply A or D" in p for p in meta.problems)
        assert not meta.complete
    else:
        assert meta.complete


def test_frame_id_gives_track_number():
    meta = parse_interferogram_path("/x/168D_05207_131313_20190806_20190812.geo.diff_pha.tif")
    assert meta.track == 168 and meta.traj == "D"
    assert "frame id 168D_05207_131313" in meta.sources["traj"]


@pytest.mark.parametrize("path, fragment", [
    ("/d/20190822_20190816.tif", "not after the first"),
    ("/d/20191345_20191401.tif", "not a valid date"),
    ("/d/2019400_2019406/phasefilt.grd", "does not exist in 2019"),
    ("/d/interferogram_final.tif", "no master/slave dates found"),
    ("/d/S1AA_20161223T070700_20170116T070658_VVP012_INT80_G.tif", "12-day pair"),
])
def test_bad_dates_are_explained_and_left_to_the_caller(path, fragment):
    meta = parse_interferogram_path(path)
    msgs = [p for p in meta.problems if p.startswith("dates:")]
    assert msgs and fragment in msgs[0], meta.problems
    assert not meta.complete
    fixed = meta.with_values(master=dt.date(2019, 8, 16), slave=dt.date(2019, 8, 22), traj="d")
    assert (fixed.ifg, fixed.bt, fixed.traj) == ("20190816_20190822", 6, "D")
    assert fixed.complete and fixed.sources["dates"] == "supplied by the user"


def test_contradictory_orbit_words_are_a_problem():
    meta = parse_interferogram_path("/d/asc_desc_20190805_20190817.tif")
    assert meta.traj is None
    assert any("contradictory" in p for p in meta.problems)


def test_supplied_orbit_must_be_a_or_d():
    meta = parse_interferogram_path("/d/20190805_20190817.tif")
    with pytest.raises(ValueError):
        meta.with_values(traj="north")


def _tif(path, tags):
    with rasterio.open(path, "w", driver="GTiff", width=4, height=4, count=1, dtype="float32",
                       crs="EPSG:4326", transform=from_origin(-99.2, 19.45, 0.001, 0.001)) as d:
        d.write(np.zeros((4, 4), "float32"), 1)
        d.update_tags(**tags)


def test_dates_and_orbit_from_geotiff_tags(tmp_path):
    path = tmp_path / "interferogram.tif"
    _tif(path, {"FIRST_DATE": "2018-01-06", "SECOND_DATE": "2018-01-30", "FIRST_TIME": "00:40:21"})
    with rasterio.open(path) as src:
        tags = src.tags()
    meta = parse_interferogram_path(str(path), tags, centre_lon=-99.12)
    assert (meta.ifg, meta.bt, meta.traj) == ("20180106_20180130", 24, "A")
    assert meta.sources["dates"] == "GeoTIFF tags FIRST_DATE/SECOND_DATE"
    assert "inferred from the acquisition time" in meta.sources["traj"]
    assert meta.notes  # the guess is flagged for the user
    reversed_tags = {"FIRST_DATE": "2018-01-30", "SECOND_DATE": "2018-01-06"}
    meta = parse_interferogram_path(str(path), reversed_tags)
    assert meta.ifg is None and any("master/slave order" in p for p in meta.problems)


def test_orbit_from_time_of_day():
    # Sentinel-1: ascending ~18:00, descending ~06:00 local solar time
    assert infer_traj_from_time(dt.time(17, 10), lon=10.0) == "A"
    assert infer_traj_from_time(dt.time(5, 20), lon=10.0) == "D"
    assert infer_traj_from_time(dt.time(0, 40), lon=-99.0) == "A"
    assert infer_traj_from_time(dt.time(12, 0), lon=0.0) is None


def test_coherence_names_and_pairing():
    assert is_coherence_name("20190816_20190822.geo.cc.tif")
    assert is_coherence_name("cropA_20180106-20180130_VV_8rlks_flat_eqa_cc.tif")
    assert is_coherence_name("corr.grd") and is_coherence_name("x_coh.tif")
    assert not is_coherence_name("20190816_20190822.geo.diff_pha.tif")
    ifg = parse_interferogram_path(
        "/w/interferograms/015A_05124_131313_20190805_20190817.geo.diff_pha.tif")
    cands = [parse_interferogram_path(p) for p in (
        "/w/coherence/168D_05207_131313_20190805_20190817.geo.cc.tif",  # other orbit
        "/w/coherence/015A_05124_131313_20190805_20190829.geo.cc.tif",  # other dates
        "/w/coherence/015A_05124_131313_20190805_20190817.geo.cc.tif")]
    assert pair_coherence(ifg, cands).path.endswith(
        "015A_05124_131313_20190805_20190817.geo.cc.tif")
    assert pair_coherence(ifg, cands[:2]) is None
    gmtsar = parse_interferogram_path("/g/2019227_2019233/phasefilt.grd")
    corr = parse_interferogram_path("/g/2019227_2019233/corr.grd")
    assert pair_coherence(gmtsar, [corr]) is corr


def test_supplying_only_one_date_keeps_asking_for_the_other():
    meta = parse_interferogram_path("/d/interferogram_final.tif")
    half = meta.with_values(master=dt.date(2019, 8, 16))
    assert half.ifg is None and not half.complete
    assert any("both the master and the slave" in p for p in half.problems)
