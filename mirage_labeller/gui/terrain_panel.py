"""The step-2 panel: the terrain under the candidate box (or under every label of a class)
against random ground outside the labels, with the warnings an expert would raise; and a
button that derives the terrain layers when the workspace only has a DEM.

Thin: core.terrain_check computes and draws, core.morphometry derives; both run in the
background (gui/tasks.py).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Dict, List

from qgis.core import Qgis, QgsProject, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.interferograms.workspace import scan_dem_folder
from ..core.labels.steps import MORPHOLOGY
from ..core.labels.store import LabelFileError
from ..core.terrain.check import check_terrain, render_histograms
from ..core.terrain.workspace_check import CHECKED_LAYERS as CHECKED
from ..i18n import translate, translate_core
from .label_layer import ROLE
from .operations import run_operation
from .tasks import TaskRunner

TR_CONTEXT = "TerrainPanel"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)



class TerrainPanel(QWidget):
    def __init__(self, dock, parent=None):
        super().__init__(parent)
        self.dock = dock
        self.checking = TaskRunner("MIRAGE: terrain check")  # a newer box supersedes
        self.deriving = TaskRunner("MIRAGE: terrain layers")
        self._checked_box = None  # (stem, box) checked by itself in step 2
        self._count = 0  # of checks: one figure file each
        self._png_dir = tempfile.mkdtemp(prefix="mirage-terrain-")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.scope = QComboBox(self)
        self.scope.setToolTip(_tr("Check the box being drawn or selected, or every label of a "
                              "class in this interferogram"))
        self.check_button = QPushButton(_tr("Check terrain"), self)
        self.check_button.setToolTip(_tr("Compare the terrain in the box with random ground "
                                         "outside every label (Fig. 7 of the MIRAGE paper)"))
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
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # never wider than the dock: the figure is scaled to the width there is
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
    def bind(self, session) -> None:
        for signal in (session.candidateChanged, session.selectionChanged, session.flowChanged):
            signal.connect(self.box_changed)

    def box_changed(self) -> None:
        """In step 2 with a box to look at, the terrain check runs by itself."""
        s = self.dock.session
        if s is None or s.current is None or s.flow.current != MORPHOLOGY:
            return
        box = s.candidate or (s.selected_label().bounds if s.selected_label() else None)
        # the same box on another interferogram (recurrence) has another coherence and track
        key = (s.current.label_stem, box)
        if box is None or key == self._checked_box:
            return
        if self.terrain_paths():
            self._checked_box = key
            self.run_check()

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
        self.derive_button.setEnabled(not self.deriving.busy())
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
                    and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry
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
        self._count += 1
        png = os.path.join(self._png_dir, f"check-{self._count}.png")  # one file per task

        def work(progress):
            label_boxes = []
            for stem in stems:  # outside means outside every label of the workspace
                try:
                    label_boxes += [lab.bounds for lab in store.read(stem).labels]
                except LabelFileError:
                    continue
            progress.check()
            check = check_terrain(boxes, layers, label_boxes, traj, coherence, threshold,
                                  inventories, boxes_crs=boxes_crs)
            progress.check()
            render_histograms(check, png, title, columns=2, width_in=4.2)
            return check

        def done(check):
            self._figure = QPixmap(png)
            self._fit_figure()
            self.facts.setText(" · ".join(translate_core(f) for f in check.facts))
            self.warnings.setText("\n".join(f"⚠ {translate_core(w)}" for w in check.warnings))
            self.last = check

        def end():
            self.progress.setVisible(False)
            try:
                os.remove(png)
            except OSError:
                pass

        self.facts.setText(_tr("Checking the terrain…"))
        self.warnings.setText("")
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.checking.run(work, done, on_error=lambda why: self.facts.setText(
            _tr("Terrain check failed: {why}").format(why=why)), on_end=end)

    # ------------------------------------------------------------ deriving the layers
    def derive(self) -> None:
        session = self.dock.session
        if session is None or session.workspace.dem is None:
            return
        ws = session.workspace
        dem = ws.dem
        out_dir = dem.parent

        def done(result):
            if self.dock.session is not session:
                return
            for message in result.note_lines():  # the morphometry operation's Result
                self.dock.say(message, Qgis.MessageLevel.Info)
            _, ws.terrain_layers = scan_dem_folder(out_dir)
            self._derived()

        def end():
            self.progress.setVisible(False)
            self.refresh()

        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        run_operation(  # the morphometry of the command line and Processing
            self.deriving, "morphometry", {"dem": dem, "outdir": out_dir}, done,
            on_error=lambda why: self.dock.say(_tr("{dem}: terrain layers not derived ({why})")
                                               .format(dem=dem, why=why),
                                               Qgis.MessageLevel.Critical),
            on_cancelled=lambda: self.dock.say(_tr("Deriving the terrain layers was cancelled"),
                                               Qgis.MessageLevel.Info),
            on_end=end, on_progress=lambda percent: self.progress.setValue(int(percent)),
            description=f"MIRAGE: terrain layers from {dem.name}")
        self.refresh()

    def _derived(self) -> None:
        """New terrain layers in dem/: into the layer tree and the linked views."""
        ws = self.dock.session.workspace
        self.dock.layers.add_terrain(ws.terrain_layers)
        self.dock.update_views()
        self.dock.say(_tr("Terrain layers written to {folder}").format(folder=ws.dem.parent),
                      Qgis.MessageLevel.Success)
        self._checked_box = None
        self.box_changed()

    def _fit_figure(self) -> None:
        if self._figure.isNull():
            self.image.clear()
            return
        width = max(120, min(self._figure.width(), self.width() - 4))
        self.image.setPixmap(self._figure.scaledToWidth(width,
                                                        Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self._fit_figure()

    def busy(self) -> bool:
        return self.checking.busy() or self.deriving.busy()

    def stop(self) -> None:
        """Nothing of a running check or derive is shown any more (unload, new workspace)."""
        self.checking.cancel()
        self.deriving.cancel()
        self._checked_box = None
        self.progress.setVisible(False)
        self._figure = QPixmap()
        self.image.clear()
        self.facts.clear()
        self.warnings.clear()
