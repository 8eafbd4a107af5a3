"""Undo and redo of label edits, through the label store.

Every edit is saved at once (a confirmed label is on disk before the UI says so), so undoing is
itself a save: undoing an add deletes the label from its file, undoing a delete writes it back
under its old Id. Works across interferograms: each step remembers its file.

Each step holds the label as it was on disk before and after the save, so undo and redo apply
their change on top of what another session saved since (``label_merge``) instead of writing
this session's old copy back.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional

from ..base.messages import Msg
from .merge import merge
from .schema import Label
from .store import Change, LabelConflictError, LabelFileError, LabelStore


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

    def modify(self, stem: str, label: Label, base: Optional[Label] = None) -> Change:
        """Save ``label``; ``base`` is the label as the caller last saw it, so a change another
        session saved meanwhile is kept (merged) or reported (LabelConflictError), never undone."""
        if base is None:
            base = self.store.read(stem).by_id().get(label.id)
            if base is None:
                raise LabelFileError(f"{self.store.path(stem)}: no label with Id {label.id}")
        if base == label:
            return Change(base, label)
        change = self.store.update(stem, label, base)
        if change.before != change.after:
            self._push(Edit(stem, change.before, change.after))
        return change

    def delete(self, stem: str, label_id: int, base: Optional[Label] = None) -> Change:
        change = self.store.delete(stem, label_id, base)
        if change.before is not None:
            self._push(Edit(stem, change.before, None))
        return change

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
        written = self._travel(self._undo, edit, edit.after, edit.before)
        self._undo.pop()
        self._redo.append(Edit(edit.stem, written, _reapplied(edit, written)))
        self._notify(edit)
        return edit

    def redo(self) -> Optional[Edit]:
        if not self._redo:
            return None
        edit = self._redo[-1]
        written = self._travel(self._redo, edit, edit.before, edit.after)
        self._redo.pop()
        self._undo.append(Edit(edit.stem, edit.before, written))
        self._notify(edit)
        return edit

    def _travel(self, stack: List[Edit], edit: Edit, current, target) -> Optional[Label]:
        """Apply one undo or redo step. A step another session's change made impossible
        (LabelConflictError: the label changed where this step would change it, or is gone) is
        dropped, so it does not block every older step; any other failure (a full disk, a
        lock) keeps it for another try. Either way the error reaches the caller."""
        try:
            return self._apply(edit.stem, current, target)
        except LabelConflictError:
            stack.pop()
            raise

    def _apply(self, stem: str, current: Optional[Label],
               target: Optional[Label]) -> Optional[Label]:
        """Bring ``stem`` from ``current`` (as this session left it) to ``target``; what
        another session saved since is kept or, on the same attribute, reported. Returns the
        label as written (a failed save raises, stacks unchanged)."""
        if target is None:
            self.store.delete(stem, current.id, base=current)
            return None
        if current is None:
            return self.store.add(stem, target)
        return self.store.update(stem, target, base=current).after

    def _push(self, edit: Edit) -> None:
        self._undo.append(edit)
        del self._undo[:-self.limit]
        self._redo.clear()
        self._notify(edit)

    def _notify(self, edit: Edit) -> None:
        if self.on_change is not None:
            self.on_change(edit)


def _reapplied(edit: Edit, now: Optional[Label]) -> Optional[Label]:
    """What redoing ``edit`` should write once it was undone to ``now``: only the attributes
    the edit changed, applied to the label as it is (what another session changed since
    stays); the edit's own label where both touched the same attribute (the redo then
    meets the store's conflict check)."""
    if edit.before is None or edit.after is None or now is None:
        return edit.after
    merged, _, _ = merge(edit.before, edit.after, now)
    return merged if merged is not None else edit.after
