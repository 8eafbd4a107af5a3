"""What a labelling session remembers: triage decisions, the interferogram on show, settings.

Saved two ways: inside the QGIS project (restored when the project is reopened) and in a
sidecar ``WORKSPACE/.mirage/state.json`` next to the data (so triage work survives without a
project, and two projects on one workspace agree). Each decision carries its time; merging
keeps the latest one. The MIRAGE label files are never touched by this.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .messages import Msg

KEEP = "keep"
DISCARD = "discard"
REASONS = ("decorrelation", "atmosphere", "other")
SIDECAR = Path(".mirage") / "state.json"
VERSION = 1
VIEW_LAYERS = ("phase", "coherence", "hillshade", "slope", "aspect", "curvature", "tri", "twi",
               "dem")


@dataclass(frozen=True)
class Triage:
    decision: Optional[str]  # KEEP, DISCARD or None (undecided)
    reason: Optional[str] = None  # for DISCARD: one of REASONS
    note: str = ""
    when: str = ""  # ISO time of the decision (UTC)

    @staticmethod
    def now() -> str:
        return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


@dataclass
class Settings:
    strict: bool = False
    remember_last: bool = True
    sign_qual: int = 1  # last used, offered for the next label when remember_last
    class_unc: int = 1
    coherence_threshold: float = 0.2
    coherence_mask: bool = False
    views: List[str] = field(default_factory=lambda: ["phase", "coherence", "hillshade", "slope"])
    filter_bt: Optional[int] = None
    filter_traj: Optional[str] = None
    filter_status: Optional[str] = None  # None, "undecided", KEEP, DISCARD, "labelled"
    view_count: int = 4  # linked views shown
    build_overviews: bool = True  # external .ovr for large rasters, made while screening


STATUSES = ("undecided", KEEP, DISCARD, "labelled", "unlabelled")


@dataclass
class WorkspaceState:
    root: str = ""
    files: Optional[List[str]] = None  # a workspace of chosen files rather than a folder
    current: Optional[str] = None  # label stem of the interferogram on show
    triage: Dict[str, Triage] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    # what the user supplied where names and tags said too little: stem -> {master, slave,
    # traj} as yyyymmdd / A|D strings
    overrides: Dict[str, Dict[str, str]] = field(default_factory=dict)
    # step 3: for a ground box ("xmin,ymin,xmax,ymax", metres), which interferograms the
    # expert found the signal in (True) or not (False); kept here, never in the label files
    recurrence: Dict[str, Dict[str, bool]] = field(default_factory=dict)

    @staticmethod
    def recurrence_key(bounds) -> str:
        return ",".join(f"{v:.0f}" for v in bounds)

    def set_recurrence(self, bounds, stem: str, present: Optional[bool]) -> None:
        key = self.recurrence_key(bounds)
        marks = self.recurrence.setdefault(key, {})
        if present is None:
            marks.pop(stem, None)
        else:
            marks[stem] = bool(present)
        if not marks:
            del self.recurrence[key]

    def recurrence_of(self, bounds) -> Dict[str, bool]:
        return dict(self.recurrence.get(self.recurrence_key(bounds), {}))

    def apply_overrides(self, stem: str, meta):
        """``meta`` (IfgMetadata) with what the user supplied for ``stem``."""
        given = self.overrides.get(stem)
        if not given:
            return meta
        day = (lambda s: dt.datetime.strptime(s, "%Y%m%d").date() if s else None)
        return meta.with_values(master=day(given.get("master")), slave=day(given.get("slave")),
                                traj=given.get("traj") or None)

    def matches(self, stem: str, bt: Optional[int], traj: Optional[str], n_labels: int) -> bool:
        """Whether an interferogram passes the list filters of the settings."""
        s = self.settings
        if s.filter_bt is not None and bt != s.filter_bt:
            return False
        if s.filter_traj is not None and traj != s.filter_traj:
            return False
        status = s.filter_status
        if status is None:
            return True
        if status == "labelled":
            return n_labels > 0
        if status == "unlabelled":
            return n_labels == 0
        decision = self.decision(stem)
        return (decision or "undecided") == status

    def decide(self, stem: str, decision: Optional[str], reason: Optional[str] = None,
               note: str = "") -> Triage:
        if decision not in (KEEP, DISCARD, None):
            raise ValueError(f"triage decision must be keep, discard or undecided: {decision!r}")
        if decision == DISCARD and reason not in REASONS:
            raise ValueError(f"a discarded interferogram needs a reason among {REASONS}")
        t = Triage(decision, reason if decision == DISCARD else None, note, Triage.now())
        self.triage[stem] = t
        return t

    def decision(self, stem: str) -> Optional[str]:
        t = self.triage.get(stem)
        return t.decision if t else None

    # ----------------------------------------------------------- serialisation
    def to_json(self) -> str:
        data = {"version": VERSION, "root": self.root, "files": self.files,
                "current": self.current,
                "triage": {k: asdict(v) for k, v in sorted(self.triage.items())},
                "settings": asdict(self.settings), "overrides": self.overrides,
                "recurrence": self.recurrence}
        return json.dumps(data, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Tuple["WorkspaceState", List[str]]:
        """Tolerant: what cannot be read falls back to defaults, with a message each."""
        warnings: List[str] = []
        try:
            data = json.loads(text) if text else {}
        except ValueError as exc:
            return cls(), [f"saved state is not valid JSON ({exc}); starting afresh"]
        if not isinstance(data, dict):
            return cls(), ["saved state is not an object; starting afresh"]
        state = cls(root=str(data.get("root") or ""), current=data.get("current"))
        files = data.get("files")
        if isinstance(files, list) and all(isinstance(f, str) for f in files):
            state.files = files
        overrides = data.get("overrides") or {}
        if isinstance(overrides, dict):
            state.overrides = {str(k): {kk: str(vv) for kk, vv in v.items()}
                               for k, v in overrides.items() if isinstance(v, dict)}
        recurrence = data.get("recurrence") or {}
        if isinstance(recurrence, dict):
            for key, marks in recurrence.items():
                if isinstance(marks, dict) and all(isinstance(v, bool) for v in marks.values()):
                    state.recurrence[str(key)] = {str(k): v for k, v in marks.items()}
                else:
                    warnings.append(Msg("recurrence marks of box {key} could not be read",
                                        key=key))
        for stem, raw in (data.get("triage") or {}).items():
            try:
                t = Triage(**{f.name: raw.get(f.name, f.default) for f in fields(Triage)})
                if t.decision not in (KEEP, DISCARD, None):
                    raise ValueError(t.decision)
                state.triage[stem] = t
            except (TypeError, ValueError, AttributeError):
                warnings.append(Msg("triage of {stem} could not be read; left undecided",
                                    stem=stem))
        defaults = Settings()
        raw_settings = data.get("settings") or {}
        kwargs = {}
        for f in fields(Settings):
            if f.name in raw_settings:
                value = raw_settings[f.name]
                default = getattr(defaults, f.name)
                if default is None or isinstance(value, type(default)) or (
                        isinstance(default, float) and isinstance(value, int)):
                    kwargs[f.name] = value
                else:
                    warnings.append(Msg("setting {name}={value!r} ignored",
                                        name=f.name, value=value))
        state.settings = Settings(**{**asdict(defaults), **kwargs})
        return state, warnings

    def merge(self, other: "WorkspaceState") -> None:
        """Take ``other``'s decisions where they are newer than ours (or we have none)."""
        for stem, t in other.triage.items():
            mine = self.triage.get(stem)
            if mine is None or (t.when or "") > (mine.when or ""):
                self.triage[stem] = t
        for stem, given in other.overrides.items():
            self.overrides.setdefault(stem, given)
        for key, marks in other.recurrence.items():
            mine = self.recurrence.setdefault(key, {})
            for stem, present in marks.items():
                mine.setdefault(stem, present)


def write_sidecar(root: Path, state: WorkspaceState) -> Optional[str]:
    """Atomically write the sidecar; returns an error message instead of raising (a read-only
    published dataset must still be reviewable: the project keeps the state then)."""
    path = Path(root) / SIDECAR
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(state.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        return f"{path}: cannot save the workspace state ({exc.strerror or exc})"
    return None


def read_sidecar(root: Path) -> Tuple[Optional[WorkspaceState], List[str]]:
    path = Path(root) / SIDECAR
    if not path.exists():
        return None, []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [f"{path}: cannot be read ({exc.strerror or exc})"]
    state, warnings = WorkspaceState.from_json(text)
    return state, [f"{path}: {w}" for w in warnings]
