"""The dock's side of the main map: the N-S box tool and its action, the overlay of the
candidate and the selection, and where the map looks (the interferogram on opening, a label
stepped to, the labels with some context)."""
from __future__ import annotations

from typing import Optional

from qgis.core import QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..i18n import translate
from ..plugin_files import resource_path
from .box_tool import BoxTool
from .overlays import BoxOverlay

TR_CONTEXT = "MirageDock"  # a part of the dock


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


class DockMap(QObject):
    def __init__(self, iface, draw_button, on_key, labels_layer, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.labels_layer = labels_layer  # () -> the labels layer of the interferogram on show
        self.canvas = iface.mapCanvas()
        self.draw_button = draw_button
        self.on_key = on_key
        self.box_tool: Optional[BoxTool] = None
        self.overlay: Optional[BoxOverlay] = None
        self.zoomed = False  # the map was put on this workspace once
        self.draw_action = QAction(_tr("MIRAGE N–S box tool"), parent)
        self.draw_action.setCheckable(True)
        self.draw_action.setEnabled(False)
        self.draw_action.setToolTip(_tr("Draw, move and resize north–south label boxes (B)"))
        self.draw_action.setIcon(QIcon(resource_path("box_tool.svg")))
        self.draw_action.toggled.connect(self._toggle_tool)
        draw_button.clicked.connect(lambda checked: self.draw_action.setChecked(checked))
        self.canvas.mapToolSet.connect(self._tool_changed)

    # ------------------------------------------------------------ the box tool
    def attach(self, session) -> None:
        self.box_tool = BoxTool(self.canvas, session, self.on_key)
        self.overlay = BoxOverlay(self.canvas, session)
        self.draw_action.setEnabled(True)
        self.zoomed = False

    def detach(self) -> None:
        if self.draw_action.isChecked():
            self.draw_action.setChecked(False)
        if self.overlay is not None:
            self.overlay.remove()
        if self.box_tool is not None:
            if self.canvas.mapTool() is self.box_tool:
                self.canvas.unsetMapTool(self.box_tool)
            self.box_tool.cleanup()
            self.box_tool.setParent(None)
            self.box_tool.deleteLater()
        self.box_tool = self.overlay = None
        self.draw_action.setEnabled(False)

    def _toggle_tool(self, on: bool) -> None:
        if on and self.box_tool is not None:
            self.canvas.setMapTool(self.box_tool)
            self.canvas.setFocus()
        elif not on and self.box_tool is not None and self.canvas.mapTool() is self.box_tool:
            self.canvas.unsetMapTool(self.box_tool)
        self.draw_button.setChecked(on)

    def _tool_changed(self, tool, *_) -> None:
        active = tool is not None and tool is self.box_tool
        if self.draw_action.isChecked() != active:
            self.draw_action.setChecked(active)

    # ------------------------------------------------------------ where the map looks
    def zoom_to(self, layer, extent=None) -> None:
        """The map on ``extent`` of ``layer`` (all of it by default); the first time, the
        project and the map take the layer's CRS."""
        project = QgsProject.instance()
        if not project.crs().isValid() or not self.zoomed:
            project.setCrs(layer.crs())
            self.canvas.setDestinationCrs(layer.crs())  # what QGIS's project bridge would do
        extent = extent if extent is not None else layer.extent()
        self.canvas.setExtent(self.canvas.mapSettings().layerExtentToOutputExtent(layer, extent))
        self.canvas.refresh()
        self.zoomed = True

    def zoom_to_labels(self, margin_m: float = 1500.0) -> None:
        """Frame the labels of the interferogram on show, with some context around them."""
        layer = self.labels_layer()
        if layer is not None and layer.featureCount() > 0:
            extent = layer.extent()
            extent.grow(margin_m)
            self.zoom_to(layer, extent)

    def show_label(self, label) -> None:
        """Pan to a label stepped to when it is out of sight (the scale stays)."""
        labels_layer = self.labels_layer()
        if label is None or labels_layer is None:
            return
        out = self.canvas.mapSettings().layerExtentToOutputExtent(
            labels_layer, QgsRectangle(*label.bounds))
        if not self.canvas.extent().contains(out):
            self.canvas.setCenter(out.center())
            self.canvas.refresh()

    def cleanup(self) -> None:
        self.detach()
        try:
            self.canvas.mapToolSet.disconnect(self._tool_changed)
        except TypeError:
            pass
