"""Run inside real QGIS by test_real_qgis.py (qgis --code): load the plugin as the Plugin
Manager does, record what it added, unload it, record what is left, write JSON, quit."""
import json
import os

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar
from qgis.utils import iface, loadPlugin, plugins, startPlugin, unloadPlugin

NAME = "MirageLabeller"


def menu_texts(menu):
    out = []
    for action in menu.actions():
        out.append(action.text())
        if action.menu() is not None:
            out += menu_texts(action.menu())
    return out


def state():
    mw = iface.mainWindow()
    dock = [d for d in mw.findChildren(QDockWidget) if d.objectName() == "MirageLabellerDock"]
    return {
        "menu": [t for t in menu_texts(iface.pluginMenu()) if "MIRAGE" in t],
        "toolbars": [t.objectName() for t in mw.findChildren(QToolBar)
                     if t.objectName() == "MirageLabellerToolbar"],
        "docks": len(dock) + len([d for d in mw.findChildren(QDockWidget)
                                  if d.objectName() == "MirageLabellerLinkedViews"]),
        "dock_visible": bool(dock and dock[0].isVisible()),
        "provider": QgsApplication.processingRegistry().providerById("mirage") is not None,
        "layers": len(QgsProject.instance().mapLayers()),
    }


def keyboard_and_mouse(dock):
    """In the real main window: drag a box on the map, press G, 2, Return, Ctrl+Z; a real
    QGIS has global shortcuts that a stub interface does not, so this checks the keys reach
    the box tool."""
    from qgis.core import QgsRectangle
    from qgis.PyQt.QtCore import QPoint, Qt
    from qgis.PyQt.QtTest import QTest

    canvas = iface.mapCanvas()
    e = dock.layers.phase_layer.extent()
    cx, cy = e.center().x(), e.center().y()
    canvas.setExtent(QgsRectangle(cx - 1500, cy - 1500, cx + 1500, cy + 1500))
    canvas.refresh()
    QCoreApplication.processEvents()
    dock.draw_action.setChecked(True)
    item = dock.current_interferogram()
    before = item.label_count

    def screen(x, y):
        p = canvas.getCoordinateTransform().transform(x, y)
        return QPoint(int(p.x()), int(p.y()))

    a, b = screen(cx - 150, cy + 150), screen(cx + 150, cy - 150)
    left, no_mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas.viewport(), left, no_mods, a)
    QTest.mouseMove(canvas.viewport(), b)
    QTest.mouseRelease(canvas.viewport(), left, no_mods, b)
    out = {"candidate": dock.session.candidate is not None}
    canvas.setFocus()
    for key, mods in ((Qt.Key.Key_G, no_mods), (Qt.Key.Key_2, no_mods),
                      (Qt.Key.Key_Return, no_mods)):
        QTest.keyClick(canvas, key, mods)
    out["saved"] = item.label_count - before
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    out["after_undo"] = item.label_count - before
    dock.draw_action.setChecked(False)
    return out


def run():
    result = {"loaded": bool(loadPlugin(NAME) and startPlugin(NAME))}
    QCoreApplication.processEvents()
    result["after_load"] = state()
    plugin = plugins[NAME]
    plugin.action.setChecked(False)
    QCoreApplication.processEvents()
    result["hidden_by_action"] = not plugin.dock.isVisible()
    plugin.action.setChecked(True)
    QCoreApplication.processEvents()
    result["shown_by_action"] = plugin.dock.isVisible()
    plugin.open_workspace(os.environ["MIRAGE_TEST_WORKSPACE"])
    plugin.dock.wait()
    QCoreApplication.processEvents()
    result["after_open"] = state()
    result["keys"] = keyboard_and_mouse(plugin.dock)
    result["unloaded"] = bool(unloadPlugin(NAME))
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    result["after_unload"] = state()
    with open(os.environ["MIRAGE_TEST_RESULT"], "w") as fh:
        json.dump(result, fh)
    QgsApplication.exit(0)


QTimer.singleShot(300, run)
