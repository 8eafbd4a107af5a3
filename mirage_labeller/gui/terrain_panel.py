"""The step-2 panel: the terrain under the candidate box (or under every label of a class)
against random ground outside the labels, with the warnings an expert would raise; and a
button that derives the terrain layers when the workspace only has a DEM.

Thin: core.terrain_check computes and draws, core.morphometry derives; both run in QgsTasks.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from qgis.core import Qgis, QgsApplication, QgsProject, QgsTask, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                                 QSizePolicy, QVBoxLayout, QWidget)

from ..i18n import translate, translate_core
from ..core.labels.store import LabelFileError
from ..core.base.progress import Cancelled
from ..core.terrain.morphometry import LAYERS, derive_morphometry
from ..core.terrain.check import check_terrain, render_histograms
from ..core.terrain.workspace_check import CHECKED_LAYERS as CHECKED
from ..core.interferograms.workspace import scan_dem_folder
from .label_layer import ROLE

TR_CONTEXT = "TerrainPanel"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)



class TerrainPanel(QWidget):
    def __init__(self, dock, parent=None):
        super().__init__(parent)
        self.dock = dock
        self._task: Optional[QgsTask] = None
        self._derive_task: Optional[QgsTask] = None
        self._generation = 0  # of checks: a finished check older than this is dropped
        self._stops = 0  # a derive finishing after stop() (unload) touches nothing
        self._png_dir = tempfile.mkdtemp(prefix="mirage-terrain-")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.scope = QComboBox(self)
        self.scope.setToolTip(_tr("Check the box being drawn or selected, or every label of a "
                              "class in this interferogram"))
        self.check_button = QPushButton(_tr("Check terrain"), self)
        self.check_button.setToolTip(_tr("Compare the terrain in the box with random ground outside "
                                     "every label (Fig. 7 of the MIRAGE paper)"))
        self.derive_button = QPushButton(_tr("Derive terrain layers"), self)
        self.derive_button.setToolTip(_tr("Write slope, aspect, curvatures, TRI and TWI from the "
                                      "workspace DEM into dem/"))
        row.addWidget(self.scope, 1)
        row.addWidget(self.check_button)
        row.addWidget(self.derive_button)
        layout.addLayout(row)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setMaximumHeight(12)
        layout.addWidget(self.progress)
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignCenter)
        # never wider than the dock: the figure is scaled to the width there is
        self.image.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self._figure = QPixmap()
        layout.addWidget(self.image)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        layout.addWidget(self.facts)
        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b2182b;")
        layout.addWidget(self.warnings)
        self.check_button.clicked.connect(self.run_check)
        self.derive_button.clicked.connect(self.derive)
        self.refresh()

    # ------------------------------------------------------------ state
    def terrain_paths(self) -> Dict[str, str]:
        ws = self.dock.session.workspace if self.dock.session else None
        if ws is None:
            return {}
        return {name: str(ws.terrain_layers[name]) for name in CHECKED
                if name in ws.terrain_layers}

    def refresh(self) -> None:
        """Offer the scopes of this interferogram; show the derive button while layers lack."""
        session = self.dock.session
        ws = session.workspace if session else None
        missing = bool(ws and ws.dem is not None and set(CHECKED) - set(ws.terrain_layers))
        self.derive_button.setVisible(missing)
        self.derive_button.setEnabled(self._derive_task is None)
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(_tr("the candidate or selected box"), None)
        if session is not None:
            for code in sorted({lab.cls for lab in session.labels()}):
                self.scope.addItem(_tr("all {code} labels of this interferogram").format(
                    code=code), code)
        index = self.scope.findData(current) if current is not None else 0
        self.scope.setCurrentIndex(max(index, 0))
        self.scope.blockSignals(False)
        has_layers = bool(self.terrain_paths())
        self.check_button.setEnabled(session is not None and has_layers)
        if session is not None and not has_layers:
            self.facts.setText(_tr("No terrain layers yet: derive them from the DEM "
                                   "(dem/dem.tif)") if ws and ws.dem else
                               _tr("No DEM in this workspace (dem/dem.tif)."))

    def _boxes(self) -> List:
        session = self.dock.session
        code = self.scope.currentData()
        if code is None:
            if session.candidate is not None:
                return [session.candidate]
            lab = session.selected_label()
            return [lab.bounds] if lab else []
        return [lab.bounds for lab in session.labels() if lab.cls == code]

    def _inventories(self) -> Dict[str, str]:
        """The workspace's inventories and any polygon layer of the project from a file."""
        out = {}
        if self.dock.layers is not None:
            for name, layer in self.dock.layers.inventories.items():
                out[name] = layer.source().split("|")[0]
        for layer in QgsProject.instance().mapLayers().values():
            if (isinstance(layer, QgsVectorLayer) and not layer.customProperty(ROLE)
                    and layer.providerType() == "ogr"
                    and layer.geometryType() == QgsWkbTypes.PolygonGeometry
                    and Path(layer.source().split("|")[0]).is_file()):
                out.setdefault(layer.name(), layer.source().split("|")[0])
        return out

    # ------------------------------------------------------------ the check
    def run_check(self) -> None:
        session = self.dock.session
        if session is None or session.current is None:
            return
        boxes = self._boxes()
        layers = self.terrain_paths()
        if not boxes:
            self.facts.setText(_tr("Draw a box (step 1) or select a label to check its "
                                   "terrain."))
            return
        if not layers:
            self.refresh()
            return
        item = session.current
        store = session.store
        stems = store.stems()
        traj = item.meta.traj
        coherence = str(item.coherence) if item.coherence else None
        threshold = session.state.settings.coherence_threshold
        inventories = self._inventories()
        title = f"{item.meta.ifg or item.path.stem} {traj or ''}: {self.scope.currentText()}"
        boxes_crs = session.label_crs
        if self._task is not None:  # a newer box supersedes the running check
            try:
                self._task.cancel()
            except RuntimeError:
                pass
        self._generation += 1
        generation = self._generation
        png = os.path.join(self._png_dir, f"check-{generation}.png")  # one file per task

        def work(task):
            label_boxes = []
            for stem in stems:  # outside means outside every label of the workspace
                try:
                    label_boxes += [lab.bounds for lab in store.read(stem).labels]
                except LabelFileError:
                    continue
            if task.isCanceled():
                return None
            check = check_terrain(boxes, layers, label_boxes, traj, coherence, threshold,
                                  inventories, boxes_crs=boxes_crs)
            if task.isCanceled():
                return None
            render_histograms(check, png, title, columns=2, width_in=4.2)
            return check

        def done(exception, check=None):
            if generation != self._generation:
                return
            self._task = None
            self.progress.setVisible(False)
            if exception is not None or check is None:
                self.facts.setText(_tr("Terrain check failed: {why}").format(why=exception))
                return
            self._figure = QPixmap(png)
            try:
                os.remove(png)
            except OSError:
                pass
            self._fit_figure()
            self.facts.setText(" · ".join(translate_core(f) for f in check.facts))
            self.warnings.setText("\n".join(f"⚠ {translate_core(w)}" for w in check.warnings))
            self.last = check

        self.facts.setText(_tr("Checking the terrain…"))
        self.warnings.setText("")
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._task = QgsTask.fromFunction("MIRAGE: terrain check", work, on_finished=done)
        QgsApplication.taskManager().addTask(self._task)

    # ------------------------------------------------------------ deriving the layers
    def derive(self) -> None:
        session = self.dock.session
        if session is None or session.workspace.dem is None:
            return
        ws = session.workspace
        dem = ws.dem
        out_dir = dem.parent

        def work(task):
            return derive_morphometry(dem, out_dir, LAYERS,
                                      lambda f, m: task.setProgress(100 * f),
                                      task.isCanceled)

        stops = self._stops

        def done(exception, result=None):
            if stops != self._stops:  # the panel was stopped (unload, new workspace)
                return
            self._derive_task = None
            self.progress.setVisible(False)
            if self.dock.session is not session:
                return
            if isinstance(exception, Cancelled):
                self.dock._message(_tr("Deriving the terrain layers was cancelled"), Qgis.Info)
            elif exception is not None or result is None:
                self.dock._message(_tr("{dem}: terrain layers not derived ({why})").format(
                    dem=dem, why=exception), Qgis.Critical)
            else:
                for message in result.messages:
                    self.dock._message(message, Qgis.Info)
                _, ws.terrain_layers = scan_dem_folder(out_dir)
                self.dock.terrain_derived()
            self.refresh()

        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._derive_task = QgsTask.fromFunction(f"MIRAGE: terrain layers from {dem.name}", work,
                                                 on_finished=done)
        self._derive_task.progressChanged.connect(self._derive_progress)
        QgsApplication.taskManager().addTask(self._derive_task)
        self.refresh()

    def _derive_progress(self, percent: float) -> None:
        self.progress.setValue(int(percent))

    def _fit_figure(self) -> None:
        if self._figure.isNull():
            self.image.clear()
            return
        width = max(120, min(self._figure.width(), self.width() - 4))
        self.image.setPixmap(self._figure.scaledToWidth(width, Qt.SmoothTransformation))

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self._fit_figure()

    def busy(self) -> bool:
        return self._task is not None or self._derive_task is not None

    def stop(self) -> None:
        self._generation += 1
        self._stops += 1
        for task in (self._task, self._derive_task):
            if task is not None:
                try:
                    task.cancel()
                except RuntimeError:
                    pass
        self._task = self._derive_task = None
        self._figure = QPixmap()
        self.image.clear()
        self.facts.clear()
        self.warnings.clear()
