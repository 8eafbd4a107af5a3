"""The MIRAGE Labeller dock: open a workspace, triage and label its interferograms along the
five steps of the MIRAGE flowchart.

A composition root. The form (ui/dock.ui) is the layout; small parts drive its widgets: the
interferogram table (ifg_table, screening), the flowchart (flow_panel), the classify panel,
the labels list, the status line, the options row, the map side (dock_map), the step-2 and
step-3 panels; opening.py and navigator.py say what is open and on show. Keys and buttons go
through ``run_action`` and the action table (actions.py). The rules live in core, behind the
LabellingSession.
"""
from __future__ import annotations

from typing import List, Optional

from qgis.core import Qgis, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QCoreApplication, QElapsedTimer, Qt
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import QShortcut

from ..core.interferograms.session_state import opening_state
from ..core.interferograms.state import WorkspaceState
from ..core.interferograms.workspace import WorkspaceInterferogram
from ..core.teaching.exercise import is_exercise
from ..i18n import translate
from ..plugin_files import ui_path
from . import keymap, project_state
from .actions import action_table
from .classify_panel import ClassifyPanel
from .dock_map import DockMap
from .flow_panel import FlowPanel
from .ifg_table import InterferogramTable
from .labels_list import LabelsList
from .layers import WorkspaceLayers
from .metadata_dialog import ask_metadata
from .navigator import Navigator
from .opening import WorkspaceOpener
from .options_row import OptionsRow
from .recurrence_panel import RecurrencePanel
from .screening import Screening
from .session import LabellingSession
from .status_line import StatusLine
from .terrain_panel import TerrainPanel

TR_CONTEXT = "MirageDock"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


FORM_CLASS, _ = uic.loadUiType(ui_path("dock.ui"))


class MirageDock(QgsDockWidget, FORM_CLASS):
    def __init__(self, iface, parent=None, linked_views=None):
        super().__init__(parent)
        self.setupUi(self)
        self.setObjectName("MirageLabellerDock")
        self.setMinimumWidth(430)
        self.iface, self.linked_views = iface, linked_views
        self.session: Optional[LabellingSession] = None
        self.layers: Optional[WorkspaceLayers] = None
        self.status = StatusLine(self, iface, self)
        self.table = InterferogramTable(self, self.run_action, self)
        self.screening = Screening(self)
        self.flow = FlowPanel(self, self.run_action, lambda n: self._call("go", n), self)
        self.classify = ClassifyPanel(self, self.run_action, self)
        self.labels_panel = LabelsList(self, self.run_action,
                                       lambda i: self._call("select_label", i), self)
        self.options = OptionsRow(self, self._call, self.save_state, self)
        self.map = DockMap(iface, self.drawButton, self.handle_key,
                           lambda: self.layers.labels_layer if self.layers else None, self)
        self.draw_action = self.map.draw_action
        self.opener, self.navigator = WorkspaceOpener(self), Navigator(self)
        self.terrain = TerrainPanel(self, self.morphologyHost)
        self.recurrence = RecurrencePanel(self, self.recurrenceHost)
        self.handlers = action_table(self)
        self._layout_panels()
        self.table.rowChosen.connect(self.show_row)
        self.table.filtersChanged.connect(self.save_state)
        self.screening.updated.connect(self._screened)
        self.screening.progressed.connect(self.status.show_screening)
        self.screening.message.connect(self.say)
        self.screening.note.connect(self.status.note)
        self.openButton.clicked.connect(self.opener.choose_workspace)
        self.openFilesButton.clicked.connect(self.opener.choose_files)
        self.supplyButton.clicked.connect(self.supply_metadata)
        for key, action, _ in keymap.ACTIONS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda a=action: self.run_action(a))
        self.update_all()

    def _layout_panels(self) -> None:
        self.morphologyHostLayout.addWidget(self.terrain)
        self.morphologyHint.setVisible(False)  # the step's guidance says it already
        self.recurrenceHostLayout.addWidget(self.recurrence, 1)
        self.recurrenceHint.setVisible(False)
        self.page3Layout.setStretchFactor(self.recurrenceHost, 1)  # the gallery takes the height
        self.check_dialog = self.guide = None
        self.check_button = self.status.add_button(
            _tr("Check my work"), _tr("Exercise: score your labels against the hidden key"),
            self.check_exercise)
        self.guide_button = self.status.add_button(
            _tr("Class guide"), _tr("The ten classes: figures, signal patterns and examples"),
            self.show_class_guide)
        self.check_button.setVisible(False)

    # ------------------------------------------------------------ open / close
    def open_workspace(self, path: str, state: Optional[WorkspaceState] = None) -> bool:
        return self.opener.open_workspace(path, state)

    def open_files(self, files: List[str], state: Optional[WorkspaceState] = None) -> bool:
        return self.opener.open_files(files, state)

    def restore_from_project(self) -> None:
        self.opener.restore_from_project()

    def start(self, workspace, project: Optional[WorkspaceState]) -> None:
        """Open ``workspace`` with the project's state (or None). Files beside the data that
        cannot be used (a damaged state file, a bad basemap, a save left pending in a
        read-only label folder) each give one warning and never stop the opening."""
        self.close_workspace()
        state, warnings = opening_state(workspace, project)
        self.session = s = LabellingSession(workspace, state, self)
        self.layers = WorkspaceLayers(workspace, QgsProject.instance())
        for warning in warnings + self.layers.problems:
            self.say(warning, Qgis.MessageLevel.Warning)
        for note in self.layers.notes:  # said once, in the bar only (the status line is ours)
            self.iface.messageBar().pushMessage("MIRAGE Labeller", note,
                                                level=Qgis.MessageLevel.Info, duration=10)
        for signal, slot in ((s.labelsChanged, self._labels_changed),
                             (s.flowChanged, self._update_flow), (s.stateChanged, self.save_state),
                             (s.stateChanged, self._refresh_current_row), (s.message, self.say),
                             (s.damaged, self._offer_salvage),
                             (s.interferogramChanged, self.navigator.select_pending)):
            signal.connect(slot)
        for part in (self.classify, self.labels_panel, self.status, self.terrain,
                     self.recurrence):
            part.bind(s)
        self.map.attach(s)
        if self.linked_views is not None:
            self.linked_views.set_session(s)
        self.workspaceEdit.setText(str(workspace.root))
        self.check_button.setVisible(is_exercise(workspace.root))
        self.classify.build_class_buttons(None)
        self.table.show_session(s)
        self.screening.start(s)
        self.options.bind(s, self.layers)
        self.status.show_workspace(workspace)
        self.navigator.show_first(state.current)
        self.save_state()

    def close_workspace(self) -> None:
        self.screening.stop()
        self.terrain.stop()
        self.recurrence.stop()
        self.navigator.pending = None
        self.map.detach()
        if self.linked_views is not None:
            self.linked_views.set_session(None)
            self.linked_views.set_sources({}, [])
        if self.layers is not None:
            self.layers.remove()
        if self.session is not None:
            self.session.close()
            self.session.deleteLater()
        self.layers = self.session = None
        self.options.bind(None, None)
        self.table.show_session(None)
        self.labels_panel.update(None)
        self.update_all()

    def project_cleared(self) -> None:
        """The project went away with its layers: forget them without touching them."""
        if self.layers is not None:
            self.layers.group = None
        self.close_workspace()

    # ------------------------------------------------------------ what is on show
    def show_row(self, row: int, zoom: bool = False) -> None:
        self.navigator.show_row(row, zoom)

    def step(self, delta: int) -> None:
        self.navigator.step(delta)

    def show_stem(self, stem: str, select_id: Optional[int] = None) -> None:
        self.navigator.show_stem(stem, select_id)

    def current_interferogram(self) -> Optional[WorkspaceInterferogram]:
        return self.session.current if self.session else None

    def _item_at(self, row: int) -> Optional[WorkspaceInterferogram]:
        return self.table.item_at(row)

    @property
    def screened(self):
        """label stem -> core Screening of the interferograms screened so far."""
        return self.screening.results

    @property
    def box_tool(self):
        return self.map.box_tool

    def wait(self, timeout_ms: int = 30000, screening: bool = False) -> bool:
        """For tests and scripts: until the interferogram on show is open and read (and, with
        ``screening``, until every interferogram is screened)."""
        ok = self.layers.wait(timeout_ms) if self.layers is not None else True
        timer = QElapsedTimer()
        timer.start()

        def busy():
            return ((screening and self.screening.busy()) or self.terrain.busy()
                    or self.recurrence.busy())

        while busy() and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
        return ok and not busy()

    def zoom_to_labels(self, margin_m: float = 1500.0) -> None:
        self.map.zoom_to_labels(margin_m)

    # ------------------------------------------------------------ actions
    def handle_key(self, event) -> bool:
        """Keys from the map canvas while the box tool is active."""
        action = keymap.action_for(event)
        return bool(action) and self.run_action(action)

    def run_action(self, action: str) -> bool:
        """The one entry point of keys and buttons: False (nothing done) for an action the
        table does not know, or with no workspace open."""
        handler = self.handlers.get(action)
        if handler is None or self.session is None:
            return False
        handler(self.session)
        self.update_all()
        return True

    def _call(self, method: str, *args) -> None:
        if self.session is not None:
            getattr(self.session, method)(*args)
            self.update_all()

    def supply_metadata(self) -> None:
        """Ask for what names and tags did not say (orbit, dates); kept in the workspace state."""
        if ask_metadata(self, self.session, self.say):
            self.table.fill(self.screened)
            self.save_state()
            self.update_all()

    def show_class_guide(self):
        from .class_guide import show_class_guide

        return show_class_guide(self)

    def check_exercise(self):
        """Score the student's labels (workshop exercise) and show the key and feedback."""
        from .exercise_check import check_exercise

        return check_exercise(self)

    # ------------------------------------------------------------ what changed
    def _labels_changed(self, stem: str) -> None:
        s = self.session
        if s.current is not None and stem == s.current.label_stem:
            self.layers.set_labels(s.labels())
        self.table.refresh_row(stem)
        self.status.update_progress(s)
        self.labels_panel.update(s)

    def _refresh_current_row(self) -> None:
        if self.session is not None and self.session.current is not None:
            self.table.refresh_row(self.session.current.label_stem)
            self.status.update_progress(self.session)

    def _screened(self) -> None:
        if self.session is not None:
            self.table.show_screening(self.screened)
            self.update_stats()
            self.status.update_progress(self.session)

    def save_state(self) -> None:
        """The workspace state into the project and the sidecar (a read-only one: said)."""
        error = project_state.save_both(self.session) if self.session else None
        if error:
            self.status.note(error + " (kept in the project)")

    def say(self, text: str, level=Qgis.MessageLevel.Info) -> None:
        """A message of the dock or its panels (core sentences are translated)."""
        self.status.say(text, level)

    def _offer_salvage(self, stem: str, why: str) -> None:
        """A label file that cannot be read whole: the repair on a button, nothing rewritten
        unless the user asks (and a backup comes first)."""
        self.salvage_widget = self.status.offer_salvage(
            why, lambda: self.session is not None and self.session.salvage(stem))

    def update_views(self) -> None:
        """The linked views on the layers of the interferogram on show."""
        if self.linked_views is not None and self.layers is not None:
            self.linked_views.set_sources(self.layers.sources(), self.layers.overlays(),
                                          self.session.state.settings.views)

    def _update_flow(self) -> None:
        if self.session is not None and self.session.current is not None:
            self.flow.update(self.session)

    def update_stats(self) -> None:
        if self.session is not None and self.session.current is not None:
            self.flow.update_stats(self.session, self.screened,
                                   self.layers.coherence_stats if self.layers else None)

    def update_all(self) -> None:
        self.terrain.refresh()
        s = self.session
        has = s is not None and s.current is not None
        for widget in (self.nextButton, self.previousButton, self.stepsBox, self.labelsBox):
            widget.setEnabled(has)
        self.labels_panel.update_history(s.history if has else None)
        if not has:
            self.status.clear_progress()
            return
        self.status.update_progress(s)
        self.flow.update(s)
        self.classify.update_draft(s)
        self.labels_panel.update(s)
        self.update_stats()

    def cleanup(self) -> None:
        self.map.cleanup()
        self.close_workspace()
