"""The class guide: the ten classes with their figures from Table 2, the shape and texture of
their phase signal, and example chips from the open workspace's labels (read in a task).
Thin: core.class_guide describes and picks the examples."""
from __future__ import annotations

from typing import Dict

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QImage, QPixmap
from qgis.PyQt.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.labels.classes import CLASSES
from ..core.teaching.guide import class_examples, describe
from ..i18n import translate, translate_core
from .tasks import TaskRunner

TR_CONTEXT = "ClassGuide"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

CHIP = 96


class ClassGuide(QDialog):
    def __init__(self, dock, parent=None):
        super().__init__(parent or dock)
        self.setWindowTitle(_tr("MIRAGE class guide"))
        self.dock = dock
        self.runner = TaskRunner("MIRAGE: class guide examples")
        self.examples: Dict[str, list] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(_tr("The ten classes of MIRAGE (paper, Table 2 and Data Overview). Examples "
                       "are boxes of this workspace's labels on their interferogram."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(CLASSES), 3, self)
        self.table.setHorizontalHeaderLabels([_tr("class"), _tr("what it looks like"),
                                              _tr("examples")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, 3 * (CHIP + 6) + 8)
        self.table.setWordWrap(True)
        for row, (code, cls) in enumerate(CLASSES.items()):
            item = QTableWidgetItem(code)
            item.setBackground(QColor(cls.colour))
            item.setForeground(QColor("white" if QColor(cls.colour).lightness() < 140
                                      else "black"))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(translate_core(describe(cls))))
            self.table.setRowHeight(row, CHIP + 8)
        self.table.setColumnWidth(0, 44)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        layout.addWidget(self.status)
        self.resize(880, 760)
        self.load_examples()

    def load_examples(self) -> None:
        session = self.dock.session
        if session is None:
            self.status.setText(_tr("Open a workspace to see examples from its labels."))
            return
        items = list(session.workspace.interferograms)
        store = session.store
        self.status.setText(_tr("Reading examples…"))

        def done(examples):
            self.examples = examples
            self._show(examples)

        self.runner.run(lambda progress: class_examples(items, store,
                                                        is_cancelled=progress.cancelled,
                                                        synthetic=True), done,
                        on_error=lambda why: self.status.setText(
                            _tr("No examples: {why}").format(why=why)))

    def busy(self) -> bool:
        return self.runner.busy()

    def _show(self, examples) -> None:
        shown = made = 0
        for row, code in enumerate(CLASSES):
            cell = QWidget(self.table)
            box = QHBoxLayout(cell)
            box.setContentsMargins(2, 2, 2, 2)
            chips = examples.get(code, [])
            for chip in chips:
                h, w = chip.rgba.shape[:2]
                image = QImage(chip.rgba.tobytes(), w, h, 4 * w,
                               QImage.Format.Format_RGBA8888).copy()
                label = QLabel(cell)
                label.setPixmap(QPixmap.fromImage(image).scaled(
                    CHIP, CHIP, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.FastTransformation))
                if chip.synthetic:
                    label.setToolTip(_tr("synthetic example (ascending, Bt {bt} d): this "
                                         "workspace has no {code} label").format(bt=chip.bt,
                                                                                 code=code))
                    label.setStyleSheet("border: 2px dashed #888888;")
                    made += 1
                else:
                    label.setToolTip(f"{chip.ifg} {chip.traj} (Bt {chip.bt} d)")
                    shown += 1
                box.addWidget(label)
            if not chips:
                box.addWidget(QLabel(_tr("no example in this workspace"), cell))
            box.addStretch(1)
            self.table.setCellWidget(row, 2, cell)
        self.status.setText(_tr("{n} examples from the labels of this workspace; {made} "
                                "synthetic (dashed) where it has none.").format(n=shown,
                                                                                made=made))

    def done(self, result):  # QDialog.done: stop the task with the window
        self.runner.cancel()
        super().done(result)


def show_class_guide(dock) -> ClassGuide:
    """The guide in a window of its own (one at a time: a newer one replaces it)."""
    if dock.guide is not None:
        dock.guide.close()
    dock.guide = guide = ClassGuide(dock)
    guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    guide.destroyed.connect(lambda *_: setattr(dock, "guide", None))
    guide.show()
    return guide
