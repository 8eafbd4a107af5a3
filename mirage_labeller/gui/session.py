"""One labelling session: the open workspace, the interferogram on show, the candidate box,
the draft attributes, the flow through the five steps, undo/redo.

Qt signals around core objects (WorkspaceState, Flow, EditHistory, LabelStore); the rules stay
in core. Widgets (dock, box tool, linked views) read from and call into this object only.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Tuple

from qgis.core import Qgis
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..core.base.errors import MirageError, clean_library_text
from ..core.dataset.gallery import propagated_label
from ..core.interferograms.state import DISCARD, KEEP, WorkspaceState
from ..core.interferograms.workspace import Workspace, WorkspaceInterferogram
from ..core.labels import presence
from ..core.labels.box_geometry import Grid, clip_to
from ..core.labels.classes import CLASSES
from ..core.labels.edit_history import EditHistory
from ..core.labels.schema import Label, errors_only, validate_label
from ..core.labels.steps import CLASSIFY, IDENTIFY, MORPHOLOGY, RECURRENCE, Flow
from ..core.labels.store import (
    Change,
    DamagedLabelFileError,
    LabelConflictError,
    LabelFileError,
    LabelStore,
)
from ..i18n import translate, translate_core

TR_CONTEXT = "Session"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

Bounds = Tuple[float, float, float, float]


class LabellingSession(QObject):
    # signals named as Qt names its own (camelCase), as connected beside them
    interferogramChanged = pyqtSignal()  # noqa: N815
    labelsChanged = pyqtSignal(str)  # noqa: N815 - label stem whose file changed
    candidateChanged = pyqtSignal()  # noqa: N815
    selectionChanged = pyqtSignal()  # noqa: N815
    draftChanged = pyqtSignal()  # noqa: N815
    flowChanged = pyqtSignal()  # noqa: N815
    # triage or settings: to save with the project and sidecar
    stateChanged = pyqtSignal()  # noqa: N815
    # this session's presence refreshed: others may have come
    presenceChanged = pyqtSignal()  # noqa: N815
    message = pyqtSignal(str, int)  # text, Qgis.MessageLevel
    damaged = pyqtSignal(str, str)  # label stem, why its file cannot be read whole

    def __init__(self, workspace: Workspace, state: WorkspaceState, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.state = state
        self.store = LabelStore(workspace.label_dir)
        self.history = EditHistory(self.store, on_change=lambda e: self.labelsChanged.emit(e.stem))
        self.flow = Flow(strict=state.settings.strict)
        self.current: Optional[WorkspaceInterferogram] = None
        self.loading: Optional[WorkspaceInterferogram] = None  # asked for, still opening
        self.extent: Optional[Bounds] = None
        self.grid = Grid()
        self.label_crs = None  # of the interferogram on show (core's rule, set_current)
        self.candidate: Optional[Bounds] = None
        self.selected_id: Optional[int] = None
        self.draft_class: Optional[str] = None
        self.draft_quality = state.settings.sign_qual
        self.draft_uncertainty = state.settings.class_unc
        self._labels: List[Label] = []
        # first connection: the session re-reads before any widget asks for the labels
        self.labelsChanged.connect(self.on_labels_changed)
        # who else has the interferogram open (core.presence): refreshed while shown
        self.presence_id = presence.new_session_id()
        self._presence_since = None
        self._presence_timer = QTimer(self)
        self._presence_timer.setInterval(presence.REFRESH_S * 1000)
        self._presence_timer.timeout.connect(self._announce)

    # ------------------------------------------------------------ interferogram
    def begin_loading(self, item: WorkspaceInterferogram) -> None:
        """The next interferogram is being opened: until it is, nothing acts on the previous
        one (a key pressed meanwhile must not triage or label the wrong file)."""
        self.current = None
        self.loading = item
        self.candidate = None
        self.selected_id = None
        self._labels = []
        self.interferogramChanged.emit()
        self.candidateChanged.emit()
        self.selectionChanged.emit()
        self.flowChanged.emit()

    def set_current(self, item: WorkspaceInterferogram, grid: Optional[Grid] = None,
                    label_crs=None, extent: Optional[Bounds] = None) -> None:
        """``label_crs``: the CRS of its labels (an EPSG code or WKT: layers.label_crs, core's
        rule; None leaves it to the label store's); ``extent``: the interferogram's
        footprint in the label CRS (boxes stay inside)."""
        self.current = item
        self.loading = None
        self.grid = grid or Grid()
        self.label_crs = label_crs
        self.extent = extent
        self.candidate = None
        self.selected_id = None
        self.state.current = item.label_stem
        self._presence_since = None
        self._announce()
        self._presence_timer.start()
        self.flow.new_interferogram(_kept(self.state.decision(item.label_stem)))
        self._reload_labels()
        self.interferogramChanged.emit()
        self.candidateChanged.emit()
        self.selectionChanged.emit()
        self.draftChanged.emit()
        self.flowChanged.emit()
        self.stateChanged.emit()

    def _announce(self) -> None:
        import datetime as dt

        if self.current is None:
            return
        self._presence_since = self._presence_since or dt.datetime.now(dt.timezone.utc)
        presence.announce(self.workspace.root, self.presence_id, self.current.label_stem,
                          self._presence_since)
        self.presenceChanged.emit()

    def others_here(self) -> List[presence.Presence]:
        """Other live sessions on the interferogram on show (for the status line)."""
        if self.current is None:
            return []
        return presence.others(self.workspace.root, self.current.label_stem,
                               self.presence_id)

    def close(self) -> None:
        """The session ends: withdraw its presence."""
        self._presence_timer.stop()
        presence.announce(self.workspace.root, self.presence_id, None)

    def _ready(self) -> bool:
        if self.current is not None:
            return True
        if self.loading is not None:
            self.message.emit(_tr("{file} is still opening").format(
                file=self.loading.path.name), Qgis.MessageLevel.Info)
        return False

    def labels(self) -> List[Label]:
        return list(self._labels)

    def _reload_labels(self) -> None:
        if self.current is None:
            self._labels = []
            return
        try:
            result = self.store.read(self.current.label_stem)
        except DamagedLabelFileError as exc:  # offered the repair (a backup comes first)
            self._labels = []
            self.damaged.emit(self.current.label_stem, translate_core(exc.message))
            return
        except LabelFileError as exc:
            self._labels = []
            self.message.emit(translate_core(exc.message), Qgis.MessageLevel.Critical)
            return
        self._labels = result.labels
        for warning in result.warnings[:5]:
            self.message.emit(warning, Qgis.MessageLevel.Warning)

    def on_labels_changed(self, stem: str) -> None:
        if self.current is not None and stem == self.current.label_stem:
            self._reload_labels()
            if self.selected_id not in {lab.id for lab in self._labels}:
                self.selected_id = None
                self.selectionChanged.emit()

    # ------------------------------------------------------------ step 0
    def triage(self, decision: Optional[str], reason: Optional[str] = None) -> None:
        if not self._ready():
            return
        try:
            self.state.decide(self.current.label_stem, decision, reason)
        except ValueError as exc:
            self.message.emit(str(exc), Qgis.MessageLevel.Warning)
            return
        self.flow.set_kept(_kept(decision))
        self.flowChanged.emit()
        self.stateChanged.emit()

    # ------------------------------------------------------------ steps 1-3
    def set_candidate(self, bounds: Optional[Bounds]) -> None:
        if bounds is not None:
            if not self._ready():
                return
            reason = self.flow.why_not(IDENTIFY)
            if reason:
                self.message.emit(_tr("Strict mode: {reason}").format(
                    reason=translate_core(reason)), Qgis.MessageLevel.Info)
                return
            if self.extent is not None:
                inside = clip_to(bounds, self.extent)
                if inside is None:
                    self.message.emit(_tr("The box lies outside this interferogram"),
                                      Qgis.MessageLevel.Warning)
                    return
                bounds = self.grid.snap_bounds(inside) if inside != bounds else bounds
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
        if step not in (MORPHOLOGY, RECURRENCE) or not self._ready():
            return
        reason = self.flow.why_not(step)
        if reason:
            self.message.emit(_tr("Strict mode: {reason}").format(
                reason=translate_core(reason)), Qgis.MessageLevel.Info)
            return
        self.flow.tick(step)
        self.flowChanged.emit()

    def go(self, step: int) -> None:
        reason = self.flow.go(step)
        if reason:
            self.message.emit(_tr("Strict mode: {reason}").format(
                reason=translate_core(reason)), Qgis.MessageLevel.Info)
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
        self.selectionChanged.emit()
        self.draftChanged.emit()

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
    def attributes(self) -> Tuple[Optional[str], int, int]:
        """What the classify panel shows: the selected label's values (keys edit it), else
        the draft for the next box."""
        lab = self.selected_label() if self.candidate is None else None
        if lab is not None:
            return lab.cls, lab.sign_qual, lab.class_unc
        return self.draft_class, self.draft_quality, self.draft_uncertainty

    def set_class(self, code: str) -> None:
        if code in CLASSES:
            self._set_attribute("cls", code)

    def set_quality(self, value: int) -> None:
        if value in (1, 2):
            self._set_attribute("sign_qual", value)

    def set_uncertainty(self, value: int) -> None:
        if value in (1, 2):
            self._set_attribute("class_unc", value)

    def _set_attribute(self, name: str, value) -> None:
        """On a selected label (no candidate), change that one attribute and save it (undoable);
        otherwise set it in the draft of the next label."""
        lab = self.selected_label() if self.candidate is None else None
        if lab is not None:
            if getattr(lab, name) != value:
                new = replace(lab, **{name: value})
                self._save(lambda: self.history.modify(self.current.label_stem, new, lab),
                           _tr("label {id} saved").format(id=lab.id))
        else:
            attr = {"cls": "draft_class", "sign_qual": "draft_quality",
                    "class_unc": "draft_uncertainty"}[name]
            setattr(self, attr, value)
        self.draftChanged.emit()

    def draft_label(self) -> Tuple[Optional[Label], List[str]]:
        """The label Confirm would save, with the reasons it cannot yet."""
        problems = []
        if self.current is None:
            return None, [_tr("no interferogram on show") if self.loading is None else
                          _tr("{file} is still opening").format(file=self.loading.path.name)]
        meta = self.current.meta
        if self.candidate is None:
            problems.append(_tr("draw a box first"))
        if self.draft_class is None:
            problems.append(_tr("choose a class"))
        if meta.ifg is None or meta.traj is None:
            problems.append(_tr("IFG/Bt/Traj of this interferogram are unknown: supply them in "
                                "step 0"))
        reason = self.flow.why_not(CLASSIFY)
        if reason:
            problems.append(translate_core(reason))
        if problems:
            return None, problems
        label = Label(*self.candidate, cls=self.draft_class, sign_qual=self.draft_quality,
                      class_unc=self.draft_uncertainty, ifg=meta.ifg, bt=meta.bt, traj=meta.traj)
        problems = [translate_core(p.message) for p in errors_only(validate_label(label))]
        return (None, problems) if problems else (label, [])

    def confirm(self) -> Optional[Label]:
        label, problems = self.draft_label()
        if label is None:
            self.message.emit(_tr("Not saved: {why}").format(why="; ".join(problems)),
                              Qgis.MessageLevel.Warning)
            return None
        saved = self._save(lambda: self.history.add(self.current.label_stem, label,
                                                    self.label_crs), None)
        if saved is None:
            return None
        self.message.emit(_tr("Saved {cls} {id} in {file}").format(
            cls=saved.cls, id=saved.id, file=self.current.label_path.name),
            Qgis.MessageLevel.Success)
        if self.state.settings.remember_last:
            self.state.settings.sign_qual = self.draft_quality
            self.state.settings.class_unc = self.draft_uncertainty
        else:
            self.draft_quality = self.draft_uncertainty = 1
        if self.flow.kept is None and not self.flow.strict:
            self.state.decide(self.current.label_stem, KEEP)
        self.flow.label_confirmed()
        self.candidate = None
        self.selected_id = None  # keys now set the draft of the next box, not this label
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
        if self.extent is not None:
            bounds = clip_to(bounds, self.extent)
            if bounds is None:
                self.message.emit(_tr("The box would leave this interferogram"),
                                  Qgis.MessageLevel.Warning)
                return
        self._save(lambda: self.history.modify(self.current.label_stem,
                                               replace(lab, xmin=bounds[0], ymin=bounds[1],
                                                       xmax=bounds[2], ymax=bounds[3]), lab),
                   _tr("label {id} saved").format(id=lab.id))

    def delete(self) -> None:
        """Drop the candidate if there is one, else delete the selected label (undoable)."""
        if self.candidate is not None:
            self.set_candidate(None)
            return
        lab = self.selected_label()
        if lab is None:
            return
        self._save(lambda: self.history.delete(self.current.label_stem, lab.id, lab),
                   _tr("label {id} deleted (Ctrl+Z brings it back)").format(id=lab.id))

    def undo(self) -> None:
        self._travel(self.history.undo, self.history.undo_text(), "undone")

    def redo(self) -> None:
        self._travel(self.history.redo, self.history.redo_text(), "redone")

    def _travel(self, action, text: str, verb: str) -> None:
        if not text:
            return
        edit = self._save(action, None)
        if edit is None:
            return
        where = self._describe(edit.stem)
        said = _tr("undone in {where}: {text}") if verb == "undone" else _tr(
            "redone in {where}: {text}")
        self.message.emit(said.format(where=where, text=translate_core(text)),
                          Qgis.MessageLevel.Success)
        if self.current is not None and edit.stem == self.current.label_stem:
            # the label the edit touched is selected, with its values as now saved
            target = edit.after if verb == "redone" else edit.before
            self.selected_id = target.id if target is not None else None
        self.selectionChanged.emit()
        self.draftChanged.emit()

    def propagate(self, target) -> Optional[Label]:
        """Step 3, on the expert's explicit action only: the selected (confirmed) label copied
        to interferogram ``target`` with that interferogram's IFG/Bt/Traj; undoable."""
        source = self.selected_label() if self.candidate is None else None
        if source is None:
            self.message.emit(_tr("Select a saved label to copy (a drawn box is saved first, "
                                  "in step 4)"), Qgis.MessageLevel.Info)
            return None
        try:
            label, crs = propagated_label(source, source.bounds, target, self.label_crs)
        except (ValueError, OSError, MirageError) as exc:
            self.message.emit(_tr("Not copied: {why}").format(why=exc), Qgis.MessageLevel.Warning)
            return None
        saved = self._save(lambda: self.history.add(target.label_stem, label, crs), None)
        if saved is None:
            return None
        self.state.set_recurrence(source.bounds, target.label_stem, True)
        self.message.emit(_tr("Copied {cls} {id} to {where} as label {new}: adjust it there "
                              "(Ctrl+Z undoes)").format(
            cls=source.cls, id=source.id, where=self._describe(target.label_stem), new=saved.id),
            Qgis.MessageLevel.Success)
        self.stateChanged.emit()
        return saved

    def _describe(self, stem: str) -> str:
        item = next((it for it in self.workspace.interferograms if it.label_stem == stem), None)
        if item is None:
            return stem
        here = _tr(" (this one)") if item is self.current else ""
        return f"{item.meta.ifg or item.path.stem} {item.meta.traj or ''}{here}".strip()

    def _save(self, action, success: Optional[str]):
        """Run one save; every failure becomes one message-bar line naming the file (a full
        disk inside GDAL's writer is a RuntimeError, not an OSError)."""
        try:
            result = action()
        except LabelConflictError as exc:
            # another session's work stays; show it (the map and list re-read the file)
            self.message.emit(translate_core(exc.message), Qgis.MessageLevel.Warning)
            if self.current is not None:
                self.labelsChanged.emit(self.current.label_stem)
            return None
        except LabelFileError as exc:
            self.message.emit(translate_core(exc.message), Qgis.MessageLevel.Critical)
            return None
        except (OSError, RuntimeError, ValueError) as exc:
            self.message.emit(_tr("{folder}: cannot save ({why})").format(
                folder=self.workspace.label_dir, why=clean_library_text(exc)),
                Qgis.MessageLevel.Critical)
            return None
        if isinstance(result, Change):
            if result.merged:
                kept = "; ".join(translate_core(m) for m in result.merged)
                self.message.emit(_tr("Saved, keeping what another session changed meanwhile: "
                                      "{kept}").format(kept=kept), Qgis.MessageLevel.Warning)
                return result
        if success:
            self.message.emit(success, Qgis.MessageLevel.Success)
        return result if result is not None else True

    def salvage(self, stem: str) -> bool:
        """The repair the user asked for: back up the damaged set, keep what can be read."""
        try:
            backup, kept, lost = self.store.salvage(stem)
        except LabelFileError as exc:
            self.message.emit(translate_core(exc.message), Qgis.MessageLevel.Critical)
            return False
        except (OSError, RuntimeError, ValueError) as exc:
            self.message.emit(_tr("{file}: not repaired ({why})").format(
                file=self.store.path(stem), why=clean_library_text(exc)),
                Qgis.MessageLevel.Critical)
            return False
        self.message.emit(_tr("{file}: {n} label(s) kept, {lost} lost; the damaged files are "
                              "in {backup}").format(
            file=self.store.path(stem).name, n=len(kept), backup=backup,
            lost="; ".join(translate_core(x) for x in lost) or "0"), Qgis.MessageLevel.Warning)
        self.labelsChanged.emit(stem)
        return True

    # ------------------------------------------------------------ progress
    def progress(self) -> Tuple[int, int, int, int]:
        """(triaged, labelled interferograms, labels, total interferograms)."""
        items = self.workspace.interferograms
        triaged = sum(1 for it in items if self.state.decision(it.label_stem) in (KEEP, DISCARD))
        counts = [it.label_count for it in items]
        return triaged, sum(1 for c in counts if c), sum(counts), len(items)


def _kept(decision: Optional[str]) -> Optional[bool]:
    return None if decision is None else decision == KEEP

