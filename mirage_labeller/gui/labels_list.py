"""The labels of the interferogram on show, as a list: a click selects one (the box tool then
moves and resizes it); the buttons under it step through them and delete; Undo and Redo say
which edit they would undo or redo (core.labels.edit_history)."""
from __future__ import annotations

from typing import Callable

from qgis.PyQt.QtCore import QObject, Qt
from qgis.PyQt.QtWidgets import QListWidgetItem

from ..i18n import translate, translate_core

TR_CONTEXT = "MirageDock"  # a part of the dock's form
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


class LabelsList(QObject):
    """Drives the form's ``labelList``, the buttons beside it and Undo / Redo."""

    def __init__(self, form, run_action: Callable[[str], bool],
                 select: Callable[[int], None], parent=None):
        super().__init__(parent)
        self.list = form.labelList
        self.undo, self.redo = form.undoButton, form.redoButton
        self.list.itemClicked.connect(lambda item: select(item.data(INDEX_ROLE)))
        for button, action in ((form.nextLabelButton, "next_label"),
                               (form.previousLabelButton, "previous_label"),
                               (form.deleteButton, "delete"), (form.undoButton, "undo"),
                               (form.redoButton, "redo")):
            button.clicked.connect(lambda _=False, a=action: run_action(a))

    def bind(self, session) -> None:
        session.selectionChanged.connect(lambda: self.update_selection(session))

    def update(self, session) -> None:
        self.list.clear()
        if session is None:
            return
        for lab in sorted(session.labels(), key=lambda x: x.id):
            item = QListWidgetItem(f"{lab.id}  {lab.cls}  Q{lab.sign_qual} U{lab.class_unc}  "
                                   f"{lab.area_m2 / 1e6:.3f} km²")
            item.setData(INDEX_ROLE, lab.id)
            self.list.addItem(item)
            item.setSelected(lab.id == session.selected_id)

    def update_selection(self, session) -> None:
        # no QGIS selection on the labels layer: QGIS 3.22 fills selected polygons with the
        # selection colour, which would hide the fringes; the overlay outlines the selection
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setSelected(item.data(INDEX_ROLE) == session.selected_id)

    def update_history(self, history) -> None:
        """Undo / Redo for the edits of the session (None: no interferogram on show)."""
        self.undo.setEnabled(bool(history and history.can_undo))
        self.redo.setEnabled(bool(history and history.can_redo))
        if history is None:
            return
        self.undo.setToolTip(_tr("Undo {what} (Ctrl+Z)").format(
            what=translate_core(history.undo_text())) if history.can_undo else _tr("Undo"))
        self.redo.setToolTip(_tr("Redo {what} (Ctrl+Shift+Z)").format(
            what=translate_core(history.redo_text())) if history.can_redo else _tr("Redo"))
