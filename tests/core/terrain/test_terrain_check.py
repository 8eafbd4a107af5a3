"""Step 2: the terrain under a box against random pixels outside labels, and the warnings."""
import fiona
import numpy as np
import pytest
import scipy.stats
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.terrain.check import (
    check_terrain,
    circular_mean_deg,
    ks_2samp,
    render_histograms,
)
from mirage_labeller.core.terrain.morphometry import derive_morphometry


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
    n, px = 400, 15.0
    rows, cols = np.mgrid[0:n, 0:n].astype(float)
    x, y = cols * px, (n - 1 - rows) * px
    z = np.where(x < 3000, 1000.0, 1000.0 + 0.6 * (x - 3000))  # 31 deg, facing west
    z = np.where(y > 4500, z + 0.6 * (y - 4500), z)  # higher to the north: faces south
    rng = np.random.default_rng(1)
    z = z + rng.normal(0, 0.05, z.shape)
    t = from_origin(600000, 5100000 + n * px, px, px)
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


def _to_wgs84(src_path, dst_path):
    """The same raster warped to EPSG:4326, as a LiCSAR product or an SRTM tile would come."""
    import rasterio
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    with rasterio.open(src_path) as src:
        transform, w, h = calculate_default_transform(src.crs, "EPSG:4326", src.width,
                                                      src.height, *src.bounds)
        profile = src.profile.copy()
        profile.update(crs="EPSG:4326", transform=transform, width=w, height=h, tiled=False,
                       driver="GTiff")
        profile.pop("blockxsize", None)
        profile.pop("blockysize", None)
        with rasterio.open(dst_path, "w", **profile) as dst:
            reproject(rasterio.band(src, 1), rasterio.band(dst, 1),
                      resampling=Resampling.nearest)


def test_layers_and_inventories_in_other_crs_are_read_where_the_box_is(valley, tmp_path):
    """Boxes in the labels' UTM, layers, coherence and inventory in degrees: the box is
    converted to each file's CRS, and the result matches the all-UTM check."""
    import geopandas as gpd

    root, layers = valley
    geo_layers = {}
    for name in ("slope", "aspect"):
        geo_layers[name] = str(tmp_path / f"{name}.tif")
        _to_wgs84(layers[name], geo_layers[name])
    _to_wgs84(root / "coh.tif", tmp_path / "coh.tif")
    gpd.read_file(root / "inventory.gpkg").to_crs(4326).to_file(tmp_path / "inv.gpkg")
    facing_west_in_inventory = (603600.0, 5101800.0, 604000.0, 5102200.0)
    utm = check_terrain([facing_west_in_inventory], {k: layers[k] for k in geo_layers}, traj="D",
                        coherence_path=str(root / "coh.tif"))
    geo = check_terrain([facing_west_in_inventory], geo_layers, traj="D",
                        coherence_path=str(tmp_path / "coh.tif"),
                        inventories={"rg": str(tmp_path / "inv.gpkg")}, boxes_crs="EPSG:32632")
    for name in geo_layers:
        assert geo.comparison(name).median_inside == pytest.approx(
            utm.comparison(name).median_inside, abs=1.0)
    assert geo.coherence_below == utm.coherence_below == 0.0
    assert len(geo.inventory_hits) == 1 and "tipo=rock glacier" in geo.inventory_hits[0]
    # a box off the rasters reads nothing rather than a window of nodata the size of the world
    far = (700000.0, 5200000.0, 700300.0, 5200300.0)
    assert check_terrain([far], geo_layers, boxes_crs="EPSG:32632").comparisons == []


def test_small_layer_outside_sample_is_the_whole_outside(valley):
    root, layers = valley
    big = (600000.0, 5100000.0, 605000.0, 5105500.0)  # most of the 6 km square
    check = check_terrain([big], {"slope": layers["slope"]})
    comp = check.comparison("slope")
    assert comp.outside.size < comp.inside.size
    import rasterio

    with rasterio.open(layers["slope"]) as src:
        slope = src.read(1, masked=True).filled(np.nan)
    rows, cols = np.mgrid[0:400, 0:400]
    xs, ys = 600000 + (cols + 0.5) * 15, 5106000 - (rows + 0.5) * 15
    in_box = (xs >= big[0]) & (xs <= big[2]) & (ys >= big[1]) & (ys <= big[3])
    expected = slope[~in_box & np.isfinite(slope)]  # the edge is nodata
    assert comp.outside.size == expected.size  # every outside pixel once, none drawn twice
    assert np.array_equal(np.sort(comp.outside), np.sort(expected))
