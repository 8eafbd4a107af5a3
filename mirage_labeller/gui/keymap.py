"""Keyboard shortcuts of the labelling dock and the box tool, defined once.

The same table drives the QShortcuts of the dock, the key handling of the box tool (when the
map canvas has the focus) and the help text, so they cannot drift apart. Keys avoid those the
map canvas claims for itself (arrows, Page Up/Down, space).
"""
from __future__ import annotations

from typing import Dict, List, Tuple

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QKeySequence

from ..core.labels.classes import CLASSES

CLASS_KEYS: Dict[str, str] = {"AR": "A", "DG": "D", "DS": "S", "RS": "R", "RG": "G", "PR": "P",
                              "TA": "T", "CF": "F", "CS": "C", "FS": "L"}

# (key sequence, action name, what it does)
ACTIONS: List[Tuple[str, str, str]] = [
    *[(key, f"class:{code}", f"class {code} ({CLASSES[code].name})")
      for code, key in CLASS_KEYS.items()],
    ("1", "quality:1", "signal quality 1 (high)"),
    ("2", "quality:2", "signal quality 2 (low)"),
    ("Alt+1", "uncertainty:1", "classification uncertainty 1 (low)"),
    ("Alt+2", "uncertainty:2", "classification uncertainty 2 (high)"),
    ("Return", "confirm", "confirm: save the label"),
    ("Enter", "confirm", "confirm (keypad)"),
    ("Delete", "delete", "delete the candidate or the selected label"),
    ("Esc", "cancel", "drop the candidate / clear the selection"),
    ("K", "keep", "step 0: keep this interferogram"),
    ("X", "discard", "step 0: discard this interferogram"),
    ("B", "draw", "step 1: the N-S box tool"),
    ("M", "morphology", "step 2: morphology checked"),
    ("E", "recurrence", "step 3: recurrence checked"),
    (".", "next_ifg", "next interferogram"),
    (",", "previous_ifg", "previous interferogram"),
    ("]", "next_label", "next label of this interferogram"),
    ("[", "previous_label", "previous label"),
    ("Ctrl+Z", "undo", "undo the last label edit (even after its save)"),
    ("Ctrl+Shift+Z", "redo", "redo"),
    ("Ctrl+Y", "redo", "redo"),
]


_CTRL_ALT = int(Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
_SHIFT = int(Qt.KeyboardModifier.ShiftModifier)


def sequence_of(event) -> str:
    """The QKeySequence text of a key event, comparable with the ACTIONS table."""
    mods = int(event.modifiers()) & (_CTRL_ALT | _SHIFT)
    key = event.key()
    if key in (Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Shift, Qt.Key.Key_Meta):
        return ""
    if mods & _SHIFT and not mods & _CTRL_ALT:
        # a shifted printable key is its own character ("Z" vs "z" is not a binding here)
        mods &= ~_SHIFT
    return QKeySequence(mods | key).toString(QKeySequence.SequenceFormat.PortableText)


def action_for(event) -> str:
    seq = sequence_of(event)
    for key, action, _ in ACTIONS:
        if QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText) == seq:
            return action
    return ""


def help_html() -> str:
    rows = "".join(f"<tr><td><b>{key}</b></td><td>{what}</td></tr>"
                   for key, _, what in ACTIONS if key != "Enter")
    return ("<p>Shortcuts work when the dock or the map (with the box tool) has the focus.</p>"
            f"<table cellspacing='2'>{rows}</table>")
