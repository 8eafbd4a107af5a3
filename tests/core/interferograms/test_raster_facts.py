"""Raster facts and value encodings, on GeoTIFFs written by GDAL."""
import math

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mirage_labeller.core.base.crs import utm_epsg
from mirage_labeller.core.interferograms.facts import (
    RasterReadError,
    detect_coherence_encoding,
    detect_phase_encoding,
    label_crs_for,
    read_raster_facts,
)

RNG = np.random.default_rng(0)
WRAPPED = RNG.uniform(-math.pi, math.pi, (64, 64)).astype("float32")
TRANSFORM = from_origin(600000, 5100000, 15, 15)


def write(path, data, crs="EPSG:32632", nodata=None, tags=None,
          transform=TRANSFORM):
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0],
                       count=1, dtype=data.dtype.name, crs=crs, transform=transform,
                       nodata=nodata) as dst:
        dst.write(data, 1)
        if tags:
            dst.update_tags(**tags)
    return str(path)


def test_facts_of_a_mirage_like_raster(tmp_path):
    data = WRAPPED.copy()
    data[:8, :] = np.nan
    facts = read_raster_facts(write(tmp_path / "p.tif", data, nodata=float("nan")))
    assert facts.epsg == 32632 and facts.is_projected and facts.res == (15.0, 15.0)
    assert facts.bounds == (600000.0, 5100000.0 - 64 * 15, 600000.0 + 64 * 15, 5100000.0)
    assert facts.valid_fraction == pytest.approx(56 / 64)
    assert -math.pi <= facts.vmin < facts.vmax <= math.pi
    assert 9 < facts.centre_lonlat[0] < 12 and 45 < facts.centre_lonlat[1] < 47
    enc = detect_phase_encoding(facts)
    assert enc.units == "radians" and enc.is_native and not enc.messages


@pytest.mark.parametrize("make, units, rewrap", [
    (lambda: np.degrees(WRAPPED), "degrees", False),
    (lambda: np.degrees(WRAPPED) % 360.0, "degrees", True),
    (lambda: WRAPPED % (2 * math.pi), "radians 0..2pi", True),
    (lambda: WRAPPED + 12.0 + np.linspace(0, 30, 64, dtype="float32")[None, :], "unwrapped radians",
     True),
    (lambda: np.round((WRAPPED + math.pi) / (2 * math.pi) * 255).astype("uint8"), "scaled uint8",
     False),
    (lambda: np.round(WRAPPED / math.pi * 32767).astype("int16"), "scaled int16", False),
])
def test_phase_encodings_are_detected_and_converted(tmp_path, make, units, rewrap):
    raw = make()
    enc = detect_phase_encoding(read_raster_facts(write(tmp_path / "x.tif", raw)))
    assert enc.units == units and enc.rewrap == rewrap
    assert enc.messages and not enc.problems
    back = enc.to_physical(raw)
    if units != "unwrapped radians":
        # the physical phase is the original wrapped phase (to quantisation)
        diff = np.angle(np.exp(1j * (back - WRAPPED)))
        assert np.abs(diff).max() < 0.03
    assert back.min() >= -math.pi - 1e-6 and back.max() <= math.pi + 1e-6


def test_displacement_is_not_taken_for_phase(tmp_path):
    facts = read_raster_facts(write(tmp_path / "d.tif", WRAPPED / 100, tags={"DATA_UNITS": "m"}))
    assert detect_phase_encoding(facts).problems


def test_coherence_float_and_licsar_uint8(tmp_path):
    coh = RNG.uniform(0, 1, (64, 64)).astype("float32")
    facts = read_raster_facts(write(tmp_path / "c.tif", coh))
    assert detect_coherence_encoding(facts).units == "0..1"
    raw = np.round(coh * 255).astype("uint8")
    raw[0, :] = 0
    enc = detect_coherence_encoding(read_raster_facts(write(tmp_path / "c8.tif", raw)))
    assert enc.units == "uint8 0..255" and enc.nodata == 0 and "v/255" in enc.messages[0]
    phys = enc.to_physical(raw)
    assert np.isnan(phys[0]).all()
    valid = raw > 0  # a coherence that rounds to 0 is nodata in LiCSAR's convention
    assert np.allclose(phys[valid], coh[valid], atol=0.5 / 255 + 1e-6)
    bad = detect_coherence_encoding(read_raster_facts(write(tmp_path / "cb.tif", coh * 7)))
    assert bad.problems and "neither 0-1 nor 0-255" in bad.problems[0]


def test_corrupt_and_missing_files_name_the_file(tmp_path):
    path = tmp_path / "broken.tif"
    path.write_bytes(b"II*\x00" + b"\x00garbage" * 20)
    with pytest.raises(RasterReadError) as exc:
        read_raster_facts(str(path))
    assert "broken.tif" in str(exc.value) and "cannot be read" in str(exc.value)
    with pytest.raises(RasterReadError, match="not found"):
        read_raster_facts(str(tmp_path / "nope.tif"))


def test_label_crs_policy(tmp_path):
    mirage = read_raster_facts(write(tmp_path / "a.tif", WRAPPED))
    assert label_crs_for(mirage).epsg == 32632
    other = read_raster_facts(write(tmp_path / "b.tif", WRAPPED, crs="EPSG:32633"))
    assert label_crs_for(other).epsg == 32633
    geographic = read_raster_facts(write(tmp_path / "c.tif", WRAPPED, crs="EPSG:4326",
                                         transform=from_origin(-99.2, 19.45, 0.0014, 0.0014)))
    choice = label_crs_for(geographic)
    assert choice.epsg == 32614 and "UTM" in choice.reason
    assert label_crs_for(None).epsg == 32632
    assert utm_epsg(10.4, 46.5) == 32632 and utm_epsg(-70.0, -33.0) == 32719


def test_display_values_follow_the_detected_encoding(tmp_path):
    from mirage_labeller.core.interferograms.quicklook import read_for_display

    unwrapped = (WRAPPED + 12.0 + np.linspace(0, 30, 64, dtype="float32")[None, :])
    values, extent, enc = read_for_display(write(tmp_path / "u.tif", unwrapped), "phase")
    assert enc.rewrap and np.nanmin(values) >= -math.pi and np.nanmax(values) <= math.pi
    assert np.abs(np.angle(np.exp(1j * (values - unwrapped)))).max() < 1e-4
    coh8 = np.full((64, 64), 200, "uint8")
    coh8[0] = 0
    values, _, enc = read_for_display(write(tmp_path / "c8.tif", coh8), "coherence")
    assert np.isnan(values[0]).all() and np.allclose(values[1:], 200 / 255)
    assert extent == (600000.0, 600000.0 + 64 * 15, 5100000.0 - 64 * 15, 5100000.0)
