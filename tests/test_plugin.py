"""The plugin in QGIS (pytest-qgis): loads through classFactory, unloads leaving nothing, and
its dock opens a workspace with styled layers."""
import math

import pytest
from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsProject,
                       QgsRasterLayer, QgsSingleBandGrayRenderer,
                       QgsSingleBandPseudoColorRenderer)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar


def flush_deletes():
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()


def test_load_and_unload_through_class_factory(plugin_package, qgis_iface, qgis_new_project):
    registry = QgsApplication.processingRegistry()
    main = qgis_iface.mainWindow()
    docks_before = set(main.findChildren(QDockWidget))
    toolbars_before = set(main.findChildren(QToolBar))

    plugin = plugin_package.classFactory(qgis_iface)
    plugin.initGui()
    provider = registry.providerById("mirage")
    assert provider is not None
    assert {a.id() for a in provider.algorithms()} == {
        "mirage:syntheticworkspace", "mirage:interferogrammetadata"}
    dock, toolbar, action = plugin.dock, plugin.toolbar, plugin.action
    assert dock.parent() is main and dock.objectName() == "MirageLabellerDock"
    assert toolbar.objectName() == "MirageLabellerToolbar" and toolbar.actions() == [action]
    assert action.isCheckable() and not action.icon().isNull()

    plugin.unload()
    flush_deletes()
    assert registry.providerById("mirage") is None
    assert sip.isdeleted(dock) and sip.isdeleted(toolbar) and sip.isdeleted(action)
    assert set(main.findChildren(QDockWidget)) == docks_before
    assert set(main.findChildren(QToolBar)) == toolbars_before


@pytest.fixture
def dock(qgis_iface, qgis_new_project):
    from mirage_labeller.gui.dock import MirageDock

    widget = MirageDock(qgis_iface, qgis_iface.mainWindow())
    yield widget
    widget.close_workspace()
    widget.deleteLater()
    flush_deletes()


def layers_of(group):
    return {node.layer().name().split(" ")[0]: node for node in group.findLayers()}


def test_dock_opens_a_workspace_with_styled_layers(dock, alps_workspace):
    out, truth = alps_workspace
    assert dock.open_workspace(str(out))
    assert dock.ifgTable.rowCount() == 6
    assert "6 interferograms" in dock.statusLabel.text()
    group = QgsProject.instance().layerTreeRoot().findGroup(f"MIRAGE: {out.name}")
    nodes = layers_of(group)
    assert set(nodes) == {"labels", "phase", "coherence", "hillshade"}
    current = dock.current_interferogram()
    assert current.meta.ifg in nodes["phase"].layer().name()

    phase = nodes["phase"].layer().renderer()
    assert isinstance(phase, QgsSingleBandPseudoColorRenderer)
    ramp = phase.shader().rasterShaderFunction()
    items = ramp.colorRampItemList()
    assert items[0].value == pytest.approx(-math.pi) and items[-1].value == pytest.approx(math.pi)
    assert items[0].color == items[-1].color  # cyclic: no seam at +-pi
    assert len({i.color.name() for i in items}) > 30

    coherence = nodes["coherence"]
    assert isinstance(coherence.layer().renderer(), QgsSingleBandGrayRenderer)
    contrast = coherence.layer().renderer().contrastEnhancement()
    assert (contrast.minimumValue(), contrast.maximumValue()) == (0.0, 1.0)
    assert not coherence.itemVisibilityChecked()

    labels = nodes["labels"].layer()
    assert isinstance(labels.renderer(), QgsCategorizedSymbolRenderer)
    assert labels.renderer().classAttribute() == "Class"
    assert labels.featureCount() == current.label_count
    assert labels.labelsEnabled()


def test_dock_navigation_swaps_layers_and_close_removes_them(dock, alps_workspace):
    out, _ = alps_workspace
    dock.open_workspace(str(out))
    project = QgsProject.instance()
    first = dock.current_interferogram()
    old_ids = set(project.mapLayers())
    hillshade = {i for i in old_ids if project.mapLayer(i).name().startswith("hillshade")}
    dock.step(1)
    second = dock.current_interferogram()
    assert second is not first
    new_ids = set(project.mapLayers())
    assert len(new_ids) == len(old_ids) or second.label_count == 0 or first.label_count == 0
    assert len(hillshade) == 1 and old_ids & new_ids == hillshade  # only the DEM stays
    dock.step(-1)
    assert dock.current_interferogram() is first
    dock.step(-1)  # at the top: stays
    assert dock.current_interferogram() is first
    # sorted by Bt, "next" follows the table's order
    dock.ifgTable.sortItems(1)
    dock.show_row(0)
    bts = []
    for _ in range(6):
        bts.append(dock.current_interferogram().meta.bt)
        dock.step(1)
    assert bts == sorted(bts)
    dock.close_workspace()
    assert project.mapLayers() == {}
    assert project.layerTreeRoot().findGroup(f"MIRAGE: {out.name}") is None


def test_open_missing_folder_is_a_message_not_an_exception(dock, qgis_iface, tmp_path):
    assert not dock.open_workspace(str(tmp_path / "nope"))
    assert dock.workspace is None


def test_unwrapped_phase_is_drawn_rewrapped(qgis_new_project, tmp_path):
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    from mirage_labeller.core.raster_facts import detect_phase_encoding, read_raster_facts
    from mirage_labeller.gui.styles import style_phase

    path = tmp_path / "unw.tif"
    data = np.tile(np.linspace(3.0, 3.0 + 6 * math.pi, 200, dtype="float32"), (10, 1))
    with rasterio.open(path, "w", driver="GTiff", width=200, height=10, count=1,
                       dtype="float32", crs="EPSG:32632",
                       transform=from_origin(600000, 5100000, 15, 15)) as dst:
        dst.write(data, 1)
    facts = read_raster_facts(str(path))
    layer = QgsRasterLayer(str(path), "unw")
    assert style_phase(layer, detect_phase_encoding(facts), facts.vmin, facts.vmax) is None
    shader = layer.renderer().shader().rasterShaderFunction()
    for value in (4.0, 5.5, 7.0):
        a = shader.shade(value)
        b = shader.shade(value + 2 * math.pi)
        assert a[0] and b[0] and a[1:] == b[1:]
