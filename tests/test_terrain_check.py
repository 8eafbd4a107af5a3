"""Step 2: the terrain under a box against random pixels outside labels, and the warnings."""
import fiona
import numpy as np
import pytest
import scipy.stats
from rasterio.transform import from_origin

from mirage_labeller.core.geotiff import write_geotiff
from mirage_labeller.core.morphometry import derive_morphometry
from mirage_labeller.core.terrain_check import (check_terrain, circular_mean_deg, ks_2samp,
                                                render_histograms)


def test_ks_matches_scipy():
    rng = np.random.default_rng(0)
    for shift in (0.0, 0.2, 0.5):
        a, b = rng.normal(0, 1, 300), rng.normal(shift, 1, 500)
        d, p = ks_2samp(a, b)
        ref = scipy.stats.ks_2samp(a, b, method="asymp")
        assert d == pytest.approx(ref.statistic)
        assert p == pytest.approx(ref.pvalue, abs=0.02)
    assert circular_mean_deg(np.array([350.0, 10.0])) == pytest.approx(0.0, abs=1e-9)


@pytest.fixture(scope="module")
def valley(tmp_path_factory):
    """A flat valley floor (x < 3 km), a north-facing slope and an east-facing slope."""
    root = tmp_path_factory.mktemp("valley")
    n, L = 400, 15.0
    rows, cols = np.mgrid[0:n, 0:n].astype(float)
    x, y = cols * L, (n - 1 - rows) * L
    z = np.where(x < 3000, 1000.0, 1000.0 + 0.6 * (x - 3000))  # 31 deg, facing west
    z = np.where(y > 4500, z + 0.6 * (y - 4500), z)  # higher to the north: faces south
    rng = np.random.default_rng(1)
    z = z + rng.normal(0, 0.05, z.shape)
    t = from_origin(600000, 5100000 + n * L, L, L)
    write_geotiff(root / "dem.tif", z.astype("float32"), t)
    result = derive_morphometry(root / "dem.tif", root / "terrain")
    coh = np.where(x < 1500, 0.1, 0.7).astype("float32")
    write_geotiff(root / "coh.tif", coh, t)
    with fiona.open(str(root / "inventory.gpkg"), "w", driver="GPKG", crs="EPSG:32632",
                    schema={"geometry": "Polygon", "properties": {"tipo": "str"}}) as dst:
        dst.write({"geometry": {"type": "Polygon", "coordinates": [[
            (603300, 5101500), (603300, 5102500), (604300, 5102500), (604300, 5101500),
            (603300, 5101500)]]}, "properties": {"tipo": "rock glacier"}})
    layers = {k: str(v) for k, v in result.paths.items() if k != "hillshade"}
    return root, layers


def test_flat_and_decorrelated_box_warns(valley):
    root, layers = valley
    box = (600300.0, 5101000.0, 600900.0, 5101600.0)  # flat floor, coherence 0.1
    check = check_terrain([box], layers, traj="A", coherence_path=str(root / "coh.tif"))
    text = " ".join(check.warnings)
    assert "flat terrain" in text and "mostly decorrelated" in text
    assert check.coherence_below == 1.0
    slope = check.comparison("slope")
    assert slope.median_inside < 1.0 and slope.inside.size == 40 * 40
    assert slope.outside.size == slope.inside.size  # an equal number drawn outside


def test_line_of_sight_sensitivity_warnings(valley):
    """A 31 degree west-facing slope: the descending track (looking west) sees 93 % of a
    downslope motion; for the ascending one the westward and the sinking parts cancel."""
    root, layers = valley
    facing_west = (603600.0, 5100600.0, 604200.0, 5101200.0)
    check = check_terrain([facing_west], layers, traj="D", coherence_path=str(root / "coh.tif"))
    assert check.los_sensitivity == pytest.approx(-0.93, abs=0.02)
    assert not any("line-of-sight" in w for w in check.warnings)
    check = check_terrain([facing_west], layers, traj="A")
    assert check.los_sensitivity == pytest.approx(0.13, abs=0.02)
    assert any("across the line of sight" in w for w in check.warnings)
    facing_south = (600300.0, 5104800.0, 600900.0, 5105400.0)
    check = check_terrain([facing_south], layers, traj="D")
    assert any("faces along the satellite's flight direction" in w for w in check.warnings)
    assert check.comparison("aspect").median_inside == pytest.approx(180, abs=1)


def test_inventory_overlap_is_named(valley, tmp_path):
    root, layers = valley
    box = (603600.0, 5101800.0, 604000.0, 5102200.0)
    check = check_terrain([box], layers, traj="A",
                          inventories={"rock_glaciers": str(root / "inventory.gpkg")})
    assert check.inventory_hits == ["rock_glaciers: tipo=rock glacier (100% of the box)"]
    assert any("overlaps inventory rock_glaciers" in w for w in check.warnings)
    png = render_histograms(check, tmp_path / "h.png", "test")
    assert png.stat().st_size > 5000
    with pytest.raises(ValueError):
        check_terrain([], layers)


def test_outside_sample_avoids_labels(valley):
    root, layers = valley
    box = (603600.0, 5100600.0, 604200.0, 5101200.0)
    everything_but_floor = [(603000.0, 5100000.0, 606000.0, 5106000.0)]
    check = check_terrain([box], {"slope": layers["slope"]}, label_boxes=everything_but_floor)
    assert np.median(check.comparison("slope").outside) < 1.0  # only the floor is left
