"""Two sessions on one label file: an edit applied to the label as it is on disk now.

A dock session edits the copy of a label it read when it showed the interferogram; another
session (a colleague on the shared drive, a second QGIS) may have saved the same label since.
Writing the session's copy would silently undo the other's work. So every edit names the label
it started from (``base``, as the session read it); under the folder lock the store reads the
label as it is (``theirs``) and applies only what this session changed (``mine`` against
``base``) - a three-way merge per attribute, the box counting as one attribute. When both
changed the same attribute to different values nothing is saved and ``LabelConflictError`` says
which, so both people's work stays and the second one decides.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Tuple

from .schema import Label

# the parts of a label one session can change independently of another
_PARTS = (("box", ("xmin", "ymin", "xmax", "ymax")), ("Class", ("cls",)),
          ("Sign_Qual", ("sign_qual",)), ("Class_Unc", ("class_unc",)), ("IFG", ("ifg",)),
          ("Bt", ("bt",)), ("Traj", ("traj",)))


def _part(label: Label, names: Tuple[str, ...]):
    return tuple(getattr(label, n) for n in names)


def _shown(label: Label, part: str, names) -> str:
    if part == "box":
        return "box " + ", ".join(f"{v:.0f}" for v in _part(label, names))
    return f"{part} {getattr(label, names[0])}"


def merge(base: Label, mine: Label, theirs: Label) -> Tuple[Optional[Label], List[str],
                                                              List[str]]:
    """(merged label or None on a conflict, what the other session had changed, conflicts).

    ``merged`` is ``theirs`` with this session's changes applied; each list item is a short
    phrase such as "Class DS" (theirs) or "Class: RS here, DS there" (conflict)."""
    merged = theirs
    kept: List[str] = []
    conflicts: List[str] = []
    for part, names in _PARTS:
        b, m, t = _part(base, names), _part(mine, names), _part(theirs, names)
        if t != b:
            kept.append(_shown(theirs, part, names))
        if m == b or m == t:
            continue
        if t != b:
            conflicts.append(f"{_shown(mine, part, names)} here, {_shown(theirs, part, names)} "
                             "in the other session")
            continue
        merged = replace(merged, **dict(zip(names, m)))
    return (None if conflicts else merged), kept, conflicts
