"""The MIRAGE Labeller dock: open a workspace, list its interferograms, show one at a time.

Thin: the workspace scan, metadata and styling rules live in core/ and gui/styles.py.
"""
from __future__ import annotations

from typing import List, Optional

from qgis.core import Qgis, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import (QFileDialog, QHeaderView, QShortcut, QTableWidgetItem)

from ..core.workspace import Workspace, WorkspaceInterferogram, open_workspace
from ..plugin_files import ui_path
from .layers import WorkspaceLayers

FORM_CLASS, _ = uic.loadUiType(ui_path("dock.ui"))
COLUMNS = ("IFG", "Bt", "Traj", "Labels", "Coherence", "File")
_INDEX_ROLE = Qt.UserRole + 1


class _NumberItem(QTableWidgetItem):
    """Sorts by number, not by text (Bt 6 before 12)."""

    def __lt__(self, other):
        try:
            return float(self.text()) < float(other.text())
        except ValueError:
            return super().__lt__(other)


class MirageDock(QgsDockWidget, FORM_CLASS):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.setObjectName("MirageLabellerDock")
        self.setMinimumWidth(380)
        self.iface = iface
        self.workspace: Optional[Workspace] = None
        self.layers: Optional[WorkspaceLayers] = None
        self.current_index: Optional[int] = None

        table = self.ifgTable
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.itemActivated.connect(lambda item: self.show_row(item.row()))
        self.openButton.clicked.connect(self.choose_workspace)
        self.showButton.clicked.connect(lambda: self.show_row(table.currentRow()))
        self.nextButton.clicked.connect(lambda: self.step(1))
        self.previousButton.clicked.connect(lambda: self.step(-1))
        for key, delta in ((QKeySequence.MoveToNextPage, 1), (QKeySequence.MoveToPreviousPage, -1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=delta: self.step(d))
        self._update_buttons()

    # ------------------------------------------------------------ workspace
    def choose_workspace(self) -> None:
        start = str(self.workspace.root) if self.workspace else ""
        folder = QFileDialog.getExistingDirectory(self, "Open a MIRAGE workspace", start)
        if folder:
            self.open_workspace(folder)

    def open_workspace(self, path: str) -> bool:
        try:
            workspace = open_workspace(path)
        except (FileNotFoundError, OSError) as exc:
            self._message(str(exc), Qgis.Critical)
            return False
        self.close_workspace()
        self.workspace = workspace
        self.layers = WorkspaceLayers(workspace, QgsProject.instance())
        self.workspaceEdit.setText(str(workspace.root))
        self._fill_table()
        n = len(workspace.interferograms)
        status = f"{n} interferogram{'s' if n != 1 else ''}"
        if workspace.dem is None:
            status += "; no DEM (dem/dem.tif)"
        if workspace.problems:
            status += f"; {len(workspace.problems)} problem(s): " + "; ".join(workspace.problems[:3])
            self.statusLabel.setToolTip("\n".join(workspace.problems))
        self.statusLabel.setText(status)
        if n:
            self.show_row(0, zoom=True)
        return True

    def close_workspace(self) -> None:
        if self.layers is not None:
            self.layers.remove()
        self.layers = None
        self.workspace = None
        self.current_index = None
        self.ifgTable.setRowCount(0)
        self._update_buttons()

    def _fill_table(self) -> None:
        table = self.ifgTable
        table.setSortingEnabled(False)
        items: List[WorkspaceInterferogram] = self.workspace.interferograms
        table.setRowCount(len(items))
        for row, it in enumerate(items):
            m = it.meta
            cells = [QTableWidgetItem(m.ifg or "?"),
                     _NumberItem(str(m.bt) if m.bt is not None else "?"),
                     QTableWidgetItem(m.traj or "?"),
                     _NumberItem(str(it.label_count)),
                     QTableWidgetItem("yes" if it.coherence else "missing"),
                     QTableWidgetItem(it.path.name)]
            for col, cell in enumerate(cells):
                cell.setData(_INDEX_ROLE, row)
                cell.setToolTip("\n".join([str(it.path), *m.problems, *m.notes]))
                table.setItem(row, col, cell)
        table.setSortingEnabled(True)
        self._update_buttons()

    # ------------------------------------------------------------ navigation
    def _index_at(self, row: int) -> Optional[int]:
        item = self.ifgTable.item(row, 0)
        return None if item is None else item.data(_INDEX_ROLE)

    def _row_of(self, index: int) -> int:
        for row in range(self.ifgTable.rowCount()):
            if self._index_at(row) == index:
                return row
        return -1

    def step(self, delta: int) -> None:
        """Next/previous interferogram in the table's current order."""
        if self.workspace is None or self.ifgTable.rowCount() == 0:
            return
        row = self._row_of(self.current_index) if self.current_index is not None else -1
        new_row = min(max(row + delta, 0), self.ifgTable.rowCount() - 1)
        if new_row != row:
            self.show_row(new_row)

    def show_row(self, row: int, zoom: bool = False) -> None:
        index = self._index_at(row)
        if index is None or self.layers is None:
            return
        item = self.workspace.interferograms[index]
        first = self.layers.phase_layer is None
        for message in self.layers.show(item):
            self._message(message, Qgis.Warning)
        self.current_index = index
        self.ifgTable.selectRow(row)
        if (zoom or first) and self.layers.phase_layer is not None:
            self._zoom_to(self.layers.phase_layer)
        self._update_buttons()

    def current_interferogram(self) -> Optional[WorkspaceInterferogram]:
        if self.workspace is None or self.current_index is None:
            return None
        return self.workspace.interferograms[self.current_index]

    def _zoom_to(self, layer, extent=None) -> None:
        canvas = self.iface.mapCanvas()
        project = QgsProject.instance()
        if not project.crs().isValid() or len(project.mapLayers()) <= 4:
            project.setCrs(layer.crs())
        extent = extent if extent is not None else layer.extent()
        canvas.setExtent(canvas.mapSettings().layerExtentToOutputExtent(layer, extent))
        canvas.refresh()

    def zoom_to_labels(self, margin_m: float = 1500.0) -> None:
        """Frame the labels of the interferogram on show, with some context around them."""
        layer = self.layers.labels_layer if self.layers else None
        if layer is None or layer.featureCount() == 0:
            return
        extent = layer.extent()
        extent.grow(margin_m)
        self._zoom_to(layer, extent)

    def _update_buttons(self) -> None:
        has = self.workspace is not None and self.ifgTable.rowCount() > 0
        for button in (self.showButton, self.nextButton, self.previousButton):
            button.setEnabled(has)

    def _message(self, text: str, level=Qgis.Info) -> None:
        self.iface.messageBar().pushMessage("MIRAGE Labeller", text, level=level, duration=8)
