"""Label Ids: given once in a file, never twice, even after a delete and by another session.

``assign_ids`` keeps the Ids labels have (refusing repeats) and numbers the others above every
Id the file ever had; that high-water mark is kept on disk by the label store
(``.mirage-staging/.ids/<stem>``, ``read_high_water`` / ``save_high_water``), so undo can bring
a label back under its Id. An Id fits MIRAGE's field (``MAX_ID``).
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import List, Sequence

from .reader import LabelFileError
from .schema import Label

MAX_ID = 10 ** 9 - 1  # the widest Id MIRAGE's field (int 9) holds


def assign_ids(labels: Sequence[Label], path: Path, floor: int = 0) -> List[Label]:
    """Keep given Ids (refusing repeats); number the others above every Id seen (``floor``)."""
    seen = set()
    for lab in labels:
        if lab.id is None:
            continue
        if lab.id in seen:
            raise LabelFileError(f"{path}: not saved: Id {lab.id} appears twice")
        seen.add(lab.id)
    next_id = max([floor, *seen]) + 1
    if next_id + sum(lab.id is None for lab in labels) > MAX_ID + 1:
        raise LabelFileError(f"{path}: not saved: no Id left below {MAX_ID + 1} for new labels")
    out = []
    for lab in labels:
        if lab.id is None:
            lab = lab.with_id(next_id)
            next_id += 1
        out.append(lab)
    return out

def read_high_water(path: Path) -> int:
    """The highest Id the file ever had, from its mark ``path`` (0 when unknown: the file's
    own Ids then rule); a value no Id field holds, or a link, is not trusted."""
    try:
        if path.is_symlink() or path.parent.is_symlink():
            return 0
        text = path.read_text(encoding="ascii").strip()
        value = int(text) if text.isdigit() and len(text) <= 9 else 0
    except (OSError, ValueError):
        return 0
    return value if value <= MAX_ID else 0


def save_high_water(path: Path, value: int) -> None:
    """Raise the mark ``path`` to ``value`` (never lower it), written beside and renamed."""
    value = max(value, read_high_water(path))  # written by every save: one more step each
    if path.parent.is_symlink():
        raise LabelFileError(f"{path.parent}: is a link; remove it (nothing is written "
                             "through it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # a link planted there is removed, never written through
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                 0o644)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(f"{value}\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
