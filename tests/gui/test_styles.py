"""The QML styles shipped for use by hand match the plugin's own styling rules."""
import math

import numpy as np
import pytest
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsRasterLayer,
    QgsSingleBandGrayRenderer,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorLayer,
)
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.labels.classes import CLASSES


@pytest.fixture
def raster(tmp_path):
    path = tmp_path / "r.tif"
    write_geotiff(path, np.zeros((4, 4), "float32"), from_origin(0, 0, 15, 15))
    return str(path)


def load(layer, repo_root, name):
    """The layer's renderer after loading the style (keep ``layer`` alive: it owns it)."""
    message, ok = layer.loadNamedStyle(str(repo_root / "resources" / "styles" / name))
    assert ok, message
    return layer.renderer()


def test_phase_style_is_cyclic(raster, repo_root):
    layer = QgsRasterLayer(raster, "p")
    renderer = load(layer, repo_root, "wrapped_phase_cyclic.qml")
    assert isinstance(renderer, QgsSingleBandPseudoColorRenderer)
    items = renderer.shader().rasterShaderFunction().colorRampItemList()
    assert items[0].value == pytest.approx(-math.pi, abs=1e-6)
    assert items[-1].value == pytest.approx(math.pi, abs=1e-6)
    assert items[0].color == items[-1].color and len(items) == 64


def test_coherence_and_mask_styles(raster, repo_root):
    grey_layer = QgsRasterLayer(raster, "c")
    grey = load(grey_layer, repo_root, "coherence_grey.qml")
    assert isinstance(grey, QgsSingleBandGrayRenderer)
    ce = grey.contrastEnhancement()
    assert (ce.minimumValue(), ce.maximumValue()) == (0.0, 1.0)
    mask_layer = QgsRasterLayer(raster, "m")
    mask = load(mask_layer, repo_root, "coherence_below_0.2_mask.qml")
    items = mask.shader().rasterShaderFunction().colorRampItemList()
    assert items[0].value == pytest.approx(0.2) and 0 < items[0].color.alpha() < 255
    assert items[1].color.alpha() == 0


def test_label_style_uses_the_class_colours(repo_root):
    layer = QgsVectorLayer("Polygon?crs=EPSG:32632&field=Class:string(2)", "l", "memory")
    renderer = load(layer, repo_root, "labels_by_class.qml")
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    colours = {c.value(): c.symbol().symbolLayer(1).strokeColor().name()
               for c in renderer.categories() if c.value()}
    assert colours == {code: cls.colour.lower() for code, cls in CLASSES.items()}


def test_hillshade_of_a_dem_in_degrees_gets_a_z_factor(tmp_path):
    from mirage_labeller.gui.styles import style_hillshade

    rng = np.random.default_rng(1)
    dem = (1000 + rng.normal(0, 20, (60, 100))).astype("float32")
    write_geotiff(tmp_path / "deg.tif", dem, from_origin(-99.2, 19.5, 0.001, 0.001),
                  crs="EPSG:4326")
    write_geotiff(tmp_path / "utm.tif", dem, from_origin(600000, 5100000, 15, 15))
    geographic, projected = (QgsRasterLayer(str(tmp_path / n), n) for n in ("deg.tif", "utm.tif"))
    style_hillshade(geographic)
    style_hillshade(projected)
    assert projected.renderer().zFactor() == 1.0
    # about 1 / 111 km per degree at 19.5 deg N (east-west shrunk by cos(latitude))
    expected = 1 / (111_000 * math.sqrt(math.cos(math.radians(19.47))))
    assert geographic.renderer().zFactor() == pytest.approx(expected, rel=0.01)
