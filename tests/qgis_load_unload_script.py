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
    QCoreApplication.processEvents()
    result["after_open"] = state()
    result["unloaded"] = bool(unloadPlugin(NAME))
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()
    result["after_unload"] = state()
    with open(os.environ["MIRAGE_TEST_RESULT"], "w") as fh:
        json.dump(result, fh)
    QgsApplication.exit(0)


QTimer.singleShot(300, run)
