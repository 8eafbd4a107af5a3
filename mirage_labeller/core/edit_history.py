"""Undo and redo of label edits, through the label store.

Every edit is saved at once (a confirmed label is on disk before the UI says so), so undoing is
itself a save: undoing an add deletes the label from its file, undoing a delete writes it back
under its old Id. Works across interferograms: each step remembers its file.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional

from .label_store import LabelFileError, LabelStore
from .schema import Label
from .messages import Msg


@dataclass(frozen=True)
class Edit:
    """One undoable step: ``before`` None for an add, ``after`` None for a delete."""

    stem: str
    before: Optional[Label]
    after: Optional[Label]

    @property
    def text(self) -> str:
        if self.before is None:
            return Msg("add {cls} {id}", cls=self.after.cls, id=self.after.id)
        if self.after is None:
            return Msg("delete {cls} {id}", cls=self.before.cls, id=self.before.id)
        if self.before.bounds != self.after.bounds and self.before.record() == self.after.record():
            return Msg("move/resize {cls} {id}", cls=self.after.cls, id=self.after.id)
        if self.before.cls != self.after.cls:
            return Msg("reclassify {id} {old} -> {new}", id=self.after.id, old=self.before.cls,
                       new=self.after.cls)
        return Msg("edit {cls} {id}", cls=self.after.cls, id=self.after.id)


class EditHistory:
    """The undo/redo stacks of one labelling session."""

    def __init__(self, store: LabelStore, on_change: Optional[Callable[[Edit], None]] = None,
                 limit: int = 500):
        self.store = store
        self.on_change = on_change
        self.limit = limit
        self._undo: List[Edit] = []
        self._redo: List[Edit] = []

    # -- edits
    def add(self, stem: str, label: Label, crs=None) -> Label:
        saved = self.store.add(stem, label, crs)
        self._push(Edit(stem, None, saved))
        return saved

    def modify(self, stem: str, label: Label) -> Label:
        before = self.store.read(stem).by_id().get(label.id)
        if before is None:
            raise LabelFileError(f"{self.store.path(stem)}: no label with Id {label.id}")
        if before == label:
            return label
        self.store.replace_label(stem, label)
        self._push(Edit(stem, before, label))
        return label

    def delete(self, stem: str, label_id: int) -> Label:
        before = self.store.read(stem).by_id().get(label_id)
        self.store.delete(stem, label_id)
        self._push(Edit(stem, before, None))
        return before

    # -- undo / redo
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_text(self) -> str:
        return self._undo[-1].text if self._undo else ""

    def redo_text(self) -> str:
        return self._redo[-1].text if self._redo else ""

    def undo(self) -> Optional[Edit]:
        if not self._undo:
            return None
        edit = self._undo[-1]
        self._apply(edit.stem, edit.after, edit.before)
        self._redo.append(self._undo.pop())
        self._notify(edit)
        return edit

    def redo(self) -> Optional[Edit]:
        if not self._redo:
            return None
        edit = self._redo[-1]
        self._apply(edit.stem, edit.before, edit.after)
        self._undo.append(self._redo.pop())
        self._notify(edit)
        return edit

    def _apply(self, stem: str, current: Optional[Label], target: Optional[Label]) -> None:
        """Bring ``stem`` from ``current`` to ``target`` (a failed save raises, stacks unchanged)."""
        if target is None:
            self.store.delete(stem, current.id)
        elif current is None:
            self.store.add(stem, target)
        else:
            self.store.replace_label(stem, target)

    def _push(self, edit: Edit) -> None:
        self._undo.append(edit)
        del self._undo[:-self.limit]
        self._redo.clear()
        self._notify(edit)

    def _notify(self, edit: Edit) -> None:
        if self.on_change is not None:
            self.on_change(edit)
