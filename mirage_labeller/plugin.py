"""initGui/unload wiring: menu entries, a toolbar (dock, box tool, linked views), the dock,
the linked views panel, the Processing provider, and the project signals that save and
restore a session."""
from __future__ import annotations

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .i18n import translate
from .plugin_files import ICON, resource_path

TR_CONTEXT = "MirageLabellerPlugin"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

MENU = "&MIRAGE Labeller"


class MirageLabellerPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.action = None
        self.views_action = None
        self.toolbar = None
        self.dock = None
        self.views = None
        self.review = None
        self.review_action = None
        self.provider = None
        self.translator = None

    def initProcessing(self):  # noqa: N802 (QGIS calls this name)
        from .processing.provider import MirageProvider

        self.provider = MirageProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        from .core.base.dependencies import HOW_TO_INSTALL, missing_packages
        from .gui.dock import MirageDock
        from .gui.linked_views import LinkedViews
        from .gui.review_dock import ReviewDock

        missing = missing_packages()
        if missing:
            self.iface.messageBar().pushCritical(
                "MIRAGE Labeller", f"needs the Python package(s) {', '.join(missing)}. "
                f"{HOW_TO_INSTALL}")
        from . import i18n

        self.translator = i18n.install()  # before any widget is built: QGIS's locale
        self.initProcessing()
        main_window = self.iface.mainWindow()
        self.views = LinkedViews(self.iface, main_window)
        self.iface.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.views)
        self.views.hide()
        self.dock = MirageDock(self.iface, main_window, self.views)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)

        self.action = QAction(QIcon(ICON), "MIRAGE Labeller", main_window)
        self.action.setObjectName("mirageLabellerShowDock")
        self.action.setToolTip(_tr("Show or hide the MIRAGE Labeller dock"))
        self.action.setCheckable(True)
        self.action.setChecked(self.dock.isVisible())
        self.action.toggled.connect(self.dock.setUserVisible)
        self.dock.visibilityChanged.connect(self.action.setChecked)
        self.views_action = QAction(QIcon(resource_path("linked_views.svg")),
                                    "MIRAGE linked views", main_window)
        self.views_action.setObjectName("mirageLabellerLinkedViews")
        self.views_action.setToolTip(_tr("Show or hide the linked views (phase | coherence | "
                                     "hillshade | slope)"))
        self.views_action.setCheckable(True)
        self.views_action.toggled.connect(self.views.setUserVisible)
        self.views.visibilityChanged.connect(self.views_action.setChecked)
        self.dock.draw_action.setObjectName("mirageLabellerBoxTool")
        self.review = ReviewDock(self.iface, self.dock, main_window)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review)
        self.review.hide()
        self.review_action = QAction(QIcon(resource_path("review.svg")), "MIRAGE review",
                                     main_window)
        self.review_action.setObjectName("mirageLabellerReview")
        self.review_action.setToolTip(_tr("Audit and review a label set (yours or someone else's)"))
        self.review_action.setCheckable(True)
        self.review_action.toggled.connect(self._show_review)
        self.review.visibilityChanged.connect(self.review_action.setChecked)

        actions = (self.action, self.dock.draw_action, self.views_action, self.review_action)
        for action in actions:
            self.iface.addPluginToMenu(MENU, action)
        self.toolbar = self.iface.addToolBar("MIRAGE Labeller")
        self.toolbar.setObjectName("MirageLabellerToolbar")
        for action in actions:
            self.toolbar.addAction(action)

        project = QgsProject.instance()
        project.readProject.connect(self._project_read)
        project.cleared.connect(self.dock.project_cleared)

    def _show_review(self, on: bool) -> None:
        if on:
            self.review.use_workspace()
        self.review.setUserVisible(on)

    def _project_read(self, *_):
        self.dock.restore_from_project()

    def unload(self):
        project = QgsProject.instance()
        for signal, slot in ((project.readProject, self._project_read),
                             (project.cleared, self.dock.project_cleared if self.dock else None)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        if self.review is not None:
            self.review.visibilityChanged.disconnect(self.review_action.setChecked)
            self.iface.removePluginMenu(MENU, self.review_action)
            self.review.cleanup()
            self.iface.removeDockWidget(self.review)
            self.review.setParent(None)
            self.review.deleteLater()
            self.review = None
        if self.dock is not None:
            self.dock.visibilityChanged.disconnect(self.action.setChecked)
            for action in (self.action, self.dock.draw_action, self.views_action):
                self.iface.removePluginMenu(MENU, action)
            self.dock.cleanup()
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
        if self.views is not None:
            self.views.cleanup()
            self.iface.removeDockWidget(self.views)
            self.views.setParent(None)
            self.views.deleteLater()
            self.views = None
        for action in (self.action, self.views_action, self.review_action):
            if action is not None:
                action.deleteLater()
        self.action = self.views_action = self.review_action = None
        if self.toolbar is not None:
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            from . import i18n

            i18n.uninstall(self.translator)
            self.translator = None

    # for scripts (make demo) and other plugins
    def open_workspace(self, path: str) -> None:
        self.dock.open_workspace(path)
        self.dock.setUserVisible(True)
