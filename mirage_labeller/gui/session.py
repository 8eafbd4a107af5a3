"""One labelling session: the open workspace, the interferogram on show, the candidate box,
the draft attributes, the flow through the five steps, undo/redo.

Qt signals around core objects (WorkspaceState, Flow, EditHistory, LabelStore); the rules stay
in core. Widgets (dock, box tool, linked views) read from and call into this object only.
"""
from __future__ import annotations

from typing import List, Optional, Tuple

from qgis.core import Qgis
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.box_geometry import Grid
from ..core.classes import CLASSES
from ..core.edit_history import EditHistory
from ..core.label_store import LabelFileError, LabelStore
from ..core.schema import MIRAGE_EPSG, Label, errors_only, validate_label
from ..core.steps import CLASSIFY, IDENTIFY, MORPHOLOGY, RECURRENCE, Flow
from ..core.workspace import Workspace, WorkspaceInterferogram
from ..core.workspace_state import DISCARD, KEEP, WorkspaceState

Bounds = Tuple[float, float, float, float]


class LabellingSession(QObject):
    interferogramChanged = pyqtSignal()
    labelsChanged = pyqtSignal(str)  # label stem whose file changed
    candidateChanged = pyqtSignal()
    selectionChanged = pyqtSignal()
    draftChanged = pyqtSignal()
    flowChanged = pyqtSignal()
    stateChanged = pyqtSignal()  # triage or settings: to save with the project and sidecar
    message = pyqtSignal(str, int)  # text, Qgis.MessageLevel

    def __init__(self, workspace: Workspace, state: WorkspaceState, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.state = state
        self.store = LabelStore(workspace.label_dir)
        self.history = EditHistory(self.store, on_change=lambda e: self.labelsChanged.emit(e.stem))
        self.flow = Flow(strict=state.settings.strict)
        self.current: Optional[WorkspaceInterferogram] = None
        self.grid = Grid()
        self.label_crs = MIRAGE_EPSG
        self.candidate: Optional[Bounds] = None
        self.selected_id: Optional[int] = None
        self.draft_class: Optional[str] = None
        self.draft_quality = state.settings.sign_qual
        self.draft_uncertainty = state.settings.class_unc
        self._labels: List[Label] = []
        # first connection: the session re-reads before any widget asks for the labels
        self.labelsChanged.connect(self.on_labels_changed)

    # ------------------------------------------------------------ interferogram
    def set_current(self, item: WorkspaceInterferogram, grid: Optional[Grid] = None,
                    label_crs=MIRAGE_EPSG) -> None:
        self.current = item
        self.grid = grid or Grid()
        self.label_crs = label_crs
        self.candidate = None
        self.selected_id = None
        self.state.current = item.label_stem
        self.flow.new_interferogram(_kept(self.state.decision(item.label_stem)))
        self._reload_labels()
        self.interferogramChanged.emit()
        self.candidateChanged.emit()
        self.selectionChanged.emit()
        self.flowChanged.emit()
        self.stateChanged.emit()

    def labels(self) -> List[Label]:
        return list(self._labels)

    def _reload_labels(self) -> None:
        if self.current is None:
            self._labels = []
            return
        try:
            result = self.store.read(self.current.label_stem)
        except LabelFileError as exc:
            self._labels = []
            self.message.emit(str(exc), Qgis.Critical)
            return
        self._labels = result.labels
        for warning in result.warnings[:5]:
            self.message.emit(warning, Qgis.Warning)

    def on_labels_changed(self, stem: str) -> None:
        if self.current is not None and stem == self.current.label_stem:
            self._reload_labels()
            if self.selected_id not in {lab.id for lab in self._labels}:
                self.selected_id = None
                self.selectionChanged.emit()

    # ------------------------------------------------------------ step 0
    def triage(self, decision: Optional[str], reason: Optional[str] = None) -> None:
        if self.current is None:
            return
        try:
            self.state.decide(self.current.label_stem, decision, reason)
        except ValueError as exc:
            self.message.emit(str(exc), Qgis.Warning)
            return
        self.flow.set_kept(_kept(decision))
        self.flowChanged.emit()
        self.stateChanged.emit()

    # ------------------------------------------------------------ steps 1-3
    def set_candidate(self, bounds: Optional[Bounds]) -> None:
        if bounds is not None:
            reason = self.flow.why_not(IDENTIFY)
            if reason:
                self.message.emit(f"Strict mode: {reason}", Qgis.Info)
                return
            self.selected_id = None
            self.selectionChanged.emit()
        self.candidate = bounds
        if bounds is not None:
            self.flow.candidate_drawn()
        else:
            self.flow.has_candidate = False
            self.flow.checked.clear()
        self.candidateChanged.emit()
        self.flowChanged.emit()

    def tick(self, step: int) -> None:
        if step not in (MORPHOLOGY, RECURRENCE):
            return
        reason = self.flow.why_not(step)
        if reason:
            self.message.emit(f"Strict mode: {reason}", Qgis.Info)
            return
        self.flow.tick(step)
        self.flowChanged.emit()

    def go(self, step: int) -> None:
        reason = self.flow.go(step)
        if reason:
            self.message.emit(f"Strict mode: {reason}", Qgis.Info)
        self.flowChanged.emit()

    def set_strict(self, strict: bool) -> None:
        self.state.settings.strict = strict
        self.flow.strict = strict
        self.flowChanged.emit()
        self.stateChanged.emit()

    # ------------------------------------------------------------ selection
    def select_label(self, label_id: Optional[int]) -> None:
        if label_id is not None and label_id not in {lab.id for lab in self._labels}:
            return
        self.selected_id = label_id
        if label_id is not None:
            lab = self.selected_label()
            self.draft_class, self.draft_quality, self.draft_uncertainty = (
                lab.cls, lab.sign_qual, lab.class_unc)
            self.draftChanged.emit()
        self.selectionChanged.emit()

    def selected_label(self) -> Optional[Label]:
        return next((lab for lab in self._labels if lab.id == self.selected_id), None)

    def step_label(self, delta: int) -> Optional[Label]:
        """Select the next/previous label (by Id) of this interferogram."""
        if not self._labels:
            return None
        ids = sorted(lab.id for lab in self._labels)
        if self.selected_id in ids:
            index = (ids.index(self.selected_id) + delta) % len(ids)
        else:
            index = 0 if delta > 0 else len(ids) - 1
        self.select_label(ids[index])
        return self.selected_label()

    # ------------------------------------------------------------ step 4
    def set_class(self, code: str) -> None:
        if code in CLASSES:
            self.draft_class = code
            self._apply_to_selected()
            self.draftChanged.emit()

    def set_quality(self, value: int) -> None:
        if value in (1, 2):
            self.draft_quality = value
            self._apply_to_selected()
            self.draftChanged.emit()

    def set_uncertainty(self, value: int) -> None:
        if value in (1, 2):
            self.draft_uncertainty = value
            self._apply_to_selected()
            self.draftChanged.emit()

    def _apply_to_selected(self) -> None:
        """On a confirmed label, attribute keys edit it at once (saved, undoable)."""
        lab = self.selected_label()
        if lab is None or self.candidate is not None:
            return
        new = Label(*lab.bounds, cls=self.draft_class or lab.cls, sign_qual=self.draft_quality,
                    class_unc=self.draft_uncertainty, ifg=lab.ifg, bt=lab.bt, traj=lab.traj,
                    id=lab.id)
        if new != lab:
            self._save(lambda: self.history.modify(self.current.label_stem, new),
                       f"label {lab.id} saved")

    def draft_label(self) -> Tuple[Optional[Label], List[str]]:
        """The label Confirm would save, with the reasons it cannot yet."""
        problems = []
        if self.current is None:
            return None, ["no interferogram on show"]
        meta = self.current.meta
        if self.candidate is None:
            problems.append("draw a box first")
        if self.draft_class is None:
            problems.append("choose a class")
        if meta.ifg is None or meta.traj is None:
            problems.append("IFG/Bt/Traj of this interferogram are unknown: supply them in step 0")
        reason = self.flow.why_not(CLASSIFY)
        if reason:
            problems.append(reason)
        if problems:
            return None, problems
        label = Label(*self.candidate, cls=self.draft_class, sign_qual=self.draft_quality,
                      class_unc=self.draft_uncertainty, ifg=meta.ifg, bt=meta.bt, traj=meta.traj)
        problems = [p.message for p in errors_only(validate_label(label))]
        return (None, problems) if problems else (label, [])

    def confirm(self) -> Optional[Label]:
        label, problems = self.draft_label()
        if label is None:
            self.message.emit("Not saved: " + "; ".join(problems), Qgis.Warning)
            return None
        saved = self._save(lambda: self.history.add(self.current.label_stem, label,
                                                    self.label_crs), None)
        if saved is None:
            return None
        self.message.emit(f"Saved {saved.cls} {saved.id} in {self.current.label_path.name}",
                          Qgis.Success)
        if self.state.settings.remember_last:
            self.state.settings.sign_qual = self.draft_quality
            self.state.settings.class_unc = self.draft_uncertainty
        else:
            self.draft_quality = self.draft_uncertainty = 1
        if self.flow.kept is None and not self.flow.strict:
            self.state.decide(self.current.label_stem, KEEP)
        self.flow.label_confirmed()
        self.candidate = None
        self.selected_id = saved.id
        self.candidateChanged.emit()
        self.selectionChanged.emit()
        self.draftChanged.emit()
        self.flowChanged.emit()
        self.stateChanged.emit()
        return saved

    def move_label(self, label_id: int, bounds: Bounds) -> None:
        lab = next((x for x in self._labels if x.id == label_id), None)
        if lab is None or lab.bounds == bounds:
            return
        new = Label(*bounds, cls=lab.cls, sign_qual=lab.sign_qual, class_unc=lab.class_unc,
                    ifg=lab.ifg, bt=lab.bt, traj=lab.traj, id=lab.id)
        self._save(lambda: self.history.modify(self.current.label_stem, new),
                   f"label {lab.id} saved")

    def delete(self) -> None:
        """Drop the candidate if there is one, else delete the selected label (undoable)."""
        if self.candidate is not None:
            self.set_candidate(None)
            return
        lab = self.selected_label()
        if lab is None:
            return
        self._save(lambda: self.history.delete(self.current.label_stem, lab.id),
                   f"label {lab.id} deleted (Ctrl+Z brings it back)")

    def undo(self) -> None:
        if self.history.can_undo:
            text = self.history.undo_text()
            if self._save(self.history.undo, f"undone: {text}") is not None:
                self._after_history()

    def redo(self) -> None:
        if self.history.can_redo:
            text = self.history.redo_text()
            if self._save(self.history.redo, f"redone: {text}") is not None:
                self._after_history()

    def _after_history(self) -> None:
        self.on_labels_changed(self.current.label_stem if self.current else "")
        self.selectionChanged.emit()

    def _save(self, action, success: Optional[str]):
        try:
            result = action()
        except LabelFileError as exc:
            self.message.emit(str(exc), Qgis.Critical)
            return None
        except OSError as exc:
            self.message.emit(f"{self.workspace.label_dir}: cannot save ({exc})", Qgis.Critical)
            return None
        if success:
            self.message.emit(success, Qgis.Success)
        return result if result is not None else True

    # ------------------------------------------------------------ progress
    def progress(self) -> Tuple[int, int, int, int]:
        """(triaged, labelled interferograms, labels, total interferograms)."""
        items = self.workspace.interferograms
        triaged = sum(1 for it in items if self.state.decision(it.label_stem) in (KEEP, DISCARD))
        counts = [it.label_count for it in items]
        return triaged, sum(1 for c in counts if c), sum(counts), len(items)


def _kept(decision: Optional[str]) -> Optional[bool]:
    return None if decision is None else decision == KEEP

