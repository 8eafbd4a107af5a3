"""The MIRAGE Labeller dock: open a workspace, triage and label its interferograms along the
five steps of the MIRAGE flowchart.

Thin: widgets turn into calls on the LabellingSession (gui/session.py), whose rules live in
core (steps, workspace_state, edit_history, box_geometry, label_store).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import List, Optional

from qgis.core import Qgis, QgsApplication, QgsProject, QgsTask
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon, QKeySequence
from qgis.PyQt.QtWidgets import (QAction, QButtonGroup, QFileDialog, QHeaderView, QInputDialog,
                                 QListWidgetItem, QPushButton, QShortcut, QTableWidgetItem,
                                 QToolButton)

from ..i18n import translate, translate_core
from ..core.labels.classes import CLASSES, region_of_point
from ..core.base.errors import MirageError
from ..core.teaching.exercise import is_exercise
from ..core.interferograms.screening import build_overviews, load_cache, save_cache, screen_interferogram
from ..core.labels.steps import MORPHOLOGY, RECURRENCE, SELECT, STEPS
from ..core.interferograms.workspace import WorkspaceInterferogram, open_workspace, open_workspace_files
from ..core.interferograms.state import (DISCARD, KEEP, REASONS, STATUSES, WorkspaceState,
                                    read_sidecar, write_sidecar)
from ..plugin_files import resource_path, ui_path
from . import keymap, project_state
from .box_tool import BoxTool
from .layers import WorkspaceLayers, remove_stale
from .overlays import BoxOverlay
from .session import LabellingSession
from .recurrence_panel import RecurrencePanel
from .terrain_panel import TerrainPanel
from ..core.base.progress import Cancelled

TR_CONTEXT = "MirageDock"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

FORM_CLASS, _ = uic.loadUiType(ui_path("dock.ui"))
def _N(text: str) -> str:
    """A word translated where shown (_tr(variable)); marked here for tools/make_ts.py."""
    return text


COLUMNS = (_N("IFG"), _N("Bt"), _N("Traj"), _N("Labels"), _N("Status"), _N("Score"),
           _N("Mean coh"), _N("% < 0.2"), _N("Coherence"), _N("File"))
# the words of the state (workspace_state.REASONS, STATUSES), shown translated
_WORDS = (_N("decorrelation"), _N("atmosphere"), _N("other"), _N("undecided"), _N("kept"),
          _N("discarded"), _N("labelled"), _N("unlabelled"), _N("all"), _N("keep"),
          _N("discard"))
SCREEN_COLUMNS = {"score": 5, "mean_coh": 6, "frac_coh_lt_0_2": 7}
_INDEX_ROLE = Qt.UserRole + 1
_STATUS_TEXT = {KEEP: "kept", DISCARD: "discarded", None: "—"}


def _status(decision) -> str:
    text = _STATUS_TEXT[decision]
    return _tr(text) if decision is not None else text


class _NumberItem(QTableWidgetItem):
    """Sorts by number, not by text (Bt 6 before 12)."""

    def __lt__(self, other):
        try:
            return float(self.text()) < float(other.text())
        except ValueError:
            return super().__lt__(other)


class MirageDock(QgsDockWidget, FORM_CLASS):
    def __init__(self, iface, parent=None, linked_views=None):
        super().__init__(parent)
        self.setupUi(self)
        self.setObjectName("MirageLabellerDock")
        self.setMinimumWidth(430)
        # one radio group per attribute (in one page they would all exclude each other)
        self._quality_group = QButtonGroup(self)
        self._uncertainty_group = QButtonGroup(self)
        for group, buttons in ((self._quality_group, (self.quality1, self.quality2)),
                               (self._uncertainty_group, (self.uncertainty1, self.uncertainty2))):
            for button in buttons:
                group.addButton(button)
        self.iface = iface
        self.linked_views = linked_views
        self.session: Optional[LabellingSession] = None
        self.layers: Optional[WorkspaceLayers] = None
        self.box_tool: Optional[BoxTool] = None
        self.overlay: Optional[BoxOverlay] = None
        self._class_buttons = {}
        self._buttons_region = "unset"
        self.screened = {}  # label stem -> core.screening.Screening
        self._screen_task = None
        self._screen_generation = 0
        self._zoomed = False

        self.draw_action = QAction(_tr("MIRAGE N–S box tool"), self)
        self.draw_action.setCheckable(True)
        self.draw_action.setEnabled(False)
        self.draw_action.setToolTip(_tr("Draw, move and resize north–south label boxes (B)"))
        self.draw_action.setIcon(QIcon(resource_path("box_tool.svg")))
        self.draw_action.toggled.connect(self._toggle_tool)
        self.iface.mapCanvas().mapToolSet.connect(self._tool_changed)

        table = self.ifgTable
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.itemActivated.connect(lambda item: self.show_row(item.row()))
        table.cellClicked.connect(lambda row, _col: self.show_row(row))
        self.openButton.clicked.connect(self.choose_workspace)
        self.openFilesButton.clicked.connect(self.choose_files)
        self.nextButton.clicked.connect(lambda: self.step(1))
        self.previousButton.clicked.connect(lambda: self.step(-1))
        self.btFilter.currentIndexChanged.connect(self._filters_changed)
        self.trajFilter.currentIndexChanged.connect(self._filters_changed)
        self.statusFilter.currentIndexChanged.connect(self._filters_changed)

        for i, step in enumerate(STEPS):
            button = getattr(self, f"stepButton{i}")
            button.setMinimumWidth(34)
            button.setToolTip(f"{step.number}. {translate('Steps', step.title)}: "
                              f"{translate('Steps', step.guidance)}")
            button.clicked.connect(lambda _=False, n=i: self._call("go", n))
        for reason in REASONS:  # the state keeps the English word, whatever the language
            self.reasonCombo.addItem(_tr(reason), reason)
        self.keepButton.clicked.connect(lambda: self.run_action("keep"))
        self.discardButton.clicked.connect(lambda: self.run_action("discard"))
        self.supplyButton.clicked.connect(self.supply_metadata)
        self.drawButton.clicked.connect(lambda checked: self.draw_action.setChecked(checked))
        self.dropCandidateButton.clicked.connect(lambda: self.run_action("cancel"))
        self.morphologyButton.clicked.connect(lambda: self.run_action("morphology"))
        self.recurrenceButton.clicked.connect(lambda: self.run_action("recurrence"))
        self.quality1.clicked.connect(lambda: self.run_action("quality:1"))
        self.quality2.clicked.connect(lambda: self.run_action("quality:2"))
        self.uncertainty1.clicked.connect(lambda: self.run_action("uncertainty:1"))
        self.uncertainty2.clicked.connect(lambda: self.run_action("uncertainty:2"))
        self.confirmButton.clicked.connect(lambda: self.run_action("confirm"))
        self.labelList.itemClicked.connect(
            lambda item: self._call("select_label", item.data(_INDEX_ROLE)))
        self.nextLabelButton.clicked.connect(lambda: self.run_action("next_label"))
        self.previousLabelButton.clicked.connect(lambda: self.run_action("previous_label"))
        self.deleteButton.clicked.connect(lambda: self.run_action("delete"))
        self.undoButton.clicked.connect(lambda: self.run_action("undo"))
        self.redoButton.clicked.connect(lambda: self.run_action("redo"))
        self.strictCheck.toggled.connect(lambda on: self._call("set_strict", on))
        self.maskCheck.toggled.connect(self._mask_toggled)
        self.rememberCheck.toggled.connect(self._remember_toggled)
        self.helpButton.toggled.connect(self.helpBrowser.setVisible)
        self.helpBrowser.setHtml(keymap.help_html())
        self.helpBrowser.setVisible(False)
        self.terrain = TerrainPanel(self, self.morphologyHost)
        self.morphologyHostLayout.addWidget(self.terrain)
        self.morphologyHint.setVisible(False)  # the step's guidance says it already
        self.recurrence = RecurrencePanel(self, self.recurrenceHost)
        self.recurrenceHostLayout.addWidget(self.recurrence, 1)
        self.recurrenceHint.setVisible(False)
        self.page3Layout.setStretchFactor(self.recurrenceHost, 1)  # the gallery takes the height
        self._select_after_load = None  # (stem, label id) to select once that one is open
        self.check_button = QPushButton(_tr("Check my work"), self.statusLabel.parentWidget())
        self.check_button.setToolTip(_tr("Exercise: score your labels against the hidden key"))
        self.check_button.setVisible(False)
        self.check_button.clicked.connect(self.check_exercise)
        self.statusLabel.parentWidget().layout().insertWidget(1, self.check_button)
        self.check_dialog = None
        self.guide_button = QPushButton(_tr("Class guide"), self.statusLabel.parentWidget())
        self.guide_button.setToolTip(_tr("The ten classes: figures, signal patterns and examples"))
        self.guide_button.clicked.connect(self.show_class_guide)
        self.statusLabel.parentWidget().layout().insertWidget(1, self.guide_button)
        self.guide = None

        for key, action, _ in keymap.ACTIONS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda a=action: self.run_action(a))
        self._update_all()

    # ------------------------------------------------------------ open / close
    def choose_workspace(self) -> None:
        start = str(self.session.workspace.root) if self.session else ""
        folder = QFileDialog.getExistingDirectory(self, _tr("Open a MIRAGE workspace"), start)
        if folder:
            self.open_workspace(folder)

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, _tr("Open interferograms (coherence maps are found by date)"), "",
            _tr("Rasters") + " (*.tif *.tiff *.grd *.nc *.vrt *.img);;" + _tr("All files")
            + " (*)")
        if files:
            self.open_files(files)

    def open_files(self, files: List[str], state: Optional[WorkspaceState] = None) -> bool:
        try:
            workspace = open_workspace_files(files)
        except (FileNotFoundError, ValueError, OSError, MirageError) as exc:
            self._message(str(exc), Qgis.Critical)
            return False
        state = state or WorkspaceState()
        state.files = [str(f) for f in files]
        self._start(workspace, state)
        return True

    def open_workspace(self, path: str, state: Optional[WorkspaceState] = None) -> bool:
        try:
            workspace = open_workspace(path)
        except (FileNotFoundError, OSError, MirageError) as exc:
            self._message(str(exc), Qgis.Critical)
            return False
        if state is not None:
            state.files = None
        self._start(workspace, state)
        return True

    def _start(self, workspace, state: Optional[WorkspaceState]) -> None:
        """Open ``workspace`` with ``state`` (the project's, or None). Files beside the data
        that cannot be used (a damaged state file, a bad basemap, a save left pending in a
        read-only label folder) each give one warning and never stop the opening."""
        self.close_workspace()
        state = state or WorkspaceState()
        sidecar, warnings = read_sidecar(workspace.root)
        if sidecar is not None:
            if not state.root:  # no project state: the sidecar's settings too
                state.settings = sidecar.settings
                state.current = sidecar.current
            state.merge(sidecar)
        state.root = str(workspace.root)
        for item in workspace.interferograms:
            item.meta = state.apply_overrides(item.label_stem, item.meta)
        for warning in warnings:
            self._message(warning, Qgis.Warning)
        session = LabellingSession(workspace, state, self)
        self.session = session
        self.layers = WorkspaceLayers(workspace, QgsProject.instance())
        for problem in self.layers.problems:
            self._message(problem, Qgis.Warning)
        for note in self.layers.notes:  # said once, in the bar only (the status line is ours)
            self.iface.messageBar().pushMessage("MIRAGE Labeller", note, level=Qgis.Info,
                                                duration=10)
        session.labelsChanged.connect(self._labels_changed)
        session.candidateChanged.connect(self._update_candidate)
        session.selectionChanged.connect(self._update_selection)
        session.draftChanged.connect(self._update_draft)
        session.flowChanged.connect(self._update_flow)
        session.stateChanged.connect(self._save_state)
        session.stateChanged.connect(self._refresh_current_row)
        session.message.connect(self._message)
        session.presenceChanged.connect(self._update_progress)
        session.damaged.connect(self._offer_salvage)
        session.candidateChanged.connect(self._maybe_check_terrain)
        session.selectionChanged.connect(self._maybe_check_terrain)
        session.flowChanged.connect(self._maybe_check_terrain)
        session.candidateChanged.connect(self.recurrence.box_changed)
        session.selectionChanged.connect(self.recurrence.box_changed)
        session.interferogramChanged.connect(self._select_pending)
        canvas = self.iface.mapCanvas()
        self.box_tool = BoxTool(canvas, session, self.handle_key)
        self.overlay = BoxOverlay(canvas, session)
        if self.linked_views is not None:
            self.linked_views.set_session(session)
        self.draw_action.setEnabled(True)
        self.workspaceEdit.setText(str(workspace.root))
        self.check_button.setVisible(is_exercise(workspace.root))
        self._build_class_buttons(None)
        self._fill_filters()
        self._fill_table()
        self._start_screening()
        settings = state.settings
        for check, value in ((self.strictCheck, settings.strict), (self.maskCheck,
                             settings.coherence_mask), (self.rememberCheck, settings.remember_last)):
            check.blockSignals(True)
            check.setChecked(value)
            check.blockSignals(False)
        self.maskCheck.setText(_tr("Mask coh < {threshold:g}").format(
            threshold=settings.coherence_threshold))
        n = len(workspace.interferograms)
        status = (_tr("1 interferogram") if n == 1 else
                  _tr("{n} interferograms").format(n=n))
        if workspace.dem is None:
            status += "; " + _tr("no DEM (dem/dem.tif)")
        if workspace.problems:
            status += "; " + _tr("{n} problem(s): {first}").format(
                n=len(workspace.problems),
                first="; ".join(translate_core(p) for p in workspace.problems[:3]))
            self.statusLabel.setToolTip("\n".join(translate_core(p)
                                                   for p in workspace.problems))
        self.statusLabel.setText(status)
        self._zoomed = False
        rows = [r for r in range(self.ifgTable.rowCount()) if not self.ifgTable.isRowHidden(r)]
        wanted = [r for r in range(self.ifgTable.rowCount())  # even if filtered out now
                  if self._item_at(r) is not None and self._item_at(r).label_stem == state.current]
        if wanted or rows:
            self.show_row((wanted or rows)[0])
        self._save_state()

    def close_workspace(self) -> None:
        self._stop_screening()
        self.terrain.stop()
        self.recurrence.stop()
        self._select_after_load = None
        self.screened = {}
        if self.draw_action.isChecked():
            self.draw_action.setChecked(False)
        if self.overlay is not None:
            self.overlay.remove()
        if self.box_tool is not None:
            canvas = self.iface.mapCanvas()
            if canvas.mapTool() is self.box_tool:
                canvas.unsetMapTool(self.box_tool)
            self.box_tool.cleanup()
            self.box_tool.setParent(None)
            self.box_tool.deleteLater()
        if self.linked_views is not None:
            self.linked_views.set_session(None)
            self.linked_views.set_sources({}, [])
        if self.layers is not None:
            self.layers.remove()
        if self.session is not None:
            self.session.close()
            self.session.deleteLater()
        self.box_tool = self.overlay = self.layers = self.session = None
        self.draw_action.setEnabled(False)
        self.ifgTable.setRowCount(0)
        self.labelList.clear()
        self._update_all()

    def restore_from_project(self) -> None:
        """Reopen the workspace a project was saved with, as it was left."""
        state, warnings = project_state.load()
        if state is None:
            return
        for warning in warnings:
            self._message(_tr("project: {warning}").format(warning=warning), Qgis.Warning)
        remove_stale(QgsProject.instance())
        if state.files:
            missing = [f for f in state.files if not Path(f).is_file()]
            if missing:
                self._message(_tr("{file}: a file of the project's workspace is missing")
                              .format(file=missing[0]), Qgis.Warning)
            self.open_files([f for f in state.files if Path(f).is_file()], state)
        elif state.root and Path(state.root).is_dir():
            self.open_workspace(state.root, state)
        elif state.root:
            self._message(_tr("{folder}: the project's MIRAGE workspace is no longer there")
                          .format(folder=state.root), Qgis.Warning)

    def project_cleared(self) -> None:
        """The project went away with its layers: forget them without touching them."""
        if self.layers is not None:
            self.layers.group = None
        self.close_workspace()

    # ------------------------------------------------------------ table and filters
    def _build_class_buttons(self, region: Optional[str] = None) -> None:
        """One button per class, those of the interferogram's region first."""
        grid = self.classGrid
        for button in self._class_buttons.values():
            grid.removeWidget(button)
            button.deleteLater()
        self._class_buttons = {}
        self._buttons_region = region
        ordered = sorted(CLASSES.values(), key=lambda c: (not c.lives_in(region) if region else 0))
        for i, cls in enumerate(ordered):
            key = keymap.CLASS_KEYS[cls.code]
            button = QToolButton(self.classHost)
            button.setText(f"{cls.code} ({key})")
            button.setCheckable(True)
            button.setAutoExclusive(False)
            button.setToolTip(_tr("{name} — {region}; typical area {area} km², main baseline "
                                  "{days} d; {shape}, {texture}").format(
                name=translate_core(cls.name), region=translate_core(cls.region),
                area=cls.mean_area_km2, days=cls.main_baseline_days or "-",
                shape=translate_core(cls.shape), texture=translate_core(cls.texture)))
            button.setMinimumWidth(64)
            button.setStyleSheet(f"QToolButton {{ border: 2px solid {cls.colour}; padding: 2px; }}"
                                 f"QToolButton:checked {{ background: {cls.colour}; color: white; }}")
            if region and not cls.lives_in(region):
                button.setStyleSheet(button.styleSheet() + "QToolButton { color: gray; }")
            button.clicked.connect(lambda _=False, c=cls.code: self.run_action(f"class:{c}"))
            grid.addWidget(button, i // 4, i % 4)
            self._class_buttons[cls.code] = button

    def _region(self) -> Optional[str]:
        if self.session is None or self.layers is None or self.layers.phase_layer is None:
            return None
        from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                               QgsPointXY)

        layer = self.layers.phase_layer
        wgs84 = QgsCoordinateReferenceSystem.fromEpsgId(4326)
        p = QgsCoordinateTransform(layer.crs(), wgs84, QgsProject.instance()).transform(
            QgsPointXY(layer.extent().center()))
        return region_of_point(p.x(), p.y())

    def _fill_filters(self) -> None:
        items = self.session.workspace.interferograms
        settings = self.session.state.settings
        for combo, prefix, values, current in (
                (self.btFilter, "Bt", sorted({it.meta.bt for it in items if it.meta.bt is not None}),
                 settings.filter_bt),
                (self.trajFilter, "Traj", ["A", "D"], settings.filter_traj),
                (self.statusFilter, "Status", list(STATUSES), settings.filter_status)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(f"{_tr(prefix)}: {_tr('all')}", None)
            for value in values:
                shown = _tr(value) if isinstance(value, str) and prefix == "Status" else value
                combo.addItem(f"{_tr(prefix)}: {shown}", value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def _filters_changed(self) -> None:
        if self.session is None:
            return
        settings = self.session.state.settings
        settings.filter_bt = self.btFilter.currentData()
        settings.filter_traj = self.trajFilter.currentData()
        settings.filter_status = self.statusFilter.currentData()
        self._apply_filters()
        self._save_state()

    def _apply_filters(self) -> None:
        state = self.session.state
        for row in range(self.ifgTable.rowCount()):
            it = self._item_at(row)
            self.ifgTable.setRowHidden(row, not state.matches(
                it.label_stem, it.meta.bt, it.meta.traj, it.label_count))

    def _fill_table(self) -> None:
        table = self.ifgTable
        table.setSortingEnabled(False)
        items: List[WorkspaceInterferogram] = self.session.workspace.interferograms
        table.setRowCount(len(items))
        for row, it in enumerate(items):
            m = it.meta
            cells = [QTableWidgetItem(m.ifg or "?"),
                     _NumberItem(str(m.bt) if m.bt is not None else "?"),
                     QTableWidgetItem(m.traj or "?"),
                     _NumberItem(str(it.label_count)),
                     QTableWidgetItem(_status(self.session.state.decision(it.label_stem))),
                     _NumberItem("…"), _NumberItem("…"), _NumberItem("…"),
                     QTableWidgetItem(_tr("yes") if it.coherence else _tr("missing")),
                     QTableWidgetItem(it.path.name)]
            for col, cell in enumerate(cells):
                cell.setData(_INDEX_ROLE, row)
                cell.setToolTip("\n".join([str(it.path), *map(translate_core, m.problems),
                                            *map(translate_core, m.notes)]))
                table.setItem(row, col, cell)
        table.setSortingEnabled(True)
        self._apply_filters()
        self._show_screening()

    # ------------------------------------------------------------ step 0 screening
    def _start_screening(self) -> None:
        """Screen every interferogram in the background (cached in .mirage/screening.json);
        the table fills its Score, Mean coh and < 0.2 columns as the results arrive."""
        session = self.session
        items = session.workspace.interferograms
        threshold = session.state.settings.coherence_threshold
        self.screened = load_cache(session.workspace.root, items, threshold)
        todo = [it for it in items if it.label_stem not in self.screened]
        overviews = session.state.settings.build_overviews
        self._show_screening()
        if not todo:
            return
        generation = self._screen_generation = self._screen_generation + 1

        def work(task):
            out = {}
            for k, it in enumerate(todo):
                if task.isCanceled():
                    break
                try:
                    out[it.label_stem] = screen_interferogram(
                        str(it.path), str(it.coherence) if it.coherence else None, it.meta,
                        threshold, is_cancelled=task.isCanceled)
                except InterruptedError:  # a cancel (an OSError: caught before them)
                    break
                except (OSError, ValueError, MirageError) as exc:
                    out[it.label_stem] = str(exc)
                except Cancelled:
                    break
                if overviews:  # so QGIS draws large interferograms quickly
                    for path, kind in ((it.path, "phase"), (it.coherence, "coherence")):
                        try:
                            if path is not None:
                                build_overviews(str(path), kind)
                        except OSError:
                            pass  # a read-only folder: QGIS still draws, only slower
                task.setProgress(100.0 * (k + 1) / len(todo))
            return out

        def done(exception, result=None):
            if generation != self._screen_generation or self.session is not session:
                return
            self._screen_task = None
            if exception is not None:
                self._message(_tr("Screening stopped: {why}").format(why=exception),
                              Qgis.Warning)
            for stem, row in (result or {}).items():
                if isinstance(row, str):
                    self._message(row, Qgis.Warning)
                else:
                    self.screened[stem] = row
            error = save_cache(session.workspace.root, self.screened, items, threshold)
            if error:
                self.statusLabel.setText(error)
            self._show_screening()
            self._update_progress()

        self._screen_task = QgsTask.fromFunction("MIRAGE: screening interferograms", work,
                                                 on_finished=done)
        self._screen_task.progressChanged.connect(self._screening_progress)
        QgsApplication.taskManager().addTask(self._screen_task)

    # ------------------------------------------------------------ step 2 terrain
    def _maybe_check_terrain(self) -> None:
        """In step 2 with a box to look at, the terrain check runs by itself."""
        s = self.session
        if s is None or s.current is None or s.flow.current != MORPHOLOGY:
            return
        box = s.candidate or (s.selected_label().bounds if s.selected_label() else None)
        # the same box on another interferogram (recurrence) has another coherence and track
        key = (s.current.label_stem, box)
        if box is None or key == getattr(self, "_checked_box", None):
            return
        if self.terrain.terrain_paths():
            self._checked_box = key
            self.terrain.run_check()

    def terrain_derived(self) -> None:
        """New terrain layers in dem/: into the layer tree and the linked views."""
        ws = self.session.workspace
        self.layers.add_terrain(ws.terrain_layers)
        if self.linked_views is not None:
            self.linked_views.set_sources(self.layers.sources(), self.layers.overlays(),
                                          self.session.state.settings.views)
        self._message(_tr("Terrain layers written to {folder}").format(folder=ws.dem.parent),
                      Qgis.Success)
        self._checked_box = None
        self._maybe_check_terrain()

    def _screening_progress(self, percent: float) -> None:
        if self._screen_task is not None:  # a bound slot: gone with the dock
            self.progressLabel.setText(_tr("screening interferograms… {percent:.0f}%").format(
                percent=percent))

    def _stop_screening(self) -> None:
        self._screen_generation += 1
        if self._screen_task is not None:
            try:
                self._screen_task.cancel()
            except RuntimeError:
                pass
        self._screen_task = None

    def _show_screening(self) -> None:
        table = self.ifgTable
        sorting = table.isSortingEnabled()
        table.setSortingEnabled(False)
        for row in range(table.rowCount()):
            it = self._item_at(row)
            result = self.screened.get(it.label_stem) if it is not None else None
            for attr, col in SCREEN_COLUMNS.items():
                cell = table.item(row, col)
                if result is None:
                    continue
                value = getattr(result, attr)
                cell.setText(f"{100 * value:.0f}" if attr == "frac_coh_lt_0_2" else
                             f"{value:.2f}")
                cell.setToolTip(_tr("score {score:.2f}: {reason}\nmedian coherence "
                                    "{median:.2f}, {valid:.0%} valid, {residues:.2%} "
                                    "residues").format(
                    score=result.score, reason=translate_core(result.reason),
                    median=result.median_coh, valid=result.valid_frac,
                    residues=result.residue_density))
        table.setSortingEnabled(sorting)
        self._update_stats()

    def _refresh_row(self, stem: str) -> None:
        table = self.ifgTable
        sorting = table.isSortingEnabled()
        table.setSortingEnabled(False)  # else the row moves between the two cell updates
        for row in range(table.rowCount()):
            it = self._item_at(row)
            if it is not None and it.label_stem == stem:
                table.item(row, 3).setText(str(it.label_count))
                table.item(row, 4).setText(_status(self.session.state.decision(stem)))
        table.setSortingEnabled(sorting)
        self._apply_filters()
        self._update_progress()

    def _refresh_current_row(self) -> None:
        if self.session is not None and self.session.current is not None:
            self._refresh_row(self.session.current.label_stem)

    def _item_at(self, row: int) -> Optional[WorkspaceInterferogram]:
        cell = self.ifgTable.item(row, 0)
        if cell is None or self.session is None:
            return None
        return self.session.workspace.interferograms[cell.data(_INDEX_ROLE)]

    def _row_of(self, item) -> int:
        for row in range(self.ifgTable.rowCount()):
            if self._item_at(row) is item:
                return row
        return -1

    # ------------------------------------------------------------ navigation
    def step(self, delta: int) -> None:
        """Next/previous interferogram in the table's current order, skipping filtered rows."""
        if self.session is None or self.layers is None:
            return
        rows = [r for r in range(self.ifgTable.rowCount()) if not self.ifgTable.isRowHidden(r)]
        if not rows:
            return
        shown = self.layers.current  # the one asked for, even while it is still opening
        current = self._row_of(shown) if shown is not None else -1
        later = [r for r in rows if (r > current if delta > 0 else r < current)]
        if later:
            self.show_row(later[0] if delta > 0 else later[-1])

    def show_class_guide(self):
        from .class_guide import ClassGuide

        if self.guide is not None:
            self.guide.close()
        self.guide = ClassGuide(self)
        self.guide.setAttribute(Qt.WA_DeleteOnClose)
        self.guide.destroyed.connect(lambda *_: setattr(self, "guide", None))
        self.guide.show()
        return self.guide

    def check_exercise(self):
        """Score the student's labels (workshop exercise) and show the key and feedback."""
        from .exercise_check import check_my_work

        if self.session is None or not is_exercise(self.session.workspace.root):
            return None
        try:
            return check_my_work(self)
        except (OSError, ValueError, MirageError) as exc:
            self._message(_tr("Could not check the exercise: {why}").format(why=exc),
                          Qgis.Warning)
            return None

    def show_stem(self, stem: str, select_id: Optional[int] = None) -> None:
        """Go to the interferogram with this label stem (a recurrence chip), keeping the map
        where it is; select label ``select_id`` once it is open."""
        if self.session is None:
            return
        item = next((it for it in self.session.workspace.interferograms
                     if it.label_stem == stem), None)
        row = self._row_of(item) if item is not None else -1
        if row < 0:
            return
        self._select_after_load = (stem, select_id) if select_id is not None else None
        if item is self.layers.current and self.session.current is item:
            self._select_pending()
            return
        self.show_row(row)

    def _select_pending(self) -> None:
        s = self.session
        pending = self._select_after_load
        if s is None or s.current is None or pending is None or pending[0] != s.current.label_stem:
            return
        self._select_after_load = None
        s.select_label(pending[1])

    def show_row(self, row: int, zoom: bool = False) -> None:
        item = self._item_at(row)
        if item is None or self.session is None:
            return
        if item is self.layers.current and not zoom:
            return
        settings = self.session.state.settings
        self.ifgTable.selectRow(row)
        self.statusLabel.setText(_tr("Opening {file} …").format(file=item.path.name))
        self.session.begin_loading(item)
        self.layers.show(item, lambda messages: self._ifg_ready(item, messages, zoom),
                         self._facts_ready, settings.coherence_threshold,
                         settings.coherence_mask)

    def _ifg_ready(self, item, messages: List[str], zoom: bool) -> None:
        """The interferogram's layers are in the project: hand it to the session."""
        for message in messages:
            self._message(message, Qgis.Warning)
        if self.session is None:
            return
        settings = self.session.state.settings
        choice = self.layers.label_crs()
        self.session.set_current(item, self.layers.grid(), choice.epsg or choice.wkt,
                                 self.layers.footprint())
        self.layers.set_labels(self.session.labels())
        if self.linked_views is not None:
            self.linked_views.set_sources(self.layers.sources(), self.layers.overlays(),
                                          settings.views)
        if (zoom or not self._zoomed) and self.layers.phase_layer is not None:
            self._zoom_to(self.layers.phase_layer)
            self._zoomed = True
        region = self._region()
        if region != self._buttons_region:
            self._build_class_buttons(region)
        self.statusLabel.setText(f"{item.path.name}: {item.meta.describe()}")
        self._update_all()

    def wait(self, timeout_ms: int = 30000, screening: bool = False) -> bool:
        """For tests and scripts: until the interferogram on show is open and read (and, with
        ``screening``, until every interferogram is screened)."""
        from qgis.PyQt.QtCore import QCoreApplication, QElapsedTimer

        ok = self.layers.wait(timeout_ms) if self.layers is not None else True
        timer = QElapsedTimer()
        timer.start()
        def busy():
            return ((screening and self._screen_task is not None) or self.terrain.busy()
                    or self.recurrence.busy())

        while busy() and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
        return ok and not busy()

    def _facts_ready(self, messages: List[str]) -> None:
        for message in messages:
            self._message(message, Qgis.Warning)
        self._update_stats()

    def current_interferogram(self) -> Optional[WorkspaceInterferogram]:
        return self.session.current if self.session else None

    def _zoom_to(self, layer, extent=None) -> None:
        canvas = self.iface.mapCanvas()
        project = QgsProject.instance()
        if not project.crs().isValid() or not self._zoomed:
            project.setCrs(layer.crs())
            canvas.setDestinationCrs(layer.crs())  # what QGIS's project bridge would do
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

    # ------------------------------------------------------------ actions
    def handle_key(self, event) -> bool:
        """Keys from the map canvas while the box tool is active."""
        action = keymap.action_for(event)
        return bool(action) and self.run_action(action)

    def run_action(self, action: str) -> bool:
        s = self.session
        if s is None:
            return False
        name, _, arg = action.partition(":")
        if name == "class":
            s.set_class(arg)
        elif name == "quality":
            s.set_quality(int(arg))
        elif name == "uncertainty":
            s.set_uncertainty(int(arg))
        elif name == "confirm":
            s.confirm()
        elif name == "delete":
            s.delete()
        elif name == "cancel":
            s.set_candidate(None) if s.candidate is not None else s.select_label(None)
        elif name == "keep":
            s.triage(KEEP)
            self._refresh_row(s.current.label_stem) if s.current else None
        elif name == "discard":
            s.triage(DISCARD, self.reasonCombo.currentData() or self.reasonCombo.currentText())
            self._refresh_row(s.current.label_stem) if s.current else None
        elif name == "draw":
            self.draw_action.setChecked(True)
        elif name == "morphology":
            s.tick(MORPHOLOGY)
        elif name == "recurrence":
            s.tick(RECURRENCE)
        elif name == "next_ifg":
            self.step(1)
        elif name == "previous_ifg":
            self.step(-1)
        elif name == "next_label":
            self._zoom_to_selected(s.step_label(1))
        elif name == "previous_label":
            self._zoom_to_selected(s.step_label(-1))
        elif name == "undo":
            s.undo()
        elif name == "redo":
            s.redo()
        else:
            return False
        self._update_all()
        return True

    def _call(self, method: str, *args) -> None:
        if self.session is not None:
            getattr(self.session, method)(*args)
            self._update_all()

    def _zoom_to_selected(self, label) -> None:
        if label is None or self.layers is None or self.layers.labels_layer is None:
            return
        from qgis.core import QgsRectangle

        box = QgsRectangle(*label.bounds)
        canvas = self.iface.mapCanvas()
        out = canvas.mapSettings().layerExtentToOutputExtent(self.layers.labels_layer, box)
        if not canvas.extent().contains(out):
            canvas.setCenter(out.center())
            canvas.refresh()

    def supply_metadata(self) -> None:
        """Ask for what names and tags did not say (orbit, dates); kept in the workspace state."""
        s = self.session
        if s is None or s.current is None:
            return
        meta = s.current.meta
        given = dict(s.state.overrides.get(s.current.label_stem, {}))
        if meta.ifg is None:
            text, ok = QInputDialog.getText(self, _tr("Interferogram dates"),
                                            f"{s.current.path.name}\n"
                                            + _tr("master_slave (yyyymmdd_yyyymmdd):"))
            if not ok:
                return
            try:
                master, slave = (dt.datetime.strptime(t, "%Y%m%d").date()
                                 for t in text.strip().split("_"))
            except ValueError:
                self._message(_tr("'{text}' is not yyyymmdd_yyyymmdd").format(text=text),
                              Qgis.Warning)
                return
            given.update(master=f"{master:%Y%m%d}", slave=f"{slave:%Y%m%d}")
        if meta.traj is None:
            traj, ok = QInputDialog.getItem(self, _tr("Orbit"), f"{s.current.path.name}\n"
                                            + _tr("Trajectory:"),
                                            ["A " + _tr("ascending"), "D " + _tr("descending")],
                                            0, False)
            if not ok:
                return
            given["traj"] = traj[0]
        s.state.overrides[s.current.label_stem] = given
        s.current.meta = s.state.apply_overrides(s.current.label_stem, s.current.meta)
        self._fill_table()
        self._save_state()
        self._update_all()

    def _toggle_tool(self, on: bool) -> None:
        canvas = self.iface.mapCanvas()
        if on and self.box_tool is not None:
            canvas.setMapTool(self.box_tool)
            canvas.setFocus()
        elif not on and self.box_tool is not None and canvas.mapTool() is self.box_tool:
            canvas.unsetMapTool(self.box_tool)
        self.drawButton.setChecked(on)

    def _tool_changed(self, tool, *_) -> None:
        active = tool is not None and tool is self.box_tool
        if self.draw_action.isChecked() != active:
            self.draw_action.setChecked(active)

    def _mask_toggled(self, on: bool) -> None:
        if self.session is None:
            return
        settings = self.session.state.settings
        settings.coherence_mask = on
        if self.layers is not None:
            self.layers.set_mask(on, settings.coherence_threshold)
        self._save_state()

    def _remember_toggled(self, on: bool) -> None:
        if self.session is not None:
            self.session.state.settings.remember_last = on
            self._save_state()

    # ------------------------------------------------------------ session signals
    def _labels_changed(self, stem: str) -> None:
        s = self.session
        if s.current is not None and stem == s.current.label_stem:
            self.layers.set_labels(s.labels())
        self._refresh_row(stem)
        self._update_labels_list()

    def _save_state(self) -> None:
        if self.session is None:
            return
        project_state.save(self.session.state)
        error = write_sidecar(self.session.workspace.root, self.session.state)
        if error:
            self.statusLabel.setText(error + " (kept in the project)")

    def _message(self, text: str, level=Qgis.Info) -> None:
        text = translate_core(text)  # a sentence of core (Msg) in the user's language
        if level in (Qgis.Success, Qgis.Info):
            self.saveStatusLabel.setText(text)
            self.statusLabel.setText(text)
            if level == Qgis.Info:
                self.iface.messageBar().pushMessage("MIRAGE Labeller", text, level=level,
                                                    duration=4)
            return
        self.iface.messageBar().pushMessage("MIRAGE Labeller", text, level=level, duration=10)

    def _offer_salvage(self, stem: str, why: str) -> None:
        """A label file that cannot be read whole is shown as such, with the repair on a
        button: nothing is rewritten unless the user asks (and a backup comes first)."""
        bar = self.iface.messageBar()
        widget = bar.createMessage("MIRAGE Labeller", why)
        button = QPushButton(_tr("Keep the readable labels (backup first)"), widget)
        button.setObjectName("salvageButton")

        def repair():
            if self.session is not None and self.session.salvage(stem):
                bar.popWidget(widget)

        button.clicked.connect(repair)
        widget.layout().addWidget(button)
        bar.pushWidget(widget, Qgis.Critical)
        self.salvage_widget = widget

    # ------------------------------------------------------------ refresh
    def _update_all(self) -> None:
        self.terrain.refresh()
        has = self.session is not None and self.session.current is not None
        for widget in (self.nextButton, self.previousButton, self.stepsBox, self.labelsBox,
                       self.undoButton, self.redoButton):
            widget.setEnabled(has)
        if not has:
            self.progressBar.setValue(0)
            self.progressLabel.setText("")
            return
        self._update_progress()
        self._update_flow()
        self._update_candidate()
        self._update_draft()
        self._update_labels_list()
        self._update_stats()
        h = self.session.history
        self.undoButton.setEnabled(h.can_undo)
        self.redoButton.setEnabled(h.can_redo)
        self.undoButton.setToolTip(_tr("Undo {what} (Ctrl+Z)").format(
            what=translate_core(h.undo_text())) if h.can_undo else _tr("Undo"))
        self.redoButton.setToolTip(_tr("Redo {what} (Ctrl+Shift+Z)").format(
            what=translate_core(h.redo_text())) if h.can_redo else _tr("Redo"))

    def _update_progress(self) -> None:
        if self.session is None:
            return
        triaged, labelled, n_labels, total = self.session.progress()
        self.progressBar.setMaximum(max(total, 1))
        self.progressBar.setValue(triaged)
        cur = self.session.current
        here = ""
        if cur is not None:
            decision = _status(self.session.state.decision(cur.label_stem))
            here = _tr(" · this one: {decision}, {n} label(s)").format(
                decision=decision, n=len(self.session.labels()))
            others = self.session.others_here()
            if others:
                here += _tr(" · also open by {who}").format(who=", ".join(
                    _tr("{user}@{host} since {time}").format(
                        user=p.user, host=p.host, time=f"{p.since.astimezone():%H:%M}")
                    for p in others))
        self.progressLabel.setText(_tr("{triaged}/{total} triaged · {labelled} labelled · "
                                       "{n} labels").format(
            triaged=triaged, total=total, labelled=labelled, n=n_labels) + here)

    def _update_flow(self) -> None:
        s = self.session
        if s is None or s.current is None:
            return
        flow = s.flow
        for i, step in enumerate(STEPS):
            button = getattr(self, f"stepButton{i}")
            reason = flow.why_not(i)
            button.setEnabled(reason is None)
            done = (i == SELECT and flow.kept is not None) or i in flow.checked
            button.setText(f"{i}✓" if done else f"{i}")
            button.setChecked(i == flow.current)
        step = STEPS[flow.current]
        self.stepTitleLabel.setText(f"{step.number}. {translate('Steps', step.title)}")
        self.guidanceLabel.setText(translate("Steps", step.guidance))
        self.stepStack.setCurrentIndex(flow.current)
        triage = s.state.triage.get(s.current.label_stem)
        if triage and triage.decision:
            why = f" ({_tr(triage.reason)})" if triage.reason else ""
            self.triageLabel.setText(f"{_status(triage.decision).capitalize()}{why}.")
        else:
            self.triageLabel.setText(_tr("Not triaged yet."))
        meta = s.current.meta
        problems = list(meta.problems) + list(meta.notes)
        self.metaLabel.setText("\n".join(translate_core(p) for p in problems))
        self.supplyButton.setVisible(meta.ifg is None or meta.traj is None)
        self.ifgInfoLabel.setText(_tr("IFG {ifg} · Bt {bt} d · Traj {traj} (from the "
                                      "interferogram)").format(
            ifg=meta.ifg or "?", bt=meta.bt if meta.bt is not None else "?",
            traj=meta.traj or "?"))

    def _update_stats(self) -> None:
        stats = self.layers.coherence_stats if self.layers else None
        if self.session is None or self.session.current is None:
            return
        full = self.screened.get(self.session.current.label_stem)
        if full is not None:
            self.statsLabel.setText(_tr(
                "Coherence mean {mean:.2f}, median {median:.2f} · {below:.0%} below 0.2 · "
                "{valid:.0%} valid · {residues:.2%} phase residues · score {score:.2f} "
                "({reason}). Kept MIRAGE set: mean 0.45, ~15 % below 0.2.").format(
                mean=full.mean_coh, median=full.median_coh, below=full.frac_coh_lt_0_2,
                valid=full.valid_frac, residues=full.residue_density, score=full.score,
                reason=translate_core(full.reason)))
        elif self.session.current.coherence is None:
            self.statsLabel.setText(_tr("No coherence map paired with this interferogram."))
        elif stats is None:
            self.statsLabel.setText(_tr("Coherence: reading…"))
        else:
            self.statsLabel.setText(_tr(
                "Coherence mean {mean:.2f} · {below:.0%} of pixels below {threshold:g} · "
                "{valid:.0%} valid (kept MIRAGE set: 0.45, ~15 %)").format(
                mean=stats.mean, below=stats.frac_below, threshold=stats.threshold,
                valid=stats.valid_frac))

    def _update_candidate(self) -> None:
        s = self.session
        if s is None:
            return
        if s.candidate is None:
            self.candidateLabel.setText(_tr("No candidate: press, drag and release on the map "
                                            "with the box tool (B)."))
        else:
            x0, y0, x1, y1 = s.candidate
            self.candidateLabel.setText(_tr("Candidate {w:.0f} × {h:.0f} m ({area:.3f} km²), "
                                            "snapped to the {pixel:g} m grid.").format(
                w=x1 - x0, h=y1 - y0, area=(x1 - x0) * (y1 - y0) / 1e6, pixel=s.grid.pixel_x))
        label, problems = s.draft_label()
        self.confirmButton.setEnabled(label is not None)
        self.confirmButton.setToolTip(_tr("Save the label (Enter)") if label else
                                      "; ".join(problems))

    def _update_draft(self) -> None:
        s = self.session
        if s is None:
            return
        cls, quality, uncertainty = s.attributes()
        for code, button in self._class_buttons.items():
            button.setChecked(code == cls)
        self.quality1.setChecked(quality == 1)
        self.quality2.setChecked(quality == 2)
        self.uncertainty1.setChecked(uncertainty == 1)
        self.uncertainty2.setChecked(uncertainty == 2)
        self._update_candidate()

    def _update_selection(self) -> None:
        s = self.session
        if s is None:
            return
        # no QGIS selection on the labels layer: QGIS 3.22 fills selected polygons with the
        # selection colour, which would hide the fringes; the overlay outlines the selection
        for i in range(self.labelList.count()):
            item = self.labelList.item(i)
            item.setSelected(item.data(_INDEX_ROLE) == s.selected_id)

    def _update_labels_list(self) -> None:
        s = self.session
        self.labelList.clear()
        if s is None:
            return
        for lab in sorted(s.labels(), key=lambda x: x.id):
            area = lab.area_m2 / 1e6
            item = QListWidgetItem(f"{lab.id}  {lab.cls}  Q{lab.sign_qual} U{lab.class_unc}  "
                                   f"{area:.3f} km²")
            item.setData(_INDEX_ROLE, lab.id)
            self.labelList.addItem(item)
            item.setSelected(lab.id == s.selected_id)

    # ------------------------------------------------------------ teardown
    def cleanup(self) -> None:
        try:
            self.iface.mapCanvas().mapToolSet.disconnect(self._tool_changed)
        except TypeError:
            pass
        self.close_workspace()
