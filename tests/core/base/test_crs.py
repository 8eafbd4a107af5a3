"""The one CRS module: every comparison and conversion follows one rule."""
import math

import pytest

from mirage_labeller.core.base import crs


def test_same_follows_one_rule():
    assert crs.same(32633, "EPSG:32633") and crs.same(None, None)
    assert not crs.same(None, 32632) and not crs.same(32632, 32633)
    wkt = crs.parse(32647).to_wkt()
    assert crs.same(wkt, 32647) and crs.text(wkt) == "EPSG:32647"
    assert crs.same("not a crs", "not a crs") and not crs.same("not a crs", 32632)
    with pytest.raises(crs.CrsError, match="not a coordinate reference system"):
        crs.parse("not a crs")


def test_conversions_refuse_what_they_cannot_do():
    box = (600000.0, 5100000.0, 600300.0, 5100600.0)
    assert crs.convert_bounds(box, 32632, "EPSG:32632") == box
    with pytest.raises(crs.CrsError, match="from no CRS to EPSG:32633"):
        crs.convert_bounds(box, None, 32633)
    x0, y0, x1, y1 = crs.convert_bounds(box, 32632, 4326)
    assert 10.0 < x0 < x1 < 11.0 and 46.0 < y0 < y1 < 46.1
    assert crs.utm_epsg(102.9, 31.2) == 32648 and crs.utm_epsg(-70.6, -33.4) == 32719


def test_the_area_of_a_box_in_degrees_is_its_ground_area():
    from pyproj import Geod

    lon, lat, dlon, dlat = 102.9, 31.2, 0.004, 0.006  # 2.1 degrees off the zone's meridian
    geodesic = abs(Geod(ellps="WGS84").polygon_area_perimeter(
        [lon, lon + dlon, lon + dlon, lon], [lat, lat, lat + dlat, lat + dlat])[0])
    assert crs.area_m2((lon, lat, lon + dlon, lat + dlat), 4326) == \
        pytest.approx(geodesic, rel=1e-3)
    assert crs.area_m2((0, 0, 300, 600), 32647) == 180000.0
    assert math.isnan(crs.area_m2((0, 0, 1, 1), None))
    assert crs.metric_crs(4326, (lon, lat, lon + dlon, lat + dlat)) == 32648
