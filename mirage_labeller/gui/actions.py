"""What each action of the dock does, keyed by the action names of gui/keymap.ACTIONS: keys,
buttons and tests all go through ``MirageDock.run_action(name)``, which looks the name up
here (an unknown name is refused)."""
from __future__ import annotations

from typing import Callable, Dict

from ..core.interferograms.state import DISCARD, KEEP
from ..core.labels.steps import MORPHOLOGY, RECURRENCE
from . import keymap

Handler = Callable[[object], None]  # called with the LabellingSession


def _cancel(session) -> None:
    """Esc: drop the candidate, else clear the selection."""
    if session.candidate is not None:
        session.set_candidate(None)
    else:
        session.select_label(None)


def _triage(dock, session, decision) -> None:
    """Step 0: keep, or discard for the reason chosen beside the button."""
    session.triage(decision, dock.flow.reason() if decision == DISCARD else None)
    if session.current is not None:
        dock.table.refresh_row(session.current.label_stem)


def action_table(dock) -> Dict[str, Handler]:
    """Action name -> handler, for every action of the keymap."""
    table: Dict[str, Handler] = {
        f"class:{code}": (lambda s, c=code: s.set_class(c)) for code in keymap.CLASS_KEYS}
    for value in (1, 2):
        table[f"quality:{value}"] = lambda s, v=value: s.set_quality(v)
        table[f"uncertainty:{value}"] = lambda s, v=value: s.set_uncertainty(v)
    table.update({
        "confirm": lambda s: s.confirm(),
        "delete": lambda s: s.delete(),
        "cancel": _cancel,
        "keep": lambda s: _triage(dock, s, KEEP),
        "discard": lambda s: _triage(dock, s, DISCARD),
        "draw": lambda s: dock.draw_action.setChecked(True),
        "morphology": lambda s: s.tick(MORPHOLOGY),
        "recurrence": lambda s: s.tick(RECURRENCE),
        "next_ifg": lambda s: dock.step(1),
        "previous_ifg": lambda s: dock.step(-1),
        "next_label": lambda s: dock.map.show_label(s.step_label(1)),
        "previous_label": lambda s: dock.map.show_label(s.step_label(-1)),
        "undo": lambda s: s.undo(),
        "redo": lambda s: s.redo(),
    })
    return table
