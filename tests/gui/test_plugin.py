"""The plugin in QGIS (pytest-qgis): loads through classFactory and unloads leaving nothing;
the dock is driven the way a user drives it: mouse drag on the map, key presses, confirm,
undo, project save and reopen."""
import math

import fiona
import numpy as np
import pytest
import rasterio
from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsSingleBandGrayRenderer,
    QgsSingleBandPseudoColorRenderer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QPoint, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar
from qt_events import flush

from mirage_labeller.core.interferograms.state import DISCARD, KEEP
from mirage_labeller.core.labels.box_geometry import Grid, is_on_grid
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace


@pytest.fixture
def workspace(tmp_path):
    out = tmp_path / "ws"
    truth = build_workspace(SynthConfig(str(out), seed=5, size=400, n_interferograms=4))
    return out, truth


def test_load_and_unload_through_class_factory(plugin_package, qgis_iface, qgis_new_project):
    registry = QgsApplication.processingRegistry()
    main = qgis_iface.mainWindow()
    docks_before = set(main.findChildren(QDockWidget))
    toolbars_before = set(main.findChildren(QToolBar))

    plugin = plugin_package.classFactory(qgis_iface)
    plugin.initGui()
    provider = registry.providerById("mirage")
    assert provider is not None
    algorithms = {a.id() for a in provider.algorithms()}
    try:
        assert algorithms == {"mirage:syntheticworkspace", "mirage:interferogrammetadata",
                              "mirage:screeninterferograms", "mirage:morphometry",
                              "mirage:terraincheck", "mirage:processes", "mirage:audit",
                              "mirage:agreement", "mirage:datasetreport", "mirage:export",
                              "mirage:exercise", "mirage:score", "mirage:quicklook"}
    except AssertionError:
        plugin.unload()  # leave no dock behind for the next tests
        raise
    dock, views, toolbar, review = plugin.dock, plugin.views, plugin.toolbar, plugin.review
    assert dock.parent() is main and dock.objectName() == "MirageLabellerDock"
    assert views.objectName() == "MirageLabellerLinkedViews"
    assert review.objectName() == "MirageReviewDock" and not review.isVisible()
    actions = toolbar.actions()
    assert [a.objectName() for a in actions] == [
        "mirageLabellerShowDock", "mirageLabellerBoxTool", "mirageLabellerLinkedViews",
        "mirageLabellerReview"]
    assert all(not a.icon().isNull() for a in actions)
    assert not dock.draw_action.isEnabled()  # nothing to draw on before a workspace is open

    plugin.unload()
    flush()
    assert registry.providerById("mirage") is None
    assert sip.isdeleted(dock) and sip.isdeleted(views) and sip.isdeleted(toolbar)
    assert sip.isdeleted(review)
    assert all(sip.isdeleted(a) for a in actions)
    assert set(main.findChildren(QDockWidget)) == docks_before
    assert set(main.findChildren(QToolBar)) == toolbars_before


def layers_of(group):
    return {node.layer().name().split(" ")[0]: node for node in group.findLayers()}


def test_open_shows_styled_layers_and_coherence_figures(plugin, workspace):
    out, truth = workspace
    dock = plugin.dock
    assert dock.open_workspace(str(out))
    assert dock.wait()
    assert dock.ifgTable.rowCount() == 4
    group = QgsProject.instance().layerTreeRoot().findGroup(f"MIRAGE: {out.name}")
    nodes = layers_of(group)
    assert {"labels", "phase", "coherence", "hillshade", "dem"} <= set(nodes)
    current = dock.current_interferogram()
    phase = nodes["phase"].layer().renderer()
    assert isinstance(phase, QgsSingleBandPseudoColorRenderer)
    items = phase.shader().rasterShaderFunction().colorRampItemList()
    assert items[0].value == pytest.approx(-math.pi) and items[-1].value == pytest.approx(math.pi)
    assert items[0].color == items[-1].color  # cyclic: no seam at +-pi
    coherence = nodes["coherence"]
    assert isinstance(coherence.layer().renderer(), QgsSingleBandGrayRenderer)
    assert not coherence.itemVisibilityChecked()
    labels = nodes["labels"].layer()
    assert labels.providerType() == "memory"  # the shapefile itself is never held open
    assert isinstance(labels.renderer(), QgsCategorizedSymbolRenderer)
    assert labels.featureCount() == current.label_count
    rec = next(r for r in truth["interferograms"] if r["stem"] == current.label_stem)
    assert "Coherence mean" in dock.statsLabel.text()
    assert f"{rec['mean_coherence']:.2f}"[:3] in dock.statsLabel.text()
    # the optional mask below 0.2
    dock.maskCheck.setChecked(True)
    assert "low" in layers_of(group)
    dock.maskCheck.setChecked(False)
    assert "low" not in layers_of(group)


def screen(canvas, x, y):
    p = canvas.getCoordinateTransform().transform(x, y)
    return QPoint(int(round(p.x())), int(round(p.y())))


def drag(canvas, a, b):
    viewport = canvas.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2))
    QTest.mouseMove(viewport, b)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def labels_on_disk(path):
    with fiona.open(str(path)) as src:
        return [dict(f["properties"]) for f in src]


def test_draw_classify_confirm_undo_like_a_user(plugin, workspace, qgis_iface):
    out, _ = workspace
    dock = plugin.dock
    dock.open_workspace(str(out))
    dock.wait()
    item = dock.current_interferogram()
    before = labels_on_disk(item.label_path)
    canvas = qgis_iface.mapCanvas()
    e = dock.layers.phase_layer.extent()
    cx, cy = e.center().x(), e.center().y()
    canvas.setExtent(QgsRectangle(cx - 1500, cy - 1500, cx + 1500, cy + 1500))
    canvas.refresh()
    dock.draw_action.setChecked(True)
    assert canvas.mapTool() is dock.box_tool

    a, b = screen(canvas, cx - 200, cy + 120), screen(canvas, cx + 110, cy - 260)
    drag(canvas, a, b)
    box = dock.session.candidate
    assert box is not None
    grid = Grid.from_raster(e.xMinimum(), e.yMaximum(), 15.0, 15.0)
    assert is_on_grid(box, grid)
    upp = canvas.mapUnitsPerPixel()
    tol = 7.5 + upp
    assert box[0] == pytest.approx(cx - 200, abs=tol) and box[2] == pytest.approx(cx + 110, abs=tol)
    assert box[1] == pytest.approx(cy - 260, abs=tol) and box[3] == pytest.approx(cy + 120, abs=tol)

    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_G)  # rock glacier
    QTest.keyClick(canvas, Qt.Key.Key_2)  # Sign_Qual 2
    QTest.keyClick(canvas, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # Class_Unc 2
    assert (dock.session.draft_class, dock.session.draft_quality,
            dock.session.draft_uncertainty) == ("RG", 2, 2)
    assert dock.confirmButton.isEnabled()
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    after = labels_on_disk(item.label_path)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert (new["Class"], new["Sign_Qual"], new["Class_Unc"]) == ("RG", 2, 2)
    assert (new["IFG"], new["Bt"], new["Traj"]) == (item.meta.ifg, item.meta.bt, item.meta.traj)
    assert "Saved RG" in dock.saveStatusLabel.text()
    assert dock.session.candidate is None and dock.layers.labels_layer.featureCount() == len(after)
    assert dock.session.state.decision(item.label_stem) == KEEP  # free mode: a label keeps it

    # keys now set the draft of the next box: the saved label is not touched by them
    new_id = new["Id"]
    assert dock.session.selected_label() is None
    QTest.keyClick(canvas, Qt.Key.Key_D)
    assert labels_on_disk(item.label_path)[-1]["Class"] == "RG"
    assert dock.session.draft_class == "DG"
    # a click selects the label; then its inside moves it: saved at once, undoable
    lab = next(x for x in dock.session.labels() if x.id == new_id)
    inside = screen(canvas, (lab.xmin + lab.xmax) / 2, (lab.ymin + lab.ymax) / 2)
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     inside)
    assert dock.session.selected_label().id == new_id
    assert dock.session.attributes() == ("RG", 2, 2)  # the panel shows the label's values
    drag(canvas, inside, inside + QPoint(20, 0))
    moved = [r for r in labels_on_disk(item.label_path) if r["Id"] == new_id]
    assert dock.session.selected_label().xmin > lab.xmin and len(moved) == 1

    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the move
    assert dock.session.selected_label().bounds == lab.bounds
    # undo the add, after its save
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels_on_disk(item.label_path) == before
    QTest.keyClick(canvas, Qt.Key.Key_Z,  # redo
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(labels_on_disk(item.label_path)) == len(before) + 1
    # delete with the key, then bring it back: selected again, the message names the file
    dock.session.select_label(new_id)
    QTest.keyClick(canvas, Qt.Key.Key_Delete)
    assert [r["Id"] for r in labels_on_disk(item.label_path)] == [r["Id"] for r in before]
    dock.run_action("undo")
    assert new_id in [r["Id"] for r in labels_on_disk(item.label_path)]
    assert dock.session.selected_id == new_id
    assert f"undone in {item.meta.ifg}" in dock.saveStatusLabel.text()
    # a class key on the selected label changes only its class
    QTest.keyClick(canvas, Qt.Key.Key_T)
    saved = next(r for r in labels_on_disk(item.label_path) if r["Id"] == new_id)
    assert (saved["Class"], saved["Sign_Qual"], saved["Class_Unc"]) == ("TA", 2, 2)


def test_strict_mode_walks_the_steps_in_order(plugin, workspace, qgis_iface):
    out, _ = workspace
    dock = plugin.dock
    dock.open_workspace(str(out))
    dock.wait()
    dock.strictCheck.setChecked(True)
    session = dock.session
    canvas = qgis_iface.mapCanvas()
    e = dock.layers.phase_layer.extent()
    cx, cy = e.center().x(), e.center().y()
    canvas.setExtent(QgsRectangle(cx - 1500, cy - 1500, cx + 1500, cy + 1500))
    dock.draw_action.setChecked(True)
    a, b = screen(canvas, cx - 100, cy + 100), screen(canvas, cx + 100, cy - 100)
    drag(canvas, a, b)
    assert session.candidate is None  # not before step 0
    assert not dock.stepButton1.isEnabled()
    dock.keepButton.click()
    assert dock.stepButton1.isEnabled() and dock.stepStack.currentIndex() == 1
    drag(canvas, a, b)
    assert session.candidate is not None
    assert dock.stepStack.currentIndex() == 2 and not dock.stepButton4.isEnabled()
    session.set_class("RG")
    assert not dock.confirmButton.isEnabled()
    dock.morphologyButton.click()
    assert dock.stepButton4.isEnabled() and dock.stepStack.currentIndex() == 3
    dock.stepButton4.click()
    assert dock.stepStack.currentIndex() == 4 and dock.confirmButton.isEnabled()


def test_filters_navigation_and_progress(plugin, workspace):
    out, truth = workspace
    dock = plugin.dock
    dock.open_workspace(str(out))
    dock.wait()
    table = dock.ifgTable
    first = dock.current_interferogram()
    dock.run_action("discard")
    assert dock.session.state.triage[first.label_stem].reason == "decorrelation"
    assert "1/4 triaged" in dock.progressLabel.text()
    dock.run_action("next_ifg")
    dock.wait()
    assert dock.current_interferogram() is not first
    dock.statusFilter.setCurrentIndex(dock.statusFilter.findData(DISCARD))
    visible = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert len(visible) == 1 and dock._item_at(visible[0]) is first
    dock.statusFilter.setCurrentIndex(0)
    dock.trajFilter.setCurrentIndex(dock.trajFilter.findData("D"))
    visible = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert {dock._item_at(r).meta.traj for r in visible} == {"D"}
    dock.trajFilter.setCurrentIndex(0)


def test_linked_views_follow_the_main_map(plugin, workspace, qgis_iface):
    out, _ = workspace
    dock, views = plugin.dock, plugin.views
    dock.open_workspace(str(out))
    dock.wait()
    main = qgis_iface.mainWindow()
    main.show()  # a dock's canvases get a size only inside a shown window
    views.setFloating(True)
    views.show()
    views.resize(1200, 400)
    QCoreApplication.processEvents()
    canvas = qgis_iface.mapCanvas()
    e = dock.layers.phase_layer.extent()
    canvas.setExtent(QgsRectangle(e.xMinimum(), e.yMinimum(), e.xMinimum() + 2000,
                                  e.yMinimum() + 2000))
    shown = [v for v in views.views if not v.isHidden()]
    assert [v.combo.currentText() for v in shown] == ["phase", "coherence", "hillshade", "slope"]
    for view in shown:
        assert view.canvas.center().x() == pytest.approx(canvas.center().x(), abs=1e-6)
        assert view.canvas.scale() == pytest.approx(canvas.scale(), rel=1e-6)
    assert dock.layers.phase_layer in shown[0].canvas.layers()
    assert dock.layers.labels_layer in shown[2].canvas.layers()
    assert "not available" in shown[3].empty.text()  # no slope raster yet in this workspace
    # the cursor over the main map is marked by a cross in every view
    from qgis.core import QgsPointXY
    point = QgsPointXY(e.xMinimum() + 700.0, e.yMinimum() + 900.0)
    QTest.mouseMove(canvas.viewport(), screen(canvas, point.x(), point.y()))
    for view in shown:
        assert view.cross.isVisible()
        assert view.cross.center().distance(point) <= 2 * canvas.mapUnitsPerPixel()
    views.count.setValue(2)
    assert sum(not v.isHidden() for v in views.views) == 2
    main.hide()


def test_project_save_and_reopen_restores_the_session(plugin, workspace, tmp_path):
    out, _ = workspace
    dock = plugin.dock
    dock.open_workspace(str(out))
    dock.wait()
    first = dock.current_interferogram().label_stem
    dock.run_action("keep")
    dock.run_action("next_ifg")
    dock.wait()
    second = dock.current_interferogram().label_stem
    dock.reasonCombo.setCurrentText("atmosphere")
    dock.run_action("discard")
    dock.strictCheck.setChecked(True)
    dock.btFilter.setCurrentIndex(dock.btFilter.findData(12))
    path = tmp_path / "session.qgz"
    project = QgsProject.instance()
    assert project.write(str(path))
    project.clear()
    assert dock.session is None
    (out / ".mirage" / "state.json").unlink()  # the project alone must be enough
    assert project.read(str(path))
    flush()
    dock.wait()
    assert dock.session is not None and dock.current_interferogram().label_stem == second
    state = dock.session.state
    assert state.decision(first) == KEEP and state.decision(second) == DISCARD
    assert state.triage[second].reason == "atmosphere"
    assert dock.strictCheck.isChecked() and dock.btFilter.currentData() == 12
    roots = [g for g in project.layerTreeRoot().findGroups() if g.name().startswith("MIRAGE")]
    assert len(roots) == 1  # the saved layers were replaced, not doubled
    assert len(layers_of(roots[0])) >= 4


def test_phase_in_degrees_is_restyled_in_the_background(plugin, workspace):
    out, truth = workspace
    rec = truth["interferograms"][0]
    path = out / rec["file"]
    with rasterio.open(path) as src:
        profile, data = src.profile, src.read(1)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.degrees(data).astype("float32"), 1)
    dock = plugin.dock
    dock.open_workspace(str(out))
    dock.wait()
    dock.show_row(next(r for r in range(4) if dock._item_at(r).label_stem == rec["stem"]))
    assert dock.wait()
    renderer = dock.layers.phase_layer.renderer()
    assert renderer.classificationMax() == pytest.approx(180.0, rel=1e-3)


def test_open_missing_folder_is_a_message_not_an_exception(plugin, tmp_path):
    assert not plugin.dock.open_workspace(str(tmp_path / "nope"))
    assert plugin.dock.session is None


def test_unwrapped_phase_is_drawn_rewrapped(qgis_new_project, tmp_path):
    from rasterio.transform import from_origin

    from mirage_labeller.core.interferograms.facts import detect_phase_encoding, read_raster_facts
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


def test_inventories_and_basemaps_join_the_workspace(plugin, workspace):
    out, _ = workspace
    (out / "inventories").mkdir()
    schema = {"geometry": "Polygon", "properties": {"name": "str"}}
    with fiona.open(str(out / "inventories" / "rock_glaciers.gpkg"), "w", driver="GPKG",
                    schema=schema, crs="EPSG:32632") as dst:
        dst.write({"geometry": {"type": "Polygon", "coordinates": [[
            (595000, 5150000), (595000, 5151000), (596000, 5151000), (595000, 5150000)]]},
            "properties": {"name": "RG inventory"}})
    (out / "basemaps").mkdir()
    from rasterio.transform import from_origin

    from mirage_labeller.core.base.geotiff import write_geotiff
    write_geotiff(out / "basemaps" / "ortho.tif", np.zeros((8, 8), "uint8"),
                  from_origin(590000, 5160000, 750, 750))
    (out / "basemaps" / "osm.xyz").write_text("https://tile.openstreetmap.org/{z}/{x}/{y}.png\n")
    dock, views = plugin.dock, plugin.views
    dock.open_workspace(str(out))
    dock.wait()
    group = QgsProject.instance().layerTreeRoot().findGroup(f"MIRAGE: {out.name}")
    inventories = group.findGroup("inventories").findLayers()
    assert [n.layer().name() for n in inventories] == ["rock_glaciers"]
    basemaps = group.findGroup("basemaps").findLayers()
    assert sorted(n.layer().name() for n in basemaps) == ["ortho", "osm"]
    assert {"ortho", "osm"} <= set(dock.layers.sources())
    inventory = dock.layers.inventories["rock_glaciers"]
    assert all(inventory in v.canvas.layers() for v in views.views)
    views.views[3].combo.setCurrentText("ortho")
    assert dock.layers.basemaps["ortho"] in views.views[3].canvas.layers()
    assert dock.session.state.settings.views[3] == "ortho"


def test_step0_shows_the_screening_and_sorts_by_it(plugin, workspace):
    import json

    out, truth = workspace
    dock = plugin.dock
    dock.open_workspace(str(out))
    assert dock.wait(screening=True)
    table = dock.ifgTable
    by_stem = {r["stem"]: r for r in truth["interferograms"]}
    for row in range(table.rowCount()):
        item = dock._item_at(row)
        rec = by_stem[item.label_stem]
        assert table.item(row, 6).text() == f"{rec['mean_coherence']:.2f}"
        assert table.item(row, 7).text() == f"{100 * rec['frac_coh_lt_0_2']:.0f}"
        assert float(table.item(row, 5).text()) == pytest.approx(
            dock.screened[item.label_stem].score, abs=0.005)
    table.sortItems(5, Qt.SortOrder.DescendingOrder)
    scores = [float(table.item(r, 5).text()) for r in range(table.rowCount())]
    assert scores == sorted(scores, reverse=True)
    assert "phase residues" in dock.statsLabel.text() and "score" in dock.statsLabel.text()
    cache = json.loads((out / ".mirage" / "screening.json").read_text())
    assert set(cache) == set(by_stem)
    dock.close_workspace()
    dock.open_workspace(str(out))  # reopened: read from the cache, no task at all
    assert not dock.screening.busy() and len(dock.screened) == 4


def test_step2_derives_terrain_and_checks_a_drawn_box(plugin, workspace, qgis_iface):
    out, _ = workspace
    dock, views = plugin.dock, plugin.views
    dock.open_workspace(str(out))
    dock.wait()
    panel = dock.terrain
    assert not panel.derive_button.isHidden() and not panel.check_button.isEnabled()
    panel.derive()
    assert dock.wait(timeout_ms=120000)
    for name in ("slope", "aspect", "profile_curvature", "plan_curvature", "tri", "twi"):
        assert (out / "dem" / f"{name}.tif").exists()
        assert name in dock.layers.terrain
    assert panel.derive_button.isHidden() and panel.check_button.isEnabled()
    assert dock.layers.terrain["slope"] in views.views[3].canvas.layers()  # the slope view
    canvas = qgis_iface.mapCanvas()
    e = dock.layers.phase_layer.extent()
    cx, cy = e.center().x(), e.center().y()
    canvas.setExtent(QgsRectangle(cx - 1500, cy - 1500, cx + 1500, cy + 1500))
    dock.draw_action.setChecked(True)
    drag(canvas, screen(canvas, cx - 150, cy + 150), screen(canvas, cx + 150, cy - 150))
    dock.session.go(2)
    assert panel.busy()  # step 2 with a box: the check starts by itself
    assert dock.wait(timeout_ms=60000)
    assert not panel._figure.isNull() and panel._figure.width() > 400  # scaled to fit the dock
    assert "median slope" in panel.facts.text()
    assert [c.name for c in panel.last.comparisons] == [
        "slope", "aspect", "profile_curvature", "plan_curvature", "tri", "twi"]
    x0, y0, x1, y1 = dock.session.candidate
    assert (panel.last.comparison("slope").inside.size
            == round((x1 - x0) / 15) * round((y1 - y0) / 15))
