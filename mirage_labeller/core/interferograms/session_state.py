"""The state a labelling session opens a workspace with, and what the user supplies where an
interferogram's name and tags said too little.

Two copies of the state can exist: the QGIS project's (saved with the project) and the
workspace's sidecar (``.mirage/state.json``, shared by everyone who opens the folder). The rule
of ``opening_state``: the project's copy, when there is one for this session, keeps its
settings (filters, strict mode, views) and the interferogram it was on; without it the
sidecar's are taken. Decisions are merged either way: of two triage decisions on one
interferogram the newer wins, supplied metadata and recurrence marks of the sidecar are added
where the project has none (``WorkspaceState.merge``).
"""
from __future__ import annotations

import datetime as dt
from typing import List, Optional, Tuple

from ..base.errors import InputError
from ..base.messages import Msg
from .metadata import parse_interferogram_path
from .state import WorkspaceState, read_sidecar


def merged_state(project: Optional[WorkspaceState], sidecar: Optional[WorkspaceState],
                 root) -> WorkspaceState:
    """The module's rule; ``project`` is changed in place (and returned) when given."""
    state = project or WorkspaceState()
    if sidecar is not None:
        if not state.root:  # no project state for this session: the sidecar's settings too
            state.settings = sidecar.settings
            state.current = sidecar.current
        state.merge(sidecar)
    state.root = str(root)
    return state


def opening_state(workspace, project: Optional[WorkspaceState] = None
                  ) -> Tuple[WorkspaceState, List[str]]:
    """The state to open ``workspace`` (core.interferograms.workspace.Workspace) with: the
    project's and the sidecar's merged, what the user supplied applied to the interferograms'
    metadata. The warnings (at most one: a sidecar that cannot be read whole) name the file;
    none of them stops the opening."""
    sidecar, warnings = read_sidecar(workspace.root)
    state = merged_state(project, sidecar, workspace.root)
    for item in workspace.interferograms:
        item.meta = state.apply_overrides(item.label_stem, item.meta)
    return state, warnings


def parse_supplied_dates(text: str) -> Tuple[dt.date, dt.date]:
    """The master and slave dates a user typed for an interferogram, read by the same
    parsers as file names (``yyyymmdd_yyyymmdd``, ``yyyymmdd-yyyymmdd``, GMTSAR
    ``yyyyddd_yyyyddd``); InputError when they are not two real dates, the second later."""
    given = " ".join(str(text).split())
    # a bare name: no folder of the current directory is read for dates
    meta = parse_interferogram_path("/" + given.replace("/", "_").replace("\\", "_"))
    if meta.ifg is None:
        raise InputError(Msg("'{text}' is not two dates yyyymmdd_yyyymmdd, the second after "
                             "the first", text=given))
    return meta.master, meta.slave


def supply_metadata(state: WorkspaceState, item, master: Optional[dt.date] = None,
                    slave: Optional[dt.date] = None, traj: Optional[str] = None) -> None:
    """Keep what the user supplied for ``item`` (a WorkspaceInterferogram) in the state's
    overrides and give the item its metadata with it. ``traj``: "A" or "D" (a word such as
    "ascending" is read by its first letter); ValueError for anything else."""
    given = dict(state.overrides.get(item.label_stem, {}))
    if master is not None and slave is not None:
        given.update(master=f"{master:%Y%m%d}", slave=f"{slave:%Y%m%d}")
    if traj is not None:
        letter = traj.strip().upper()[:1]
        if letter not in ("A", "D"):
            raise ValueError(f"Traj must be A or D, got {traj!r}")
        given["traj"] = letter
    state.overrides[item.label_stem] = given
    item.meta = state.apply_overrides(item.label_stem, item.meta)
