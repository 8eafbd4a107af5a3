""""Supply IFG / Traj…": ask for the dates and the orbit that the interferogram's name and
tags did not say. Reading what was typed and keeping it are core's
(core.interferograms.session_state); this asks."""
from __future__ import annotations

from typing import Callable

from qgis.core import Qgis
from qgis.PyQt.QtWidgets import QInputDialog

from ..core.base.errors import MirageError
from ..core.interferograms.session_state import parse_supplied_dates, supply_metadata
from ..i18n import translate, translate_core

TR_CONTEXT = "MirageDock"  # a part of the dock's form


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


def ask_metadata(parent, session, say: Callable[[str, int], None]) -> bool:
    """Ask for what the interferogram on show lacks; True once the state holds the answers."""
    item = session.current if session is not None else None
    if item is None:
        return False
    meta = item.meta
    master = slave = traj = None
    if meta.ifg is None:
        text, ok = QInputDialog.getText(parent, _tr("Interferogram dates"),
                                        f"{item.path.name}\n"
                                        + _tr("master_slave (yyyymmdd_yyyymmdd):"))
        if not ok:
            return False
        try:
            master, slave = parse_supplied_dates(text)
        except MirageError as exc:
            say(translate_core(exc.message), Qgis.MessageLevel.Warning)
            return False
    if meta.traj is None:
        choice, ok = QInputDialog.getItem(parent, _tr("Orbit"), f"{item.path.name}\n"
                                          + _tr("Trajectory:"),
                                          ["A " + _tr("ascending"), "D " + _tr("descending")],
                                          0, False)
        if not ok:
            return False
        traj = choice[:1]
    supply_metadata(session.state, item, master, slave, traj)
    return True
