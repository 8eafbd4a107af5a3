"""How a workspace reaches the dock: a folder or chosen files (a dialog, or a path from a
script), or the workspace a QGIS project was saved with. Reading the folder is core's
(core.interferograms.workspace); what cannot be opened is one message, never an exception."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtWidgets import QFileDialog

from ..core.base.errors import MirageError
from ..core.interferograms.state import WorkspaceState
from ..core.interferograms.workspace import open_workspace, open_workspace_files
from ..i18n import translate
from . import project_state
from .layers import remove_stale

TR_CONTEXT = "MirageDock"  # a part of the dock


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


class WorkspaceOpener:
    def __init__(self, dock):
        self.dock = dock  # dock.start(workspace, project state) opens what was read here

    def choose_workspace(self) -> None:
        session = self.dock.session
        start = str(session.workspace.root) if session else ""
        folder = QFileDialog.getExistingDirectory(self.dock, _tr("Open a MIRAGE workspace"),
                                                  start)
        if folder:
            self.open_workspace(folder)

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self.dock, _tr("Open interferograms (coherence maps are found by date)"), "",
            _tr("Rasters") + " (*.tif *.tiff *.grd *.nc *.vrt *.img);;" + _tr("All files")
            + " (*)")
        if files:
            self.open_files(files)

    def open_files(self, files: List[str], state: Optional[WorkspaceState] = None) -> bool:
        try:
            workspace = open_workspace_files(files)
        except (FileNotFoundError, ValueError, OSError, MirageError) as exc:
            self.dock.say(str(exc), Qgis.MessageLevel.Critical)
            return False
        state = state or WorkspaceState()
        state.files = [str(f) for f in files]
        self.dock.start(workspace, state)
        return True

    def open_workspace(self, path: str, state: Optional[WorkspaceState] = None) -> bool:
        try:
            workspace = open_workspace(path)
        except (FileNotFoundError, OSError, MirageError) as exc:
            self.dock.say(str(exc), Qgis.MessageLevel.Critical)
            return False
        if state is not None:
            state.files = None
        self.dock.start(workspace, state)
        return True

    def restore_from_project(self) -> None:
        """Reopen the workspace a project was saved with, as it was left."""
        say = self.dock.say
        state, warnings = project_state.load()
        if state is None:
            return
        for warning in warnings:
            say(_tr("project: {warning}").format(warning=warning), Qgis.MessageLevel.Warning)
        remove_stale(QgsProject.instance())
        if state.files:
            missing = [f for f in state.files if not Path(f).is_file()]
            if missing:
                say(_tr("{file}: a file of the project's workspace is missing")
                    .format(file=missing[0]), Qgis.MessageLevel.Warning)
            self.open_files([f for f in state.files if Path(f).is_file()], state)
        elif state.root and Path(state.root).is_dir():
            self.open_workspace(state.root, state)
        elif state.root:
            say(_tr("{folder}: the project's MIRAGE workspace is no longer there")
                .format(folder=state.root), Qgis.MessageLevel.Warning)
