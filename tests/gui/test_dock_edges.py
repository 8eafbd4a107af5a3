"""The dock at its edges: keys pressed while an interferogram opens, closing or unloading
mid-load, nested and resized boxes, sorted tables, geographic interferograms, chosen files."""
import fiona
import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QMouseEvent
from qgis.PyQt.QtTest import QTest
from qt_events import flush
from rasterio.transform import from_origin

from mirage_labeller.core.base.geotiff import write_geotiff
from mirage_labeller.core.interferograms.state import DISCARD, KEEP
from mirage_labeller.core.synthetic.generator import SynthConfig, build_workspace


@pytest.fixture
def workspace(tmp_path):
    out = tmp_path / "ws"
    build_workspace(SynthConfig(str(out), seed=5, size=400, n_interferograms=4))
    return out


def screen(canvas, x, y):
    p = canvas.getCoordinateTransform().transform(x, y)
    return QPoint(int(round(p.x())), int(round(p.y())))


def drag(canvas, a, b):
    viewport = canvas.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(viewport, b)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


@pytest.fixture
def canvas(qgis_iface):
    """The map canvas, shown at a known size (a hidden canvas keeps a stale output size)."""
    main = qgis_iface.mainWindow()
    main.show()
    c = qgis_iface.mapCanvas()
    c.resize(600, 600)
    QCoreApplication.processEvents()
    yield c
    main.hide()


def centred(dock, canvas, half=1500.0):
    e = dock.layers.phase_layer.extent()
    cx, cy = e.center().x(), e.center().y()
    canvas.setExtent(QgsRectangle(cx - half, cy - half, cx + half, cy + half))
    return cx, cy


def test_keys_during_loading_do_not_hit_the_previous_interferogram(plugin, workspace):
    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.wait()
    first = dock.current_interferogram()
    dock.run_action("next_ifg")
    dock.run_action("discard")  # pressed before the next one has opened
    assert dock.session.state.decision(first.label_stem) is None
    assert "still opening" in dock.statusLabel.text()
    dock.wait()
    second = dock.current_interferogram()
    assert second is not first
    dock.run_action("discard")
    assert dock.session.state.decision(second.label_stem) == DISCARD


def test_close_and_unload_while_opening_leave_nothing(plugin, workspace):
    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.close_workspace()  # the open task is still running
    QTest.qWait(1500)
    flush()
    assert QgsProject.instance().mapLayers() == {}
    dock.open_workspace(str(workspace))
    plugin.unload()
    QTest.qWait(1500)
    flush()
    assert QgsProject.instance().mapLayers() == {}


def test_nested_boxes_and_resize_handles(plugin, workspace, canvas):
    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.wait()
    cx, cy = centred(dock, canvas)
    dock.draw_action.setChecked(True)
    drag(canvas, screen(canvas, cx - 600, cy + 600), screen(canvas, cx + 600, cy - 600))
    dock.run_action("class:DG")
    dock.run_action("confirm")
    big = next(x for x in dock.session.labels() if x.cls == "DG")
    # a box drawn inside a label is a new (nested) candidate; the label does not move
    drag(canvas, screen(canvas, cx - 100, cy + 100), screen(canvas, cx + 100, cy - 100))
    assert dock.session.candidate is not None
    assert next(x for x in dock.session.labels() if x.id == big.id).bounds == big.bounds
    x0, y0, x1, y1 = dock.session.candidate
    edge = screen(canvas, x1, (y0 + y1) / 2)
    drag(canvas, edge, edge + QPoint(25, 0))  # the east handle
    assert dock.session.candidate[2] > x1 and dock.session.candidate[:2] == (x0, y0)
    corner = screen(canvas, x0, y1)
    drag(canvas, corner, corner + QPoint(-10, -10))  # the north-west corner
    assert dock.session.candidate[0] < x0 and dock.session.candidate[3] > y1


def test_boxes_stay_on_the_interferogram(plugin, workspace, qgis_iface):
    from qgis.core import Qgis

    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.wait()
    session = dock.session
    x0, y0, x1, y1 = session.extent
    qgis_iface.messageBar().clear_messages()
    session.set_candidate((x1 + 1000, y0, x1 + 1300, y0 + 300))
    assert session.candidate is None
    assert any("outside" in m
               for m in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning))
    session.set_candidate((x1 - 150, y0 + 300, x1 + 300, y0 + 600))
    assert session.candidate == (x1 - 150, y0 + 300, x1, y0 + 600)  # cut at the edge


def test_table_stays_right_when_sorted(plugin, workspace):
    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.wait()
    table = dock.ifgTable
    table.sortItems(3, Qt.SortOrder.DescendingOrder)  # by label count
    session = dock.session
    x0, y0, x1, y1 = session.extent
    for k in range(6):
        session.set_candidate((x0 + 300 + 60 * k, y0 + 300, x0 + 345 + 60 * k, y0 + 360))
        dock.run_action("class:RG")
        dock.run_action("confirm")
    dock.run_action("discard")
    for row in range(table.rowCount()):
        item = dock._item_at(row)
        status = {KEEP: "kept", DISCARD: "discarded", None: "—"}[
            session.state.decision(item.label_stem)]
        assert table.item(row, 4).text() == status
        assert table.item(row, 3).text() == str(item.label_count)


def test_box_tool_is_not_leaked(plugin, workspace, qgis_iface):
    from mirage_labeller.gui.box_tool import BoxTool

    dock = plugin.dock
    canvas = qgis_iface.mapCanvas()
    dock.open_workspace(str(workspace))
    dock.wait()
    dock.close_workspace()
    flush()
    items = len(canvas.scene().items())
    for _ in range(4):
        dock.open_workspace(str(workspace))
        dock.wait()
        dock.close_workspace()
        flush()
    assert len(canvas.scene().items()) == items
    assert not [c for c in canvas.children() if isinstance(c, BoxTool)]


def test_dock_shortcuts_work_with_the_focus_in_the_dock(plugin, workspace, canvas):
    from qgis.PyQt.QtWidgets import QApplication

    dock = plugin.dock
    dock.open_workspace(str(workspace))
    dock.wait()
    dock.setFloating(True)
    dock.show()
    dock.activateWindow()
    QApplication.setActiveWindow(dock)
    dock.labelList.setFocus()
    QCoreApplication.processEvents()
    QTest.keyClick(dock.labelList, Qt.Key.Key_K)
    assert dock.session.state.decision(dock.current_interferogram().label_stem) == KEEP


def test_chosen_files_reopen_as_chosen(plugin, workspace, tmp_path):
    dock = plugin.dock
    one = sorted((workspace / "interferograms").glob("*.tif"))[0]
    assert dock.open_files([str(one)])
    dock.wait()
    assert dock.ifgTable.rowCount() == 1
    path = tmp_path / "p.qgz"
    project = QgsProject.instance()
    assert project.write(str(path))
    project.clear()
    assert project.read(str(path))
    flush()
    dock.wait()
    assert dock.ifgTable.rowCount() == 1 and dock.current_interferogram().path == one


def test_a_geographic_interferogram_gets_utm_boxes(plugin, tmp_path, canvas):
    """PyRate-like products in degrees: the box drawn on the map is stored in the UTM zone."""
    ws = tmp_path / "geo" / "interferograms"
    ws.mkdir(parents=True)
    t = from_origin(-99.2, 19.45, 0.0014, 0.0014)
    rng = np.random.default_rng(0)
    write_geotiff(ws / "cropA_20180106-20180130_T005A_eqa_wrapped.tif",
                  rng.uniform(-3, 3, (60, 100)).astype("float32"), t, crs="EPSG:4326")
    write_geotiff(ws / "cropA_20180106-20180130_T005A_eqa_cc.tif",
                  np.full((60, 100), 0.6, "float32"), t, crs="EPSG:4326")
    dock = plugin.dock
    dock.open_workspace(str(tmp_path / "geo"))
    dock.wait()
    assert canvas.mapSettings().destinationCrs().authid() == "EPSG:4326"
    canvas.setExtent(QgsRectangle(-99.2, 19.37, -99.06, 19.45))
    dock.draw_action.setChecked(True)
    a, b = (-99.15, 19.43), (-99.14, 19.42)
    drag(canvas, screen(canvas, *a), screen(canvas, *b))
    box = dock.session.candidate
    assert box is not None
    to_utm = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                    QgsCoordinateReferenceSystem("EPSG:32614"),
                                    QgsProject.instance())
    pa, pb = to_utm.transform(QgsPointXY(*a)), to_utm.transform(QgsPointXY(*b))
    upp = 0.14 / canvas.width() * 111_000  # metres per screen pixel, roughly
    assert box[0] == pytest.approx(pa.x(), abs=15 + 2 * upp)
    assert box[3] == pytest.approx(pa.y(), abs=15 + 2 * upp)
    assert box[2] == pytest.approx(pb.x(), abs=15 + 2 * upp)
    dock.run_action("class:CS")
    dock.run_action("confirm")
    item = dock.current_interferogram()
    with fiona.open(str(item.label_path)) as src:
        assert src.crs.to_epsg() == 32614
        feature = next(iter(src))
        assert (feature["properties"]["IFG"], feature["properties"]["Traj"]) == (
            "20180106_20180130", "A")


def test_linked_views_mark_the_cursor_of_any_view(plugin, workspace, canvas):
    dock, views = plugin.dock, plugin.views
    dock.open_workspace(str(workspace))
    dock.wait()
    views.setFloating(True)
    views.show()
    views.resize(1200, 400)
    QCoreApplication.processEvents()
    cx, cy = centred(dock, canvas)
    dock.session.set_candidate((cx - 90, cy - 90, cx + 90, cy + 90))
    for view in views.views:  # the candidate box is drawn in every view
        band = view.overlay.box
        assert band.asGeometry().boundingBox().width() == pytest.approx(180, abs=1)
    hovered = views.views[1].canvas
    # a mouse move delivered to that view's viewport (QTest.mouseMove would warp a global
    # cursor, which lands on whatever window is on top)
    centre = QPoint(hovered.width() // 2, hovered.height() // 2)
    QCoreApplication.sendEvent(hovered.viewport(), QMouseEvent(
        QEvent.Type.MouseMove, QPointF(centre), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier))
    point = hovered.getCoordinateTransform().toMapCoordinates(hovered.width() // 2,
                                                             hovered.height() // 2)
    assert views.main_cross.isVisible() and not views.views[1].cross.isVisible()
    for view in (views.views[0], views.views[2], views.views[3]):
        assert view.cross.isVisible() and view.cross.center().distance(point) < 20


def test_any_project_raster_can_fill_a_linked_view(plugin, workspace, tmp_path):
    from qgis.core import QgsRasterLayer

    dock, views = plugin.dock, plugin.views
    dock.open_workspace(str(workspace))
    dock.wait()
    write_geotiff(tmp_path / "ortho2022.tif", np.zeros((8, 8), "uint8"),
                  from_origin(590000, 5160000, 750, 750))
    ortho = QgsRasterLayer(str(tmp_path / "ortho2022.tif"), "ortho2022")
    QgsProject.instance().addMapLayer(ortho)
    combo = views.views[3].combo
    assert combo.findText("project: ortho2022") >= 0
    combo.setCurrentText("project: ortho2022")
    assert ortho in views.views[3].canvas.layers()
    QgsProject.instance().removeMapLayer(ortho.id())
    assert combo.findText("project: ortho2022") < 0 or combo.currentText() == "project: ortho2022"
