"""Run inside QGIS by `qgis --code` (make demo): open the demo workspace in the plugin's dock.

With MIRAGE_DEMO_SCREENSHOT set, save a screenshot once the map has drawn, then quit.
"""
import os
import sys

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins

SHOT = os.environ.get("MIRAGE_DEMO_SCREENSHOT")


def _fail(message):
    print(f"demo: {message}", file=sys.stderr)
    if SHOT:
        QgsApplication.exit(3)


def _shoot():
    QApplication.processEvents()
    iface.mainWindow().grab().save(SHOT)
    QgsApplication.exit(0)


def _start():
    plugin = plugins.get("MirageLabeller")
    if plugin is None:
        _fail("the MirageLabeller plugin is not loaded")
        return
    window = iface.mainWindow()
    screen = QApplication.primaryScreen().availableGeometry()
    window.setGeometry(screen)  # no window manager under Xvfb: showMaximized() does nothing
    window.showMaximized()
    plugin.open_workspace(os.environ["MIRAGE_DEMO_WORKSPACE"])
    plugin.dock.zoom_to_labels()
    if SHOT:
        QTimer.singleShot(5000, _shoot)


QTimer.singleShot(1000, _start)
