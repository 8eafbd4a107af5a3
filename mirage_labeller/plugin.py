"""initGui/unload wiring: a menu entry, a toolbar with one button, the dock, the provider."""
from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .plugin_files import ICON

MENU = "&MIRAGE Labeller"


class MirageLabellerPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.action = None
        self.toolbar = None
        self.dock = None
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS calls this name)
        from .processing.provider import MirageProvider

        self.provider = MirageProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        from .core.dependencies import HOW_TO_INSTALL, missing_packages
        from .gui.dock import MirageDock

        missing = missing_packages()
        if missing:
            self.iface.messageBar().pushCritical(
                "MIRAGE Labeller", f"needs the Python package(s) {', '.join(missing)}. "
                f"{HOW_TO_INSTALL}")
        self.initProcessing()
        main_window = self.iface.mainWindow()
        self.action = QAction(QIcon(ICON), "MIRAGE Labeller", main_window)
        self.action.setObjectName("mirageLabellerShowDock")
        self.action.setToolTip("Show or hide the MIRAGE Labeller dock")
        self.action.setCheckable(True)
        self.iface.addPluginToMenu(MENU, self.action)
        self.toolbar = self.iface.addToolBar("MIRAGE Labeller")
        self.toolbar.setObjectName("MirageLabellerToolbar")
        self.toolbar.addAction(self.action)

        self.dock = MirageDock(self.iface, main_window)
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.action.setChecked(self.dock.isVisible())
        self.action.toggled.connect(self.dock.setUserVisible)
        self.dock.visibilityChanged.connect(self.action.setChecked)

    def unload(self):
        if self.dock is not None:
            self.dock.visibilityChanged.disconnect(self.action.setChecked)
            self.dock.close_workspace()
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
        if self.action is not None:
            self.iface.removePluginMenu(MENU, self.action)
            self.action.deleteLater()
            self.action = None
        if self.toolbar is not None:
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None

    # for scripts (make demo) and other plugins
    def open_workspace(self, path: str) -> None:
        self.dock.open_workspace(path)
        self.dock.setUserVisible(True)
