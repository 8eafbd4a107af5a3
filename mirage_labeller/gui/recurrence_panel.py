"""The step-3 panel: the box in every other interferogram that covers it, as a gallery of
chips sorted by baseline then date. The expert ticks "signal present" per chip (kept in the
workspace sidecar, never in the label files), double-clicks a chip to go there, and copies
the selected label to a chip's interferogram only by pressing the copy button.

Thin: core.dataset.gallery reads and paints the chips in the background (gui/tasks.py);
this shows them.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Dict, List

from qgis.core import Qgis
from qgis.PyQt.QtCore import QSize, Qt, QTimer
from qgis.PyQt.QtGui import QBrush, QColor, QIcon, QImage, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.dataset.gallery import Chip, recurrence_chips
from ..i18n import translate
from .operations import run_operation
from .tasks import TaskRunner

TR_CONTEXT = "RecurrencePanel"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

_STEM_ROLE = Qt.ItemDataRole.UserRole + 1


def processes_path(root: Path) -> Path:
    folder = Path(root) / ".mirage"
    try:
        folder.mkdir(exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
        return folder / "processes.gpkg"
    except OSError:  # a read-only published dataset
        return Path(tempfile.mkdtemp(prefix="mirage-processes-")) / "processes.gpkg"
ICON = 112


class RecurrencePanel(QWidget):
    def __init__(self, dock, parent=None):
        super().__init__(parent)
        self.dock = dock
        self.chips = TaskRunner("MIRAGE: recurrence chips")  # a newer box supersedes
        self.grouping = TaskRunner("MIRAGE: grouping labels into processes")
        self._box = None
        self._chips: Dict[str, Chip] = {}
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton(_tr("Show"), self)
        self.refresh_button.setToolTip(_tr("Show this box in every other interferogram that covers "
                                       "it"))
        self.copy_button = QPushButton(_tr("Copy label here"), self)
        self.copy_button.setToolTip(_tr("Copy the selected label to the chosen chip's "
                                        "interferogram, with that interferogram's IFG, Bt and "
                                        "Traj (Ctrl+Z undoes)"))
        self.processes_button = QPushButton(_tr("Processes"), self)
        self.processes_button.setToolTip(_tr(
            "Group every label of the workspace into mass-movement processes (labels of "
            "different interferograms covering at least half of the smaller box) and show "
            "them as a layer; class conflicts are outlined in red"))
        layout.addWidget(self.summary)
        row.addWidget(self.refresh_button)
        row.addWidget(self.copy_button)
        row.addWidget(self.processes_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar(self)
        self.progress.setMaximumHeight(12)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.gallery = QListWidget(self)
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(ICON, ICON))
        self.gallery.setGridSize(QSize(ICON + 44, ICON + 52))
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setWordWrap(True)
        self.gallery.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.gallery.setMinimumHeight(ICON + 60)
        self.gallery.setToolTip(_tr("Tick the interferograms where the signal is present; "
                                "double-click one to go there"))
        layout.addWidget(self.gallery, 1)
        self.refresh_button.clicked.connect(self.show_box)
        self.copy_button.clicked.connect(self.copy_here)
        self.processes_button.clicked.connect(self.group_processes)
        self.gallery.itemChanged.connect(self._ticked)
        self.gallery.itemDoubleClicked.connect(self._go)
        self.gallery.currentItemChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # ------------------------------------------------------------ state
    def bind(self, session) -> None:
        session.candidateChanged.connect(self.box_changed)
        session.selectionChanged.connect(self.box_changed)

    def _current_box(self):
        s = self.dock.session
        if s is None or s.current is None:
            return None
        if s.candidate is not None:
            return s.candidate
        lab = s.selected_label()
        return lab.bounds if lab else None

    def _update_buttons(self) -> None:
        s = self.dock.session
        has_label = bool(s is not None and s.candidate is None and s.selected_label())
        self.refresh_button.setEnabled(self._current_box() is not None)
        self.copy_button.setEnabled(has_label and self.gallery.currentItem() is not None)

    def box_changed(self) -> None:
        """The candidate or selection changed: show the new box if the panel is in view."""
        box = self._current_box()
        self._update_buttons()
        if box is None:
            self.stop_chips()  # a grouping of processes goes on: it is not about this box
            self.summary.setText(_tr("Draw a box (step 1) or select a label to see it in the "
                                     "other interferograms."))
            return
        stem = self.dock.session.current.label_stem
        if (stem, box) != self._box and self.isVisible():
            self.show_box()

    # ------------------------------------------------------------ chips
    def show_box(self) -> None:
        session = self.dock.session
        box = self._current_box()
        if session is None or box is None:
            return
        stem = session.current.label_stem
        self._box = (stem, box)
        items = list(session.workspace.interferograms)
        store, crs = session.store, session.label_crs
        self.gallery.clear()
        self._chips = {}
        self.summary.setText("Reading the box in the other interferograms…")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.chips.run(
            lambda progress: recurrence_chips(items, box, crs, store, exclude=stem,
                                              progress=progress,
                                              is_cancelled=progress.cancelled),
            self._fill, on_error=lambda why: self.summary.setText(
                _tr("Could not read the other interferograms: {why}").format(why=why)),
            on_end=lambda: self.progress.setVisible(False),
            on_progress=lambda percent: self.progress.setValue(int(percent)))

    def _fill(self, chips: List[Chip]) -> None:
        session = self.dock.session
        marks = session.state.recurrence_of(self._box[1])
        unmarked = [c.stem for c in chips if c.labelled and c.stem not in marks]
        for stem in unmarked:  # a label there is a "signal present" until the expert says not
            session.state.set_recurrence(self._box[1], stem, True)
            marks[stem] = True
        if unmarked:
            session.stateChanged.emit()
        self._filling = True
        self.gallery.clear()
        self._chips = {c.stem: c for c in chips}
        for chip in chips:
            item = QListWidgetItem(chip.caption())
            item.setData(_STEM_ROLE, chip.stem)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            present = marks.get(chip.stem, chip.labelled)
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
            if chip.rgba is not None:
                h, w = chip.rgba.shape[:2]
                image = QImage(chip.rgba.tobytes(), w, h, 4 * w,
                               QImage.Format.Format_RGBA8888).copy()
                pixmap = QPixmap.fromImage(image).scaled(ICON, ICON,
                                                         Qt.AspectRatioMode.KeepAspectRatio,
                                                         Qt.TransformationMode.FastTransformation)
                item.setIcon(QIcon(pixmap))
            tip = [chip.file, f"IFG {chip.ifg}", _tr("box coherence {value:.2f}").format(
                value=chip.box_coherence) if chip.box_coherence is not None else
                _tr("no coherence map")]
            if chip.labels_here:
                tip.append(_tr("labelled here: {labels}").format(labels=", ".join(
                    f"{lab.cls} {lab.id}" for lab in chip.labels_here)))
            if chip.problem:
                tip.append(chip.problem)
                item.setForeground(QBrush(QColor("#b2182b")))
            item.setToolTip("\n".join(tip))
            self.gallery.addItem(item)
        self._filling = False
        self._count()

    def _count(self) -> None:
        if self._box is None:
            return
        n = self.gallery.count()
        ticked = sum(self.gallery.item(i).checkState() == Qt.CheckState.Checked for i in range(n))
        labelled = sum(c.labelled for c in self._chips.values())
        if n == 0:
            self.summary.setText(_tr("No other interferogram covers this box."))
            return
        self.summary.setText(_tr("Signal present in {ticked} of {n} other interferograms "
                                 "({labelled} already labelled there); sorted by Bt, then "
                                 "date.").format(ticked=ticked, n=n, labelled=labelled))

    def _ticked(self, item: QListWidgetItem) -> None:
        if self._filling or self._box is None:
            return
        session = self.dock.session
        session.state.set_recurrence(self._box[1], item.data(_STEM_ROLE),
                                     item.checkState() == Qt.CheckState.Checked)
        session.stateChanged.emit()  # into the sidecar and the project
        self._count()

    def busy(self) -> bool:
        return self.chips.busy() or self.grouping.busy()

    def recurrence_count(self) -> int:
        return sum(self.gallery.item(i).checkState() == Qt.CheckState.Checked
                   for i in range(self.gallery.count()))

    def _go(self, item: QListWidgetItem) -> None:
        # after the click is handled: switching clears this gallery, item included
        stem = item.data(_STEM_ROLE)
        QTimer.singleShot(0, lambda: self.dock.show_stem(stem))

    def copy_here(self) -> None:
        session = self.dock.session
        item = self.gallery.currentItem()
        if session is None or item is None:
            return
        target = next((it for it in session.workspace.interferograms
                       if it.label_stem == item.data(_STEM_ROLE)), None)
        if target is None:
            return
        saved = session.propagate(target)
        if saved is not None:
            QTimer.singleShot(0, lambda: self.dock.show_stem(target.label_stem,
                                                             select_id=saved.id))

    # ------------------------------------------------------------ processes
    def group_processes(self) -> None:
        """Group the workspace's labels in a task; the GeoPackage goes to .mirage/ in the
        workspace (a temporary folder when the workspace is read-only)."""
        session = self.dock.session
        if session is None or self.grouping.busy():
            return
        ws = session.workspace
        out = processes_path(ws.root)

        def done(result):  # the processes operation's Result (core.operations.processes)
            summary = {"labels": result.values["N_LABELS"],
                       "processes": result.values["N_PROCESSES"],
                       "conflicts": result.values["N_CONFLICTS"]}
            for warning in result.note_lines()[:5]:
                self.dock.say(warning, Qgis.MessageLevel.Warning)
            if self.dock.layers is not None:
                self.dock.layers.add_processes(out)
            self.dock.say(_tr(
                "{labels} labels in {processes} processes ({conflicts} with a class conflict): "
                "layer 'processes', {file}").format(
                labels=summary["labels"], processes=summary["processes"],
                conflicts=summary["conflicts"], file=out), Qgis.MessageLevel.Success)

        self.processes_button.setEnabled(False)
        run_operation(self.grouping, "processes", {"labeldir": ws.label_dir, "out": out}, done,
                      on_error=lambda why: self.dock.say(
            _tr("Processes not grouped: {why}").format(why=why), Qgis.MessageLevel.Warning),
            on_end=lambda: self.processes_button.setEnabled(True))

    def stop_chips(self) -> None:
        self.chips.cancel()
        self._box = None
        self._chips = {}
        self.gallery.clear()
        self.progress.setVisible(False)

    def stop(self) -> None:
        """Everything, the grouping included (the workspace closes)."""
        self.stop_chips()
        self.grouping.cancel()
        self.processes_button.setEnabled(True)

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self.box_changed()
