"""The session's state inside the QGIS project file (QgsProject entries)."""
from __future__ import annotations

from typing import List, Optional, Tuple

from qgis.core import QgsProject

from ..core.interferograms.state import WorkspaceState, write_sidecar

SCOPE = "MirageLabeller"
KEY = "state"


def save(state: WorkspaceState, project: Optional[QgsProject] = None) -> None:
    (project or QgsProject.instance()).writeEntry(SCOPE, KEY, state.to_json())


def save_both(session) -> Optional[str]:
    """A session's state into the project and into the workspace's sidecar; why the sidecar
    could not be written (a read-only dataset), or None."""
    save(session.state)
    return write_sidecar(session.workspace.root, session.state)


def load(project: Optional[QgsProject] = None) -> Tuple[Optional[WorkspaceState], List[str]]:
    text, ok = (project or QgsProject.instance()).readEntry(SCOPE, KEY, "")
    if not ok or not text:
        return None, []
    return WorkspaceState.from_json(text)
