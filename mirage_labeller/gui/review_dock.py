"""The reviewer's dock: audit a label set, read the findings (a click zooms to the label),
step through a queue of labels with the map and the linked views on each, and record
accept / reject / change with a comment. Nothing here writes to the label files except
*Apply decisions…*, which asks first and goes through the label store with backups.

Thin: the form is ui/review_dock.ui; core.audit and core.review do the work, in the
background (gui/tasks.py). Boxes reach the map from their label file's own CRS.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Tuple

from qgis.core import Qgis, QgsRectangle, QgsSettings, QgsUnitTypes
from qgis.gui import QgsDockWidget, QgsRubberBand
from qgis.PyQt import uic
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QKeySequence
from qgis.PyQt.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QShortcut,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core.base import crs as crs_rules
from ..core.base.errors import MirageError
from ..core.dataset.audit import ERROR, WARNING
from ..core.dataset.review import (
    ACCEPT,
    CHANGE,
    FILTERS,
    REJECT,
    Decision,
    ReviewLog,
    apply_decisions,
    read_labels,
    review_log_path,
    review_queue,
    snapshot,
)
from ..core.labels.classes import CLASSES
from ..core.labels.store import read_label_file
from ..core.operations import by_name
from ..i18n import translate, translate_core
from ..plugin_files import ui_path
from .qgis_crs import qgs_crs, to_canvas
from .tasks import TaskRunner

TR_CONTEXT = "ReviewDock"  # also the form's class: its strings share the context


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


FORM_CLASS, _ = uic.loadUiType(ui_path("review_dock.ui"))
_COLOURS = {ERROR: "#f4c7c3", WARNING: "#fce8b2"}
SETTINGS_REVIEWER = "mirage_labeller/reviewer"


def _N(text: str) -> str:  # noqa: N802 - the marker tools/make_ts.py looks for
    """A word translated where shown; marked here for tools/make_ts.py."""
    return text


_FILTER_WORDS = (_N("all"), _N("with findings"), _N("not reviewed"), _N("class {code}"))


def _filter_text(key: str) -> str:
    """A queue filter as shown (core.review.FILTERS keys stay English in the data)."""
    if key.startswith("class "):
        return _tr("class {code}").format(code=key[len("class "):])
    return _tr(key)


class ReviewDock(QgsDockWidget, FORM_CLASS):
    def __init__(self, iface, main_dock=None, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.setObjectName("MirageReviewDock")
        self.iface = iface
        self.main_dock = main_dock
        self.rows: List[Tuple[str, object]] = []
        self.queue: List[Tuple[str, object]] = []
        self.position = -1
        self.findings = []
        self.log: Optional[ReviewLog] = None
        self.runner = TaskRunner("MIRAGE: review")  # audit, agreement, report: one at a time
        self._label_dir: Optional[Path] = None  # the folder read: whose files findings name
        self._crs: Dict[str, Optional[str]] = {}  # label stem -> its file's CRS (core's text)
        self._band: Optional[QgsRubberBand] = None
        self.last_agreement = None
        self.last_report = None
        self.agreement_dialog = None
        self.reviewer.setText(QgsSettings().value(SETTINGS_REVIEWER, "", type=str))
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for key in FILTERS:  # the data is the filter core understands
            self.filter.addItem(_filter_text(key), key)
        self.cls.addItems(list(CLASSES))
        self.sign_qual.addItems(["Q1", "Q2"])
        self.class_unc.addItems(["U1", "U2"])

        self.browse_button.clicked.connect(self._browse)
        self.load_button.clicked.connect(self.load)
        self.audit_button.clicked.connect(self.audit)
        self.apply_button.clicked.connect(self.apply)
        self.agree_button.clicked.connect(self._choose_other)
        self.report_button.clicked.connect(lambda: self.report())
        self.folder.textChanged.connect(lambda _: self._update_buttons())
        self.table.cellClicked.connect(self._finding_clicked)
        self.filter.currentIndexChanged.connect(lambda _: self.rebuild_queue())
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.accept_button.clicked.connect(lambda: self.decide(ACCEPT))
        self.reject_button.clicked.connect(lambda: self.decide(REJECT))
        self.change_button.clicked.connect(lambda: self.decide(CHANGE))
        self.reviewer.editingFinished.connect(
            lambda: QgsSettings().setValue(SETTINGS_REVIEWER, self.reviewer.text().strip()))
        for key, slot in (("J", lambda: self.step(1)), ("K", lambda: self.step(-1)),
                          ("Y", lambda: self.decide(ACCEPT)), ("N", lambda: self.decide(REJECT))):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    # ------------------------------------------------------------ loading
    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _tr("Label folder to review"),
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.load()

    def _workspace_root(self) -> Optional[Path]:
        session = self.main_dock.session if self.main_dock is not None else None
        if session is None:
            return None
        if Path(session.workspace.label_dir).resolve() == Path(self.folder.text()).resolve():
            return Path(session.workspace.root)
        return None

    def use_workspace(self) -> None:
        """Default to the open workspace's labels."""
        session = self.main_dock.session if self.main_dock is not None else None
        if session is not None and not self.folder.text():
            self.folder.setText(str(session.workspace.label_dir))

    def load(self) -> bool:
        folder = Path(self.folder.text().strip())
        if not folder.is_dir():
            self._say(f"{folder}: no such folder", Qgis.MessageLevel.Warning)
            return False
        self.rows, problems = read_labels(folder)  # each file's boxes in its own CRS
        self._read_from(folder)
        self.log = ReviewLog(review_log_path(folder))
        _, log_problems = self.log.read()
        for problem in (problems + log_problems)[:5]:
            self._say(problem, Qgis.MessageLevel.Warning)
        self.rebuild_queue()
        self.status.setText(f"{len(self.rows)} labels in {folder.name}; decisions go to "
                            f"{self.log.path.name} beside the folder")
        return True

    def rebuild_queue(self) -> None:
        reviewed = self.log.latest().keys() if self.log is not None else ()
        self.queue = review_queue(self.rows, self.filter.currentData(), self.findings,
                                  reviewed)
        self.position = -1
        self.step(1)

    # ------------------------------------------------------------ audit
    def audit(self) -> None:
        folder = self.folder.text().strip()
        if not folder or not Path(folder).is_dir():
            self._say(f"{folder or 'no folder'}: choose a label folder first",
                      Qgis.MessageLevel.Warning)
            return
        ifg_dir = self._workspace_root()
        self._read_from(Path(folder))
        # the audit of the command line and Processing (core.operations.audit)
        self._run(lambda progress: by_name()["audit"].run(
                      {"labeldir": folder, "ifg": str(ifg_dir) if ifg_dir else None},
                      progress).data,
                  self.show_findings, _tr("Audit failed: {why}"), "MIRAGE: auditing labels")

    def show_findings(self, report) -> None:
        self.findings = report.sorted()
        self.table.setRowCount(len(self.findings))
        for r, f in enumerate(self.findings):
            said = translate_core(f.message)
            message = said[len(f.file) + 2:] if f.file and said.startswith(
                f"{f.file}: ") else said  # the file has its own column
            for c, value in enumerate((f.severity, f.file, "" if f.label_id is None else
                                       str(f.label_id), f.check, message)):
                item = QTableWidgetItem(value)
                if c == 0 and f.severity in _COLOURS:
                    item.setBackground(QColor(_COLOURS[f.severity]))
                if c == 4:
                    item.setToolTip(said)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for column, widest in ((1, 150), (3, 150)):  # long file names elide; the message stays
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.status.setText(_tr("Audit: {errors} error(s), {warnings} warning(s) in {files} "
                                "file(s), {labels} label(s); the files were only read").format(
            errors=report.count(ERROR), warnings=report.count(WARNING), files=report.files,
            labels=report.labels))
        if self.filter.currentData() == "with findings":
            self.rebuild_queue()

    def _finding_clicked(self, row: int, _column: int) -> None:
        f = self.findings[row] if 0 <= row < len(self.findings) else None
        if f is None or f.bounds is None:
            return
        stem = Path(f.file).stem
        match = next((k for k, (s, lab) in enumerate(self.queue)
                      if s == stem and lab.id == f.label_id), None)
        if match is not None:
            self.position = match
            self._show_current()
        else:
            self.zoom_to(stem, f.label_id, f.bounds)

    # ------------------------------------------------------------ the queue
    def step(self, delta: int) -> None:
        if not self.queue:
            self.position = -1
            self.current.setText(_tr("No label in this queue."))
            self._update_buttons()
            return
        self.position = max(0, min(len(self.queue) - 1, self.position + delta))
        self._show_current()

    def current_label(self):
        if 0 <= self.position < len(self.queue):
            return self.queue[self.position]
        return None

    def _show_current(self) -> None:
        stem, lab = self.queue[self.position]
        decided = self.log.latest().get((stem, lab.id)) if self.log is not None else None
        seen = (f" — {decided.decision} by {decided.reviewer}"
                + (f" ({decided.comment})" if decided.comment else "")) if decided else ""
        flags = [f for f in self.findings if Path(f.file).stem == stem and f.label_id == lab.id]
        text = (f"{self.position + 1} / {len(self.queue)}: {lab.cls} {lab.id} · Q{lab.sign_qual}"
                f" U{lab.class_unc} · IFG {lab.ifg} Bt {lab.bt} {lab.traj} · {stem}{seen}")
        if flags:
            text += "\n" + "\n".join(f"⚠ {translate_core(f.message)}" for f in flags[:4])
        self.current.setText(text)
        self.cls.setCurrentText(lab.cls)
        self.sign_qual.setCurrentIndex(1 if lab.sign_qual == 2 else 0)
        self.class_unc.setCurrentIndex(1 if lab.class_unc == 2 else 0)
        self.comment.clear()
        self._update_buttons()
        self.zoom_to(stem, lab.id, lab.bounds)

    def zoom_to(self, stem: str, label_id, bounds) -> None:
        """The main map (and with it the linked views) on the label, with context; the
        label's interferogram on show when it belongs to the open workspace. ``bounds`` are
        in the CRS of the label's file, whatever the map's."""
        if self.main_dock is not None and self.main_dock.session is not None and \
                self._workspace_root() is not None:
            self.main_dock.show_stem(stem, select_id=label_id)
        canvas = self.iface.mapCanvas()
        crs = self.label_crs(stem)
        x0, y0, x1, y1 = bounds
        metre = (QgsUnitTypes.fromUnitToUnitFactor(QgsUnitTypes.DistanceUnit.DistanceMeters,
                                                   crs.mapUnits())
                 if crs.isValid() else 1.0)
        pad = max(x1 - x0, y1 - y0) * 1.5 + 150.0 * metre
        rect = to_canvas(QgsRectangle(x0 - pad, y0 - pad, x1 + pad, y1 + pad), crs, canvas)
        if rect is None:  # a canvas CRS that cannot show it: stay put
            return
        canvas.setExtent(rect)
        canvas.refresh()
        self._outline(bounds, crs)

    def label_crs(self, stem: str):
        """The CRS of the boxes of label file ``stem`` (core's reading rule: LabelSet.epsg /
        crs_wkt), for QGIS; an invalid CRS (boxes taken as in the map's) when its file
        cannot be read."""
        if stem not in self._crs:
            text = None
            if self._label_dir is not None:
                try:
                    labels = read_label_file(self._label_dir / f"{stem}.shp")
                    text = crs_rules.text(labels.epsg or labels.crs_wkt)
                except MirageError:  # unreadable file or CRS
                    text = None
            self._crs[stem] = text
        return qgs_crs(self._crs[stem])

    def _read_from(self, folder: Path) -> None:
        """The folder whose files the queue and the findings name (their CRS read anew)."""
        self._label_dir = Path(folder)
        self._crs = {}

    def _outline(self, bounds, crs) -> None:
        from qgis.core import QgsGeometry, QgsWkbTypes

        canvas = self.iface.mapCanvas()
        if self._band is None:
            self._band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
            self._band.setStrokeColor(QColor("#00e5ff"))
            self._band.setFillColor(QColor(0, 0, 0, 0))
            self._band.setWidth(3)
        box = QgsGeometry.fromRect(QgsRectangle(*bounds))
        if crs.isValid():
            self._band.setToGeometry(box, crs)  # drawn in the map's CRS
        else:
            self._band.setToGeometry(box)

    def decide(self, decision: str) -> None:
        current = self.current_label()
        if current is None or self.log is None:
            return
        stem, lab = current
        d = Decision(stem, lab.id, decision, comment=self.comment.text().strip(),
                     reviewer=self.reviewer.text().strip(), seen=snapshot(lab))
        if decision == CHANGE:
            cls, sq, cu = (self.cls.currentText(), self.sign_qual.currentIndex() + 1,
                           self.class_unc.currentIndex() + 1)
            d.cls = cls if cls != lab.cls else ""
            d.sign_qual = str(sq) if sq != lab.sign_qual else ""
            d.class_unc = str(cu) if cu != lab.class_unc else ""
            if not (d.cls or d.sign_qual or d.class_unc):
                self._say(_tr("Nothing to change: pick another class, Sign_Qual or "
                              "Class_Unc"), Qgis.MessageLevel.Info)
                return
        try:
            self.log.record(d)
        except (ValueError, OSError, MirageError) as exc:
            self._say(_tr("Not recorded: {why}").format(why=exc), Qgis.MessageLevel.Warning)
            return
        self.status.setText(f"{decision}: {lab.cls} {lab.id} of {stem} (by {d.reviewer}, "
                            f"{d.time})")
        if self.position < len(self.queue) - 1:
            self.step(1)
        else:
            self._show_current()

    def apply(self) -> None:
        if self.log is None:
            return
        folder = self.folder.text().strip()
        answer = QMessageBox.question(
            self, _tr("Apply the review"), _tr(
                "Write the latest rejections and changes of {log} into the label files of "
                "{folder}? Every changed file is backed up first in .mirage-backup/.").format(
                log=self.log.path.name, folder=folder))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.apply_now()

    def apply_now(self):
        try:
            result = apply_decisions(self.folder.text().strip(), self.log)
        except (OSError, ValueError, MirageError) as exc:
            self._say(_tr("Review not applied: {why}").format(why=exc), Qgis.MessageLevel.Critical)
            return None
        for problem in result.problems[:5]:
            self._say(problem, Qgis.MessageLevel.Warning)
        self._say(_tr("Review applied: {removed} label(s) removed, {modified} changed in "
                      "{files} file(s); backups in .mirage-backup/").format(
            removed=result.removed, modified=result.modified, files=len(result.changed_files)),
            Qgis.MessageLevel.Success)
        self.load()
        return result

    # ------------------------------------------------------------ agreement
    def _choose_other(self) -> None:
        other = QFileDialog.getExistingDirectory(self, _tr("Label folder B to compare with"),
                                                 str(Path(self.folder.text()).parent))
        if other:
            self.agreement(other)

    def agreement(self, other: str) -> None:
        """A against B in a task; the table and the figure in a window of their own."""
        import tempfile

        folder = self.folder.text().strip()
        png = str(Path(tempfile.mkdtemp(prefix="mirage-agreement-")) / "agreement.png")
        title = f"{Path(folder).name} (A) vs {Path(other).name} (B)"

        def work(progress):  # the agree operation, with its figure (core.operations.agree)
            return by_name()["agree"].run({"labeldir_a": folder, "labeldir_b": other,
                                           "png": png}, progress).data

        def done(result):
            self.last_agreement = result
            self._show_agreement(result, png, title)

        self._run(work, done, _tr("Agreement not computed: {why}"), "MIRAGE: label agreement",
                  steps=False)

    def _show_agreement(self, result, png: str, title: str) -> None:
        from qgis.PyQt.QtGui import QPixmap
        from qgis.PyQt.QtWidgets import QDialog

        dialog = QDialog(self)
        dialog.setWindowTitle(_tr("Agreement: {title}").format(title=title))
        layout = QVBoxLayout(dialog)
        rows = result.per_class()
        table = QTableWidget(len(rows), 7, dialog)
        table.setHorizontalHeaderLabels([_tr("class"), _tr("n A"), _tr("n B"), _tr("same class"),
                                         _tr("precision"), _tr("recall"), _tr("F1")])
        for r, (code, values) in enumerate(rows.items()):
            for c, v in enumerate((code, *values)):
                text = f"{v:.2f}" if isinstance(v, float) else str(v)
                table.setItem(r, c, QTableWidgetItem(text))
        table.verticalHeader().setVisible(False)
        table.resizeColumnsToContents()
        layout.addWidget(table)
        kappa = result.kappa_class()
        sq, _ = result.agreement_sign_qual()
        cu, _ = result.agreement_class_unc()
        layout.addWidget(QLabel(
            f"{len(result.pairs)} matched boxes, {len(result.unmatched_a)} only in A, "
            f"{len(result.unmatched_b)} only in B · class κ {kappa:.2f} · Sign_Qual equal "
            f"{sq:.0%} · Class_Unc equal {cu:.0%}", dialog))
        figure = QLabel(dialog)
        figure.setPixmap(QPixmap(png))
        layout.addWidget(figure)
        dialog.resize(760, 820)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.agreement_dialog = dialog

    # ------------------------------------------------------------ the dataset report
    def report(self, open_it: bool = True) -> None:
        """Build the report in a task (next to the review log, or in a temporary folder when
        that is read-only) and open it in the default browser."""
        import tempfile

        folder = Path(self.folder.text().strip())
        if not folder.is_dir():
            self._say(f"{folder}: no such folder", Qgis.MessageLevel.Warning)
            return
        out = folder.parent / f"{folder.name}.report" / "report.html"
        try:
            out.parent.mkdir(exist_ok=True)
        except OSError:
            out = Path(tempfile.mkdtemp(prefix="mirage-report-")) / "report.html"
        workspace = self._workspace_root()

        def done(result):
            self.last_report = result
            self._say(_tr("Report written: {file}").format(file=result.html),
                      Qgis.MessageLevel.Success)
            if open_it:
                from qgis.PyQt.QtCore import QUrl
                from qgis.PyQt.QtGui import QDesktopServices

                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.html)))

        self._run(lambda progress: by_name()["report"].run(
                      {"labeldir": str(folder), "out": str(out),
                       "ifg": str(workspace) if workspace else None}, progress).data,
                  done, _tr("Report not written: {why}"), "MIRAGE: dataset report")

    # ------------------------------------------------------------ misc
    def _run(self, work, on_done, failed: str, description: str, steps: bool = True) -> None:
        """One job of the dock in the background (a newer one supersedes it), with the
        progress bar (``steps``: it counts; else it just shows that work goes on)."""
        def end():
            self.progress.setVisible(False)
            self._update_buttons()

        self.progress.setRange(0, 100 if steps else 0)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.runner.run(work, on_done, description=description, on_end=end,
                        on_error=lambda why: self._say(failed.format(why=why),
                                                       Qgis.MessageLevel.Critical),
                        on_progress=lambda percent: self.progress.setValue(int(percent)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current_label() is not None
        for b in (self.accept_button, self.reject_button, self.change_button):
            b.setEnabled(has)
        idle = not self.runner.busy()
        self.audit_button.setEnabled(idle)
        has_folder = bool(self.folder.text().strip())
        self.agree_button.setEnabled(idle and has_folder)
        self.report_button.setEnabled(idle and has_folder)
        self.apply_button.setEnabled(self.log is not None)

    def _say(self, text: str, level=Qgis.MessageLevel.Info) -> None:
        text = translate_core(text)
        self.status.setText(text)
        bar = self.iface.messageBar() if hasattr(self.iface, "messageBar") else None
        if bar is not None:
            bar.pushMessage(_tr("MIRAGE review"), text, level, 6)

    def busy(self) -> bool:
        return self.runner.busy()

    def cleanup(self) -> None:
        self.runner.cancel()
        if self._band is not None:
            self.iface.mapCanvas().scene().removeItem(self._band)
            self._band = None
